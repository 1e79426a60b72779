/* The moment tree: a domain's snapshots (or checkpoints) by name, their parent/child
 * links, the current one, and listings with libvirt's filters. */
#include "conf/moment_tree.h"

#include <stdint.h>
#include <string.h>
#include "util/error.h"
#include "util/pool.h"

/* The name index: open addressing with linear probing over one array of
 * (hash, moment) pairs, so that a lookup touches the slot and the moment only (the
 * name lives in the moment's own allocation). Its slots are also the listings'
 * unordered walk: a linear scan, whose moments the CPU can fetch in parallel, where a
 * tree walk would wait for each pointer in turn. */
typedef struct {
    guint hash;
    moment *m;               /* NULL: empty */
} slot;

struct moment_tree {
    slot *slots;
    size_t mask;             /* the number of slots (a power of two) minus one */
    size_t size;             /* the moments (owned) */
    pool *pool;              /* the moments' memory, packed (util/pool.h) */
    moment *metaroot;        /* the parent of every root (nameless) */
    moment *current;
    GDestroyNotify free_def;
    moment *first_leaf;      /* every moment without children, linked by leaf_next */
    size_t nleaves;
};

#define MIN_SLOTS 16

static guint name_hash(const char *name)
{
    guint h = g_str_hash(name);

    /* spread the bits: similar names ("s1", "s2", ...) must not fill one run */
    h ^= h >> 16;
    h *= 0x45d9f3bu;
    h ^= h >> 16;
    return h;
}

/* The slot holding name, or the empty slot where it would go. */
static slot *slot_find(const moment_tree *tree, const char *name, guint hash)
{
    for (size_t i = hash & tree->mask;; i = (i + 1) & tree->mask) {
        slot *s = &tree->slots[i];
        if (!s->m || (s->hash == hash && strcmp(s->m->name, name) == 0))
            return s;
    }
}

static void slots_resize(moment_tree *tree, size_t nslots)
{
    slot *old = tree->slots;
    size_t oldn = old ? tree->mask + 1 : 0;

    tree->slots = g_new0(slot, nslots);
    tree->mask = nslots - 1;
    for (size_t i = 0; i < oldn; i++)
        if (old[i].m)
            *slot_find(tree, old[i].m->name, old[i].hash) = old[i];
    g_free(old);
}

/* Empty slot s, moving later entries of its run back (no tombstones). */
static void slot_clear(moment_tree *tree, slot *s)
{
    size_t i = (size_t)(s - tree->slots), j = i;

    for (;;) {
        j = (j + 1) & tree->mask;
        if (!tree->slots[j].m)
            break;
        size_t home = tree->slots[j].hash & tree->mask;
        /* the entry at j may fill the hole at i unless its home lies in (i, j] */
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            tree->slots[i] = tree->slots[j];
            i = j;
        }
    }
    tree->slots[i].m = NULL;
}

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
    if (parent == tree->metaroot)
        return;
    if (parent->nchildren == 0)
        leaf_add(tree, parent);
    else
        leaf_remove(tree, parent);
}

static moment *walk_next(const moment *m, const moment *top);

static size_t moment_bytes(const char *name)
{
    return sizeof(moment) + strlen(name) + 1;
}

static void moment_free(moment_tree *tree, moment *m)
{
    if (tree->free_def && m->def)
        tree->free_def(m->def);
    pool_release(tree->pool, m, moment_bytes(m->name));
}

/* Take m out of the index and free it. */
static void moment_drop(moment_tree *tree, moment *m)
{
    slot_clear(tree, slot_find(tree, m->name, name_hash(m->name)));
    tree->size--;
    moment_free(tree, m);
}

/* After removals: an index under 1/8 full shrinks (to at most half full), so that a
 * scan costs what the tree holds, not what it once held. */
static void index_fit(moment_tree *tree)
{
    size_t nslots = tree->mask + 1;

    if (nslots <= MIN_SLOTS || tree->size * 8 >= nslots)
        return;
    while (nslots > MIN_SLOTS && tree->size * 4 < nslots)
        nslots /= 2;
    slots_resize(tree, nslots);
}

moment_tree *moment_tree_new(GDestroyNotify free_def)
{
    moment_tree *tree = g_new0(moment_tree, 1);

    slots_resize(tree, MIN_SLOTS);
    tree->pool = pool_new();
    tree->metaroot = g_malloc0(sizeof(moment) + 1);
    tree->free_def = free_def;
    return tree;
}

void moment_tree_free(moment_tree *tree)
{
    if (!tree)
        return;
    for (size_t i = 0; i <= tree->mask; i++)
        if (tree->slots[i].m)
            moment_free(tree, tree->slots[i].m);
    g_free(tree->slots);
    g_free(tree->metaroot);
    pool_free(tree->pool);
    g_free(tree);
}

moment *moment_tree_find(const moment_tree *tree, const char *name)
{
    return name ? slot_find(tree, name, name_hash(name))->m : NULL;
}

size_t moment_tree_size(const moment_tree *tree)
{
    return tree->size;
}

moment *moment_tree_first_root(const moment_tree *tree)
{
    return tree->metaroot->first_child;
}

