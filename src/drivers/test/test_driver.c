/* The test driver's connections: which host a URI means, sharing the default host
 * while connections to it are open, and the host-wide queries. */
#include "drivers/test/test_driver.h"

#include <string.h>
#include <unistd.h>
#include "util/error.h"

#define FROM VIR_FROM_TEST

/* test:///default is one host per process while any connection to it is open
 * (as in libvirt); it starts afresh once the last one closes. */
static GMutex default_lock;
static test_host *default_host;

test_host *test_host_of(virConnectPtr conn)
{
    return conn->driver_data;
}

static test_host *default_host_ref(void)
{
    test_host *h;

    g_mutex_lock(&default_lock);
    if (!default_host)
        default_host = test_host_load(NULL);
    else
        g_atomic_int_inc(&default_host->refs);
    h = default_host;
    g_mutex_unlock(&default_lock);
    return h;
}

static void host_release(test_host *h)
{
    g_mutex_lock(&default_lock);
    if (h == default_host && g_atomic_int_get(&h->refs) == 1)
        default_host = NULL;
    g_mutex_unlock(&default_lock);
    test_host_unref(h);
}

static int test_connect_open(virConnectPtr conn, const parsed_uri *u, virConnectAuthPtr auth,
                             unsigned int flags)
{
    test_host *h;

    if (strcmp(u->scheme, "test") != 0)
        return DRIVER_OPEN_DECLINED;
    if (u->server && strcmp(u->server, "localhost") != 0) {
        /* A remote test host would need the remote driver. */
        return DRIVER_OPEN_DECLINED;
    }
    if (!u->path || strcmp(u->path, "/") == 0 || !*u->path) {
        error_report(FROM, VIR_ERR_INVALID_ARG, "%s", "testOpen: supply a path or use test:///default");
        return DRIVER_OPEN_ERROR;
    }
    if (strcmp(u->path, "/default") == 0)
        h = default_host_ref();
    else
        h = test_host_load(u->path);
    if (!h)
        return DRIVER_OPEN_ERROR;
    conn->driver_data = h;
    return DRIVER_OPEN_SUCCESS;
}

static int test_connect_close(virConnectPtr conn)
{
    test_host *h = test_host_of(conn);

    event_bus_drop_conn(h->events, conn);
    host_release(h);
    conn->driver_data = NULL;
    return 0;
}

static int test_connect_get_version(virConnectPtr conn, unsigned long *hvVer)
{
    *hvVer = 2;
    return 0;
}

static char *test_connect_get_hostname(virConnectPtr conn)
{
    char name[256];

    if (gethostname(name, sizeof(name)) < 0) {
        error_report(FROM, VIR_ERR_SYSTEM_ERROR, "%s", "cannot get the host name");
        return NULL;
    }
    name[sizeof(name) - 1] = '\0';
    return strdup(name);
}

static int test_connect_get_max_vcpus(virConnectPtr conn, const char *type)
{
    return 32;
}

static int test_connect_is_alive(virConnectPtr conn)
{
    return 1;
}

static int test_connect_is_secure(virConnectPtr conn)
{
    return 1;
}

static int test_connect_is_encrypted(virConnectPtr conn)
{
    return 0;
}

static int test_node_get_info(virConnectPtr conn, virNodeInfoPtr info)
{
    test_host *h = test_host_of(conn);

    g_mutex_lock(&h->lock);
    *info = h->node;
    g_mutex_unlock(&h->lock);
    return 0;
}

static int test_node_get_security_model(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    g_strlcpy(secmodel->model, "testSecurity", sizeof(secmodel->model));
    secmodel->doi[0] = '\0';
    return 0;
}

static int test_event_register_any(virConnectPtr conn, virDomainPtr dom, int event_id,
                                   virConnectDomainEventGenericCallback cb, void *opaque,
                                   virFreeCallback freecb)
{
    return event_bus_register(test_host_of(conn)->events, conn, dom, event_id, cb, opaque, freecb);
}

static int test_event_deregister_any(virConnectPtr conn, int callback_id)
{
    return event_bus_deregister(test_host_of(conn)->events, conn, callback_id);
}

static int test_event_find(virConnectPtr conn, int event_id, virConnectDomainEventGenericCallback cb)
{
    return event_bus_find(test_host_of(conn)->events, conn, event_id, cb);
}

static vm_driver table = {
    .name = "TEST",
    .connect_open = test_connect_open,
    .connect_close = test_connect_close,
    .connect_domain_event_find = test_event_find,
    .connect_get_version = test_connect_get_version,
    .connect_get_hostname = test_connect_get_hostname,
    .connect_get_max_vcpus = test_connect_get_max_vcpus,
    .connect_is_alive = test_connect_is_alive,
    .connect_is_secure = test_connect_is_secure,
    .connect_is_encrypted = test_connect_is_encrypted,
    .node_get_info = test_node_get_info,
    .node_get_security_model = test_node_get_security_model,
    .connect_domain_event_register_any = test_event_register_any,
    .connect_domain_event_deregister_any = test_event_deregister_any,
};

const vm_driver *test_driver_get(void)
{
    static gsize filled;

    if (g_once_init_enter(&filled)) {
        test_domain_fill(&table);
        g_once_init_leave(&filled, 1);
    }
    return &table;
}
