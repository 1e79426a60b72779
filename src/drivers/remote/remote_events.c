/* Domain events through the daemon: one remote registration per event ID (for any
 * domain), shared by the connection's local callbacks; the daemon's event messages
 * are put on the connection's event bus, which delivers them in the application's
 * event loop and filters by domain, as in-process drivers do. */
#include "drivers/remote/remote_driver.h"

#include <string.h>
#include "util/error.h"
#include "util/eventloop.h"
#include "util/typedparam.h"

#define FROM VIR_FROM_REMOTE
#define LIMBO_MAX 64

struct remote_event_cb {
    int event_id;
    int remote_id;           /* the daemon's callbackID; -1 while registering */
    int nlocal;              /* local callbacks using it */
};

typedef struct {
    int local_id;
    int event_id;
} local_reg;

typedef struct {
    const rpc_proc_info *info;
    void *msg;
} limbo_msg;

static void limbo_free(gpointer p)
{
    limbo_msg *l = p;
    rpc_free(l->info->args, l->msg);
    g_free(l->msg);
    g_free(l);
}

static remote_event_cb *find_by_event(remote_conn *rc, int event_id)
{
    for (guint i = 0; i < rc->ev_cbs->len; i++) {
        remote_event_cb *cb = g_ptr_array_index(rc->ev_cbs, i);
        if (cb->event_id == event_id && cb->nlocal > 0)
            return cb;
    }
    return NULL;
}

static remote_event_cb *find_by_remote(remote_conn *rc, int remote_id)
{
    for (guint i = 0; i < rc->ev_cbs->len; i++) {
        remote_event_cb *cb = g_ptr_array_index(rc->ev_cbs, i);
        if (cb->remote_id == remote_id)
            return cb;
    }
    return NULL;
}

/* Put a decoded message on the bus. */
static void deliver(remote_conn *rc, int proc, void *msg)
{
    switch (proc) {
    case RPC_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE: {
        rpc_domain_event_callback_lifecycle_msg *m = msg;
        event_domain ed = { m->dom.name, m->dom.uuid, m->dom.id };
        event_bus_lifecycle(rc->events, &ed, m->event, m->detail);
        break;
    }
    case RPC_PROC_DOMAIN_EVENT_CALLBACK_BLOCK_JOB: {
        rpc_domain_event_callback_block_job_msg *m = msg;
        event_domain ed = { m->dom.name, m->dom.uuid, m->dom.id };
        event_bus_block_job(rc->events, &ed, VIR_DOMAIN_EVENT_ID_BLOCK_JOB, m->path, m->type,
                            m->status);
        break;
    }
    case RPC_PROC_DOMAIN_EVENT_BLOCK_JOB_2: {
        rpc_domain_event_block_job_2_msg *m = msg;
        event_domain ed = { m->dom.name, m->dom.uuid, m->dom.id };
        event_bus_block_job(rc->events, &ed, VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2, m->dst, m->type,
                            m->status);
        break;
    }
    case RPC_PROC_DOMAIN_EVENT_CALLBACK_JOB_COMPLETED: {
        rpc_domain_event_callback_job_completed_msg *m = msg;
        event_domain ed = { m->dom.name, m->dom.uuid, m->dom.id };
        event_bus_job_completed(rc->events, &ed, g_steal_pointer(&m->params.params),
                                (int)m->params.n);
        m->params.n = 0;
        break;
    }
    default:
        break;
    }
}

void remote_events_dispatch(remote_conn *rc, const rpc_proc_info *info, const uint8_t *payload,
                            size_t len)
{
    void *msg;
    bool known;

    if (!info->args || info->num == RPC_PROC_CONNECT_EVENT_CONNECTION_CLOSED)
        return;
    msg = g_malloc0(info->args->size);
    if (!rpc_decode_payload(info->args, payload, len, msg)) {
        g_free(msg);
        return;
    }
    /* Every callback message starts with its int callbackID. */
    g_mutex_lock(&rc->ev_lock);
    known = find_by_remote(rc, *(int32_t *)msg) != NULL;
    if (!known && g_queue_get_length(&rc->ev_limbo) < LIMBO_MAX) {
        limbo_msg *l = g_new0(limbo_msg, 1);
        l->info = info;
        l->msg = g_steal_pointer(&msg);
        g_queue_push_tail(&rc->ev_limbo, l);
    }
    g_mutex_unlock(&rc->ev_lock);
    if (known)
        deliver(rc, info->num, msg);
    if (msg) {
        rpc_free(info->args, msg);
        g_free(msg);
    }
}

/* Messages that arrived before their registration's reply (ev_lock held). */
static void drain_limbo(remote_conn *rc, int remote_id)
{
    for (GList *l = rc->ev_limbo.head; l;) {
        GList *next = l->next;
        limbo_msg *m = l->data;
        if (*(int32_t *)m->msg == remote_id) {
            deliver(rc, m->info->num, m->msg);
            g_queue_delete_link(&rc->ev_limbo, l);
            limbo_free(m);
        }
        l = next;
    }
}

