/* Checkpoints as the checkpoint-* commands share them: lookup by option, create, parent. */
#include "vmsh-util.h"

/* The checkpoint named by the command's ARG option; NULL when the option is missing
 * or names no checkpoint (reported at once, as virsh does). */
virDomainCheckpointPtr vmsh_checkpoint_lookup(vmsh_ctl *ctl, const vmsh_cmd *cmd,
                                              const char *arg, virDomainPtr dom,
                                              const char **ret_name)
{
    const char *name = NULL;
    virDomainCheckpointPtr chk;

    if (vmsh_opt_string_req(ctl, cmd, arg, &name) < 0)
        return NULL;
    if (!name) {
        vmsh_error(ctl, "--%s is required", arg);
        return NULL;
    }
    if (!(chk = virDomainCheckpointLookupByName(dom, name, 0))) {
        vmsh_report_error(ctl);
        return NULL;
    }
    *ret_name = virDomainCheckpointGetName(chk);
    return chk;
}

/* Creates a checkpoint from XML as checkpoint-create and checkpoint-create-as do;
 * FROM is the file the XML came from (NULL if none). */
bool vmsh_checkpoint_create(vmsh_ctl *ctl, virDomainPtr dom, const char *xml,
                            unsigned int flags, const char *from)
{
    g_autoptr(virDomainCheckpoint) chk = virDomainCheckpointCreateXML(dom, xml, flags);
    const char *name;

    if (!chk)
        return false;
    if (!(name = virDomainCheckpointGetName(chk))) {
        vmsh_error(ctl, "%s", "Could not get checkpoint name");
        return false;
    }
    /* no newline: the blank line after the command ends the message */
    if (from)
        vmsh_print_extra(ctl, "Domain checkpoint %s created from '%s'", name, from);
    else
        vmsh_print_extra(ctl, "Domain checkpoint %s created", name);
    return true;
}

/* The name of CHK's parent in *ret_parent (NULL for a root); -1 on failure
 * (reported, with a line of its own). */
int vmsh_checkpoint_parent(vmsh_ctl *ctl, virDomainCheckpointPtr chk, char **ret_parent)
{
    g_autoptr(virDomainCheckpoint) parent = virDomainCheckpointGetParent(chk, 0);

    *ret_parent = NULL;
    if (parent) {
        *ret_parent = g_strdup(virDomainCheckpointGetName(parent));
    } else if (vmsh_error_code(ctl) != VIR_ERR_NO_DOMAIN_CHECKPOINT) {
        vmsh_report_error(ctl);
        vmsh_error(ctl, "%s", "unable to determine if checkpoint has parent");
        return -1;
    }
    vmsh_reset_error(ctl);
    return 0;
}
