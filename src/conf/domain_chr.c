/* Character devices: <serial>, <parallel>, <console> and <channel>. */
#include "conf/domain_priv.h"

#include <string.h>

ENUM_IMPL(domain_chr_device, DOMAIN_CHR_DEVICE_LAST, "parallel", "serial", "console", "channel")
ENUM_IMPL(domain_chr, DOMAIN_CHR_LAST,
          "null", "vc", "pty", "dev", "file", "pipe", "stdio", "udp", "tcp", "unix", "spicevmc",
          "spiceport", "nmdm", "qemu-vdagent", "dbus")

static const char *const serial_targets[] = {
    "isa-serial", "usb-serial", "pci-serial", "spapr-vio-serial", "system-serial",
    "sclp-serial", "isa-debug", NULL,
};
static const char *const console_targets[] = {
    "serial", "xen", "uml", "virtio", "lxc", "openvz", "sclp", "sclplm", NULL,
};
static const char *const channel_targets[] = { "guestfwd", "virtio", "xen", NULL };

static const char *const chr_children[] = {
    "source", "protocol", "log", "target", "boot", "alias", "rom", "acpi", "address", NULL,
};
static const xml_order chr_order = { (const char *const[]){ "type", "tty", NULL }, chr_children };
static const char *const source_attrs[] = {
    "mode", "path", "append", "host", "service", "tls", "channel", "master", "slave", NULL,
};
static const xml_order source_order = { source_attrs, NULL };
static const char *const target_attrs[] = { "type", "name", "state", "address", "port", NULL };
static const xml_order target_order = { target_attrs, NULL };

void domain_chr_def_free(domain_chr_def *chr)
{
    if (!chr)
        return;
    g_free(chr->source_mode);
    g_free(chr->source_path);
    xml_extra_clear(&chr->source_extra);
    g_free(chr->target_type);
    g_free(chr->target_name);
    g_free(chr->target_state);
    xml_extra_clear(&chr->target_extra);
    domain_device_info_clear(&chr->info);
    xml_extra_clear(&chr->extra);
    g_free(chr);
}

domain_chr_def *domain_chr_copy(const domain_chr_def *chr)
{
    domain_chr_def *c = g_new0(domain_chr_def, 1);

    c->device = chr->device;
    c->type = chr->type;
    c->source_mode = g_strdup(chr->source_mode);
    c->source_path = g_strdup(chr->source_path);
    c->has_source = chr->has_source;
    xml_extra_copy(&c->source_extra, &chr->source_extra);
    c->target_type = g_strdup(chr->target_type);
    c->target_port = chr->target_port;
    c->target_name = g_strdup(chr->target_name);
    c->has_target = chr->has_target;
    xml_extra_copy(&c->extra, &chr->extra);
    /* the target's extras and the device info belong to the original device */
    return c;
}

static bool in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static int parse_source(domain_chr_def *chr, xmlNodePtr node, const domain_parse_ctx *ctx)
{
    chr->has_source = true;
    chr->source_mode = xml_prop(node, "mode");
    /* a pty's path is assigned when the domain runs */
    if (chr->type != DOMAIN_CHR_PTY || (ctx->flags & DOMAIN_PARSE_STATUS))
        chr->source_path = xml_prop(node, "path");
    xml_extra_collect(&chr->source_extra, node, &source_order,
                      (const char *const[]){ "mode", "path", NULL }, NULL, NULL);
    return 0;
}

static int parse_target(domain_chr_def *chr, xmlNodePtr node, const domain_parse_ctx *ctx)
{
    const char *const *types = chr->device == DOMAIN_CHR_DEVICE_SERIAL ? serial_targets
                             : chr->device == DOMAIN_CHR_DEVICE_CONSOLE ? console_targets
                             : chr->device == DOMAIN_CHR_DEVICE_CHANNEL ? channel_targets : NULL;
    g_autofree char *port = xml_prop(node, "port");

    chr->has_target = true;
    chr->target_type = xml_prop(node, "type");
    if (chr->target_type && (!types || !in_list(types, chr->target_type))) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                     "unknown target type '%s' specified for character device", chr->target_type);
        return -1;
    }
    if (port && (!parse_int(port, &chr->target_port) || chr->target_port < 0)) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR, "Invalid port number: %s", port);
        return -1;
    }
    chr->target_name = xml_prop(node, "name");
    if (ctx->flags & DOMAIN_PARSE_STATUS)
        chr->target_state = xml_prop(node, "state");
    xml_extra_collect(&chr->target_extra, node, &target_order,
                      (const char *const[]){ "type", "name", "state", "port", NULL }, NULL, NULL);
    return 0;
}

domain_chr_def *domain_chr_parse(xmlNodePtr node, int device, const domain_parse_ctx *ctx)
{
    g_autoptr(domain_chr_def) chr = g_new0(domain_chr_def, 1);
    g_autofree char *type = xml_prop(node, "type");
    xmlNodePtr n;

    chr->device = device;
    chr->type = DOMAIN_CHR_PTY;
    chr->target_port = -1;
    if (type && (chr->type = domain_chr_from_string(type)) < 0) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                     "unknown type presented to host for character device: %s", type);
        return NULL;
    }
    if ((n = xml_child(node, "source")) && parse_source(chr, n, ctx) < 0)
        return NULL;
    if ((n = xml_child(node, "target")) && parse_target(chr, n, ctx) < 0)
        return NULL;
    if (device == DOMAIN_CHR_DEVICE_CHANNEL && !chr->target_type) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR,
                     "target type must be specified for channel device");
        return NULL;
    }
    if (domain_device_info_parse(&chr->info, node, ctx) < 0)
        return NULL;
    /* only the first <source> and <target> are modelled; a udp's second source stays */
    xml_extra_collect(&chr->extra, node, &chr_order, (const char *const[]){ "type", "tty", NULL },
                      (const char *const[]){ "target", "boot", "alias", "address", NULL },
                      ctx->skip_ns);
    if (chr->has_source)
        xml_extra_remove_node(&chr->extra, "source");
    return g_steal_pointer(&chr);
}

