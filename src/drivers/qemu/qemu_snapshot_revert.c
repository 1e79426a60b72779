/* virDomainRevertToSnapshot for the QEMU driver, to any snapshot of the tree: QEMU
 * is stopped (as libvirt has done since 7.10); internal disks get their tag back
 * (qemu-img snapshot -a, or snapshot-load with the memory); external disks continue
 * on fresh overlays on the snapshot's images, never written to; the domain starts
 * again from the snapshot's definition, with its memory (snapshot-load, or
 * -incoming from the memory file) when the snapshot has it. Images that nothing
 * needs any more afterwards are removed. */
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
    snapshot_def *def;      /* a copy of the snapshot's */
    unsigned int flags;
    bool online;            /* the snapshot has the memory of a running domain */
    GPtrArray *overlays;    /* per disk of def: the new image (external, or an internal
                             * one copied out of a frozen image), else NULL */
    GArray *copy;           /* per disk of def: an internal snapshot to copy out */
    domain_def *live;       /* what QEMU starts with: the snapshot's <domain> */
} revert_ctx;

static bool is_internal(const snapshot_def *def, size_t i)
{
    return def->disks[i].snapshot == DOMAIN_SNAPSHOT_LOCATION_INTERNAL && snap_image(def, i);
}

/* A free name for the overlay of disk i: the snapshot's own overlay name, or that
 * name with .1, .2, ... */
static char *overlay_name(const snapshot_def *def, size_t i)
{
    const char *base = def->disks[i].src->path;
    g_autofree char *fallback = NULL;

    if (!base)
        base = fallback = g_strdup_printf("%s.%s", snap_image(def, i), def->name);
    if (access(base, F_OK) != 0)
        return g_strdup(base);
    for (unsigned int n = 1;; n++) {
        char *name = g_strdup_printf("%s.%u", base, n);
        if (access(name, F_OK) != 0)
            return name;
        g_free(name);
    }
}

/* ---- checks, before anything changes ---- */

static int check_tag(revert_ctx *c, size_t i, const char *path)
{
    g_autoptr(GPtrArray) tags = NULL;

    if (qemu_img_snapshot_list(path, QEMU_IMG_FORCE_SHARE, &tags) < 0)
        return -1;
    for (guint j = 0; j < tags->len; j++)
        if (g_strcmp0(((qemu_img_snapshot *)tags->pdata[j])->name, c->def->name) == 0)
            return 0;
    error_report(FROM, VIR_ERR_OPERATION_INVALID, "internal snapshot '%s' is missing from image '%s' of disk '%s'",
                 c->def->name, path, c->def->disks[i].name);
    return -1;
}

/* Checkpoints: an internal revert is refused while the domain has checkpoints or
 * its disks carry bitmaps (QEMU 7.2 would fail half-way, and every checkpoint would
 * be wrong afterwards); no revert while a backup job runs. Before anything changes. */
static int check_checkpoints(revert_ctx *c)
{
    for (size_t i = 0; i < c->def->ndisks; i++)
        if (is_internal(c->def, i))
            return qemu_checkpoint_check_internal_revert(c->d, c->def->name, NULL);
    return qemu_checkpoint_check_no_backup(c->d, c->def->name);
}

/* Every image the revert needs exists, and the internal ones may be written. */
static int check_images(revert_ctx *c, moment_tree *tree)
{
    g_autoptr(snap_registry) reg = snap_registry_load(c->h, c->d->def->name);
    g_autoptr(snap_graph) g = NULL;

    g_mutex_lock(&c->h->lock);
    g = snap_graph_build(c->d, tree, reg, NULL, true);
    g_mutex_unlock(&c->h->lock);
    for (size_t i = 0; i < c->def->ndisks; i++) {
        const char *path = snap_image(c->def, i);
        const snap_disk_graph *dg = snap_graph_disk(g, c->def->disks[i].name);
        if (!path)
            continue;
        if (access(path, R_OK) != 0) {
            error_report(FROM, VIR_ERR_OPERATION_INVALID, "image '%s' of disk '%s' of snapshot '%s' is missing",
                         path, c->def->disks[i].name, c->def->name);
            return -1;
        }
        if (!is_internal(c->def, i))
            continue;
        if (dg && snap_graph_frozen(dg, path)) {
            /* the image must not change: the snapshot is copied out of it (disks
             * only; QEMU loads memory only from the image holding the tag) */
            if (c->online && c->def->memory == DOMAIN_SNAPSHOT_LOCATION_INTERNAL) {
                error_report(FROM, VIR_ERR_OPERATION_UNSUPPORTED,
                             "cannot revert to internal snapshot '%s' with its memory: image '%s' of disk "
                             "'%s' is the backing file of other snapshots' images now (an external "
                             "snapshot was taken after it)", c->def->name, path, c->def->disks[i].name);
                return -1;
            }
            g_array_index(c->copy, gboolean, i) = TRUE;
        }
        if (check_tag(c, i, path) < 0)
            return -1;
    }
    if (c->online && c->def->memory == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL &&
        access(c->def->memory_file, R_OK) != 0) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "memory state file '%s' of snapshot '%s' is missing",
                     c->def->memory_file, c->def->name);
        return -1;
    }
    return 0;
}

