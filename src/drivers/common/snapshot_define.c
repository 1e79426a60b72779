/* The checks of a snapshot redefinition and putting a new snapshot into the tree,
 * shared by the drivers. */
#include "drivers/common/snapshot_define.h"

#include <string.h>
#include <libvirt/libvirt.h>
#include "conf/moment_name.h"
#include "util/error.h"

static int check_parent(moment_tree *tree, const snapshot_def *def, moment *existing,
                        moment **ret_parent)
{
    moment *parent;

    *ret_parent = NULL;
    if (!def->parent_name)
        return 0;
    if (strcmp(def->parent_name, def->name) == 0) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, "cannot set moment %s as its own parent",
                     def->name);
        return -1;
    }
    if (!(parent = moment_tree_find(tree, def->parent_name))) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, "parent %s for moment %s not found",
                     def->parent_name, def->name);
        return -1;
    }
    if (existing && !moment_tree_check_parent(existing, parent))
        return -1;
    *ret_parent = parent;
    return 0;
}

int snapshot_redefine_prepare(moment_tree *tree, snapshot_def *def, const unsigned char *domain_uuid,
                              unsigned int create_flags, moment **ret_parent, moment **ret_existing)
{
    moment *existing = moment_tree_find(tree, def->name);
    const snapshot_def *old = existing ? existing->def : NULL;
    moment *parent;

    if (!moment_name_check(def->name, VIR_FROM_DOMAIN_SNAPSHOT) ||
        check_parent(tree, def, existing, &parent) < 0 ||
        snapshot_def_redefine_validate(def, domain_uuid, old, create_flags) < 0)
        return -1;
    if (!def->dom && !(old && old->dom)) {
        error_report(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_INTERNAL_ERROR, "%s",
                     "missing domain in snapshot");
        return -1;
    }
    if (snapshot_def_align_disks(def, def->dom ? NULL : old->dom,
                                 snapshot_def_redefine_location(def), true, false) < 0)
        return -1;
    if (!def->dom)
        def->dom = domain_def_ref(old->dom);
    *ret_parent = parent;
    *ret_existing = existing;
    return 0;
}

moment *snapshot_tree_put(moment_tree *tree, snapshot_def *def, bool redefine, moment *parent,
                          moment *existing, unsigned int create_flags)
{
    moment *m;

    if (existing) {
        moment_tree_set_def(tree, existing, def);
        moment_tree_set_parent(tree, existing, parent);
        m = existing;
    } else {
        if (!redefine)
            parent = moment_tree_current(tree);
        if (!(m = moment_tree_add(tree, def->name, def, parent))) {
            snapshot_def_free(def);
            return NULL;
        }
    }
    if (!redefine || (create_flags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT))
        moment_tree_set_current(tree, m);
    return m;
}
