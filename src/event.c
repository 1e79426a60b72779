/* Domain events: the callbacks connections registered, and their delivery, one
 * event at a time, from the application's event loop (as libvirt does). */
#include "event.h"

#include <string.h>
#include <glib.h>
#include "handle.h"
#include "util/error.h"
#include "util/eventloop.h"
#include "util/typedparam.h"

typedef struct {
    gint refs;
    gint removed;              /* deregistered while a delivery held it */
    int callback_id;
    virConnectPtr conn;        /* not referenced: dropped when conn closes */
    bool any_domain;
    unsigned char uuid[UUID_LEN];
    int event_id;
    virConnectDomainEventGenericCallback cb;
    void *opaque;
    virFreeCallback ff;
} registration;

typedef struct {
    int event_id;
    char *name;
    unsigned char uuid[UUID_LEN];
    int dom_id;
    int a, b, c;               /* lifecycle event/detail; block job type/status */
    char *disk;
    virTypedParameterPtr params;
    int nparams;
} queued_event;

struct event_bus {
    gint refs;                 /* the owner's, and one while flush delivers */
    GMutex lock;
    GPtrArray *regs;           /* registration* */
    GQueue queue;              /* queued_event* */
    int last_callback_id;
    int timer;                 /* event loop timer flushing the queue; 0 = none yet */
};

static void registration_unref(registration *r)
{
    if (!g_atomic_int_dec_and_test(&r->refs))
        return;
    if (r->ff)
        r->ff(r->opaque);
    g_free(r);
}

static void queued_event_free(queued_event *e)
{
    g_free(e->name);
    g_free(e->disk);
    typed_params_free(e->params, e->nparams);
    g_free(e);
}

event_bus *event_bus_new(void)
{
    event_bus *bus = g_new0(event_bus, 1);

    bus->refs = 1;
    g_mutex_init(&bus->lock);
    bus->regs = g_ptr_array_new_with_free_func((GDestroyNotify)registration_unref);
    g_queue_init(&bus->queue);
    return bus;
}

static void bus_unref(event_bus *bus)
{
    if (!g_atomic_int_dec_and_test(&bus->refs))
        return;
    if (bus->timer > 0)
        eventloop_remove_timeout(bus->timer);
    g_ptr_array_unref(bus->regs);
    g_queue_clear_full(&bus->queue, (GDestroyNotify)queued_event_free);
    g_mutex_clear(&bus->lock);
    g_free(bus);
}

void event_bus_free(event_bus *bus)
{
    if (bus)
        bus_unref(bus);
}

static bool matches(const registration *r, const queued_event *e)
{
    return r->event_id == e->event_id && (r->any_domain || memcmp(r->uuid, e->uuid, UUID_LEN) == 0);
}

static void deliver(registration *r, const queued_event *e)
{
    virDomainPtr dom = handle_domain_new(r->conn, e->name, e->uuid, e->dom_id);

    switch (e->event_id) {
    case VIR_DOMAIN_EVENT_ID_LIFECYCLE:
        ((virConnectDomainEventCallback)(void (*)(void))r->cb)(r->conn, dom, e->a, e->b, r->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_BLOCK_JOB:
    case VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2:
        ((virConnectDomainEventBlockJobCallback)(void (*)(void))r->cb)(r->conn, dom, e->disk, e->a,
                                                                       e->b, r->opaque);
        break;
    case VIR_DOMAIN_EVENT_ID_JOB_COMPLETED:
        ((virConnectDomainEventJobCompletedCallback)(void (*)(void))r->cb)(r->conn, dom, e->params,
                                                                           e->nparams, r->opaque);
        break;
    default:
        r->cb(r->conn, dom, r->opaque);
    }
    handle_domain_unref(dom);
}

/* The event loop timer: deliver everything queued. */
static void flush(int timer, void *opaque)
{
    event_bus *bus = opaque;

    /* A callback may close the last connection and with it the bus's owner: keep
     * the bus until this delivery is over. */
    g_atomic_int_inc(&bus->refs);
    for (;;) {
        g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func((GDestroyNotify)registration_unref);
        queued_event *e;

        g_mutex_lock(&bus->lock);
        e = g_queue_pop_head(&bus->queue);
        if (!e) {
            eventloop_update_timeout(timer, -1);
            g_mutex_unlock(&bus->lock);
            bus_unref(bus);
            return;
        }
        for (guint i = 0; i < bus->regs->len; i++) {
            registration *r = g_ptr_array_index(bus->regs, i);
            if (matches(r, e)) {
                g_atomic_int_inc(&r->refs);
                g_ptr_array_add(targets, r);
            }
        }
        g_mutex_unlock(&bus->lock);
        for (guint i = 0; i < targets->len; i++) {
            registration *r = g_ptr_array_index(targets, i);
            if (!g_atomic_int_get(&r->removed))
                deliver(r, e);
        }
        queued_event_free(e);
    }
}

int event_bus_register(event_bus *bus, virConnectPtr conn, virDomainPtr dom, int event_id,
                       virConnectDomainEventGenericCallback cb, void *opaque, virFreeCallback ff)
{
    registration *r;
    int id;

    if (event_id < 0 || event_id >= VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, "unsupported event ID %d", event_id);
        return -1;
    }
    g_mutex_lock(&bus->lock);
    if (bus->timer == 0) {
        bus->timer = eventloop_add_timeout(-1, flush, bus, NULL);
        if (bus->timer < 0) {
            bus->timer = 0;
            g_mutex_unlock(&bus->lock);
            error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "%s",
                         "could not initialize domain event timer");
            return -1;
        }
    }
    r = g_new0(registration, 1);
    r->refs = 1;
    r->callback_id = id = ++bus->last_callback_id;
    r->conn = conn;
    r->any_domain = dom == NULL;
    if (dom)
        memcpy(r->uuid, dom->uuid, UUID_LEN);
    r->event_id = event_id;
    r->cb = cb;
    r->opaque = opaque;
    r->ff = ff;
    g_ptr_array_add(bus->regs, r);
    g_mutex_unlock(&bus->lock);
    return id;
}

