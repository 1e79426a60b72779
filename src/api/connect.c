/* Opening, describing and closing connections; the library's version. */
#include <stdlib.h>
#include <string.h>
#include "api/api.h"

#define DEFAULT_URI "test:///default"

/* No driver here asks for credentials yet: the default callback answers none. */
static int default_auth_cb(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
    return ncred == 0 ? 0 : -1;
}

static int default_credtypes[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };

static virConnectAuth default_auth = {
    default_credtypes, G_N_ELEMENTS(default_credtypes), default_auth_cb, NULL,
};

virConnectAuthPtr virConnectAuthPtrDefault = &default_auth;

int virInitialize(void)
{
    return 0;
}

int virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer)
{
    error_reset();
    if (libVer)
        *libVer = LIBVIR_VERSION_NUMBER;
    if (typeVer)
        *typeVer = LIBVIR_VERSION_NUMBER;
    return 0;
}

/* The URI to open when the caller gives none: $LIBVIRT_DEFAULT_URI, else the
 * embedded test host. */
static const char *default_uri(const char *name)
{
    const char *env;

    if (name && *name)
        return name;
    env = getenv("LIBVIRT_DEFAULT_URI");
    return env && *env ? env : DEFAULT_URI;
}

static virConnectPtr open_uri(const char *name, virConnectAuthPtr auth, unsigned int flags)
{
    g_autoptr(parsed_uri) u = NULL;
    virConnectPtr conn;

    error_reset();
    name = default_uri(name);
    u = uri_parse(name);
    if (!u)
        goto error;
    if (!u->scheme || !*u->scheme) {
        error_report(VIR_FROM_NONE, VIR_ERR_NO_CONNECT, "%s", name);
        goto error;
    }
    conn = handle_connect_new(name, flags);
    for (size_t i = 0; drivers[i]; i++) {
        const vm_driver *drv = drivers[i]();
        int r = drv->connect_open(conn, u, auth, flags);
        if (r == DRIVER_OPEN_DECLINED)
            continue;
        if (r == DRIVER_OPEN_ERROR) {
            g_free(conn->uri);
            conn->uri = NULL;
            handle_connect_unref(conn);
            goto error;
        }
        conn->driver = drv;
        return conn;
    }
    handle_connect_unref(conn);
    error_report(VIR_FROM_NONE, VIR_ERR_NO_CONNECT, "%s", name);
 error:
    api_dispatch_error(NULL);
    return NULL;
}

virConnectPtr virConnectOpen(const char *name)
{
    return open_uri(name, NULL, 0);
}

virConnectPtr virConnectOpenReadOnly(const char *name)
{
    return open_uri(name, NULL, VIR_CONNECT_RO);
}

virConnectPtr virConnectOpenAuth(const char *name, virConnectAuthPtr auth, unsigned int flags)
{
    if (flags & ~(unsigned int)(VIR_CONNECT_RO | VIR_CONNECT_NO_ALIASES)) {
        error_reset();
        error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                     "unsupported flags (0x%x) in function virConnectOpenAuth",
                     flags & ~(unsigned int)(VIR_CONNECT_RO | VIR_CONNECT_NO_ALIASES));
        api_dispatch_error(NULL);
        return NULL;
    }
    return open_uri(name, auth, flags);
}

int virConnectClose(virConnectPtr conn)
{
    error_reset();
    if (!api_check_conn(conn, VIR_FROM_NONE, __func__))
        return -1;
    return handle_connect_unref(conn);
}

int virConnectRef(virConnectPtr conn)
{
    error_reset();
    if (!api_check_conn(conn, VIR_FROM_NONE, __func__))
        return -1;
    handle_connect_ref(conn);
    return 0;
}

const char *virConnectGetType(virConnectPtr conn)
{
    error_reset();
    if (!api_check_conn(conn, VIR_FROM_NONE, __func__))
        return NULL;
    if (conn->driver->connect_get_type) {
        const char *type = conn->driver->connect_get_type(conn);
        if (!type)
            api_dispatch_error(conn);
        return type;
    }
    return conn->driver->name;
}

int virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    error_reset();
    if (!api_check_conn(conn, VIR_FROM_NONE, __func__))
        return -1;
    if (!libVer) {
        api_report_null(VIR_FROM_NONE, __func__, "libVer");
        api_dispatch_error(conn);
        return -1;
    }
    *libVer = LIBVIR_VERSION_NUMBER;
    return 0;
}

char *virConnectGetURI(virConnectPtr conn)
{
    error_reset();
    if (!api_check_conn(conn, VIR_FROM_NONE, __func__))
        return NULL;
    return strdup(conn->uri);
}

int virConnectRegisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb, void *opaque,
                                    virFreeCallback freecb)
{
    int ret = -1;

    error_reset();
    if (!api_check_conn(conn, VIR_FROM_NONE, __func__))
        return -1;
    if (!cb) {
        api_report_null(VIR_FROM_NONE, __func__, "cb");
        goto out;
    }
    g_mutex_lock(&conn->lock);
    if (conn->close_cb) {
        error_report(VIR_FROM_NONE, VIR_ERR_OPERATION_INVALID, "%s",
                     "A close callback is already registered");
    } else {
        conn->close_cb = cb;
        conn->close_opaque = opaque;
        conn->close_free = freecb;
        ret = 0;
    }
    g_mutex_unlock(&conn->lock);
 out:
    if (ret < 0)
        api_dispatch_error(conn);
    return ret;
}

int virConnectUnregisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb)
{
    int ret = -1;

    error_reset();
    if (!api_check_conn(conn, VIR_FROM_NONE, __func__))
        return -1;
    g_mutex_lock(&conn->lock);
    if (!cb || conn->close_cb != cb) {
        error_report(VIR_FROM_NONE, VIR_ERR_OPERATION_INVALID, "%s",
                     "A different callback was requested");
    } else {
        if (conn->close_free)
            conn->close_free(conn->close_opaque);
        conn->close_cb = NULL;
        conn->close_opaque = NULL;
        conn->close_free = NULL;
        ret = 0;
    }
    g_mutex_unlock(&conn->lock);
    if (ret < 0)
        api_dispatch_error(conn);
    return ret;
}
