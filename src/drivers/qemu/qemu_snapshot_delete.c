/* virDomainSnapshotDelete for the QEMU driver: any snapshot, internal or external,
 * leaf or not, with or without its children. In order: the snapshots going are
 * marked <snapshotDeleteInProgress/> (a crash from here on leaves them listed and
 * marked: deleting them again finishes); internal tags and memory files go; the
 * images are brought in line (qemu_snapshot_merge.c); the metadata goes, children
 * rewritten before their parent's file is removed. METADATA_ONLY touches no image:
 * the files only the deleted snapshots needed are left to the user. */
#include "drivers/qemu/qemu_snapshot.h"
#include "drivers/common/moment_list.h"

#include <string.h>
#include <unistd.h>
#include "drivers/qemu/qemu_block.h"
#include "drivers/qemu/qemu_img.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU

typedef struct {
    qemu_host *h;
    qemu_dom *d;
    unsigned int flags;
    GPtrArray *targets;     /* moment* going, children before parents */
    GPtrArray *defs;        /* copies of their defs, in the same order */
} delete_ctx;

/* The snapshots that go (host locked). */
static void pick_targets(delete_ctx *c, moment *m)
{
    bool children = c->flags & (VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                                VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY);
    g_autoptr(GPtrArray) below = NULL;

    if (children) {
        below = moment_tree_list(c->d->snapshots, m, MOMENT_LIST_DESCENDANTS | MOMENT_LIST_TOPOLOGICAL,
                                 NULL, NULL);
        for (guint i = below->len; i-- > 0;)
            g_ptr_array_add(c->targets, below->pdata[i]);
    }
    if (!(c->flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY))
        g_ptr_array_add(c->targets, m);
    for (guint i = 0; i < c->targets->len; i++)
        g_ptr_array_add(c->defs, snapshot_def_copy(((moment *)c->targets->pdata[i])->def));
}

/* ---- internal tags ---- */

/* The node holding the tag of disk i of s while the domain runs (NULL: off the
 * running chain, qemu-img works), and, when it is a read-only backing layer, the
 * options that reopen it read-write (*ret_reopen, read-only when read_only). */
static char *tag_node(delete_ctx *c, const snapshot_def *s, size_t i, json_object **ret_reopen)
{
    const char *path = snap_image(s, i);
    domain_disk_def *disk;
    domain_disk_source *layer;
    char *node = NULL;

    *ret_reopen = NULL;
    g_mutex_lock(&c->h->lock);
    disk = qemu_dom_is_active(c->d) ? snap_dom_disk(c->d->def, s->disks[i].name) : NULL;
    if (disk && (layer = snap_live_layer(c->d, disk->dst, path))) {
        node = qemu_block_format_node(layer->index);
        if (layer != disk->src) {
            g_autofree char *json = qemu_block_format_json(disk, layer);
            *ret_reopen = qemu_json_parse(json, -1);
        }
    }
    g_mutex_unlock(&c->h->lock);
    return node;
}

/* blockdev-reopen of a backing layer, read-write or back to read-only. */
static int reopen(delete_ctx *c, json_object *options, bool writable)
{
    g_autoptr(json_object) args = json_object_new_object();
    json_object *list = json_object_new_array();

    json_object_object_add(options, "read-only", json_object_new_boolean(!writable));
    json_object_array_add(list, json_object_get(options));
    json_object_object_add(args, "options", list);
    return qmp_call(c->d->mon, "blockdev-reopen", args, QMP_TIMEOUT_DEFAULT, NULL);
}

static int delete_tag_online(delete_ctx *c, const char *name, const char *node, json_object *options)
{
    g_autoptr(json_object) args = json_object_new_object();
    json_object *devices = json_object_new_array();
    int rc;

    if (options && reopen(c, options, true) < 0)
        return -1;
    json_object_array_add(devices, json_object_new_string(node));
    json_object_object_add(args, "job-id", json_object_new_string("snap-delete"));
    json_object_object_add(args, "tag", json_object_new_string(name));
    json_object_object_add(args, "devices", devices);
    rc = snap_run_job(c->h, c->d, "snapshot-delete", args, "snap-delete", false);
    if (options && reopen(c, options, false) < 0 && rc == 0)
        rc = -1;
    return rc;
}

static int delete_tags(delete_ctx *c, const snapshot_def *s)
{
    for (size_t i = 0; i < s->ndisks; i++) {
        g_autoptr(json_object) options = NULL;
        g_autofree char *node = NULL;
        const char *path = snap_image(s, i);
        if (s->disks[i].snapshot != DOMAIN_SNAPSHOT_LOCATION_INTERNAL || !path ||
            access(path, F_OK) != 0)
            continue;
        node = tag_node(c, s, i, &options);
        qemu_snapshot_step("delete-tag");
        if (node ? delete_tag_online(c, s->name, node, options) < 0
                 : qemu_img_snapshot_delete(path, s->name) < 0 &&
                       !strstr(error_last() ? error_last()->message : "", "not found"))
            return -1;
        error_reset();
    }
    return 0;
}

/* ---- the steps ---- */

/* <snapshotDeleteInProgress/> on every captured disk of each target. */
static int mark(delete_ctx *c)
{
    for (guint t = 0; t < c->targets->len; t++) {
        moment *m = c->targets->pdata[t];
        snapshot_def *def = snapshot_def_copy(c->defs->pdata[t]);
        for (size_t i = 0; i < def->ndisks; i++)
            if (snap_image(def, i))
                def->disks[i].delete_in_progress = true;
        g_mutex_lock(&c->h->lock);
        moment_tree_set_def(c->d->snapshots, m, def);
        g_mutex_unlock(&c->h->lock);
        if (qemu_snapshot_save(c->d, m) < 0)
            return -1;
    }
    return 0;
}

