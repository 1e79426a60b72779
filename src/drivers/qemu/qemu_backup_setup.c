/* Setting a backup up in QEMU and taking it down again: target or scratch images and
 * their nodes, the NBD server (optionally TLS), the one transaction that starts
 * every disk's job at the same instant (with the temporary "changed since" bitmaps
 * and the new checkpoint's bitmaps), the NBD exports; and the teardown, in the
 * recipes' order, whatever state the setup reached. */
#include "drivers/qemu/qemu_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "drivers/qemu/qemu_block.h"
#include "drivers/qemu/qemu_qcow2.h"
#include "drivers/qemu/qemu_procfs.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU
#define EXPORT_WAIT_MS 10000
#define CANCEL_WAIT_MS 60000

static int call(qmp_client *mon, const char *command, json_object *args)
{
    int rc = qmp_call(mon, command, args, QMP_TIMEOUT_DEFAULT, NULL);

    if (args)
        json_object_put(args);
    return rc;
}

static json_object *obj1(const char *key, const char *value)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, key, json_object_new_string(value));
    return o;
}

static backup_disk_def *def_disk(qemu_backup *b, const char *dst)
{
    for (size_t i = 0; i < b->def->ndisks; i++)
        if (strcmp(b->def->disks[i].name, dst) == 0)
            return &b->def->disks[i];
    return NULL;
}

/* ---- QEMU's events about the job ---- */

static void on_event(qmp_client *client, const char *name, json_object *data, gint64 ts, void *opaque)
{
    qemu_backup *b = opaque;
    const char *id = qemu_json_get_string(data, "id");

    if (!id)
        return;
    g_mutex_lock(&b->lock);
    for (guint i = 0; i < b->disks->len; i++) {
        qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        if (strcmp(name, "JOB_STATUS_CHANGE") == 0 && g_strcmp0(bd->job, id) == 0) {
            int st = qmp_job_status_from_string(qemu_json_get_string(data, "status"));
            if (st >= 0)
                bd->status = st;
        } else if (strcmp(name, "BLOCK_EXPORT_DELETED") == 0 && g_strcmp0(bd->export_id, id) == 0) {
            bd->export_gone = true;
        }
    }
    g_cond_broadcast(&b->cond);
    g_mutex_unlock(&b->lock);
}

static void on_closed(qmp_client *client, const char *reason, void *opaque)
{
    qemu_backup *b = opaque;

    g_mutex_lock(&b->lock);
    b->closed = true;
    g_cond_broadcast(&b->cond);
    g_mutex_unlock(&b->lock);
}

void qemu_backup_listen(qemu_backup *b, qmp_client *mon)
{
    static const qmp_listener ops = { on_event, on_closed };

    b->mon = qmp_client_ref(mon);
    b->listener = qmp_client_add_listener(mon, &ops, b);
    if (qmp_client_is_closed(mon))
        on_closed(mon, NULL, b);
}

/* Progress and errors of the disks' jobs; their status too until events tell it
 * (a job that concluded and was dismissed, by this process, is no longer listed). */
int qemu_backup_query(qemu_backup *b)
{
    g_autoptr(json_object) jobs = NULL;

    if (!b->mon || qmp_call(b->mon, "query-jobs", NULL, QMP_TIMEOUT_DEFAULT, &jobs) < 0)
        return -1;
    g_mutex_lock(&b->lock);
    for (guint i = 0; i < b->disks->len; i++) {
        qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        bool found = false;
        for (size_t j = 0; bd->job && j < qemu_json_array_len(jobs) && !found; j++) {
            json_object *job = json_object_array_get_idx(jobs, j);
            int st = qmp_job_status_from_string(qemu_json_get_string(job, "status"));
            if (g_strcmp0(qemu_json_get_string(job, "id"), bd->job) != 0)
                continue;
            found = true;
            bd->current = qemu_json_get_u64(job, "current-progress");
            bd->total = qemu_json_get_u64(job, "total-progress");
            /* the events are newer than a reply, unless none came yet (taking over) */
            if (st >= 0 && bd->status == QMP_JOB_UNDEFINED)
                bd->status = st;
            if (qemu_json_get_string(job, "error") && !bd->error)
                bd->error = g_strdup(qemu_json_get_string(job, "error"));
        }
        if (!found && bd->job && b->started && bd->status != QMP_JOB_NULL && bd->status != QMP_JOB_CONCLUDED) {
            bd->status = QMP_JOB_NULL;   /* gone: dismissed by someone else */
            if (!bd->error)
                bd->error = g_strdup("the job disappeared from QEMU");
        }
    }
    g_mutex_unlock(&b->lock);
    return 0;
}

