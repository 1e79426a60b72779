/* Taking over a running QEMU that a status file describes: the process must be the
 * one that was started (pid and start time), its monitor must answer; then the
 * state is read back from QEMU, since nobody heard its events meanwhile. A QEMU that
 * died unobserved is reported shut off (crashed) and forgotten; one that cannot be
 * controlled any more is killed, so that it never runs twice. */
#include "drivers/qemu/qemu_driver.h"

#include <string.h>
#include "drivers/qemu/qemu_procfs.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU
#define REATTACH_TIMEOUT_MS 10000

static bool still_running(void *opaque)
{
    const qemu_run *run = opaque;
    return qemu_pid_alive(run->pid, run->start_time);
}

/* Kill QEMU and forget it. */
static int give_up(qemu_host *h, qemu_dom *d, int reason)
{
    qemu_process_kill(d, false);
    qemu_process_stop(h, d, reason, VIR_DOMAIN_EVENT_STOPPED_FAILED);
    return 1;
}

static int paused_reason(const char *status, const qemu_dom *d)
{
    if (strcmp(status, "io-error") == 0)
        return VIR_DOMAIN_PAUSED_IOERROR;
    if (strcmp(status, "watchdog") == 0)
        return VIR_DOMAIN_PAUSED_WATCHDOG;
    if (strcmp(status, "shutdown") == 0)
        return VIR_DOMAIN_PAUSED_SHUTTING_DOWN;
    return d->state == VIR_DOMAIN_PAUSED ? d->reason : VIR_DOMAIN_PAUSED_UNKNOWN;
}

/* Bring d's state in line with QEMU's run state (host locked). */
static void apply_status(qemu_host *h, qemu_dom *d, const char *status, bool running)
{
    if (strcmp(status, "shutdown") == 0) {
        d->shutdown_seen = true;
        qemu_dom_set_state(d, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_UNKNOWN);
        qemu_host_queue_work(h, d, QEMU_WORK_SHUTDOWN);
    } else if (strcmp(status, "guest-panicked") == 0) {
        qemu_dom_set_state(d, VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED);
        qemu_host_queue_work(h, d, QEMU_WORK_CRASH);
    } else if (running) {
        if (d->state != VIR_DOMAIN_RUNNING)
            qemu_dom_set_state(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    } else {
        qemu_dom_set_state(d, VIR_DOMAIN_PAUSED, paused_reason(status, d));
    }
}

/* Forget the jobs QEMU no longer has. */
static void check_jobs(qemu_dom *d)
{
    g_autoptr(json_object) jobs = NULL;

    if (!d->run->jobs->len || qmp_call(d->mon, "query-jobs", NULL, QMP_TIMEOUT_DEFAULT, &jobs) < 0)
        return;
    for (guint i = d->run->jobs->len; i-- > 0;) {
        const char *id = g_ptr_array_index(d->run->jobs, i);
        bool found = false;
        for (size_t j = 0; j < qemu_json_array_len(jobs) && !found; j++)
            found = g_strcmp0(qemu_json_get_string(json_object_array_get_idx(jobs, j), "id"), id) == 0;
        if (!found)
            g_ptr_array_remove_index(d->run->jobs, i);
    }
}

int qemu_process_reattach(qemu_host *h, qemu_dom *d)
{
    qmp_open_options o = {
        .timeout_ms = REATTACH_TIMEOUT_MS,
        .keep_trying = still_running,
        .keep_trying_opaque = d->run,
        .listener = &qemu_monitor_listener,
        .listener_opaque = d,
    };
    g_autoptr(json_object) status = NULL;
    qmp_client *mon;

    if (!still_running(d->run))
        return give_up(h, d, VIR_DOMAIN_SHUTOFF_CRASHED);
    /* a start that never finished (the starting process died): nothing to keep */
    if (d->state == VIR_DOMAIN_PAUSED && d->reason == VIR_DOMAIN_PAUSED_STARTING_UP)
        return give_up(h, d, VIR_DOMAIN_SHUTOFF_FAILED);
    if (!(mon = qmp_client_open(d->run->monitor_path, &o)))
        return give_up(h, d, still_running(d->run) ? VIR_DOMAIN_SHUTOFF_DAEMON
                                                   : VIR_DOMAIN_SHUTOFF_CRASHED);
    g_mutex_lock(&h->lock);
    d->mon = mon;
    g_mutex_unlock(&h->lock);
    if (qmp_call(mon, "query-status", NULL, QMP_TIMEOUT_DEFAULT, &status) < 0)
        return give_up(h, d, still_running(d->run) ? VIR_DOMAIN_SHUTOFF_DAEMON
                                                   : VIR_DOMAIN_SHUTOFF_CRASHED);
    check_jobs(d);
    g_mutex_lock(&h->lock);
    apply_status(h, d, qemu_json_get_string(status, "status") ? qemu_json_get_string(status, "status")
                                                                : "",
                 qemu_json_get_bool(status, "running"));
    qemu_status_save(h, d);
    g_mutex_unlock(&h->lock);
    return 0;
}
