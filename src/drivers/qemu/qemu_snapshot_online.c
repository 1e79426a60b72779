/* What the snapshot code does through QMP and to the running domain's definitions:
 * jobs recorded in the status file while they run, new top layers and layers
 * merged away in the live chain, the persistent definition following the disks,
 * and a taken-over QEMU read back after a crash. */
#include "drivers/qemu/qemu_snapshot.h"

#include <string.h>
#include "drivers/qemu/qemu_block.h"
#include "drivers/qemu/qmp_job.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU

domain_disk_source *snap_live_layer(qemu_dom *d, const char *dst, const char *path)
{
    domain_disk_def *disk = snap_dom_disk(d->def, dst);

    for (domain_disk_source *s = disk ? disk->src : NULL; s && s->type != DOMAIN_DISK_TYPE_NONE;
         s = s->backing)
        if (g_strcmp0(s->path, path) == 0)
            return s;
    return NULL;
}

static void jobs_note(qemu_host *h, qemu_dom *d, const char *job_id, bool add)
{
    g_mutex_lock(&h->lock);
    if (d->run) {
        if (add)
            g_ptr_array_add(d->run->jobs, g_strdup(job_id));
        for (guint i = 0; !add && i < d->run->jobs->len; i++) {
            if (strcmp(g_ptr_array_index(d->run->jobs, i), job_id) == 0) {
                g_ptr_array_remove_index(d->run->jobs, i);
                break;
            }
        }
        qemu_status_save(h, d);
    }
    g_mutex_unlock(&h->lock);
}

static int complete(qmp_client *mon, const char *job_id)
{
    g_autoptr(json_object) args = json_object_new_object();

    json_object_object_add(args, "id", json_object_new_string(job_id));
    return qmp_call(mon, "job-complete", args, QMP_TIMEOUT_DEFAULT, NULL);
}

static int finalize(qmp_client *mon, const char *job_id)
{
    g_autoptr(json_object) args = json_object_new_object();

    json_object_object_add(args, "id", json_object_new_string(job_id));
    return qmp_call(mon, "job-finalize", args, QMP_TIMEOUT_DEFAULT, NULL);
}

/* READY (until_ready) or PENDING (a hook without until_ready): the hook, then
 * job-complete or job-finalize; the job is cancelled when either fails. */
static int at_stop(qemu_dom *d, qmp_job_watch *watch, const char *job_id, bool until_ready,
                   snap_job_hook hook, void *opaque)
{
    qmp_job_status at = until_ready ? QMP_JOB_READY : QMP_JOB_PENDING;

    if (qmp_job_watch_wait(watch, at, QMP_TIMEOUT_NONE, NULL, NULL) < 0)
        return -1;
    if (qmp_job_watch_status(watch) != at)
        return 0;     /* concluded (failed) before: its error is read at the end */
    qemu_snapshot_step(until_ready ? "job-ready" : "job-pending");
    if ((hook && hook(d, opaque) < 0) ||
        (until_ready ? complete(d->mon, job_id) : finalize(d->mon, job_id)) < 0) {
        qmp_job_abandon(watch);
        return -1;
    }
    return 0;
}

int snap_run_job_hook(qemu_host *h, qemu_dom *d, const char *command, json_object *args,
                      const char *job_id, bool until_ready, snap_job_hook hook, void *opaque)
{
    g_autoptr(qmp_job_watch) watch = NULL;
    int rc = -1;

    if (hook && !until_ready)
        json_object_object_add(args, "auto-finalize", json_object_new_boolean(false));
    jobs_note(h, d, job_id, true);
    watch = qmp_job_watch_new(d->mon, job_id);
    if (qmp_call(d->mon, command, args, QMP_TIMEOUT_DEFAULT, NULL) < 0)
        goto out;
    if ((until_ready || hook) && at_stop(d, watch, job_id, until_ready, hook, opaque) < 0)
        goto out;
    if (qmp_job_watch_wait(watch, QMP_JOB_CONCLUDED, QMP_TIMEOUT_NONE, NULL, NULL) == 0)
        rc = qmp_job_finish(watch, NULL);
 out:
    jobs_note(h, d, job_id, false);
    return rc;
}

int snap_run_job(qemu_host *h, qemu_dom *d, const char *command, json_object *args,
                 const char *job_id, bool until_ready)
{
    return snap_run_job_hook(h, d, command, args, job_id, until_ready, NULL, NULL);
}

int snap_switch_disks(qemu_host *h, qemu_dom *d, const snap_disk_move *moves, size_t n)
{
    domain_def **persistent;
    bool changed = false;
    int rc = 0;

    g_mutex_lock(&h->lock);
    persistent = qemu_dom_is_active(d) ? &d->new_def : &d->def;
    for (size_t i = 0; *persistent && i < n; i++) {
        if (g_strcmp0(snap_dom_disk_path(*persistent, moves[i].dst), moves[i].path) == 0 ||
            !snap_dom_disk(*persistent, moves[i].dst))
            continue;
        snap_dom_set_disk(persistent, moves[i].dst, moves[i].path, moves[i].format);
        changed = true;
    }
    if (changed && d->persistent) {
        qemu_snapshot_step("save-config");
        rc = qemu_dom_save_config(h, *persistent);
    }
    if (qemu_dom_is_active(d))
        qemu_status_save(h, d);
    g_mutex_unlock(&h->lock);
    return rc;
}

