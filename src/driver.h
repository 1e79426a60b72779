/* The driver table: what a hypervisor driver (test, qemu, remote) provides. Each
 * public function with a driver slot calls it after its argument checks; a NULL slot
 * means "not supported by this driver". Drivers report their own errors. */
#pragma once

#include <libvirt/libvirt.h>
#include "handle.h"
#include "util/uri.h"

enum {
    DRIVER_OPEN_SUCCESS = 0,
    DRIVER_OPEN_ERROR = -1,
    DRIVER_OPEN_DECLINED = -2,   /* the URI is not for this driver */
};

struct vm_driver {
    const char *name;   /* what virConnectGetType reports, e.g. "TEST", "QEMU" */

    /* Claim conn for u: set conn->driver_data and return DRIVER_OPEN_SUCCESS, or
     * DRIVER_OPEN_DECLINED when the scheme is someone else's, or report an error and
     * return DRIVER_OPEN_ERROR. flags are virConnectFlags. */
    int (*connect_open)(virConnectPtr conn, const parsed_uri *u, virConnectAuthPtr auth,
                        unsigned int flags);
    /* The last reference to conn is going away. */
    int (*connect_close)(virConnectPtr conn);
    /* The id conn's callback cb got for event_id, or -1 (virConnectDomainEventDeregister). */
    int (*connect_domain_event_find)(virConnectPtr conn, int event_id,
                                     virConnectDomainEventGenericCallback cb);

#include "driver-callbacks.h"
};

/* Every driver's table, in the order virConnectOpen offers them a URI; ends with
 * NULL. Tables are built on first use. */
typedef const vm_driver *(*driver_getter)(void);
extern const driver_getter drivers[];
