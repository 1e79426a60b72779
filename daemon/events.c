/* virtmomentd's events: CALLBACK_REGISTER_ANY registers a callback on the client's
 * connection; what the drivers emit is sent to the client as MESSAGE packets
 * (lifecycle, block job, block job 2, job completed), never before the client
 * has the registration's reply. */
#include "daemon/dispatch.h"

#include <string.h>
#include "rpc/rpc_packet.h"
#include "util/error.h"

#define EVENT_ID_COUNT (VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1)

struct daemon_event {
    gint refs;               /* the client's list, and the registration */
    rpc_client *rc;          /* a reference */
    int callback_id;         /* what the client knows it by */
    int event_id;
    int local_id;            /* the connection's callback; -1 for IDs no driver sends */
    GMutex lock;
    bool ready;              /* the client has the registration's reply */
    GQueue held;             /* packets emitted before that */
};

static gint next_callback_id;

static void event_unref(gpointer p)
{
    daemon_event *ev = p;

    if (!g_atomic_int_dec_and_test(&ev->refs))
        return;
    g_queue_clear_full(&ev->held, (GDestroyNotify)g_byte_array_unref);
    g_mutex_clear(&ev->lock);
    rpc_client_unref(ev->rc);
    g_free(ev);
}

static void emit(daemon_event *ev, int proc, const rpc_struct *t, const void *msg)
{
    rpc_header h = { RPC_PROGRAM_REMOTE, RPC_PROTOCOL_VERSION, proc, RPC_MESSAGE, 1,
                     RPC_STATUS_OK };
    GByteArray *pkt = rpc_packet_build(&h, t, msg);

    if (!pkt)
        return;
    g_mutex_lock(&ev->lock);
    if (ev->ready)
        rpc_client_send(ev->rc, pkt);
    else
        g_queue_push_tail(&ev->held, pkt);
    g_mutex_unlock(&ev->lock);
}

/* Shallow: the wire form points into the handle. */
static rpc_domain wire_domain(virDomainPtr dom)
{
    rpc_domain w = { dom->name, { 0 }, dom->id };
    memcpy(w.uuid, dom->uuid, RPC_UUID_LEN);
    return w;
}

static void on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    daemon_event *ev = opaque;
    rpc_domain_event_callback_lifecycle_msg m = { ev->callback_id, wire_domain(dom), event, detail };

    emit(ev, RPC_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE, &rpc_domain_event_callback_lifecycle_msg_type, &m);
}

static void on_block_job(virConnectPtr conn, virDomainPtr dom, const char *disk, int type, int status,
                         void *opaque)
{
    daemon_event *ev = opaque;

    if (ev->event_id == VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2) {
        rpc_domain_event_block_job_2_msg m = { ev->callback_id, wire_domain(dom), (char *)disk,
                                               type, status };
        emit(ev, RPC_PROC_DOMAIN_EVENT_BLOCK_JOB_2, &rpc_domain_event_block_job_2_msg_type, &m);
    } else {
        rpc_domain_event_callback_block_job_msg m = { ev->callback_id, wire_domain(dom), (char *)disk,
                                                      type, status };
        emit(ev, RPC_PROC_DOMAIN_EVENT_CALLBACK_BLOCK_JOB,
             &rpc_domain_event_callback_block_job_msg_type, &m);
    }
}

static void on_job_completed(virConnectPtr conn, virDomainPtr dom, virTypedParameterPtr params,
                             int nparams, void *opaque)
{
    daemon_event *ev = opaque;
    rpc_domain_event_callback_job_completed_msg m = { ev->callback_id, wire_domain(dom),
                                                      { (uint32_t)nparams, params } };

    emit(ev, RPC_PROC_DOMAIN_EVENT_CALLBACK_JOB_COMPLETED,
         &rpc_domain_event_callback_job_completed_msg_type, &m);
}

/* The callback forwarding event_id, or NULL when no driver sends it. */
static virConnectDomainEventGenericCallback callback_for(int event_id)
{
    switch (event_id) {
    case VIR_DOMAIN_EVENT_ID_LIFECYCLE:
        return VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle);
    case VIR_DOMAIN_EVENT_ID_BLOCK_JOB:
    case VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2:
        return VIR_DOMAIN_EVENT_CALLBACK(on_block_job);
    case VIR_DOMAIN_EVENT_ID_JOB_COMPLETED:
        return VIR_DOMAIN_EVENT_CALLBACK(on_job_completed);
    default:
        return NULL;
    }
}

