/* snapshot-delete: a snapshot, its children too, only its children, or only metadata. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "snapshotname", .type = VMSH_OT_STRING, .help = "the snapshot" },
    { .name = "current", .type = VMSH_OT_BOOL, .help = "the current snapshot" },
    { .name = "children", .type = VMSH_OT_BOOL, .help = "the snapshot and all its descendants" },
    { .name = "children-only", .type = VMSH_OT_BOOL,
      .help = "only its descendants, not the snapshot" },
    { .name = "metadata", .type = VMSH_OT_BOOL,
      .help = "only the library's metadata, leaving the snapshot's data behind" },
    { .name = NULL },
};

static bool cmd_snapshot_delete(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    unsigned int flags = 0;
    const char *name = NULL;

    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    g_autoptr(virDomainSnapshot) snap =
        vmsh_snapshot_lookup(ctl, cmd, "snapshotname", true, dom, &name);
    if (!snap)
        return false;
    if (vmsh_opt_bool(cmd, "children"))
        flags |= VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN;
    if (vmsh_opt_bool(cmd, "children-only"))
        flags |= VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY;
    if (vmsh_opt_bool(cmd, "metadata"))
        flags |= VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY;
    if (virDomainSnapshotDelete(snap, flags) < 0) {
        vmsh_error(ctl, "Failed to delete snapshot %s", name);
        return false;
    }
    if (flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)
        vmsh_print_extra(ctl, "Domain snapshot %s children deleted\n", name);
    else
        vmsh_print_extra(ctl, "Domain snapshot %s deleted\n", name);
    return true;
}

const vmsh_cmd_def vmsh_cmd_snapshot_delete = {
    .name = "snapshot-delete",
    .group = "snapshot",
    .summary = "delete a snapshot",
    .opts = opts,
    .handler = cmd_snapshot_delete,
};
