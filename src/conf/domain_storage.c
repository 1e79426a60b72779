/* Disk sources: where an image lives (<source>, <host>) and its <backingStore> chain. */
#include "conf/domain_priv.h"

#include <string.h>

ENUM_IMPL(domain_disk_type, DOMAIN_DISK_TYPE_LAST,
          "none", "file", "block", "dir", "network", "volume", "nvme", "vhostuser")
ENUM_IMPL(storage_format, STORAGE_FORMAT_LAST,
          "none", "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat", "vhd",
          "ploop", "cow", "qcow", "qcow2", "qed", "vmdk")
ENUM_IMPL(storage_protocol, STORAGE_PROTOCOL_LAST,
          "none", "nbd", "rbd", "sheepdog", "gluster", "iscsi", "http", "https", "ftp", "ftps",
          "tftp", "ssh", "vxhs", "nfs")
ENUM_IMPL(storage_transport, STORAGE_TRANSPORT_LAST, "tcp", "unix", "rdma")

static const char *const source_attrs[] = {
    "file", "dev", "dir", "protocol", "name", "query", "tls", "tlsHostname", "pool", "volume",
    "mode", "type", "path", "managed", "namespace", "startupPolicy", "index", NULL,
};
static const char *const source_children[] = {
    "host", "snapshot", "config", "reconnect", "initiator", "ssl", "cookies", "readahead",
    "timeout", "address", "slices", "seclabel", "auth", "encryption", "reservations",
    "privateData", NULL,
};
static const xml_order source_order = { source_attrs, source_children };

static const char *const host_attrs[] = { "name", "port", "transport", "socket", NULL };
static const xml_order host_order = { host_attrs, NULL };

static const char *const backing_children[] = { "format", "source", "backingStore", NULL };
static const xml_order backing_order = { (const char *const[]){ "type", "index", NULL },
                                         backing_children };

/* Which <source> attribute holds the path of a local source. */
static const char *path_attr(int type)
{
    switch (type) {
    case DOMAIN_DISK_TYPE_FILE: return "file";
    case DOMAIN_DISK_TYPE_BLOCK: return "dev";
    case DOMAIN_DISK_TYPE_DIR: return "dir";
    default: return NULL;
    }
}

domain_disk_source *domain_disk_source_new(void)
{
    return g_new0(domain_disk_source, 1);
}

void domain_disk_source_free(domain_disk_source *src)
{
    while (src) {
        domain_disk_source *next = src->backing;
        g_free(src->path);
        g_free(src->pool);
        g_free(src->volume);
        g_free(src->name);
        for (size_t i = 0; i < src->nhosts; i++) {
            g_free(src->hosts[i].name);
            g_free(src->hosts[i].socket);
            xml_extra_clear(&src->hosts[i].extra);
        }
        g_free(src->hosts);
        xml_extra_clear(&src->src_extra);
        xml_extra_clear(&src->extra);
        g_free(src);
        src = next;
    }
}

domain_disk_source *domain_disk_source_copy(const domain_disk_source *src)
{
    domain_disk_source *c;

    if (!src)
        return NULL;
    c = domain_disk_source_new();
    c->type = src->type;
    c->format = src->format;
    c->path = g_strdup(src->path);
    c->pool = g_strdup(src->pool);
    c->volume = g_strdup(src->volume);
    c->protocol = src->protocol;
    c->name = g_strdup(src->name);
    c->index = src->index;
    c->hosts = g_new0(domain_disk_host, src->nhosts);
    c->nhosts = src->nhosts;
    for (size_t i = 0; i < src->nhosts; i++) {
        c->hosts[i].name = g_strdup(src->hosts[i].name);
        c->hosts[i].port = src->hosts[i].port;
        c->hosts[i].transport = src->hosts[i].transport;
        c->hosts[i].socket = g_strdup(src->hosts[i].socket);
        xml_extra_copy(&c->hosts[i].extra, &src->hosts[i].extra);
    }
    xml_extra_copy(&c->src_extra, &src->src_extra);
    xml_extra_copy(&c->extra, &src->extra);
    c->backing = domain_disk_source_copy(src->backing);
    return c;
}

/* libvirt's default port for each protocol over TCP (0: none). */
static unsigned int default_port(int protocol)
{
    static const unsigned int ports[STORAGE_PROTOCOL_LAST] = {
        [STORAGE_PROTOCOL_NBD] = 10809, [STORAGE_PROTOCOL_SHEEPDOG] = 7000,
        [STORAGE_PROTOCOL_GLUSTER] = 24007, [STORAGE_PROTOCOL_ISCSI] = 3260,
        [STORAGE_PROTOCOL_HTTP] = 80, [STORAGE_PROTOCOL_HTTPS] = 443,
        [STORAGE_PROTOCOL_FTP] = 21, [STORAGE_PROTOCOL_FTPS] = 990,
        [STORAGE_PROTOCOL_TFTP] = 69, [STORAGE_PROTOCOL_SSH] = 22,
        [STORAGE_PROTOCOL_VXHS] = 9999,
    };
    return protocol > 0 && protocol < STORAGE_PROTOCOL_LAST ? ports[protocol] : 0;
}

