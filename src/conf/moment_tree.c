/* The moment tree: a domain's snapshots (or checkpoints) by name, their parent/child
 * links, the current one, and listings with libvirt's filters. */
#include "conf/moment_tree.h"

#include "util/error.h"

struct moment_tree {
    GHashTable *by_name;     /* name -> moment* (owns the moments) */
    moment metaroot;         /* the parent of every root */
    moment *current;
    GDestroyNotify free_def;
    moment *first_leaf;      /* every moment without children, linked by leaf_next */
    size_t nleaves;
};

static bool in_leaves(const moment_tree *tree, const moment *m)
{
    return m->leaf_prev || tree->first_leaf == m;
}

static void leaf_add(moment_tree *tree, moment *m)
{
    if (in_leaves(tree, m))
        return;
    m->leaf_prev = NULL;
    m->leaf_next = tree->first_leaf;
    if (tree->first_leaf)
        tree->first_leaf->leaf_prev = m;
    tree->first_leaf = m;
    tree->nleaves++;
}

static void leaf_remove(moment_tree *tree, moment *m)
{
    if (!in_leaves(tree, m))
        return;
    if (m->leaf_prev)
        m->leaf_prev->leaf_next = m->leaf_next;
    else
        tree->first_leaf = m->leaf_next;
    if (m->leaf_next)
        m->leaf_next->leaf_prev = m->leaf_prev;
    m->leaf_prev = m->leaf_next = NULL;
    tree->nleaves--;
}

/* parent's child count changed: keep it in or out of the leaf list. */
static void leaf_update(moment_tree *tree, moment *parent)
{
    if (parent == &tree->metaroot)
        return;
    if (parent->nchildren == 0)
        leaf_add(tree, parent);
    else
        leaf_remove(tree, parent);
}

static moment *walk_next(const moment *m, const moment *top);

static void moment_free(moment_tree *tree, moment *m)
{
    if (tree->free_def && m->def)
        tree->free_def(m->def);
    g_free(m->name);
    g_free(m);
}

moment_tree *moment_tree_new(GDestroyNotify free_def)
{
    moment_tree *tree = g_new0(moment_tree, 1);

    tree->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    tree->free_def = free_def;
    return tree;
}

void moment_tree_free(moment_tree *tree)
{
    GHashTableIter it;
    gpointer value;

    if (!tree)
        return;
    g_hash_table_iter_init(&it, tree->by_name);
    while (g_hash_table_iter_next(&it, NULL, &value))
        moment_free(tree, value);
    g_hash_table_unref(tree->by_name);
    g_free(tree);
}

moment *moment_tree_find(const moment_tree *tree, const char *name)
{
    return name ? g_hash_table_lookup(tree->by_name, name) : NULL;
}

size_t moment_tree_size(const moment_tree *tree)
{
    return g_hash_table_size(tree->by_name);
}

moment *moment_tree_first_root(const moment_tree *tree)
{
    return tree->metaroot.first_child;
}

/* The parent node m hangs from: a real parent or the metaroot. */
static moment *holder(moment_tree *tree, moment *m)
{
    return m->parent ? m->parent : &tree->metaroot;
}

static void link_first(moment_tree *tree, moment *parent, moment *m)
{
    m->prev = NULL;
    m->next = parent->first_child;
    if (parent->first_child)
        parent->first_child->prev = m;
    else
        parent->last_child = m;
    parent->first_child = m;
    parent->nchildren++;
    leaf_update(tree, parent);
}

static void unlink_child(moment_tree *tree, moment *parent, moment *m)
{
    if (m->prev)
        m->prev->next = m->next;
    else
        parent->first_child = m->next;
    if (m->next)
        m->next->prev = m->prev;
    else
        parent->last_child = m->prev;
    m->prev = m->next = NULL;
    parent->nchildren--;
    leaf_update(tree, parent);
}

