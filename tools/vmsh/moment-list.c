/* snapshot-list and checkpoint-list: a domain's moments as a table, names or a tree. */
#include "moment-list.h"

#include <errno.h>
#include <stdlib.h>

typedef struct {
    const vmsh_moment_kind *kind;
    void *moment;
    const char *name; /* the moment's */
    char *parent;     /* only for --tree */
} entry;

static void entry_clear(gpointer data)
{
    entry *e = data;

    e->kind->free(e->moment);
    g_free(e->parent);
}

/* Appends MOMENT, whose reference LIST takes. */
static void append(GArray *list, const vmsh_moment_kind *kind, void *moment)
{
    entry e = { .kind = kind, .moment = moment, .name = kind->name(moment) };

    g_array_append_val(list, e);
}

static int by_name(const void *a, const void *b)
{
    const entry *ea = a, *eb = b;

    return g_ascii_strcasecmp(ea->name, eb->name);
}

/* The moments to show: all of DOM's, or FROM's children (descendants with the flag);
 * with TREE each knows its parent, and FROM itself comes along as the only root.
 * NULL on failure (reported or kept). */
static GArray *collect(vmsh_ctl *ctl, const vmsh_moment_kind *kind, virDomainPtr dom,
                       void *from, unsigned int flags, bool tree)
{
    g_autoptr(GPtrArray) moments = g_ptr_array_new();
    g_autoptr(GArray) list = NULL;

    if (kind->list(ctl, dom, from, flags, moments) < 0)
        return NULL;
    list = g_array_sized_new(FALSE, TRUE, sizeof(entry), moments->len + 1);
    g_array_set_clear_func(list, entry_clear);
    for (guint i = 0; i < moments->len; i++)
        append(list, kind, g_ptr_array_index(moments, i));
    for (guint i = 0; tree && i < list->len; i++) {
        entry *e = &g_array_index(list, entry, i);
        if (kind->parent(ctl, e->moment, &e->parent) < 0)
            return NULL;
    }
    if (tree && from) {
        kind->ref(from);
        append(list, kind, from);
    }
    if (!(flags & kind->topological))
        qsort(list->data, list->len, sizeof(entry), by_name); /* as virsh sorts */
    return g_steal_pointer(&list);
}

