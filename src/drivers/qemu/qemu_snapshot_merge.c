/* Keeping a domain's images in line with its snapshots: files the driver made that
 * nothing needs are removed, and a layer that no snapshot pins any more, under a
 * single child layer, gets that child committed into it (block-commit while the
 * domain runs, qemu-img commit otherwise); then the references move to it and the
 * child goes. Every step leaves every remaining snapshot usable if a crash follows:
 * until the child is removed, it stays whole and its view equals the parent's. */
#include "drivers/qemu/qemu_snapshot.h"

#include <string.h>
#include <unistd.h>
#include "drivers/qemu/qemu_block.h"
#include "drivers/qemu/qemu_checkpoint.h"
#include "drivers/qemu/qemu_img.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU

typedef struct {
    qemu_host *h;
    qemu_dom *d;
    snap_registry *reg;
    const char *dst;
    const snap_image_info *parent;      /* P: the layer merged into */
    const snap_image_info *child;       /* C: the layer merged away */
    GPtrArray *others;                  /* C's own children (paths) */
    bool running;                       /* both in the running chain */
    bool active;                        /* C is the running top (active commit) */
} merge;

/* ---- removing what nothing needs ---- */

static int collect(qemu_host *h, qemu_dom *d, snap_registry *reg, const snap_graph *g)
{
    bool dirty = false;

    for (guint i = reg->items->len; i-- > 0;) {
        const snap_own *o = g_ptr_array_index(reg->items, i);
        const snap_disk_graph *dg = o->disk ? snap_graph_disk(g, o->disk) : NULL;
        if (o->kind != SNAP_OWN_IMAGE && o->kind != SNAP_OWN_KEPT)
            continue;
        if (access(o->path, F_OK) != 0) {
            g_ptr_array_remove_index(reg->items, i);
            dirty = true;
        } else if (o->kind == SNAP_OWN_IMAGE && (!dg || !g_hash_table_contains(dg->needed, o->path))) {
            qemu_snapshot_step("remove-image");
            if (unlink(o->path) == 0)
                g_ptr_array_remove_index(reg->items, i);
            dirty = true;
        }
    }
    return dirty ? snap_registry_save(reg) : 0;
}

/* ---- merging ---- */

static bool in_running(const snap_disk_graph *dg, const char *path)
{
    for (guint i = 0; dg->running && i < dg->running->len; i++)
        if (strcmp(dg->running->pdata[i], path) == 0)
            return true;
    return false;
}

/* Whether child may be merged into parent (an unpinned, needed layer). */
static bool mergeable(const snap_disk_graph *dg, const snap_registry *reg, const snap_image_info *parent,
                      const snap_image_info *child, GPtrArray *grandchildren)
{
    unsigned int bits = GPOINTER_TO_UINT(g_hash_table_lookup(dg->pins, child->path));

    if (!snap_registry_has(reg, SNAP_OWN_IMAGE, child->path) || child->format != STORAGE_FORMAT_QCOW2 ||
        (bits & (PIN_TAGS | PIN_KEPT)))
        return false;
    if ((bits & PIN_CURRENT) && grandchildren->len)
        return false;
    return in_running(dg, parent->path) == in_running(dg, child->path);
}

/* A layer to merge, or false. */
static bool find_merge(const snap_graph *g, const snap_registry *reg, merge *mg)
{
    for (guint i = 0; i < g->disks->len; i++) {
        const snap_disk_graph *dg = g_ptr_array_index(g->disks, i);
        GHashTableIter it;
        gpointer key, value;
        g_hash_table_iter_init(&it, dg->images);
        while (g_hash_table_iter_next(&it, &key, &value)) {
            g_autoptr(GPtrArray) children = NULL;
            const snap_image_info *child;
            if (g_hash_table_contains(dg->pins, key) || !g_hash_table_contains(dg->needed, key))
                continue;
            children = snap_graph_children(dg, key);
            if (children->len != 1 || !(child = g_hash_table_lookup(dg->images, children->pdata[0])))
                continue;
            mg->others = snap_graph_children(dg, child->path);
            if (mergeable(dg, reg, value, child, mg->others)) {
                mg->dst = dg->dst;
                mg->parent = value;
                mg->child = child;
                mg->running = in_running(dg, child->path);
                mg->active = mg->running && strcmp(dg->running->pdata[0], child->path) == 0;
                return true;
            }
            g_clear_pointer(&mg->others, g_ptr_array_unref);
        }
    }
    return false;
}

