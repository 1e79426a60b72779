/* snapshot-list: a domain's snapshots as a table, names or a tree, with virsh's filters. */
#include "vmsh-util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

/* The filters that can't be combined with --tree, in virsh's order of checking. */
static const struct { const char *opt; unsigned int flag; } filters[] = {
    { "leaves", VIR_DOMAIN_SNAPSHOT_LIST_LEAVES },
    { "no-leaves", VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES },
    { "inactive", VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE },
    { "active", VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE },
    { "disk-only", VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY },
    { "internal", VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL },
    { "external", VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL },
};

typedef struct {
    virDomainSnapshotPtr snap;
    char *parent; /* only for --tree */
} entry;

static void entry_clear(gpointer data)
{
    entry *e = data;

    virDomainSnapshotFree(e->snap);
    g_free(e->parent);
}

static int by_name(const void *a, const void *b)
{
    const entry *ea = a, *eb = b;

    return g_ascii_strcasecmp(virDomainSnapshotGetName(ea->snap),
                              virDomainSnapshotGetName(eb->snap));
}

/* The snapshots to show: all of DOM's, or FROM's children (descendants with the flag);
 * with TREE each knows its parent, and FROM itself comes along as the only root.
 * NULL on failure (reported or kept). */
static GArray *collect(vmsh_ctl *ctl, virDomainPtr dom, virDomainSnapshotPtr from,
                       unsigned int flags, bool tree)
{
    virDomainSnapshotPtr *snaps = NULL;
    int count = from ? virDomainSnapshotListAllChildren(from, &snaps, flags)
                     : virDomainListAllSnapshots(dom, &snaps, flags);
    g_autoptr(GArray) list = NULL;

    if (count < 0)
        return NULL;
    list = g_array_sized_new(FALSE, TRUE, sizeof(entry), (guint)count + 1);
    g_array_set_clear_func(list, entry_clear);
    for (int i = 0; i < count; i++) {
        entry e = { .snap = snaps[i] };
        g_array_append_val(list, e);
    }
    free(snaps);
    for (guint i = 0; tree && i < list->len; i++) {
        if (vmsh_snapshot_parent(ctl, g_array_index(list, entry, i).snap,
                                 &g_array_index(list, entry, i).parent) < 0)
            return NULL;
    }
    if (tree && from) {
        entry e = { .snap = from };
        virDomainSnapshotRef(from);
        g_array_append_val(list, e);
    }
    if (!(flags & VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL))
        qsort(list->data, list->len, sizeof(entry), by_name); /* as virsh sorts */
    return g_steal_pointer(&list);
}

static const char *tree_lookup(size_t i, bool parent, void *opaque)
{
    GArray *list = opaque;
    entry *e = &g_array_index(list, entry, i);

    return parent ? e->parent : virDomainSnapshotGetName(e->snap);
}

/* The whole-string integer value of EXPR, as virsh reads creationTime. */
static bool xpath_llong(xmlXPathContextPtr ctxt, const char *expr, long long *ret)
{
    g_autofree char *text = vmsh_xpath_string(ctxt, expr);
    char *end;

    if (!text)
        return false;
    errno = 0;
    *ret = strtoll(text, &end, 10);
    return errno == 0 && end != text && *end == '\0';
}

/* SNAP's table row; false (and no row) when its XML lacks what the row needs. */
static bool add_row(vmsh_table *table, virDomainSnapshotPtr snap, bool with_parent,
                    vmsh_ctl *ctl)
{
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autoptr(xmlDoc) doc = vmsh_snapshot_xml(ctl, snap, &ctxt);
    g_autofree char *parent = NULL, *state = NULL, *when = NULL;
    long long created;

    if (!doc)
        return false;
    if (with_parent)
        parent = vmsh_xpath_string(ctxt, "string(/domainsnapshot/parent/name)");
    if (!(state = vmsh_xpath_string(ctxt, "string(/domainsnapshot/state)")) ||
        !xpath_llong(ctxt, "string(/domainsnapshot/creationTime)", &created))
        return false;
    when = vmsh_format_time((time_t)created);
    const char *cells[] = { virDomainSnapshotGetName(snap), when, state, parent ? parent : "" };
    vmsh_table_add_row(table, cells);
    return true;
}

