/* QMP jobs (backup, commit, stream, blockdev-create, snapshot-*): start, follow
 * JOB_STATUS_CHANGE events to "concluded", read the job's error from query-jobs,
 * job-dismiss, as the recipes do it (auto-dismiss false, always). */
#pragma once

#include "drivers/qemu/qmp.h"
#include "util/enum.h"

/* QEMU's JobStatus, in QEMU's order. */
typedef enum {
    QMP_JOB_UNDEFINED,
    QMP_JOB_CREATED,
    QMP_JOB_RUNNING,
    QMP_JOB_PAUSED,
    QMP_JOB_READY,
    QMP_JOB_STANDBY,
    QMP_JOB_WAITING,
    QMP_JOB_PENDING,
    QMP_JOB_ABORTING,
    QMP_JOB_CONCLUDED,
    QMP_JOB_NULL,
    QMP_JOB_STATUS_LAST
} qmp_job_status;
ENUM_DECL(qmp_job_status);

/* Called while waiting, about every QMP_JOB_PROGRESS_INTERVAL_MS, with query-jobs'
 * current-progress and total-progress (bytes for block jobs), and by qmp_job_run
 * once more with the final values. Runs on the waiting thread. */
typedef void (*qmp_job_progress_cb)(const char *job_id, unsigned long long current,
                                    unsigned long long total, void *opaque);
#define QMP_JOB_PROGRESS_INTERVAL_MS 200

/* Follows the status of the job job_id. Create it before sending the command that
 * starts the job: QEMU may emit the job's first events before its reply. */
typedef struct qmp_job_watch qmp_job_watch;

qmp_job_watch *qmp_job_watch_new(qmp_client *client, const char *job_id);
void qmp_job_watch_free(qmp_job_watch *watch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qmp_job_watch, qmp_job_watch_free)

/* The latest status seen (QMP_JOB_UNDEFINED before any). */
qmp_job_status qmp_job_watch_status(qmp_job_watch *watch);

/* Wait until the job reaches status `until` or concludes (whichever first; check
 * qmp_job_watch_status afterwards), calling progress (if not NULL) meanwhile. When
 * no status event has been seen yet, query-jobs is asked first (so a job that does
 * not exist fails at once).
 * Returns 0, or -1 with an error on timeout, on the monitor closing, or when the
 * job does not exist. timeout_ms as for qmp_call (QMP_TIMEOUT_DEFAULT = 30 s). */
int qmp_job_watch_wait(qmp_job_watch *watch, qmp_job_status until, int timeout_ms,
                       qmp_job_progress_cb progress, void *opaque);

/* For a concluded job: read its error from query-jobs and dismiss it. Returns 0 and
 * stores the job's error text (NULL when it succeeded) in *ret_job_error, or -1
 * with an error reported when the monitor fails. When ret_job_error is NULL a job
 * that failed is reported as VIR_ERR_OPERATION_FAILED "job 'ID' failed: <error>"
 * and -1 returned. */
int qmp_job_finish(qmp_job_watch *watch, char **ret_job_error);

/* Cancel the job (job-cancel), wait (up to 10 s) for it to conclude and dismiss it;
 * best effort, keeps the calling thread's current error. */
void qmp_job_abandon(qmp_job_watch *watch);

/* The whole life cycle: watch job_id, run command with args (which must start the
 * job with "auto-dismiss": false), wait for "concluded", finish. Results as for
 * qmp_job_finish. On timeout the job is cancelled and dismissed (qmp_job_abandon)
 * and VIR_ERR_OPERATION_TIMEOUT reported. */
int qmp_job_run(qmp_client *client, const char *command, json_object *args,
                const char *job_id, int timeout_ms, qmp_job_progress_cb progress,
                void *opaque, char **ret_job_error);
