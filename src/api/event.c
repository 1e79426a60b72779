/* The public event loop API (virEvent*) over util/eventloop. */
#include "api/api.h"
#include "util/eventloop.h"

int virEventRegisterDefaultImpl(void)
{
    error_reset();
    return eventloop_register_default();
}

int virEventRunDefaultImpl(void)
{
    error_reset();
    if (eventloop_run_default() < 0) {
        error_report(VIR_FROM_EVENT, VIR_ERR_INTERNAL_ERROR, "%s",
                     "the default event loop is not registered");
        api_dispatch_error(NULL);
        return -1;
    }
    return 0;
}

void virEventRegisterImpl(virEventAddHandleFunc addHandle, virEventUpdateHandleFunc updateHandle,
                          virEventRemoveHandleFunc removeHandle, virEventAddTimeoutFunc addTimeout,
                          virEventUpdateTimeoutFunc updateTimeout,
                          virEventRemoveTimeoutFunc removeTimeout)
{
    eventloop_register_impl(addHandle, updateHandle, removeHandle, addTimeout, updateTimeout,
                            removeTimeout);
}

int virEventAddHandle(int fd, int events, virEventHandleCallback cb, void *opaque,
                      virFreeCallback ff)
{
    return eventloop_add_handle(fd, events, cb, opaque, ff);
}

void virEventUpdateHandle(int watch, int events)
{
    eventloop_update_handle(watch, events);
}

int virEventRemoveHandle(int watch)
{
    return eventloop_remove_handle(watch);
}

int virEventAddTimeout(int timeout, virEventTimeoutCallback cb, void *opaque, virFreeCallback ff)
{
    return eventloop_add_timeout(timeout, cb, opaque, ff);
}

void virEventUpdateTimeout(int timer, int timeout)
{
    eventloop_update_timeout(timer, timeout);
}

int virEventRemoveTimeout(int timer)
{
    return eventloop_remove_timeout(timer);
}
