/* pwd: prints the shell's working directory. */
#include "vmsh.h"

static bool cmd_pwd(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    g_autofree char *cwd = g_get_current_dir();

    vmsh_print(ctl, "%s\n", cwd);
    return true;
}

const vmsh_cmd_def vmsh_cmd_pwd = {
    .name = "pwd",
    .group = "vmsh",
    .summary = "show the working directory",
    .handler = cmd_pwd,
    .flags = VMSH_CMD_NOCONNECT,
};
