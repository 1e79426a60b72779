/* checkpoint-delete: removes a checkpoint, its children, or only the children. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "checkpointname", .type = VMSH_OT_STRING, .help = "the checkpoint to delete" },
    { .name = "children", .type = VMSH_OT_BOOL, .help = "its descendants too" },
    { .name = "children-only", .type = VMSH_OT_BOOL,
      .help = "only its descendants, not the checkpoint itself" },
    { .name = "metadata", .type = VMSH_OT_BOOL,
      .help = "only the library's record, leaving the disks' bitmaps" },
    { .name = NULL },
};

static bool cmd_checkpoint_delete(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    g_autoptr(virDomainCheckpoint) chk = NULL;
    const char *name = NULL;
    unsigned int flags = 0;

    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    if (!(chk = vmsh_checkpoint_lookup(ctl, cmd, "checkpointname", dom, &name)))
        return false;
    if (vmsh_opt_bool(cmd, "children"))
        flags |= VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN;
    if (vmsh_opt_bool(cmd, "children-only"))
        flags |= VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY;
    if (vmsh_opt_bool(cmd, "metadata"))
        flags |= VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY;
    if (virDomainCheckpointDelete(chk, flags) < 0) {
        vmsh_error(ctl, "Failed to delete checkpoint %s", name);
        return false;
    }
    if (flags & VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY)
        vmsh_print_extra(ctl, "Domain checkpoint %s children deleted\n", name);
    else
        vmsh_print_extra(ctl, "Domain checkpoint %s deleted\n", name);
    return true;
}

const vmsh_cmd_def vmsh_cmd_checkpoint_delete = {
    .name = "checkpoint-delete",
    .group = "checkpoint",
    .summary = "delete a checkpoint",
    .description = "Deletes a checkpoint (with --children its descendants too, with "
                   "--children-only only them); the parent goes on tracking changes.",
    .opts = opts,
    .handler = cmd_checkpoint_delete,
};
