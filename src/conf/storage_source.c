/* A new disk image as snapshot and backup XML describe it: its <source> and format. */
#include "conf/storage_source.h"

#include <string.h>
#include "util/error.h"
#include "util/xml.h"

ENUM_IMPL(storage_tristate, STORAGE_TRISTATE_LAST, "default", "yes", "no")

/* The port a TCP host of protocol gets when it names none (0: none). */
static const unsigned int default_ports[STORAGE_PROTOCOL_LAST] = {
    [STORAGE_PROTOCOL_NBD] = 10809, [STORAGE_PROTOCOL_SHEEPDOG] = 7000,
    [STORAGE_PROTOCOL_GLUSTER] = 24007, [STORAGE_PROTOCOL_ISCSI] = 3260,
    [STORAGE_PROTOCOL_HTTP] = 80, [STORAGE_PROTOCOL_HTTPS] = 443,
    [STORAGE_PROTOCOL_FTP] = 21, [STORAGE_PROTOCOL_FTPS] = 990,
    [STORAGE_PROTOCOL_TFTP] = 69, [STORAGE_PROTOCOL_SSH] = 22,
    [STORAGE_PROTOCOL_VXHS] = 9999,
};

storage_source *storage_source_new(int type)
{
    storage_source *src = g_new0(storage_source, 1);

    src->type = type;
    return src;
}

static void hosts_free(storage_host *hosts, size_t n)
{
    for (size_t i = 0; hosts && i < n; i++) {
        g_free(hosts[i].name);
        g_free(hosts[i].socket);
    }
    g_free(hosts);
}

void storage_source_free(storage_source *src)
{
    if (!src)
        return;
    g_free(src->path);
    g_free(src->query);
    hosts_free(src->hosts, src->nhosts);
    storage_auth_free(src->auth);
    seclabels_free(src->seclabels, src->nseclabels);
    storage_encryption_free(src->encryption);
    g_free(src);
}

storage_source *storage_source_copy(const storage_source *src)
{
    storage_source *copy;

    if (!src)
        return NULL;
    copy = g_new(storage_source, 1);
    *copy = *src;
    copy->path = g_strdup(src->path);
    copy->query = g_strdup(src->query);
    copy->hosts = src->nhosts ? g_new(storage_host, src->nhosts) : NULL;
    for (size_t i = 0; i < src->nhosts; i++) {
        copy->hosts[i] = src->hosts[i];
        copy->hosts[i].name = g_strdup(src->hosts[i].name);
        copy->hosts[i].socket = g_strdup(src->hosts[i].socket);
    }
    copy->auth = storage_auth_copy(src->auth);
    copy->seclabels = seclabels_copy(src->seclabels, src->nseclabels);
    copy->encryption = storage_encryption_copy(src->encryption);
    return copy;
}

/* --- network sources ------------------------------------------------------------ */

/* port= of a <host> (libvirt's virStringParsePort). */
static int port_parse(const char *text, unsigned int *ret)
{
    unsigned int port;

    if (!parse_uint(text, &port)) {
        error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "failed to parse port number '%s'", text);
        return -1;
    }
    if (port > 65535) {
        error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "port '%s' out of range", text);
        return -1;
    }
    *ret = port;
    return 0;
}

static int host_parse(xmlNodePtr node, storage_host *host)
{
    g_autofree char *transport = xml_prop(node, "transport");
    g_autofree char *port = NULL;

    if (transport && (host->transport = storage_transport_from_string(transport)) < 0) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                     "unknown protocol transport type '%s'", transport);
        return -1;
    }
    host->socket = xml_prop(node, "socket");
    if (host->transport == STORAGE_TRANSPORT_UNIX && !host->socket) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "missing socket for unix transport");
        return -1;
    }
    if (host->transport != STORAGE_TRANSPORT_UNIX && host->socket) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
                     "transport '%s' does not support socket attribute",
                     transport ? transport : "(null)");
        return -1;
    }
    if (host->transport == STORAGE_TRANSPORT_UNIX)
        return 0;
    if (!(host->name = xml_prop(node, "name"))) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "missing name for host");
        return -1;
    }
    if ((port = xml_prop(node, "port")) && port_parse(port, &host->port) < 0)
        return -1;
    return 0;
}

