/* suspend: pauses a running domain. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = NULL },
};

static bool cmd_suspend(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *name = NULL;
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, &name);

    if (!dom)
        return false;
    if (virDomainSuspend(dom) != 0) {
        vmsh_error(ctl, "Failed to suspend domain '%s'", name);
        return false;
    }
    vmsh_print_extra(ctl, "Domain '%s' suspended\n", name);
    return true;
}

const vmsh_cmd_def vmsh_cmd_suspend = {
    .name = "suspend",
    .group = "domain",
    .summary = "pause a running domain",
    .opts = opts,
    .handler = cmd_suspend,
};
