/* The remote driver's connections: which URIs it takes, the socket they name (or
 * the default one, with the session daemon started on demand), the handshake
 * libvirt's client does, closing, and the answers it gives without the daemon. */
#include "drivers/remote/remote_driver.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "rpc/rpc_paths.h"
#include "util/error.h"

#define FROM VIR_FROM_REMOTE
#define AUTOSTART_WAIT_MS 10000

enum {
    FEATURE_PROGRAM_KEEPALIVE = 10,
    FEATURE_REMOTE_EVENT_CALLBACK = 14,
    FEATURE_REMOTE_CLOSE_CALLBACK = 15,
};

/* Query parameters for the client only; the rest goes to the daemon. */
static const char *const client_params[] = {
    "socket", "mode", "proxy", "no_verify", "no_tty", "pkipath", "keyfile", "sshauth",
    "command", "netcat", "known_hosts", "known_hosts_verify", "tls_priority", "name",
    "autostart", NULL,
};

remote_conn *remote_conn_of(virConnectPtr conn)
{
    return conn->driver_data;
}

static bool is_daemon_path(const parsed_uri *u)
{
    return g_strcmp0(u->path, "/session") == 0 || g_strcmp0(u->path, "/system") == 0;
}

static bool is_local(const parsed_uri *u)
{
    return !u->server || !*u->server || strcmp(u->server, "localhost") == 0;
}

/* Ours: a transport, a socket, a remote host, or qemu:///session|system. */
static bool claims(const parsed_uri *u)
{
    return u->transport || uri_param_get(u, "socket") || !is_local(u) ||
           (strcmp(u->scheme, "qemu") == 0 && is_daemon_path(u));
}

/* The URI the daemon is asked to open: no transport, no client parameters. */
static char *daemon_name(const parsed_uri *u)
{
    GString *s = g_string_new(u->scheme);
    char sep = '?';

    g_string_append(s, "://");
    g_string_append(s, u->path ? u->path : "/");
    for (size_t i = 0; i < u->nparams; i++) {
        if (g_strv_contains(client_params, u->params[i].key))
            continue;
        g_string_append_printf(s, "%c%s=%s", sep, u->params[i].key,
                               u->params[i].value ? u->params[i].value : "");
        sep = '&';
    }
    return g_string_free(s, FALSE);
}

static bool is_system(const parsed_uri *u)
{
    if (g_strcmp0(u->path, "/session") == 0)
        return false;
    return g_strcmp0(u->path, "/system") == 0 || geteuid() == 0;
}

/* Start the session daemon in the background (it exits when idle). */
static bool autostart_daemon(const char *socket_path)
{
    const char *bin = g_getenv("VIRTMOMENTD");
    const char *argv[] = { bin && *bin ? bin : VIRTMOMENTD_PATH, "--timeout", "30", "--socket",
                           socket_path, NULL };

    return g_spawn_async(NULL, (char **)argv, NULL,
                         G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                         (GSpawnChildSetupFunc)(void (*)(void))setsid, NULL, NULL, NULL);
}

static remote_conn *connect_socket(virConnectPtr conn, const parsed_uri *u, const char *path,
                                   bool may_autostart)
{
    int err = 0;
    remote_conn *rc = remote_conn_connect(conn, path, &err);

    if (!rc && may_autostart && (err == ENOENT || err == ECONNREFUSED)) {
        g_autofree char *dir = g_path_get_dirname(path);
        gint64 until = g_get_monotonic_time() + AUTOSTART_WAIT_MS * 1000;
        g_mkdir_with_parents(dir, 0700);
        if (autostart_daemon(path)) {
            while (!rc && g_get_monotonic_time() < until) {
                g_usleep(20000);
                rc = remote_conn_connect(conn, path, &err);
            }
        }
    }
    if (!rc)
        error_report(VIR_FROM_RPC, VIR_ERR_SYSTEM_ERROR, "Failed to connect socket to '%s': %s",
                     path, g_strerror(err));
    return rc;
}

static int supports(remote_conn *rc, int feature)
{
    rpc_connect_supports_feature_args args = { feature };
    rpc_connect_supports_feature_ret ret = { 0 };

    if (remote_conn_call(rc, RPC_PROC_CONNECT_SUPPORTS_FEATURE, &args, &ret) < 0)
        return -1;
    return ret.supported != 0;
}