/* ---- the disks ---- */

/* An internal snapshot in a frozen image: a new image with what it holds, over the
 * same backing file. */
static int copy_out(revert_ctx *c, snap_registry *reg, size_t i, const char *path,
                    const snap_image_info *image)
{
    g_autofree char *base = g_strdup_printf("%s.%s", path, c->def->name);
    char *copy = g_strdup(base);

    for (unsigned int n = 1; access(copy, F_OK) == 0; n++) {
        g_free(copy);
        copy = g_strdup_printf("%s.%u", base, n);
    }
    g_ptr_array_index(c->overlays, i) = copy;
    snap_registry_add(reg, SNAP_OWN_IMAGE, c->def->disks[i].name, copy);
    if (snap_registry_save(reg) < 0)
        return -1;
    qemu_snapshot_step("copy-out");
    return qemu_img_snapshot_copy(path, c->def->name, image->backing,
                                  image->backing_format ? storage_format_to_string(image->backing_format)
                                                        : "qcow2", copy);
}

/* Internal disks reverted offline (without memory: snapshot-load does it otherwise),
 * external ones given fresh overlays. */
static int prepare_disks(revert_ctx *c)
{
    bool load = c->online && c->def->memory == DOMAIN_SNAPSHOT_LOCATION_INTERNAL;
    g_autoptr(snap_registry) reg = snap_registry_load(c->h, c->d->def->name);

    for (size_t i = 0; i < c->def->ndisks; i++) {
        const char *path = snap_image(c->def, i);
        g_autoptr(snap_image_info) base = NULL;
        char *overlay;
        if (!path)
            continue;
        if (is_internal(c->def, i) && !g_array_index(c->copy, gboolean, i)) {
            qemu_snapshot_step("apply-tag");
            if (!load && qemu_img_snapshot_apply(path, c->def->name) < 0)
                return -1;
            continue;
        }
        if (snap_image_read(path, &base) < 0)
            return -1;
        if (is_internal(c->def, i)) {
            if (copy_out(c, reg, i, path, base) < 0)
                return -1;
            continue;
        }
        overlay = overlay_name(c->def, i);
        g_ptr_array_index(c->overlays, i) = overlay;
        snap_registry_add(reg, SNAP_OWN_IMAGE, c->def->disks[i].name, overlay);
        if (snap_registry_save(reg) < 0)
            return -1;
        qemu_snapshot_step("create-overlay");
        if (qemu_img_create_overlay(overlay, base->virtual_size, path,
                                    storage_format_to_string(base->format)) < 0)
            return -1;
        /* the checkpoints older than the snapshot continue on the new overlay;
         * younger ones have no bitmap there and are reported broken if used */
        if (base->format == STORAGE_FORMAT_QCOW2 && qemu_checkpoint_overlay_offline(path, overlay) < 0)
            return -1;
    }
    return 0;
}

/* The snapshot's definition (live or inactive) on the reverted images; disks the
 * snapshot did not capture stay on what they use now. */
static domain_def *reverted_def(revert_ctx *c, const domain_def *from, const domain_def *now)
{
    domain_def *def = snap_dom_copy(from);

    for (size_t i = 0; i < def->ndisks; i++) {
        const char *dst = def->disks[i]->dst;
        const snapshot_disk_def *sd = NULL;
        const char *overlay = NULL;
        for (size_t j = 0; j < c->def->ndisks; j++) {
            if (strcmp(c->def->disks[j].name, dst) == 0) {
                sd = &c->def->disks[j];
                overlay = g_ptr_array_index(c->overlays, j);
            }
        }
        if (overlay) {
            snap_dom_set_disk(&def, dst, overlay, STORAGE_FORMAT_QCOW2);
        } else if ((!sd || sd->snapshot == DOMAIN_SNAPSHOT_LOCATION_NO) && snap_dom_disk_path(now, dst)) {
            const domain_disk_def *cur = snap_dom_disk(now, dst);
            snap_dom_set_disk(&def, dst, cur->src->path, cur->src->format);
        }
    }
    return def;
}