moment *moment_tree_add(moment_tree *tree, const char *name, void *def, moment *parent)
{
    moment *m;

    if (g_hash_table_contains(tree->by_name, name)) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED, "domain moment %s already exists",
                     name);
        return NULL;
    }
    m = g_new0(moment, 1);
    m->name = g_strdup(name);
    m->def = def;
    m->parent = parent;
    link_first(tree, parent ? parent : &tree->metaroot, m);
    leaf_add(tree, m);
    g_hash_table_insert(tree->by_name, m->name, m);
    return m;
}

void moment_tree_set_def(moment_tree *tree, moment *m, void *def)
{
    if (m->def != def && tree->free_def && m->def)
        tree->free_def(m->def);
    m->def = def;
}

bool moment_is_descendant(const moment *m, const moment *ancestor)
{
    for (const moment *p = m->parent; p; p = p->parent)
        if (p == ancestor)
            return true;
    return false;
}

bool moment_tree_check_parent(const moment *m, const moment *parent)
{
    if (!parent)
        return true;
    if (parent == m) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, "cannot set moment %s as its own parent",
                     m->name);
        return false;
    }
    /* Name the moment on the way up from parent that hangs directly below m. */
    for (const moment *p = parent; p; p = p->parent) {
        if (p->parent == m) {
            error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, "parent %s would create cycle to %s",
                         p->name, m->name);
            return false;
        }
    }
    return true;
}

void moment_tree_set_parent(moment_tree *tree, moment *m, moment *parent)
{
    if (m->parent == parent)
        return;
    unlink_child(tree, holder(tree, m), m);
    m->parent = parent;
    link_first(tree, parent ? parent : &tree->metaroot, m);
}

/* Move all children of from to the front of to's children, keeping their order. */
static void move_children(moment_tree *tree, moment *from, moment *to)
{
    moment *target = to ? to : &tree->metaroot;

    if (!from->first_child)
        return;
    for (moment *c = from->first_child; c; c = c->next)
        c->parent = to;
    from->last_child->next = target->first_child;
    if (target->first_child)
        target->first_child->prev = from->last_child;
    else
        target->last_child = from->last_child;
    target->first_child = from->first_child;
    target->nchildren += from->nchildren;
    from->first_child = from->last_child = NULL;
    from->nchildren = 0;
    leaf_update(tree, target);
    leaf_update(tree, from);
}

void moment_tree_remove(moment_tree *tree, moment *m)
{
    moment *parent = m->parent;

    move_children(tree, m, parent);
    unlink_child(tree, holder(tree, m), m);
    leaf_remove(tree, m);
    if (tree->current == m)
        tree->current = NULL;
    g_hash_table_remove(tree->by_name, m->name);
    moment_free(tree, m);
}

void moment_tree_remove_descendants(moment_tree *tree, moment *m)
{
    g_autoptr(GPtrArray) doomed = g_ptr_array_new();

    for (moment *d = m->first_child; d; d = walk_next(d, m))
        g_ptr_array_add(doomed, d);
    m->first_child = m->last_child = NULL;
    m->nchildren = 0;
    leaf_update(tree, m);
    for (guint i = 0; i < doomed->len; i++) {
        moment *d = g_ptr_array_index(doomed, i);
        leaf_remove(tree, d);
        if (tree->current == d)
            tree->current = NULL;
        g_hash_table_remove(tree->by_name, d->name);
        moment_free(tree, d);
    }
}

moment *moment_tree_current(const moment_tree *tree)
{
    return tree->current;
}

void moment_tree_set_current(moment_tree *tree, moment *m)
{
    tree->current = m;
}

/* The next moment after m in a pre-order walk of the subtree under top. */
static moment *walk_next(const moment *m, const moment *top)
{
    if (m->first_child)
        return m->first_child;
    while (m && m != top) {
        if (m->next)
            return m->next;
        m = m->parent;
        if (!m)
            break;
    }
    return NULL;
}

