/* The test driver's backup jobs, simulated: a push job copies each disk's declared
 * size at the host's backup rate and ends by itself (or fails, for a disk the node
 * file says fails); a pull job serves until aborted. Progress, statistics, abort and
 * the block-job and job-completed events are as libvirt's QEMU driver reports them. */
#include "drivers/test/test_driver.h"
#include "drivers/common/backup_defaults.h"

#include <string.h>
#include "util/error.h"
#include "util/typedparam.h"

#define FROM VIR_FROM_TEST

struct test_job {
    test_host *h;
    test_dom *d;                 /* NULL once the job has ended */
    backup_def *def;
    bool pull;
    gint64 start;                /* monotonic µs */
    unsigned long long total;    /* bytes to copy */
    unsigned long long fail_at;  /* bytes after which it fails, 0: never */
    unsigned long long d_rate;   /* bytes per second */
    char *fail_disk;
    GThread *thread;
    GCond wake;
};

/* The job's bytes done so far. */
static unsigned long long processed(const struct test_job *job, gint64 now)
{
    unsigned long long done = (unsigned long long)((double)(now - job->start) / G_USEC_PER_SEC *
                                                   (double)job->d_rate);
    return MIN(done, job->total);
}

static unsigned long long elapsed_ms(const struct test_job *job, gint64 now)
{
    return (unsigned long long)(now - job->start) / 1000;
}

static void add_progress(typed_params *tp, const struct test_job *job, gint64 now)
{
    typed_params_add_int(tp, VIR_DOMAIN_JOB_OPERATION, VIR_DOMAIN_JOB_OPERATION_BACKUP);
    typed_params_add_ullong(tp, VIR_DOMAIN_JOB_TIME_ELAPSED, elapsed_ms(job, now));
    if (job->pull) {
        typed_params_add_ullong(tp, VIR_DOMAIN_JOB_DISK_TEMP_USED, 0);
        typed_params_add_ullong(tp, VIR_DOMAIN_JOB_DISK_TEMP_TOTAL, job->total);
    } else {
        unsigned long long done = processed(job, now);
        typed_params_add_ullong(tp, VIR_DOMAIN_JOB_DISK_TOTAL, job->total);
        typed_params_add_ullong(tp, VIR_DOMAIN_JOB_DISK_PROCESSED, done);
        typed_params_add_ullong(tp, VIR_DOMAIN_JOB_DISK_REMAINING, job->total - done);
    }
}

/* End the job (host locked): keep its final statistics, emit the block-job events of
 * each disk and the job-completed event, and let its thread go. */
static void job_end(struct test_job *job, int type, const char *errmsg)
{
    test_dom *d = job->d;
    test_host *h = job->h;
    event_domain ed = { d->def->name, d->uuid, d->id };
    int status = type == VIR_DOMAIN_JOB_COMPLETED ? VIR_DOMAIN_BLOCK_JOB_COMPLETED
               : type == VIR_DOMAIN_JOB_FAILED ? VIR_DOMAIN_BLOCK_JOB_FAILED
                                               : VIR_DOMAIN_BLOCK_JOB_CANCELED;
    typed_params tp = { 0 };

    add_progress(&tp, job, g_get_monotonic_time());
    typed_params_add_boolean(&tp, VIR_DOMAIN_JOB_SUCCESS, type == VIR_DOMAIN_JOB_COMPLETED);
    if (errmsg)
        typed_params_add_string(&tp, VIR_DOMAIN_JOB_ERRMSG, errmsg);
    typed_params_free(d->completed, d->ncompleted);
    d->completed = tp.params;
    d->ncompleted = tp.nparams;
    d->completed_type = type;

    for (size_t i = 0; i < job->def->ndisks; i++) {
        const backup_disk_def *bd = &job->def->disks[i];
        domain_disk_def *disk = domain_disk_find_by_target(d->def, bd->name);
        if (!bd->backup)
            continue;
        if (disk && disk->src->path && disk->src->type == DOMAIN_DISK_TYPE_FILE)
            event_bus_block_job(h->events, &ed, VIR_DOMAIN_EVENT_ID_BLOCK_JOB, disk->src->path,
                                VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP, status);
        event_bus_block_job(h->events, &ed, VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2, bd->name,
                            VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP, status);
    }
    event_bus_job_completed(h->events, &ed, typed_params_copy(tp.params, tp.nparams), tp.nparams);
    d->job = NULL;
    job->d = NULL;
    g_cond_signal(&job->wake);
}

static void job_free(struct test_job *job)
{
    backup_def_free(job->def);
    g_free(job->fail_disk);
    g_cond_clear(&job->wake);
    g_free(job);
}

/* The job's thread: sleep until the push is done (or fails), or until someone ends
 * the job; then free it. */