/* Wait (up to ms) until done(b) holds, the monitor closing ends the wait. */
static bool wait_for(qemu_backup *b, bool (*done)(qemu_backup *), int ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
    bool ok;

    g_mutex_lock(&b->lock);
    while (!(ok = done(b)) && !b->closed && g_cond_wait_until(&b->cond, &b->lock, deadline)) {
    }
    g_mutex_unlock(&b->lock);
    return ok;
}

static bool exports_gone(qemu_backup *b)
{
    for (guint i = 0; i < b->disks->len; i++) {
        const qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        if (bd->export_id && !bd->export_gone)
            return false;
    }
    return true;
}

static bool jobs_concluded(qemu_backup *b)
{
    for (guint i = 0; i < b->disks->len; i++) {
        const qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        if (bd->job && bd->status != QMP_JOB_CONCLUDED && bd->status != QMP_JOB_NULL)
            return false;
    }
    return true;
}

/* ---- images and nodes ---- */

static int make_image(qemu_backup *b, qemu_backup_disk *bd)
{
    if (bd->block) {   /* a device is formatted, never created or removed */
        return bd->format == STORAGE_FORMAT_QCOW2 && !b->reuse
            ? qemu_qcow2_create(bd->path, bd->size, true) : 0;
    }
    if (b->reuse)
        return 0;
    if (b->scratch_dir && g_str_has_prefix(bd->path, b->scratch_dir) &&
        g_mkdir_with_parents(b->scratch_dir, 0700) < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot create directory '%s'", b->scratch_dir);
        return -1;
    }
    if ((bd->format == STORAGE_FORMAT_QCOW2 ? qemu_qcow2_create(bd->path, bd->size, false)
                                            : qemu_raw_create(bd->path, bd->size)) < 0)
        return -1;
    bd->created = true;
    return 0;
}

/* A full push writes its target once from start to end. Through the page cache, on
 * this kind of machine, the copy first fills memory and then waits on every qcow2
 * metadata flush for all of it to reach the disk; with O_DIRECT the disk writes at
 * its own pace from the start (see push_perf for the numbers). Incrementals write
 * scattered clusters and stay buffered. Only where the filesystem takes O_DIRECT. */
static bool direct_io(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);

    if (fd < 0)
        return false;
    close(fd);
    return true;
}

static int add_node(qemu_backup *b, qemu_backup_disk *bd)
{
    qemu_dom *d = b->d;
    json_object *args = json_object_new_object(), *file = json_object_new_object();
    backup_disk_def *bdd = def_disk(b, bd->dst);
    g_autofree char *storage = NULL;
    guint index;

    g_mutex_lock(&d->host->lock);
    index = d->run->next_node_index++;
    g_mutex_unlock(&d->host->lock);
    bd->node = qemu_block_format_node(index);
    storage = qemu_block_storage_node(index);
    bdd->store->index = index;
    json_object_object_add(file, "driver", json_object_new_string(bd->block ? "host_device" : "file"));
    json_object_object_add(file, "filename", json_object_new_string(bd->path));
    json_object_object_add(file, "node-name", json_object_new_string(storage));
    if (b->pull)
        json_object_object_add(file, "discard", json_object_new_string("unmap"));
    bd->direct = !b->pull && !bd->merge && direct_io(bd->path);
    if (bd->direct) {
        json_object *cache = json_object_new_object();
        json_object_object_add(cache, "direct", json_object_new_boolean(true));
        json_object_object_add(file, "cache", cache);
    }
    json_object_object_add(args, "node-name", json_object_new_string(bd->node));
    json_object_object_add(args, "driver", json_object_new_string(bd->format == STORAGE_FORMAT_QCOW2
                                                                      ? "qcow2" : "raw"));
    json_object_object_add(args, "file", file);
    if (b->pull) {
        /* fleecing: what the guest did not overwrite is read from the disk itself */
        json_object_object_add(args, "backing", json_object_new_string(bd->device));
        json_object_object_add(args, "discard", json_object_new_string("unmap"));
    } else if (bd->format == STORAGE_FORMAT_QCOW2) {
        json_object_object_add(args, "backing", NULL);
    }
    if (call(b->mon, "blockdev-add", args) < 0)
        return -1;
    bd->node_added = true;
    return 0;
}

