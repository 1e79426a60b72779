/* A connection to the daemon: the socket, the reader thread (replies matched to
 * calls by serial, PINGs answered, events routed, keepalive), and calls made from
 * any thread. */
#include "drivers/remote/remote_driver.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib-unix.h>
#include "rpc/rpc_error.h"
#include "util/error.h"

#define FROM VIR_FROM_REMOTE

typedef struct {
    bool done;
    GByteArray *reply;       /* the whole reply packet */
} remote_pending;

static bool write_all(remote_conn *rc, const GByteArray *pkt)
{
    size_t off = 0;
    bool ok = true;

    g_mutex_lock(&rc->write_lock);
    while (off < pkt->len) {
        ssize_t n = send(rc->fd, pkt->data + off, pkt->len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ok = false;
            break;
        }
        off += (size_t)n;
    }
    g_mutex_unlock(&rc->write_lock);
    return ok;
}

static void send_keepalive(remote_conn *rc, int proc)
{
    g_autoptr(GByteArray) pkt = rpc_packet_keepalive(proc);
    write_all(rc, pkt);
}

/* The link is gone: wake every waiting call (lock held). */
static void mark_dead(remote_conn *rc, int reason)
{
    if (!rc->dead) {
        rc->dead = true;
        rc->dead_reason = reason;
    }
    g_cond_broadcast(&rc->replied);
}

static void on_reply(remote_conn *rc, const rpc_header *h, const uint8_t *pkt, size_t len)
{
    remote_pending *p;

    g_mutex_lock(&rc->lock);
    p = g_hash_table_lookup(rc->pending, GUINT_TO_POINTER(h->serial));
    if (p && !p->done) {
        p->reply = g_byte_array_append(g_byte_array_sized_new((guint)len), pkt, (guint)len);
        p->done = true;
        g_cond_broadcast(&rc->replied);
    }
    g_mutex_unlock(&rc->lock);
}

static void on_packet(remote_conn *rc, const uint8_t *pkt, size_t len)
{
    rpc_header h;
    const rpc_proc_info *info;

    if (!rpc_packet_header(pkt, len, &h))
        return;
    if (rpc_header_is_keepalive(&h, RPC_KEEPALIVE_PING)) {
        send_keepalive(rc, RPC_KEEPALIVE_PONG);
        return;
    }
    if (h.prog != RPC_PROGRAM_REMOTE || h.vers != RPC_PROTOCOL_VERSION)
        return;
    if (h.type == RPC_REPLY) {
        on_reply(rc, &h, pkt, len);
    } else if (h.type == RPC_MESSAGE && (info = rpc_proc_lookup(h.proc)) && info->message) {
        remote_events_dispatch(rc, info, pkt + RPC_LEN_WORD + RPC_HEADER_LEN,
                               len - RPC_LEN_WORD - RPC_HEADER_LEN);
    }
}

/* Keepalive on a silent link: PING each interval, give up after count PINGs. */
static bool keepalive_tick(remote_conn *rc)
{
    gint64 now = g_get_monotonic_time(), silent;
    bool ping = false, dead = false;

    g_mutex_lock(&rc->lock);
    silent = now - rc->last_rx;
    if (rc->ka_interval > 0) {
        gint64 interval = (gint64)rc->ka_interval * G_USEC_PER_SEC;
        if (silent >= interval * (gint64)(rc->ka_count + 1)) {
            dead = true;
            mark_dead(rc, VIR_CONNECT_CLOSE_REASON_KEEPALIVE);
        } else if (silent >= interval && now - rc->ka_last_ping >= interval) {
            rc->ka_last_ping = now;
            ping = true;
        }
    }
    g_mutex_unlock(&rc->lock);
    if (ping)
        send_keepalive(rc, RPC_KEEPALIVE_PING);
    return !dead;
}

static int poll_timeout(remote_conn *rc)
{
    int ms;

    g_mutex_lock(&rc->lock);
    ms = rc->ka_interval > 0 ? MIN(rc->ka_interval * 1000, 1000) : -1;
    g_mutex_unlock(&rc->lock);
    return ms;
}

static gpointer reader_main(gpointer data)
{
    remote_conn *rc = data;
    rpc_reader rd;
    int reason = VIR_CONNECT_CLOSE_REASON_EOF;

    rpc_reader_init(&rd);
    for (;;) {
        struct pollfd fds[2] = { { rc->fd, POLLIN, 0 }, { rc->wake[0], POLLIN, 0 } };
        const uint8_t *pkt;
        size_t room, len;
        uint8_t *at;
        ssize_t n;
        int r = poll(fds, 2, poll_timeout(rc));

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 || fds[1].revents) {
            reason = VIR_CONNECT_CLOSE_REASON_CLIENT;
            break;
        }
        if (r == 0) {
            if (!keepalive_tick(rc))
                break;
            continue;
        }
        at = rpc_reader_space(&rd, &room);
        n = recv(rc->fd, at, room, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        g_mutex_lock(&rc->lock);
        rc->last_rx = g_get_monotonic_time();
        g_mutex_unlock(&rc->lock);
        rpc_reader_commit(&rd, (size_t)n);
        while ((r = rpc_reader_next(&rd, &pkt, &len)) == 1)
            on_packet(rc, pkt, len);
        if (r < 0)
            break;
    }
    rpc_reader_clear(&rd);
    g_mutex_lock(&rc->lock);
    mark_dead(rc, reason);
    g_mutex_unlock(&rc->lock);
    return NULL;
}

