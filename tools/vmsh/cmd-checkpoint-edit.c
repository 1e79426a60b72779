/* checkpoint-edit: a checkpoint's XML in the user's editor, then redefined from it. */
#include "vmsh-util.h"

#include <stdlib.h>
#include <string.h>

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "checkpointname", .type = VMSH_OT_STRING, .help = "the checkpoint to edit" },
    { .name = NULL },
};

typedef struct {
    virDomainPtr dom;
    virDomainCheckpointPtr chk;
    virDomainCheckpointPtr edited;
} edit_state;

static char *get_xml(vmsh_ctl *ctl, void *opaque)
{
    edit_state *st = opaque;
    char *xml = virDomainCheckpointGetXMLDesc(st->chk, VIR_DOMAIN_CHECKPOINT_XML_SECURE);
    char *copy = g_strdup(xml);

    free(xml);
    return copy;
}

static bool define(vmsh_ctl *ctl, const char *xml, void *opaque)
{
    edit_state *st = opaque;

    g_clear_pointer(&st->edited, virDomainCheckpointFree);
    st->edited = virDomainCheckpointCreateXML(st->dom, xml, VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE);
    return st->edited != NULL;
}

static const vmsh_edit_ops ops = { .get_xml = get_xml, .define = define };

/* After a redefinition: a new name made a second checkpoint, which is taken back. */
static bool check_name(vmsh_ctl *ctl, const char *name, virDomainCheckpointPtr edited)
{
    const char *edited_name = virDomainCheckpointGetName(edited);

    if (strcmp(name, edited_name) == 0) {
        vmsh_print_extra(ctl, "Checkpoint %s edited.\n", name);
        return true;
    }
    if (virDomainCheckpointDelete(edited, VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY) < 0) {
        vmsh_report_error(ctl);
        vmsh_error(ctl, "Failed to clean up %s", edited_name);
        return false;
    }
    vmsh_error(ctl, "Cannot rename checkpoint %s to %s", name, edited_name);
    return false;
}

static bool cmd_checkpoint_edit(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    edit_state st = { 0 };
    const char *name = NULL;
    bool ok = false;
    int rc;

    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    st.dom = dom;
    if (!(st.chk = vmsh_checkpoint_lookup(ctl, cmd, "checkpointname", dom, &name)))
        return false;
    rc = vmsh_edit(ctl, &ops, &st);
    if (rc == 0) {
        vmsh_print_extra(ctl, "Checkpoint %s XML configuration not changed.\n", name);
        ok = true;
    } else if (rc > 0) {
        ok = check_name(ctl, name, st.edited);
    }
    if (!ok)
        vmsh_error(ctl, "Failed to update %s", name); /* any library error follows */
    if (st.edited)
        virDomainCheckpointFree(st.edited);
    virDomainCheckpointFree(st.chk);
    return ok;
}

const vmsh_cmd_def vmsh_cmd_checkpoint_edit = {
    .name = "checkpoint-edit",
    .group = "checkpoint",
    .summary = "edit a checkpoint's XML in an editor",
    .description = "Opens a checkpoint's XML in $VISUAL or $EDITOR (vi by default) and "
                   "redefines the checkpoint from the result; its name can't change.",
    .opts = opts,
    .handler = cmd_checkpoint_edit,
};