/* libvirt's client handshake (reference §1.4), keepalive query included. */
static bool handshake(remote_conn *rc, const char *name, unsigned int flags)
{
    rpc_auth_list_ret auth;
    rpc_connect_open_args open = { (char *)name, flags & VIR_CONNECT_RO };
    int ka, events, closecb;

    if (remote_conn_call(rc, RPC_PROC_AUTH_LIST, NULL, &auth) == 0) {
        int first = auth.types.n > 0 ? ((int32_t *)auth.types.items)[0] : 0;
        rpc_free(&rpc_auth_list_ret_type, &auth);
        if (first != 0) {
            error_report(VIR_FROM_AUTH, VIR_ERR_AUTH_FAILED,
                         "unsupported authentication type %d", first);
            return false;
        }
    } else if (!error_last() || error_last()->code != VIR_ERR_NO_SUPPORT) {
        return false;
    }
    if ((ka = supports(rc, FEATURE_PROGRAM_KEEPALIVE)) < 0 ||
        remote_conn_call(rc, RPC_PROC_CONNECT_OPEN, &open, NULL) < 0 ||
        (events = supports(rc, FEATURE_REMOTE_EVENT_CALLBACK)) < 0 ||
        (closecb = supports(rc, FEATURE_REMOTE_CLOSE_CALLBACK)) < 0)
        return false;
    if (closecb && remote_conn_call(rc, RPC_PROC_CONNECT_REGISTER_CLOSE_CALLBACK, NULL, NULL) < 0)
        return false;
    rc->ka_supported = ka;
    rc->events_supported = events;
    rc->close_cb_registered = closecb;
    return true;
}

static int remote_connect_open(virConnectPtr conn, const parsed_uri *u, virConnectAuthPtr auth,
                               unsigned int flags)
{
    const char *socket_param;
    g_autofree char *path = NULL;
    g_autofree char *name = NULL;
    remote_conn *rc;

    if (!claims(u))
        return DRIVER_OPEN_DECLINED;
    if ((u->transport && strcmp(u->transport, "unix") != 0) || !is_local(u)) {
        error_report(FROM, VIR_ERR_NO_SUPPORT, "transport to '%s' is not supported (only local "
                     "UNIX sockets): %s", u->server ? u->server : "", u->text);
        return DRIVER_OPEN_ERROR;
    }
    socket_param = uri_param_get(u, "socket");
    path = socket_param ? g_strdup(socket_param) : rpc_socket_path(is_system(u), flags & VIR_CONNECT_RO);
    name = daemon_name(u);
    rc = connect_socket(conn, u, path, !socket_param && !is_system(u));
    if (!rc)
        return DRIVER_OPEN_ERROR;
    rc->name = g_strdup(name);
    if (!handshake(rc, name, flags)) {
        virErrorPtr saved = error_save();
        remote_conn_free(rc);
        error_restore(&saved);
        return DRIVER_OPEN_ERROR;
    }
    conn->driver_data = rc;
    return DRIVER_OPEN_SUCCESS;
}

static int remote_connect_close(virConnectPtr conn)
{
    remote_conn *rc = remote_conn_of(conn);

    if (remote_conn_alive(rc)) {
        if (rc->close_cb_registered)
            remote_conn_call(rc, RPC_PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK, NULL, NULL);
        remote_conn_call(rc, RPC_PROC_CONNECT_CLOSE, NULL, NULL);
    }
    remote_conn_free(rc);
    conn->driver_data = NULL;
    return 0;
}

static const char *remote_connect_get_type(virConnectPtr conn)
{
    remote_conn *rc = remote_conn_of(conn);
    rpc_connect_get_type_ret ret;
    const char *type;

    g_mutex_lock(&rc->lock);
    type = rc->type;
    g_mutex_unlock(&rc->lock);
    if (type)
        return type;
    if (remote_call(conn, RPC_PROC_CONNECT_GET_TYPE, NULL, &ret) < 0)
        return NULL;
    g_mutex_lock(&rc->lock);
    if (!rc->type)
        rc->type = g_steal_pointer(&ret.type);
    type = rc->type;
    g_mutex_unlock(&rc->lock);
    rpc_free(&rpc_connect_get_type_ret_type, &ret);
    return type;
}

static int remote_connect_is_alive(virConnectPtr conn)
{
    return remote_conn_alive(remote_conn_of(conn));
}

static int remote_connect_is_secure(virConnectPtr conn)
{
    return 1;     /* a local UNIX socket */
}

static int remote_connect_is_encrypted(virConnectPtr conn)
{
    return 0;
}

/* 1 when the daemon does not do keepalive (as libvirt's client says). */
static int remote_connect_set_keep_alive(virConnectPtr conn, int interval, unsigned int count)
{
    remote_conn *rc = remote_conn_of(conn);

    if (!rc->ka_supported)
        return 1;
    remote_conn_keepalive(rc, interval > 0 ? interval : 0, count);
    return 0;
}

static vm_driver table = {
    .name = "remote",
    .connect_open = remote_connect_open,
    .connect_close = remote_connect_close,
    .connect_get_type = remote_connect_get_type,
    .connect_is_alive = remote_connect_is_alive,
    .connect_is_secure = remote_connect_is_secure,
    .connect_is_encrypted = remote_connect_is_encrypted,
    .connect_set_keep_alive = remote_connect_set_keep_alive,
};

const vm_driver *remote_driver_get(void)
{
    static gsize filled;

    if (g_once_init_enter(&filled)) {
        remote_stubs_fill(&table);
        remote_events_fill(&table);
        g_once_init_leave(&filled, 1);
    }
    return &table;
}
