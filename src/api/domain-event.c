/* Registering for domain events (the legacy lifecycle-only API maps onto RegisterAny). */
#include "api/api.h"

#define FROM VIR_FROM_DOMAIN
#define EVENT_ID_COUNT (VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1)

int virConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                     virConnectDomainEventGenericCallback cb, void *opaque,
                                     virFreeCallback freecb)
{
    int ret;

    error_reset();
    if (!api_check_conn(conn, FROM, __func__))
        return -1;
    if (dom && !handle_domain_valid(dom)) {
        error_report(VIR_FROM_DOM, VIR_ERR_INVALID_DOMAIN, "%s", __func__);
        goto error;
    }
    if (dom && dom->conn != conn) {
        error_report_arg(FROM, __func__, "dom", "dom in %s must match connection", __func__);
        goto error;
    }
    if (!cb) {
        api_report_null(FROM, __func__, "cb");
        goto error;
    }
    if (eventID < 0 || eventID >= EVENT_ID_COUNT) {
        error_report_arg(FROM, __func__, "eventID", "eventID in %s must be less than %d",
                         __func__, EVENT_ID_COUNT);
        goto error;
    }
    if (!conn->driver->connect_domain_event_register_any) {
        api_report_unsupported(FROM, __func__);
        goto error;
    }
    ret = conn->driver->connect_domain_event_register_any(conn, dom, eventID, cb, opaque, freecb);
    if (ret < 0)
        goto error;
    return ret;

 error:
    api_dispatch_error(conn);
    return -1;
}

int virConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb,
                                  void *opaque, virFreeCallback freecb)
{
    int ret = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                               VIR_DOMAIN_EVENT_CALLBACK(cb), opaque, freecb);
    return ret < 0 ? -1 : 0;
}

int virConnectDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb)
{
    error_reset();
    if (!api_check_conn(conn, FROM, __func__))
        return -1;
    if (!cb) {
        api_report_null(FROM, __func__, "cb");
        goto error;
    }
    if (!conn->driver->connect_domain_event_find) {
        api_report_unsupported(FROM, __func__);
        goto error;
    }
    int id = conn->driver->connect_domain_event_find(conn, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                     VIR_DOMAIN_EVENT_CALLBACK(cb));
    if (id < 0) {
        error_report(FROM, VIR_ERR_INVALID_ARG, "%s", "could not find event callback for deletion");
        goto error;
    }
    return virConnectDomainEventDeregisterAny(conn, id);

 error:
    api_dispatch_error(conn);
    return -1;
}