/* ---- NBD ---- */

/* The directory of the server's certificates: ROOT/etc/pki/libvirt-backup,
 * ROOT/etc/pki/qemu, then the same under /etc. */
static char *tls_dir(qemu_host *h)
{
    const char *roots[] = { h->root, "/" };
    const char *subs[] = { "libvirt-backup", "qemu" };

    for (size_t r = 0; r < G_N_ELEMENTS(roots); r++) {
        for (size_t s = 0; s < G_N_ELEMENTS(subs); s++) {
            g_autofree char *dir = g_build_filename(roots[r], "etc", "pki", subs[s], NULL);
            g_autofree char *cert = g_build_filename(dir, "server-cert.pem", NULL);
            if (g_file_test(cert, G_FILE_TEST_EXISTS))
                return g_steal_pointer(&dir);
        }
    }
    error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                 "no TLS certificates for the backup's NBD server: put server-cert.pem, server-key.pem "
                 "and ca-cert.pem in '%s/etc/pki/libvirt-backup' or '/etc/pki/libvirt-backup'", h->root);
    return NULL;
}

static int start_tls(qemu_backup *b)
{
    g_autofree char *dir = tls_dir(b->d->host);
    json_object *args;

    if (!dir)
        return -1;
    args = obj1("qom-type", "tls-creds-x509");
    json_object_object_add(args, "id", json_object_new_string("libvirt_backup_tls0"));
    json_object_object_add(args, "dir", json_object_new_string(dir));
    json_object_object_add(args, "endpoint", json_object_new_string("server"));
    /* as libvirt's default (backup_tls_x509_verify): clients show a certificate of the CA */
    json_object_object_add(args, "verify-peer", json_object_new_boolean(true));
    if (call(b->mon, "object-add", args) < 0)
        return -1;
    b->tls_object = g_strdup("libvirt_backup_tls0");
    g_free(b->def->tls_alias);
    b->def->tls_alias = g_strdup(b->tls_object);
    return 0;
}

static int start_server(qemu_backup *b)
{
    const backup_server *srv = b->def->server;
    json_object *args = json_object_new_object(), *addr = json_object_new_object(), *data;

    if (b->def->tls == BACKUP_TLS_YES && start_tls(b) < 0) {
        json_object_put(args);
        json_object_put(addr);
        return -1;
    }
    if (srv->transport == BACKUP_TRANSPORT_UNIX) {
        json_object_object_add(addr, "type", json_object_new_string("unix"));
        data = obj1("path", srv->socket);
    } else {
        g_autofree char *port = g_strdup_printf("%u", srv->port);
        json_object_object_add(addr, "type", json_object_new_string("inet"));
        data = obj1("host", srv->name ? srv->name : "localhost");
        json_object_object_add(data, "port", json_object_new_string(port));
    }
    json_object_object_add(addr, "data", data);
    json_object_object_add(args, "addr", addr);
    if (b->tls_object)
        json_object_object_add(args, "tls-creds", json_object_new_string(b->tls_object));
    if (call(b->mon, "nbd-server-start", args) < 0)
        return -1;
    b->nbd_server = true;
    return 0;
}

static int add_export(qemu_backup *b, qemu_backup_disk *bd)
{
    backup_disk_def *bdd = def_disk(b, bd->dst);
    json_object *args = obj1("type", "nbd");

    bd->export_name = g_strdup(bdd->exportname ? bdd->exportname : bd->dst);
    json_object_object_add(args, "id", json_object_new_string(bd->job));
    json_object_object_add(args, "node-name", json_object_new_string(bd->node));
    json_object_object_add(args, "name", json_object_new_string(bd->export_name));
    json_object_object_add(args, "writable", json_object_new_boolean(false));
    if (bd->bitmap) {
        json_object *bitmaps = json_object_new_array();
        json_object_array_add(bitmaps, json_object_new_string(bd->bitmap));
        json_object_object_add(args, "bitmaps", bitmaps);
    }
    if (call(b->mon, "block-export-add", args) < 0)
        return -1;
    bd->export_id = g_strdup(bd->job);
    return 0;
}

/* ---- the transaction ---- */

static gint64 initial_speed;

void qemu_backup_set_initial_speed(unsigned long long bytes_per_second)
{
    initial_speed = (gint64)bytes_per_second;
}