static void print_list(vmsh_ctl *ctl, const vmsh_cmd *cmd, GArray *list)
{
    bool parent = vmsh_opt_bool(cmd, "parent");

    if (vmsh_opt_bool(cmd, "name")) {
        g_autoptr(GString) out = g_string_new(NULL);
        for (guint i = 0; i < list->len; i++)
            g_string_append_printf(out, "%s\n",
                                   virDomainSnapshotGetName(g_array_index(list, entry, i).snap));
        vmsh_print(ctl, "%s", out->str);
        return;
    }
    g_autoptr(vmsh_table) table = parent
        ? vmsh_table_new("Name", "Creation Time", "State", "Parent", NULL)
        : vmsh_table_new("Name", "Creation Time", "State", NULL);
    for (guint i = 0; i < list->len; i++)
        add_row(table, g_array_index(list, entry, i).snap, parent, ctl);
    vmsh_table_print(table, ctl);
}

/* The options that exclude each other, and the list flags; false if they conflict. */
static bool list_flags(vmsh_ctl *ctl, const vmsh_cmd *cmd, unsigned int *ret_flags)
{
    bool tree = vmsh_opt_bool(cmd, "tree"), name = vmsh_opt_bool(cmd, "name");
    bool from = vmsh_opt_bool(cmd, "from"), parent = vmsh_opt_bool(cmd, "parent");
    bool roots = vmsh_opt_bool(cmd, "roots"), current = vmsh_opt_bool(cmd, "current");
    unsigned int flags = 0;

    if (!vmsh_exclusive_vars(ctl, tree, "tree", name, "name") ||
        !vmsh_exclusive_vars(ctl, parent, "parent", roots, "roots") ||
        !vmsh_exclusive_vars(ctl, parent, "parent", tree, "tree") ||
        !vmsh_exclusive_vars(ctl, roots, "roots", tree, "tree") ||
        !vmsh_exclusive_vars(ctl, roots, "roots", from, "from") ||
        !vmsh_exclusive_vars(ctl, roots, "roots", current, "current"))
        return false;
    for (size_t i = 0; i < G_N_ELEMENTS(filters); i++) {
        if (!vmsh_opt_bool(cmd, filters[i].opt))
            continue;
        if (tree) {
            vmsh_error(ctl, "--%s and --tree are mutually exclusive", filters[i].opt);
            return false;
        }
        flags |= filters[i].flag;
    }
    if (vmsh_opt_bool(cmd, "topological"))
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL;
    if (roots)
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_ROOTS;
    if (vmsh_opt_bool(cmd, "metadata"))
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_METADATA;
    if (vmsh_opt_bool(cmd, "no-metadata"))
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA;
    if (vmsh_opt_bool(cmd, "descendants")) {
        if (!from && !current) {
            vmsh_error(ctl, "%s", "--descendants requires either --from or --current");
            return false;
        }
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS;
    }
    *ret_flags = flags;
    return true;
}

static bool cmd_snapshot_list(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    bool tree = vmsh_opt_bool(cmd, "tree");
    g_autoptr(virDomainSnapshot) start = NULL;
    g_autoptr(GArray) list = NULL;
    const char *start_name = NULL;
    unsigned int flags;

    if (!list_flags(ctl, cmd, &flags))
        return false;
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    if ((vmsh_opt_bool(cmd, "from") || vmsh_opt_bool(cmd, "current")) &&
        !(start = vmsh_snapshot_lookup(ctl, cmd, "from", true, dom, &start_name)))
        return false;
    if (!(list = collect(ctl, dom, start, flags, tree)))
        return false;
    if (tree)
        vmsh_tree_print(ctl, tree_lookup, list, list->len);
    else
        print_list(ctl, cmd, list);
    return true;
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
