/* quit: leaves the interactive shell; the rest of the line isn't run. */
#include "vmsh.h"

static bool cmd_quit(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    ctl->imode = false;
    return true;
}

const vmsh_cmd_def vmsh_cmd_quit = {
    .name = "quit",
    .group = "vmsh",
    .summary = "leave the shell",
    .handler = cmd_quit,
    .flags = VMSH_CMD_NOCONNECT,
};