/* Make sure the daemon sends event_id's events; the remote callback or NULL. */
static bool remote_register(remote_conn *rc, virConnectPtr conn, int event_id)
{
    rpc_connect_domain_event_callback_register_any_args args = { event_id, NULL };
    rpc_connect_domain_event_callback_register_any_ret ret;
    remote_event_cb *cb;

    g_mutex_lock(&rc->ev_lock);
    if ((cb = find_by_event(rc, event_id))) {
        cb->nlocal++;
        g_mutex_unlock(&rc->ev_lock);
        return true;
    }
    cb = g_new0(remote_event_cb, 1);
    cb->event_id = event_id;
    cb->remote_id = -1;
    cb->nlocal = 1;
    g_ptr_array_add(rc->ev_cbs, cb);
    g_mutex_unlock(&rc->ev_lock);
    if (remote_call(conn, RPC_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, &args, &ret) < 0) {
        g_mutex_lock(&rc->ev_lock);
        g_ptr_array_remove(rc->ev_cbs, cb);
        g_mutex_unlock(&rc->ev_lock);
        return false;
    }
    g_mutex_lock(&rc->ev_lock);
    cb->remote_id = ret.callbackID;
    drain_limbo(rc, cb->remote_id);
    g_mutex_unlock(&rc->ev_lock);
    return true;
}

static void remote_unregister(remote_conn *rc, virConnectPtr conn, int event_id)
{
    rpc_connect_domain_event_callback_deregister_any_args args;
    remote_event_cb *cb;
    int remote_id = -1;

    g_mutex_lock(&rc->ev_lock);
    if ((cb = find_by_event(rc, event_id)) && --cb->nlocal == 0) {
        remote_id = cb->remote_id;
        g_ptr_array_remove(rc->ev_cbs, cb);
    }
    g_mutex_unlock(&rc->ev_lock);
    if (remote_id >= 0 && remote_conn_alive(rc)) {
        args.callbackID = remote_id;
        remote_call(conn, RPC_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, &args, NULL);
    }
}

static int remote_event_register_any(virConnectPtr conn, virDomainPtr dom, int event_id,
                                     virConnectDomainEventGenericCallback cb, void *opaque,
                                     virFreeCallback freecb)
{
    remote_conn *rc = remote_conn_of(conn);
    int id;

    if (!eventloop_available()) {
        error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "%s",
                     "could not initialize domain event timer");
        return -1;
    }
    if (!rc->events_supported) {
        error_report(FROM, VIR_ERR_NO_SUPPORT, "%s", "the daemon sends no callback events");
        return -1;
    }
    if (!remote_register(rc, conn, event_id))
        return -1;
    id = event_bus_register(rc->events, conn, dom, event_id, cb, opaque, freecb);
    if (id < 0) {
        remote_unregister(rc, conn, event_id);
        return -1;
    }
    g_mutex_lock(&rc->ev_lock);
    g_hash_table_insert(rc->ev_local, GINT_TO_POINTER(id), GINT_TO_POINTER(event_id));
    g_mutex_unlock(&rc->ev_lock);
    return id;
}

static int remote_event_deregister_any(virConnectPtr conn, int callback_id)
{
    remote_conn *rc = remote_conn_of(conn);
    gpointer event_id;
    bool found;

    g_mutex_lock(&rc->ev_lock);
    found = g_hash_table_lookup_extended(rc->ev_local, GINT_TO_POINTER(callback_id), NULL,
                                         &event_id);
    g_hash_table_remove(rc->ev_local, GINT_TO_POINTER(callback_id));
    g_mutex_unlock(&rc->ev_lock);
    if (!found || event_bus_deregister(rc->events, conn, callback_id) < 0) {
        if (!found)
            error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                         "could not find event callback %d for deletion", callback_id);
        return -1;
    }
    remote_unregister(rc, conn, GPOINTER_TO_INT(event_id));
    return 0;
}

static int remote_event_find(virConnectPtr conn, int event_id,
                             virConnectDomainEventGenericCallback cb)
{
    return event_bus_find(remote_conn_of(conn)->events, conn, event_id, cb);
}

void remote_events_fill(vm_driver *drv)
{
    drv->connect_domain_event_register_any = remote_event_register_any;
    drv->connect_domain_event_deregister_any = remote_event_deregister_any;
    drv->connect_domain_event_find = remote_event_find;
}

void remote_events_init(remote_conn *rc)
{
    rc->events = event_bus_new();
    rc->ev_cbs = g_ptr_array_new_with_free_func(g_free);
    rc->ev_local = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_queue_init(&rc->ev_limbo);
}

void remote_events_free(remote_conn *rc)
{
    if (rc->events) {
        event_bus_drop_conn(rc->events, rc->conn);
        event_bus_free(rc->events);
    }
    if (rc->ev_cbs)
        g_ptr_array_unref(rc->ev_cbs);
    if (rc->ev_local)
        g_hash_table_unref(rc->ev_local);
    g_queue_clear_full(&rc->ev_limbo, limbo_free);
}