size_t moment_count_descendants(const moment *m)
{
    size_t n = 0;

    for (const moment *d = m->first_child; d; d = walk_next(d, m))
        n++;
    return n;
}

static bool leaf_match(const moment *m, unsigned int flags)
{
    bool leaf = m->nchildren == 0;
    unsigned int group = flags & (MOMENT_LIST_LEAVES | MOMENT_LIST_NO_LEAVES);

    /* Both bits or neither: no filtering (libvirt 9.0 returns nothing for both). */
    if (group == 0 || group == (MOMENT_LIST_LEAVES | MOMENT_LIST_NO_LEAVES))
        return true;
    return (flags & MOMENT_LIST_LEAVES) ? leaf : !leaf;
}

static void consider(GPtrArray *out, moment *m, unsigned int flags, moment_filter filter,
                     void *opaque)
{
    if (leaf_match(m, flags) && (!filter || filter(m, opaque)))
        g_ptr_array_add(out, m);
}

/* Call fn on every moment moment_tree_list would consider (before filtering). */
#define FOR_EACH_CANDIDATE(tree, from, flags, m) \
    for (moment *m = ((from) ? (from) : &(tree)->metaroot)->first_child; m; \
         m = ((from) ? ((flags) & MOMENT_LIST_DESCENDANTS) : !((flags) & MOMENT_LIST_ROOTS)) \
                 ? walk_next(m, from) : m->next)

/* The leaves of the whole tree, in no required order: straight from the index. */
static bool leaves_only(const moment *from, unsigned int flags)
{
    return !from && !(flags & (MOMENT_LIST_ROOTS | MOMENT_LIST_TOPOLOGICAL | MOMENT_LIST_NO_LEAVES)) &&
           (flags & MOMENT_LIST_LEAVES);
}

GPtrArray *moment_tree_list(const moment_tree *tree, const moment *from, unsigned int flags,
                            moment_filter filter, void *opaque)
{
    bool all = from ? (flags & MOMENT_LIST_DESCENDANTS) : !(flags & MOMENT_LIST_ROOTS);
    const moment *top = from ? from : &tree->metaroot;
    GPtrArray *out = g_ptr_array_sized_new(all ? (guint)moment_tree_size(tree) : (guint)top->nchildren);

    if (leaves_only(from, flags)) {
        for (moment *m = tree->first_leaf; m; m = m->leaf_next)
            if (!filter || filter(m, opaque))
                g_ptr_array_add(out, m);
        return out;
    }
    /* A pre-order walk: the roots are the metaroot's children, whose parent is NULL,
     * so walk_next treats a NULL parent as the top. */
    FOR_EACH_CANDIDATE(tree, from, flags, m)
        consider(out, m, flags, filter, opaque);
    return out;
}

size_t moment_tree_count(const moment_tree *tree, const moment *from, unsigned int flags,
                         moment_filter filter, void *opaque)
{
    bool all = from ? (flags & MOMENT_LIST_DESCENDANTS) : !(flags & MOMENT_LIST_ROOTS);
    size_t n = 0;

    if (!filter && leaves_only(from, flags))
        return tree->nleaves;
    if (!filter && !(flags & (MOMENT_LIST_LEAVES | MOMENT_LIST_NO_LEAVES))) {
        if (!all)
            return from ? from->nchildren : tree->metaroot.nchildren;
        if (!from)
            return moment_tree_size(tree);
    }
    FOR_EACH_CANDIDATE(tree, from, flags, m)
        n += leaf_match(m, flags) && (!filter || filter(m, opaque));
    return n;
}

void moment_tree_foreach(const moment_tree *tree, void (*fn)(moment *m, void *opaque),
                         void *opaque)
{
    for (moment *m = tree->metaroot.first_child; m;) {
        moment *next = walk_next(m, NULL);
        fn(m, opaque);
        m = next;
    }
}