/* ---- the domain ---- */

static int load_internal(qemu_host *h, qemu_dom *d, void *opaque)
{
    revert_ctx *c = opaque;
    g_autoptr(json_object) args = json_object_new_object();
    json_object *devices = json_object_new_array();
    const char *vmstate = NULL;

    g_mutex_lock(&h->lock);
    for (size_t i = 0; i < c->def->ndisks; i++) {
        for (guint j = 0; is_internal(c->def, i) && j < d->run->disks->len; j++) {
            const qemu_disk_run *r = g_ptr_array_index(d->run->disks, j);
            if (strcmp(r->dst, c->def->disks[i].name) != 0)
                continue;
            json_object_array_add(devices, json_object_new_string(r->format_node));
            if (!vmstate)
                vmstate = json_object_get_string(json_object_array_get_idx(devices, 0));
        }
    }
    g_mutex_unlock(&h->lock);
    json_object_object_add(args, "job-id", json_object_new_string("snap-load"));
    json_object_object_add(args, "tag", json_object_new_string(c->def->name));
    json_object_object_add(args, "vmstate", json_object_new_string(vmstate ? vmstate : ""));
    json_object_object_add(args, "devices", devices);
    return snap_run_job(h, d, "snapshot-load", args, "snap-load", false);
}

static int load_external(qemu_host *h, qemu_dom *d, void *opaque)
{
    revert_ctx *c = opaque;
    g_autofree char *quoted = g_shell_quote(c->def->memory_file);
    g_autofree char *uri = g_strdup_printf("exec:cat %s", quoted);
    g_autoptr(json_object) args = json_object_new_object();

    json_object_object_add(args, "uri", json_object_new_string(uri));
    if (qmp_call(d->mon, "migrate-incoming", args, QMP_TIMEOUT_DEFAULT, NULL) < 0)
        return -1;
    for (;;) {
        g_autoptr(json_object) st = NULL;
        const char *status;
        if (qmp_call(d->mon, "query-migrate", NULL, QMP_TIMEOUT_DEFAULT, &st) < 0)
            return -1;
        status = qemu_json_get_string(st, "status");
        if (g_strcmp0(status, "completed") == 0)
            return 0;
        if (g_strcmp0(status, "failed") == 0 || g_strcmp0(status, "cancelled") == 0) {
            const char *desc = qemu_json_get_string(st, "error-desc");
            error_report(FROM, VIR_ERR_OPERATION_FAILED, "cannot load the memory from '%s': %s",
                         c->def->memory_file, desc ? desc : status);
            return -1;
        }
        g_usleep(1000);
    }
}

