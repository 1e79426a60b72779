/* The domain job API of the QEMU driver for backup jobs: virDomainGetJobInfo and
 * virDomainGetJobStats (progress from query-jobs, asked without taking the domain's
 * job so that they answer while other work runs), the completed-job statistics, and
 * virDomainAbortJobFlags (which is how a pull backup ends). */
#include "drivers/qemu/qemu_backup.h"

#include "util/error.h"

#define FROM VIR_FROM_QEMU

void qemu_job_stats(const qemu_backup *b, typed_params *tp)
{
    unsigned long long now = (unsigned long long)(g_get_real_time() / 1000);
    unsigned long long total = 0, current = 0;

    g_mutex_lock((GMutex *)&b->lock);
    for (guint i = 0; i < b->disks->len; i++) {
        const qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        total += bd->total;
        current += bd->current;
    }
    g_mutex_unlock((GMutex *)&b->lock);
    typed_params_add_int(tp, VIR_DOMAIN_JOB_OPERATION, VIR_DOMAIN_JOB_OPERATION_BACKUP);
    typed_params_add_ullong(tp, VIR_DOMAIN_JOB_TIME_ELAPSED,
                            now > (unsigned long long)b->start_ms ? now - (unsigned long long)b->start_ms : 0);
    if (b->pull) {
        /* a fleecing job's progress is what copy-before-write put into the scratch */
        typed_params_add_ullong(tp, VIR_DOMAIN_JOB_DISK_TEMP_USED, current);
        typed_params_add_ullong(tp, VIR_DOMAIN_JOB_DISK_TEMP_TOTAL, total);
    } else {
        typed_params_add_ullong(tp, VIR_DOMAIN_JOB_DISK_TOTAL, total);
        typed_params_add_ullong(tp, VIR_DOMAIN_JOB_DISK_PROCESSED, current);
        typed_params_add_ullong(tp, VIR_DOMAIN_JOB_DISK_REMAINING, total > current ? total - current : 0);
    }
}

void qemu_job_set_completed(qemu_dom *d, typed_params *tp, int type)
{
    typed_params_free(d->job_completed, d->njob_completed);
    d->job_completed = g_steal_pointer(&tp->params);
    d->njob_completed = tp->nparams;
    d->job_completed_type = type;
    tp->nparams = tp->maxparams = 0;
}

void qemu_job_dom_free(qemu_dom *d)
{
    g_clear_pointer(&d->backup, qemu_backup_unref);
    typed_params_free(d->job_completed, d->njob_completed);
    d->job_completed = NULL;
    d->njob_completed = 0;
}

/* The running backup of a handle's domain, referenced, with its progress freshly
 * read; *ret_backup NULL when there is none. -1 when the domain is not running. */
static int current_backup(virDomainPtr domain, qemu_backup **ret_backup)
{
    qemu_dom *d = qemu_dom_lock(domain);
    qemu_backup *b = NULL;

    if (!d)
        return -1;
    if (!qemu_dom_is_active(d)) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        g_mutex_unlock(&d->host->lock);
        return -1;
    }
    if (d->backup)
        b = qemu_backup_ref(d->backup);
    g_mutex_unlock(&d->host->lock);
    if (b && qemu_backup_query(b) < 0)
        error_reset();    /* ending meanwhile: the last progress known */
    *ret_backup = b;
    return 0;
}

static unsigned long long param_ull(const typed_params *tp, const char *name)
{
    for (int i = 0; i < tp->nparams; i++)
        if (g_str_equal(tp->params[i].field, name))
            return tp->params[i].value.ul;
    return 0;
}

static int qemu_get_job_info(virDomainPtr domain, virDomainJobInfoPtr info)
{
    g_autoptr(qemu_backup) b = NULL;
    typed_params tp = { 0 };

    if (current_backup(domain, &b) < 0)
        return -1;
    info->type = VIR_DOMAIN_JOB_NONE;
    if (!b)
        return 0;
    qemu_job_stats(b, &tp);
    info->type = VIR_DOMAIN_JOB_UNBOUNDED;
    info->timeElapsed = param_ull(&tp, VIR_DOMAIN_JOB_TIME_ELAPSED);
    if (!b->pull) {
        info->fileTotal = info->dataTotal = param_ull(&tp, VIR_DOMAIN_JOB_DISK_TOTAL);
        info->fileProcessed = info->dataProcessed = param_ull(&tp, VIR_DOMAIN_JOB_DISK_PROCESSED);
        info->fileRemaining = info->dataRemaining = param_ull(&tp, VIR_DOMAIN_JOB_DISK_REMAINING);
    }
    typed_params_free(tp.params, tp.nparams);
    return 0;
}

static int completed_stats(virDomainPtr domain, int *type, virTypedParameterPtr *params, int *nparams,
                           bool keep)
{
    qemu_dom *d = qemu_dom_lock(domain);

    if (!d)
        return -1;
    *type = d->job_completed ? d->job_completed_type : VIR_DOMAIN_JOB_NONE;
    *params = d->job_completed ? typed_params_copy(d->job_completed, d->njob_completed) : NULL;
    *nparams = d->job_completed ? d->njob_completed : 0;
    if (!keep) {   /* read once, as libvirt */
        typed_params_free(d->job_completed, d->njob_completed);
        d->job_completed = NULL;
        d->njob_completed = 0;
    }
    g_mutex_unlock(&d->host->lock);
    return 0;
}

static int qemu_get_job_stats(virDomainPtr domain, int *type, virTypedParameterPtr *params,
                              int *nparams, unsigned int flags)
{
    g_autoptr(qemu_backup) b = NULL;
    typed_params tp = { 0 };

    if (!error_check_flags(flags, VIR_DOMAIN_JOB_STATS_COMPLETED | VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED,
                           FROM, "qemuDomainGetJobStats"))
        return -1;
    if (flags & VIR_DOMAIN_JOB_STATS_COMPLETED)
        return completed_stats(domain, type, params, nparams, flags & VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED);
    if (current_backup(domain, &b) < 0)
        return -1;
    *type = VIR_DOMAIN_JOB_NONE;
    *params = NULL;
    *nparams = 0;
    if (!b)
        return 0;
    qemu_job_stats(b, &tp);
    *type = VIR_DOMAIN_JOB_UNBOUNDED;
    *params = tp.params;
    *nparams = tp.nparams;
    return 0;
}

static int qemu_abort_job_flags(virDomainPtr domain, unsigned int flags)
{
    g_autoptr(qemu_backup) b = NULL;
    qemu_dom *d;
    int rc = -1;

    if (!error_check_flags(flags, VIR_DOMAIN_ABORT_JOB_POSTCOPY, FROM, "qemuDomainAbortJobFlags") ||
        !(d = qemu_dom_acquire(domain)))
        return -1;
    g_mutex_lock(&d->host->lock);
    if (!qemu_dom_is_active(d))
        error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
    else if (d->backup && (flags & VIR_DOMAIN_ABORT_JOB_POSTCOPY))
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s",
                     "current job is not outgoing migration in post-copy mode");
    else if (!d->backup)
        error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s", "no job is active on the domain");
    else
        b = qemu_backup_ref(d->backup);
    g_mutex_unlock(&d->host->lock);
    if (b) {
        qemu_backup_end(b, QEMU_BACKUP_END_ABORT, NULL);
        rc = 0;
    }
    qemu_dom_release(d);
    return rc;
}

void qemu_job_fill(vm_driver *drv)
{
    drv->domain_get_job_info = qemu_get_job_info;
    drv->domain_get_job_stats = qemu_get_job_stats;
    drv->domain_abort_job_flags = qemu_abort_job_flags;
}
