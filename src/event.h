/* Domain events: the callbacks connections registered, and their delivery, one
 * event at a time, from the application's event loop (as libvirt does). Drivers
 * queue events from any thread; nothing is delivered while no callback wants it. */
#pragma once

#include <libvirt/libvirt.h>

typedef struct event_bus event_bus;

event_bus *event_bus_new(void);
void event_bus_free(event_bus *bus);

/* virConnectDomainEventRegisterAny for conn; dom (may be NULL) filters by domain.
 * Returns the callback id, or -1 with an error (no event loop registered,
 * eventID out of range). */
int event_bus_register(event_bus *bus, virConnectPtr conn, virDomainPtr dom, int event_id,
                       virConnectDomainEventGenericCallback cb, void *opaque, virFreeCallback ff);
/* Returns 0, or -1 with an error when conn has no such callback. */
int event_bus_deregister(event_bus *bus, virConnectPtr conn, int callback_id);
/* The id of conn's registration of cb for event_id (the legacy Deregister), or -1. */
int event_bus_find(event_bus *bus, virConnectPtr conn, int event_id,
                   virConnectDomainEventGenericCallback cb);
/* conn is closing: forget its callbacks. */
void event_bus_drop_conn(event_bus *bus, virConnectPtr conn);

/* The domain an event is about. */
typedef struct {
    const char *name;
    const unsigned char *uuid;
    int id;
} event_domain;

void event_bus_lifecycle(event_bus *bus, const event_domain *dom, int event, int detail);
void event_bus_block_job(event_bus *bus, const event_domain *dom, int event_id, const char *disk,
                         int type, int status);
/* An event whose callback takes no arguments besides the domain (REBOOT). */
void event_bus_generic(event_bus *bus, const event_domain *dom, int event_id);
/* Takes ownership of params. */
void event_bus_job_completed(event_bus *bus, const event_domain *dom, virTypedParameterPtr params,
                             int nparams);
