/* QMP jobs: following a job's status to its conclusion, its error, dismissing it. */
#include "drivers/qemu/qmp_job.h"

#include <string.h>
#include "drivers/qemu/qmp_priv.h"
#include "util/error.h"

#define ABANDON_TIMEOUT_MS 10000

ENUM_IMPL(qmp_job_status, QMP_JOB_STATUS_LAST,
          "undefined", "created", "running", "paused", "ready", "standby", "waiting",
          "pending", "aborting", "concluded", "null");

struct qmp_job_watch {
    qmp_client *client;
    guint listener;
    char *id;
    GMutex lock;             /* protects what follows */
    GCond cond;
    qmp_job_status status;
    guint64 changes;         /* status events seen so far */
    bool closed;
};

/* What query-jobs says about one job. */
typedef struct {
    bool found;
    qmp_job_status status;
    unsigned long long current, total;
    char *error;
} job_info;

static void watch_event(qmp_client *client, const char *name, json_object *data,
                        gint64 timestamp_us, void *opaque)
{
    qmp_job_watch *w = opaque;
    const char *id = qemu_json_get_string(data, "id");
    int st = qmp_job_status_from_string(qemu_json_get_string(data, "status"));

    if (strcmp(name, "JOB_STATUS_CHANGE") != 0 || !id || strcmp(id, w->id) != 0 || st < 0)
        return;
    g_mutex_lock(&w->lock);
    w->status = st;
    w->changes++;
    g_cond_broadcast(&w->cond);
    g_mutex_unlock(&w->lock);
}

static void watch_closed(qmp_client *client, const char *reason, void *opaque)
{
    qmp_job_watch *w = opaque;

    g_mutex_lock(&w->lock);
    w->closed = true;
    g_cond_broadcast(&w->cond);
    g_mutex_unlock(&w->lock);
}

qmp_job_watch *qmp_job_watch_new(qmp_client *client, const char *job_id)
{
    static const qmp_listener ops = { watch_event, watch_closed };
    qmp_job_watch *w = g_new0(qmp_job_watch, 1);

    w->client = qmp_client_ref(client);
    w->id = g_strdup(job_id);
    g_mutex_init(&w->lock);
    g_cond_init(&w->cond);
    w->listener = qmp_client_add_listener(client, &ops, w);
    if (qmp_client_is_closed(client))
        watch_closed(client, NULL, w);
    return w;
}

void qmp_job_watch_free(qmp_job_watch *watch)
{
    if (!watch)
        return;
    qmp_client_remove_listener(watch->client, watch->listener);
    qmp_client_unref(watch->client);
    g_free(watch->id);
    g_mutex_clear(&watch->lock);
    g_cond_clear(&watch->cond);
    g_free(watch);
}

qmp_job_status qmp_job_watch_status(qmp_job_watch *watch)
{
    g_mutex_lock(&watch->lock);
    qmp_job_status st = watch->status;
    g_mutex_unlock(&watch->lock);
    return st;
}

static void job_info_clear(job_info *info)
{
    g_free(info->error);
    memset(info, 0, sizeof(*info));
}

/* query-jobs, for our job. */
static int query_job(qmp_job_watch *w, job_info *info)
{
    g_autoptr(json_object) jobs = NULL;

    if (qmp_call(w->client, "query-jobs", NULL, QMP_TIMEOUT_DEFAULT, &jobs) < 0)
        return -1;
    for (size_t i = 0; i < qemu_json_array_len(jobs); i++) {
        json_object *job = json_object_array_get_idx(jobs, i);
        const char *id = qemu_json_get_string(job, "id");
        if (!id || strcmp(id, w->id) != 0)
            continue;
        int st = qmp_job_status_from_string(qemu_json_get_string(job, "status"));
        info->found = true;
        info->status = st < 0 ? QMP_JOB_UNDEFINED : (qmp_job_status)st;
        info->current = qemu_json_get_u64(job, "current-progress");
        info->total = qemu_json_get_u64(job, "total-progress");
        info->error = g_strdup(qemu_json_get_string(job, "error"));
    }
    return 0;
}

static bool reached(qmp_job_status st, qmp_job_status until)
{
    return st == until || st == QMP_JOB_CONCLUDED || st == QMP_JOB_NULL;
}

/* Ask query-jobs: report progress and, when no status event came meanwhile, take
 * its status (it may be newer than the events seen, e.g. when the watch was created
 * late). Fails when the job does not exist. */
static int poll_job(qmp_job_watch *w, qmp_job_progress_cb progress, void *opaque)
{
    job_info info = { 0 };

    g_mutex_lock(&w->lock);
    guint64 before = w->changes;
    g_mutex_unlock(&w->lock);
    if (query_job(w, &info) < 0)
        return -1;

    g_mutex_lock(&w->lock);
    bool known = w->status != QMP_JOB_UNDEFINED;
    if (info.found && w->changes == before)
        w->status = info.status;
    g_mutex_unlock(&w->lock);
    if (!info.found && !known) {
        error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED, "job '%s' not found", w->id);
        return -1;
    }
    if (info.found && progress)
        progress(w->id, info.current, info.total, opaque);
    job_info_clear(&info);
    return 0;
}

