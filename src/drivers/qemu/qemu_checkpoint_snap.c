/* What the snapshot code needs from checkpoints: bitmaps carried to a new external
 * overlay (so that incremental backups continue across external snapshots), bitmaps
 * carried down when an overlay is merged into the layer below it (deleting external
 * snapshots), and the refusal of internal snapshot reverts that QEMU 7.2 would apply
 * half-way on disks carrying bitmaps and that would make every checkpoint wrong. */
#include "drivers/qemu/qemu_checkpoint.h"

#include <string.h>
#include "drivers/qemu/qemu_block.h"
#include "drivers/qemu/qemu_img.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU

void qemu_checkpoint_overlay_actions(const GPtrArray *disks, const char *dst,
                                     const char *overlay_node, json_object *actions)
{
    const qemu_disk_bitmaps *db = qemu_bitmaps_find(disks, dst);
    const qemu_layer *top = db && db->layers->len ? g_ptr_array_index(db->layers, 0) : NULL;

    for (guint i = 0; top && i < top->bitmaps->len; i++) {
        const qemu_bitmap *b = g_ptr_array_index(top->bitmaps, i);
        /* an inconsistent bitmap stands for a broken checkpoint: nothing to carry */
        if (!b->inconsistent && b->recording)
            json_object_array_add(actions, qemu_bitmap_add_action(overlay_node, b->name, true, false));
    }
}

int qemu_checkpoint_overlay_offline(const char *top, const char *overlay)
{
    g_autoptr(qemu_img_info) info = NULL;
    g_autoptr(GPtrArray) added = g_ptr_array_new();

    if (qemu_img_get_info(top, "qcow2", 0, &info) < 0)
        return -1;
    for (guint i = 0; info->bitmaps && i < info->bitmaps->len; i++) {
        const qemu_img_bitmap *b = g_ptr_array_index(info->bitmaps, i);
        if (b->in_use || !b->recording)
            continue;
        if (qemu_img_bitmap_add(overlay, b->name, b->granularity, false) < 0) {
            virErrorPtr saved = error_save();
            for (guint j = 0; j < added->len; j++)
                qemu_img_bitmap_remove(overlay, added->pdata[j]);
            error_restore(&saved);
            return -1;
        }
        g_ptr_array_add(added, b->name);
    }
    return 0;
}

/* ---- merging a layer into the one below ---- */

static bool carried(const char *name, bool inconsistent, bool persistent)
{
    return name && !inconsistent && persistent;
}

int qemu_checkpoint_commit_online(qmp_client *mon, const char *top_node, const char *base_node)
{
    g_autoptr(GPtrArray) nodes = NULL;
    g_autoptr(json_object) actions = json_object_new_array();
    const qemu_block_node *top, *base;

    if (qemu_block_query_nodes(mon, &nodes) < 0)
        return -1;
    top = qemu_block_find_node(nodes, top_node);
    base = qemu_block_find_node(nodes, base_node);
    for (guint i = 0; top && base && i < top->bitmaps->len; i++) {
        const qemu_block_bitmap *b = g_ptr_array_index(top->bitmaps, i);
        json_object *sources, *src;
        bool present = false;
        if (!carried(b->name, b->inconsistent, b->persistent))
            continue;
        for (guint j = 0; j < base->bitmaps->len; j++)
            present |= g_strcmp0(((qemu_block_bitmap *)base->bitmaps->pdata[j])->name, b->name) == 0;
        if (!present)
            json_object_array_add(actions, qemu_bitmap_add_action(base_node, b->name, true, false));
        src = json_object_new_object();
        json_object_object_add(src, "node", json_object_new_string(top_node));
        json_object_object_add(src, "name", json_object_new_string(b->name));
        sources = json_object_new_array();
        json_object_array_add(sources, src);
        json_object_array_add(actions, qemu_bitmap_merge_action(base_node, b->name, sources));
    }
    if (!json_object_array_length(actions))
        return 0;
    return qemu_transaction(mon, json_object_get(actions), NULL);
}

int qemu_checkpoint_commit_offline(const char *top, const char *base)
{
    g_autoptr(qemu_img_info) info = NULL, below = NULL;

    if (qemu_img_get_info(top, "qcow2", 0, &info) < 0 || qemu_img_get_info(base, "qcow2", 0, &below) < 0)
        return -1;
    for (guint i = 0; info->bitmaps && i < info->bitmaps->len; i++) {
        const qemu_img_bitmap *b = g_ptr_array_index(info->bitmaps, i);
        if (!carried(b->name, b->in_use || b->inconsistent, true))
            continue;
        if (!qemu_img_info_find_bitmap(below, b->name) &&
            qemu_img_bitmap_add(base, b->name, b->granularity, false) < 0)
            return -1;
        if (qemu_img_bitmap_merge(base, b->name, b->name, top, "qcow2") < 0)
            return -1;
    }
    return 0;
}

/* ---- reverts ---- */

int qemu_checkpoint_check_no_backup(qemu_dom *d, const char *snapshot)
{
    bool backup;

    g_mutex_lock(&d->host->lock);
    backup = d->backup != NULL;
    g_mutex_unlock(&d->host->lock);
    if (!backup)
        return 0;
    error_report(FROM, VIR_ERR_OPERATION_INVALID,
                 "cannot revert to snapshot '%s' while a backup job is running", snapshot);
    return -1;
}

int qemu_checkpoint_check_internal_revert(qemu_dom *d, const char *snapshot, const GPtrArray *disks)
{
    g_autoptr(GPtrArray) own = NULL;
    size_t n;

    if (qemu_checkpoint_check_no_backup(d, snapshot) < 0)
        return -1;
    g_mutex_lock(&d->host->lock);
    n = qemu_checkpoint_tree(d) ? moment_tree_size(d->checkpoints) : 0;
    g_mutex_unlock(&d->host->lock);
    if (n) {
        error_report(FROM, VIR_ERR_OPERATION_UNSUPPORTED,
                     "cannot revert to internal snapshot '%s' while the domain has %zu checkpoint(s): "
                     "a revert would make them wrong, and QEMU cannot load internal snapshots of "
                     "disks carrying dirty bitmaps; delete the checkpoints first", snapshot, n);
        return -1;
    }
    if (!disks) {
        if (qemu_bitmaps_read(d, &own) < 0)
            return -1;
        disks = own;
    }
    for (guint i = 0; i < disks->len; i++) {
        const qemu_disk_bitmaps *db = g_ptr_array_index(disks, i);
        for (guint j = 0; j < db->layers->len; j++) {
            const qemu_layer *l = g_ptr_array_index(db->layers, j);
            if (!l->bitmaps->len)
                continue;
            error_report(FROM, VIR_ERR_OPERATION_UNSUPPORTED,
                         "cannot revert to internal snapshot '%s': image '%s' of disk '%s' carries "
                         "dirty bitmap '%s', and QEMU cannot load internal snapshots of disks with "
                         "bitmaps; remove it (qemu-img bitmap --remove) first", snapshot, l->path,
                         db->dst, ((qemu_bitmap *)l->bitmaps->pdata[0])->name);
            return -1;
        }
    }
    return 0;
}
