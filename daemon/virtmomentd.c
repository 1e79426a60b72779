/* virtmomentd: serves libvirt's remote protocol on UNIX sockets for the in-process
 * drivers (test:///default; qemu:///session and qemu:///system at the daemon's
 * QEMU root), so virsh, python3-libvirt and vmsh reach them through a socket. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <glib.h>
#include <libvirt/libvirt.h>
#include "daemon/dispatch.h"
#include "rpc/rpc_paths.h"

typedef struct {
    char *socket;
    char *ro_socket;
    char *pid_file;
    char *log_file;
    char *root;
    int timeout;
    int workers;
    gboolean system;
    gboolean session;
} options;

static FILE *log_out;
static GThreadPool *closer;      /* closes the connections of clients that left */
static gint quitting;

static void daemon_log(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static void daemon_log(const char *fmt, ...)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S.%f");
    va_list ap;

    if (!log_out)
        return;
    va_start(ap, fmt);
    fprintf(log_out, "%.23s: virtmomentd[%d]: ", stamp, (int)getpid());
    vfprintf(log_out, fmt, ap);
    fputc('\n', log_out);
    fflush(log_out);
    va_end(ap);
}

static void *client_new(rpc_client *rc, void *opaque)
{
    daemon_client *dc = g_new0(daemon_client, 1);

    dc->rc = rc;
    g_mutex_init(&dc->lock);
    dc->events = g_ptr_array_new();
    daemon_log("client connected (uid %u%s)", (unsigned int)rpc_client_uid(rc),
               rpc_client_readonly(rc) ? ", read-only" : "");
    return dc;
}

static void client_closed(rpc_client *rc, void *opaque)
{
    daemon_events_drop(rpc_client_data(rc));
    daemon_log("client disconnected");
}

/* Closing a connection may tear down a host: never in the thread that delivered
 * an event or ran a call, always in the closer thread. */
static void close_conn(gpointer data, gpointer user_data)
{
    handle_connect_unref(data);
}

static void client_free(void *data, void *opaque)
{
    daemon_client *dc = data;

    if (dc->conn)
        g_thread_pool_push(closer, dc->conn, NULL);
    g_ptr_array_unref(dc->events);
    g_mutex_clear(&dc->lock);
    g_free(dc);
}

/* Errors go back to the clients; the daemon prints none. */
static void quiet(void *data, virErrorPtr err)
{
}

static void wake_timer(int timer, void *opaque)
{
    virEventRemoveTimeout(timer);
}

/* The library's event loop, which delivers the drivers' events to our callbacks. */
static gpointer event_loop(gpointer data)
{
    while (!g_atomic_int_get(&quitting))
        virEventRunDefaultImpl();
    return NULL;
}