static gpointer job_thread(gpointer opaque)
{
    struct test_job *job = opaque;
    test_host *h = job->h;
    unsigned long long until = job->fail_at ? job->fail_at : job->total;
    gint64 deadline = job->start + (gint64)((double)until / (double)job->d_rate * G_USEC_PER_SEC);

    g_mutex_lock(&h->lock);
    while (job->d) {
        if (!job->pull && g_get_monotonic_time() >= deadline) {
            g_autofree char *msg = job->fail_at
                ? g_strdup_printf("simulated failure of disk '%s'", job->fail_disk) : NULL;
            job_end(job, msg ? VIR_DOMAIN_JOB_FAILED : VIR_DOMAIN_JOB_COMPLETED, msg);
            break;
        }
        if (job->pull)
            g_cond_wait(&job->wake, &h->lock);
        else
            g_cond_wait_until(&job->wake, &h->lock, deadline);
    }
    job_free(job);
    if (--h->njobs == 0)
        g_cond_broadcast(&h->jobs_gone);
    g_mutex_unlock(&h->lock);
    return NULL;
}

void test_backup_forget(test_host *h, test_dom *d)
{
    if (d->job)
        job_end(d->job, VIR_DOMAIN_JOB_FAILED, "the domain stopped");
}

const test_disk_info *test_disk_info_find(const test_dom *d, const char *dev)
{
    for (size_t i = 0; i < d->ndisk_infos; i++)
        if (strcmp(d->disk_infos[i].dev, dev) == 0)
            return &d->disk_infos[i];
    return NULL;
}

/* Size and failure of the disks the backup copies. */
static void job_measure(struct test_job *job, const test_dom *d)
{
    for (size_t i = 0; i < job->def->ndisks; i++) {
        const backup_disk_def *bd = &job->def->disks[i];
        const test_disk_info *info = test_disk_info_find(d, bd->name);
        unsigned long long size = info ? info->size : TEST_DEFAULT_DISK_SIZE;

        if (!bd->backup)
            continue;
        /* Nothing writes to a mock host's disks: an incremental copies nothing. */
        if (bd->backupmode == BACKUP_DISK_MODE_INCREMENTAL)
            size = 0;
        if (info && info->fail && !job->fail_at) {
            job->fail_at = job->total + size / 2 + 1;
            job->fail_disk = g_strdup(bd->name);
        }
        job->total += size;
    }
}

/* Everything a backup needs checked before anything changes; returns the aligned
 * definition. */
static backup_def *prepare(test_dom *d, const char *xml, const char *suffix)
{
    g_autoptr(backup_def) def = backup_def_parse_string(xml, 0);
    bool any = false;

    if (!def)
        return NULL;
    if (!test_dom_is_active(d)) {
        error_report(FROM, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                     "cannot perform disk backup for inactive domain");
        return NULL;
    }
    if (d->job) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s", "another backup job is already running");
        return NULL;
    }
    if (def->type == BACKUP_TYPE_PULL && (!def->server || (def->server->transport == BACKUP_TRANSPORT_TCP &&
                                                            !def->server->port))) {
        error_report(FROM, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                     "<domainbackup> must specify TCP port for now");
        return NULL;
    }
    if (backup_def_align_disks(def, d->def, suffix) < 0)
        return NULL;
    for (size_t i = 0; i < def->ndisks; i++) {
        const backup_disk_def *bd = &def->disks[i];
        if (!bd->backup)
            continue;
        any = true;
        if (bd->incremental && !moment_tree_find(d->checkpoints, bd->incremental)) {
            error_report(FROM, VIR_ERR_NO_DOMAIN_CHECKPOINT,
                         "Checkpoint '%s' for incremental backup of disk '%s' not found",
                         bd->incremental, bd->name);
            return NULL;
        }
    }
    if (!any) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "%s", "no disks selected for backup");
        return NULL;
    }
    backup_def_set_job_defaults(def);
    return g_steal_pointer(&def);
}

static void job_start(test_host *h, test_dom *d, backup_def *def)
{
    struct test_job *job = g_new0(struct test_job, 1);

    job->h = h;
    job->d = d;
    job->def = def;
    job->pull = def->type == BACKUP_TYPE_PULL;
    job->d_rate = d->backup_rate;
    job->start = g_get_monotonic_time();
    g_cond_init(&job->wake);
    job_measure(job, d);
    /* A new job forgets the statistics of the last one, as libvirt does. */
    typed_params_free(d->completed, d->ncompleted);
    d->completed = NULL;
    d->ncompleted = 0;
    d->job = job;
    h->njobs++;
    g_thread_unref(g_thread_new("test-backup", job_thread, job));
}

static int test_backup_begin(virDomainPtr domain, const char *backup_xml, const char *checkpoint_xml,
                             unsigned int flags)
{
    g_autoptr(checkpoint_def) chk = NULL;
    g_autofree char *suffix = NULL;
    backup_def *def;
    test_host *h;
    test_dom *d;

    if (!error_check_flags(flags, VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL, FROM, "testDomainBackupBegin"))
        return -1;
    if (checkpoint_xml && !(chk = checkpoint_def_parse_string(checkpoint_xml, &test_xml_options, 0, NULL)))
        return -1;
    if (!(d = test_dom_lock(domain, &h)))
        return -1;
    suffix = chk && chk->name ? g_strdup(chk->name)
                              : g_strdup_printf("%" G_GINT64_FORMAT, g_get_real_time() / G_USEC_PER_SEC);
    if (!(def = prepare(d, backup_xml, suffix)))
        goto error;
    if (checkpoint_xml && !test_checkpoint_create(d, checkpoint_xml, 0)) {
        backup_def_free(def);
        goto error;
    }
    job_start(h, d, def);
    g_mutex_unlock(&h->lock);
    return 0;

 error:
    g_mutex_unlock(&h->lock);
    return -1;
}