typedef struct {
    const char *child;
    const char *parent;
} bitmap_carry;

/* The child's checkpoint bitmaps go into the parent while the job holds on. */
static int carry_bitmaps(qemu_dom *d, void *opaque)
{
    const bitmap_carry *bc = opaque;

    return qemu_checkpoint_commit_online(d->mon, bc->child, bc->parent);
}

static int commit_online(merge *mg)
{
    g_autoptr(json_object) args = json_object_new_object();
    g_autofree char *top = NULL, *parent = NULL, *child = NULL;
    domain_disk_source *p, *c;
    domain_disk_def *disk;

    g_mutex_lock(&mg->h->lock);
    disk = snap_dom_disk(mg->d->def, mg->dst);
    p = snap_live_layer(mg->d, mg->dst, mg->parent->path);
    c = snap_live_layer(mg->d, mg->dst, mg->child->path);
    if (disk && p && c) {
        top = qemu_block_format_node(disk->src->index);
        parent = qemu_block_format_node(p->index);
        child = qemu_block_format_node(c->index);
    }
    g_mutex_unlock(&mg->h->lock);
    if (!top) {
        error_report(FROM, VIR_ERR_INTERNAL_ERROR, "image '%s' is not in the chain of disk '%s'",
                     mg->child->path, mg->dst);
        return -1;
    }
    json_object_object_add(args, "job-id", json_object_new_string("snap-commit"));
    json_object_object_add(args, "device", json_object_new_string(top));
    if (!mg->active)
        json_object_object_add(args, "top-node", json_object_new_string(child));
    json_object_object_add(args, "base-node", json_object_new_string(parent));
    json_object_object_add(args, "auto-dismiss", json_object_new_boolean(false));
    return snap_run_job_hook(mg->h, mg->d, "block-commit", args, "snap-commit", mg->active, carry_bitmaps,
                             &(bitmap_carry){ child, parent });
}

/* The merged layer leaves the live chain and QEMU. */
static void drop_live_layer(merge *mg)
{
    domain_disk_def *disk;
    domain_disk_source *c, *above = NULL;
    g_autofree char *format = NULL, *storage = NULL;

    g_mutex_lock(&mg->h->lock);
    disk = snap_dom_disk(mg->d->def, mg->dst);
    for (c = disk->src; c && g_strcmp0(c->path, mg->child->path) != 0; c = c->backing)
        above = c;
    if (c) {
        format = qemu_block_format_node(c->index);
        storage = qemu_block_storage_node(c->index);
        if (above)
            above->backing = c->backing;
        else
            disk->src = c->backing;
        c->backing = NULL;
        domain_disk_source_free(c);
        for (guint i = 0; !above && i < mg->d->run->disks->len; i++) {
            qemu_disk_run *r = g_ptr_array_index(mg->d->run->disks, i);
            if (strcmp(r->dst, mg->dst) != 0)
                continue;
            g_free(r->format_node);
            g_free(r->storage_node);
            r->format_node = qemu_block_format_node(disk->src->index);
            r->storage_node = qemu_block_storage_node(disk->src->index);
        }
        domain_def_changed(mg->d->def);
    }
    qemu_status_save(mg->h, mg->d);
    g_mutex_unlock(&mg->h->lock);
    for (int i = 0; format && i < 2; i++) {
        g_autoptr(json_object) args = json_object_new_object();
        json_object_object_add(args, "node-name", json_object_new_string(i ? storage : format));
        if (qmp_call(mg->d->mon, "blockdev-del", args, QMP_TIMEOUT_DEFAULT, NULL) < 0)
            error_reset();
    }
}

typedef struct {
    merge *mg;
    GPtrArray *changed;     /* moment* whose def now names the parent */
} rename_ctx;

