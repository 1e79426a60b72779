/* snapshot-revert: a domain back to a snapshot, forcing risky reverts only when asked. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "snapshotname", .type = VMSH_OT_STRING, .help = "the snapshot" },
    { .name = "current", .type = VMSH_OT_BOOL, .help = "the current snapshot" },
    { .name = "running", .type = VMSH_OT_BOOL, .help = "leave the domain running" },
    { .name = "paused", .type = VMSH_OT_BOOL, .help = "leave the domain paused" },
    { .name = "force", .type = VMSH_OT_BOOL, .help = "go ahead with a risky revert" },
    { .name = "reset-nvram", .type = VMSH_OT_BOOL,
      .help = "start the NVRAM afresh from its template" },
    { .name = NULL },
};

static bool cmd_snapshot_revert(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    unsigned int flags = 0;
    const char *name = NULL;
    int rc;

    if (vmsh_opt_bool(cmd, "running"))
        flags |= VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING;
    if (vmsh_opt_bool(cmd, "paused"))
        flags |= VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED;
    if (vmsh_opt_bool(cmd, "reset-nvram"))
        flags |= VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM;
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    g_autoptr(virDomainSnapshot) snap =
        vmsh_snapshot_lookup(ctl, cmd, "snapshotname", true, dom, &name);
    if (!snap)
        return false;
    /* FORCE only when the revert says it is needed, so that servers without the flag
     * still revert */
    rc = virDomainRevertToSnapshot(snap, flags);
    if (rc < 0 && vmsh_opt_bool(cmd, "force") &&
        vmsh_error_code(ctl) == VIR_ERR_SNAPSHOT_REVERT_RISKY) {
        vmsh_reset_error(ctl);
        rc = virDomainRevertToSnapshot(snap, flags | VIR_DOMAIN_SNAPSHOT_REVERT_FORCE);
    }
    if (rc < 0) {
        vmsh_error(ctl, "Failed to revert snapshot %s", name);
        return false;
    }
    vmsh_print_extra(ctl, "Domain snapshot %s reverted\n", name);
    return true;
}

const vmsh_cmd_def vmsh_cmd_snapshot_revert = {
    .name = "snapshot-revert",
    .group = "snapshot",
    .summary = "revert a domain to a snapshot",
    .opts = opts,
    .handler = cmd_snapshot_revert,
};
