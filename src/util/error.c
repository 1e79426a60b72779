/* Reporting errors into the calling thread's last error (libvirt's virError). */
#include "util/error.h"

#include <stdio.h>
#include <string.h>

static void last_error_free(gpointer p)
{
    virErrorPtr err = p;
    error_clear(err);
    g_free(err);
}

/* The GPrivate frees a thread's error when the thread ends; the thread-local pointer
 * is the fast way to it (every API call resets it). */
static GPrivate last_error_key = G_PRIVATE_INIT(last_error_free);
static __thread virErrorPtr thread_error;

static GMutex handler_lock;
static virErrorFunc global_handler;
static void *global_handler_data;

/* The thread's error slot, created on first use. */
static virErrorPtr slot(void)
{
    if (!thread_error) {
        thread_error = g_new0(virError, 1);
        g_private_set(&last_error_key, thread_error);
    }
    return thread_error;
}

void error_clear(virErrorPtr err)
{
    if (!err)
        return;
    g_free(err->message);
    g_free(err->str1);
    g_free(err->str2);
    g_free(err->str3);
    memset(err, 0, sizeof(*err));
}

void error_copy(virErrorPtr to, const virError *from)
{
    error_clear(to);
    to->code = from->code;
    to->domain = from->domain;
    to->level = from->level;
    to->message = g_strdup(from->message);
    to->str1 = g_strdup(from->str1);
    to->str2 = g_strdup(from->str2);
    to->str3 = g_strdup(from->str3);
    to->int1 = from->int1;
    to->int2 = from->int2;
}

static void set(int domain, int code, char *message, char *str1, char *str2, int int1)
{
    virErrorPtr err = slot();
    error_clear(err);
    err->domain = domain;
    err->code = code;
    err->level = VIR_ERR_ERROR;
    err->message = message;
    err->str1 = str1;
    err->str2 = str2;
    err->int1 = int1;
    err->int2 = -1;
}

static void report_detail(int domain, int code, char *detail)
{
    const char *tmpl = error_template(code, detail != NULL);
    char *message;

    if (detail) {
        /* Templates hold exactly one %s; build by hand so no format string is
         * ever taken from data. */
        const char *p = strstr(tmpl, "%s");
        message = g_strdup_printf("%.*s%s%s", (int)(p - tmpl), tmpl, detail, p + 2);
    } else {
        message = g_strdup(tmpl);
    }
    set(domain, code, message, g_strdup(tmpl), detail, -1);
}

void error_report(int domain, int code, const char *fmt, ...)
{
    char *detail = NULL;

    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        detail = g_strdup_vprintf(fmt, ap);
        va_end(ap);
    }
    report_detail(domain, code, detail);
}

void error_report_errno(int domain, int code, int errnum, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *head = NULL;

    va_start(ap, fmt);
    head = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    report_detail(domain, code, g_strdup_printf("%s: %s", head, g_strerror(errnum)));
}

void error_report_arg(int domain, const char *func, const char *arg, const char *fmt, ...)
{
    va_list ap;
    char *message;

    va_start(ap, fmt);
    message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    set(domain, VIR_ERR_INVALID_ARG, message, g_strdup(func), g_strdup(arg), 0);
}

bool error_check_flags(unsigned int flags, unsigned int allowed, int domain, const char *func)
{
    if ((flags & ~allowed) == 0)
        return true;
    set(domain, VIR_ERR_INVALID_ARG,
        g_strdup_printf("unsupported flags (0x%x) in function %s", flags & ~allowed, func),
        g_strdup(func), NULL, 0);
    return false;
}

virErrorPtr error_last(void)
{
    virErrorPtr err = thread_error;
    return err && err->code != VIR_ERR_OK ? err : NULL;
}

bool error_is_set(void)
{
    return error_last() != NULL;
}

void error_set(const virError *err)
{
    error_copy(slot(), err);
}

void error_reset(void)
{
    virErrorPtr err = thread_error;

    /* an empty slot (the usual case) is left as it is */
    if (err && (err->code || err->domain || err->level || err->message || err->str1 ||
                err->str2 || err->str3 || err->int1 || err->int2))
        error_clear(err);
}

virErrorPtr error_save(void)
{
    virErrorPtr saved = g_new0(virError, 1);
    virErrorPtr err = error_last();

    if (err)
        error_copy(saved, err);
    error_reset();
    return saved;
}

