/* Checkpoint metadata of the QEMU driver: the moment store of each domain under
 * ROOT/lib/qemu/checkpoint/NAME, loaded when a root is opened (or at first use). */
#include "drivers/qemu/qemu_checkpoint.h"

#include "util/error.h"
#include "util/file.h"

static char *ckpt_format(void *def, const char *parent)
{
    return checkpoint_def_format(def, parent, CHECKPOINT_FORMAT_SECURE | CHECKPOINT_FORMAT_NO_DOMAIN);
}

static void *ckpt_parse(xmlNodePtr node, char **ret_parent)
{
    checkpoint_def *def = checkpoint_def_parse_node(node, NULL, CHECKPOINT_PARSE_REDEFINE, NULL);

    if (def)
        *ret_parent = g_strdup(def->parent_name);
    return def;
}

static domain_def **ckpt_slot(void *def, int slot)
{
    return &((checkpoint_def *)def)->dom;
}

static const moment_store_ops ckpt_ops = {
    ckpt_format, ckpt_parse, (void (*)(void *))checkpoint_def_free, ckpt_slot, 1, "domaincheckpoint",
};

static char *store_dir(qemu_dom *d)
{
    g_autofree char *enc = file_name_encode(d->def->name);

    return g_build_filename(d->host->lib_dir, "checkpoint", enc, NULL);
}

moment_tree *qemu_checkpoint_tree(qemu_dom *d)
{
    g_autofree char *dir = NULL;
    moment_store *store;
    moment_tree *tree;

    if (d->checkpoints)
        return d->checkpoints;
    dir = store_dir(d);
    if (!(store = moment_store_open(dir, &ckpt_ops)))
        return NULL;
    tree = moment_tree_new((GDestroyNotify)checkpoint_def_free);
    if (moment_store_load(store, tree) < 0) {
        moment_tree_free(tree);
        moment_store_free(store);
        return NULL;
    }
    d->checkpoint_store = store;
    d->checkpoints = tree;
    return tree;
}

void qemu_checkpoint_load_all(qemu_host *h)
{
    g_mutex_lock(&h->lock);
    for (guint i = 0; i < h->doms->len; i++) {
        if (!qemu_checkpoint_tree(g_ptr_array_index(h->doms, i)))
            error_reset();   /* tried again at first use, and reported then */
    }
    g_mutex_unlock(&h->lock);
}

int qemu_checkpoint_save(qemu_dom *d, const moment *m)
{
    return moment_store_save(d->checkpoint_store, m);
}

int qemu_checkpoint_save_and_current(qemu_dom *d, const moment *m)
{
    return moment_store_save_current(d->checkpoint_store, m, moment_tree_current(d->checkpoints));
}

int qemu_checkpoint_save_current(qemu_dom *d)
{
    return moment_store_set_current(d->checkpoint_store, moment_tree_current(d->checkpoints));
}

int qemu_checkpoint_remove_files(qemu_dom *d, const char *const *names, size_t n)
{
    return moment_store_remove(d->checkpoint_store, names, n);
}

void qemu_checkpoint_discard_all(qemu_dom *d)
{
    if (!qemu_checkpoint_tree(d)) {
        error_reset();
        return;
    }
    moment_store_destroy(d->checkpoint_store);
    error_reset();
    qemu_checkpoint_free(d);
}

int qemu_checkpoint_undefine(qemu_dom *d, unsigned int flags, bool discard)
{
    moment_tree *tree = qemu_checkpoint_tree(d);
    size_t n = tree ? moment_tree_size(tree) : 0;

    error_reset();
    if (n && !qemu_dom_is_active(d) && !(flags & VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA)) {
        error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID,
                     "cannot delete inactive domain with %zu checkpoints", n);
        return -1;
    }
    if (discard && (flags & VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA))
        qemu_checkpoint_discard_all(d);
    return 0;
}

void qemu_checkpoint_free(qemu_dom *d)
{
    g_clear_pointer(&d->checkpoints, moment_tree_free);
    g_clear_pointer(&d->checkpoint_store, moment_store_free);
}
