/* Every driver, in the order virConnectOpen offers them a URI. */
#include "driver.h"
#include "drivers/qemu/qemu_driver.h"
#include "drivers/test/test_driver.h"

const driver_getter drivers[] = {
    test_driver_get,
    qemu_driver_get,
    NULL,
};
