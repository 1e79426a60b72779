/* QMP events of a running domain turned into its state and lifecycle events, as
 * libvirt's qemu driver does it; and the work they call for (stopping QEMU after a
 * guest shutdown, cleaning up after QEMU died), done on the host's worker thread
 * because listeners must not call the monitor. */
#include "drivers/qemu/qemu_driver.h"

#include <string.h>
#include "util/error.h"

#define FROM VIR_FROM_QEMU

static int suspended_detail(int reason)
{
    switch (reason) {
    case VIR_DOMAIN_PAUSED_IOERROR:
        return VIR_DOMAIN_EVENT_SUSPENDED_IOERROR;
    case VIR_DOMAIN_PAUSED_WATCHDOG:
        return VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG;
    case VIR_DOMAIN_PAUSED_FROM_SNAPSHOT:
        return VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT;
    case VIR_DOMAIN_PAUSED_MIGRATION:
        return VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED;
    default:
        return VIR_DOMAIN_EVENT_SUSPENDED_PAUSED;
    }
}

static void on_stop(qemu_dom *d)
{
    int reason = d->pause_reason >= 0 ? d->pause_reason : VIR_DOMAIN_PAUSED_UNKNOWN;

    d->pause_reason = -1;
    /* after SHUTDOWN, -no-shutdown stops the CPUs: that is no pause */
    if (d->state != VIR_DOMAIN_RUNNING || d->shutdown_seen)
        return;
    qemu_dom_set_state(d, VIR_DOMAIN_PAUSED, reason);
    qemu_dom_event(d, VIR_DOMAIN_EVENT_SUSPENDED, suspended_detail(reason));
    qemu_host_queue_work(d->host, d, QEMU_WORK_SAVE_STATUS);
}

