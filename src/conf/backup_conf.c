/* <domainbackup> XML: the backup job definition, its strict parser, formatter and disk alignment. */
#include "conf/backup_conf.h"

#include <string.h>
#include "conf/xml_strict.h"
#include "util/error.h"
#include "util/xml.h"

ENUM_IMPL(backup_type, BACKUP_TYPE_LAST, "default", "push", "pull");
ENUM_IMPL(backup_disk_state, BACKUP_DISK_STATE_LAST,
          "", "running", "complete", "failed", "cancelling", "cancelled");
ENUM_IMPL(backup_disk_mode, BACKUP_DISK_MODE_LAST, "", "full", "incremental");
ENUM_IMPL(backup_transport, BACKUP_TRANSPORT_LAST, "tcp", "unix", "rdma", "fd");
ENUM_IMPL(backup_tls, BACKUP_TLS_LAST, "default", "yes", "no");

/* The yes/no of backup= */
typedef enum { YESNO_ABSENT, YESNO_YES, YESNO_NO, YESNO_LAST } yesno;
ENUM_DECL(yesno);
ENUM_IMPL(yesno, YESNO_LAST, "absent", "yes", "no");

backup_def *backup_def_new(void)
{
    return g_new0(backup_def, 1);
}

static void server_free(backup_server *server)
{
    if (!server)
        return;
    g_free(server->name);
    g_free(server->socket);
    g_free(server->fdgroup);
    g_free(server);
}

static void disk_clear(backup_disk_def *disk)
{
    g_free(disk->name);
    g_free(disk->incremental);
    g_free(disk->exportname);
    g_free(disk->exportbitmap);
    backup_store_free(disk->store);
}

void backup_def_free(backup_def *def)
{
    if (!def)
        return;
    g_free(def->incremental);
    server_free(def->server);
    for (size_t i = 0; i < def->ndisks; i++)
        disk_clear(&def->disks[i]);
    g_free(def->disks);
    g_free(def->tls_alias);
    g_free(def->tls_secret_alias);
    g_free(def);
}

/* -- parsing -------------------------------------------------------------------- */

/* Attribute attr through an enum table, its value taken as a RelaxNG token.
 * Absent: 0 and *ret untouched (or an error when required); unknown or, with
 * nonzero, the value 0: libvirt's virXMLPropEnum errors. */
static int prop_enum(xmlNodePtr node, const char *attr, int (*from_string)(const char *),
                     bool required, bool nonzero, int *ret)
{
    g_autofree char *v = xml_prop(node, attr);
    g_autofree char *token = v ? strict_token(v) : NULL;
    int val;

    if (!v) {
        if (!required)
            return 0;
        error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                     "Missing required attribute '%s' in element '%s'", attr,
                     (const char *)node->name);
        return -1;
    }
    if ((val = from_string(token)) < 0 || (nonzero && val == 0)) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                     "Invalid value for attribute '%s' in element '%s': '%s'.", attr,
                     (const char *)node->name, v);
        return -1;
    }
    *ret = val;
    return 1;
}

/* libvirt's virStringParsePort. */
static int parse_port(const char *text, unsigned int *ret)
{
    if (!parse_uint(text, ret)) {
        error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "failed to parse port number '%s'",
                     text);
        return -1;
    }
    if (*ret > G_MAXUINT16) {
        error_report(VIR_FROM_NONE, VIR_ERR_INTERNAL_ERROR, "port '%s' out of range", text);
        return -1;
    }
    return 0;
}

static int server_parse_host(xmlNodePtr node, backup_server *server)
{
    g_autofree char *port = NULL;

    if (prop_enum(node, "transport", backup_transport_from_string, false, false,
                  &server->transport) < 0)
        return -1;
    server->socket = xml_prop(node, "socket");
    switch (server->transport) {
    case BACKUP_TRANSPORT_UNIX:
        if (!server->socket) {
            error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "missing socket for unix transport");
            return -1;
        }
        return 0;
    case BACKUP_TRANSPORT_FD:
        if (!(server->fdgroup = xml_prop(node, "fdgroup"))) {
            error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
                         "missing 'fdgroup' for 'fd' transport");
            return -1;
        }
        return 0;
    default:
        break;
    }
    if (server->socket) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
                     "transport '%s' does not support socket attribute",
                     backup_transport_to_string(server->transport));
        return -1;
    }
    if (!(server->name = xml_prop(node, "name"))) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "missing name for host");
        return -1;
    }
    if ((port = xml_prop(node, "port")) && parse_port(port, &server->port) < 0)
        return -1;
    return 0;
}

