/* A running backup: the watcher thread that sleeps until QEMU's jobs conclude (or
 * QEMU goes away) and then ends the backup, the end itself (teardown, files, block
 * job events per disk, JOB_COMPLETED, statistics), and letting go of watchers when
 * the process closes the root. */
#include "drivers/qemu/qemu_backup.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "drivers/qemu/qemu_procfs.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU

/* Watcher threads still running, per host: closing a root waits for its own. */
static GMutex watchers_lock;
static GCond watchers_gone;
static GHashTable *watchers;   /* qemu_host* -> count */

static void watchers_add(qemu_host *h, int delta)
{
    g_mutex_lock(&watchers_lock);
    if (!watchers)
        watchers = g_hash_table_new(NULL, NULL);
    int n = GPOINTER_TO_INT(g_hash_table_lookup(watchers, h)) + delta;
    if (n)
        g_hash_table_insert(watchers, h, GINT_TO_POINTER(n));
    else
        g_hash_table_remove(watchers, h);
    g_cond_broadcast(&watchers_gone);
    g_mutex_unlock(&watchers_lock);
}

/* Whether QEMU's side is over: a push's jobs all concluded, or any job failing, or
 * any job of a pull ending (they only end when cancelled, or fail). */
static bool over(qemu_backup *b)
{
    guint concluded = 0;

    for (guint i = 0; i < b->disks->len; i++) {
        const qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        if (bd->status == QMP_JOB_ABORTING)
            return true;
        if (bd->status == QMP_JOB_CONCLUDED || bd->status == QMP_JOB_NULL)
            concluded++;
    }
    return b->pull ? concluded > 0 : concluded == b->disks->len;
}

/* Take d's job to end b; false when the process is letting go (nothing to do). */
static bool take_job(qemu_backup *b, bool *ret_job)
{
    qemu_dom *d = b->d;
    qemu_host *h = d->host;

    *ret_job = false;
    g_mutex_lock(&h->lock);
    for (;;) {
        if (h->closing || b->detach) {
            g_mutex_unlock(&h->lock);
            return false;
        }
        if (d->removed)
            break;          /* a transient domain that stopped: clean up without a job */
        if (qemu_dom_begin_job(d) == 0) {
            *ret_job = true;
            break;
        }
        error_reset();      /* another long operation: wait again */
    }
    bool mine = !b->ended && d->backup == b;
    if (!mine && *ret_job)
        qemu_dom_end_job(d);
    g_mutex_unlock(&h->lock);
    return mine;
}

/* A push's buffered targets (incrementals; full pushes where O_DIRECT is refused) fill
 * the page cache far faster than the disk writes them, and the kernel starts writing
 * only when a tenth of memory is dirty: left alone, the whole target would be written
 * by the flush that ends the job, after the copy instead of during it. So while a
 * push runs its targets' write-out is started every WRITEBACK_MS (sync_file_range: a
 * start, not a wait; the data is unchanged). */
#define WRITEBACK_MS 100

