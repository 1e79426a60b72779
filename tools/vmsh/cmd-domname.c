/* domname: the name of a domain given by ID or UUID. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN("the domain's ID or UUID"),
    { .name = NULL },
};

static bool cmd_domname(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    g_autoptr(virDomain) dom = vmsh_opt_domain_by(ctl, cmd, NULL, VMSH_BY_ID | VMSH_BY_UUID);

    if (!dom)
        return false;
    vmsh_print(ctl, "%s\n", virDomainGetName(dom));
    return true;
}

const vmsh_cmd_def vmsh_cmd_domname = {
    .name = "domname",
    .group = "domain",
    .summary = "show the name of a domain given by ID or UUID",
    .opts = opts,
    .handler = cmd_domname,
};