static int hosts_parse(xmlNodePtr node, storage_source *src)
{
    size_t n = 0;

    for (xmlNodePtr h = xml_child(node, "host"); h; h = xml_next_named(h, "host"))
        n++;
    src->hosts = n ? g_new0(storage_host, n) : NULL;
    for (xmlNodePtr h = xml_child(node, "host"); h; h = xml_next_named(h, "host")) {
        storage_host *host = &src->hosts[src->nhosts++];

        if (host_parse(h, host) < 0)
            return -1;
        if (host->transport == STORAGE_TRANSPORT_TCP && host->port == 0)
            host->port = default_ports[src->protocol];
    }
    return 0;
}

/* gluster and rbd names are "<pool or volume>/<image>". */
static bool network_name_splits(const storage_source *src)
{
    const char *slash;

    if (src->protocol != STORAGE_PROTOCOL_GLUSTER && src->protocol != STORAGE_PROTOCOL_RBD)
        return true;
    if (!src->path || !(slash = strchr(src->path, '/')) || slash == src->path) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
                     "can't split path '%s' into pool name and image name",
                     src->path ? src->path : "(null)");
        return false;
    }
    return true;
}

static int network_parse(xmlNodePtr node, storage_source *src)
{
    g_autofree char *protocol = xml_prop_required(node, "protocol");

    if (!protocol)
        return -1;
    if (xml_prop_enum(node, "protocol", storage_protocol_from_string, &src->protocol) < 0)
        return -1;
    src->path = xml_prop(node, "name");
    if (!src->path && src->protocol != STORAGE_PROTOCOL_NBD) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, "missing name for disk source");
        return -1;
    }
    if (src->path && !network_name_splits(src))
        return -1;
    if (src->protocol == STORAGE_PROTOCOL_HTTP || src->protocol == STORAGE_PROTOCOL_HTTPS)
        src->query = xml_prop(node, "query");
    if (xml_prop_enum_nonzero(node, "tls", storage_tristate_from_string, &src->tls) < 0)
        return -1;
    return hosts_parse(node, src);
}

static void network_format(buf *attrs, buf *children, const storage_source *src)
{
    buf_addf(attrs, " protocol='%s'", storage_protocol_to_string(src->protocol));
    if (src->path)
        buf_escapef(attrs, " name='%s'", src->path);
    if (src->query)
        buf_escapef(attrs, " query='%s'", src->query);
    if (src->tls != STORAGE_TRISTATE_ABSENT)
        buf_addf(attrs, " tls='%s'", storage_tristate_to_string(src->tls));
    for (size_t i = 0; i < src->nhosts; i++) {
        const storage_host *h = &src->hosts[i];

        buf_add(children, "<host");
        if (h->name)
            buf_escapef(children, " name='%s'", h->name);
        if (h->port)
            buf_addf(children, " port='%u'", h->port);
        if (h->transport != STORAGE_TRANSPORT_TCP)
            buf_addf(children, " transport='%s'", storage_transport_to_string(h->transport));
        if (h->socket)
            buf_escapef(children, " socket='%s'", h->socket);
        buf_add(children, "/>\n");
    }
}

/* --- any source -------------------------------------------------------------------- */

static int path_parse(xmlNodePtr node, storage_source *src)
{
    switch (src->type) {
    case DOMAIN_DISK_TYPE_FILE:
        src->path = xml_prop(node, "file");
        return 0;
    case DOMAIN_DISK_TYPE_BLOCK:
        src->path = xml_prop(node, "dev");
        return 0;
    case DOMAIN_DISK_TYPE_DIR:
        src->path = xml_prop(node, "dir");
        return 0;
    case DOMAIN_DISK_TYPE_NETWORK:
        return network_parse(node, src);
    default:
        return 0;   /* volume, nvme, vhostuser: nothing a new image could use */
    }
}

int storage_source_parse(storage_source *src, xmlNodePtr node)
{
    xmlNodePtr child;

    if (path_parse(node, src) < 0)
        return -1;
    if ((child = xml_child(node, "auth")) && !(src->auth = storage_auth_parse(child)))
        return -1;
    if ((child = xml_child(node, "encryption")) &&
        !(src->encryption = storage_encryption_parse(child)))
        return -1;
    if (seclabels_parse(node, &src->seclabels, &src->nseclabels) < 0)
        return -1;
    /* An empty path means no path, as libvirt reads it. */
    if (src->path && !*src->path)
        g_clear_pointer(&src->path, g_free);
    return 0;
}

bool storage_source_is_relative(const storage_source *src)
{
    return (src->type == DOMAIN_DISK_TYPE_FILE || src->type == DOMAIN_DISK_TYPE_BLOCK ||
            src->type == DOMAIN_DISK_TYPE_DIR) && src->path && src->path[0] != '/';
}