bool domain_chr_source_equal(const domain_chr_def *a, const domain_chr_def *b)
{
    g_auto_buf ba = BUF_INIT;
    g_auto_buf bb = BUF_INIT;

    if (a->type != b->type || g_strcmp0(a->source_mode, b->source_mode) != 0 ||
        g_strcmp0(a->source_path, b->source_path) != 0)
        return false;
    {
        xml_extra_cursor ca = xml_extra_cursor_init(&a->source_extra, &source_order);
        xml_extra_cursor cb = xml_extra_cursor_init(&b->source_extra, &source_order);
        xml_extra_attrs_before(&ca, &ba, NULL);
        xml_extra_children_before(&ca, &ba, NULL);
        xml_extra_attrs_before(&cb, &bb, NULL);
        xml_extra_children_before(&cb, &bb, NULL);
    }
    return strcmp(buf_peek(&ba), buf_peek(&bb)) == 0;
}

static void format_source(buf *b, const domain_chr_def *chr, unsigned int flags)
{
    g_auto_buf attrs = BUF_INIT;
    g_auto_buf children = BUF_INIT;
    xml_extra_cursor c = xml_extra_cursor_init(&chr->source_extra, &source_order);
    bool live_path = chr->type == DOMAIN_CHR_PTY;

    if (!chr->has_source && !chr->source_path)
        return;
    if (chr->source_mode)
        buf_escapef(&attrs, " mode='%s'", chr->source_mode);
    if (chr->source_path && (!live_path || !(flags & DOMAIN_FORMAT_INACTIVE)))
        buf_escapef(&attrs, " path='%s'", chr->source_path);
    xml_extra_attrs_before(&c, &attrs, NULL);
    buf_set_indent(&children, b->indent + 2);
    xml_extra_children_before(&c, &children, NULL);
    buf_element(b, "source", &attrs, &children);
}

static void format_target(buf *b, const domain_chr_def *chr, bool as_console, unsigned int flags)
{
    g_auto_buf attrs = BUF_INIT;
    g_auto_buf children = BUF_INIT;
    xml_extra_cursor c = xml_extra_cursor_init(&chr->target_extra, &target_order);
    const char *type = as_console ? "serial" : chr->target_type;

    if (type)
        buf_escapef(&attrs, " type='%s'", type);
    if (chr->target_name && !as_console)
        buf_escapef(&attrs, " name='%s'", chr->target_name);
    if (chr->target_state && !as_console && !(flags & DOMAIN_FORMAT_INACTIVE))
        buf_escapef(&attrs, " state='%s'", chr->target_state);
    if (!as_console)
        xml_extra_attrs_before(&c, &attrs, "port");
    if (chr->target_port >= 0)
        buf_addf(&attrs, " port='%d'", chr->target_port);
    if (!as_console) {
        xml_extra_attrs_before(&c, &attrs, NULL);
        buf_set_indent(&children, b->indent + 2);
        xml_extra_children_before(&c, &children, NULL);
    }
    if (buf_is_empty(&attrs) && buf_is_empty(&children) && !chr->has_target)
        return;
    if (buf_is_empty(&attrs) && buf_is_empty(&children))
        buf_add(b, "<target/>\n");
    else
        buf_element(b, "target", &attrs, &children);
}

void domain_chr_format(buf *b, const domain_chr_def *chr, bool as_console, unsigned int flags)
{
    const char *elem = as_console ? "console" : domain_chr_device_to_string(chr->device);
    xml_extra_cursor c = xml_extra_cursor_init(&chr->extra, &chr_order);
    bool console = as_console || chr->device == DOMAIN_CHR_DEVICE_CONSOLE;

    buf_addf(b, "<%s type='%s'", elem, domain_chr_to_string(chr->type));
    if (console && chr->type == DOMAIN_CHR_PTY && chr->source_path &&
        !(flags & DOMAIN_FORMAT_INACTIVE))
        buf_escapef(b, " tty='%s'", chr->source_path);
    {
        g_auto_buf attrs = BUF_INIT;
        xml_extra_attrs_before(&c, &attrs, NULL);
        buf_add(b, buf_peek(&attrs));
    }
    buf_add(b, ">\n");
    buf_adjust_indent(b, 2);
    xml_extra_children_before(&c, b, "source");
    format_source(b, chr, flags);
    xml_extra_children_before(&c, b, "target");
    format_target(b, chr, as_console, flags);
    domain_device_info_format(b, &chr->info, &c, flags);
    xml_extra_children_before(&c, b, NULL);
    buf_adjust_indent(b, -2);
    buf_addf(b, "</%s>\n", elem);
}

domain_chr_def *domain_find_guest_agent(const domain_def *def)
{
    for (size_t i = 0; i < def->nchannels; i++) {
        domain_chr_def *ch = def->channels[i];
        if (g_strcmp0(ch->target_type, "virtio") == 0 &&
            g_strcmp0(ch->target_name, "org.qemu.guest_agent.0") == 0)
            return ch;
    }
    return NULL;
}
