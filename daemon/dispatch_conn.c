/* virtmomentd's hand-written procedures: the handshake (auth, features, open,
 * close, close callbacks) and the domain calls with no public function here. */
#include "daemon/dispatch.h"

#include <string.h>
#include "util/error.h"
#include "util/uri.h"
#include "util/xml.h"

enum {
    FEATURE_FD_PASSING = 8,
    FEATURE_TYPED_PARAM_STRING = 9,
    FEATURE_PROGRAM_KEEPALIVE = 10,
    FEATURE_REMOTE_EVENT_CALLBACK = 14,
    FEATURE_REMOTE_CLOSE_CALLBACK = 15,
};

int daemon_dispatch_auth_list(daemon_client *client, virConnectPtr conn, void *args, void *r)
{
    rpc_auth_list_ret *ret = r;

    ret->types.items = g_new0(int32_t, 1);   /* REMOTE_AUTH_NONE */
    ret->types.n = 1;
    return 0;
}

int daemon_dispatch_connect_supports_feature(daemon_client *client, virConnectPtr conn, void *a,
                                             void *r)
{
    rpc_connect_supports_feature_args *args = a;
    rpc_connect_supports_feature_ret *ret = r;

    switch (args->feature) {
    case FEATURE_TYPED_PARAM_STRING:
    case FEATURE_PROGRAM_KEEPALIVE:         /* PINGs are answered by the I/O thread */
    case FEATURE_REMOTE_EVENT_CALLBACK:
    case FEATURE_REMOTE_CLOSE_CALLBACK:
        ret->supported = 1;
        break;
    default:
        ret->supported = 0;                 /* FD passing included: no fds here */
    }
    return 0;
}

/* The URI to open in-process for what a client asked: the test driver's as they
 * are, the QEMU host's (session or system) at the daemon's root; never anything
 * that would make the daemon a client of a daemon. */
static char *local_uri(const char *name)
{
    g_autoptr(parsed_uri) u = NULL;

    if (!name || !*name)
        name = "qemu:///session";
    if (!(u = uri_parse(name)))
        return NULL;
    if (!u->scheme || u->transport || uri_param_get(u, "socket") ||
        (u->server && *u->server && strcmp(u->server, "localhost") != 0)) {
        error_report(VIR_FROM_NONE, VIR_ERR_NO_CONNECT, "%s (not a URI virtmomentd serves)", name);
        return NULL;
    }
    if (strcmp(u->scheme, "qemu") == 0) {
        if (g_strcmp0(u->path, "/session") != 0 && g_strcmp0(u->path, "/system") != 0) {
            error_report(VIR_FROM_NONE, VIR_ERR_NO_CONNECT,
                         "%s (virtmomentd serves qemu:///session and qemu:///system)", name);
            return NULL;
        }
        if (!daemon_conf.qemu_root) {
            error_report(VIR_FROM_NONE, VIR_ERR_NO_CONNECT, "%s (this virtmomentd hosts no QEMU driver)",
                         name);
            return NULL;
        }
        return g_strdup_printf("qemu:///embed?root=%s", daemon_conf.qemu_root);
    }
    return g_strdup(name);
}

int daemon_dispatch_connect_open(daemon_client *client, virConnectPtr conn, void *a, void *r)
{
    rpc_connect_open_args *args = a;
    g_autofree char *uri = NULL;
    unsigned int flags = args->flags & VIR_CONNECT_RO;
    virConnectPtr opened;

    if (conn) {
        error_report(VIR_FROM_RPC, VIR_ERR_INTERNAL_ERROR, "%s", "connection already open");
        return -1;
    }
    if (!(uri = local_uri(args->name)))
        return -1;
    if (rpc_client_readonly(client->rc))
        flags |= VIR_CONNECT_RO;
    if (!(opened = virConnectOpenAuth(uri, NULL, flags)))
        return -1;
    /* Report the URI the client asked for, not the daemon's local one. */
    g_free(opened->uri);
    opened->uri = g_strdup(args->name ? args->name : "qemu:///session");
    g_mutex_lock(&client->lock);
    client->conn = opened;
    g_mutex_unlock(&client->lock);
    return 0;
}

