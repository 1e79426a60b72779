/* backup-begin --wait: following a backup job to its end, with a progress bar on a terminal. */
#include "vmsh-util.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define TICK_MS 200       /* how often the progress is read and drawn */
#define GRACE_TICKS 10    /* after the job is gone, how long its event may take */
#define BAR_WIDTH 30

/* What the job-completed event said; shared with the event loop's thread. */
typedef struct {
    GMutex lock;
    vmsh_ctl *ctl;
    bool ended;
    bool known;           /* its end was told: by the event or completed statistics */
    bool released;        /* the library let go of the event registration */
    int success;
    char *errmsg;
    unsigned long long total, processed;
} outcome;

struct vmsh_backup_wait {
    vmsh_ctl *ctl;
    virDomainPtr dom;
    outcome *out;         /* one reference ours, one the event registration's */
    int callback_id;      /* -1: no event, the end is noticed by polling */
    bool draw;            /* a progress display on the terminal */
    size_t drawn;         /* width of the line drawn last */
    bool aborted;
};

static void outcome_clear(gpointer data)
{
    outcome *o = data;

    g_free(o->errmsg);
    g_mutex_clear(&o->lock);
}

static void outcome_unref(void *data)
{
    g_rc_box_release_full(data, outcome_clear);
}

/* The registration's free callback: after it, no delivery holds anything of ours. */
static void outcome_released(void *data)
{
    outcome *o = data;

    g_mutex_lock(&o->lock);
    o->released = true;
    g_mutex_unlock(&o->lock);
    outcome_unref(o);
}

/* Waits (a little at most) until the library has let go of the registration: a
 * delivery still under way holds a domain handle, and with it the connection. */
static void wait_released(outcome *o)
{
    for (int i = 0; i < 2000; i++) {
        g_mutex_lock(&o->lock);
        bool done = o->released;
        g_mutex_unlock(&o->lock);
        if (done)
            return;
        g_usleep(1000);
    }
}

/* Reads the end of a job from its statistics (the event's or the completed ones). */
static void outcome_fill(outcome *o, virTypedParameterPtr params, int nparams)
{
    const char *msg = NULL;

    o->ended = true;
    o->known = true;
    o->success = 0;
    virTypedParamsGetBoolean(params, nparams, VIR_DOMAIN_JOB_SUCCESS, &o->success);
    if (virTypedParamsGetString(params, nparams, VIR_DOMAIN_JOB_ERRMSG, &msg) == 1)
        o->errmsg = g_strdup(msg);
    virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_DISK_TOTAL, &o->total);
    virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_DISK_PROCESSED, &o->processed);
}

static void on_job_completed(virConnectPtr conn, virDomainPtr dom, virTypedParameterPtr params,
                             int nparams, void *opaque)
{
    outcome *o = opaque;

    g_mutex_lock(&o->lock);
    if (!o->ended) {
        outcome_fill(o, params, nparams);
        vmsh_event_done(o->ctl);
    }
    g_mutex_unlock(&o->lock);
}

/* Begins listening for DOM's job-completed event and for Ctrl-C; NULL on failure
 * (reported). A server without events is polled instead. */
vmsh_backup_wait *vmsh_backup_wait_new(vmsh_ctl *ctl, virDomainPtr dom)
{
    vmsh_backup_wait *w = g_new0(vmsh_backup_wait, 1);

    w->ctl = ctl;
    w->dom = dom;
    w->callback_id = -1;
    w->draw = isatty(STDERR_FILENO) && !ctl->quiet;
    w->out = g_rc_box_new0(outcome);
    g_mutex_init(&w->out->lock);
    w->out->ctl = ctl;
    if (vmsh_event_start(ctl, TICK_MS) < 0) {
        vmsh_backup_wait_free(w);
        return NULL;
    }
    w->callback_id = virConnectDomainEventRegisterAny(
        ctl->conn, dom, VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
        VIR_DOMAIN_EVENT_CALLBACK(on_job_completed), g_rc_box_acquire(w->out), outcome_released);
    if (w->callback_id < 0) {
        outcome_unref(w->out); /* the registration's reference, never taken */
        vmsh_reset_error(ctl);
    }
    return w;
}

void vmsh_backup_wait_free(vmsh_backup_wait *w)
{
    if (!w)
        return;
    if (w->callback_id >= 0) {
        if (virConnectDomainEventDeregisterAny(w->ctl->conn, w->callback_id) < 0)
            vmsh_reset_error(w->ctl);
        else
            wait_released(w->out);
    }
    vmsh_event_cleanup(w->ctl);
    outcome_unref(w->out);
    g_free(w);
}

/* Replaces the progress line with LINE. */
static void draw_line(vmsh_backup_wait *w, const char *line)
{
    size_t len = strlen(line);

    fprintf(stderr, "\r%s%*s", line, (int)(w->drawn > len ? w->drawn - len : 0), "");
    fflush(stderr);
    w->drawn = len;
}