static char *test_backup_get_xml_desc(virDomainPtr domain, unsigned int flags)
{
    char *xml = NULL;
    test_host *h;
    test_dom *d;

    if (!error_check_flags(flags, 0, FROM, "testDomainBackupGetXMLDesc"))
        return NULL;
    if (!(d = test_dom_lock(domain, &h)))
        return NULL;
    if (d->job)
        xml = backup_def_format(d->job->def, 0);
    else
        error_report(FROM, VIR_ERR_NO_DOMAIN_BACKUP, "%s", "no domain backup job present");
    g_mutex_unlock(&h->lock);
    return xml;
}

static int test_get_job_info(virDomainPtr domain, virDomainJobInfoPtr info)
{
    test_host *h;
    test_dom *d;

    if (!(d = test_dom_lock_active(domain, &h)))
        return -1;
    info->type = VIR_DOMAIN_JOB_NONE;
    if (d->job) {
        gint64 now = g_get_monotonic_time();
        info->type = VIR_DOMAIN_JOB_UNBOUNDED;
        info->timeElapsed = elapsed_ms(d->job, now);
        if (!d->job->pull) {
            info->fileTotal = info->dataTotal = d->job->total;
            info->fileProcessed = info->dataProcessed = processed(d->job, now);
            info->fileRemaining = info->dataRemaining = d->job->total - info->fileProcessed;
        }
    }
    g_mutex_unlock(&h->lock);
    return 0;
}

static int test_get_job_stats(virDomainPtr domain, int *type, virTypedParameterPtr *params,
                              int *nparams, unsigned int flags)
{
    typed_params tp = { 0 };
    test_host *h;
    test_dom *d;

    if (!error_check_flags(flags, VIR_DOMAIN_JOB_STATS_COMPLETED | VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED,
                           FROM, "testDomainGetJobStats"))
        return -1;
    if (!(d = test_dom_lock(domain, &h)))
        return -1;
    if (!(flags & VIR_DOMAIN_JOB_STATS_COMPLETED) && !test_dom_check_active(d)) {
        g_mutex_unlock(&h->lock);
        return -1;
    }
    if (flags & VIR_DOMAIN_JOB_STATS_COMPLETED) {
        *type = d->completed ? d->completed_type : VIR_DOMAIN_JOB_NONE;
        *params = d->completed ? typed_params_copy(d->completed, d->ncompleted) : NULL;
        *nparams = d->completed ? d->ncompleted : 0;
        if (!(flags & VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED)) {
            typed_params_free(d->completed, d->ncompleted);
            d->completed = NULL;
            d->ncompleted = 0;
        }
    } else if (d->job) {
        add_progress(&tp, d->job, g_get_monotonic_time());
        *type = VIR_DOMAIN_JOB_UNBOUNDED;
        *params = tp.params;
        *nparams = tp.nparams;
    } else {
        *type = VIR_DOMAIN_JOB_NONE;
        *params = NULL;
        *nparams = 0;
    }
    g_mutex_unlock(&h->lock);
    return 0;
}

static int test_abort_job_flags(virDomainPtr domain, unsigned int flags)
{
    test_host *h;
    test_dom *d;

    if (!error_check_flags(flags, VIR_DOMAIN_ABORT_JOB_POSTCOPY, FROM, "testDomainAbortJobFlags"))
        return -1;
    if (!(d = test_dom_lock_active(domain, &h)))
        return -1;
    if (d->job && (flags & VIR_DOMAIN_ABORT_JOB_POSTCOPY)) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s",
                     "current job is not outgoing migration in post-copy mode");
        g_mutex_unlock(&h->lock);
        return -1;
    }
    if (!d->job) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s", "no job is active on the domain");
        g_mutex_unlock(&h->lock);
        return -1;
    }
    /* Ending a pull job is how a pull backup finishes. */
    job_end(d->job, d->job->pull ? VIR_DOMAIN_JOB_COMPLETED : VIR_DOMAIN_JOB_CANCELLED, NULL);
    g_mutex_unlock(&h->lock);
    return 0;
}

void test_backup_fill(vm_driver *drv)
{
    drv->domain_backup_begin = test_backup_begin;
    drv->domain_backup_get_xml_desc = test_backup_get_xml_desc;
    drv->domain_get_job_info = test_get_job_info;
    drv->domain_get_job_stats = test_get_job_stats;
    drv->domain_abort_job_flags = test_abort_job_flags;
}