void error_restore(virErrorPtr *saved)
{
    if (!*saved)
        return;
    if ((*saved)->code != VIR_ERR_OK)
        error_copy(slot(), *saved);
    error_clear(*saved);
    g_clear_pointer(saved, g_free);
}

void error_set_global_handler(virErrorFunc handler, void *data)
{
    g_mutex_lock(&handler_lock);
    global_handler = handler;
    global_handler_data = data;
    g_mutex_unlock(&handler_lock);
}

void error_print(const virError *err)
{
    if (!err)
        return;
    const char *dom = error_domain_name(err->domain);
    size_t len = err->message ? strlen(err->message) : 0;

    fprintf(stderr, "libvirt: %s%serror : %s%s", dom, *dom ? " " : "",
            err->message ? err->message : "", len && err->message[len - 1] == '\n' ? "" : "\n");
}

void error_ensure(void)
{
    if (slot()->code == VIR_ERR_OK)
        report_detail(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR,
                      g_strdup("An error occurred, but the cause is unknown"));
}

void error_dispatch(virErrorFunc handler, void *data)
{
    error_ensure();
    if (!handler) {
        g_mutex_lock(&handler_lock);
        handler = global_handler;
        data = global_handler_data;
        g_mutex_unlock(&handler_lock);
    }
    if (handler)
        handler(data, slot());
    else
        error_print(slot());
}

