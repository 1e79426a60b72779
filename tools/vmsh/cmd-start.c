/* start: boots a defined, inactive domain. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN("the inactive domain's name or UUID"),
    { .name = "console", .type = VMSH_OT_BOOL, .help = "attach to its console once started" },
    { .name = "paused", .type = VMSH_OT_BOOL, .help = "leave its CPUs paused" },
    { .name = "autodestroy", .type = VMSH_OT_BOOL,
      .help = "destroy it when this connection closes" },
    { .name = "bypass-cache", .type = VMSH_OT_BOOL,
      .help = "read a saved state without the file system cache" },
    { .name = "force-boot", .type = VMSH_OT_BOOL,
      .help = "boot afresh even if a managed save state exists" },
    { .name = "pass-fds", .type = VMSH_OT_STRING,
      .help = "file descriptors N,M,... to hand to the domain" },
    { .name = "reset-nvram", .type = VMSH_OT_BOOL,
      .help = "recreate its NVRAM from the template" },
    { .name = NULL },
};

static unsigned int start_flags(const vmsh_cmd *cmd)
{
    unsigned int flags = 0;

    if (vmsh_opt_bool(cmd, "paused"))
        flags |= VIR_DOMAIN_START_PAUSED;
    if (vmsh_opt_bool(cmd, "autodestroy"))
        flags |= VIR_DOMAIN_START_AUTODESTROY;
    if (vmsh_opt_bool(cmd, "bypass-cache"))
        flags |= VIR_DOMAIN_START_BYPASS_CACHE;
    if (vmsh_opt_bool(cmd, "force-boot"))
        flags |= VIR_DOMAIN_START_FORCE_BOOT;
    if (vmsh_opt_bool(cmd, "reset-nvram"))
        flags |= VIR_DOMAIN_START_RESET_NVRAM;
    return flags;
}

/* Servers that don't know FORCE_BOOT: drop the managed save image, then start. */
static int force_boot(vmsh_ctl *ctl, virDomainPtr dom, unsigned int *flags)
{
    int rc;

    if (virDomainCreateWithFlags(dom, *flags) == 0)
        return 1;
    rc = vmsh_error_code(ctl);
    if (rc != VIR_ERR_NO_SUPPORT && rc != VIR_ERR_INVALID_ARG) {
        vmsh_report_error(ctl);
        return -1;
    }
    vmsh_reset_error(ctl);
    if (virDomainHasManagedSaveImage(dom, 0) > 0) {
        vmsh_error(ctl, "%s", "cannot remove the managed save image of this domain");
        return -1;
    }
    vmsh_reset_error(ctl);
    *flags &= ~VIR_DOMAIN_START_FORCE_BOOT;
    return 0;
}

static bool cmd_start(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    unsigned int flags = start_flags(cmd);
    int rc;

    g_autoptr(virDomain) dom = vmsh_opt_domain_by(ctl, cmd, NULL, VMSH_BY_NAME | VMSH_BY_UUID);
    if (!dom)
        return false;
    if (virDomainGetID(dom) != (unsigned int)-1) {
        vmsh_error(ctl, "%s", "Domain is already active");
        return false;
    }
    if (!vmsh_pass_fds(ctl, cmd))
        return false;
    rc = (flags & VIR_DOMAIN_START_FORCE_BOOT) ? force_boot(ctl, dom, &flags) : 0;
    if (rc < 0)
        return false;
    if (rc == 0 && (flags ? virDomainCreateWithFlags(dom, flags) : virDomainCreate(dom)) < 0) {
        vmsh_error(ctl, "Failed to start domain '%s'", virDomainGetName(dom));
        return false;
    }
    vmsh_print_extra(ctl, "Domain '%s' started\n", virDomainGetName(dom));
    if (vmsh_opt_bool(cmd, "console") && !vmsh_run_console(ctl, dom))
        return false;
    return true;
}

const vmsh_cmd_def vmsh_cmd_start = {
    .name = "start",
    .group = "domain",
    .summary = "start an inactive domain",
    .description = "Boots a defined domain that isn't running, from its managed save "
                   "state if it has one.",
    .opts = opts,
    .handler = cmd_start,
};
