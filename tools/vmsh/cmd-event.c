/* event: lists the event types, or waits for domain events and prints them as they come. */
#include "vmsh-util.h"

#include <limits.h>
#include <string.h>

static const vmsh_opt_def opts[] = {
    { .name = "domain", .type = VMSH_OT_STRING,
      .help = "only the events of this domain (name, ID or UUID)" },
    { .name = "event", .type = VMSH_OT_STRING, .help = "the type of event to wait for" },
    { .name = "all", .type = VMSH_OT_BOOL, .help = "wait for events of every type" },
    { .name = "loop", .type = VMSH_OT_BOOL,
      .help = "go on until the timeout or Ctrl-C, not only until the first event" },
    { .name = "timeout", .type = VMSH_OT_INT, .help = "stop waiting after this many seconds" },
    { .name = "list", .type = VMSH_OT_BOOL, .help = "list the types of events" },
    { .name = "timestamp", .type = VMSH_OT_BOOL, .help = "start each event with the time" },
    { .name = NULL },
};

/* --timeout in milliseconds in *ret_ms (untouched if absent); false if invalid. */
static bool timeout_ms(vmsh_ctl *ctl, const vmsh_cmd *cmd, int *ret_ms)
{
    unsigned int secs;
    int rc = vmsh_opt_uint(ctl, cmd, "timeout", &secs);

    if (rc <= 0)
        return rc == 0;
    if (secs == 0 || secs > INT_MAX / 1000) {
        vmsh_error(ctl, "Numeric value '%u' for <%s> option is malformed or out of range",
                   secs, "timeout");
        return false;
    }
    *ret_ms = (int)secs * 1000;
    return true;
}

/* The callbacks' data for EVENT (every type when NULL); NULL if it names none. */
static GArray *select_events(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *event, int *count)
{
    GArray *data = g_array_new(FALSE, TRUE, sizeof(vmsh_event_data));

    for (int i = 0; i < VMSH_EVENT_ID_COUNT; i++) {
        vmsh_event_data d = {
            .ctl = ctl, .event_id = i, .loop = vmsh_opt_bool(cmd, "loop"),
            .timestamp = vmsh_opt_bool(cmd, "timestamp"), .count = count, .callback_id = -1,
        };
        if (!event || strcmp(event, vmsh_event_types[i].name) == 0)
            g_array_append_val(data, d);
    }
    if (data->len == 0) {
        vmsh_error(ctl, "unknown event type %s", event);
        g_array_unref(data);
        return NULL;
    }
    return data;
}

/* A registration's free callback: after it, no delivery holds anything of ours. */
static void released(void *opaque)
{
    vmsh_event_data *d = opaque;

    g_atomic_int_set(&d->released, 1);
}

/* Registers the callbacks; when registering for every type, later refusals are ignored
 * (an older server knows fewer events). */
static bool register_all(vmsh_ctl *ctl, virDomainPtr dom, GArray *data)
{
    for (guint i = 0; i < data->len; i++) {
        vmsh_event_data *d = &g_array_index(data, vmsh_event_data, i);
        d->callback_id = virConnectDomainEventRegisterAny(ctl->conn, dom, d->event_id,
                                                          vmsh_event_types[d->event_id].cb, d,
                                                          released);
        if (d->callback_id < 0) {
            if (i == 0)
                return false;
            vmsh_reset_error(ctl);
        }
    }
    return true;
}

/* Waits and prints; true if at least one event came. */
static bool listen(vmsh_ctl *ctl, virDomainPtr dom, GArray *data, int timeout, const int *count)
{
    if (vmsh_event_start(ctl, timeout) < 0 || !register_all(ctl, dom, data))
        return false;
    switch (vmsh_event_wait(ctl)) {
    case VMSH_EVENT_INTERRUPT:
        vmsh_print(ctl, "%s", "event loop interrupted\n");
        break;
    case VMSH_EVENT_TIMEOUT:
        vmsh_print(ctl, "%s", "event loop timed out\n");
        break;
    case VMSH_EVENT_DONE:
        break;
    default:
        return false;
    }
    vmsh_print(ctl, "events received: %d\n", *count);
    return *count > 0;
}

/* Deregisters the callbacks, and waits (two seconds at most in all) until the library
 * has let go of them: a delivery still under way holds a domain handle, and with it
 * the connection. */
static bool deregister_all(vmsh_ctl *ctl, GArray *data)
{
    gint64 deadline = g_get_monotonic_time() + 2 * G_USEC_PER_SEC;
    bool ok = true;

    for (guint i = 0; i < data->len; i++) {
        vmsh_event_data *d = &g_array_index(data, vmsh_event_data, i);
        if (d->callback_id < 0)
            continue;
        if (virConnectDomainEventDeregisterAny(ctl->conn, d->callback_id) < 0) {
            ok = false;
            continue;
        }
        while (!g_atomic_int_get(&d->released) && g_get_monotonic_time() < deadline)
            g_usleep(1000);
    }
    return ok;
}

static bool cmd_event(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *event = NULL;
    int timeout = 0, count = 0;
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(GArray) data = NULL;
    bool ok;

    VMSH_EXCLUSIVE("all", "event");
    VMSH_EXCLUSIVE("list", "all");
    VMSH_EXCLUSIVE("list", "event");
    if (vmsh_opt_bool(cmd, "list")) {
        for (int i = 0; i < VMSH_EVENT_ID_COUNT; i++)
            vmsh_print(ctl, "%s\n", vmsh_event_types[i].name);
        return true;
    }
    if (vmsh_opt_string_req(ctl, cmd, "event", &event) < 0)
        return false;
    if (!event && !vmsh_opt_bool(cmd, "all")) {
        vmsh_error(ctl, "%s", "one of --list, --all, or --event <type> is required");
        return false;
    }
    if (!(data = select_events(ctl, cmd, event, &count)) || !timeout_ms(ctl, cmd, &timeout))
        return false;
    if (vmsh_opt_bool(cmd, "domain") && !(dom = vmsh_opt_domain(ctl, cmd, NULL)))
        return false;
    ok = listen(ctl, dom, data, timeout, &count);
    vmsh_event_cleanup(ctl);
    return deregister_all(ctl, data) && ok;
}

const vmsh_cmd_def vmsh_cmd_event = {
    .name = "event",
    .group = "events",
    .summary = "wait for domain events",
    .description = "Lists the types of domain events (--list), or waits for events of one "
                   "type (--event) or of all (--all), of one domain or of every one, and "
                   "prints each; it ends after the first one unless --loop, at the "
                   "timeout, or at Ctrl-C.",
    .opts = opts,
    .handler = cmd_event,
};
