/* Snapshots as the snapshot-* commands share them: lookup, create, parent, XML fields. */
#include "vmsh-util.h"

#include <stdlib.h>
#include <string.h>

/* The snapshot named by the command's ARG option, or the current one with --current.
 * EXCLUSIVE: both together is an error. NULL when it fails (reported). */
virDomainSnapshotPtr vmsh_snapshot_lookup(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *arg,
                                          bool exclusive, virDomainPtr dom,
                                          const char **ret_name)
{
    bool current = vmsh_opt_bool(cmd, "current");
    const char *name = NULL;
    virDomainSnapshotPtr snap;

    if (vmsh_opt_string_req(ctl, cmd, arg, &name) < 0)
        return NULL;
    if (exclusive && current && name) {
        vmsh_error(ctl, "--%s and --current are mutually exclusive", arg);
        return NULL;
    }
    if (name) {
        snap = virDomainSnapshotLookupByName(dom, name, 0);
    } else if (current) {
        snap = virDomainSnapshotCurrent(dom, 0);
    } else {
        vmsh_error(ctl, "--%s or --current is required", arg);
        return NULL;
    }
    if (!snap) {
        vmsh_report_error(ctl);
        return NULL;
    }
    *ret_name = virDomainSnapshotGetName(snap);
    return snap;
}

/* Halting emulated for servers that refuse HALT with INVALID_ARG: the snapshot is
 * taken without it and an active persistent domain is destroyed afterwards. */
static virDomainSnapshotPtr create_emulating_halt(vmsh_ctl *ctl, virDomainPtr dom,
                                                  const char *xml, unsigned int flags,
                                                  bool *ret_halt)
{
    int persistent;

    vmsh_reset_error(ctl);
    if ((persistent = virDomainIsPersistent(dom)) < 0) {
        vmsh_report_error(ctl);
        return NULL;
    }
    if (!persistent) {
        vmsh_error(ctl, "%s", "cannot halt after snapshot of transient domain");
        return NULL;
    }
    *ret_halt = virDomainIsActive(dom) == 1;
    return virDomainSnapshotCreateXML(dom, xml, flags & ~VIR_DOMAIN_SNAPSHOT_CREATE_HALT);
}

/* Creates a snapshot from XML as snapshot-create and snapshot-create-as do, with
 * virsh's retries; FROM is the file the XML came from (NULL if none). */
bool vmsh_snapshot_create(vmsh_ctl *ctl, virDomainPtr dom, const char *xml, unsigned int flags,
                          const char *from)
{
    virDomainSnapshotPtr snap = virDomainSnapshotCreateXML(dom, xml, flags);
    bool halt = false;
    const char *name;

    if (!snap && vmsh_error_code(ctl) == VIR_ERR_NO_SUPPORT && !from) {
        /* a server that doesn't know VALIDATE */
        flags &= ~VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE;
        snap = virDomainSnapshotCreateXML(dom, xml, flags);
    }
    if (!snap && vmsh_error_code(ctl) == VIR_ERR_INVALID_ARG &&
        (flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT))
        snap = create_emulating_halt(ctl, dom, xml, flags, &halt);
    if (!snap)
        return false;
    g_autoptr(virDomainSnapshot) owned = snap;
    if (halt && virDomainDestroy(dom) < 0) {
        vmsh_report_error(ctl);
        return false;
    }
    if (!(name = virDomainSnapshotGetName(snap))) {
        vmsh_error(ctl, "%s", "Could not get snapshot name");
        return false;
    }
    if (from)
        vmsh_print_extra(ctl, "Domain snapshot %s created from '%s'", name, from);
    else
        vmsh_print_extra(ctl, "Domain snapshot %s created", name);
    return true;
}

/* The name of SNAP's parent in *ret_parent (NULL for a root); -1 on failure
 * (reported, with a line of its own). */
int vmsh_snapshot_parent(vmsh_ctl *ctl, virDomainSnapshotPtr snap, char **ret_parent)
{
    g_autoptr(virDomainSnapshot) parent = virDomainSnapshotGetParent(snap, 0);

    *ret_parent = NULL;
    if (parent) {
        *ret_parent = g_strdup(virDomainSnapshotGetName(parent));
    } else if (vmsh_error_code(ctl) != VIR_ERR_NO_DOMAIN_SNAPSHOT) {
        vmsh_report_error(ctl);
        vmsh_error(ctl, "%s", "unable to determine if snapshot has parent");
        return -1;
    }
    vmsh_reset_error(ctl);
    return 0;
}

/* SNAP's XML (flags 0) parsed, with an XPath context on its root; NULL (error kept)
 * if it can't be had. */
xmlDocPtr vmsh_snapshot_xml(vmsh_ctl *ctl, virDomainSnapshotPtr snap,
                            xmlXPathContextPtr *ret_ctxt)
{
    g_autofree char *xml = virDomainSnapshotGetXMLDesc(snap, 0);

    if (!xml)
        return NULL;
    return vmsh_xml_parse(ctl, xml, "(domain_snapshot)", ret_ctxt);
}

/* The create flags of the options in VMSH_SNAPSHOT_CREATE_OPTS. */
unsigned int vmsh_snapshot_create_flags(const vmsh_cmd *cmd)
{
    static const struct { const char *opt; unsigned int flag; } flag_opts[] = {
        { "no-metadata", VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA },
        { "halt", VIR_DOMAIN_SNAPSHOT_CREATE_HALT },
        { "disk-only", VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY },
        { "reuse-external", VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT },
        { "quiesce", VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE },
        { "atomic", VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC },
        { "live", VIR_DOMAIN_SNAPSHOT_CREATE_LIVE },
        { "validate", VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE },
    };
    unsigned int flags = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(flag_opts); i++) {
        if (vmsh_opt_bool(cmd, flag_opts[i].opt))
            flags |= flag_opts[i].flag;
    }
    return flags;
}

/* The flags to redefine a snapshot from XML the library gave: DISK_ONLY is needed
 * for a disk-only snapshot. */
unsigned int vmsh_snapshot_redefine_flags(const char *xml, unsigned int flags)
{
    if (strstr(xml, "<state>disk-snapshot</state>"))
        flags |= VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY;
    return flags;
}
