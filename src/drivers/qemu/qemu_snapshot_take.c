/* Taking a snapshot: internal ones with QMP's snapshot-save job (memory) or one
 * transaction of blockdev-snapshot-internal-sync (disks only) or qemu-img (shut
 * off); external ones by new qcow2 overlays switched to in one transaction of
 * blockdev-snapshot (all disks cut at the same instant), after the memory went to
 * its file by migration, or by the definition (shut off). A failure undoes it all. */
#include "drivers/qemu/qemu_snapshot.h"

#include <string.h>
#include <unistd.h>
#include "drivers/qemu/qemu_agent.h"
#include "drivers/qemu/qemu_block.h"
#include "drivers/qemu/qemu_checkpoint.h"
#include "drivers/qemu/qemu_img.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU

gint64 qemu_snapshot_last_transaction_us;

/* The format node of each captured disk of the running domain, in def order. */
static GPtrArray *captured_nodes(snap_create *c)
{
    GPtrArray *nodes = g_ptr_array_new_with_free_func(g_free);

    g_mutex_lock(&c->h->lock);
    for (size_t i = 0; i < c->def->ndisks; i++) {
        if (!snap_image(c->def, i))
            continue;
        for (guint j = 0; j < c->d->run->disks->len; j++) {
            const qemu_disk_run *r = g_ptr_array_index(c->d->run->disks, j);
            if (strcmp(r->dst, c->def->disks[i].name) == 0)
                g_ptr_array_add(nodes, g_strdup(r->format_node));
        }
    }
    g_mutex_unlock(&c->h->lock);
    return nodes;
}

static json_object *string_array(GPtrArray *items)
{
    json_object *a = json_object_new_array();

    for (guint i = 0; i < items->len; i++)
        json_object_array_add(a, json_object_new_string(items->pdata[i]));
    return a;
}

static void set_pause_reason(snap_create *c, int reason)
{
    g_mutex_lock(&c->h->lock);
    c->d->pause_reason = reason;
    g_mutex_unlock(&c->h->lock);
}

/* One transaction, timed for the benchmarks. */
static int transaction(snap_create *c, json_object *actions)
{
    g_autoptr(json_object) args = json_object_new_object();
    gint64 start = g_get_monotonic_time();
    int rc;

    json_object_object_add(args, "actions", json_object_get(actions));
    rc = qmp_call(c->d->mon, "transaction", args, QMP_TIMEOUT_DEFAULT, NULL);
    qemu_snapshot_last_transaction_us = g_get_monotonic_time() - start;
    return rc;
}

static void action_add(json_object *actions, const char *type, json_object *data)
{
    json_object *a = json_object_new_object();

    json_object_object_add(a, "type", json_object_new_string(type));
    json_object_object_add(a, "data", data);
    json_object_array_add(actions, a);
}

/* QUIESCE: freeze around the cut, thaw after whatever happened. */
static int quiesce(snap_create *c, bool freeze)
{
    virErrorPtr saved = NULL;
    int rc;

    if (!(c->flags & VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE))
        return 0;
    if (!freeze)
        saved = error_save();
    rc = qemu_agent_fsfreeze(c->d->def, freeze, NULL);
    if (!freeze) {
        if (saved)
            error_restore(&saved);
        else if (rc < 0)
            error_reset();   /* the snapshot is taken; a failed thaw is not its failure */
    }
    return rc;
}

/* ---- internal ---- */

static int internal_save(snap_create *c, GPtrArray *nodes)
{
    g_autoptr(json_object) args = json_object_new_object();
    int rc;

    json_object_object_add(args, "job-id", json_object_new_string("snap-save"));
    json_object_object_add(args, "tag", json_object_new_string(c->def->name));
    json_object_object_add(args, "vmstate", json_object_new_string(nodes->pdata[0]));
    json_object_object_add(args, "devices", string_array(nodes));
    if (c->running)
        set_pause_reason(c, VIR_DOMAIN_PAUSED_SNAPSHOT);
    if ((rc = snap_run_job(c->h, c->d, "snapshot-save", args, "snap-save", false)) < 0) {
        virErrorPtr saved = error_save();
        g_autoptr(json_object) del = json_object_new_object();
        set_pause_reason(c, -1);
        json_object_object_add(del, "job-id", json_object_new_string("snap-undo"));
        json_object_object_add(del, "tag", json_object_new_string(c->def->name));
        json_object_object_add(del, "devices", string_array(nodes));
        snap_run_job(c->h, c->d, "snapshot-delete", del, "snap-undo", false);
        error_restore(&saved);
    }
    return rc;
}

