/* The lines the "event" command prints for each kind of domain event, as virsh words them. */
#include "vmsh-util.h"

#include <time.h>

#define NAME(table, i) name_of(table, G_N_ELEMENTS(table), i, "unknown")

static const char *name_of(const char *const *names, size_t n, int i, const char *other)
{
    return i >= 0 && (size_t)i < n && names[i] ? names[i] : other;
}

static const char *const lifecycle_names[] = {
    "Defined", "Undefined", "Started", "Suspended", "Resumed", "Stopped", "Shutdown",
    "PMSuspended", "Crashed",
};

/* The detail names of each lifecycle event, in virDomainEventType order. */
static const char *const *const detail_names[] = {
    (const char *const[]){ "Added", "Updated", "Renamed", "Snapshot", NULL },
    (const char *const[]){ "Removed", "Renamed", NULL },
    (const char *const[]){ "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup", NULL },
    (const char *const[]){ "Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot",
                           "API error", "Post-copy", "Post-copy Error", NULL },
    (const char *const[]){ "Unpaused", "Migrated", "Snapshot", "Post-copy", "Post-copy Error",
                           NULL },
    (const char *const[]){ "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed",
                           "Snapshot", NULL },
    (const char *const[]){ "Finished", "Finished after guest request",
                           "Finished after host request", NULL },
    (const char *const[]){ "Memory", "Disk", NULL },
    (const char *const[]){ "Panicked", "Crashloaded", NULL },
};

static const char *detail_name(int event, int detail)
{
    if (event < 0 || (size_t)event >= G_N_ELEMENTS(detail_names) || detail < 0)
        return "unknown";
    for (int i = 0; detail_names[event][i]; i++) {
        if (i == detail)
            return detail_names[event][i];
    }
    return "unknown";
}

/* Prints one event's text (it ends with a newline); without --loop only the first. */
static void emit(vmsh_event_data *data, char *msg)
{
    g_autofree char *text = msg;

    if (!data->loop && *data->count)
        return;
    if (data->timestamp) {
        gint64 now = g_get_real_time() / 1000;
        time_t secs = (time_t)(now / 1000);
        struct tm tm;
        char stamp[64] = "";

        if (gmtime_r(&secs, &tm))
            g_snprintf(stamp, sizeof(stamp), "%4d-%02d-%02d %02d:%02d:%02d.%03d+0000",
                       tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                       tm.tm_sec, (int)(now % 1000));
        vmsh_print(data->ctl, "%s: %s", stamp, text);
    } else {
        vmsh_print(data->ctl, "%s", text);
    }
    (*data->count)++;
    if (!data->loop)
        vmsh_event_done(data->ctl);
}

#define EVENT_NAME(opaque) (vmsh_event_types[((vmsh_event_data *)(opaque))->event_id].name)

static void on_generic(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    emit(opaque, g_strdup_printf("event '%s' for domain '%s'\n", EVENT_NAME(opaque),
                                 virDomainGetName(dom)));
}

static int on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    emit(opaque, g_strdup_printf("event 'lifecycle' for domain '%s': %s %s\n",
                                 virDomainGetName(dom), NAME(lifecycle_names, event),
                                 detail_name(event, detail)));
    return 0;
}

static void on_rtc_change(virConnectPtr conn, virDomainPtr dom, long long offset, void *opaque)
{
    emit(opaque, g_strdup_printf("event 'rtc-change' for domain '%s': %lld\n",
                                 virDomainGetName(dom), offset));
}

static const char *const watchdog_names[] = {
    "none", "pause", "reset", "poweroff", "shutdown", "debug", "inject-nmi",
};

static void on_watchdog(virConnectPtr conn, virDomainPtr dom, int action, void *opaque)
{
    emit(opaque, g_strdup_printf("event 'watchdog' for domain '%s': %s\n", virDomainGetName(dom),
                                 NAME(watchdog_names, action)));
}

static const char *const io_error_names[] = { "none", "pause", "report" };

static void on_io_error(virConnectPtr conn, virDomainPtr dom, const char *path, const char *alias,
                        int action, void *opaque)
{
    emit(opaque, g_strdup_printf("event 'io-error' for domain '%s': %s (%s) %s\n",
                                 virDomainGetName(dom), path, alias,
                                 NAME(io_error_names, action)));
}

static const char *const graphics_phases[] = { "connect", "initialize", "disconnect" };
static const char *const graphics_families[] = { "IPv4", "IPv6", "unix" };