/* Each code's message without and with a detail; the detail version has one %s. */
static const struct {
    const char *bare;
    const char *detail;
} templates[] = {
    [VIR_ERR_OK] = { NULL, NULL },
    [VIR_ERR_INTERNAL_ERROR] = { "internal error", "internal error: %s" },
    [VIR_ERR_NO_MEMORY] = { "out of memory", "out of memory: %s" },
    [VIR_ERR_NO_SUPPORT] = { "this function is not supported by the connection driver",
                             "this function is not supported by the connection driver: %s" },
    [VIR_ERR_UNKNOWN_HOST] = { "unknown host", "unknown host %s" },
    [VIR_ERR_NO_CONNECT] = { "no connection driver available",
                             "no connection driver available for %s" },
    [VIR_ERR_INVALID_CONN] = { "invalid connection pointer in", "invalid connection pointer in %s" },
    [VIR_ERR_INVALID_DOMAIN] = { "invalid domain pointer in", "invalid domain pointer in %s" },
    [VIR_ERR_INVALID_ARG] = { "invalid argument", "invalid argument: %s" },
    [VIR_ERR_OPERATION_FAILED] = { "operation failed", "operation failed: %s" },
    [VIR_ERR_GET_FAILED] = { "GET operation failed", "GET operation failed: %s" },
    [VIR_ERR_POST_FAILED] = { "POST operation failed", "POST operation failed: %s" },
    [VIR_ERR_HTTP_ERROR] = { "got unknown HTTP error code", "got unknown HTTP error code %s" },
    [VIR_ERR_SEXPR_SERIAL] = { "failed to serialize S-Expr", "failed to serialize S-Expr: %s" },
    [VIR_ERR_NO_XEN] = { "could not use Xen hypervisor entry",
                         "could not use Xen hypervisor entry %s" },
    [VIR_ERR_XEN_CALL] = { "failed Xen syscall", "failed Xen syscall %s" },
    [VIR_ERR_OS_TYPE] = { "unknown OS type", "unknown OS type %s" },
    [VIR_ERR_NO_KERNEL] = { "missing kernel information", "missing kernel information for %s" },
    [VIR_ERR_NO_ROOT] = { "missing root device information",
                          "missing root device information in %s" },
    [VIR_ERR_NO_SOURCE] = { "missing source information for device",
                            "missing source information for device %s" },
    [VIR_ERR_NO_TARGET] = { "missing target information for device",
                            "missing target information for device %s" },
    [VIR_ERR_NO_NAME] = { "missing name information", "missing name information in %s" },
    [VIR_ERR_NO_OS] = { "missing operating system information",
                        "missing operating system information for %s" },
    [VIR_ERR_NO_DEVICE] = { "missing devices information", "missing devices information for %s" },
    [VIR_ERR_NO_XENSTORE] = { "could not connect to Xen Store", "could not connect to Xen Store %s" },
    [VIR_ERR_DRIVER_FULL] = { "too many drivers registered", "too many drivers registered in %s" },
    [VIR_ERR_CALL_FAILED] = { "library call failed", "library call failed: %s" },
    [VIR_ERR_XML_ERROR] = { "XML description is invalid or not well formed", "XML error: %s" },
    [VIR_ERR_DOM_EXIST] = { "this domain exists already", "domain %s exists already" },
    [VIR_ERR_OPERATION_DENIED] = { "operation forbidden for read only access",
                                   "operation forbidden: %s" },
    [VIR_ERR_OPEN_FAILED] = { "failed to open configuration file",
                              "failed to open configuration file %s" },
    [VIR_ERR_READ_FAILED] = { "failed to read configuration file",
                              "failed to read configuration file %s" },
    [VIR_ERR_PARSE_FAILED] = { "failed to parse configuration file",
                               "failed to parse configuration file %s" },
    [VIR_ERR_CONF_SYNTAX] = { "configuration file syntax error",
                              "configuration file syntax error: %s" },
    [VIR_ERR_WRITE_FAILED] = { "failed to write configuration file",
                               "failed to write configuration file: %s" },
    [VIR_ERR_XML_DETAIL] = { "parser error", "%s" },
    [VIR_ERR_INVALID_NETWORK] = { "invalid network pointer in", "invalid network pointer in %s" },
    [VIR_ERR_NETWORK_EXIST] = { "this network exists already", "network %s exists already" },
    [VIR_ERR_SYSTEM_ERROR] = { "system call error", "%s" },
    [VIR_ERR_RPC] = { "RPC error", "%s" },
    [VIR_ERR_GNUTLS_ERROR] = { "GNUTLS call error", "%s" },
    [VIR_WAR_NO_NETWORK] = { "Failed to find the network", "Failed to find the network: %s" },
    [VIR_ERR_NO_DOMAIN] = { "Domain not found", "Domain not found: %s" },
    [VIR_ERR_NO_NETWORK] = { "Network not found", "Network not found: %s" },
    [VIR_ERR_INVALID_MAC] = { "invalid MAC address", "invalid MAC address: %s" },
    [VIR_ERR_AUTH_FAILED] = { "authentication failed", "authentication failed: %s" },
    [VIR_ERR_INVALID_STORAGE_POOL] = { "invalid storage pool pointer in",
                                       "invalid storage pool pointer in %s" },
    [VIR_ERR_INVALID_STORAGE_VOL] = { "invalid storage volume pointer in",
                                      "invalid storage volume pointer in %s" },
    [VIR_WAR_NO_STORAGE] = { "Failed to find a storage driver",
                             "Failed to find a storage driver: %s" },
    [VIR_ERR_NO_STORAGE_POOL] = { "Storage pool not found", "Storage pool not found: %s" },
    [VIR_ERR_NO_STORAGE_VOL] = { "Storage volume not found", "Storage volume not found: %s" },
    [VIR_WAR_NO_NODE] = { "Failed to find a node driver", "Failed to find a node driver: %s" },
    [VIR_ERR_INVALID_NODE_DEVICE] = { "invalid node device pointer",
                                      "invalid node device pointer in %s" },
    [VIR_ERR_NO_NODE_DEVICE] = { "Node device not found", "Node device not found: %s" },
    [VIR_ERR_NO_SECURITY_MODEL] = { "Security model not found", "Security model not found: %s" },
    [VIR_ERR_OPERATION_INVALID] = { "Requested operation is not valid",
                                    "Requested operation is not valid: %s" },
    [VIR_WAR_NO_INTERFACE] = { "Failed to find the interface",
                               "Failed to find the interface: %s" },
    [VIR_ERR_NO_INTERFACE] = { "Interface not found", "Interface not found: %s" },
    [VIR_ERR_INVALID_INTERFACE] = { "invalid interface pointer in",
                                    "invalid interface pointer in %s" },
    [VIR_ERR_MULTIPLE_INTERFACES] = { "multiple matching interfaces found",
                                      "multiple matching interfaces found: %s" },
    [VIR_WAR_NO_NWFILTER] = { "Failed to start the nwfilter driver",
                              "Failed to start the nwfilter driver: %s" },
    [VIR_ERR_INVALID_NWFILTER] = { "Invalid network filter", "Invalid network filter: %s" },
    [VIR_ERR_NO_NWFILTER] = { "Network filter not found", "Network filter not found: %s" },
    [VIR_ERR_BUILD_FIREWALL] = { "Error while building firewall",
                                 "Error while building firewall: %s" },
    [VIR_WAR_NO_SECRET] = { "Failed to find a secret storage driver",
                            "Failed to find a secret storage driver: %s" },
    [VIR_ERR_INVALID_SECRET] = { "Invalid secret", "Invalid secret: %s" },
    [VIR_ERR_NO_SECRET] = { "Secret not found", "Secret not found: %s" },
    [VIR_ERR_CONFIG_UNSUPPORTED] = { "unsupported configuration", "unsupported configuration: %s" },
    [VIR_ERR_OPERATION_TIMEOUT] = { "Timed out during operation",
                                    "Timed out during operation: %s" },
    [VIR_ERR_MIGRATE_PERSIST_FAILED] = { "Failed to make domain persistent after migration",
                                         "Failed to make domain persistent after migration: %s" },
    [VIR_ERR_HOOK_SCRIPT_FAILED] = { "Hook script execution failed",
                                     "Hook script execution failed: %s" },
    [VIR_ERR_INVALID_DOMAIN_SNAPSHOT] = { "Invalid domain snapshot", "Invalid domain snapshot: %s" },
    [VIR_ERR_NO_DOMAIN_SNAPSHOT] = { "Domain snapshot not found", "Domain snapshot not found: %s" },
    [VIR_ERR_INVALID_STREAM] = { "invalid stream pointer", "invalid stream pointer in %s" },
    [VIR_ERR_ARGUMENT_UNSUPPORTED] = { "argument unsupported", "argument unsupported: %s" },
    [VIR_ERR_STORAGE_PROBE_FAILED] = { "Storage pool probe failed",
                                       "Storage pool probe failed: %s" },
    [VIR_ERR_STORAGE_POOL_BUILT] = { "Storage pool already built",
                                     "Storage pool already built: %s" },
    [VIR_ERR_SNAPSHOT_REVERT_RISKY] = { "revert requires force", "revert requires force: %s" },
    [VIR_ERR_OPERATION_ABORTED] = { "operation aborted", "operation aborted: %s" },
    [VIR_ERR_AUTH_CANCELLED] = { "authentication cancelled", "authentication cancelled: %s" },
    [VIR_ERR_NO_DOMAIN_METADATA] = { "metadata not found", "metadata not found: %s" },
    [VIR_ERR_MIGRATE_UNSAFE] = { "Unsafe migration", "Unsafe migration: %s" },
    [VIR_ERR_OVERFLOW] = { "numerical overflow", "numerical overflow: %s" },
    [VIR_ERR_BLOCK_COPY_ACTIVE] = { "block copy still active", "block copy still active: %s" },
    [VIR_ERR_OPERATION_UNSUPPORTED] = { "Operation not supported", "Operation not supported: %s" },
    [VIR_ERR_SSH] = { "SSH transport error", "SSH transport error: %s" },
    [VIR_ERR_AGENT_UNRESPONSIVE] = { "Guest agent is not responding",
                                     "Guest agent is not responding: %s" },
    [VIR_ERR_RESOURCE_BUSY] = { "resource busy", "resource busy: %s" },
    [VIR_ERR_ACCESS_DENIED] = { "access denied", "access denied: %s" },
    [VIR_ERR_DBUS_SERVICE] = { "error from service", "error from service: %s" },
    [VIR_ERR_STORAGE_VOL_EXIST] = { "this storage volume exists already",
                                    "storage volume %s exists already" },
    [VIR_ERR_CPU_INCOMPATIBLE] = { "the CPU is incompatible with host CPU",
                                   "the CPU is incompatible with host CPU: %s" },
    [VIR_ERR_XML_INVALID_SCHEMA] = { "XML document failed to validate against schema",
                                     "XML document failed to validate against schema: %s" },
    [VIR_ERR_MIGRATE_FINISH_OK] = { "migration successfully aborted",
                                    "migration successfully aborted: %s" },
    [VIR_ERR_AUTH_UNAVAILABLE] = { "authentication unavailable",
                                   "authentication unavailable: %s" },
    [VIR_ERR_NO_SERVER] = { "Server not found", "Server not found: %s" },
    [VIR_ERR_NO_CLIENT] = { "Client not found", "Client not found: %s" },
    [VIR_ERR_AGENT_UNSYNCED] = { "guest agent replied with wrong id to guest-sync command",
                                 "guest agent replied with wrong id to guest-sync command: %s" },
    [VIR_ERR_LIBSSH] = { "libssh transport error", "libssh transport error: %s" },
    [VIR_ERR_DEVICE_MISSING] = { "device not found", "device not found: %s" },
    [VIR_ERR_INVALID_NWFILTER_BINDING] = { "Invalid network filter binding",
                                           "Invalid network filter binding: %s" },
    [VIR_ERR_NO_NWFILTER_BINDING] = { "Network filter binding not found",
                                      "Network filter binding not found: %s" },
    [VIR_ERR_INVALID_DOMAIN_CHECKPOINT] = { "Invalid domain checkpoint",
                                            "Invalid domain checkpoint: %s" },
    [VIR_ERR_NO_DOMAIN_CHECKPOINT] = { "Domain checkpoint not found",
                                       "Domain checkpoint not found: %s" },
    [VIR_ERR_NO_DOMAIN_BACKUP] = { "Domain backup job id not found",
                                   "Domain backup job id not found: %s" },
    [VIR_ERR_INVALID_NETWORK_PORT] = { "Invalid network port pointer",
                                       "Invalid network port pointer: %s" },
    [VIR_ERR_NETWORK_PORT_EXIST] = { "this network port exists already",
                                     "network port %s exists already" },
    [VIR_ERR_NO_NETWORK_PORT] = { "network port not found", "network port not found: %s" },
    [VIR_ERR_NO_HOSTNAME] = { "no hostname found", "no hostname found: %s" },
    [VIR_ERR_CHECKPOINT_INCONSISTENT] = { "checkpoint inconsistent", "checkpoint inconsistent: %s" },
    [VIR_ERR_MULTIPLE_DOMAINS] = { "multiple matching domains found",
                                   "multiple matching domains found: %s" },
};