static void on_resume(qemu_dom *d)
{
    if (d->state != VIR_DOMAIN_PAUSED)
        return;
    qemu_dom_set_state(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    qemu_dom_event(d, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    qemu_host_queue_work(d->host, d, QEMU_WORK_SAVE_STATUS);
}

static void on_shutdown(qemu_dom *d, json_object *data)
{
    json_object *guest = qemu_json_get(data, "guest");
    int detail = VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED;

    d->shutdown_seen = true;
    if (guest)
        detail = json_object_get_boolean(guest) ? VIR_DOMAIN_EVENT_SHUTDOWN_GUEST
                                                : VIR_DOMAIN_EVENT_SHUTDOWN_HOST;
    /* for a reboot the shutdown is transient: no state change, no event */
    if (!d->fake_reboot) {
        qemu_dom_set_state(d, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_UNKNOWN);
        qemu_dom_event(d, VIR_DOMAIN_EVENT_SHUTDOWN, detail);
    }
    qemu_host_queue_work(d->host, d, QEMU_WORK_SHUTDOWN);
}

static void on_panic(qemu_dom *d)
{
    qemu_dom_set_state(d, VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED);
    qemu_dom_event(d, VIR_DOMAIN_EVENT_CRASHED, VIR_DOMAIN_EVENT_CRASHED_PANICKED);
    qemu_host_queue_work(d->host, d, QEMU_WORK_CRASH);
}

/* A virtio-serial port opened or closed by the guest (the guest agent). */
static void on_vserport(qemu_dom *d, json_object *data)
{
    const char *id = qemu_json_get_string(data, "id");
    bool open = qemu_json_get_bool(data, "open");

    for (size_t i = 0; id && i < d->def->nchannels; i++) {
        domain_chr_def *ch = d->def->channels[i];
        if (ch->target_name && g_strcmp0(ch->info.alias, id) == 0) {
            g_free(ch->target_state);
            ch->target_state = g_strdup(open ? "connected" : "disconnected");
            domain_def_changed(d->def);
        }
    }
}

static void on_event(qmp_client *client, const char *name, json_object *data, gint64 ts,
                     void *opaque)
{
    qemu_dom *d = opaque;
    qemu_host *h = d->host;
    event_domain ed;

    g_mutex_lock(&h->lock);
    if (d->mon != client || d->being_destroyed || h->closing)
        goto out;
    if (strcmp(name, "STOP") == 0) {
        on_stop(d);
    } else if (strcmp(name, "RESUME") == 0) {
        on_resume(d);
    } else if (strcmp(name, "SHUTDOWN") == 0) {
        on_shutdown(d, data);
    } else if (strcmp(name, "GUEST_PANICKED") == 0) {
        on_panic(d);
    } else if (strcmp(name, "RESET") == 0) {
        ed = (event_domain){ d->def->name, d->def->uuid, d->id };
        event_bus_generic(h->events, &ed, VIR_DOMAIN_EVENT_ID_REBOOT);
    } else if (strcmp(name, "VSERPORT_CHANGE") == 0) {
        on_vserport(d, data);
    }
 out:
    g_mutex_unlock(&h->lock);
}

static void on_closed(qmp_client *client, const char *reason, void *opaque)
{
    qemu_dom *d = opaque;
    qemu_host *h = d->host;

    g_mutex_lock(&h->lock);
    if (d->mon == client && !d->being_destroyed && !h->closing)
        qemu_host_queue_work(h, d, QEMU_WORK_EOF);
    g_mutex_unlock(&h->lock);
}

const qmp_listener qemu_monitor_listener = { on_event, on_closed };

/* ---- the worker thread's side ---- */

/* Reboot without restarting QEMU, as libvirt's "fake reboot": reset, run again. */
static void fake_reboot(qemu_host *h, qemu_dom *d)
{
    if (qmp_call(d->mon, "system_reset", NULL, QMP_TIMEOUT_DEFAULT, NULL) < 0 ||
        qmp_call(d->mon, "cont", NULL, QMP_TIMEOUT_DEFAULT, NULL) < 0) {
        error_reset();
        return;
    }
    g_mutex_lock(&h->lock);
    d->fake_reboot = false;
    d->shutdown_seen = false;
    if (d->state != VIR_DOMAIN_RUNNING)
        qemu_dom_set_state(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    qemu_dom_event(d, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    qemu_status_save(h, d);
    g_mutex_unlock(&h->lock);
    error_reset();
}

/* Kill QEMU (if it still runs) and forget it. */
static void finish(qemu_host *h, qemu_dom *d, int reason, int detail)
{
    qemu_process_kill(d, false);
    qemu_process_stop(h, d, reason, detail);
    error_reset();
}

static void process_shutdown(qemu_host *h, qemu_dom *d)
{
    if (d->fake_reboot || d->def->on_poweroff == DOMAIN_LIFECYCLE_RESTART)
        fake_reboot(h, d);
    else
        finish(h, d, VIR_DOMAIN_SHUTOFF_SHUTDOWN, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
}

static void process_crash(qemu_host *h, qemu_dom *d)
{
    switch (d->def->on_crash) {
    case DOMAIN_LIFECYCLE_PRESERVE:
        break;
    case DOMAIN_LIFECYCLE_RESTART:
    case DOMAIN_LIFECYCLE_COREDUMP_RESTART:
        fake_reboot(h, d);
        break;
    default:
        finish(h, d, VIR_DOMAIN_SHUTOFF_CRASHED, VIR_DOMAIN_EVENT_STOPPED_CRASHED);
    }
}

/* The monitor closed: QEMU exited. After SHUTDOWN that is a shutdown, else a crash. */
static void process_eof(qemu_host *h, qemu_dom *d)
{
    if (d->shutdown_seen)
        finish(h, d, VIR_DOMAIN_SHUTOFF_SHUTDOWN, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    else
        finish(h, d, VIR_DOMAIN_SHUTOFF_CRASHED, VIR_DOMAIN_EVENT_STOPPED_FAILED);
}

void qemu_events_process(qemu_host *h, qemu_dom *d, qemu_work_kind kind, guint64 generation)
{
    g_mutex_lock(&h->lock);
    if (d->generation != generation || qemu_dom_begin_job(d) < 0) {
        g_mutex_unlock(&h->lock);
        error_reset();
        return;
    }
    if (d->generation != generation || !qemu_dom_is_active(d) || !d->mon) {
        qemu_dom_end_job(d);
        g_mutex_unlock(&h->lock);
        return;
    }
    if (kind == QEMU_WORK_SAVE_STATUS) {
        qemu_status_save(h, d);
        error_reset();
        qemu_dom_end_job(d);
        g_mutex_unlock(&h->lock);
        return;
    }
    g_mutex_unlock(&h->lock);
    if (kind == QEMU_WORK_SHUTDOWN)
        process_shutdown(h, d);
    else if (kind == QEMU_WORK_CRASH)
        process_crash(h, d);
    else
        process_eof(h, d);
    g_mutex_lock(&h->lock);
    qemu_dom_end_job(d);
    g_mutex_unlock(&h->lock);
}