/* Stop QEMU "from snapshot" (a transient domain stays, to be started again). */
static int stop(revert_ctx *c)
{
    bool persistent;

    if (!qemu_dom_is_active(c->d))
        return 0;
    if (qemu_process_kill(c->d, false) < 0)
        return -1;
    g_mutex_lock(&c->h->lock);
    persistent = c->d->persistent;
    c->d->persistent = true;
    g_mutex_unlock(&c->h->lock);
    qemu_process_stop(c->h, c->d, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT, VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
    g_mutex_lock(&c->h->lock);
    c->d->persistent = persistent;
    g_mutex_unlock(&c->h->lock);
    return 0;
}

static int start(revert_ctx *c)
{
    bool want_run = c->flags & VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING;
    bool want_pause = c->flags & VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED;
    bool paused = want_pause || (c->def->state == SNAPSHOT_STATE_PAUSED && !want_run);
    static const char *const incoming[] = { "-incoming", "defer", NULL };
    qemu_start_extra extra = { .opaque = c, .paused_reason = VIR_DOMAIN_PAUSED_FROM_SNAPSHOT };

    if (!c->online && !want_run && !want_pause) {
        g_mutex_lock(&c->h->lock);
        qemu_dom_set_state(c->d, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
        g_mutex_unlock(&c->h->lock);
        return 0;
    }
    if (c->online && c->def->memory == DOMAIN_SNAPSHOT_LOCATION_INTERNAL) {
        extra.before_cont = load_internal;
    } else if (c->online && c->def->memory == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL) {
        extra.extra_args = incoming;
        extra.before_cont = load_external;
    }
    return qemu_process_start_extra(c->h, c->d, g_steal_pointer(&c->live),
                                    paused ? VIR_DOMAIN_START_PAUSED : 0,
                                    VIR_DOMAIN_RUNNING_FROM_SNAPSHOT, &extra);
}

/* The new definitions in place (config written) and the snapshot current. */
static int install(revert_ctx *c, moment_tree *tree, const char *name)
{
    domain_def *now, *persistent;
    int rc = 0;

    g_mutex_lock(&c->h->lock);
    now = c->d->def;
    c->live = reverted_def(c, c->def->dom, now);
    persistent = reverted_def(c, c->def->inactive_dom ? c->def->inactive_dom : c->def->dom, now);
    domain_def_free(c->d->def);
    c->d->def = persistent;
    if (c->d->persistent) {
        qemu_snapshot_step("save-config");
        rc = qemu_dom_save_config(c->h, persistent);
    }
    moment_tree_set_current(tree, moment_tree_find(tree, name));
    g_mutex_unlock(&c->h->lock);
    return rc < 0 ? -1 : qemu_snapshot_save_current(c->d);
}

static int revert(revert_ctx *c, moment_tree *tree, const char *name)
{
    if (check_checkpoints(c) < 0 || check_images(c, tree) < 0 || stop(c) < 0 || prepare_disks(c) < 0 || install(c, tree, name) < 0)
        return -1;
    if (qemu_snapshot_reconcile(c->h, c->d, true) < 0)
        error_reset();   /* left for the next change to remove */
    return start(c);
}

/* The snapshot's copy and the checks libvirt makes first (host locked). */
static int prepare(revert_ctx *c, const char *name)
{
    moment *m = qemu_snapshot_find(c->d, name);
    const snapshot_def *def = m ? m->def : NULL;
    bool online;

    if (!m)
        return -1;
    online = def->state == SNAPSHOT_STATE_RUNNING || def->state == SNAPSHOT_STATE_PAUSED;
    if (snap_deleting(def)) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID,
                     "snapshot '%s' is being deleted (interrupted): delete it again to finish", name);
        return -1;
    }
    if (!c->d->persistent && !online &&
        !(c->flags & (VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED))) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s",
                     "transient domain needs to request run or pause to revert to inactive snapshot");
        return -1;
    }
    if (!def->dom) {
        error_report(FROM, VIR_ERR_SNAPSHOT_REVERT_RISKY, "snapshot '%s' lacks domain '%s' rollback info",
                     name, c->d->def->name);
        return -1;
    }
    c->def = snapshot_def_copy(def);
    c->online = online && def->memory != DOMAIN_SNAPSHOT_LOCATION_NO;
    c->overlays = g_ptr_array_new_full((guint)def->ndisks, g_free);
    g_ptr_array_set_size(c->overlays, (guint)def->ndisks);
    c->copy = g_array_new(FALSE, TRUE, sizeof(gboolean));
    g_array_set_size(c->copy, (guint)def->ndisks);
    return 0;
}

int qemu_snapshot_revert(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    revert_ctx c = { .flags = flags };
    moment_tree *tree = NULL;
    int rc = -1;

    if (!error_check_flags(flags, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED |
                                  VIR_DOMAIN_SNAPSHOT_REVERT_FORCE | VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM,
                           FROM, "qemuDomainRevertToSnapshot") ||
        !(c.d = qemu_dom_acquire(snapshot->domain)))
        return -1;
    c.h = c.d->host;
    g_mutex_lock(&c.h->lock);
    if ((tree = qemu_snapshot_tree(c.d)) && prepare(&c, snapshot->name) < 0)
        tree = NULL;
    g_mutex_unlock(&c.h->lock);
    if (tree)
        rc = revert(&c, tree, snapshot->name);
    g_mutex_lock(&c.h->lock);
    snapshot->domain->id = c.d->id;
    g_mutex_unlock(&c.h->lock);
    snapshot_def_free(c.def);
    domain_def_free(c.live);
    if (c.overlays)
        g_ptr_array_unref(c.overlays);
    if (c.copy)
        g_array_unref(c.copy);
    qemu_dom_release(c.d);
    return rc;
}
