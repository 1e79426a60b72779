/* uri: prints the canonical URI of the connection. */
#include "vmsh.h"

#include <stdlib.h>

static bool cmd_uri(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    char *uri = virConnectGetURI(ctl->conn);

    if (!uri) {
        vmsh_error(ctl, "%s", "failed to get URI");
        return false;
    }
    vmsh_print(ctl, "%s\n", uri);
    free(uri);
    return true;
}

const vmsh_cmd_def vmsh_cmd_uri = {
    .name = "uri",
    .group = "host",
    .summary = "show the URI of the connection",
    .handler = cmd_uri,
};