int qmp_job_watch_wait(qmp_job_watch *watch, qmp_job_status until, int timeout_ms,
                       qmp_job_progress_cb progress, void *opaque)
{
    timeout_ms = qmp_client_resolve_timeout(watch->client, timeout_ms);
    gint64 deadline = qmp_deadline(timeout_ms);

    /* QEMU announces a new job ("created") before its reply: no status yet means the
     * watch came late or the job does not exist, and query-jobs tells which. */
    if (qmp_job_watch_status(watch) == QMP_JOB_UNDEFINED && poll_job(watch, progress, opaque) < 0)
        return -1;
    g_mutex_lock(&watch->lock);
    while (!reached(watch->status, until) && !watch->closed) {
        gint64 next = progress ? g_get_monotonic_time() + QMP_JOB_PROGRESS_INTERVAL_MS * 1000
                               : deadline;
        if (g_cond_wait_until(&watch->cond, &watch->lock, MIN(next, deadline)))
            continue;
        if (g_get_monotonic_time() >= deadline)
            break;
        g_mutex_unlock(&watch->lock);
        int rc = poll_job(watch, progress, opaque);
        g_mutex_lock(&watch->lock);
        if (rc < 0) {
            g_mutex_unlock(&watch->lock);
            return -1;
        }
    }
    bool done = reached(watch->status, until), closed = watch->closed;
    g_mutex_unlock(&watch->lock);

    if (done)
        return 0;
    if (closed) {
        qmp_client_report_closed(watch->client);
        return -1;
    }
    error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_TIMEOUT,
                 "job '%s' did not reach status '%s' within %d ms", watch->id,
                 qmp_job_status_to_string(until), timeout_ms);
    return -1;
}

static int dismiss(qmp_job_watch *w)
{
    g_autoptr(json_object) args = json_object_new_object();

    json_object_object_add(args, "id", json_object_new_string(w->id));
    return qmp_call(w->client, "job-dismiss", args, QMP_TIMEOUT_DEFAULT, NULL);
}

/* query-jobs then job-dismiss; *info holds the job's last state. */
static int finish(qmp_job_watch *w, job_info *info)
{
    if (query_job(w, info) < 0)
        return -1;
    if (!info->found) {
        error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED, "job '%s' not found", w->id);
        return -1;
    }
    return dismiss(w);
}

/* The job's outcome as qmp_job_finish hands it back. */
static int outcome(qmp_job_watch *w, job_info *info, char **ret_job_error)
{
    if (info->error && !ret_job_error) {
        error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED, "job '%s' failed: %s",
                     w->id, info->error);
        return -1;
    }
    if (ret_job_error)
        *ret_job_error = g_steal_pointer(&info->error);
    return 0;
}

int qmp_job_finish(qmp_job_watch *watch, char **ret_job_error)
{
    job_info info = { 0 };
    int ret = finish(watch, &info);

    if (ret == 0)
        ret = outcome(watch, &info, ret_job_error);
    job_info_clear(&info);
    return ret;
}

void qmp_job_abandon(qmp_job_watch *watch)
{
    virErrorPtr saved = error_save();
    g_autoptr(json_object) args = json_object_new_object();

    json_object_object_add(args, "id", json_object_new_string(watch->id));
    if (qmp_call(watch->client, "job-cancel", args, QMP_TIMEOUT_DEFAULT, NULL) == 0 &&
        qmp_job_watch_wait(watch, QMP_JOB_CONCLUDED, ABANDON_TIMEOUT_MS, NULL, NULL) == 0 &&
        qmp_job_watch_status(watch) == QMP_JOB_CONCLUDED)
        dismiss(watch);
    error_restore(&saved);
}

int qmp_job_run(qmp_client *client, const char *command, json_object *args,
                const char *job_id, int timeout_ms, qmp_job_progress_cb progress,
                void *opaque, char **ret_job_error)
{
    g_autoptr(qmp_job_watch) watch = qmp_job_watch_new(client, job_id);

    if (qmp_call(client, command, args, QMP_TIMEOUT_DEFAULT, NULL) < 0)
        return -1;
    if (qmp_job_watch_wait(watch, QMP_JOB_CONCLUDED, timeout_ms, progress, opaque) < 0) {
        if (error_last() && error_last()->code == VIR_ERR_OPERATION_TIMEOUT &&
            !qmp_client_is_closed(client))
            qmp_job_abandon(watch);
        return -1;
    }

    job_info info = { 0 };
    int ret = finish(watch, &info);
    if (ret == 0) {
        if (progress)
            progress(job_id, info.current, info.total, opaque);
        ret = outcome(watch, &info, ret_job_error);
    }
    job_info_clear(&info);
    return ret;
}
