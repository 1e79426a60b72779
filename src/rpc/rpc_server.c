/* The server: listening sockets, accepting clients with a peer-credential check,
 * the I/O thread's loop, the idle timeout, signals, shutting down. */
#include "rpc/rpc_server_priv.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib-unix.h>
#include <gio/gio.h>

typedef struct {
    rpc_server *srv;
    int fd;
    bool readonly;
} listener;

rpc_server *rpc_server_new(const rpc_server_ops *ops, void *opaque, int nworkers)
{
    rpc_server *s = g_new0(rpc_server, 1);

    s->ops = *ops;
    s->opaque = opaque;
    s->ctx = g_main_context_new();
    s->loop = g_main_loop_new(s->ctx, FALSE);
    s->workers = g_thread_pool_new(rpc_client_work, s, nworkers > 0 ? nworkers : 4, FALSE, NULL);
    g_mutex_init(&s->lock);
    s->clients = g_ptr_array_new();
    s->listeners = g_ptr_array_new();
    s->paths = g_ptr_array_new_with_free_func(g_free);
    s->idle_since = g_get_monotonic_time();
    return s;
}

static void close_all(rpc_server *s)
{
    for (;;) {
        rpc_client *c = NULL;
        g_mutex_lock(&s->lock);
        if (s->clients->len > 0)
            c = g_ptr_array_index(s->clients, 0);
        g_mutex_unlock(&s->lock);
        if (!c)
            break;
        rpc_client_shutdown(c);
    }
}

void rpc_server_free(rpc_server *s)
{
    if (!s)
        return;
    for (guint i = 0; i < s->listeners->len; i++) {
        GSource *src = g_ptr_array_index(s->listeners, i);
        g_source_destroy(src);
        g_source_unref(src);
    }
    close_all(s);
    /* Let the running calls finish; their replies go nowhere. */
    g_thread_pool_free(s->workers, FALSE, TRUE);
    for (guint i = 0; i < s->paths->len; i++)
        unlink(g_ptr_array_index(s->paths, i));
    g_ptr_array_unref(s->paths);
    g_ptr_array_unref(s->listeners);
    g_ptr_array_unref(s->clients);
    g_mutex_clear(&s->lock);
    g_main_loop_unref(s->loop);
    g_main_context_unref(s->ctx);
    g_free(s);
}

/* Same uid as the server, or root; a read-only socket lets anyone in. */
static bool peer_allowed(int fd, bool readonly, uid_t *ret_uid)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);

    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
        return false;
    *ret_uid = cred.uid;
    return readonly || cred.uid == 0 || cred.uid == geteuid();
}

static gboolean on_accept(gint fd, GIOCondition cond, gpointer data)
{
    listener *l = data;
    int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    rpc_client *c;
    uid_t uid;

    if (cfd < 0)
        return G_SOURCE_CONTINUE;
    if (!peer_allowed(cfd, l->readonly, &uid)) {
        close(cfd);
        return G_SOURCE_CONTINUE;
    }
    c = rpc_client_new(l->srv, cfd, l->readonly, uid);
    g_mutex_lock(&l->srv->lock);
    g_ptr_array_add(l->srv->clients, c);
    g_mutex_unlock(&l->srv->lock);
    c->data = l->srv->ops.client_new ? l->srv->ops.client_new(c, l->srv->opaque) : NULL;
    rpc_client_start(c);
    return G_SOURCE_CONTINUE;
}

static void listener_free(gpointer data)
{
    listener *l = data;
    close(l->fd);
    g_free(l);
}

bool rpc_server_listen(rpc_server *s, const char *path, int mode, bool readonly, GError **error)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    listener *l;
    GSource *src;
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "socket path too long: %s", path);
        return false;
    }
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        goto fail;
    unlink(path);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || chmod(path, (mode_t)mode) < 0 ||
        listen(fd, 128) < 0)
        goto fail;
    l = g_new0(listener, 1);
    l->srv = s;
    l->fd = fd;
    l->readonly = readonly;
    src = g_unix_fd_source_new(fd, G_IO_IN);
    g_source_set_callback(src, (GSourceFunc)(void (*)(void))on_accept, l, listener_free);
    g_source_attach(src, s->ctx);
    g_ptr_array_add(s->listeners, src);
    g_ptr_array_add(s->paths, g_strdup(path));
    return true;

 fail:
    g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "cannot listen on %s: %s", path,
                g_strerror(errno));
    if (fd >= 0)
        close(fd);
    return false;
}

void rpc_server_forget(rpc_server *s, rpc_client *c)
{
    g_mutex_lock(&s->lock);
    if (g_ptr_array_remove(s->clients, c) && s->clients->len == 0)
        s->idle_since = g_get_monotonic_time();
    g_mutex_unlock(&s->lock);
}

unsigned int rpc_server_nclients(rpc_server *s)
{
    unsigned int n;

    g_mutex_lock(&s->lock);
    n = s->clients->len;
    g_mutex_unlock(&s->lock);
    return n;
}

void rpc_server_set_idle_timeout(rpc_server *s, unsigned int seconds)
{
    s->idle_timeout = seconds;
}

static gboolean on_idle_check(gpointer data)
{
    rpc_server *s = data;
    bool idle;

    g_mutex_lock(&s->lock);
    idle = s->clients->len == 0 &&
           g_get_monotonic_time() - s->idle_since >= (gint64)s->idle_timeout * G_USEC_PER_SEC;
    g_mutex_unlock(&s->lock);
    if (idle && (!s->ops.may_exit || s->ops.may_exit(s->opaque)))
        g_main_loop_quit(s->loop);
    return G_SOURCE_CONTINUE;
}

static gboolean on_signal(gpointer data)
{
    g_main_loop_quit(((rpc_server *)data)->loop);
    return G_SOURCE_CONTINUE;
}

static GSource *attach(GSource *src, rpc_server *s, GSourceFunc fn)
{
    g_source_set_callback(src, fn, s, NULL);
    g_source_attach(src, s->ctx);
    return src;
}

void rpc_server_run(rpc_server *s)
{
    GSource *srcs[3] = { NULL, NULL, NULL };

    signal(SIGPIPE, SIG_IGN);
    srcs[0] = attach(g_unix_signal_source_new(SIGTERM), s, on_signal);
    srcs[1] = attach(g_unix_signal_source_new(SIGINT), s, on_signal);
    if (s->idle_timeout > 0)
        srcs[2] = attach(g_timeout_source_new(MIN(s->idle_timeout * 1000u, 1000u)), s, on_idle_check);
    g_main_context_push_thread_default(s->ctx);
    g_main_loop_run(s->loop);
    g_main_context_pop_thread_default(s->ctx);
    for (size_t i = 0; i < G_N_ELEMENTS(srcs); i++) {
        if (srcs[i]) {
            g_source_destroy(srcs[i]);
            g_source_unref(srcs[i]);
        }
    }
}

void rpc_server_quit(rpc_server *s)
{
    g_main_loop_quit(s->loop);
}
