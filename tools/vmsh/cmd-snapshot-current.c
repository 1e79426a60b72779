/* snapshot-current: the current snapshot's name or XML, or making a snapshot current. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "name", .type = VMSH_OT_BOOL, .help = "print only the name, not the XML" },
    { .name = "security-info", .type = VMSH_OT_BOOL,
      .help = "include security-sensitive values in the XML" },
    { .name = "snapshotname", .type = VMSH_OT_STRING,
      .help = "make this snapshot the current one" },
    { .name = NULL },
};

/* Makes NAME current by redefining it from its own XML with CURRENT. */
static bool set_current(vmsh_ctl *ctl, virDomainPtr dom, const char *name)
{
    g_autoptr(virDomainSnapshot) snap = virDomainSnapshotLookupByName(dom, name, 0);
    g_autofree char *xml = NULL;

    if (!snap || !(xml = virDomainSnapshotGetXMLDesc(snap, VIR_DOMAIN_XML_SECURE)))
        return false;
    unsigned int flags = vmsh_snapshot_redefine_flags(
        xml, VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT);
    g_autoptr(virDomainSnapshot) redefined = virDomainSnapshotCreateXML(dom, xml, flags);
    if (!redefined)
        return false;
    vmsh_print_extra(ctl, "Snapshot %s set as current", name);
    return true;
}

/* Prints the current snapshot's name or XML. */
static bool show_current(vmsh_ctl *ctl, const vmsh_cmd *cmd, virDomainPtr dom,
                         const char *domname)
{
    unsigned int flags = vmsh_opt_bool(cmd, "security-info") ? VIR_DOMAIN_XML_SECURE : 0;
    int current = virDomainHasCurrentSnapshot(dom, 0);
    g_autoptr(virDomainSnapshot) snap = NULL;

    if (current < 0)
        return false;
    if (!current) {
        vmsh_error(ctl, "domain '%s' has no current snapshot", domname);
        return false;
    }
    if (!(snap = virDomainSnapshotCurrent(dom, 0)))
        return false;
    if (vmsh_opt_bool(cmd, "name")) {
        const char *name = virDomainSnapshotGetName(snap);
        if (!name)
            return false;
        vmsh_print(ctl, "%s", name);
        return true;
    }
    g_autofree char *xml = virDomainSnapshotGetXMLDesc(snap, flags);
    if (!xml)
        return false;
    vmsh_print(ctl, "%s", xml);
    return true;
}

static bool cmd_snapshot_current(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *domname = NULL, *name = NULL;

    VMSH_EXCLUSIVE("name", "snapshotname");
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, &domname);
    if (!dom)
        return false;
    if (vmsh_opt_string_req(ctl, cmd, "snapshotname", &name) < 0)
        return false;
    if (name)
        return set_current(ctl, dom, name);
    return show_current(ctl, cmd, dom, domname);
}

const vmsh_cmd_def vmsh_cmd_snapshot_current = {
    .name = "snapshot-current",
    .group = "snapshot",
    .summary = "show or set the current snapshot",
    .description = "Prints the current snapshot's XML (or only its name), or with a "
                   "snapshot name makes that snapshot the current one.",
    .opts = opts,
    .handler = cmd_snapshot_current,
};
