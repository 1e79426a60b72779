/* checkpoint-info: a checkpoint's name, domain, parent and numbers of children. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "checkpointname", .type = VMSH_OT_STRING, .help = "the checkpoint" },
    { .name = NULL },
};

static bool print_counts(vmsh_ctl *ctl, virDomainCheckpointPtr chk)
{
    int count = virDomainCheckpointListAllChildren(chk, NULL, 0);

    if (count < 0) {
        /* a server without the call: the rest is left out */
        if (vmsh_error_code(ctl) == VIR_ERR_NO_SUPPORT) {
            vmsh_reset_error(ctl);
            return true;
        }
        return false;
    }
    vmsh_print(ctl, "%-15s %d\n", "Children:", count);
    count = virDomainCheckpointListAllChildren(chk, NULL, VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS);
    if (count < 0)
        return false;
    vmsh_print(ctl, "%-15s %d\n", "Descendants:", count);
    return true;
}

static bool cmd_checkpoint_info(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    g_autoptr(virDomainCheckpoint) chk = NULL;
    g_autofree char *parent = NULL;
    const char *name = NULL;

    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    if (!(chk = vmsh_checkpoint_lookup(ctl, cmd, "checkpointname", dom, &name)))
        return false;
    vmsh_print(ctl, "%-15s %s\n", "Name:", name);
    vmsh_print(ctl, "%-15s %s\n", "Domain:", virDomainGetName(dom));
    if (vmsh_checkpoint_parent(ctl, chk, &parent) < 0) {
        vmsh_error(ctl, "%s", "unexpected problem querying checkpoint state");
        return false;
    }
    vmsh_print(ctl, "%-15s %s\n", "Parent:", parent ? parent : "-");
    return print_counts(ctl, chk);
}

const vmsh_cmd_def vmsh_cmd_checkpoint_info = {
    .name = "checkpoint-info",
    .group = "checkpoint",
    .summary = "show a checkpoint's place in the tree",
    .description = "Prints a checkpoint's name, domain and parent and how many children "
                   "and descendants it has.",
    .opts = opts,
    .handler = cmd_checkpoint_info,
};