static int internal_transaction(snap_create *c, GPtrArray *nodes)
{
    g_autoptr(json_object) actions = json_object_new_array();
    int rc;

    for (guint i = 0; i < nodes->len; i++) {
        json_object *data = json_object_new_object();
        json_object_object_add(data, "device", json_object_new_string(nodes->pdata[i]));
        json_object_object_add(data, "name", json_object_new_string(c->def->name));
        action_add(actions, "blockdev-snapshot-internal-sync", data);
    }
    if (quiesce(c, true) < 0)
        return -1;
    rc = transaction(c, actions);
    quiesce(c, false);
    return rc;
}

static int internal_offline(snap_create *c)
{
    g_autoptr(GPtrArray) done = g_ptr_array_new();

    for (size_t i = 0; i < c->def->ndisks; i++) {
        const char *path = snap_image(c->def, i);
        if (!path)
            continue;
        if (qemu_img_snapshot_create(path, c->def->name) < 0) {
            virErrorPtr saved = error_save();
            for (guint j = 0; j < done->len; j++)
                qemu_img_snapshot_delete(done->pdata[j], c->def->name);
            error_restore(&saved);
            return -1;
        }
        g_ptr_array_add(done, (gpointer)path);
    }
    return 0;
}

int snap_take_internal(snap_create *c)
{
    g_autoptr(GPtrArray) nodes = NULL;

    if (!c->active)
        return internal_offline(c);
    nodes = captured_nodes(c);
    if (!nodes->len) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s", "nothing selected for snapshot");
        return -1;
    }
    if (c->def->memory == DOMAIN_SNAPSHOT_LOCATION_INTERNAL)
        return internal_save(c, nodes);
    return internal_transaction(c, nodes);
}

/* ---- external ---- */

typedef struct {
    const char *dst;
    const char *overlay;    /* the new image */
    char *base;             /* the image it goes on (the top until now) */
    int base_format;
    char *base_node;        /* running: the top's format node */
    guint index;            /* running: the overlay's node index */
} ext_disk;

static void ext_disk_clear(gpointer p)
{
    ext_disk *e = p;

    g_free(e->base);
    g_free(e->base_node);
}

/* The disks to cut, with the images they go on (live or persistent definition). */
static GArray *external_disks(snap_create *c)
{
    GArray *out = g_array_new(FALSE, TRUE, sizeof(ext_disk));

    g_array_set_clear_func(out, ext_disk_clear);
    g_mutex_lock(&c->h->lock);
    for (size_t i = 0; i < c->def->ndisks; i++) {
        const snapshot_disk_def *sd = &c->def->disks[i];
        const domain_disk_def *disk = snap_dom_disk(c->d->def, sd->name);
        ext_disk e = { sd->name, sd->src->path };
        if (sd->snapshot != DOMAIN_SNAPSHOT_LOCATION_EXTERNAL || !disk)
            continue;
        e.base = g_strdup(disk->src->path);
        e.base_format = disk->src->format ? disk->src->format : STORAGE_FORMAT_RAW;
        if (c->active) {
            e.base_node = qemu_block_format_node(disk->src->index);
            e.index = c->d->run->next_node_index++;
        }
        g_array_append_val(out, e);
    }
    g_mutex_unlock(&c->h->lock);
    return out;
}

/* The overlay files: new, or reused (REUSE_EXT) with their backing set. */
static int make_overlays(snap_create *c, GArray *disks)
{
    for (guint i = 0; i < disks->len; i++) {
        ext_disk *e = &g_array_index(disks, ext_disk, i);
        const char *fmt = storage_format_to_string(e->base_format);
        g_autoptr(snap_image_info) base = NULL;
        if (snap_image_read(e->base, &base) < 0)
            return -1;
        qemu_snapshot_step("create-overlay");
        if (access(e->overlay, F_OK) == 0) {
            if (qemu_img_rebase_unsafe(e->overlay, e->base, fmt) < 0)
                return -1;
        } else {
            if (qemu_img_create_overlay(e->overlay, base->virtual_size, e->base, fmt) < 0)
                return -1;
            g_ptr_array_add(c->created, g_strdup(e->overlay));
        }
        /* shut off: the checkpoints' bitmaps continue in the overlay (running: in
         * the snapshot's transaction) */
        if (!c->active && base->format == STORAGE_FORMAT_QCOW2 &&
            qemu_checkpoint_overlay_offline(e->base, e->overlay) < 0)
            return -1;
        snap_registry_add(c->reg, SNAP_OWN_IMAGE, e->dst, e->overlay);
    }
    return snap_registry_save(c->reg);
}

