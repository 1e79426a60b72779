/* virtmomentd's dispatch of one call: check the program and the procedure, decode
 * the arguments, run the handler (worker thread), send the reply or libvirtd's
 * error reply. */
#include "daemon/dispatch.h"

#include <string.h>
#include "rpc/rpc_error.h"
#include "util/error.h"

daemon_config daemon_conf;

static void send_error(rpc_client *rc, const rpc_header *call)
{
    rpc_header h = *call;
    remote_error e;
    virError generic = { .code = VIR_ERR_INTERNAL_ERROR, .domain = VIR_FROM_RPC,
                         .message = (char *)"An error occurred, but the cause is unknown",
                         .level = VIR_ERR_ERROR, .int1 = -1, .int2 = -1 };
    const virError *err = error_last() ? error_last() : &generic;
    GByteArray *pkt;

    h.type = RPC_REPLY;
    h.status = RPC_STATUS_ERROR;
    rpc_error_from_virerror(err, &e);
    pkt = rpc_packet_build(&h, &remote_error_type, &e);
    rpc_free(&remote_error_type, &e);
    if (pkt)
        rpc_client_send(rc, pkt);
}

/* The procedures a client may call before CONNECT_OPEN. */
static bool allowed_before_open(int32_t proc)
{
    return proc == RPC_PROC_AUTH_LIST || proc == RPC_PROC_CONNECT_OPEN ||
           proc == RPC_PROC_CONNECT_SUPPORTS_FEATURE || proc == RPC_PROC_CONNECT_CLOSE;
}

/* Check what the call asks for; false with an error to send back. */
static bool check_call(daemon_client *dc, const rpc_header *h, const rpc_proc_info **ret_info,
                       const daemon_proc **ret_proc, virConnectPtr *ret_conn)
{
    if ((h->prog != RPC_PROGRAM_REMOTE && h->prog != DAEMON_PROGRAM_QEMU) ||
        h->vers != RPC_PROTOCOL_VERSION) {
        error_report(VIR_FROM_RPC, VIR_ERR_RPC, "unknown program 0x%x version %u", h->prog, h->vers);
        return false;
    }
    if (h->prog == DAEMON_PROGRAM_QEMU) {
        *ret_info = daemon_qemu_proc_info(h->proc);
        *ret_proc = daemon_qemu_proc_lookup(h->proc);
    } else {
        *ret_info = rpc_proc_lookup(h->proc);
        *ret_proc = daemon_proc_lookup(h->proc);
    }
    if (!*ret_info || !*ret_proc || (*ret_info)->message) {
        error_report(VIR_FROM_REMOTE, VIR_ERR_NO_SUPPORT, "unknown procedure: %d", h->proc);
        return false;
    }
    g_mutex_lock(&dc->lock);
    *ret_conn = dc->conn;
    if (*ret_conn)
        handle_connect_ref(*ret_conn);
    g_mutex_unlock(&dc->lock);
    if (!*ret_conn && (h->prog != RPC_PROGRAM_REMOTE || !allowed_before_open(h->proc))) {
        error_report(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, "%s", "connection not open");
        return false;
    }
    return true;
}

static void run(rpc_client *rc, daemon_client *dc, const rpc_header *h, const uint8_t *payload,
                size_t len)
{
    const rpc_proc_info *info;
    const daemon_proc *proc;
    virConnectPtr conn = NULL;
    g_autofree void *args = NULL;
    g_autofree void *ret = NULL;
    rpc_header rh = *h;
    GByteArray *pkt;

    if (!check_call(dc, h, &info, &proc, &conn)) {
        send_error(rc, h);
        goto out;
    }
    args = info->args ? g_malloc0(info->args->size) : NULL;
    ret = info->ret ? g_malloc0(info->ret->size) : NULL;
    if (info->args ? !rpc_decode_payload(info->args, payload, len, args) : len != 0) {
        /* A client that sends what it must not is dropped, after being told why. */
        error_report(VIR_FROM_RPC, VIR_ERR_RPC, "cannot decode the arguments of %s", info->name);
        send_error(rc, h);
        rpc_client_close(rc);
        goto out;
    }
    error_reset();
    if (proc->fn(dc, conn, args, ret) < 0) {
        send_error(rc, h);
    } else {
        rh.type = RPC_REPLY;
        rh.status = RPC_STATUS_OK;
        if ((pkt = rpc_packet_build(&rh, info->ret, ret))) {
            rpc_client_send(rc, pkt);
        } else {
            error_report(VIR_FROM_RPC, VIR_ERR_RPC, "the reply of %s exceeds the protocol's limits",
                         info->name);
            send_error(rc, h);
        }
        if (h->prog == RPC_PROGRAM_REMOTE && h->proc == RPC_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY)
            daemon_events_ready(dc);
    }
    rpc_free(info->ret, ret);
    rpc_free(info->args, args);
 out:
    if (conn)
        handle_connect_unref(conn);
    error_reset();
}