static const char *tree_lookup(size_t i, bool parent, void *opaque)
{
    entry *e = &g_array_index((GArray *)opaque, entry, i);

    return parent ? e->parent : e->name;
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

static vmsh_table *table_new(const vmsh_moment_kind *kind, bool with_parent)
{
    if (kind->state_xpath)
        return with_parent ? vmsh_table_new("Name", "Creation Time", "State", "Parent", NULL)
                           : vmsh_table_new("Name", "Creation Time", "State", NULL);
    return with_parent ? vmsh_table_new("Name", "Creation Time", "Parent", NULL)
                       : vmsh_table_new("Name", "Creation Time", NULL);
}

/* E's row; none (silently, as virsh) when its XML lacks what the row needs. */
static void add_row(vmsh_ctl *ctl, vmsh_table *table, const entry *e, bool with_parent)
{
    const vmsh_moment_kind *kind = e->kind;
    g_autofree char *xml = kind->xml(e->moment);
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    g_autofree char *parent = NULL, *state = NULL, *when = NULL;
    const char *cells[4];
    size_t n = 0;
    long long created;

    if (!xml || !(doc = vmsh_xml_parse(ctl, xml, kind->xml_url, &ctxt)))
        return;
    if (with_parent)
        parent = vmsh_xpath_string(ctxt, kind->parent_xpath);
    if (kind->state_xpath && !(state = vmsh_xpath_string(ctxt, kind->state_xpath)))
        return;
    if (!xpath_llong(ctxt, kind->time_xpath, &created))
        return;
    when = vmsh_format_time((time_t)created);
    cells[n++] = e->name;
    cells[n++] = when;
    if (state)
        cells[n++] = state;
    cells[n++] = parent ? parent : "";
    vmsh_table_add_row(table, cells);
}

static void print_list(vmsh_ctl *ctl, const vmsh_cmd *cmd, const vmsh_moment_kind *kind,
                       GArray *list)
{
    bool parent = vmsh_opt_bool(cmd, "parent");

    if (vmsh_opt_bool(cmd, "name")) {
        g_autoptr(GString) out = g_string_new(NULL);
        for (guint i = 0; i < list->len; i++)
            g_string_append_printf(out, "%s\n", g_array_index(list, entry, i).name);
        vmsh_print(ctl, "%s", out->str);
        return;
    }
    g_autoptr(vmsh_table) table = table_new(kind, parent);
    for (guint i = 0; i < list->len; i++)
        add_row(ctl, table, &g_array_index(list, entry, i), parent);
    vmsh_table_print(table, ctl);
}

/* ---- the options ---- */

static bool start_given(const vmsh_cmd *cmd, const vmsh_moment_kind *kind)
{
    for (const char *const *opt = kind->start_opts; *opt; opt++) {
        if (vmsh_opt_bool(cmd, *opt))
            return true;
    }
    return false;
}

/* The options that exclude each other, in virsh's order; false if two conflict. */
static bool exclusions(vmsh_ctl *ctl, const vmsh_cmd *cmd, const vmsh_moment_kind *kind)
{
    bool tree = vmsh_opt_bool(cmd, "tree"), name = vmsh_opt_bool(cmd, "name");
    bool parent = vmsh_opt_bool(cmd, "parent"), roots = vmsh_opt_bool(cmd, "roots");

    if (!vmsh_exclusive_vars(ctl, tree, "tree", name, "name") ||
        !vmsh_exclusive_vars(ctl, parent, "parent", roots, "roots") ||
        !vmsh_exclusive_vars(ctl, parent, "parent", tree, "tree") ||
        !vmsh_exclusive_vars(ctl, roots, "roots", tree, "tree"))
        return false;
    for (const char *const *opt = kind->start_opts; *opt; opt++) {
        if (!vmsh_exclusive_vars(ctl, roots, "roots", vmsh_opt_bool(cmd, *opt), *opt))
            return false;
    }
    return true;
}

/* The list flags the options ask for; false if they conflict (reported). */
static bool list_flags(vmsh_ctl *ctl, const vmsh_cmd *cmd, const vmsh_moment_kind *kind,
                       unsigned int *ret_flags)
{
    bool tree = vmsh_opt_bool(cmd, "tree");
    unsigned int flags = 0;

    if (!exclusions(ctl, cmd, kind))
        return false;
    for (const vmsh_moment_flag *f = kind->filters; f->opt; f++) {
        if (!vmsh_opt_bool(cmd, f->opt))
            continue;
        if (tree) {
            vmsh_error(ctl, "--%s and --tree are mutually exclusive", f->opt);
            return false;
        }
        flags |= f->flag;
    }
    if (vmsh_opt_bool(cmd, "descendants") && !start_given(cmd, kind)) {
        vmsh_error(ctl, "%s", kind->descendants_error);
        return false;
    }
    for (const vmsh_moment_flag *f = kind->flags; f->opt; f++) {
        if (vmsh_opt_bool(cmd, f->opt))
            flags |= f->flag;
    }
    *ret_flags = flags;
    return true;
}

/* The command's handler, for the KIND of moments. */
bool vmsh_moment_list(vmsh_ctl *ctl, const vmsh_cmd *cmd, const vmsh_moment_kind *kind)
{
    bool tree = vmsh_opt_bool(cmd, "tree");
    g_autoptr(GArray) list = NULL;
    void *start = NULL;
    unsigned int flags;

    if (!list_flags(ctl, cmd, kind, &flags))
        return false;
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    if (start_given(cmd, kind) && !(start = kind->start(ctl, cmd, dom)))
        return false;
    list = collect(ctl, kind, dom, start, flags, tree);
    if (start)
        kind->free(start);
    if (!list)
        return false;
    if (tree)
        vmsh_tree_print(ctl, tree_lookup, list, list->len);
    else
        print_list(ctl, cmd, kind, list);
    return true;
}