int snap_switch_disk(qemu_host *h, qemu_dom *d, const char *dst, const char *path, int format)
{
    snap_disk_move m = { dst, path, format };

    return snap_switch_disks(h, d, &m, 1);
}

/* ---- after a crash ---- */

/* Dismiss or cancel the jobs the previous owner left (they are all ours). */
static void drop_jobs(qemu_dom *d)
{
    g_autoptr(json_object) jobs = NULL;

    if (!d->run->jobs->len || qmp_call(d->mon, "query-jobs", NULL, QMP_TIMEOUT_DEFAULT, &jobs) < 0)
        return;
    for (guint i = 0; i < d->run->jobs->len; i++) {
        const char *id = g_ptr_array_index(d->run->jobs, i);
        for (size_t j = 0; j < qemu_json_array_len(jobs); j++) {
            json_object *job = json_object_array_get_idx(jobs, j);
            g_autoptr(qmp_job_watch) watch = NULL;
            if (g_strcmp0(qemu_json_get_string(job, "id"), id) != 0)
                continue;
            watch = qmp_job_watch_new(d->mon, id);
            if (g_strcmp0(qemu_json_get_string(job, "status"), "concluded") == 0)
                qmp_job_finish(watch, NULL);
            else
                qmp_job_abandon(watch);
        }
    }
    g_ptr_array_set_size(d->run->jobs, 0);
}

/* The live chain of disk i made to start at QEMU's top node when that is one of
 * its lower layers (a pivot the status file missed); its path, or NULL. */
static const char *follow_top(qemu_dom *d, size_t i, const char *node)
{
    domain_disk_def *disk = d->def->disks[i];
    qemu_disk_run *r = g_ptr_array_index(d->run->disks, i);
    domain_disk_source *s, *above = NULL;

    for (s = disk->src; s && s->type != DOMAIN_DISK_TYPE_NONE; above = s, s = s->backing) {
        g_autofree char *name = qemu_block_format_node(s->index);
        if (strcmp(name, node) != 0)
            continue;
        if (!above)
            return NULL;
        above->backing = NULL;
        domain_disk_source_free(disk->src);
        disk->src = s;
        g_free(r->format_node);
        g_free(r->storage_node);
        r->format_node = qemu_block_format_node(s->index);
        r->storage_node = qemu_block_storage_node(s->index);
        return s->path;
    }
    return NULL;
}

/* query-block's qdev (a QOM path or an id) is r's device. */
static bool same_device(const char *qdev, const qemu_disk_run *r)
{
    g_autofree char *path = g_strconcat("/machine/peripheral/", r->qdev, NULL);

    return strcmp(qdev, r->qdev) == 0 || strcmp(qdev, r->qemu_io_path) == 0 ||
           strcmp(qdev, path) == 0;
}

void snap_resync(qemu_host *h, qemu_dom *d)
{
    g_autoptr(json_object) block = NULL;
    g_autoptr(GPtrArray) moved = g_ptr_array_new_with_free_func(g_free);

    drop_jobs(d);
    if (qmp_call(d->mon, "query-block", NULL, QMP_TIMEOUT_DEFAULT, &block) < 0) {
        error_reset();
        return;
    }
    g_mutex_lock(&h->lock);
    for (size_t j = 0; j < qemu_json_array_len(block); j++) {
        json_object *dev = json_object_array_get_idx(block, j);
        const char *qdev = qemu_json_get_string(dev, "qdev");
        const char *node = qemu_json_get_string(qemu_json_get(dev, "inserted"), "node-name");
        for (guint i = 0; node && qdev && i < d->run->disks->len && i < d->def->ndisks; i++) {
            qemu_disk_run *r = g_ptr_array_index(d->run->disks, i);
            const char *path;
            if (!same_device(qdev, r) || g_strcmp0(r->format_node, node) == 0)
                continue;
            if ((path = follow_top(d, i, node))) {
                g_ptr_array_add(moved, g_strdup(d->def->disks[i]->dst));
                g_ptr_array_add(moved, g_strdup(path));
            }
        }
    }
    domain_def_changed(d->def);
    qemu_status_save(h, d);
    g_mutex_unlock(&h->lock);
    for (guint i = 0; i + 1 < moved->len; i += 2) {
        const char *path = moved->pdata[i + 1];
        g_autoptr(snap_image_info) info = NULL;
        if (snap_image_read(path, &info) == 0)
            snap_switch_disk(h, d, moved->pdata[i], path, info->format);
    }
    error_reset();
}
