/* The QEMU driver's snapshots as the rest of the driver sees them: the table's
 * entries, the metadata loaded when a root is opened, a taken-over QEMU made
 * consistent after a crash, and what undefine does with snapshot metadata. */
#include "drivers/qemu/qemu_snapshot.h"

#include "util/error.h"

#define FROM VIR_FROM_QEMU

void qemu_snapshot_fill(vm_driver *drv)
{
    drv->domain_snapshot_create_xml = qemu_snapshot_create_xml;
    drv->domain_revert_to_snapshot = qemu_snapshot_revert;
    drv->domain_snapshot_delete = qemu_snapshot_delete;
    qemu_snapshot_query_fill(drv);
}

void qemu_snapshot_load_all(qemu_host *h)
{
    g_mutex_lock(&h->lock);
    for (guint i = 0; i < h->doms->len; i++) {
        if (!qemu_snapshot_tree(g_ptr_array_index(h->doms, i)))
            error_reset();   /* tried again at its first use, which then reports it */
    }
    g_mutex_unlock(&h->lock);
}

void qemu_snapshot_reattach(qemu_host *h, qemu_dom *d)
{
    if (d->mon && d->run)
        snap_resync(h, d);
}

int qemu_snapshot_undefine(qemu_dom *d, unsigned int flags, bool discard)
{
    moment_tree *tree = qemu_snapshot_tree(d);
    size_t n = tree ? moment_tree_size(tree) : 0;

    if (qemu_dom_is_active(d) || !tree)
        return 0;
    if (n && !(flags & VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "cannot delete inactive domain with %zu snapshots", n);
        return -1;
    }
    if (!discard)
        return 0;
    if (moment_store_destroy(d->snapshot_store) < 0)
        return -1;
    qemu_snapshot_free(d);
    return 0;
}

void qemu_snapshot_free(qemu_dom *d)
{
    g_clear_pointer(&d->snapshots, moment_tree_free);
    g_clear_pointer(&d->snapshot_store, moment_store_free);
}
