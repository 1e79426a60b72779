/* Every driver, in the order virConnectOpen offers them a URI. */
#include "driver.h"
#include "drivers/qemu/qemu_driver.h"
#include "drivers/remote/remote_driver.h"
#include "drivers/test/test_driver.h"

/* The remote driver comes first: it takes only URIs with a transport, a socket or
 * the daemon's hosts, which the in-process drivers would otherwise refuse. */
const driver_getter drivers[] = {
    remote_driver_get,
    test_driver_get,
    qemu_driver_get,
    NULL,
};