static int remove_memory(delete_ctx *c, snap_registry *reg)
{
    bool dirty = false;

    for (guint t = 0; t < c->defs->len; t++) {
        const snapshot_def *s = c->defs->pdata[t];
        if (s->memory != DOMAIN_SNAPSHOT_LOCATION_EXTERNAL ||
            !snap_registry_has(reg, SNAP_OWN_MEMORY, s->memory_file))
            continue;
        qemu_snapshot_step("remove-memory");
        unlink(s->memory_file);
        snap_registry_remove(reg, SNAP_OWN_MEMORY, s->memory_file);
        dirty = true;
    }
    return dirty ? snap_registry_save(reg) : 0;
}

/* METADATA_ONLY: the images only the targets needed, and their memory files, are
 * the user's from now on (kept: never changed nor removed). */
static int disown(delete_ctx *c, snap_registry *reg)
{
    g_autoptr(snap_graph) before = NULL, after = NULL;
    g_autoptr(GHashTable) going = g_hash_table_new(NULL, NULL);
    g_autoptr(GPtrArray) kept = g_ptr_array_new();

    for (guint t = 0; t < c->targets->len; t++)
        g_hash_table_add(going, c->targets->pdata[t]);
    g_mutex_lock(&c->h->lock);
    before = snap_graph_build(c->d, c->d->snapshots, reg, NULL, false);
    after = snap_graph_build(c->d, c->d->snapshots, reg, going, false);
    g_mutex_unlock(&c->h->lock);
    for (guint i = 0; i < reg->items->len; i++) {
        snap_own *o = g_ptr_array_index(reg->items, i);
        const snap_disk_graph *b = o->disk ? snap_graph_disk(before, o->disk) : NULL;
        const snap_disk_graph *a = o->disk ? snap_graph_disk(after, o->disk) : NULL;
        if (o->kind == SNAP_OWN_IMAGE && b && g_hash_table_contains(b->needed, o->path) &&
            !(a && g_hash_table_contains(a->needed, o->path)))
            g_ptr_array_add(kept, o);
    }
    for (guint i = 0; i < kept->len; i++)
        ((snap_own *)kept->pdata[i])->kind = SNAP_OWN_KEPT;
    for (guint t = 0; t < c->defs->len; t++) {
        const snapshot_def *s = c->defs->pdata[t];
        if (s->memory == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL && s->memory_file)
            snap_registry_remove(reg, SNAP_OWN_MEMORY, s->memory_file);
    }
    return snap_registry_save(reg);
}

/* The tree without the targets, and its files (host unlocked). */
static int drop_metadata(delete_ctx *c, moment *m)
{
    bool children = c->flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN;
    bool only = c->flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY;
    g_autoptr(GPtrArray) moved = g_ptr_array_new();
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);

    g_mutex_lock(&c->h->lock);
    for (guint t = 0; t < c->targets->len; t++)
        g_ptr_array_add(names, g_strdup(((moment *)c->targets->pdata[t])->name));
    if (!children && !only)
        for (moment *k = m->first_child; k; k = k->next)
            g_ptr_array_add(moved, k);
    moment_delete(c->d->snapshots, m, children, only);
    g_mutex_unlock(&c->h->lock);
    for (guint i = 0; i < moved->len; i++)
        if (qemu_snapshot_save(c->d, moved->pdata[i]) < 0)
            return -1;
    if (qemu_snapshot_remove_files(c->d, (const char *const *)names->pdata, names->len) < 0)
        return -1;
    return qemu_snapshot_save_current(c->d);
}

static int delete(delete_ctx *c, moment *m)
{
    g_autoptr(snap_registry) reg = snap_registry_load(c->h, c->d->def->name);

    if (c->flags & VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY) {
        if (disown(c, reg) < 0)
            return -1;
        return drop_metadata(c, m);
    }
    if (mark(c) < 0)
        return -1;
    for (guint t = 0; t < c->defs->len; t++)
        if (delete_tags(c, c->defs->pdata[t]) < 0)
            return -1;
    if (remove_memory(c, reg) < 0 || qemu_snapshot_reconcile(c->h, c->d, false) < 0)
        return -1;
    return drop_metadata(c, m);
}

int qemu_snapshot_delete(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    delete_ctx c = { .flags = flags };
    moment *m = NULL;
    int rc = -1;

    if (!error_check_flags(flags, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                                  VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY |
                                  VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY,
                           FROM, "qemuDomainSnapshotDelete") ||
        !(c.d = qemu_dom_acquire(snapshot->domain)))
        return -1;
    c.h = c.d->host;
    c.targets = g_ptr_array_new();
    c.defs = g_ptr_array_new_with_free_func((GDestroyNotify)snapshot_def_free);
    g_mutex_lock(&c.h->lock);
    if (qemu_snapshot_tree(c.d) && (m = qemu_snapshot_find(c.d, snapshot->name)))
        pick_targets(&c, m);
    g_mutex_unlock(&c.h->lock);
    if (m)
        rc = delete(&c, m);
    g_ptr_array_unref(c.targets);
    g_ptr_array_unref(c.defs);
    qemu_dom_release(c.d);
    return rc;
}