int qemu_domain_backup_set_speed(virDomainPtr domain, unsigned long long bytes_per_second)
{
    qemu_dom *d = qemu_dom_acquire(domain);
    int rc = 0;

    if (!d)
        return -1;
    for (guint i = 0; d->backup && i < d->backup->disks->len && rc == 0; i++) {
        json_object *args = obj1("device", ((qemu_backup_disk *)d->backup->disks->pdata[i])->job);
        json_object_object_add(args, "speed", json_object_new_int64((int64_t)bytes_per_second));
        rc = call(d->mon, "block-job-set-speed", args);
    }
    qemu_dom_release(d);
    return rc;
}

/* The copy settings of a push job (QEMU's BackupPerf, in 7.2 as "x-perf"), per kind
 * of target (bench/README.md has the measurements; none changes the data or the
 * point-in-time semantics):
 * - an O_DIRECT target (a full push): read/write through QEMU's buffers, 1 MiB per
 *   request; copy_file_range into an O_DIRECT file is slower than the page cache
 *   (2 GiB in 2.0-2.6 s here, against 3.5-4.1 s with 256 KiB and 7-8 s with
 *   copy_file_range);
 * - a buffered target: QEMU's default 1 MiB bounce buffers are mapped and unmapped by
 *   glibc chunk after chunk (~300 MiB/s, CPU-bound), so use-copy-range lets the
 *   kernel copy file to file, and where it cannot (another filesystem, compressed
 *   clusters) QEMU's read/write fallback gets 256 KiB chunks, below glibc's mmap
 *   threshold.
 * max-chunk must not be below the target's cluster size: known (64 KiB) only for
 * targets made here, so a reused target keeps QEMU's default chunk. */
#define DIRECT_MAX_CHUNK (1024 * 1024)
#define BUFFERED_MAX_CHUNK (256 * 1024)

static json_object *push_perf(const qemu_backup *b, const qemu_backup_disk *bd)
{
    json_object *perf = json_object_new_object();

    json_object_object_add(perf, "use-copy-range", json_object_new_boolean(!bd->direct));
    if (!b->reuse)
        json_object_object_add(perf, "max-chunk",
                               json_object_new_int64(bd->direct ? DIRECT_MAX_CHUNK : BUFFERED_MAX_CHUNK));
    return perf;
}

static json_object *backup_action(qemu_backup *b, const qemu_backup_disk *bd)
{
    json_object *data = obj1("job-id", bd->job);
    json_object *a = obj1("type", "blockdev-backup");

    json_object_object_add(data, "device", json_object_new_string(bd->device));
    json_object_object_add(data, "target", json_object_new_string(bd->node));
    json_object_object_add(data, "sync", json_object_new_string(b->pull ? "none" : bd->bitmap ? "incremental"
                                                                                             : "full"));
    if (!b->pull && bd->bitmap)
        json_object_object_add(data, "bitmap", json_object_new_string(bd->bitmap));
    json_object_object_add(data, "auto-dismiss", json_object_new_boolean(false));
    if (initial_speed && !b->pull)
        json_object_object_add(data, "speed", json_object_new_int64(initial_speed));
    if (!b->pull)
        json_object_object_add(data, "x-perf", push_perf(b, bd));
    json_object_object_add(a, "data", data);
    return a;
}

static json_object *actions_for(qemu_backup *b, const checkpoint_def *chk)
{
    json_object *actions = json_object_new_array();

    for (guint i = 0; i < b->disks->len; i++) {
        qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        backup_disk_def *bdd = def_disk(b, bd->dst);
        bd->job = g_strdup_printf("backup-%s-%s", bd->dst, bd->node);
        if (!bd->merge)
            continue;
        bd->bitmap = b->pull && bdd->exportbitmap ? g_strdup(bdd->exportbitmap)
                                                  : g_strdup_printf("backup-%s", bd->dst);
        bd->bitmap_node = g_strdup(b->pull ? bd->node : bd->device);
        json_object_array_add(actions, qemu_bitmap_add_action(bd->bitmap_node, bd->bitmap, false, true));
        json_object_array_add(actions, qemu_bitmap_merge_action(bd->bitmap_node, bd->bitmap,
                                                                json_object_get(bd->merge)));
    }
    if (chk) {
        g_mutex_lock(&b->d->host->lock);
        qemu_checkpoint_add_actions(b->d, chk, actions);
        g_mutex_unlock(&b->d->host->lock);
    }
    for (guint i = 0; i < b->disks->len; i++)
        json_object_array_add(actions, backup_action(b, g_ptr_array_index(b->disks, i)));
    return actions;
}

