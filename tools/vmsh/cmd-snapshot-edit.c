/* snapshot-edit: a snapshot's XML in the user's editor, redefined, renamed or cloned. */
#include "vmsh-util.h"

#include <string.h>

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "snapshotname", .type = VMSH_OT_STRING, .help = "the snapshot to edit" },
    { .name = "current", .type = VMSH_OT_BOOL,
      .help = "edit the current snapshot, or with a name make the edited one current" },
    { .name = "rename", .type = VMSH_OT_BOOL, .help = "allow a new name: rename the snapshot" },
    { .name = "clone", .type = VMSH_OT_BOOL, .help = "allow a new name: copy the snapshot" },
    { .name = NULL },
};

typedef struct {
    virDomainPtr dom;
    virDomainSnapshotPtr snap;
    virDomainSnapshotPtr edited;
    unsigned int define_flags;
    char *last_xml; /* what get_xml gave last: the XML the edit started from */
} edit_state;

static char *get_xml(vmsh_ctl *ctl, void *opaque)
{
    edit_state *st = opaque;
    g_autofree char *xml = virDomainSnapshotGetXMLDesc(st->snap, VIR_DOMAIN_XML_SECURE);

    if (!xml)
        return NULL;
    g_free(st->last_xml);
    st->last_xml = g_strdup(xml);
    return g_steal_pointer(&xml);
}

static bool define(vmsh_ctl *ctl, const char *xml, void *opaque)
{
    edit_state *st = opaque;

    /* a disk-only snapshot must be redefined as one; the flag stays once set */
    st->define_flags = vmsh_snapshot_redefine_flags(st->last_xml, st->define_flags);
    if (st->edited)
        virDomainSnapshotFree(st->edited);
    st->edited = virDomainSnapshotCreateXML(st->dom, xml, st->define_flags);
    return st->edited != NULL;
}

/* With a name and --current, even an unchanged file is redefined (to make it current). */
static bool define_unchanged(void *opaque)
{
    edit_state *st = opaque;

    return (st->define_flags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT) != 0;
}

static const vmsh_edit_ops ops = {
    .get_xml = get_xml, .define = define, .define_unchanged = define_unchanged,
};

/* After a redefinition under another name: keep both (clone), drop the old one
 * (rename) or undo it. */
static bool settle_name(vmsh_ctl *ctl, const vmsh_cmd *cmd, edit_state *st, const char *name)
{
    const char *edited_name = virDomainSnapshotGetName(st->edited);
    bool rename = vmsh_opt_bool(cmd, "rename");

    if (strcmp(name, edited_name) == 0) {
        vmsh_print_extra(ctl, "Snapshot %s edited.\n", name);
        return true;
    }
    if (vmsh_opt_bool(cmd, "clone")) {
        vmsh_print_extra(ctl, "Snapshot %s cloned to %s.\n", name, edited_name);
        return true;
    }
    if (virDomainSnapshotDelete(rename ? st->snap : st->edited,
                                VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY) < 0) {
        vmsh_report_error(ctl);
        vmsh_error(ctl, "Failed to clean up %s", rename ? name : edited_name);
        return false;
    }
    if (!rename) {
        vmsh_error(ctl, "Must use --rename or --clone to change %s to %s", name, edited_name);
        return false;
    }
    return true;
}

static bool edit_snapshot(vmsh_ctl *ctl, const vmsh_cmd *cmd, edit_state *st)
{
    const char *name = NULL;
    int rc;

    if (!(st->dom = vmsh_opt_domain(ctl, cmd, NULL)))
        return false;
    if (!(st->snap = vmsh_snapshot_lookup(ctl, cmd, "snapshotname", false, st->dom, &name)))
        return false;
    rc = vmsh_edit(ctl, &ops, st);
    if (rc == 0) {
        vmsh_print_extra(ctl, "Snapshot %s XML configuration not changed.\n", name);
        return true;
    }
    if (rc > 0 && settle_name(ctl, cmd, st, name))
        return true;
    vmsh_error(ctl, "Failed to update %s", name);
    return false;
}

static bool cmd_snapshot_edit(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    edit_state st = { .define_flags = VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE };
    bool ok;

    VMSH_EXCLUSIVE("rename", "clone");
    if (vmsh_opt_bool(cmd, "current") && vmsh_opt_bool(cmd, "snapshotname"))
        st.define_flags |= VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT;
    ok = edit_snapshot(ctl, cmd, &st);
    if (st.edited)
        virDomainSnapshotFree(st.edited);
    if (st.snap)
        virDomainSnapshotFree(st.snap);
    if (st.dom)
        virDomainFree(st.dom);
    g_free(st.last_xml);
    return ok;
}

const vmsh_cmd_def vmsh_cmd_snapshot_edit = {
    .name = "snapshot-edit",
    .group = "snapshot",
    .summary = "edit a snapshot's XML in an editor",
    .description = "Opens the snapshot's XML in $VISUAL or $EDITOR (vi by default) and "
                   "redefines the snapshot from the result; a changed name needs "
                   "--rename or --clone.",
    .opts = opts,
    .handler = cmd_snapshot_edit,
};
