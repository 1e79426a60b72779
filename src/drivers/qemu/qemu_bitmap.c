/* The dirty bitmaps of a domain's disks, layer by layer: read from QEMU or from the
 * images, checked for use as a checkpoint, merged for a backup; transaction actions. */
#include "drivers/qemu/qemu_checkpoint.h"

#include <string.h>
#include "drivers/qemu/qemu_block.h"
#include "drivers/qemu/qemu_img.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU

static void bitmap_free(gpointer p)
{
    qemu_bitmap *b = p;

    g_free(b->name);
    g_free(b);
}

static void layer_free(gpointer p)
{
    qemu_layer *l = p;

    g_free(l->node);
    g_free(l->path);
    if (l->bitmaps)
        g_ptr_array_unref(l->bitmaps);
    g_free(l);
}

void qemu_disk_bitmaps_free(qemu_disk_bitmaps *disk)
{
    if (!disk)
        return;
    g_free(disk->dst);
    g_free(disk->source);
    g_ptr_array_unref(disk->layers);
    g_free(disk);
}

static qemu_disk_bitmaps *disk_new(const domain_disk_def *disk)
{
    qemu_disk_bitmaps *db = g_new0(qemu_disk_bitmaps, 1);

    db->dst = g_strdup(disk->dst);
    db->source = g_strdup(disk->src->path);
    db->layers = g_ptr_array_new_with_free_func(layer_free);
    return db;
}

static qemu_layer *layer_new(const char *node, const char *path, bool qcow2)
{
    qemu_layer *l = g_new0(qemu_layer, 1);

    l->node = g_strdup(node);
    l->path = g_strdup(path);
    l->qcow2 = qcow2;
    l->bitmaps = g_ptr_array_new_with_free_func(bitmap_free);
    return l;
}

/* ---- a running domain: QEMU's view ---- */

static void live_layer(qemu_disk_bitmaps *db, const GPtrArray *nodes, const domain_disk_source *src)
{
    g_autofree char *name = qemu_block_format_node(src->index);
    const qemu_block_node *n = qemu_block_find_node(nodes, name);
    qemu_layer *l = layer_new(name, src->path, src->format == STORAGE_FORMAT_QCOW2);

    if (n) {
        l->qcow2 = g_strcmp0(n->driver, "qcow2") == 0;
        l->read_only = n->read_only;
        if (!db->layers->len)
            db->virtual_size = n->virtual_size;
        for (guint i = 0; i < n->bitmaps->len; i++) {
            const qemu_block_bitmap *qb = g_ptr_array_index(n->bitmaps, i);
            qemu_bitmap *b;
            if (!qb->name)
                continue;     /* a job's own */
            b = g_new0(qemu_bitmap, 1);
            b->name = g_strdup(qb->name);
            b->inconsistent = qb->inconsistent;
            b->recording = qb->recording;
            b->busy = qb->busy;
            b->count = qb->count;
            g_ptr_array_add(l->bitmaps, b);
        }
    }
    g_ptr_array_add(db->layers, l);
}

static int read_live(qemu_dom *d, GPtrArray *out)
{
    qemu_host *h = d->host;
    g_autoptr(GPtrArray) nodes = NULL;

    if (qemu_block_query_nodes(d->mon, &nodes) < 0)
        return -1;
    g_mutex_lock(&h->lock);
    for (size_t i = 0; i < d->def->ndisks; i++) {
        const domain_disk_def *disk = d->def->disks[i];
        qemu_disk_bitmaps *db;
        if (domain_disk_is_empty(disk))
            continue;
        db = disk_new(disk);
        for (const domain_disk_source *s = disk->src; s && s->type != DOMAIN_DISK_TYPE_NONE; s = s->backing)
            live_layer(db, nodes, s);
        g_ptr_array_add(out, db);
    }
    g_mutex_unlock(&h->lock);
    return 0;
}

/* ---- a domain that is shut off: the images ---- */

static void offline_layer(qemu_disk_bitmaps *db, const qemu_img_info *info)
{
    qemu_layer *l = layer_new(NULL, info->filename, g_strcmp0(info->format, "qcow2") == 0);

    if (!db->layers->len)
        db->virtual_size = info->virtual_size;
    for (guint i = 0; info->bitmaps && i < info->bitmaps->len; i++) {
        const qemu_img_bitmap *ib = g_ptr_array_index(info->bitmaps, i);
        qemu_bitmap *b = g_new0(qemu_bitmap, 1);
        b->name = g_strdup(ib->name);
        b->inconsistent = ib->in_use;    /* nobody holds the image: in use = not closed */
        b->recording = ib->recording;
        g_ptr_array_add(l->bitmaps, b);
    }
    g_ptr_array_add(db->layers, l);
}

static int read_offline(qemu_dom *d, GPtrArray *out)
{
    qemu_host *h = d->host;
    g_autoptr(GPtrArray) disks = g_ptr_array_new_with_free_func((GDestroyNotify)qemu_disk_bitmaps_free);
    g_autoptr(GPtrArray) formats = g_ptr_array_new_with_free_func(g_free);

    g_mutex_lock(&h->lock);
    for (size_t i = 0; i < d->def->ndisks; i++) {
        const domain_disk_def *disk = d->def->disks[i];
        if (domain_disk_is_empty(disk))
            continue;
        g_ptr_array_add(disks, disk_new(disk));
        g_ptr_array_add(formats, g_strdup(disk->src->format == STORAGE_FORMAT_QCOW2 ? "qcow2" : NULL));
    }
    g_mutex_unlock(&h->lock);
    for (guint i = 0; i < disks->len; i++) {
        qemu_disk_bitmaps *db = g_ptr_array_index(disks, i);
        g_autoptr(qemu_img_info) info = NULL;
        const char *format = g_ptr_array_index(formats, i);
        if (!format) {
            g_ptr_array_add(db->layers, layer_new(NULL, db->source, false));
            continue;
        }
        if (qemu_img_get_info(db->source, format, QEMU_IMG_BACKING_CHAIN, &info) < 0)
            return -1;
        for (const qemu_img_info *l = info; l; l = l->backing)
            offline_layer(db, l);
    }
    for (guint i = 0; i < disks->len; i++)
        g_ptr_array_add(out, g_steal_pointer(&disks->pdata[i]));
    return 0;
}

