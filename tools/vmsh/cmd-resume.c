/* resume: lets a paused domain run again. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = NULL },
};

static bool cmd_resume(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *name = NULL;
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, &name);

    if (!dom)
        return false;
    if (virDomainResume(dom) != 0) {
        vmsh_error(ctl, "Failed to resume domain '%s'", name);
        return false;
    }
    vmsh_print_extra(ctl, "Domain '%s' resumed\n", name);
    return true;
}

const vmsh_cmd_def vmsh_cmd_resume = {
    .name = "resume",
    .group = "domain",
    .summary = "let a paused domain run again",
    .opts = opts,
    .handler = cmd_resume,
};