static bool write_pid_file(const char *path, int *ret_fd)
{
    char buf[32];
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    int n;

    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0) {
        fprintf(stderr, "virtmomentd: %s: %s\n", path,
                errno == EWOULDBLOCK ? "another virtmomentd is running" : g_strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
    if (ftruncate(fd, 0) < 0 || write(fd, buf, (size_t)n) != n) {
        close(fd);
        return false;
    }
    *ret_fd = fd;
    return true;
}

static bool parse_options(int argc, char **argv, options *o)
{
    GOptionEntry entries[] = {
        { "socket", 0, 0, G_OPTION_ARG_FILENAME, &o->socket, "read-write socket (PATH-ro is the read-only one)", "PATH" },
        { "ro-socket", 0, 0, G_OPTION_ARG_FILENAME, &o->ro_socket, "read-only socket", "PATH" },
        { "pid-file", 'p', 0, G_OPTION_ARG_FILENAME, &o->pid_file, "pid file (default: SOCKET.pid)", "PATH" },
        { "log", 'l', 0, G_OPTION_ARG_FILENAME, &o->log_file, "log to this file (default: stderr)", "PATH" },
        { "root", 0, 0, G_OPTION_ARG_FILENAME, &o->root, "the QEMU driver's root", "DIR" },
        { "timeout", 't', 0, G_OPTION_ARG_INT, &o->timeout, "exit after SECS without clients", "SECS" },
        { "workers", 0, 0, G_OPTION_ARG_INT, &o->workers, "threads running calls (default 16)", "N" },
        { "system", 0, 0, G_OPTION_ARG_NONE, &o->system, "serve qemu:///system (default for root)", NULL },
        { "session", 0, 0, G_OPTION_ARG_NONE, &o->session, "serve qemu:///session (default for others)", NULL },
        { NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("- virtmoment's daemon");
    g_autoptr(GError) err = NULL;

    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "virtmomentd: %s\n", err->message);
        return false;
    }
    if (argc > 1) {
        fprintf(stderr, "virtmomentd: unexpected argument '%s'\n", argv[1]);
        return false;
    }
    if (o->timeout < 0 || o->workers < 0) {
        fprintf(stderr, "virtmomentd: --timeout and --workers take positive numbers\n");
        return false;
    }
    return true;
}

/* Fill in the defaults: sockets, pid file and QEMU root of the session or system. */
static void defaults(options *o)
{
    bool system = o->system || (!o->session && geteuid() == 0);

    if (!o->socket) {
        g_autofree char *dir = rpc_socket_dir(system);
        g_mkdir_with_parents(dir, system ? 0755 : 0700);
        o->socket = rpc_socket_path(system, false);
        if (!o->ro_socket)
            o->ro_socket = rpc_socket_path(system, true);
    }
    if (!o->ro_socket)
        o->ro_socket = g_strconcat(o->socket, "-ro", NULL);
    if (!o->pid_file)
        o->pid_file = g_strconcat(o->socket, ".pid", NULL);
    if (!o->root)
        o->root = system ? g_strdup("/var/lib/virtmoment/qemu")
                         : g_build_filename(g_get_user_data_dir(), "virtmoment", "qemu", NULL);
}

/* The QEMU host at root, open for the daemon's whole life as libvirtd's driver is:
 * running domains are re-attached at start-up, and what lives only in memory (the
 * last job's statistics, the monitors' events) outlasts the clients. NULL when it
 * cannot be opened; clients then get the error themselves. */
static virConnectPtr open_qemu_host(const char *root)
{
    g_autofree char *uri = g_strdup_printf("qemu:///embed?root=%s", root);
    virConnectPtr conn = virConnectOpen(uri);
    const virError *err = conn ? NULL : virGetLastError();

    if (!conn)
        daemon_log("cannot open the QEMU host at %s: %s", root, err && err->message ? err->message : "?");
    return conn;
}

static rpc_server *start_server(const options *o)
{
    static const rpc_server_ops ops = {
        .client_new = client_new,
        .client_closed = client_closed,
        .client_free = client_free,
        .dispatch = daemon_dispatch,
        .quick = daemon_quick,
    };
    rpc_server *srv = rpc_server_new(&ops, NULL, o->workers ? o->workers : 16);
    g_autoptr(GError) err = NULL;

    if (!rpc_server_listen(srv, o->socket, 0600, false, &err) ||
        !rpc_server_listen(srv, o->ro_socket, 0666, true, &err)) {
        fprintf(stderr, "virtmomentd: %s\n", err->message);
        rpc_server_free(srv);
        return NULL;
    }
    rpc_server_set_idle_timeout(srv, (unsigned int)o->timeout);
    return srv;
}

int main(int argc, char **argv)
{
    options o = { 0 };
    rpc_server *srv;
    virConnectPtr host;
    GThread *loop;
    int pid_fd = -1;

    if (!parse_options(argc, argv, &o))
        return 2;
    defaults(&o);
    log_out = o.log_file ? fopen(o.log_file, "ae") : stderr;
    if (!log_out) {
        fprintf(stderr, "virtmomentd: %s: %s\n", o.log_file, g_strerror(errno));
        return 1;
    }
    if (!write_pid_file(o.pid_file, &pid_fd))
        return 1;
    daemon_conf.qemu_root = o.root;
    virSetErrorFunc(NULL, quiet);
    virEventRegisterDefaultImpl();
    closer = g_thread_pool_new(close_conn, NULL, 1, FALSE, NULL);
    if (!(srv = start_server(&o))) {
        unlink(o.pid_file);
        return 1;
    }
    loop = g_thread_new("vm-events", event_loop, NULL);
    host = open_qemu_host(o.root);
    daemon_log("listening on %s and %s", o.socket, o.ro_socket);
    rpc_server_run(srv);
    daemon_log("shutting down");
    rpc_server_free(srv);
    if (host)
        virConnectClose(host);
    g_thread_pool_free(closer, FALSE, TRUE);
    g_atomic_int_set(&quitting, 1);
    virEventAddTimeout(0, wake_timer, NULL, NULL);
    g_thread_join(loop);
    unlink(o.pid_file);
    close(pid_fd);
    if (log_out != stderr)
        fclose(log_out);
    g_free(o.socket);
    g_free(o.ro_socket);
    g_free(o.pid_file);
    g_free(o.log_file);
    g_free(o.root);
    return 0;
}