/* QEMU refuses completion-mode 'grouped' with bitmap actions in the transaction: a
 * disk's job that fails makes the watcher end the backup, which cancels the others. */
static int start_jobs(qemu_backup *b, const checkpoint_def *chk)
{
    b->start_ms = g_get_real_time() / 1000;
    if (qemu_transaction(b->mon, actions_for(b, chk), NULL) < 0)
        return -1;
    b->started = true;
    return 0;
}

int qemu_backup_setup(qemu_backup *b, const checkpoint_def *chk)
{
    qemu_dom *d = b->d;

    g_mutex_lock(&d->host->lock);
    b->generation = d->generation;
    g_mutex_unlock(&d->host->lock);
    qemu_backup_listen(b, d->mon);
    for (guint i = 0; i < b->disks->len; i++) {
        qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        if (make_image(b, bd) < 0 || add_node(b, bd) < 0)
            goto fail;
    }
    if (b->pull && start_server(b) < 0)
        goto fail;
    if (start_jobs(b, chk) < 0)
        goto fail;
    for (guint i = 0; b->pull && i < b->disks->len; i++)
        if (add_export(b, g_ptr_array_index(b->disks, i)) < 0)
            goto fail;
    return 0;

 fail:;
    virErrorPtr saved = error_save();
    qemu_backup_teardown(b, true, false);
    error_restore(&saved);
    return -1;
}

/* ---- teardown ---- */

static void cancel_jobs(qemu_backup *b)
{
    bool cancelled = false;

    for (guint i = 0; i < b->disks->len; i++) {
        qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        g_mutex_lock(&b->lock);
        bool running = bd->status != QMP_JOB_CONCLUDED && bd->status != QMP_JOB_NULL;
        g_mutex_unlock(&b->lock);
        if (running) {
            call(b->mon, "job-cancel", obj1("id", bd->job));
            cancelled = true;
        }
        error_reset();
    }
    if (cancelled) {   /* the final progress and errors of what was cancelled */
        wait_for(b, jobs_concluded, CANCEL_WAIT_MS);
        qemu_backup_query(b);
    }
    for (guint i = 0; i < b->disks->len; i++) {
        qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        if (bd->status == QMP_JOB_CONCLUDED)
            call(b->mon, "job-dismiss", obj1("id", bd->job));
        error_reset();
        g_mutex_lock(&b->lock);
        bd->status = QMP_JOB_NULL;
        g_mutex_unlock(&b->lock);
    }
}

void qemu_backup_teardown(qemu_backup *b, bool alive, bool keep_targets)
{
    virErrorPtr saved = error_save();

    if (alive && b->mon && !qmp_client_is_closed(b->mon)) {
        for (guint i = 0; i < b->disks->len; i++) {
            qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
            json_object *args;
            if (!bd->export_id || bd->export_gone)
                continue;
            args = obj1("id", bd->export_id);   /* "hard": a client still connected is cut off */
            json_object_object_add(args, "mode", json_object_new_string("hard"));
            if (call(b->mon, "block-export-del", args) < 0)
                bd->export_gone = true;
        }
        wait_for(b, exports_gone, EXPORT_WAIT_MS);
        if (b->started)
            cancel_jobs(b);
        for (guint i = 0; i < b->disks->len; i++) {
            qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
            json_object *args;
            if (b->started && bd->bitmap && g_strcmp0(bd->bitmap_node, bd->device) == 0) {
                args = obj1("node", bd->device);
                json_object_object_add(args, "name", json_object_new_string(bd->bitmap));
                call(b->mon, "block-dirty-bitmap-remove", args);
            }
            if (bd->node_added && call(b->mon, "blockdev-del", obj1("node-name", bd->node)) == 0)
                bd->node_added = false;
        }
        if (b->nbd_server && call(b->mon, "nbd-server-stop", NULL) == 0)
            b->nbd_server = false;
        if (b->tls_object && call(b->mon, "object-del", obj1("id", b->tls_object)) == 0)
            g_clear_pointer(&b->tls_object, g_free);
        error_reset();
    }
    for (guint i = 0; i < b->disks->len; i++) {
        qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        if (bd->created && (b->pull || !keep_targets) && unlink(bd->path) == 0)
            bd->created = false;
    }
    if (b->scratch_dir)
        qemu_remove_tree(b->scratch_dir);
    error_restore(&saved);
}