int event_bus_deregister(event_bus *bus, virConnectPtr conn, int callback_id)
{
    g_mutex_lock(&bus->lock);
    for (guint i = 0; i < bus->regs->len; i++) {
        registration *r = g_ptr_array_index(bus->regs, i);
        if (r->conn == conn && r->callback_id == callback_id) {
            g_atomic_int_set(&r->removed, true);
            g_ptr_array_remove_index(bus->regs, i);
            g_mutex_unlock(&bus->lock);
            return 0;
        }
    }
    g_mutex_unlock(&bus->lock);
    error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                 "could not find event callback %d for deletion", callback_id);
    return -1;
}

int event_bus_find(event_bus *bus, virConnectPtr conn, int event_id,
                   virConnectDomainEventGenericCallback cb)
{
    int id = -1;

    g_mutex_lock(&bus->lock);
    for (guint i = 0; i < bus->regs->len && id < 0; i++) {
        registration *r = g_ptr_array_index(bus->regs, i);
        if (r->conn == conn && r->event_id == event_id && r->cb == cb)
            id = r->callback_id;
    }
    g_mutex_unlock(&bus->lock);
    return id;
}

void event_bus_drop_conn(event_bus *bus, virConnectPtr conn)
{
    g_mutex_lock(&bus->lock);
    for (guint i = bus->regs->len; i-- > 0;) {
        registration *r = g_ptr_array_index(bus->regs, i);
        if (r->conn == conn) {
            g_atomic_int_set(&r->removed, true);
            g_ptr_array_remove_index(bus->regs, i);
        }
    }
    g_mutex_unlock(&bus->lock);
}

/* Queue e unless nobody listens for it, and wake the flush timer. */
static void queue(event_bus *bus, queued_event *e)
{
    bool wanted = false;

    g_mutex_lock(&bus->lock);
    for (guint i = 0; i < bus->regs->len && !wanted; i++)
        wanted = matches(g_ptr_array_index(bus->regs, i), e);
    if (wanted) {
        g_queue_push_tail(&bus->queue, e);
        eventloop_update_timeout(bus->timer, 0);
    }
    g_mutex_unlock(&bus->lock);
    if (!wanted)
        queued_event_free(e);
}

static queued_event *event_new(int event_id, const event_domain *dom)
{
    queued_event *e = g_new0(queued_event, 1);

    e->event_id = event_id;
    e->name = g_strdup(dom->name);
    memcpy(e->uuid, dom->uuid, UUID_LEN);
    e->dom_id = dom->id;
    return e;
}

void event_bus_lifecycle(event_bus *bus, const event_domain *dom, int event, int detail)
{
    queued_event *e = event_new(VIR_DOMAIN_EVENT_ID_LIFECYCLE, dom);

    e->a = event;
    e->b = detail;
    queue(bus, e);
}

void event_bus_block_job(event_bus *bus, const event_domain *dom, int event_id, const char *disk,
                         int type, int status)
{
    queued_event *e = event_new(event_id, dom);

    e->disk = g_strdup(disk);
    e->a = type;
    e->b = status;
    queue(bus, e);
}

void event_bus_job_completed(event_bus *bus, const event_domain *dom, virTypedParameterPtr params,
                             int nparams)
{
    queued_event *e = event_new(VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, dom);

    e->params = params;
    e->nparams = nparams;
    queue(bus, e);
}

void event_bus_generic(event_bus *bus, const event_domain *dom, int event_id)
{
    queue(bus, event_new(event_id, dom));
}
