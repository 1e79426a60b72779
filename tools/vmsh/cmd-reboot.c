/* reboot: asks a domain's guest to restart. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "mode", .type = VMSH_OT_STRING,
      .help = "how to ask, comma-separated: acpi, agent, initctl, signal, paravirt" },
    { .name = NULL },
};

static bool cmd_reboot(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *name = NULL;
    unsigned int flags;

    if (!vmsh_shutdown_modes(ctl, cmd, true, &flags))
        return false;
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, &name);
    if (!dom)
        return false;
    if (virDomainReboot(dom, flags) != 0) {
        vmsh_error(ctl, "Failed to reboot domain '%s'", name);
        return false;
    }
    vmsh_print_extra(ctl, "Domain '%s' is being rebooted\n", name);
    return true;
}

const vmsh_cmd_def vmsh_cmd_reboot = {
    .name = "reboot",
    .group = "domain",
    .summary = "ask a domain to restart",
    .opts = opts,
    .handler = cmd_reboot,
};