void storage_source_format(buf *b, const storage_source *src, const char *element)
{
    g_auto_buf attrs = BUF_INIT;
    g_auto_buf children = { .indent = b->indent + 2 };

    switch (src->type) {
    case DOMAIN_DISK_TYPE_FILE:
        if (src->path)
            buf_escapef(&attrs, " file='%s'", src->path);
        break;
    case DOMAIN_DISK_TYPE_BLOCK:
        if (src->path)
            buf_escapef(&attrs, " dev='%s'", src->path);
        break;
    case DOMAIN_DISK_TYPE_DIR:
        if (src->path)
            buf_escapef(&attrs, " dir='%s'", src->path);
        break;
    case DOMAIN_DISK_TYPE_NETWORK:
        network_format(&attrs, &children, src);
        break;
    default:
        break;
    }
    if (src->type != DOMAIN_DISK_TYPE_NETWORK)
        seclabels_format(&children, src->seclabels, src->nseclabels);
    if (src->auth)
        storage_auth_format(&children, src->auth);
    if (src->encryption)
        storage_encryption_format(&children, src->encryption);
    buf_element(b, element, &attrs, &children);
}

/* --- <driver> ----------------------------------------------------------------------- */

/* Multiply value by the unit's scale (libvirt's virScaleInteger). */
static int scale_unit(const char *unit, unsigned long long scale, unsigned long long max,
                      unsigned long long *value)
{
    if (unit && *unit) {
        unsigned long long base;

        if (!g_ascii_strcasecmp(unit, "b") || !g_ascii_strcasecmp(unit, "byte") ||
            !g_ascii_strcasecmp(unit, "bytes")) {
            base = 0;
        } else if (!unit[1] || !g_ascii_strcasecmp(unit + 1, "iB")) {
            base = 1024;
        } else if (g_ascii_tolower(unit[1]) == 'b' && !unit[2]) {
            base = 1000;
        } else {
            error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "unknown suffix '%s'", unit);
            return -1;
        }
        scale = 1;
        if (base) {
            const char *p = strchr("kmgtpe", g_ascii_tolower(unit[0]));
            if (!p || !unit[0]) {
                error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "unknown suffix '%s'", unit);
                return -1;
            }
            for (const char *q = "kmgtpe"; q <= p; q++)
                scale *= base;
        }
    }
    if (*value && *value > max / scale) {
        error_report(VIR_FROM_NONE, VIR_ERR_OVERFLOW, "value too large: %llu%s", *value,
                     unit ? unit : "");
        return -1;
    }
    *value *= scale;
    return 0;
}

int parse_scaled(const char *what, const char *text, const char *unit, unsigned long long scale,
                 unsigned long long max, unsigned long long *ret)
{
    unsigned long long value;

    if (strchr(text, '-') || !parse_ull(text, &value))
        goto invalid;
    if (scale_unit(unit, scale, max, &value) < 0)
        return -1;
    *ret = value;
    return 0;

 invalid:
    error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                 "Invalid value '%s' for element or attribute '%s'", text, what);
    return -1;
}

int storage_source_parse_driver(storage_source *src, xmlNodePtr driver, const char *what,
                                int err_domain)
{
    g_autofree char *type = xml_prop(driver, "type");
    xmlNodePtr max = xml_child(xml_child(driver, "metadata_cache"), "max_size");
    g_autofree char *size = max ? xml_text(max) : NULL;
    g_autofree char *unit = max ? xml_prop(max, "unit") : NULL;

    if (type && *type && (src->format = storage_format_from_string(type)) <= 0) {
        src->format = STORAGE_FORMAT_NONE;
        error_report(err_domain, VIR_ERR_CONFIG_UNSUPPORTED, "unknown %s driver '%s'", what, type);
        return -1;
    }
    if (size && *size &&
        parse_scaled("./driver/metadata_cache/max_size", size, unit, 1, G_MAXUINT64,
                     &src->metadata_cache_max_size) < 0)
        return -1;
    return 0;
}

void storage_source_format_driver(buf *b, const storage_source *src)
{
    g_auto_buf attrs = BUF_INIT;
    g_auto_buf children = { .indent = b->indent + 2 };

    if (src->format > 0)
        buf_addf(&attrs, " type='%s'", storage_format_to_string(src->format));
    if (src->metadata_cache_max_size > 0) {
        g_auto_buf cache = { .indent = b->indent + 4 };

        buf_addf(&cache, "<max_size unit='bytes'>%llu</max_size>\n", src->metadata_cache_max_size);
        buf_element(&children, "metadata_cache", NULL, &cache);
    }
    buf_element(b, "driver", &attrs, &children);
}