static void on_graphics(virConnectPtr conn, virDomainPtr dom, int phase,
                        const virDomainEventGraphicsAddress *local,
                        const virDomainEventGraphicsAddress *remote, const char *scheme,
                        const virDomainEventGraphicsSubject *subject, void *opaque)
{
    GString *text = g_string_new(NULL);

    g_string_printf(text, "event 'graphics' for domain '%s': %s local[%s %s %s] remote[%s %s %s] %s\n",
                    virDomainGetName(dom), NAME(graphics_phases, phase),
                    NAME(graphics_families, local->family), local->node, local->service,
                    NAME(graphics_families, remote->family), remote->node, remote->service,
                    scheme);
    for (int i = 0; i < subject->nidentity; i++)
        g_string_append_printf(text, "\t%s=%s\n", subject->identities[i].type,
                               subject->identities[i].name);
    emit(opaque, g_string_free(text, FALSE));
}

static void on_io_error_reason(virConnectPtr conn, virDomainPtr dom, const char *path,
                               const char *alias, int action, const char *reason, void *opaque)
{
    emit(opaque, g_strdup_printf("event 'io-error-reason' for domain '%s': %s (%s) %s due to %s\n",
                                 virDomainGetName(dom), path, alias,
                                 NAME(io_error_names, action), reason));
}

static const char *const block_job_status_names[] = { "completed", "failed", "canceled", "ready" };

static void on_block_job(virConnectPtr conn, virDomainPtr dom, const char *disk, int type,
                         int status, void *opaque)
{
    emit(opaque, g_strdup_printf("event '%s' for domain '%s': %s for %s %s\n", EVENT_NAME(opaque),
                                 virDomainGetName(dom), vmsh_block_job_type_name(type), disk,
                                 NAME(block_job_status_names, status)));
}

static const char *const disk_change_names[] = { "changed", "dropped" };

static void on_disk_change(virConnectPtr conn, virDomainPtr dom, const char *old_src,
                           const char *new_src, const char *alias, int reason, void *opaque)
{
    emit(opaque, g_strdup_printf("event 'disk-change' for domain '%s' disk %s: %s -> %s: %s\n",
                                 virDomainGetName(dom), alias, old_src ? old_src : "<null>",
                                 new_src ? new_src : "<null>",
                                 NAME(disk_change_names, reason)));
}

static const char *const tray_change_names[] = { "opened", "closed" };

static void on_tray_change(virConnectPtr conn, virDomainPtr dom, const char *alias, int reason,
                           void *opaque)
{
    emit(opaque, g_strdup_printf("event 'tray-change' for domain '%s' disk %s: %s\n",
                                 virDomainGetName(dom), alias, NAME(tray_change_names, reason)));
}

/* Power-management changes have no reasons yet: they print as generic events. */
static void on_pm_change(virConnectPtr conn, virDomainPtr dom, int reason, void *opaque)
{
    on_generic(conn, dom, opaque);
}

static void on_balloon_change(virConnectPtr conn, virDomainPtr dom, unsigned long long actual,
                              void *opaque)
{
    emit(opaque, g_strdup_printf("event 'balloon-change' for domain '%s': %lluKiB\n",
                                 virDomainGetName(dom), actual));
}

/* device-removed, device-added and device-removal-failed: the event name and alias. */
static void on_device(virConnectPtr conn, virDomainPtr dom, const char *alias, void *opaque)
{
    emit(opaque, g_strdup_printf("event '%s' for domain '%s': %s\n", EVENT_NAME(opaque),
                                 virDomainGetName(dom), alias));
}

/* tunable and job-completed: a header line, then "\tfield: value" per parameter. */
static void on_params(virConnectPtr conn, virDomainPtr dom, virTypedParameterPtr params,
                      int nparams, void *opaque)
{
    GString *text = g_string_new(NULL);

    g_string_printf(text, "event '%s' for domain '%s':\n", EVENT_NAME(opaque),
                    virDomainGetName(dom));
    for (int i = 0; i < nparams; i++) {
        g_autofree char *value = vmsh_typed_param_string(&params[i]);
        if (value)
            g_string_append_printf(text, "\t%s: %s\n", params[i].field, value);
    }
    emit(opaque, g_string_free(text, FALSE));
}

static const char *const agent_states[] = { "unknown", "connected", "disconnected" };
static const char *const agent_reasons[] = { "unknown", "domain started", "channel event" };