static int server_parse(xmlNodePtr node, backup_def *def)
{
    if (def->type != BACKUP_TYPE_PULL) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                     "use of <server> requires pull mode backup");
        return -1;
    }
    def->server = g_new0(backup_server, 1);
    if (server_parse_host(node, def->server) < 0)
        return -1;
    if (def->server->transport == BACKUP_TRANSPORT_RDMA) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                     "transport rdma is not supported for <server>");
        return -1;
    }
    if (def->server->transport == BACKUP_TRANSPORT_UNIX &&
        !g_path_is_absolute(def->server->socket)) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
                     "backup socket path '%s' must be absolute", def->server->socket);
        return -1;
    }
    return prop_enum(node, "tls", backup_tls_from_string, false, true, &def->tls) < 0 ? -1 : 0;
}

/* An attribute, NULL when absent or empty (libvirt's XPath string()). */
static char *nonempty_prop(xmlNodePtr node, const char *attr)
{
    g_autofree char *v = xml_prop(node, attr);

    return v && *v ? g_steal_pointer(&v) : NULL;
}

static int disk_parse_store(xmlNodePtr node, backup_disk_def *disk, bool push, bool internal)
{
    g_autofree char *type = xml_prop(node, "type");
    g_autofree char *token = type ? strict_token(type) : NULL;
    g_autofree char *format = nonempty_prop(xml_child(node, "driver"), "type");
    g_autofree char *ftoken = format ? strict_token(format) : NULL;
    g_autofree char *index = internal ? xml_prop(node, "index") : NULL;
    xmlNodePtr src = xml_child(node, push ? "target" : "scratch");

    if (!(disk->store = backup_store_parse_base(token, ftoken, index)))
        return -1;
    if (disk->store->type != DOMAIN_DISK_TYPE_FILE &&
        disk->store->type != DOMAIN_DISK_TYPE_BLOCK) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "unsupported disk backup type '%s'",
                     type);
        return -1;
    }
    return src ? backup_store_parse_source(disk->store, src) : 0;
}

static int disk_parse(xmlNodePtr node, backup_disk_def *disk, bool push, bool internal)
{
    int backup = YESNO_ABSENT;

    if (!(disk->name = xml_prop(node, "name"))) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "missing name from disk backup element");
        return -1;
    }
    if (prop_enum(node, "backup", yesno_from_string, false, true, &backup) < 0)
        return -1;
    disk->backup = backup != YESNO_NO;
    if (!disk->backup)
        return 0;
    if (!push) {
        disk->exportname = xml_prop(node, "exportname");
        disk->exportbitmap = xml_prop(node, "exportbitmap");
    }
    if (prop_enum(node, "backupmode", backup_disk_mode_from_string, false, false,
                  &disk->backupmode) < 0)
        return -1;
    disk->incremental = xml_prop(node, "incremental");
    if (internal && prop_enum(node, "state", backup_disk_state_from_string, true, false,
                              &disk->state) < 0)
        return -1;
    return disk_parse_store(node, disk, push, internal);
}

static void private_parse(xmlNodePtr root, backup_def *def)
{
    xmlNodePtr objects = xml_child(xml_child(root, "privateData"), "objects");

    for (xmlNodePtr s = xml_child(objects, "secret"); s && !def->tls_secret_alias;
         s = xml_next_named(s, "secret")) {
        g_autofree char *type = xml_prop(s, "type");
        if (g_strcmp0(type, "tlskey") == 0)
            def->tls_secret_alias = nonempty_prop(s, "alias");
    }
    def->tls_alias = nonempty_prop(xml_child(objects, "TLSx509"), "alias");
}

backup_def *backup_def_parse_node(xmlNodePtr root, unsigned int flags)
{
    g_autoptr(backup_def) def = backup_def_new();
    bool internal = flags & BACKUP_PARSE_INTERNAL;
    g_autofree char *mode = xml_prop(root, "mode");
    g_autofree char *incremental = xml_child_text(root, "incremental");
    xmlNodePtr server = xml_child(root, "server");
    xmlNodePtr disks = xml_child(root, "disks");
    size_t n = 0;

    g_return_val_if_fail(!(flags & ~BACKUP_PARSE_INTERNAL), NULL);
    if (!internal && !backup_schema_check(root))
        return NULL;

    def->type = BACKUP_TYPE_PUSH;
    if (mode) {
        g_autofree char *token = strict_token(mode);
        if ((def->type = backup_type_from_string(token)) <= 0) {
            error_report(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, "unknown backup mode '%s'",
                         mode);
            return NULL;
        }
    }
    if (incremental && *incremental)
        def->incremental = g_steal_pointer(&incremental);
    if (server && server_parse(server, def) < 0)
        return NULL;

    for (xmlNodePtr c = disks ? disks->children : NULL; c; c = c->next)
        n += c->type == XML_ELEMENT_NODE;
    def->disks = g_new0(backup_disk_def, n);
    for (xmlNodePtr c = disks ? disks->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (disk_parse(c, &def->disks[def->ndisks++], def->type == BACKUP_TYPE_PUSH,
                       internal) < 0)
            return NULL;
    }
    if (internal)
        private_parse(root, def);
    return g_steal_pointer(&def);
}