static void start_writeback(const qemu_backup *b)
{
    for (guint i = 0; i < b->disks->len; i++) {
        const qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        int fd = open(bd->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
        close(fd);
    }
}

static gpointer watch_thread(gpointer opaque)
{
    qemu_backup *b = opaque;
    qemu_dom *d = b->d;
    qemu_host *h = d->host;
    bool job = false;

    g_mutex_lock(&b->lock);
    while (!b->detach && !b->ended && !b->closed && !over(b)) {
        if (b->pull) {
            g_cond_wait(&b->cond, &b->lock);
            continue;
        }
        if (!g_cond_wait_until(&b->cond, &b->lock, g_get_monotonic_time() + WRITEBACK_MS * 1000)) {
            g_mutex_unlock(&b->lock);
            start_writeback(b);
            g_mutex_lock(&b->lock);
        }
    }
    bool go = !b->detach && !b->ended;
    g_mutex_unlock(&b->lock);
    if (go && take_job(b, &job)) {
        qemu_backup_end(b, QEMU_BACKUP_END_JOBS, NULL);
        if (job) {
            g_mutex_lock(&h->lock);
            qemu_dom_end_job(d);
            g_mutex_unlock(&h->lock);
        }
    }
    qemu_backup_unref(b);
    qemu_dom_unref(d);
    watchers_add(h, -1);
    return NULL;
}

void qemu_backup_watch(qemu_backup *b)
{
    watchers_add(b->d->host, 1);
    qemu_dom_ref(b->d);
    g_thread_unref(g_thread_new("backup-watch", watch_thread, qemu_backup_ref(b)));
}

void qemu_backup_host_closing(qemu_host *h)
{
    g_mutex_lock(&h->lock);
    for (guint i = 0; i < h->doms->len; i++) {
        qemu_backup *b = ((qemu_dom *)g_ptr_array_index(h->doms, i))->backup;
        if (!b)
            continue;
        g_mutex_lock(&b->lock);
        b->detach = true;
        g_cond_broadcast(&b->cond);
        g_mutex_unlock(&b->lock);
    }
    g_mutex_unlock(&h->lock);
    g_mutex_lock(&watchers_lock);
    while (watchers && g_hash_table_contains(watchers, h))
        g_cond_wait(&watchers_gone, &watchers_lock);
    g_mutex_unlock(&watchers_lock);
}

/* ---- the end ---- */

/* The first error QEMU gave, preferring a real one to "Operation canceled". */
static const char *job_error(const qemu_backup *b)
{
    const char *cancel = NULL;

    for (guint i = 0; i < b->disks->len; i++) {
        const qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        if (!bd->error)
            continue;
        if (!strstr(bd->error, "canceled") && !strstr(bd->error, "cancelled"))
            return bd->error;
        cancel = bd->error;
    }
    return cancel;
}

static int outcome(const qemu_backup *b, qemu_backup_end_why why, bool alive, const char **errmsg)
{
    const char *err = job_error(b);

    if (why == QEMU_BACKUP_END_ABORT && b->pull && (!err || strstr(err, "cancel"))) {
        *errmsg = err;   /* QEMU's "Operation canceled", which libvirt passes on */
        return VIR_DOMAIN_JOB_COMPLETED;   /* how a pull backup ends */
    }
    if (why == QEMU_BACKUP_END_ABORT) {
        *errmsg = NULL;
        return VIR_DOMAIN_JOB_CANCELLED;
    }
    if (!alive) {
        *errmsg = *errmsg ? *errmsg : "QEMU exited during the backup";
        return VIR_DOMAIN_JOB_FAILED;
    }
    if (err || b->pull) {
        *errmsg = err ? err : *errmsg ? *errmsg : "the backup job ended unexpectedly";
        return VIR_DOMAIN_JOB_FAILED;
    }
    *errmsg = NULL;
    return VIR_DOMAIN_JOB_COMPLETED;
}

static void emit_events(qemu_backup *b, int type, typed_params *tp)
{
    qemu_dom *d = b->d;
    event_domain ed = { d->def->name, d->def->uuid, d->id };
    int status = type == VIR_DOMAIN_JOB_COMPLETED ? VIR_DOMAIN_BLOCK_JOB_COMPLETED
               : type == VIR_DOMAIN_JOB_FAILED ? VIR_DOMAIN_BLOCK_JOB_FAILED
                                               : VIR_DOMAIN_BLOCK_JOB_CANCELED;

    for (guint i = 0; i < b->disks->len; i++) {
        const qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        if (bd->source)
            event_bus_block_job(d->host->events, &ed, VIR_DOMAIN_EVENT_ID_BLOCK_JOB, bd->source,
                                VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP, status);
        event_bus_block_job(d->host->events, &ed, VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2, bd->dst,
                            VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP, status);
    }
    event_bus_job_completed(d->host->events, &ed, typed_params_copy(tp->params, tp->nparams), tp->nparams);
}

void qemu_backup_end(qemu_backup *b, qemu_backup_end_why why, const char *errmsg)
{
    qemu_dom *d = b->d;
    qemu_host *h = d->host;
    typed_params tp = { 0 };
    g_autofree char *line = NULL;
    bool alive;
    int type;

    g_mutex_lock(&h->lock);
    alive = d->mon && d->mon == b->mon && d->generation == b->generation && !d->removed;
    g_mutex_unlock(&h->lock);
    alive = alive && !qmp_client_is_closed(b->mon);
    if (alive)
        qemu_backup_query(b);
    error_reset();
    g_mutex_lock(&b->lock);
    bool qemu_done = over(b);
    g_mutex_unlock(&b->lock);
    /* a push that QEMU finished is kept, unless it failed */
    bool keep = !b->pull && alive && why == QEMU_BACKUP_END_JOBS && qemu_done && !job_error(b);
    qemu_backup_teardown(b, alive, keep);
    type = outcome(b, why, alive, &errmsg);
    if (keep && type != VIR_DOMAIN_JOB_COMPLETED)
        qemu_backup_teardown(b, false, false);   /* an incomplete push leaves no target */

    g_mutex_lock(&b->lock);
    b->ended = true;
    g_cond_broadcast(&b->cond);
    g_mutex_unlock(&b->lock);
    g_mutex_lock(&h->lock);
    qemu_job_stats(b, &tp);
    typed_params_add_boolean(&tp, VIR_DOMAIN_JOB_SUCCESS, type == VIR_DOMAIN_JOB_COMPLETED);
    if (errmsg)
        typed_params_add_string(&tp, VIR_DOMAIN_JOB_ERRMSG, errmsg);
    emit_events(b, type, &tp);
    qemu_job_set_completed(d, &tp, type);
    if (d->backup == b) {
        d->backup = NULL;
        qemu_backup_unref(b);   /* the domain's reference; the caller holds another */
    }
    if (d->run)
        qemu_status_save(h, d);
    line = g_strdup_printf("backup job ended: %s%s%s",
                           type == VIR_DOMAIN_JOB_COMPLETED ? "completed"
                           : type == VIR_DOMAIN_JOB_FAILED ? "failed" : "cancelled",
                           errmsg ? ": " : "", errmsg ? errmsg : "");
    g_autofree char *log = d->run ? g_strdup(d->run->log_path) : NULL;
    g_mutex_unlock(&h->lock);
    if (log)
        qemu_log_append(log, line);
    error_reset();
}
