/* exit: the same as quit. */
#include "vmsh.h"

static bool cmd_exit(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    ctl->imode = false;
    return true;
}

const vmsh_cmd_def vmsh_cmd_exit = {
    .name = "exit",
    .group = "vmsh",
    .summary = "leave the shell",
    .handler = cmd_exit,
    .flags = VMSH_CMD_NOCONNECT,
};
