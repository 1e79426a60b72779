/* checkpoint-parent: the name of a checkpoint's parent. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "checkpointname", .type = VMSH_OT_STRING,
      .help = "the checkpoint whose parent to print" },
    { .name = NULL },
};

static bool cmd_checkpoint_parent(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    g_autoptr(virDomainCheckpoint) chk = NULL;
    g_autofree char *parent = NULL;
    const char *name = NULL;

    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    if (!(chk = vmsh_checkpoint_lookup(ctl, cmd, "checkpointname", dom, &name)))
        return false;
    if (vmsh_checkpoint_parent(ctl, chk, &parent) < 0)
        return false;
    if (!parent) {
        vmsh_error(ctl, "checkpoint '%s' has no parent", name);
        return false;
    }
    vmsh_print(ctl, "%s", parent); /* no newline, as virsh */
    return true;
}

const vmsh_cmd_def vmsh_cmd_checkpoint_parent = {
    .name = "checkpoint-parent",
    .group = "checkpoint",
    .summary = "print the name of a checkpoint's parent",
    .description = "Prints the name of the checkpoint a checkpoint was taken after.",
    .opts = opts,
    .handler = cmd_checkpoint_parent,
};