/* Queries of in-memory state, taking a driver's lock briefly, never a domain's job,
 * the monitor, a process or a file write. Left out on purpose: CONNECT_OPEN (opens a
 * host), the XML of checkpoints (sizes come from QEMU) and of domains. */
static const int32_t quick_procs[] = {
    RPC_PROC_AUTH_LIST, RPC_PROC_CONNECT_SUPPORTS_FEATURE, RPC_PROC_CONNECT_GET_TYPE,
    RPC_PROC_CONNECT_GET_VERSION, RPC_PROC_CONNECT_GET_LIB_VERSION,
    RPC_PROC_DOMAIN_LOOKUP_BY_NAME, RPC_PROC_DOMAIN_LOOKUP_BY_UUID, RPC_PROC_DOMAIN_IS_ACTIVE,
    RPC_PROC_DOMAIN_SNAPSHOT_NUM, RPC_PROC_DOMAIN_SNAPSHOT_LIST_NAMES,
    RPC_PROC_DOMAIN_SNAPSHOT_LOOKUP_BY_NAME, RPC_PROC_DOMAIN_HAS_CURRENT_SNAPSHOT,
    RPC_PROC_DOMAIN_SNAPSHOT_CURRENT, RPC_PROC_DOMAIN_SNAPSHOT_GET_XML_DESC,
    RPC_PROC_DOMAIN_SNAPSHOT_GET_PARENT, RPC_PROC_DOMAIN_SNAPSHOT_NUM_CHILDREN,
    RPC_PROC_DOMAIN_SNAPSHOT_LIST_CHILDREN_NAMES, RPC_PROC_DOMAIN_SNAPSHOT_IS_CURRENT,
    RPC_PROC_DOMAIN_SNAPSHOT_HAS_METADATA, RPC_PROC_DOMAIN_LIST_ALL_SNAPSHOTS,
    RPC_PROC_DOMAIN_SNAPSHOT_LIST_ALL_CHILDREN, RPC_PROC_DOMAIN_LIST_ALL_CHECKPOINTS,
    RPC_PROC_DOMAIN_CHECKPOINT_LIST_ALL_CHILDREN, RPC_PROC_DOMAIN_CHECKPOINT_LOOKUP_BY_NAME,
    RPC_PROC_DOMAIN_CHECKPOINT_GET_PARENT,
};

bool daemon_quick(const uint8_t *pkt, size_t len, void *opaque)
{
    rpc_header h;

    if (!rpc_packet_header(pkt, len, &h) || h.prog != RPC_PROGRAM_REMOTE)
        return false;
    for (size_t i = 0; i < G_N_ELEMENTS(quick_procs); i++)
        if (quick_procs[i] == h.proc)
            return true;
    return false;
}

void daemon_dispatch(rpc_client *rc, const uint8_t *pkt, size_t len, void *opaque)
{
    daemon_client *dc = rpc_client_data(rc);
    rpc_header h;

    if (!rpc_packet_header(pkt, len, &h))
        return;
    run(rc, dc, &h, pkt + RPC_LEN_WORD + RPC_HEADER_LEN, len - RPC_LEN_WORD - RPC_HEADER_LEN);
}
