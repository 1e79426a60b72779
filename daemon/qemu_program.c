/* libvirt's QEMU program (0x20008087) beside REMOTE: QEMU_DOMAIN_MONITOR_COMMAND,
 * what `virsh qemu-monitor-command DOM --hmp CMD` and libvirt_qemu call. HMP only:
 * enough to drive a domain's monitor by hand (info, qemu-io for simulated guest
 * writes); a QMP command gets VIR_ERR_ARGUMENT_UNSUPPORTED. */
#include "daemon/dispatch.h"

#include <stddef.h>
#include "drivers/qemu/qemu_driver.h"
#include "util/error.h"

enum {
    QEMU_PROC_DOMAIN_MONITOR_COMMAND = 1,
    MONITOR_COMMAND_HMP = 1 << 0,       /* VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP */
};

typedef struct {
    rpc_domain dom;
    char *cmd;
    uint32_t flags;
} monitor_command_args;

typedef struct {
    char *result;
} monitor_command_ret;

static const rpc_field monitor_command_args_fields[] = {
    { "dom", RPC_DOMAIN, 0, 0, offsetof(monitor_command_args, dom) },
    { "cmd", RPC_STRING, 0, 0, offsetof(monitor_command_args, cmd) },
    { "flags", RPC_UINT, 0, 0, offsetof(monitor_command_args, flags) },
};
static const rpc_struct monitor_command_args_type = {
    "qemu_domain_monitor_command_args", sizeof(monitor_command_args), monitor_command_args_fields,
    G_N_ELEMENTS(monitor_command_args_fields)
};

static const rpc_field monitor_command_ret_fields[] = {
    { "result", RPC_STRING, 0, 0, offsetof(monitor_command_ret, result) },
};
static const rpc_struct monitor_command_ret_type = {
    "qemu_domain_monitor_command_ret", sizeof(monitor_command_ret), monitor_command_ret_fields,
    G_N_ELEMENTS(monitor_command_ret_fields)
};

static const rpc_proc_info qemu_procs[] = {
    { QEMU_PROC_DOMAIN_MONITOR_COMMAND, "QEMU_DOMAIN_MONITOR_COMMAND", &monitor_command_args_type,
      &monitor_command_ret_type, false },
};

static int monitor_command(daemon_client *client, virConnectPtr conn, void *a, void *r)
{
    static const char func[] = "virDomainQemuMonitorCommand";
    monitor_command_args *args = a;
    monitor_command_ret *ret = r;
    virDomainPtr dom;
    char *output = NULL;
    int rc = -1;

    if (conn->flags & VIR_CONNECT_RO) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_DENIED, "read only access prevents %s", func);
        return -1;
    }
    if (args->flags & ~(uint32_t)MONITOR_COMMAND_HMP) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, "%s: unsupported flags (0x%x)", func,
                     args->flags & ~(uint32_t)MONITOR_COMMAND_HMP);
        return -1;
    }
    if (!(args->flags & MONITOR_COMMAND_HMP)) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_ARGUMENT_UNSUPPORTED,
                     "%s: only HMP commands are supported (virsh qemu-monitor-command --hmp)", func);
        return -1;
    }
    dom = daemon_domain_from_wire(conn, &args->dom);
    if (qemu_domain_hmp(dom, args->cmd, &output) == 0) {
        ret->result = output ? output : g_strdup("");
        rc = 0;
    }
    handle_domain_unref(dom);
    return rc;
}

static const daemon_proc qemu_handlers[] = {
    { QEMU_PROC_DOMAIN_MONITOR_COMMAND, monitor_command },
};

const rpc_proc_info *daemon_qemu_proc_info(int32_t num)
{
    for (size_t i = 0; i < G_N_ELEMENTS(qemu_procs); i++)
        if (qemu_procs[i].num == num)
            return &qemu_procs[i];
    return NULL;
}

const daemon_proc *daemon_qemu_proc_lookup(int32_t num)
{
    for (size_t i = 0; i < G_N_ELEMENTS(qemu_handlers); i++)
        if (qemu_handlers[i].num == num)
            return &qemu_handlers[i];
    return NULL;
}