remote_conn *remote_conn_connect(virConnectPtr conn, const char *path, int *ret_errno)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    remote_conn *rc;
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        *ret_errno = ENAMETOOLONG;
        return NULL;
    }
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        *ret_errno = errno;
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    rc = g_new0(remote_conn, 1);
    rc->fd = fd;
    rc->conn = conn;
    g_mutex_init(&rc->write_lock);
    g_mutex_init(&rc->lock);
    g_cond_init(&rc->replied);
    rc->pending = g_hash_table_new(g_direct_hash, g_direct_equal);
    rc->last_rx = g_get_monotonic_time();
    g_mutex_init(&rc->ev_lock);
    remote_events_init(rc);
    if (!g_unix_open_pipe(rc->wake, FD_CLOEXEC, NULL)) {
        *ret_errno = errno;
        remote_conn_free(rc);
        return NULL;
    }
    rc->reader = g_thread_new("vm-remote-reader", reader_main, rc);
    return rc;
}

void remote_conn_free(remote_conn *rc)
{
    if (!rc)
        return;
    if (rc->reader) {
        ssize_t ignored = write(rc->wake[1], "x", 1);
        (void)ignored;
        g_thread_join(rc->reader);
    }
    if (rc->wake[0] > 0) {
        close(rc->wake[0]);
        close(rc->wake[1]);
    }
    close(rc->fd);
    remote_events_free(rc);
    g_hash_table_unref(rc->pending);
    g_cond_clear(&rc->replied);
    g_mutex_clear(&rc->lock);
    g_mutex_clear(&rc->write_lock);
    g_mutex_clear(&rc->ev_lock);
    g_free(rc->type);
    g_free(rc->name);
    g_free(rc);
}

/* Send the call and wait for its reply packet; NULL with an error when the link
 * died first. */
static GByteArray *exchange(remote_conn *rc, GByteArray *pkt, uint32_t serial)
{
    remote_pending p = { false, NULL };

    g_mutex_lock(&rc->lock);
    if (rc->dead) {
        g_mutex_unlock(&rc->lock);
        goto dead;
    }
    g_hash_table_insert(rc->pending, GUINT_TO_POINTER(serial), &p);
    g_mutex_unlock(&rc->lock);
    if (!write_all(rc, pkt)) {
        g_mutex_lock(&rc->lock);
        mark_dead(rc, VIR_CONNECT_CLOSE_REASON_ERROR);
        g_mutex_unlock(&rc->lock);
    }
    g_mutex_lock(&rc->lock);
    while (!p.done && !rc->dead)
        g_cond_wait(&rc->replied, &rc->lock);
    g_hash_table_remove(rc->pending, GUINT_TO_POINTER(serial));
    g_mutex_unlock(&rc->lock);
    if (p.done)
        return p.reply;
 dead:
    error_report(FROM, VIR_ERR_RPC, "%s", "the connection to the daemon was closed");
    return NULL;
}

static int reply_decode(const rpc_proc_info *info, const GByteArray *reply, void *ret)
{
    const uint8_t *payload = reply->data + RPC_LEN_WORD + RPC_HEADER_LEN;
    size_t len = reply->len - RPC_LEN_WORD - RPC_HEADER_LEN;
    rpc_header h;

    rpc_packet_header(reply->data, reply->len, &h);
    if (h.proc != info->num || (h.status != RPC_STATUS_OK && h.status != RPC_STATUS_ERROR)) {
        error_report(FROM, VIR_ERR_RPC, "unexpected reply to procedure %d", info->num);
        return -1;
    }
    if (h.status == RPC_STATUS_ERROR) {
        remote_error e;
        virError err;
        if (!rpc_decode_payload(&remote_error_type, payload, len, &e)) {
            error_report(FROM, VIR_ERR_RPC, "malformed error reply to procedure %d", info->num);
            return -1;
        }
        rpc_error_to_virerror(&e, &err);
        error_set(&err);
        error_clear(&err);
        rpc_free(&remote_error_type, &e);
        return -1;
    }
    if (info->ret ? !rpc_decode_payload(info->ret, payload, len, ret) : len != 0) {
        error_report(FROM, VIR_ERR_RPC, "malformed reply to procedure %d", info->num);
        return -1;
    }
    return 0;
}

int remote_conn_call(remote_conn *rc, int proc, const void *args, void *ret)
{
    const rpc_proc_info *info = rpc_proc_lookup(proc);
    g_autoptr(GByteArray) pkt = NULL;
    g_autoptr(GByteArray) reply = NULL;
    rpc_header h = { RPC_PROGRAM_REMOTE, RPC_PROTOCOL_VERSION, proc, RPC_CALL, 0, RPC_STATUS_OK };

    g_assert(info && !info->message);
    g_mutex_lock(&rc->lock);
    h.serial = rc->next_serial++;
    g_mutex_unlock(&rc->lock);
    if (!(pkt = rpc_packet_build(&h, info->args, args))) {
        error_report(FROM, VIR_ERR_RPC, "the arguments of %s exceed the protocol's limits",
                     info->name);
        return -1;
    }
    if (!(reply = exchange(rc, pkt, h.serial)))
        return -1;
    return reply_decode(info, reply, ret);
}

int remote_call(virConnectPtr conn, int proc, const void *args, void *ret)
{
    return remote_conn_call(remote_conn_of(conn), proc, args, ret);
}

void remote_conn_keepalive(remote_conn *rc, int interval, unsigned int count)
{
    g_mutex_lock(&rc->lock);
    rc->ka_interval = interval;
    rc->ka_count = count;
    rc->ka_last_ping = g_get_monotonic_time();
    g_mutex_unlock(&rc->lock);
    /* Wake the reader so it polls with the new timeout. */
    send_keepalive(rc, RPC_KEEPALIVE_PING);
}

bool remote_conn_alive(remote_conn *rc)
{
    bool alive;

    g_mutex_lock(&rc->lock);
    alive = !rc->dead;
    g_mutex_unlock(&rc->lock);
    return alive;
}