static int node_del(qmp_client *mon, const char *node)
{
    g_autoptr(json_object) args = json_object_new_object();

    json_object_object_add(args, "node-name", json_object_new_string(node));
    return qmp_call(mon, "blockdev-del", args, QMP_TIMEOUT_DEFAULT, NULL);
}

static int add_nodes(snap_create *c, const ext_disk *e)
{
    g_autoptr(json_object) file = json_object_new_object();
    g_autoptr(json_object) fmt = json_object_new_object();
    g_autofree char *storage = qemu_block_storage_node(e->index);
    g_autofree char *format = qemu_block_format_node(e->index);

    json_object_object_add(file, "driver", json_object_new_string("file"));
    json_object_object_add(file, "filename", json_object_new_string(e->overlay));
    json_object_object_add(file, "node-name", json_object_new_string(storage));
    json_object_object_add(file, "auto-read-only", json_object_new_boolean(true));
    json_object_object_add(file, "discard", json_object_new_string("unmap"));
    json_object_object_add(fmt, "node-name", json_object_new_string(format));
    json_object_object_add(fmt, "read-only", json_object_new_boolean(false));
    json_object_object_add(fmt, "driver", json_object_new_string("qcow2"));
    json_object_object_add(fmt, "file", json_object_new_string(storage));
    json_object_object_add(fmt, "backing", NULL);
    if (qmp_call(c->d->mon, "blockdev-add", file, QMP_TIMEOUT_DEFAULT, NULL) < 0)
        return -1;
    if (qmp_call(c->d->mon, "blockdev-add", fmt, QMP_TIMEOUT_DEFAULT, NULL) < 0) {
        virErrorPtr saved = error_save();
        node_del(c->d->mon, storage);
        error_restore(&saved);
        return -1;
    }
    return 0;
}

static void del_nodes(snap_create *c, GArray *disks, guint n)
{
    virErrorPtr saved = error_save();

    for (guint i = 0; i < n; i++) {
        const ext_disk *e = &g_array_index(disks, ext_disk, i);
        g_autofree char *storage = qemu_block_storage_node(e->index);
        g_autofree char *format = qemu_block_format_node(e->index);
        node_del(c->d->mon, format);
        node_del(c->d->mon, storage);
    }
    error_restore(&saved);
}

/* The memory by migration into the file ("exec:", QEMU 7.2 has no "file:"); the
 * guest is stopped at the end (LIVE) or from the start. */
static int save_memory(snap_create *c)
{
    g_autoptr(json_object) caps = json_object_new_object(), params = json_object_new_object();
    g_autoptr(json_object) mig = json_object_new_object();
    g_autofree char *quoted = g_shell_quote(c->def->memory_file);
    g_autofree char *uri = g_strdup_printf("exec:cat > %s", quoted);
    json_object *list = json_object_new_array(), *cap = json_object_new_object();
    bool live = c->flags & VIR_DOMAIN_SNAPSHOT_CREATE_LIVE;

    json_object_object_add(cap, "capability", json_object_new_string("events"));
    json_object_object_add(cap, "state", json_object_new_boolean(true));
    json_object_array_add(list, cap);
    json_object_object_add(caps, "capabilities", list);
    json_object_object_add(params, "max-bandwidth", json_object_new_int64(1LL << 40));
    json_object_object_add(mig, "uri", json_object_new_string(uri));
    if (qmp_call(c->d->mon, "migrate-set-capabilities", caps, QMP_TIMEOUT_DEFAULT, NULL) < 0 ||
        qmp_call(c->d->mon, "migrate-set-parameters", params, QMP_TIMEOUT_DEFAULT, NULL) < 0)
        return -1;
    if (c->running) {
        set_pause_reason(c, VIR_DOMAIN_PAUSED_SNAPSHOT);
        if (!live && qmp_call(c->d->mon, "stop", NULL, QMP_TIMEOUT_DEFAULT, NULL) < 0)
            return -1;
    }
    g_ptr_array_add(c->created, g_strdup(c->def->memory_file));
    if (qmp_call(c->d->mon, "migrate", mig, QMP_TIMEOUT_DEFAULT, NULL) < 0)
        return -1;
    for (;;) {
        g_autoptr(json_object) st = NULL;
        const char *status;
        if (qmp_call(c->d->mon, "query-migrate", NULL, QMP_TIMEOUT_DEFAULT, &st) < 0)
            return -1;
        status = qemu_json_get_string(st, "status");
        if (g_strcmp0(status, "completed") == 0)
            return 0;
        if (g_strcmp0(status, "failed") == 0 || g_strcmp0(status, "cancelled") == 0) {
            const char *desc = qemu_json_get_string(st, "error-desc");
            error_report(FROM, VIR_ERR_OPERATION_FAILED, "cannot save the memory to '%s': %s",
                         c->def->memory_file, desc ? desc : status);
            return -1;
        }
        g_usleep(1000);
    }
}

