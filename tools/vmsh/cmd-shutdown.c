/* shutdown: asks a domain's guest to power off. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "mode", .type = VMSH_OT_STRING,
      .help = "how to ask, comma-separated: acpi, agent, initctl, signal, paravirt" },
    { .name = NULL },
};

static bool cmd_shutdown(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *name = NULL;
    unsigned int flags;
    int rc;

    if (!vmsh_shutdown_modes(ctl, cmd, false, &flags))
        return false;
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, &name);
    if (!dom)
        return false;
    rc = flags ? virDomainShutdownFlags(dom, flags) : virDomainShutdown(dom);
    if (rc != 0) {
        vmsh_error(ctl, "Failed to shutdown domain '%s'", name);
        return false;
    }
    vmsh_print_extra(ctl, "Domain '%s' is being shutdown\n", name);
    return true;
}

const vmsh_cmd_def vmsh_cmd_shutdown = {
    .name = "shutdown",
    .group = "domain",
    .summary = "ask a domain to power off",
    .description = "Asks the guest to shut down; it stops when the guest has done so.",
    .opts = opts,
    .handler = cmd_shutdown,
};