int qemu_bitmaps_read(qemu_dom *d, GPtrArray **ret_disks)
{
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)qemu_disk_bitmaps_free);
    int rc = d->mon ? read_live(d, out) : read_offline(d, out);

    if (rc < 0)
        return -1;
    *ret_disks = g_steal_pointer(&out);
    return 0;
}

const qemu_disk_bitmaps *qemu_bitmaps_find(const GPtrArray *disks, const char *dst)
{
    for (guint i = 0; disks && i < disks->len; i++) {
        const qemu_disk_bitmaps *db = g_ptr_array_index(disks, i);
        if (strcmp(db->dst, dst) == 0)
            return db;
    }
    return NULL;
}

/* ---- checks ---- */

static const qemu_bitmap *layer_find(const qemu_layer *l, const char *name)
{
    for (guint i = 0; i < l->bitmaps->len; i++) {
        const qemu_bitmap *b = g_ptr_array_index(l->bitmaps, i);
        if (strcmp(b->name, name) == 0)
            return b;
    }
    return NULL;
}

bool qemu_bitmap_usable(const qemu_disk_bitmaps *disk, const char *bitmap, char **ret_why)
{
    const qemu_layer *top = disk && disk->layers->len ? g_ptr_array_index(disk->layers, 0) : NULL;
    const qemu_bitmap *b = top ? layer_find(top, bitmap) : NULL;
    g_autofree char *why = NULL;

    if (!top || !top->qcow2) {
        why = g_strdup("the disk's image is not qcow2");
    } else if (!b) {
        why = g_strdup_printf("the image '%s' has no such bitmap (QEMU stopped without saving it, "
                              "or it was removed)", top->path);
    } else {
        for (guint i = 0; i < disk->layers->len && (b = layer_find(disk->layers->pdata[i], bitmap)); i++) {
            if (b->inconsistent) {
                const qemu_layer *l = g_ptr_array_index(disk->layers, i);
                why = g_strdup_printf("the bitmap in image '%s' is inconsistent (QEMU did not close "
                                      "the image cleanly)", l->path);
                break;
            }
        }
        if (!why && !layer_find(top, bitmap)->recording)
            why = g_strdup_printf("the bitmap in image '%s' is disabled", top->path);
    }
    bool ok = why == NULL;
    if (ret_why)
        *ret_why = g_steal_pointer(&why);
    return ok;
}

void qemu_bitmap_report_broken(const char *bitmap, const char *dst, const char *why,
                               const char *checkpoint)
{
    error_report(FROM, VIR_ERR_CHECKPOINT_INCONSISTENT,
                 "missing or broken bitmap '%s' for disk '%s': %s; checkpoint '%s' cannot be used: "
                 "delete it (virsh checkpoint-delete) with the checkpoints made before the problem, "
                 "and take a full backup to start a new chain", bitmap, dst, why ? why : "unknown",
                 checkpoint);
}

json_object *qemu_bitmap_merge_sources(const qemu_disk_bitmaps *disk, const char *bitmap)
{
    json_object *sources = json_object_new_array();

    for (guint i = 0; i < disk->layers->len; i++) {
        const qemu_layer *l = g_ptr_array_index(disk->layers, i);
        json_object *src;
        if (!layer_find(l, bitmap))
            break;
        src = json_object_new_object();
        json_object_object_add(src, "node", json_object_new_string(l->node));
        json_object_object_add(src, "name", json_object_new_string(bitmap));
        json_object_array_add(sources, src);
    }
    return sources;
}

/* ---- transactions ---- */

static json_object *action(const char *type, json_object *data)
{
    json_object *a = json_object_new_object();

    json_object_object_add(a, "type", json_object_new_string(type));
    json_object_object_add(a, "data", data);
    return a;
}

json_object *qemu_bitmap_action(const char *type, const char *node, const char *name)
{
    json_object *data = json_object_new_object();

    json_object_object_add(data, "node", json_object_new_string(node));
    json_object_object_add(data, "name", json_object_new_string(name));
    return action(type, data);
}

json_object *qemu_bitmap_add_action(const char *node, const char *name, bool persistent, bool disabled)
{
    json_object *a = qemu_bitmap_action("block-dirty-bitmap-add", node, name);
    json_object *data = qemu_json_get(a, "data");

    json_object_object_add(data, "persistent", json_object_new_boolean(persistent));
    if (disabled)
        json_object_object_add(data, "disabled", json_object_new_boolean(true));
    return a;
}

json_object *qemu_bitmap_merge_action(const char *node, const char *target, json_object *sources)
{
    json_object *data = json_object_new_object();

    json_object_object_add(data, "node", json_object_new_string(node));
    json_object_object_add(data, "target", json_object_new_string(target));
    json_object_object_add(data, "bitmaps", sources);
    return action("block-dirty-bitmap-merge", data);
}

int qemu_transaction(qmp_client *mon, json_object *actions, json_object *properties)
{
    g_autoptr(json_object) args = json_object_new_object();

    json_object_object_add(args, "actions", actions);
    if (properties)
        json_object_object_add(args, "properties", properties);
    return qmp_call(mon, "transaction", args, QMP_TIMEOUT_DEFAULT, NULL);
}