/* One transaction: each disk onto its overlay, and the checkpoints' bitmaps of its
 * old top added to the overlay at the same instant (bitmaps: as read before). */
static int blockdev_snapshots(snap_create *c, GArray *disks, const GPtrArray *bitmaps)
{
    g_autoptr(json_object) actions = json_object_new_array();

    for (guint i = 0; i < disks->len; i++) {
        const ext_disk *e = &g_array_index(disks, ext_disk, i);
        json_object *data = json_object_new_object();
        g_autofree char *overlay = qemu_block_format_node(e->index);
        json_object_object_add(data, "node", json_object_new_string(e->base_node));
        json_object_object_add(data, "overlay", json_object_new_string(overlay));
        action_add(actions, "blockdev-snapshot", data);
    }
    for (guint i = 0; i < disks->len; i++) {
        const ext_disk *e = &g_array_index(disks, ext_disk, i);
        g_autofree char *overlay = qemu_block_format_node(e->index);
        qemu_checkpoint_overlay_actions(bitmaps, e->dst, overlay, actions);
    }
    return transaction(c, actions);
}

/* The persistent definition on the overlays, written once. */
static int switch_config(snap_create *c, GArray *disks)
{
    g_autofree snap_disk_move *moves = g_new0(snap_disk_move, disks->len + 1);

    for (guint i = 0; i < disks->len; i++) {
        const ext_disk *e = &g_array_index(disks, ext_disk, i);
        moves[i] = (snap_disk_move){ e->dst, e->overlay, STORAGE_FORMAT_QCOW2 };
    }
    return snap_switch_disks(c->h, c->d, moves, disks->len);
}

/* The live chain and the persistent definition follow the new overlays. */
static void follow_overlays(snap_create *c, GArray *disks)
{
    g_mutex_lock(&c->h->lock);
    for (guint i = 0; c->active && i < disks->len; i++) {
        const ext_disk *e = &g_array_index(disks, ext_disk, i);
        domain_disk_def *disk = snap_dom_disk(c->d->def, e->dst);
        domain_disk_source *top = domain_disk_source_new();
        for (guint j = 0; j < c->d->run->disks->len; j++) {
            qemu_disk_run *r = g_ptr_array_index(c->d->run->disks, j);
            if (strcmp(r->dst, e->dst) != 0)
                continue;
            g_free(r->format_node);
            g_free(r->storage_node);
            r->format_node = qemu_block_format_node(e->index);
            r->storage_node = qemu_block_storage_node(e->index);
        }
        top->type = DOMAIN_DISK_TYPE_FILE;
        top->format = STORAGE_FORMAT_QCOW2;
        top->path = g_strdup(e->overlay);
        top->index = e->index;
        top->backing = disk->src;
        disk->src = top;
    }
    domain_def_changed(c->d->def);
    g_mutex_unlock(&c->h->lock);
    if (switch_config(c, disks) < 0)
        error_reset();   /* QEMU is switched: the config follows at the next change */
}

static int external_online(snap_create *c, GArray *disks)
{
    bool memory = c->def->memory == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL;
    g_autoptr(GPtrArray) bitmaps = NULL;
    guint added = 0;
    int rc = -1;

    if (qemu_bitmaps_read(c->d, &bitmaps) < 0)
        return -1;
    for (; added < disks->len; added++)
        if (add_nodes(c, &g_array_index(disks, ext_disk, added)) < 0)
            goto out;
    if (quiesce(c, true) < 0)
        goto out;
    if ((!memory || save_memory(c) == 0) && blockdev_snapshots(c, disks, bitmaps) == 0)
        rc = 0;
    quiesce(c, false);
 out:
    if (rc < 0)
        del_nodes(c, disks, added);
    else
        follow_overlays(c, disks);
    if (memory && c->running && !(rc == 0 && (c->flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT))) {
        virErrorPtr saved = error_save();
        qmp_call(c->d->mon, "cont", NULL, QMP_TIMEOUT_DEFAULT, NULL);
        error_restore(&saved);
    }
    return rc;
}

int snap_take_external(snap_create *c)
{
    g_autoptr(GArray) disks = external_disks(c);

    if (make_overlays(c, disks) < 0)
        return -1;
    if (c->active)
        return external_online(c, disks);
    return switch_config(c, disks);
}

void snap_halt(qemu_host *h, qemu_dom *d)
{
    if (!qemu_dom_is_active(d))
        return;
    if (qemu_process_kill(d, false) < 0) {
        error_reset();
        return;
    }
    qemu_process_stop(h, d, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT, VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
}
