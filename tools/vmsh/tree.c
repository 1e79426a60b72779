/* The --tree drawing of snapshot and checkpoint lists: roots, "|" and "+- " lines. */
#include "vmsh-util.h"

typedef struct {
    vmsh_tree_lookup lookup;
    void *opaque;
    GHashTable *children; /* parent name -> GArray of child indexes, in list order */
    GString *out;
    GString *indent;
} tree;

static void print_node(tree *t, size_t dev, size_t lastdev, bool root)
{
    const char *name = t->lookup(dev, false, t->opaque);
    GArray *kids = g_hash_table_lookup(t->children, name);
    size_t nextlast = kids ? g_array_index(kids, size_t, kids->len - 1) : (size_t)-1;

    g_string_append_printf(t->out, "%s%s%s\n", t->indent->str, root ? "" : "+- ", name);
    if (!root) {
        g_string_append_c(t->indent, dev == lastdev ? ' ' : '|');
        g_string_append_c(t->indent, ' ');
    }
    if (kids)
        g_string_append_printf(t->out, "%s  |\n", t->indent->str);
    g_string_append(t->indent, "  ");
    for (guint i = 0; kids && i < kids->len; i++)
        print_node(t, g_array_index(kids, size_t, i), nextlast, false);
    g_string_truncate(t->indent, t->indent->len - 2);
    /* a last child without children of its own closes its branch with a line */
    if (!kids && dev == lastdev)
        g_string_append_printf(t->out, "%s\n", t->indent->str);
    if (!root)
        g_string_truncate(t->indent, t->indent->len - 2);
}

static void free_array(gpointer data)
{
    g_array_unref(data);
}

/* Prints the N entries as trees, one per entry without a parent, in list order;
 * LOOKUP gives an entry's name, or with PARENT its parent's name (NULL for a root). */
void vmsh_tree_print(vmsh_ctl *ctl, vmsh_tree_lookup lookup, void *opaque, size_t n)
{
    tree t = { .lookup = lookup, .opaque = opaque };

    t.children = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free_array);
    t.out = g_string_new(NULL);
    t.indent = g_string_new(NULL);
    for (size_t i = 0; i < n; i++) {
        const char *parent = lookup(i, true, opaque);
        GArray *kids;

        if (!parent)
            continue;
        if (!(kids = g_hash_table_lookup(t.children, parent))) {
            kids = g_array_new(FALSE, FALSE, sizeof(size_t));
            g_hash_table_insert(t.children, (gpointer)parent, kids);
        }
        g_array_append_val(kids, i);
    }
    for (size_t i = 0; i < n; i++) {
        if (!lookup(i, true, opaque))
            print_node(&t, i, i, true);
    }
    vmsh_print(ctl, "%s", t.out->str);
    g_hash_table_unref(t.children);
    g_string_free(t.out, TRUE);
    g_string_free(t.indent, TRUE);
}