static int parse_host(domain_disk_host *h, xmlNodePtr node, int protocol)
{
    g_autofree char *transport = xml_prop(node, "transport");
    g_autofree char *port = xml_prop(node, "port");

    if (transport && (h->transport = storage_transport_from_string(transport)) < 0) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED, "unknown protocol transport type '%s'",
                     transport);
        return -1;
    }
    h->socket = xml_prop(node, "socket");
    h->name = xml_prop(node, "name");
    if (h->transport == STORAGE_TRANSPORT_UNIX && !h->socket) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR, "missing socket for unix transport");
        return -1;
    }
    if (h->transport != STORAGE_TRANSPORT_UNIX && !h->name) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR, "missing name for host");
        return -1;
    }
    if (port && (!parse_uint(port, &h->port) || h->port > 65535)) {
        error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "failed to parse port number '%s'", port);
        return -1;
    }
    if (h->transport == STORAGE_TRANSPORT_TCP && h->port == 0)
        h->port = default_port(protocol);
    xml_extra_collect(&h->extra, node, &host_order, host_attrs, NULL, NULL);
    return 0;
}

static int parse_network(domain_disk_source *src, xmlNodePtr node)
{
    g_autofree char *protocol = xml_prop(node, "protocol");

    if (!protocol) {
        dom_report_missing_attr(node, "protocol");
        return -1;
    }
    src->protocol = storage_protocol_from_string(protocol);
    if (src->protocol <= STORAGE_PROTOCOL_NONE) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                     "Invalid value for attribute 'protocol' in element 'source': '%s'.", protocol);
        return -1;
    }
    src->name = xml_prop(node, "name");
    if (!src->name && src->protocol != STORAGE_PROTOCOL_NBD) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR, "missing name for disk source");
        return -1;
    }
    for (xmlNodePtr h = xml_child(node, "host"); h; h = xml_next_named(h, "host")) {
        src->hosts = g_renew(domain_disk_host, src->hosts, src->nhosts + 1);
        memset(&src->hosts[src->nhosts], 0, sizeof(*src->hosts));
        if (parse_host(&src->hosts[src->nhosts++], h, src->protocol) < 0)
            return -1;
    }
    return 0;
}

int domain_disk_source_parse(domain_disk_source *src, xmlNodePtr node, const domain_parse_ctx *ctx)
{
    const char *attr = path_attr(src->type);

    if (attr) {
        src->path = xml_prop(node, attr);
        if (src->path && !*src->path)
            g_clear_pointer(&src->path, g_free);
    } else if (src->type == DOMAIN_DISK_TYPE_NETWORK) {
        if (parse_network(src, node) < 0)
            return -1;
    } else if (src->type == DOMAIN_DISK_TYPE_VOLUME) {
        src->pool = xml_prop(node, "pool");
        src->volume = xml_prop(node, "volume");
        if (!src->pool != !src->volume) {
            error_report(DOM_FROM, VIR_ERR_XML_ERROR,
                         "'pool' and 'volume' must be specified together for 'pool' type source");
            return -1;
        }
    }
    if (ctx->flags & DOMAIN_PARSE_STATUS) {
        unsigned int index = 0;
        if (dom_prop_uint(node, "index", &index, NULL) < 0)
            return -1;
        src->index = index;
    }
    xml_extra_collect(&src->src_extra, node, &source_order,
                      (const char *const[]){ "file", "dev", "dir", "protocol", "name", "pool",
                                             "volume", "index", NULL },
                      (const char *const[]){ "host", NULL }, NULL);
    return 0;
}

static domain_disk_source *parse_backing(xmlNodePtr node, const domain_parse_ctx *ctx);

/* <backingStore type=...> with <format>, <source> and maybe a nested <backingStore>. */
static domain_disk_source *parse_backing_layer(xmlNodePtr node, const char *type,
                                               const domain_parse_ctx *ctx)
{
    g_autoptr(domain_disk_source) src = domain_disk_source_new();
    xmlNodePtr format = xml_child(node, "format");
    xmlNodePtr source = xml_child(node, "source");
    xmlNodePtr next = xml_child(node, "backingStore");
    g_autofree char *fmt = xml_prop(format, "type");

    if (!fmt) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR, "missing disk backing store format");
        return NULL;
    }
    if ((src->format = storage_format_from_string(fmt)) <= STORAGE_FORMAT_NONE) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR, "unknown storage source format '%s'", fmt);
        return NULL;
    }
    if ((src->type = domain_disk_type_from_string(type)) <= DOMAIN_DISK_TYPE_NONE) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR, "unknown storage source type '%s'", type);
        return NULL;
    }
    if (!source) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR, "missing disk backing store source");
        return NULL;
    }
    if (domain_disk_source_parse(src, source, ctx) < 0)
        return NULL;
    if (ctx->flags & DOMAIN_PARSE_STATUS) {
        unsigned int index = 0;
        if (dom_prop_uint(node, "index", &index, NULL) < 0)
            return NULL;
        src->index = index;
    }
    if (next && !(src->backing = parse_backing(next, ctx)))
        return NULL;
    xml_extra_collect(&src->extra, node, &backing_order,
                      (const char *const[]){ "type", "index", NULL }, backing_children, NULL);
    return g_steal_pointer(&src);
}

