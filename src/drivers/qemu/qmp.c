/* QMP client: connecting, the handshake, listeners, closing and releasing. */
#include "drivers/qemu/qmp_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "util/error.h"

#define DEFAULT_TIMEOUT_MS 30000
#define RETRY_INTERVAL_MS 20

gint64 qmp_deadline(int timeout_ms)
{
    if (timeout_ms < 0)
        return G_MAXINT64;
    return g_get_monotonic_time() + (gint64)timeout_ms * 1000;
}

/* One connection attempt: the socket, or -1 with errno set. */
static int connect_once(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (fd < 0)
        return -1;
    memcpy(addr.sun_path, path, strlen(path) + 1);
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* Connect, retrying while the socket is missing or refusing, until deadline. */
static int connect_retry(const char *path, gint64 deadline, const qmp_open_options *opts)
{
    if (strlen(path) >= sizeof(((struct sockaddr_un *)NULL)->sun_path)) {
        error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                     "monitor socket path '%s' too long", path);
        return -1;
    }
    for (;;) {
        int fd = connect_once(path);
        int err = errno;

        if (fd >= 0)
            return fd;
        bool retryable = err == ENOENT || err == ECONNREFUSED || err == EAGAIN;
        bool more = retryable && g_get_monotonic_time() + RETRY_INTERVAL_MS * 1000 < deadline &&
                    (!opts->keep_trying || opts->keep_trying(opts->keep_trying_opaque));
        if (!more) {
            error_report_errno(VIR_FROM_QEMU, VIR_ERR_SYSTEM_ERROR, err,
                               "failed to connect to monitor socket '%s'", path);
            return -1;
        }
        g_usleep(RETRY_INTERVAL_MS * 1000);
    }
}

void qmp_pending_free(qmp_pending *p)
{
    if (!p)
        return;
    g_free(p->id);
    g_free(p->command);
    if (p->reply)
        json_object_put(p->reply);
    g_free(p);
}

static qmp_client *client_new(int fd, const char *path)
{
    qmp_client *c = g_new0(qmp_client, 1);

    c->refs = 1;
    c->fd = fd;
    c->path = g_strdup(path);
    g_mutex_init(&c->lock);
    g_cond_init(&c->cond);
    c->pending = g_hash_table_new(g_str_hash, g_str_equal);
    g_queue_init(&c->order);
    c->package = g_strdup("");
    c->default_timeout_ms = DEFAULT_TIMEOUT_MS;
    g_mutex_init(&c->write_lock);
    g_rec_mutex_init(&c->listen_lock);
    c->listeners = g_array_new(FALSE, TRUE, sizeof(qmp_listener_entry));
    return c;
}

static void client_destroy(qmp_client *c)
{
    /* Still set only when the owner freed the client from a listener callback: the
     * reader thread itself drops the last reference as it ends. */
    if (c->reader)
        g_thread_unref(c->reader);
    if (c->fd >= 0)
        close(c->fd);
    /* Only abandoned calls can remain: their callers are gone. */
    while (!g_queue_is_empty(&c->order))
        qmp_pending_free(g_queue_pop_head(&c->order));
    g_hash_table_destroy(c->pending);
    g_free(c->path);
    g_free(c->package);
    g_free(c->close_reason);
    g_array_free(c->listeners, TRUE);
    g_mutex_clear(&c->lock);
    g_cond_clear(&c->cond);
    g_mutex_clear(&c->write_lock);
    g_rec_mutex_clear(&c->listen_lock);
    g_free(c);
}

qmp_client *qmp_client_ref(qmp_client *client)
{
    g_atomic_int_inc(&client->refs);
    return client;
}

void qmp_client_unref(qmp_client *client)
{
    if (client && g_atomic_int_dec_and_test(&client->refs))
        client_destroy(client);
}

/* Wait for the reader to see the greeting; 0, or -1 with an error. */
static int wait_greeting(qmp_client *c, gint64 deadline)
{
    int ret = 0;

    g_mutex_lock(&c->lock);
    while (!c->greeted && !c->closed) {
        if (!g_cond_wait_until(&c->cond, &c->lock, deadline))
            break;
    }
    if (c->closed) {
        qmp_client_report_closed_locked(c);
        ret = -1;
    } else if (!c->greeted) {
        error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_TIMEOUT,
                     "no greeting from QEMU monitor '%s'", c->path);
        ret = -1;
    }
    g_mutex_unlock(&c->lock);
    return ret;
}

qmp_client *qmp_client_open(const char *path, const qmp_open_options *options)
{
    static const qmp_open_options none = { 0 };
    const qmp_open_options *opts = options ? options : &none;
    gint64 deadline = qmp_deadline(opts->timeout_ms > 0 ? opts->timeout_ms : DEFAULT_TIMEOUT_MS);
    g_autoptr(GError) gerr = NULL;
    int fd = connect_retry(path, opts->timeout_ms > 0 ? deadline : 0, opts);

    if (fd < 0)
        return NULL;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

    g_autoptr(qmp_client) c = client_new(fd, path);
    if (opts->listener)
        qmp_client_add_listener(c, opts->listener, opts->listener_opaque);
    c->reader = g_thread_try_new("qmp-reader", qmp_reader_main, qmp_client_ref(c), &gerr);
    if (!c->reader) {
        qmp_client_unref(c);
        error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                     "cannot start the QEMU monitor reader: %s", gerr->message);
        return NULL;
    }
    if (wait_greeting(c, deadline) < 0)
        return NULL;
    gint64 left_ms = (deadline - g_get_monotonic_time()) / 1000;
    if (qmp_call(c, "qmp_capabilities", NULL, (int)MAX(left_ms, 1), NULL) < 0)
        return NULL;
    return g_steal_pointer(&c);
}

