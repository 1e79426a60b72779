/* The snapshot and checkpoint listing and deletion rules, for any driver. */
#include "drivers/common/moment_list.h"

#include <string.h>
#include "conf/snapshot_conf.h"
#include "handle.h"

#define SNAPSHOT_FILTER_FLAGS \
    (VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE | VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE | \
     VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY | VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL | \
     VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL)

static bool snapshot_filter(const moment *m, void *opaque)
{
    return snapshot_def_matches_list_flags(m->def, *(unsigned int *)opaque);
}

/* The tree's flags for the public snapshot ones. */
static unsigned int snapshot_tree_flags(unsigned int flags)
{
    unsigned int ret = 0;

    if (flags & VIR_DOMAIN_SNAPSHOT_LIST_ROOTS)
        ret |= MOMENT_LIST_ROOTS;
    if (flags & VIR_DOMAIN_SNAPSHOT_LIST_LEAVES)
        ret |= MOMENT_LIST_LEAVES;
    if (flags & VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES)
        ret |= MOMENT_LIST_NO_LEAVES;
    if (flags & VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL)
        ret |= MOMENT_LIST_TOPOLOGICAL;
    return ret;
}

/* The selected moments' names, for their handles: a few without allocating. */
typedef struct {
    const char **v;
    size_t n;
    size_t cap;
    const char *small[16];
} name_vec;

static bool collect_name(moment *m, void *data)
{
    name_vec *vec = data;

    g_assert(vec->n < vec->cap);    /* sized by moment_tree_bound */
    vec->v[vec->n++] = m->name;
    return true;
}

/* Visit what the flags select into vec (name_vec_clear it afterwards). Sized for
 * the most there can be: growing by steps would leave malloc a trail of freed
 * blocks to trim and map again on the next listing. */
static void collect(moment_tree *tree, const moment *from, unsigned int flags,
                    moment_filter filter, void *opaque, name_vec *vec)
{
    size_t bound = moment_tree_bound(tree, from, flags);

    vec->n = 0;
    vec->cap = MAX(bound, G_N_ELEMENTS(vec->small));
    vec->v = bound > G_N_ELEMENTS(vec->small) ? g_new(const char *, bound) : vec->small;
    moment_tree_visit(tree, from, flags, filter, opaque, collect_name, vec);
}

static void name_vec_clear(name_vec *vec)
{
    if (vec->v != vec->small)
        g_free(vec->v);
}

typedef struct {
    char **names;
    int max;
    int n;
} name_fill;

/* Copy names straight from the moments: no list in between (a large temporary array
 * would also make malloc consolidate the names the caller just freed). */
static bool fill_name(moment *m, void *data)
{
    name_fill *f = data;

    if (f->n == f->max)
        return false;
    f->names[f->n++] = strdup(m->name);
    return true;
}

int snapshot_list(moment_tree *tree, const moment *from, unsigned int flags, virDomainPtr domain,
                  char **names, int nameslen, virDomainSnapshotPtr **ret_list)
{
    moment_filter filter = (flags & SNAPSHOT_FILTER_FLAGS) ? snapshot_filter : NULL;
    unsigned int tflags = snapshot_tree_flags(flags);
    name_vec vec;

    /* Every snapshot has metadata: NO_METADATA without METADATA selects none. */
    if ((flags & VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA) && !(flags & VIR_DOMAIN_SNAPSHOT_LIST_METADATA)) {
        if (ret_list)
            *ret_list = handle_snapshot_list_new(domain, NULL, 0);
        return 0;
    }
    if (names) {
        name_fill f = { names, nameslen, 0 };
        moment_tree_visit(tree, from, tflags, filter, &flags, fill_name, &f);
        return f.n;
    }
    if (!ret_list)
        return (int)moment_tree_count(tree, from, tflags, filter, &flags);
    collect(tree, from, tflags, filter, &flags, &vec);
    *ret_list = handle_snapshot_list_new(domain, vec.v, vec.n);
    name_vec_clear(&vec);
    return (int)vec.n;
}

int checkpoint_list(moment_tree *tree, const moment *from, unsigned int flags, virDomainPtr domain,
                    virDomainCheckpointPtr **ret_list)
{
    name_vec vec;

    if (!ret_list)
        return (int)moment_tree_count(tree, from, flags, NULL, NULL);
    collect(tree, from, flags, NULL, NULL, &vec);
    *ret_list = handle_checkpoint_list_new(domain, vec.v, vec.n);
    name_vec_clear(&vec);
    return (int)vec.n;
}

void moment_delete(moment_tree *tree, moment *m, bool children, bool children_only)
{
    moment *current = moment_tree_current(tree);

    if (children || children_only) {
        bool current_goes = current && moment_is_descendant(current, m);
        moment_tree_remove_descendants(tree, m);
        if (current_goes)
            moment_tree_set_current(tree, m);
    }
    if (!children_only) {
        moment *parent = m->parent;
        bool was_current = moment_tree_current(tree) == m;
        moment_tree_remove(tree, m);
        if (was_current)
            moment_tree_set_current(tree, parent);
    }
}