static domain_disk_source *parse_backing(xmlNodePtr node, const domain_parse_ctx *ctx)
{
    g_autofree char *type = xml_prop(node, "type");

    if (!type)      /* <backingStore/>: the chain ends here */
        return domain_disk_source_new();
    return parse_backing_layer(node, type, ctx);
}

int domain_disk_backing_parse(domain_disk_source *top, xmlNodePtr node, const domain_parse_ctx *ctx)
{
    top->backing = parse_backing(node, ctx);
    return top->backing ? 0 : -1;
}

bool domain_disk_source_is_empty(const domain_disk_source *src)
{
    switch (src->type) {
    case DOMAIN_DISK_TYPE_NONE:
        return true;
    case DOMAIN_DISK_TYPE_FILE:
    case DOMAIN_DISK_TYPE_BLOCK:
    case DOMAIN_DISK_TYPE_DIR:
        return !src->path;
    case DOMAIN_DISK_TYPE_NETWORK:
        return src->protocol == STORAGE_PROTOCOL_NONE;
    case DOMAIN_DISK_TYPE_VOLUME:
        return !src->pool && !src->volume;
    default:
        return xml_extra_is_empty(&src->src_extra);
    }
}

static void format_host(buf *b, const domain_disk_host *h)
{
    g_auto_buf attrs = BUF_INIT;
    xml_extra_cursor c = xml_extra_cursor_init(&h->extra, &host_order);

    if (h->name)
        buf_escapef(&attrs, " name='%s'", h->name);
    if (h->port)
        buf_addf(&attrs, " port='%u'", h->port);
    if (h->transport != STORAGE_TRANSPORT_TCP)
        buf_addf(&attrs, " transport='%s'", storage_transport_to_string(h->transport));
    if (h->socket)
        buf_escapef(&attrs, " socket='%s'", h->socket);
    xml_extra_attrs_before(&c, &attrs, NULL);
    buf_addf(b, "<host%s/>\n", buf_peek(&attrs));
}

static void format_source_attrs(buf *attrs, const domain_disk_source *src, xml_extra_cursor *c)
{
    const char *attr = path_attr(src->type);

    if (attr && src->path)
        buf_escapef(attrs, " %s='%s'", attr, src->path);
    if (src->type == DOMAIN_DISK_TYPE_NETWORK) {
        buf_addf(attrs, " protocol='%s'", storage_protocol_to_string(src->protocol));
        if (src->name)
            buf_escapef(attrs, " name='%s'", src->name);
    }
    xml_extra_attrs_before(c, attrs, "pool");
    if (src->pool)
        buf_escapef(attrs, " pool='%s'", src->pool);
    if (src->volume)
        buf_escapef(attrs, " volume='%s'", src->volume);
    xml_extra_attrs_before(c, attrs, "index");
}

void domain_disk_source_format(buf *b, const domain_disk_source *src, bool with_index,
                               unsigned int flags)
{
    g_auto_buf attrs = BUF_INIT;
    g_auto_buf children = BUF_INIT;
    xml_extra_cursor c = xml_extra_cursor_init(&src->src_extra, &source_order);

    format_source_attrs(&attrs, src, &c);
    if (with_index && src->index && !(flags & DOMAIN_FORMAT_INACTIVE))
        buf_addf(&attrs, " index='%u'", src->index);
    xml_extra_attrs_before(&c, &attrs, NULL);
    buf_set_indent(&children, b->indent + 2);
    for (size_t i = 0; i < src->nhosts; i++)
        format_host(&children, &src->hosts[i]);
    xml_extra_children_before(&c, &children, NULL);
    buf_element(b, "source", &attrs, &children);
}

void domain_disk_backing_format(buf *b, const domain_disk_source *bs, unsigned int flags)
{
    xml_extra_cursor c;

    if (!bs)
        return;
    if (bs->type == DOMAIN_DISK_TYPE_NONE) {
        buf_add(b, "<backingStore/>\n");
        return;
    }
    c = xml_extra_cursor_init(&bs->extra, &backing_order);
    buf_addf(b, "<backingStore type='%s'", domain_disk_type_to_string(bs->type));
    if (bs->index && !(flags & DOMAIN_FORMAT_INACTIVE))
        buf_addf(b, " index='%u'", bs->index);
    buf_add(b, ">\n");
    buf_adjust_indent(b, 2);
    xml_extra_children_before(&c, b, "format");
    if (bs->format)
        buf_addf(b, "<format type='%s'/>\n", storage_format_to_string(bs->format));
    xml_extra_children_before(&c, b, "source");
    domain_disk_source_format(b, bs, false, flags);
    xml_extra_children_before(&c, b, "backingStore");
    domain_disk_backing_format(b, bs->backing, flags);
    xml_extra_children_before(&c, b, NULL);
    buf_adjust_indent(b, -2);
    buf_add(b, "</backingStore>\n");
}