static void on_agent_lifecycle(virConnectPtr conn, virDomainPtr dom, int state, int reason,
                               void *opaque)
{
    emit(opaque, g_strdup_printf(
        "event 'agent-lifecycle' for domain '%s': state: '%s' reason: '%s'\n",
        virDomainGetName(dom), name_of(agent_states, 3, state, "unsupported value"),
        name_of(agent_reasons, 3, reason, "unsupported value")));
}

static void on_migration_iteration(virConnectPtr conn, virDomainPtr dom, int iteration,
                                   void *opaque)
{
    emit(opaque, g_strdup_printf("event 'migration-iteration' for domain '%s': iteration: '%d'\n",
                                 virDomainGetName(dom), iteration));
}

static const char *const metadata_types[] = { "description", "title", "element" };

static void on_metadata_change(virConnectPtr conn, virDomainPtr dom, int type, const char *nsuri,
                               void *opaque)
{
    emit(opaque, g_strdup_printf("event 'metadata-change' for domain '%s': type %s, uri %s\n",
                                 virDomainGetName(dom),
                                 name_of(metadata_types, 3, type, "unsupported value"),
                                 nsuri ? nsuri : "<null>"));
}

static void on_block_threshold(virConnectPtr conn, virDomainPtr dom, const char *dev,
                               const char *path, unsigned long long threshold,
                               unsigned long long excess, void *opaque)
{
    emit(opaque, g_strdup_printf("event 'block-threshold' for domain '%s': dev: %s(%s) %llu %llu\n",
                                 virDomainGetName(dom), dev, path ? path : "<null>", threshold,
                                 excess));
}

static const char *const failure_recipients[] = { "hypervisor", "guest" };
static const char *const failure_actions[] = { "ignore", "inject", "fatal", "reset" };

static void on_memory_failure(virConnectPtr conn, virDomainPtr dom, int recipient, int action,
                              unsigned int flags, void *opaque)
{
    emit(opaque, g_strdup_printf(
        "event 'memory-failure' for domain '%s':\nrecipient: %s\naction: %s\n"
        "flags:\n\taction required: %d\n\trecursive: %d\n",
        virDomainGetName(dom), name_of(failure_recipients, 2, recipient, "unsupported value"),
        name_of(failure_actions, 4, action, "unsupported value"),
        !!(flags & VIR_DOMAIN_MEMORY_FAILURE_ACTION_REQUIRED),
        !!(flags & VIR_DOMAIN_MEMORY_FAILURE_RECURSIVE)));
}

static void on_memory_device_size_change(virConnectPtr conn, virDomainPtr dom, const char *alias,
                                         unsigned long long size, void *opaque)
{
    emit(opaque, g_strdup_printf(
        "event 'memory-device-size-change' for domain '%s':\nalias: %s\nsize: %llu\n",
        virDomainGetName(dom), alias, size));
}

#define CB(f) VIR_DOMAIN_EVENT_CALLBACK(f)

/* Every event, by VIR_DOMAIN_EVENT_ID_*, with its name and printing callback. */
const vmsh_event_type vmsh_event_types[VMSH_EVENT_ID_COUNT] = {
    { "lifecycle", CB(on_lifecycle) },
    { "reboot", on_generic },
    { "rtc-change", CB(on_rtc_change) },
    { "watchdog", CB(on_watchdog) },
    { "io-error", CB(on_io_error) },
    { "graphics", CB(on_graphics) },
    { "io-error-reason", CB(on_io_error_reason) },
    { "control-error", on_generic },
    { "block-job", CB(on_block_job) },
    { "disk-change", CB(on_disk_change) },
    { "tray-change", CB(on_tray_change) },
    { "pm-wakeup", CB(on_pm_change) },
    { "pm-suspend", CB(on_pm_change) },
    { "balloon-change", CB(on_balloon_change) },
    { "pm-suspend-disk", CB(on_pm_change) },
    { "device-removed", CB(on_device) },
    { "block-job-2", CB(on_block_job) },
    { "tunable", CB(on_params) },
    { "agent-lifecycle", CB(on_agent_lifecycle) },
    { "device-added", CB(on_device) },
    { "migration-iteration", CB(on_migration_iteration) },
    { "job-completed", CB(on_params) },
    { "device-removal-failed", CB(on_device) },
    { "metadata-change", CB(on_metadata_change) },
    { "block-threshold", CB(on_block_threshold) },
    { "memory-failure", CB(on_memory_failure) },
    { "memory-device-size-change", CB(on_memory_device_size_change) },
};
