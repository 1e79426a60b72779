/* What every public entry point does besides calling its driver: check handles and
 * arguments, report argument errors as libvirt words them, and hand the error back. */
#include "api/api.h"

static bool invalid(int from, int code, const char *func)
{
    error_report(from, code, "%s", func);
    api_dispatch_error(NULL);
    return false;
}

bool api_check_conn(virConnectPtr conn, int from, const char *func)
{
    return handle_connect_valid(conn) || invalid(from, VIR_ERR_INVALID_CONN, func);
}

bool api_check_domain(virDomainPtr domain, int from, const char *func)
{
    return handle_domain_valid(domain) || invalid(VIR_FROM_DOM, VIR_ERR_INVALID_DOMAIN, func);
}

bool api_check_snapshot(virDomainSnapshotPtr snapshot, int from, const char *func)
{
    return handle_snapshot_valid(snapshot) ||
           invalid(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_INVALID_DOMAIN_SNAPSHOT, func);
}

bool api_check_checkpoint(virDomainCheckpointPtr checkpoint, int from, const char *func)
{
    return handle_checkpoint_valid(checkpoint) ||
           invalid(VIR_FROM_DOMAIN_CHECKPOINT, VIR_ERR_INVALID_DOMAIN_CHECKPOINT, func);
}

bool api_check_writable(virConnectPtr conn, int from, const char *func)
{
    if (!(conn->flags & VIR_CONNECT_RO))
        return true;
    error_report(from, VIR_ERR_OPERATION_DENIED, "read only access prevents %s", func);
    return false;
}

bool api_check_secure(virConnectPtr conn, int from, const char *func)
{
    if (!(conn->flags & VIR_CONNECT_RO))
        return true;
    error_report(from, VIR_ERR_OPERATION_DENIED, "%s with secure flag", func);
    return false;
}

void api_report_null(int from, const char *func, const char *arg)
{
    error_report_arg(from, func, arg, "%s in %s must not be NULL", arg, func);
}

void api_report_negative(int from, const char *func, const char *arg)
{
    error_report_arg(from, func, arg, "%s in %s must be zero or greater", arg, func);
}

void api_report_requires(int from, const char *func, const char *flag, const char *needed)
{
    error_report_arg(from, func, "ctl", "Flag '%s' is required by flag '%s'", needed, flag);
}

void api_report_exclusive(int from, const char *func, const char *a, const char *b)
{
    error_report_arg(from, func, "ctl", "Flags '%s' and '%s' are mutually exclusive", a, b);
}

void api_report_unsupported(int from, const char *func)
{
    error_report(from, VIR_ERR_NO_SUPPORT, "%s", func);
}

void api_dispatch_error(virConnectPtr conn)
{
    virErrorFunc handler = NULL;
    void *data = NULL;

    error_ensure();
    if (conn) {
        g_mutex_lock(&conn->lock);
        error_copy(&conn->error, error_last());
        handler = conn->handler;
        data = conn->handler_data;
        g_mutex_unlock(&conn->lock);
    }
    error_dispatch(handler, data);
}