int daemon_dispatch_connect_close(daemon_client *client, virConnectPtr conn, void *args, void *ret)
{
    virConnectPtr old;

    daemon_events_drop(client);
    g_mutex_lock(&client->lock);
    old = g_steal_pointer(&client->conn);
    g_mutex_unlock(&client->lock);
    if (old)
        handle_connect_unref(old);
    return 0;
}

int daemon_dispatch_connect_register_close_callback(daemon_client *client, virConnectPtr conn,
                                                    void *args, void *ret)
{
    return 0;
}

int daemon_dispatch_connect_unregister_close_callback(daemon_client *client, virConnectPtr conn,
                                                      void *args, void *ret)
{
    return 0;
}

/* A typed parameter's value as an unsigned number, or 0. */
static unsigned long long param_ull(const virTypedParameter *params, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(params[i].field, name) == 0 && params[i].type == VIR_TYPED_PARAM_ULLONG)
            return params[i].value.ul;
    return 0;
}

/* Whether backup XML (virDomainBackupGetXMLDesc's) backs up disk dst, and its mode. */
static bool backup_covers(const char *xml, const char *dst, bool *ret_push)
{
    g_autoptr(xmlDoc) doc = xml_parse(xml, "backup.xml", "domainbackup", VIR_FROM_DOMAIN);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    xmlNodePtr disks = root ? xml_child(root, "disks") : NULL;
    g_autofree char *mode = root ? xml_prop(root, "mode") : NULL;

    for (xmlNodePtr n = disks ? xml_child(disks, "disk") : NULL; n; n = xml_next_named(n, "disk")) {
        g_autofree char *name = xml_prop(n, "name");
        g_autofree char *backup = xml_prop(n, "backup");
        if (g_strcmp0(name, dst) == 0 && g_strcmp0(backup, "no") != 0) {
            *ret_push = g_strcmp0(mode, "pull") != 0;
            return true;
        }
    }
    return false;
}

/* Backups are the only block jobs: a disk (by target) that the domain's running
 * backup covers has one of type BACKUP (as libvirtd reports, which virtnbdbackup
 * checks before it starts), with the job's progress; anything else has none. */
int daemon_dispatch_domain_get_block_job_info(daemon_client *client, virConnectPtr conn, void *a,
                                              void *r)
{
    rpc_domain_get_block_job_info_args *args = a;
    rpc_domain_get_block_job_info_ret *ret = r;
    virDomainPtr dom = daemon_domain_from_wire(conn, &args->dom);
    g_autofree char *xml = virDomainBackupGetXMLDesc(dom, 0);
    virTypedParameterPtr params = NULL;
    int type = VIR_DOMAIN_JOB_NONE, n = 0;
    bool push = false;

    ret->found = 0;
    if (xml && backup_covers(xml, args->path, &push)) {
        ret->found = 1;
        ret->type = VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP;
        if (virDomainGetJobStats(dom, &type, &params, &n, 0) == 0 && type != VIR_DOMAIN_JOB_NONE) {
            ret->cur = param_ull(params, n, push ? VIR_DOMAIN_JOB_DISK_PROCESSED : VIR_DOMAIN_JOB_DISK_TEMP_USED);
            ret->end = param_ull(params, n, push ? VIR_DOMAIN_JOB_DISK_TOTAL : VIR_DOMAIN_JOB_DISK_TEMP_TOTAL);
        }
        virTypedParamsFree(params, n);
    }
    handle_domain_unref(dom);
    error_reset();              /* no backup, or it just ended: no block job */
    return 0;
}

static int no_agent(const char *func)
{
    error_report(VIR_FROM_DOMAIN, VIR_ERR_ARGUMENT_UNSUPPORTED, "%s: %s", func,
                 "no guest agent is configured");
    return -1;
}

int daemon_dispatch_domain_fsfreeze(daemon_client *client, virConnectPtr conn, void *args, void *ret)
{
    return no_agent("virDomainFSFreeze");
}

int daemon_dispatch_domain_fsthaw(daemon_client *client, virConnectPtr conn, void *args, void *ret)
{
    return no_agent("virDomainFSThaw");
}

/* Taint and deprecation messages: there are none. */
int daemon_dispatch_domain_get_messages(daemon_client *client, virConnectPtr conn, void *a, void *r)
{
    rpc_domain_get_messages_ret *ret = r;

    ret->msgs.items = g_new0(char *, 1);
    ret->msgs.n = 0;
    return 0;
}
