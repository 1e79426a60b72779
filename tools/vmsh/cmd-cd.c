/* cd: changes the shell's working directory (interactive shells only). */
#include "vmsh.h"

#include <errno.h>
#include <unistd.h>

static const vmsh_opt_def opts[] = {
    { .name = "dir", .type = VMSH_OT_STRING,
      .help = "the directory to change to (the home directory if left out)" },
    { .name = NULL },
};

static bool cmd_cd(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *dir = NULL;

    if (!ctl->imode) {
        vmsh_error(ctl, "%s", "cd: command valid only in interactive mode");
        return false;
    }
    if (vmsh_opt_string_quiet(cmd, "dir", &dir) <= 0)
        dir = g_get_home_dir();
    if (!dir)
        dir = "/";
    if (chdir(dir) == -1) {
        vmsh_error(ctl, "cd: %s: %s", g_strerror(errno), dir);
        return false;
    }
    return true;
}

const vmsh_cmd_def vmsh_cmd_cd = {
    .name = "cd",
    .group = "vmsh",
    .summary = "change the working directory",
    .opts = opts,
    .handler = cmd_cd,
    .flags = VMSH_CMD_NOCONNECT,
};
