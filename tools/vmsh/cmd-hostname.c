/* hostname: prints the name of the host the connection reaches. */
#include "vmsh.h"

#include <stdlib.h>

static bool cmd_hostname(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    char *name = virConnectGetHostname(ctl->conn);

    if (!name) {
        vmsh_error(ctl, "%s", "failed to get hostname");
        return false;
    }
    vmsh_print(ctl, "%s\n", name);
    free(name);
    return true;
}

const vmsh_cmd_def vmsh_cmd_hostname = {
    .name = "hostname",
    .group = "host",
    .summary = "show the host's name",
    .handler = cmd_hostname,
};