backup_def *backup_def_parse_string(const char *xml, unsigned int flags)
{
    g_autoptr(xmlDoc) doc = xml_parse(xml, "(domain_backup)", "domainbackup", VIR_FROM_DOMAIN);

    if (!doc)
        return NULL;
    return backup_def_parse_node(xmlDocGetRootElement(doc), flags);
}

/* -- formatting ------------------------------------------------------------------ */

static void disk_format(buf *b, const backup_disk_def *disk, bool push, bool internal)
{
    g_auto_buf attrs = BUF_INIT;
    g_auto_buf children = BUF_INIT;

    buf_set_indent(&children, b->indent + 2);
    buf_escapef(&attrs, " name='%s'", disk->name);
    buf_addf(&attrs, " backup='%s'", disk->backup ? "yes" : "no");
    if (internal && disk->state != BACKUP_DISK_STATE_NONE)
        buf_addf(&attrs, " state='%s'", backup_disk_state_to_string(disk->state));
    if (disk->backup && disk->store) {
        buf_addf(&attrs, " type='%s'", domain_disk_type_to_string(disk->store->type));
        if (disk->backupmode != BACKUP_DISK_MODE_DEFAULT)
            buf_addf(&attrs, " backupmode='%s'", backup_disk_mode_to_string(disk->backupmode));
        if (disk->incremental)
            buf_escapef(&attrs, " incremental='%s'", disk->incremental);
        if (disk->exportname)
            buf_escapef(&attrs, " exportname='%s'", disk->exportname);
        if (disk->exportbitmap)
            buf_escapef(&attrs, " exportbitmap='%s'", disk->exportbitmap);
        if (disk->store->index)
            buf_addf(&attrs, " index='%u'", disk->store->index);
        if (disk->store->format > 0)
            buf_addf(&children, "<driver type='%s'/>\n",
                     storage_format_to_string(disk->store->format));
        backup_store_format_source(&children, disk->store, push ? "target" : "scratch");
    }
    buf_element(b, "disk", &attrs, &children);
}

static void server_format(buf *b, const backup_def *def)
{
    const backup_server *server = def->server;

    if (!server)
        return;
    buf_addf(b, "<server transport='%s'", backup_transport_to_string(server->transport));
    if (def->tls != BACKUP_TLS_DEFAULT)
        buf_addf(b, " tls='%s'", backup_tls_to_string(def->tls));
    if (server->name)
        buf_escapef(b, " name='%s'", server->name);
    if (server->port)
        buf_addf(b, " port='%u'", server->port);
    if (server->socket)
        buf_escapef(b, " socket='%s'", server->socket);
    if (server->fdgroup)
        buf_escapef(b, " fdgroup='%s'", server->fdgroup);
    buf_add(b, "/>\n");
}

static void private_format(buf *b, const backup_def *def)
{
    if (!def->tls_secret_alias && !def->tls_alias)
        return;
    buf_add(b, "<privateData>\n  <objects>\n");
    buf_adjust_indent(b, 4);
    if (def->tls_secret_alias)
        buf_escapef(b, "<secret type='tlskey' alias='%s'/>\n", def->tls_secret_alias);
    if (def->tls_alias)
        buf_escapef(b, "<TLSx509 alias='%s'/>\n", def->tls_alias);
    buf_adjust_indent(b, -4);
    buf_add(b, "  </objects>\n</privateData>\n");
}

void backup_def_format_buf(buf *b, const backup_def *def, unsigned int flags)
{
    bool internal = flags & BACKUP_FORMAT_INTERNAL;
    g_auto_buf disks = BUF_INIT;

    buf_addf(b, "<domainbackup mode='%s'>\n", backup_type_to_string(def->type));
    buf_adjust_indent(b, 2);
    if (def->incremental)
        buf_escapef(b, "<incremental>%s</incremental>\n", def->incremental);
    server_format(b, def);
    buf_set_indent(&disks, b->indent + 2);
    for (size_t i = 0; i < def->ndisks; i++)
        disk_format(&disks, &def->disks[i], def->type == BACKUP_TYPE_PUSH, internal);
    buf_element(b, "disks", NULL, &disks);
    if (internal)
        private_format(b, def);
    buf_adjust_indent(b, -2);
    buf_add(b, "</domainbackup>\n");
}

char *backup_def_format(const backup_def *def, unsigned int flags)
{
    g_auto_buf b = BUF_INIT;

    backup_def_format_buf(&b, def, flags);
    return buf_steal(&b);
}

