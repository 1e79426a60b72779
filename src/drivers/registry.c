/* Every driver, in the order virConnectOpen offers them a URI. */
#include "driver.h"
#include "drivers/test/test_driver.h"

const vm_driver *const drivers[] = {
    &test_driver,
    NULL,
};
