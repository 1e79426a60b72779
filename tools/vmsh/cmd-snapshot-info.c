/* snapshot-info: a snapshot's name, state, location, parent, children and metadata. */
#include "vmsh-util.h"

#include <string.h>
#include <libxml/xpath.h>

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "snapshotname", .type = VMSH_OT_STRING, .help = "the snapshot" },
    { .name = "current", .type = VMSH_OT_BOOL, .help = "the current snapshot" },
    { .name = NULL },
};

/* XPath boolean EXPR: 1, 0, or -1 if it can't be evaluated. */
static int xpath_boolean(xmlXPathContextPtr ctxt, const char *expr)
{
    xmlXPathObjectPtr obj = xmlXPathEval((const xmlChar *)expr, ctxt);
    int ret = -1;

    if (obj && obj->type == XPATH_BOOLEAN)
        ret = obj->boolval != 0;
    xmlXPathFreeObject(obj);
    return ret;
}

/* "external" if the memory or any disk is (or, without <memory>, a disk-only
 * snapshot); -1 if the XML can't tell. */
static int is_external(xmlXPathContextPtr ctxt, const char *state)
{
    switch (xpath_boolean(ctxt, "boolean(/domainsnapshot/memory)")) {
    case 1:
        return xpath_boolean(ctxt, "boolean(/domainsnapshot/memory[@snapshot='external'] "
                                   "| /domainsnapshot/disks/disk[@snapshot='external'])");
    case 0:
        return strcmp(state, "disk-snapshot") == 0;
    default:
        return -1;
    }
}

/* The lines that come from the XML: State, Location, Parent. */
static bool print_xml_fields(vmsh_ctl *ctl, virDomainSnapshotPtr snap)
{
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autoptr(xmlDoc) doc = vmsh_snapshot_xml(ctl, snap, &ctxt);
    g_autofree char *state = NULL;
    g_autofree char *parent = NULL;
    int external;

    if (!doc)
        return false;
    if (!(state = vmsh_xpath_string(ctxt, "string(/domainsnapshot/state)"))) {
        vmsh_error(ctl, "%s", "unexpected problem reading snapshot xml");
        return false;
    }
    vmsh_print(ctl, "%-15s %s\n", "State:", state);
    if ((external = is_external(ctxt, state)) < 0) {
        vmsh_error(ctl, "%s", "unexpected problem reading snapshot xml");
        return false;
    }
    vmsh_print(ctl, "%-15s %s\n", "Location:", external ? "external" : "internal");
    parent = vmsh_xpath_string(ctxt, "string(/domainsnapshot/parent/name)");
    vmsh_print(ctl, "%-15s %s\n", "Parent:", parent ? parent : "-");
    return true;
}

/* Children, Descendants and Metadata. */
static bool print_counts(vmsh_ctl *ctl, virDomainPtr dom, virDomainSnapshotPtr snap)
{
    int count = virDomainSnapshotNumChildren(snap, 0);
    int metadata;

    if (count < 0) {
        if (vmsh_error_code(ctl) != VIR_ERR_NO_SUPPORT)
            return false;
        vmsh_reset_error(ctl);
        return true;
    }
    vmsh_print(ctl, "%-15s %d\n", "Children:", count);
    if ((count = virDomainSnapshotNumChildren(snap, VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS)) < 0)
        return false;
    vmsh_print(ctl, "%-15s %d\n", "Descendants:", count);
    if ((metadata = virDomainSnapshotHasMetadata(snap, 0)) < 0) {
        /* before HasMetadata, snapshots had metadata all or none */
        metadata = virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_METADATA);
        vmsh_reset_error(ctl);
    }
    if (metadata >= 0)
        vmsh_print(ctl, "%-15s %s\n", "Metadata:", metadata ? "yes" : "no");
    return true;
}

static bool cmd_snapshot_info(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *name = NULL;
    int current;

    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    g_autoptr(virDomainSnapshot) snap =
        vmsh_snapshot_lookup(ctl, cmd, "snapshotname", true, dom, &name);
    if (!snap)
        return false;
    vmsh_print(ctl, "%-15s %s\n", "Name:", name);
    vmsh_print(ctl, "%-15s %s\n", "Domain:", virDomainGetName(dom));
    if ((current = virDomainSnapshotIsCurrent(snap, 0)) < 0) {
        vmsh_reset_error(ctl);
        current = 0;
    }
    vmsh_print(ctl, "%-15s %s\n", "Current:", current > 0 ? "yes" : "no");
    return print_xml_fields(ctl, snap) && print_counts(ctl, dom, snap);
}

const vmsh_cmd_def vmsh_cmd_snapshot_info = {
    .name = "snapshot-info",
    .group = "snapshot",
    .summary = "describe a snapshot",
    .description = "Prints a snapshot's name, domain, whether it is current, its state "
                   "and location, its parent, how many children and descendants it has "
                   "and whether the library keeps metadata for it.",
    .opts = opts,
    .handler = cmd_snapshot_info,
};
