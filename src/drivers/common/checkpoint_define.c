/* Checkpoint creation and redefinition rules for any driver: defaults, disks, parents,
 * the current checkpoint. */
#include "drivers/common/checkpoint_define.h"

#include <string.h>
#include "conf/moment_name.h"
#include "util/error.h"

int checkpoint_prepare_new(checkpoint_def *def, const domain_def *live, long long now)
{
    checkpoint_def_set_defaults(def, now);
    if (!moment_name_check(def->name, VIR_FROM_DOMAIN_CHECKPOINT))
        return -1;
    return checkpoint_def_align_disks(def, live);
}

moment *checkpoint_add_new(moment_tree *tree, checkpoint_def **defp)
{
    moment *m = moment_tree_add(tree, (*defp)->name, *defp, moment_tree_current(tree));

    if (!m)
        return NULL;
    *defp = NULL;
    moment_tree_set_current(tree, m);
    return m;
}

static moment *redefined_parent(moment_tree *tree, const checkpoint_def *def)
{
    return def->parent_name ? moment_tree_find(tree, def->parent_name) : NULL;
}

int checkpoint_redefine_check(moment_tree *tree, checkpoint_def *def, const domain_def *live)
{
    moment *existing = moment_tree_find(tree, def->name);
    moment *parent;

    if (def->parent_name) {
        if (strcmp(def->parent_name, def->name) == 0) {
            error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                         "cannot set moment %s as its own parent", def->name);
            return -1;
        }
        if (!(parent = moment_tree_find(tree, def->parent_name))) {
            error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, "parent %s for moment %s not found",
                         def->parent_name, def->name);
            return -1;
        }
        if (existing && !moment_tree_check_parent(existing, parent))
            return -1;
    }
    return checkpoint_def_redefine_prep(def, live);
}

moment *checkpoint_redefine_apply(moment_tree *tree, checkpoint_def **defp)
{
    checkpoint_def *def = *defp;
    moment *existing = moment_tree_find(tree, def->name);
    moment *current = moment_tree_current(tree);
    moment *parent = redefined_parent(tree, def);
    moment *m;

    if (existing) {
        checkpoint_def *old = existing->def;
        if (!def->dom && old->dom)
            def->dom = domain_def_ref(old->dom);
        moment_tree_set_def(tree, existing, g_steal_pointer(defp));
        moment_tree_set_parent(tree, existing, parent);
        m = existing;
    } else {
        if (!(m = moment_tree_add(tree, def->name, def, parent)))
            return NULL;
        *defp = NULL;
    }
    if (!current || current == parent)
        moment_tree_set_current(tree, m);
    return m;
}
