/* domuuid: the UUID of a domain given by name or ID. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN("the domain's name or ID"),
    { .name = NULL },
};

static bool cmd_domuuid(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    g_autoptr(virDomain) dom = vmsh_opt_domain_by(ctl, cmd, NULL, VMSH_BY_NAME | VMSH_BY_ID);
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!dom)
        return false;
    if (virDomainGetUUIDString(dom, uuid) != -1)
        vmsh_print(ctl, "%s\n", uuid);
    else
        vmsh_error(ctl, "%s", "failed to get domain UUID");
    return true;
}

const vmsh_cmd_def vmsh_cmd_domuuid = {
    .name = "domuuid",
    .group = "domain",
    .summary = "show the UUID of a domain given by name or ID",
    .opts = opts,
    .handler = cmd_domuuid,
};