int daemon_dispatch_connect_domain_event_callback_register_any(daemon_client *client,
                                                               virConnectPtr conn, void *a, void *r)
{
    rpc_connect_domain_event_callback_register_any_args *args = a;
    rpc_connect_domain_event_callback_register_any_ret *ret = r;
    virConnectDomainEventGenericCallback cb;
    daemon_event *ev;

    if (args->eventID < 0 || args->eventID >= EVENT_ID_COUNT) {
        error_report(VIR_FROM_RPC, VIR_ERR_INVALID_ARG, "unsupported event ID %d", args->eventID);
        return -1;
    }
    ev = g_new0(daemon_event, 1);
    ev->refs = 1;
    rpc_client_ref(client->rc);
    ev->rc = client->rc;
    ev->event_id = args->eventID;
    ev->local_id = -1;
    g_mutex_init(&ev->lock);
    g_queue_init(&ev->held);
    if ((cb = callback_for(args->eventID))) {
        virDomainPtr dom = args->dom ? daemon_domain_from_wire(conn, args->dom) : NULL;
        g_atomic_int_inc(&ev->refs);
        ev->local_id = virConnectDomainEventRegisterAny(conn, dom, args->eventID, cb, ev, event_unref);
        handle_domain_unref(dom);
        if (ev->local_id < 0) {
            event_unref(ev);
            event_unref(ev);
            return -1;
        }
    }
    ev->callback_id = g_atomic_int_add(&next_callback_id, 1);
    g_mutex_lock(&client->lock);
    g_ptr_array_add(client->events, ev);
    g_mutex_unlock(&client->lock);
    ret->callbackID = ev->callback_id;
    return 0;
}

/* Forget one registration (taken out of the client's list). */
static void drop(virConnectPtr conn, daemon_event *ev)
{
    if (ev->local_id >= 0 && conn) {
        virErrorPtr saved = error_save();
        virConnectDomainEventDeregisterAny(conn, ev->local_id);
        error_restore(&saved);
    }
    event_unref(ev);
}

int daemon_dispatch_connect_domain_event_callback_deregister_any(daemon_client *client,
                                                                 virConnectPtr conn, void *a,
                                                                 void *r)
{
    rpc_connect_domain_event_callback_deregister_any_args *args = a;
    daemon_event *ev = NULL;

    g_mutex_lock(&client->lock);
    for (guint i = 0; i < client->events->len && !ev; i++) {
        daemon_event *e = g_ptr_array_index(client->events, i);
        if (e->callback_id == args->callbackID)
            ev = g_ptr_array_steal_index(client->events, i);
    }
    g_mutex_unlock(&client->lock);
    if (!ev) {
        error_report(VIR_FROM_RPC, VIR_ERR_INVALID_ARG, "no domain event callback %d",
                     args->callbackID);
        return -1;
    }
    drop(conn, ev);
    return 0;
}

void daemon_events_ready(daemon_client *client)
{
    g_mutex_lock(&client->lock);
    for (guint i = 0; i < client->events->len; i++) {
        daemon_event *ev = g_ptr_array_index(client->events, i);
        GByteArray *pkt;
        g_mutex_lock(&ev->lock);
        ev->ready = true;
        while ((pkt = g_queue_pop_head(&ev->held)))
            rpc_client_send(ev->rc, pkt);
        g_mutex_unlock(&ev->lock);
    }
    g_mutex_unlock(&client->lock);
}

void daemon_events_drop(daemon_client *client)
{
    g_autoptr(GPtrArray) evs = NULL;
    virConnectPtr conn;

    g_mutex_lock(&client->lock);
    evs = g_steal_pointer(&client->events);
    client->events = g_ptr_array_new();
    conn = client->conn;
    if (conn)
        handle_connect_ref(conn);
    g_mutex_unlock(&client->lock);
    for (guint i = 0; i < evs->len; i++)
        drop(conn, g_ptr_array_index(evs, i));
    if (conn)
        handle_connect_unref(conn);
}