void qmp_client_mark_closed(qmp_client *c, int code, const char *reason)
{
    g_mutex_lock(&c->lock);
    if (!c->closed) {
        c->closed = true;
        c->close_code = code;
        c->close_reason = g_strdup(reason);
    }
    while (!g_queue_is_empty(&c->order)) {
        qmp_pending *p = g_queue_pop_head(&c->order);
        g_hash_table_remove(c->pending, p->id);
        if (p->abandoned)
            qmp_pending_free(p);
        else
            p->done = true;
    }
    g_cond_broadcast(&c->cond);
    g_mutex_unlock(&c->lock);
}

void qmp_client_report_closed_locked(qmp_client *c)
{
    error_report(VIR_FROM_QEMU, c->close_code, "%s", c->close_reason);
}

void qmp_client_report_closed(qmp_client *c)
{
    g_mutex_lock(&c->lock);
    qmp_client_report_closed_locked(c);
    g_mutex_unlock(&c->lock);
}

int qmp_client_resolve_timeout(qmp_client *c, int timeout_ms)
{
    if (timeout_ms != QMP_TIMEOUT_DEFAULT)
        return timeout_ms;
    g_mutex_lock(&c->lock);
    timeout_ms = c->default_timeout_ms;
    g_mutex_unlock(&c->lock);
    return timeout_ms;
}

void qmp_client_close(qmp_client *client)
{
    if (!client)
        return;
    qmp_client_mark_closed(client, VIR_ERR_OPERATION_INVALID, "QEMU monitor was closed");
    shutdown(client->fd, SHUT_RDWR);
}

void qmp_client_free(qmp_client *client)
{
    if (!client)
        return;
    qmp_client_close(client);
    if (!qmp_client_on_reader_thread(client)) {
        /* The reader tells the listeners and ends before this returns. */
        if (client->reader)
            g_thread_join(g_steal_pointer(&client->reader));
    } else {
        /* Freed from a callback: the reader ends after it, and calls nobody. */
        g_rec_mutex_lock(&client->listen_lock);
        for (guint i = 0; i < client->listeners->len; i++)
            g_array_index(client->listeners, qmp_listener_entry, i).removed = true;
        g_rec_mutex_unlock(&client->listen_lock);
    }
    qmp_client_unref(client);
}

bool qmp_client_is_closed(qmp_client *client)
{
    g_mutex_lock(&client->lock);
    bool closed = client->closed;
    g_mutex_unlock(&client->lock);
    return closed;
}

unsigned int qmp_client_qemu_version(const qmp_client *client)
{
    return client->version;
}

const char *qmp_client_qemu_package(const qmp_client *client)
{
    return client->package;
}

void qmp_client_set_default_timeout(qmp_client *client, int timeout_ms)
{
    g_mutex_lock(&client->lock);
    client->default_timeout_ms = timeout_ms == QMP_TIMEOUT_DEFAULT ? DEFAULT_TIMEOUT_MS
                                                                   : timeout_ms;
    g_mutex_unlock(&client->lock);
}

guint qmp_client_add_listener(qmp_client *client, const qmp_listener *listener, void *opaque)
{
    qmp_listener_entry e = { .ops = *listener, .opaque = opaque };

    g_rec_mutex_lock(&client->listen_lock);
    e.id = ++client->next_listener_id;
    g_array_append_val(client->listeners, e);
    g_rec_mutex_unlock(&client->listen_lock);
    return e.id;
}

/* Drop the entries removed while callbacks ran. Called with listen_lock held. */
static void listeners_compact(qmp_client *c)
{
    for (guint i = c->listeners->len; i-- > 0;)
        if (g_array_index(c->listeners, qmp_listener_entry, i).removed)
            g_array_remove_index(c->listeners, i);
}

void qmp_client_remove_listener(qmp_client *client, guint id)
{
    g_rec_mutex_lock(&client->listen_lock);
    for (guint i = 0; i < client->listeners->len; i++) {
        qmp_listener_entry *e = &g_array_index(client->listeners, qmp_listener_entry, i);
        if (e->id == id)
            e->removed = true;
    }
    if (!client->dispatching)
        listeners_compact(client);
    g_rec_mutex_unlock(&client->listen_lock);
}

/* Call every live listener's event (is_event) or closed callback. */
static void dispatch(qmp_client *c, bool is_event, const char *name, json_object *data,
                     gint64 timestamp_us)
{
    g_rec_mutex_lock(&c->listen_lock);
    c->dispatching++;
    for (guint i = 0, n = c->listeners->len; i < n; i++) {
        qmp_listener_entry e = g_array_index(c->listeners, qmp_listener_entry, i);
        if (e.removed)
            continue;
        if (is_event && e.ops.event)
            e.ops.event(c, name, data, timestamp_us, e.opaque);
        else if (!is_event && e.ops.closed)
            e.ops.closed(c, name, e.opaque);
    }
    if (--c->dispatching == 0)
        listeners_compact(c);
    g_rec_mutex_unlock(&c->listen_lock);
}

void qmp_client_dispatch_event(qmp_client *client, const char *name, json_object *data,
                               gint64 timestamp_us)
{
    dispatch(client, true, name, data, timestamp_us);
}

void qmp_client_notify_closed(qmp_client *client)
{
    g_autofree char *reason = NULL;

    g_mutex_lock(&client->lock);
    bool first = !client->notified_closed;
    client->notified_closed = true;
    reason = g_strdup(client->close_reason);
    g_mutex_unlock(&client->lock);
    if (first)
        dispatch(client, false, reason, NULL, 0);
}
