/* checkpoint-list: a domain's checkpoints as a table, names or a tree, with virsh's filters. */
#include "vmsh-util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "parent", .type = VMSH_OT_BOOL, .help = "add a column with each parent" },
    { .name = "roots", .type = VMSH_OT_BOOL, .help = "only checkpoints without a parent" },
    { .name = "leaves", .type = VMSH_OT_BOOL, .help = "only checkpoints without children" },
    { .name = "no-leaves", .type = VMSH_OT_BOOL, .help = "only checkpoints with children" },
    { .name = "tree", .type = VMSH_OT_BOOL, .help = "draw the checkpoints as a tree" },
    { .name = "from", .type = VMSH_OT_STRING, .help = "only the children of this checkpoint" },
    { .name = "descendants", .type = VMSH_OT_BOOL,
      .help = "with --from: all descendants, not only children" },
    { .name = "name", .type = VMSH_OT_BOOL, .help = "print only the names" },
    { .name = "topological", .type = VMSH_OT_BOOL,
      .help = "parents before children instead of by name" },
    { .name = NULL },
};

typedef struct {
    virDomainCheckpointPtr chk;
    char *parent; /* only for --tree */
} entry;

static void entry_clear(gpointer data)
{
    entry *e = data;

    virDomainCheckpointFree(e->chk);
    g_free(e->parent);
}

static const char *entry_name(GArray *list, size_t i)
{
    return virDomainCheckpointGetName(g_array_index(list, entry, i).chk);
}

static int by_name(const void *a, const void *b)
{
    const entry *ea = a, *eb = b;

    return g_ascii_strcasecmp(virDomainCheckpointGetName(ea->chk),
                              virDomainCheckpointGetName(eb->chk));
}

/* The checkpoints to show: all of DOM's, or FROM's children (descendants with the
 * flag); with TREE each knows its parent, and FROM itself comes along as the only
 * root. NULL on failure (reported). */
static GArray *collect(vmsh_ctl *ctl, virDomainPtr dom, virDomainCheckpointPtr from,
                       unsigned int flags, bool tree)
{
    virDomainCheckpointPtr *chks = NULL;
    int count = from ? virDomainCheckpointListAllChildren(from, &chks, flags)
                     : virDomainListAllCheckpoints(dom, &chks, flags);
    g_autoptr(GArray) list = NULL;

    if (count < 0) {
        vmsh_error(ctl, "%s", "unexpected problem querying checkpoints");
        return NULL;
    }
    list = g_array_sized_new(FALSE, TRUE, sizeof(entry), (guint)count + 1);
    g_array_set_clear_func(list, entry_clear);
    for (int i = 0; i < count; i++) {
        entry e = { .chk = chks[i] };
        g_array_append_val(list, e);
    }
    free(chks);
    for (guint i = 0; tree && i < list->len; i++) {
        entry *e = &g_array_index(list, entry, i);
        if (vmsh_checkpoint_parent(ctl, e->chk, &e->parent) < 0)
            return NULL;
    }
    if (tree && from) {
        entry e = { .chk = from };
        virDomainCheckpointRef(from);
        g_array_append_val(list, e);
    }
    if (!(flags & VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL))
        qsort(list->data, list->len, sizeof(entry), by_name);
    return g_steal_pointer(&list);
}

static const char *tree_lookup(size_t i, bool parent, void *opaque)
{
    entry *e = &g_array_index((GArray *)opaque, entry, i);

    return parent ? e->parent : virDomainCheckpointGetName(e->chk);
}

/* ---- the table and --name ---- */

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

/* CHK's row; none (silently, as virsh) when its XML lacks what the row needs. */
static void add_row(vmsh_ctl *ctl, vmsh_table *table, virDomainCheckpointPtr chk,
                    bool with_parent)
{
    g_autofree char *xml = virDomainCheckpointGetXMLDesc(chk, 0);
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    g_autofree char *parent = NULL, *when = NULL;
    long long created;

    if (!xml || !(doc = vmsh_xml_parse(ctl, xml, "(domain_checkpoint)", &ctxt)))
        return;
    if (with_parent)
        parent = vmsh_xpath_string(ctxt, "string(/domaincheckpoint/parent/name)");
    if (!xpath_llong(ctxt, "string(/domaincheckpoint/creationTime)", &created))
        return;
    when = vmsh_format_time((time_t)created);
    const char *cells[] = { virDomainCheckpointGetName(chk), when, parent ? parent : "" };
    vmsh_table_add_row(table, cells);
}

