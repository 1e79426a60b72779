/* connect: closes the current connection and opens another (or the same again). */
#include "vmsh.h"

static const vmsh_opt_def opts[] = {
    { .name = "name", .type = VMSH_OT_STRING, .flags = VMSH_OF_EMPTY_OK,
      .help = "the URI to connect to (the current one if left out)" },
    { .name = "readonly", .type = VMSH_OT_BOOL, .help = "open the connection read-only" },
    { .name = NULL },
};

static bool cmd_connect(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *name = NULL;

    if (vmsh_opt_string_req(ctl, cmd, "name", &name) < 0)
        return false;
    return vmsh_connect(ctl, name, vmsh_opt_bool(cmd, "readonly"), true) == 0;
}

const vmsh_cmd_def vmsh_cmd_connect = {
    .name = "connect",
    .group = "vmsh",
    .summary = "connect to a host, or reconnect",
    .description = "Closes the connection the shell has and opens one to the given URI, "
                   "or to the same URI again when none is given.",
    .opts = opts,
    .handler = cmd_connect,
    .flags = VMSH_CMD_NOCONNECT,
};
