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

/* The moments' names, in place in the array of moments. */
static const char *const *names_in_place(GPtrArray *found)
{
    for (guint i = 0; i < found->len; i++)
        found->pdata[i] = ((moment *)found->pdata[i])->name;
    return (const char *const *)found->pdata;
}

int snapshot_list(moment_tree *tree, const moment *from, unsigned int flags, virDomainPtr domain,
                  char **names, int nameslen, virDomainSnapshotPtr **ret_list)
{
    moment_filter filter = (flags & SNAPSHOT_FILTER_FLAGS) ? snapshot_filter : NULL;
    unsigned int tflags = snapshot_tree_flags(flags);
    g_autoptr(GPtrArray) found = NULL;
    int n;

    /* Every snapshot has metadata: NO_METADATA without METADATA selects none. */
    if ((flags & VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA) && !(flags & VIR_DOMAIN_SNAPSHOT_LIST_METADATA))
        found = g_ptr_array_new();
    else if (!names && !ret_list)
        return (int)moment_tree_count(tree, from, tflags, filter, &flags);
    else
        found = moment_tree_list(tree, from, tflags, filter, &flags);
    n = (int)found->len;
    if (names) {
        n = MIN(n, nameslen);
        for (int i = 0; i < n; i++)
            names[i] = strdup(((moment *)found->pdata[i])->name);
    } else if (ret_list) {
        *ret_list = handle_snapshot_list_new(domain, names_in_place(found), found->len);
    }
    return n;
}

int checkpoint_list(moment_tree *tree, const moment *from, unsigned int flags, virDomainPtr domain,
                    virDomainCheckpointPtr **ret_list)
{
    g_autoptr(GPtrArray) found = NULL;

    if (!ret_list)
        return (int)moment_tree_count(tree, from, flags, NULL, NULL);
    found = moment_tree_list(tree, from, flags, NULL, NULL);
    *ret_list = handle_checkpoint_list_new(domain, names_in_place(found), found->len);
    return (int)found->len;
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