const char *error_template(int code, bool with_detail)
{
    if (code <= 0 || code >= (int)G_N_ELEMENTS(templates) || !templates[code].bare)
        return with_detail ? "unknown error: %s" : "unknown error";
    return with_detail ? templates[code].detail : templates[code].bare;
}

static const char *const domain_names[] = {
    [VIR_FROM_NONE] = "",
    [VIR_FROM_XEN] = "Xen Driver",
    [VIR_FROM_XEND] = "Xen Daemon",
    [VIR_FROM_XENSTORE] = "Xen Store",
    [VIR_FROM_SEXPR] = "S-Expression",
    [VIR_FROM_XML] = "XML Util",
    [VIR_FROM_DOM] = "Domain",
    [VIR_FROM_RPC] = "RPC",
    [VIR_FROM_PROXY] = "proxy daemon",
    [VIR_FROM_CONF] = "Config File",
    [VIR_FROM_QEMU] = "QEMU Driver",
    [VIR_FROM_NET] = "Network",
    [VIR_FROM_TEST] = "Test Driver",
    [VIR_FROM_REMOTE] = "Remote",
    [VIR_FROM_STORAGE] = "Storage Driver",
    [VIR_FROM_NETWORK] = "Network Driver",
    [VIR_FROM_DOMAIN] = "Domain Config",
    [VIR_FROM_SECURITY] = "Security Driver",
    [VIR_FROM_DOMAIN_SNAPSHOT] = "Domain Snapshot",
    [VIR_FROM_STREAMS] = "Streams",
    [VIR_FROM_EVENT] = "Events",
    [VIR_FROM_URI] = "URI Utils",
    [VIR_FROM_AUTH] = "Authentication Utils",
    [VIR_FROM_THREAD] = "Threads",
    [VIR_FROM_LOGGING] = "Logging",
    [VIR_FROM_DOMAIN_CHECKPOINT] = "Domain Checkpoint",
};

const char *error_domain_name(int domain)
{
    if (domain < 0 || domain >= (int)G_N_ELEMENTS(domain_names) || !domain_names[domain])
        return "";
    return domain_names[domain];
}
