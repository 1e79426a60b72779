/* destroy: stops a domain at once, like pulling its plug. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "graceful", .type = VMSH_OT_BOOL,
      .help = "give the hypervisor's process time to end by itself" },
    { .name = "remove-logs", .type = VMSH_OT_BOOL, .help = "also remove the domain's logs" },
    { .name = NULL },
};

static bool cmd_destroy(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *name = NULL;
    unsigned int flags = 0;
    int rc;

    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, &name);
    if (!dom)
        return false;
    if (vmsh_opt_bool(cmd, "graceful"))
        flags |= VIR_DOMAIN_DESTROY_GRACEFUL;
    if (vmsh_opt_bool(cmd, "remove-logs"))
        flags |= VIR_DOMAIN_DESTROY_REMOVE_LOGS;
    rc = flags ? virDomainDestroyFlags(dom, flags) : virDomainDestroy(dom);
    if (rc != 0) {
        vmsh_error(ctl, "Failed to destroy domain '%s'", name);
        return false;
    }
    vmsh_print_extra(ctl, "Domain '%s' destroyed\n", name);
    return true;
}

const vmsh_cmd_def vmsh_cmd_destroy = {
    .name = "destroy",
    .group = "domain",
    .summary = "stop a domain at once",
    .description = "Stops a domain immediately, as if its power were cut; its definition "
                   "and disks stay.",
    .opts = opts,
    .handler = cmd_destroy,
};
