/* domid: the ID of a domain given by name or UUID ("-" when it isn't running). */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN("the domain's name or UUID"),
    { .name = NULL },
};

static bool cmd_domid(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    g_autoptr(virDomain) dom = vmsh_opt_domain_by(ctl, cmd, NULL, VMSH_BY_NAME | VMSH_BY_UUID);
    unsigned int id;

    if (!dom)
        return false;
    id = virDomainGetID(dom);
    if (id == (unsigned int)-1)
        vmsh_print(ctl, "%s\n", "-");
    else
        vmsh_print(ctl, "%d\n", (int)id);
    return true;
}

const vmsh_cmd_def vmsh_cmd_domid = {
    .name = "domid",
    .group = "domain",
    .summary = "show the ID of a domain given by name or UUID",
    .opts = opts,
    .handler = cmd_domid,
};