static void draw_push(vmsh_backup_wait *w, unsigned long long done, unsigned long long total)
{
    int percent = total ? (int)(done * 100 / total) : 100;
    int full = percent * BAR_WIDTH / 100;
    const char *u1, *u2;
    double v1 = vmsh_pretty_capacity(done, &u1), v2 = vmsh_pretty_capacity(total, &u2);
    char bar[BAR_WIDTH + 1];

    memset(bar, '#', (size_t)full);
    memset(bar + full, '-', (size_t)(BAR_WIDTH - full));
    bar[BAR_WIDTH] = '\0';
    g_autofree char *line = g_strdup_printf("Backup: [%s] %3d %%  %.1f %s of %.1f %s", bar,
                                            percent, v1, u1, v2, u2);
    draw_line(w, line);
}

/* One look at the job: its progress drawn; false once there is no job any more. */
static bool poll_job(vmsh_backup_wait *w)
{
    virTypedParameterPtr params = NULL;
    unsigned long long total = 0, done = 0, elapsed = 0;
    int nparams = 0, type = VIR_DOMAIN_JOB_NONE;

    if (virDomainGetJobStats(w->dom, &type, &params, &nparams, 0) < 0) {
        vmsh_reset_error(w->ctl);
        return true; /* maybe a passing problem: the event or the next look will tell */
    }
    if (type != VIR_DOMAIN_JOB_NONE && w->draw) {
        virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_TIME_ELAPSED, &elapsed);
        if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_DISK_TOTAL, &total) == 1) {
            virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_DISK_PROCESSED, &done);
            draw_push(w, done, total);
        } else {
            g_autofree char *line = g_strdup_printf(
                "Backup: pull job serving for %llu s (domjobabort or Ctrl-C ends it)",
                elapsed / 1000);
            draw_line(w, line);
        }
    }
    virTypedParamsFree(params, nparams);
    return type != VIR_DOMAIN_JOB_NONE;
}

/* Ctrl-C: the job is aborted (ending a pull backup the normal way) and the wait goes
 * on until it has ended; a second Ctrl-C gives up waiting (false). */
static bool abort_job(vmsh_backup_wait *w)
{
    if (w->aborted) {
        if (w->draw && w->drawn)
            fputs("\n", stderr);
        vmsh_error(w->ctl, "%s", "waiting interrupted; the backup job may still be running");
        return false;
    }
    w->aborted = true;
    if (virDomainAbortJob(w->dom) < 0)
        vmsh_report_error(w->ctl);
    return true;
}

/* Without the event: the job's end from its completed statistics, left for others. */
static void read_completed(vmsh_backup_wait *w)
{
    virTypedParameterPtr params = NULL;
    int nparams = 0, type = VIR_DOMAIN_JOB_NONE;
    unsigned int flags = VIR_DOMAIN_JOB_STATS_COMPLETED | VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED;

    g_mutex_lock(&w->out->lock);
    if (!w->out->ended) {
        if (virDomainGetJobStats(w->dom, &type, &params, &nparams, flags) < 0)
            vmsh_reset_error(w->ctl);
        outcome_fill(w->out, params, nparams);
        w->out->success = w->out->success || type == VIR_DOMAIN_JOB_COMPLETED;
        w->out->known = type != VIR_DOMAIN_JOB_NONE;
        virTypedParamsFree(params, nparams);
    }
    g_mutex_unlock(&w->out->lock);
}

/* Tells how the job ended: on the terminal a last bar and line; a failed or cancelled
 * job is an error. */
static bool report(vmsh_backup_wait *w)
{
    outcome *o = w->out;

    if (w->draw && o->total)
        draw_push(w, o->processed, o->total);
    if (w->draw && w->drawn)
        fputs("\n", stderr);
    if (o->success) {
        if (w->draw)
            fputs("Backup job completed\n", stderr);
        return true;
    }
    if (!o->known)
        vmsh_error(w->ctl, "%s", "the backup job ended, but how is unknown");
    else if (o->errmsg)
        vmsh_error(w->ctl, "backup job failed: %s", o->errmsg);
    else
        vmsh_error(w->ctl, "%s", "backup job cancelled");
    return false;
}

/* Waits for the job's end and reports it; false if it didn't complete. */
bool vmsh_backup_wait_run(vmsh_backup_wait *w)
{
    int gone = 0;

    for (;;) {
        int how = vmsh_event_wait(w->ctl);

        if (how < 0)
            return false;
        if (how == VMSH_EVENT_DONE)
            break;
        if (how == VMSH_EVENT_INTERRUPT) {
            if (!abort_job(w))
                return false;
            continue;
        }
        if (!poll_job(w) && (w->callback_id < 0 || ++gone > GRACE_TICKS))
            break;
    }
    read_completed(w);
    return report(w);
}