static void rename_one(moment *m, void *opaque)
{
    rename_ctx *rc = opaque;
    snapshot_def *def = snap_def_rename_image(m->def, rc->mg->dst, rc->mg->child->path,
                                              rc->mg->parent->path, rc->mg->parent->format);

    if (!def)
        return;
    g_ptr_array_add(rc->changed, m);
    g_ptr_array_add(rc->changed, def);
}

/* Snapshots that named the child name the parent (same data by now). */
static int move_references(merge *mg)
{
    g_autoptr(GPtrArray) changed = g_ptr_array_new();
    rename_ctx rc = { mg, changed };

    g_mutex_lock(&mg->h->lock);
    moment_tree_foreach(mg->d->snapshots, rename_one, &rc);
    for (guint i = 0; i < changed->len; i += 2)
        moment_tree_set_def(mg->d->snapshots, changed->pdata[i], changed->pdata[i + 1]);
    g_mutex_unlock(&mg->h->lock);
    for (guint i = 0; i < changed->len; i += 2)
        if (qemu_snapshot_save(mg->d, changed->pdata[i]) < 0)
            return -1;
    return 0;
}

/* Whether the persistent definition has the disk on path. */
static bool persistent_uses(merge *mg, const char *path)
{
    const domain_def *def;
    bool ret;

    g_mutex_lock(&mg->h->lock);
    def = qemu_dom_is_active(mg->d) ? mg->d->new_def : mg->d->def;
    ret = def && g_strcmp0(snap_dom_disk_path(def, mg->dst), path) == 0;
    g_mutex_unlock(&mg->h->lock);
    return ret;
}

static int do_merge(merge *mg)
{
    const char *pfmt = storage_format_to_string(mg->parent->format);

    qemu_snapshot_step("commit");
    if (mg->running ? commit_online(mg) < 0 : qemu_img_commit(mg->child->path, NULL, true) < 0)
        return -1;
    /* shut off: the child's checkpoint bitmaps go down after the data (running: in
     * the job); until the child is removed this may be done again */
    if (!mg->running && mg->parent->format == STORAGE_FORMAT_QCOW2 &&
        qemu_checkpoint_commit_offline(mg->child->path, mg->parent->path) < 0)
        return -1;
    qemu_snapshot_step("committed");
    if (mg->running)
        drop_live_layer(mg);
    if (move_references(mg) < 0)
        return -1;
    for (guint i = 0; i < mg->others->len; i++) {
        qemu_snapshot_step("rebase");
        if (!mg->running && qemu_img_rebase_unsafe(mg->others->pdata[i], mg->parent->path, pfmt) < 0)
            return -1;
    }
    if (persistent_uses(mg, mg->child->path) &&
        snap_switch_disk(mg->h, mg->d, mg->dst, mg->parent->path, mg->parent->format) < 0)
        return -1;
    qemu_snapshot_step("remove-image");
    if (unlink(mg->child->path) < 0 && access(mg->child->path, F_OK) == 0) {
        error_report(FROM, VIR_ERR_SYSTEM_ERROR, "cannot remove '%s'", mg->child->path);
        return -1;
    }
    snap_registry_remove(mg->reg, SNAP_OWN_IMAGE, mg->child->path);
    return snap_registry_save(mg->reg);
}

int qemu_snapshot_reconcile(qemu_host *h, qemu_dom *d, bool gc_only)
{
    g_autoptr(snap_registry) reg = snap_registry_load(h, d->def->name);

    for (int round = 0; round < 10000; round++) {
        g_autoptr(snap_graph) g = NULL;
        merge mg = { h, d, reg };
        int rc;
        g_mutex_lock(&h->lock);
        g = snap_graph_build(d, d->snapshots, reg, NULL, false);
        g_mutex_unlock(&h->lock);
        if (collect(h, d, reg, g) < 0)
            return -1;
        if (gc_only || !find_merge(g, reg, &mg))
            return 0;
        rc = do_merge(&mg);
        g_ptr_array_unref(mg.others);
        if (rc < 0)
            return -1;
    }
    return 0;
}