/* -- alignment ------------------------------------------------------------------ */

static bool dom_disk_empty(const domain_disk_def *disk)
{
    return domain_disk_is_empty(disk);
}

/* libvirt checks the actual type (a volume's pool type); volumes are not resolved
 * here, so only plain files qualify. */
static bool dom_disk_is_file(const domain_disk_def *disk)
{
    return disk->src->type == DOMAIN_DISK_TYPE_FILE;
}

/* Whether a backed-up disk can get its store (libvirt's virDomainBackupDefAssignStore
 * without the assignment); store is the requested one, NULL for unlisted disks. */
static bool store_assignable(const char *name, const backup_store *store,
                             const domain_disk_def *domdisk)
{
    if (dom_disk_empty(domdisk)) {
        if (store) {
            error_report(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s' has no media",
                         name);
            return false;
        }
        return true;
    }
    if ((!store || backup_store_is_empty(store)) && !dom_disk_is_file(domdisk)) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                     "refusing to generate file name for disk '%s'", name);
        return false;
    }
    return true;
}

static void store_assign(backup_disk_def *disk, const domain_disk_def *domdisk,
                         const char *suffix)
{
    if (dom_disk_empty(domdisk) || (disk->store && !backup_store_is_empty(disk->store)))
        return;
    if (!disk->store)
        disk->store = backup_store_new(DOMAIN_DISK_TYPE_FILE);
    disk->store->type = DOMAIN_DISK_TYPE_FILE;
    disk->store->path = g_strdup_printf("%s.%s", domdisk->src->path, suffix);
}

static bool backed_up_by_default(const domain_disk_def *domdisk)
{
    return !dom_disk_empty(domdisk) && !domdisk->readonly;
}

/* Every check of the alignment, before anything changes. */
static bool align_check(const backup_def *def, const domain_def *dom)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

    if (!dom->ndisks) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                     "domain must have at least one disk to perform backup");
        return false;
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        const backup_disk_def *disk = &def->disks[i];
        const domain_disk_def *domdisk = domain_disk_find_by_target(dom, disk->name);

        if (!domdisk) {
            error_report(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, "no disk named '%s'",
                         disk->name);
            return false;
        }
        if (!g_hash_table_add(seen, disk->name)) {
            error_report(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                         "disk '%s' specified twice", disk->name);
            return false;
        }
        if (disk->backupmode == BACKUP_DISK_MODE_INCREMENTAL && !disk->incremental &&
            !def->incremental) {
            error_report(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                         "'incremental' backup mode of disk '%s' requires setting "
                         "'incremental' field for disk or backup", disk->name);
            return false;
        }
        if (disk->backup && !store_assignable(disk->name, disk->store, domdisk))
            return false;
    }
    for (size_t i = 0; !def->ndisks && i < dom->ndisks; i++)
        if (backed_up_by_default(dom->disks[i]) &&
            !store_assignable(dom->disks[i]->dst, NULL, dom->disks[i]))
            return false;
    return true;
}

int backup_def_align_disks(backup_def *def, const domain_def *dom, const char *suffix)
{
    bool backup_all = def->ndisks == 0;
    size_t n = def->ndisks;

    if (!align_check(def, dom))
        return -1;

    for (size_t i = 0; i < def->ndisks; i++)
        if (def->disks[i].backup)
            store_assign(&def->disks[i], domain_disk_find_by_target(dom, def->disks[i].name), suffix);

    def->disks = g_renew(backup_disk_def, def->disks, dom->ndisks);
    for (size_t i = 0; i < dom->ndisks; i++) {
        const domain_disk_def *domdisk = dom->disks[i];
        backup_disk_def *disk;
        bool listed = false;

        for (size_t j = 0; j < def->ndisks && !listed; j++)
            listed = g_strcmp0(def->disks[j].name, domdisk->dst) == 0;
        if (listed)
            continue;
        disk = &def->disks[n++];
        memset(disk, 0, sizeof(*disk));
        disk->name = g_strdup(domdisk->dst);
        disk->backup = backup_all && backed_up_by_default(domdisk);
        if (disk->backup)
            store_assign(disk, domdisk, suffix);
    }
    def->ndisks = n;

    for (size_t i = 0; i < def->ndisks; i++) {
        backup_disk_def *disk = &def->disks[i];

        if (disk->backupmode == BACKUP_DISK_MODE_DEFAULT)
            disk->backupmode = def->incremental || disk->incremental ?
                               BACKUP_DISK_MODE_INCREMENTAL : BACKUP_DISK_MODE_FULL;
        if (!disk->incremental && disk->backupmode == BACKUP_DISK_MODE_INCREMENTAL)
            disk->incremental = g_strdup(def->incremental);
    }
    return 0;
}
