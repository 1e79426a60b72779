/* One client of the server: reading packets (keepalive answered at once, calls
 * queued for a worker), the output queue written from any thread, closing. */
#include "rpc/rpc_server_priv.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib-unix.h>

static void packet_free(gpointer p)
{
    g_byte_array_unref(p);
}

rpc_client *rpc_client_new(rpc_server *s, int fd, bool readonly, uid_t uid)
{
    rpc_client *c = g_new0(rpc_client, 1);

    c->refs = 1;               /* the server's list */
    c->srv = s;
    c->fd = fd;
    c->readonly = readonly;
    c->uid = uid;
    rpc_reader_init(&c->reader);
    g_mutex_init(&c->lock);
    g_queue_init(&c->calls);
    g_queue_init(&c->out);
    return c;
}

void rpc_client_ref(rpc_client *c)
{
    g_atomic_int_inc(&c->refs);
}

void rpc_client_unref(rpc_client *c)
{
    if (!c || !g_atomic_int_dec_and_test(&c->refs))
        return;
    if (c->srv->ops.client_free)
        c->srv->ops.client_free(c->data, c->srv->opaque);
    g_queue_clear_full(&c->calls, packet_free);
    g_queue_clear_full(&c->out, packet_free);
    rpc_reader_clear(&c->reader);
    g_mutex_clear(&c->lock);
    g_free(c);
}

void *rpc_client_data(rpc_client *c)
{
    return c->data;
}

bool rpc_client_readonly(rpc_client *c)
{
    return c->readonly;
}

uid_t rpc_client_uid(rpc_client *c)
{
    return c->uid;
}

/* Write what the socket takes now (lock held). false on a broken socket. */
static bool flush_locked(rpc_client *c)
{
    while (!c->closed && !g_queue_is_empty(&c->out)) {
        GByteArray *head = g_queue_peek_head(&c->out);
        ssize_t n = send(c->fd, head->data + c->out_off, head->len - c->out_off,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN || errno == EWOULDBLOCK;
        }
        c->out_off += (size_t)n;
        c->out_bytes -= (size_t)n;
        if (c->out_off == head->len) {
            g_byte_array_unref(g_queue_pop_head(&c->out));
            c->out_off = 0;
        }
    }
    return true;
}

static gboolean resume_reads(gpointer data);