/* The parent node m hangs from: a real parent or the metaroot. */
static moment *holder(moment_tree *tree, moment *m)
{
    return m->parent ? m->parent : tree->metaroot;
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
    guint hash = name_hash(name);
    slot *s = slot_find(tree, name, hash);
    moment *m;

    if (s->m) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED, "domain moment %s already exists",
                     name);
        return NULL;
    }
    /* one record: the moment with its name behind it */
    m = pool_alloc(tree->pool, moment_bytes(name));
    strcpy(m->name, name);
    m->def = def;
    m->parent = parent;
    link_first(tree, parent ? parent : tree->metaroot, m);
    leaf_add(tree, m);
    *s = (slot){ hash, m };
    if (++tree->size * 4 > (tree->mask + 1) * 3)    /* at most 3/4 full */
        slots_resize(tree, (tree->mask + 1) * 2);
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
    link_first(tree, parent ? parent : tree->metaroot, m);
}

/* Move all children of from to the front of to's children, keeping their order. */
static void move_children(moment_tree *tree, moment *from, moment *to)
{
    moment *target = to ? to : tree->metaroot;

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
    moment_drop(tree, m);
    index_fit(tree);
}

void moment_tree_remove_descendants(moment_tree *tree, moment *m)
{
    moment *d = m->first_child;

    /* Post-order, each moment freed once its children are: always the first child
     * of its parent, so unlinking it is one step. */
    while (d) {
        moment *up = d->parent;
        if (d->first_child) {
            d = d->first_child;
            continue;
        }
        up->first_child = d->next;
        leaf_remove(tree, d);
        if (tree->current == d)
            tree->current = NULL;
        moment_drop(tree, d);
        d = up->first_child ? up->first_child : (up == m ? NULL : up);
    }
    m->last_child = NULL;
    m->nchildren = 0;
    leaf_update(tree, m);
    index_fit(tree);
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

/* Every moment moment_tree_list considers (before filtering), in its order: a
 * pre-order walk of the subtree, the children only, or (the whole tree, no order
 * asked) a scan of the index. The roots are the metaroot's children, whose parent is
 * NULL, so walk_next treats a NULL parent as the top. */
typedef struct {
    const moment_tree *tree;
    const moment *from;
    size_t slot;             /* scanning: the next slot; walking: SIZE_MAX */
    bool descend;
} cursor;

static moment *scan(cursor *c)
{
    const moment_tree *tree = c->tree;

    while (c->slot <= tree->mask) {
        moment *m = tree->slots[c->slot++].m;
        if (m)
            return m;
    }
    return NULL;
}

static moment *cursor_start(cursor *c, const moment_tree *tree, const moment *from,
                            unsigned int flags)
{
    bool unordered = !from && !(flags & (MOMENT_LIST_ROOTS | MOMENT_LIST_TOPOLOGICAL));

    *c = (cursor){ tree, from, unordered ? 0 : SIZE_MAX,
                   from ? (flags & MOMENT_LIST_DESCENDANTS) : !(flags & MOMENT_LIST_ROOTS) };
    return unordered ? scan(c) : (from ? from : tree->metaroot)->first_child;
}

static moment *cursor_next(cursor *c, const moment *m)
{
    if (c->slot != SIZE_MAX)
        return scan(c);
    return c->descend ? walk_next(m, c->from) : m->next;
}

#define FOR_EACH_CANDIDATE(tree, from, flags, m) \
    cursor cur_; \
    for (moment *m = cursor_start(&cur_, tree, from, flags); m; m = cursor_next(&cur_, m))

/* The leaves of the whole tree, in no required order: straight from the index. */
static bool leaves_only(const moment *from, unsigned int flags)
{
    return !from && !(flags & (MOMENT_LIST_ROOTS | MOMENT_LIST_TOPOLOGICAL | MOMENT_LIST_NO_LEAVES)) &&
           (flags & MOMENT_LIST_LEAVES);
}

void moment_tree_visit(const moment_tree *tree, const moment *from, unsigned int flags,
                       moment_filter filter, void *opaque, moment_visitor fn, void *data)
{
    if (leaves_only(from, flags)) {
        for (moment *m = tree->first_leaf; m; m = m->leaf_next)
            if ((!filter || filter(m, opaque)) && !fn(m, data))
                return;
        return;
    }
    FOR_EACH_CANDIDATE(tree, from, flags, m)
        if (leaf_match(m, flags) && (!filter || filter(m, opaque)) && !fn(m, data))
            return;
}

static bool add_to_array(moment *m, void *data)
{
    g_ptr_array_add(data, m);
    return true;
}

size_t moment_tree_bound(const moment_tree *tree, const moment *from, unsigned int flags)
{
    bool all = from ? (flags & MOMENT_LIST_DESCENDANTS) : !(flags & MOMENT_LIST_ROOTS);

    if (leaves_only(from, flags))
        return tree->nleaves;
    if (!all)
        return from ? from->nchildren : tree->metaroot->nchildren;
    return moment_tree_size(tree);
}

GPtrArray *moment_tree_list(const moment_tree *tree, const moment *from, unsigned int flags,
                            moment_filter filter, void *opaque)
{
    GPtrArray *out = g_ptr_array_sized_new((guint)moment_tree_bound(tree, from, flags));

    moment_tree_visit(tree, from, flags, filter, opaque, add_to_array, out);
    return out;
}

static bool count_one(moment *m, void *data)
{
    (*(size_t *)data)++;
    return true;
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
            return from ? from->nchildren : tree->metaroot->nchildren;
        if (!from)
            return moment_tree_size(tree);
    }
    moment_tree_visit(tree, from, flags, filter, opaque, count_one, &n);
    return n;
}

void moment_tree_foreach(const moment_tree *tree, void (*fn)(moment *m, void *opaque),
                         void *opaque)
{
    for (moment *m = tree->metaroot->first_child; m;) {
        moment *next = walk_next(m, NULL);
        fn(m, opaque);
        m = next;
    }
}
