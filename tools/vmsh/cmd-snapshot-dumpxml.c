/* snapshot-dumpxml: a snapshot's XML, or the parts of it an XPath expression selects. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "snapshotname", .type = VMSH_OT_DATA, .flags = VMSH_OF_REQ,
      .help = "the snapshot" },
    { .name = "security-info", .type = VMSH_OT_BOOL,
      .help = "include security-sensitive values such as passwords" },
    { .name = "xpath", .type = VMSH_OT_STRING, .flags = VMSH_OF_REQ_OPT,
      .help = "print only the nodes this XPath expression selects" },
    { .name = "wrap", .type = VMSH_OT_BOOL,
      .help = "put the selected nodes in one <nodes> element" },
    { .name = NULL },
};

static bool cmd_snapshot_dumpxml(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    unsigned int flags = vmsh_opt_bool(cmd, "security-info") ? VIR_DOMAIN_XML_SECURE : 0;
    const char *name = NULL, *xpath = NULL;

    if (vmsh_opt_string_req(ctl, cmd, "snapshotname", &name) < 0)
        return false;
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    g_autoptr(virDomainSnapshot) snap = virDomainSnapshotLookupByName(dom, name, 0);
    if (!snap)
        return false;
    if (vmsh_opt_string_quiet(cmd, "xpath", &xpath) < 0)
        return false;
    g_autofree char *xml = virDomainSnapshotGetXMLDesc(snap, flags);
    if (!xml)
        return false;
    return vmsh_dump_xml(ctl, xml, "domain-snapshot", xpath, vmsh_opt_bool(cmd, "wrap"));
}

const vmsh_cmd_def vmsh_cmd_snapshot_dumpxml = {
    .name = "snapshot-dumpxml",
    .group = "snapshot",
    .summary = "print a snapshot's XML",
    .description = "Prints the XML description of a snapshot, or with --xpath only the "
                   "nodes an XPath expression selects.",
    .opts = opts,
    .handler = cmd_snapshot_dumpxml,
};