static gboolean on_writable(gint fd, GIOCondition cond, gpointer data)
{
    rpc_client *c = data;
    bool ok, done, closing;

    g_mutex_lock(&c->lock);
    ok = flush_locked(c);
    done = g_queue_is_empty(&c->out);
    closing = c->closing;
    if (done || !ok) {
        c->want_write = false;
        g_source_unref(c->wsrc);
        c->wsrc = NULL;
    }
    g_mutex_unlock(&c->lock);
    if (!ok || (done && closing))
        rpc_client_shutdown(c);
    else
        resume_reads(c);
    return (done || !ok) ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

/* In the I/O thread: watch for POLLOUT until the output is written. */
static gboolean start_writing(gpointer data)
{
    rpc_client *c = data;

    g_mutex_lock(&c->lock);
    if (!c->closed && !c->wsrc && !g_queue_is_empty(&c->out)) {
        c->wsrc = g_unix_fd_source_new(c->fd, G_IO_OUT);
        g_source_set_callback(c->wsrc, (GSourceFunc)(void (*)(void))on_writable, c, NULL);
        g_source_attach(c->wsrc, c->srv->ctx);
    } else if (!c->wsrc) {
        c->want_write = false;
    }
    g_mutex_unlock(&c->lock);
    return G_SOURCE_REMOVE;
}

static void invoke(rpc_client *c, GSourceFunc fn)
{
    rpc_client_ref(c);
    g_main_context_invoke_full(c->srv->ctx, G_PRIORITY_DEFAULT, fn, c,
                               (GDestroyNotify)rpc_client_unref);
}

bool rpc_client_send(rpc_client *c, GByteArray *pkt)
{
    bool ok = true, watch = false;

    g_mutex_lock(&c->lock);
    if (c->closed || c->out_bytes + pkt->len > CLIENT_MAX_OUTPUT) {
        g_mutex_unlock(&c->lock);
        g_byte_array_unref(pkt);
        if (!c->closed)
            rpc_client_close(c);
        return false;
    }
    c->out_bytes += pkt->len;
    g_queue_push_tail(&c->out, pkt);
    if (!c->want_write)
        ok = flush_locked(c);
    if (ok && !g_queue_is_empty(&c->out) && !c->want_write)
        watch = c->want_write = true;
    g_mutex_unlock(&c->lock);
    /* Unlocked: from the I/O thread (a PONG), invoke runs start_writing at once. */
    if (watch)
        invoke(c, start_writing);
    if (!ok)
        rpc_client_close(c);
    return ok;
}

static gboolean close_now(gpointer data)
{
    rpc_client_shutdown(data);
    return G_SOURCE_REMOVE;
}

void rpc_client_close(rpc_client *c)
{
    bool now;

    g_mutex_lock(&c->lock);
    c->closing = true;
    now = g_queue_is_empty(&c->out) || c->closed;
    g_mutex_unlock(&c->lock);
    if (now)
        invoke(c, close_now);
}

static gboolean on_readable(gint fd, GIOCondition cond, gpointer data);

static void watch_reads(rpc_client *c)
{
    c->rsrc = g_unix_fd_source_new(c->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
    g_source_set_callback(c->rsrc, (GSourceFunc)(void (*)(void))on_readable, c, NULL);
    /* GLib blocks a source while dispatching it unless it may recurse: its fd leaves
     * the poll set and comes back, each time waking the loop through its eventfd,
     * i.e. two writes, a read and an extra poll() per call. Nothing here recurses. */
    g_source_set_can_recurse(c->rsrc, TRUE);
    g_source_attach(c->rsrc, c->srv->ctx);
}

void rpc_client_start(rpc_client *c)
{
    watch_reads(c);
}

static void stop_reads(rpc_client *c)
{
    if (c->rsrc) {
        g_source_destroy(c->rsrc);
        g_source_unref(c->rsrc);
        c->rsrc = NULL;
    }
}

/* Whether the client has sent more than we want to take from it now: calls waiting
 * for a worker, or output it does not read (lock held). At half the limits (`half`)
 * reading resumes. */
static bool backlogged_locked(rpc_client *c, bool half)
{
    unsigned int d = half ? 2 : 1;

    return g_queue_get_length(&c->calls) >= CLIENT_MAX_QUEUED_CALLS / d ||
           c->out_bytes >= CLIENT_PAUSE_OUTPUT / d ||
           g_queue_get_length(&c->out) >= CLIENT_PAUSE_PACKETS / d;
}

static gboolean resume_reads(gpointer data)
{
    rpc_client *c = data;

    g_mutex_lock(&c->lock);
    if (!c->closed && c->paused && !c->rsrc && !backlogged_locked(c, true)) {
        c->paused = false;
        watch_reads(c);
    }
    g_mutex_unlock(&c->lock);
    return G_SOURCE_REMOVE;
}

void rpc_client_shutdown(rpc_client *c)
{
    g_mutex_lock(&c->lock);
    if (c->closed) {
        g_mutex_unlock(&c->lock);
        return;
    }
    c->closed = true;
    stop_reads(c);
    if (c->wsrc) {
        g_source_destroy(c->wsrc);
        g_source_unref(c->wsrc);
        c->wsrc = NULL;
    }
    g_queue_clear_full(&c->calls, packet_free);
    g_queue_clear_full(&c->out, packet_free);
    c->out_bytes = 0;
    shutdown(c->fd, SHUT_RDWR);
    close(c->fd);
    c->fd = -1;
    g_mutex_unlock(&c->lock);
    if (c->srv->ops.client_closed)
        c->srv->ops.client_closed(c, c->srv->opaque);
    rpc_server_forget(c->srv, c);
    rpc_client_unref(c);      /* the server list's reference */
}

/* A quick call of a client with nothing pending, while no worker runs a call:
 * dispatched here, which spares the hand-over to a worker (more than half of what
 * a cheap call costs the daemon). Only this thread starts workers, so none starts
 * meanwhile, and the drivers' locks have no holder but their own brief ones. */
static bool dispatch_here(rpc_client *c, const uint8_t *pkt, size_t len)
{
    rpc_server *s = c->srv;
    bool idle;

    if (!s->ops.quick || g_atomic_int_get(&s->running) > 0)
        return false;
    g_mutex_lock(&c->lock);
    idle = !c->busy && !c->closed;
    g_mutex_unlock(&c->lock);
    if (!idle || !s->ops.quick(pkt, len, s->opaque))
        return false;
    s->ops.dispatch(c, pkt, len, s->opaque);
    return true;
}

/* A whole packet arrived (I/O thread): keepalive is answered here, so a client
 * waiting for a long call still gets its PONGs; calls go to a worker. */
static void on_packet(rpc_client *c, const uint8_t *pkt, size_t len)
{
    rpc_header h;
    bool start;

    if (!rpc_packet_header(pkt, len, &h))
        return;
    if (rpc_header_is_keepalive(&h, RPC_KEEPALIVE_PING)) {
        rpc_client_send(c, rpc_packet_keepalive(RPC_KEEPALIVE_PONG));
        g_mutex_lock(&c->lock);
        if (!c->closed && backlogged_locked(c, false)) {
            c->paused = true;     /* it does not read its PONGs: stop reading its PINGs */
            stop_reads(c);
        }
        g_mutex_unlock(&c->lock);
        return;
    }
    if (h.type != RPC_CALL)
        return;              /* replies, events, streams from a client: ignored */
    if (dispatch_here(c, pkt, len))
        return;
    g_mutex_lock(&c->lock);
    g_queue_push_tail(&c->calls, g_byte_array_append(g_byte_array_sized_new((guint)len), pkt, (guint)len));
    start = !c->busy;
    c->busy = true;
    if (backlogged_locked(c, false)) {
        c->paused = true;
        stop_reads(c);
    }
    g_mutex_unlock(&c->lock);
    if (start) {
        rpc_client_ref(c);
        g_atomic_int_inc(&c->srv->running);
        g_thread_pool_push(c->srv->workers, c, NULL);
    }
}

static gboolean read_packets(rpc_client *c)
{
    size_t room;
    uint8_t *at = rpc_reader_space(&c->reader, &room);
    ssize_t n = recv(c->fd, at, room, MSG_DONTWAIT);
    const uint8_t *pkt;
    size_t len;
    int r;

    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return G_SOURCE_CONTINUE;
    if (n <= 0) {
        rpc_client_shutdown(c);
        return G_SOURCE_REMOVE;
    }
    rpc_reader_commit(&c->reader, (size_t)n);
    while ((r = rpc_reader_next(&c->reader, &pkt, &len)) == 1) {
        on_packet(c, pkt, len);
        if (!c->rsrc)
            return G_SOURCE_REMOVE;      /* paused or closed meanwhile */
    }
    if (r < 0) {
        rpc_client_shutdown(c);          /* a length word out of bounds */
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

/* A reference for the duration: a failed send of a PONG shuts the client down (and
 * drops the server list's reference) in the middle of reading. */
static gboolean on_readable(gint fd, GIOCondition cond, gpointer data)
{
    rpc_client *c = data;
    gboolean keep;

    rpc_client_ref(c);
    keep = read_packets(c);
    rpc_client_unref(c);
    return keep;
}

void rpc_client_work(gpointer data, gpointer user_data)
{
    rpc_client *c = data;
    rpc_server *s = user_data;

    for (;;) {
        GByteArray *pkt;
        bool resume;

        g_mutex_lock(&c->lock);
        pkt = c->closed ? NULL : g_queue_pop_head(&c->calls);
        if (!pkt) {
            c->busy = false;
            g_mutex_unlock(&c->lock);
            break;
        }
        resume = c->paused && !backlogged_locked(c, true);
        g_mutex_unlock(&c->lock);
        if (resume)
            invoke(c, resume_reads);
        s->ops.dispatch(c, pkt->data, pkt->len, s->opaque);
        g_byte_array_unref(pkt);
    }
    g_atomic_int_add(&s->running, -1);
    rpc_client_unref(c);
}
