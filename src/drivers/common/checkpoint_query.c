/* Checkpoint queries every driver answers alike: by name, the parent, the XML. */
#include "drivers/common/checkpoint_query.h"

#include "conf/checkpoint_conf.h"
#include "handle.h"
#include "util/error.h"

moment *checkpoint_find(const moment_tree *tree, const char *name, int from)
{
    moment *m = moment_tree_find(tree, name);

    if (!m)
        error_report(from, VIR_ERR_NO_DOMAIN_CHECKPOINT,
                     "no domain checkpoint with matching name '%s'", name);
    return m;
}

virDomainCheckpointPtr checkpoint_parent_handle(virDomainPtr domain, const moment *m, int from)
{
    if (!m->parent) {
        error_report(from, VIR_ERR_NO_DOMAIN_CHECKPOINT, "checkpoint '%s' does not have a parent",
                     m->name);
        return NULL;
    }
    return handle_checkpoint_new(domain, m->parent->name);
}

char *checkpoint_format(const moment *m, unsigned int flags)
{
    return checkpoint_def_format(m->def, m->parent ? m->parent->name : NULL, flags);
}
