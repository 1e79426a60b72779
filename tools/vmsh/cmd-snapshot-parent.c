/* snapshot-parent: the name of a snapshot's parent. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "snapshotname", .type = VMSH_OT_STRING, .help = "the snapshot" },
    { .name = "current", .type = VMSH_OT_BOOL, .help = "the current snapshot" },
    { .name = NULL },
};

static bool cmd_snapshot_parent(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *name = NULL;
    g_autofree char *parent = NULL;

    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    g_autoptr(virDomainSnapshot) snap =
        vmsh_snapshot_lookup(ctl, cmd, "snapshotname", true, dom, &name);
    if (!snap || vmsh_snapshot_parent(ctl, snap, &parent) < 0)
        return false;
    if (!parent) {
        vmsh_error(ctl, "snapshot '%s' has no parent", name);
        return false;
    }
    vmsh_print(ctl, "%s", parent);
    return true;
}

const vmsh_cmd_def vmsh_cmd_snapshot_parent = {
    .name = "snapshot-parent",
    .group = "snapshot",
    .summary = "print a snapshot's parent",
    .opts = opts,
    .handler = cmd_snapshot_parent,
};
