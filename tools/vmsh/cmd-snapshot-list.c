/* snapshot-list: a domain's snapshots as a table, names or a tree, with virsh's filters. */
#include "moment-list.h"

#include <stdlib.h>

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "parent", .type = VMSH_OT_BOOL, .help = "add a column with each parent" },
    { .name = "roots", .type = VMSH_OT_BOOL, .help = "only snapshots without a parent" },
    { .name = "leaves", .type = VMSH_OT_BOOL, .help = "only snapshots without children" },
    { .name = "no-leaves", .type = VMSH_OT_BOOL, .help = "only snapshots with children" },
    { .name = "metadata", .type = VMSH_OT_BOOL,
      .help = "only snapshots with metadata (which would prevent undefine)" },
    { .name = "no-metadata", .type = VMSH_OT_BOOL,
      .help = "only snapshots without metadata kept by the library" },
    { .name = "inactive", .type = VMSH_OT_BOOL, .help = "only snapshots of a shut-off domain" },
    { .name = "active", .type = VMSH_OT_BOOL,
      .help = "only snapshots of an active domain (full system snapshots)" },
    { .name = "disk-only", .type = VMSH_OT_BOOL, .help = "only disk-only snapshots" },
    { .name = "internal", .type = VMSH_OT_BOOL, .help = "only internal snapshots" },
    { .name = "external", .type = VMSH_OT_BOOL, .help = "only external snapshots" },
    { .name = "tree", .type = VMSH_OT_BOOL, .help = "draw the snapshots as a tree" },
    { .name = "from", .type = VMSH_OT_STRING, .help = "only the children of this snapshot" },
    { .name = "current", .type = VMSH_OT_BOOL,
      .help = "only the children of the current snapshot" },
    { .name = "descendants", .type = VMSH_OT_BOOL,
      .help = "with --from or --current: all descendants, not only children" },
    { .name = "name", .type = VMSH_OT_BOOL, .help = "print only the names" },
    { .name = "topological", .type = VMSH_OT_BOOL,
      .help = "parents before children instead of by name" },
    { .name = NULL },
};

/* ---- the kind's functions, for moment-list.c ---- */

static const char *snap_name(void *snap)
{
    return virDomainSnapshotGetName(snap);
}

static void snap_ref(void *snap)
{
    virDomainSnapshotRef(snap);
}

static void snap_free(void *snap)
{
    virDomainSnapshotFree(snap);
}

static char *snap_xml(void *snap)
{
    return virDomainSnapshotGetXMLDesc(snap, 0);
}

static int snap_parent(vmsh_ctl *ctl, void *snap, char **ret_parent)
{
    return vmsh_snapshot_parent(ctl, snap, ret_parent);
}

/* A failure is kept for the shell to report. */
static int snap_list(vmsh_ctl *ctl G_GNUC_UNUSED, virDomainPtr dom, void *from,
                     unsigned int flags, GPtrArray *list)
{
    virDomainSnapshotPtr *snaps = NULL;
    int count = from ? virDomainSnapshotListAllChildren(from, &snaps, flags)
                     : virDomainListAllSnapshots(dom, &snaps, flags);

    if (count < 0)
        return -1;
    for (int i = 0; i < count; i++)
        g_ptr_array_add(list, snaps[i]);
    free(snaps);
    return 0;
}

static void *snap_start(vmsh_ctl *ctl, const vmsh_cmd *cmd, virDomainPtr dom)
{
    const char *name;

    return vmsh_snapshot_lookup(ctl, cmd, "from", true, dom, &name);
}

static const vmsh_moment_kind snapshots = {
    .start_opts = (const char *const[]){ "from", "current", NULL },
    .descendants_error = "--descendants requires either --from or --current",
    /* in virsh's order of checking */
    .filters = (const vmsh_moment_flag[]){
        { "leaves", VIR_DOMAIN_SNAPSHOT_LIST_LEAVES },
        { "no-leaves", VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES },
        { "inactive", VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE },
        { "active", VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE },
        { "disk-only", VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY },
        { "internal", VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL },
        { "external", VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL },
        { NULL },
    },
    .flags = (const vmsh_moment_flag[]){
        { "topological", VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL },
        { "roots", VIR_DOMAIN_SNAPSHOT_LIST_ROOTS },
        { "metadata", VIR_DOMAIN_SNAPSHOT_LIST_METADATA },
        { "no-metadata", VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA },
        { "descendants", VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS },
        { NULL },
    },
    .topological = VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL,
    .xml_url = "(domain_snapshot)",
    .parent_xpath = "string(/domainsnapshot/parent/name)",
    .time_xpath = "string(/domainsnapshot/creationTime)",
    .state_xpath = "string(/domainsnapshot/state)",
    .name = snap_name,
    .ref = snap_ref,
    .free = snap_free,
    .xml = snap_xml,
    .parent = snap_parent,
    .list = snap_list,
    .start = snap_start,
};

static bool cmd_snapshot_list(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    return vmsh_moment_list(ctl, cmd, &snapshots);
}

const vmsh_cmd_def vmsh_cmd_snapshot_list = {
    .name = "snapshot-list",
    .group = "snapshot",
    .summary = "list a domain's snapshots",
    .description = "Lists the snapshots of a domain by name (or parents first with "
                   "--topological) as a table, as names only, or as a tree; the options "
                   "select which.",
    .opts = opts,
    .handler = cmd_snapshot_list,
};