static void print_list(vmsh_ctl *ctl, const vmsh_cmd *cmd, GArray *list)
{
    bool parent = vmsh_opt_bool(cmd, "parent");

    if (vmsh_opt_bool(cmd, "name")) {
        g_autoptr(GString) out = g_string_new(NULL);
        for (guint i = 0; i < list->len; i++)
            g_string_append_printf(out, "%s\n", entry_name(list, i));
        vmsh_print(ctl, "%s", out->str);
        return;
    }
    g_autoptr(vmsh_table) table = parent
        ? vmsh_table_new("Name", "Creation Time", "Parent", NULL)
        : vmsh_table_new("Name", "Creation Time", NULL);
    for (guint i = 0; i < list->len; i++)
        add_row(ctl, table, g_array_index(list, entry, i).chk, parent);
    vmsh_table_print(table, ctl);
}

/* The options that exclude each other, and the list flags; false if they conflict. */
static bool list_flags(vmsh_ctl *ctl, const vmsh_cmd *cmd, unsigned int *ret_flags)
{
    bool tree = vmsh_opt_bool(cmd, "tree"), name = vmsh_opt_bool(cmd, "name");
    bool from = vmsh_opt_bool(cmd, "from"), parent = vmsh_opt_bool(cmd, "parent");
    bool roots = vmsh_opt_bool(cmd, "roots");
    static const struct { const char *opt; unsigned int flag; } filters[] = {
        { "leaves", VIR_DOMAIN_CHECKPOINT_LIST_LEAVES },
        { "no-leaves", VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES },
    };
    unsigned int flags = 0;

    if (!vmsh_exclusive_vars(ctl, tree, "tree", name, "name") ||
        !vmsh_exclusive_vars(ctl, parent, "parent", roots, "roots") ||
        !vmsh_exclusive_vars(ctl, parent, "parent", tree, "tree") ||
        !vmsh_exclusive_vars(ctl, roots, "roots", tree, "tree") ||
        !vmsh_exclusive_vars(ctl, roots, "roots", from, "from"))
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
        flags |= VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL;
    if (roots)
        flags |= VIR_DOMAIN_CHECKPOINT_LIST_ROOTS;
    if (vmsh_opt_bool(cmd, "descendants")) {
        if (!from) {
            vmsh_error(ctl, "%s", "--descendants requires --from");
            return false;
        }
        flags |= VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS;
    }
    *ret_flags = flags;
    return true;
}

static bool cmd_checkpoint_list(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    bool tree = vmsh_opt_bool(cmd, "tree");
    g_autoptr(virDomainCheckpoint) start = NULL;
    g_autoptr(GArray) list = NULL;
    const char *start_name = NULL;
    unsigned int flags;

    if (!list_flags(ctl, cmd, &flags))
        return false;
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    if (vmsh_opt_bool(cmd, "from") &&
        !(start = vmsh_checkpoint_lookup(ctl, cmd, "from", dom, &start_name)))
        return false;
    if (!(list = collect(ctl, dom, start, flags, tree)))
        return false;
    if (tree)
        vmsh_tree_print(ctl, tree_lookup, list, list->len);
    else
        print_list(ctl, cmd, list);
    return true;
}

const vmsh_cmd_def vmsh_cmd_checkpoint_list = {
    .name = "checkpoint-list",
    .group = "checkpoint",
    .summary = "list a domain's checkpoints",
    .description = "Lists the checkpoints of a domain by name (or parents first with "
                   "--topological) as a table, as names only, or as a tree; the options "
                   "select which.",
    .opts = opts,
    .handler = cmd_checkpoint_list,
};
