/* The QEMU driver's connections: qemu:///embed?root=DIR opens the root as an
 * in-process host; the host-wide queries; the driver table. */
#include "drivers/qemu/qemu_driver.h"

#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "drivers/qemu/qemu_backup.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU

static int qemu_connect_open(virConnectPtr conn, const parsed_uri *u, virConnectAuthPtr auth,
                             unsigned int flags)
{
    const char *root;
    qemu_host *h;

    if (strcmp(u->scheme, "qemu") != 0 || u->transport ||
        (u->server && *u->server && strcmp(u->server, "localhost") != 0))
        return DRIVER_OPEN_DECLINED;
    /* qemu:///session and qemu:///system are virtmomentd's: the remote driver's. */
    if (g_strcmp0(u->path, "/session") == 0 || g_strcmp0(u->path, "/system") == 0)
        return DRIVER_OPEN_DECLINED;
    if (g_strcmp0(u->path, "/embed") != 0) {
        error_report(FROM, VIR_ERR_INTERNAL_ERROR,
                     "unexpected QEMU URI path '%s', try qemu:///embed?root=DIR",
                     u->path ? u->path : "");
        return DRIVER_OPEN_ERROR;
    }
    root = uri_param_get(u, "root");
    if (!root || !*root) {
        error_report(FROM, VIR_ERR_INVALID_ARG, "%s",
                     "the 'root' parameter is required: qemu:///embed?root=DIR");
        return DRIVER_OPEN_ERROR;
    }
    if (!(h = qemu_host_open(root)))
        return DRIVER_OPEN_ERROR;
    conn->driver_data = h;
    return DRIVER_OPEN_SUCCESS;
}

static int qemu_connect_close(virConnectPtr conn)
{
    qemu_host *h = qemu_host_of(conn);

    qemu_autodestroy_run(h, conn);
    event_bus_drop_conn(h->events, conn);
    qemu_host_unref(h);
    conn->driver_data = NULL;
    return 0;
}

/* QEMU's version (major * 1000000 + minor * 1000 + micro) from "--version". */
static int qemu_connect_get_version(virConnectPtr conn, unsigned long *hvVer)
{
    static gsize cached;
    static unsigned long version;

    if (g_once_init_enter(&cached)) {
        g_autofree char *bin = g_find_program_in_path("qemu-system-x86_64");
        const char *argv[] = { bin ? bin : "/usr/bin/qemu-system-x86_64", "--version", NULL };
        g_autofree char *out = NULL;
        unsigned int major = 0, minor = 0, micro = 0;
        if (g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                         NULL, NULL, NULL) && out &&
            sscanf(out, "QEMU emulator version %u.%u.%u", &major, &minor, &micro) >= 2)
            version = major * 1000000UL + minor * 1000UL + micro;
        g_once_init_leave(&cached, 1);
    }
    if (!version) {
        error_report(FROM, VIR_ERR_INTERNAL_ERROR, "%s", "cannot find the QEMU version");
        return -1;
    }
    *hvVer = version;
    return 0;
}

static char *qemu_connect_get_hostname(virConnectPtr conn)
{
    char name[256];

    if (gethostname(name, sizeof(name)) < 0) {
        error_report(FROM, VIR_ERR_SYSTEM_ERROR, "%s", "cannot get the host name");
        return NULL;
    }
    name[sizeof(name) - 1] = '\0';
    return strdup(name);
}

static int qemu_connect_get_max_vcpus(virConnectPtr conn, const char *type)
{
    return 255;   /* QEMU's limit for the pc machine types */
}

static int qemu_connect_is_alive(virConnectPtr conn)
{
    return 1;
}

static int qemu_connect_is_secure(virConnectPtr conn)
{
    return 1;
}

static int qemu_connect_is_encrypted(virConnectPtr conn)
{
    return 0;
}

static unsigned long long meminfo_total_kib(void)
{
    g_autofree char *text = NULL;
    const char *p;

    if (!g_file_get_contents("/proc/meminfo", &text, NULL, NULL) || !(p = strstr(text, "MemTotal:")))
        return 0;
    return g_ascii_strtoull(p + strlen("MemTotal:"), NULL, 10);
}

/* The first "cpu MHz" of /proc/cpuinfo, 0 when absent. */
static unsigned int cpuinfo_mhz(void)
{
    g_autofree char *text = NULL;
    const char *p;

    if (!g_file_get_contents("/proc/cpuinfo", &text, NULL, NULL) || !(p = strstr(text, "cpu MHz")) ||
        !(p = strchr(p, ':')))
        return 0;
    return (unsigned int)g_ascii_strtod(p + 1, NULL);
}

static int qemu_node_get_info(virConnectPtr conn, virNodeInfoPtr info)
{
    struct utsname u;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    memset(info, 0, sizeof(*info));
    if (uname(&u) == 0)
        g_strlcpy(info->model, u.machine, sizeof(info->model));
    info->memory = (unsigned long)meminfo_total_kib();
    info->cpus = cpus > 0 ? (unsigned int)cpus : 1;
    info->mhz = cpuinfo_mhz();
    info->nodes = 1;
    info->sockets = 1;
    info->cores = info->cpus;
    info->threads = 1;
    return 0;
}

static int qemu_node_get_security_model(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    secmodel->model[0] = '\0';
    secmodel->doi[0] = '\0';
    return 0;
}

static int qemu_event_register_any(virConnectPtr conn, virDomainPtr dom, int event_id,
                                   virConnectDomainEventGenericCallback cb, void *opaque,
                                   virFreeCallback freecb)
{
    return event_bus_register(qemu_host_of(conn)->events, conn, dom, event_id, cb, opaque, freecb);
}

static int qemu_event_deregister_any(virConnectPtr conn, int callback_id)
{
    return event_bus_deregister(qemu_host_of(conn)->events, conn, callback_id);
}

static int qemu_event_find(virConnectPtr conn, int event_id, virConnectDomainEventGenericCallback cb)
{
    return event_bus_find(qemu_host_of(conn)->events, conn, event_id, cb);
}

static vm_driver table = {
    .name = "QEMU",
    .connect_open = qemu_connect_open,
    .connect_close = qemu_connect_close,
    .connect_domain_event_find = qemu_event_find,
    .connect_get_version = qemu_connect_get_version,
    .connect_get_hostname = qemu_connect_get_hostname,
    .connect_get_max_vcpus = qemu_connect_get_max_vcpus,
    .connect_is_alive = qemu_connect_is_alive,
    .connect_is_secure = qemu_connect_is_secure,
    .connect_is_encrypted = qemu_connect_is_encrypted,
    .node_get_info = qemu_node_get_info,
    .node_get_security_model = qemu_node_get_security_model,
    .connect_domain_event_register_any = qemu_event_register_any,
    .connect_domain_event_deregister_any = qemu_event_deregister_any,
};

const vm_driver *qemu_driver_get(void)
{
    static gsize filled;

    if (g_once_init_enter(&filled)) {
        qemu_domain_fill(&table);
        qemu_snapshot_fill(&table);
        qemu_checkpoint_fill(&table);
        qemu_backup_fill(&table);
        g_once_init_leave(&filled, 1);
    }
    return &table;
}
