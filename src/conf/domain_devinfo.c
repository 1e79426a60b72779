/* Device addresses, boot order and aliases: the info every domain device carries. */
#include "conf/domain_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

ENUM_IMPL(domain_address, DOMAIN_ADDR_LAST,
          "none", "pci", "drive", "virtio-serial", "ccid", "usb", "spapr-vio", "virtio-s390",
          "ccw", "virtio-mmio", "isa", "dimm", "unassigned")

const char *const domain_info_children[] = { "boot", "alias", "address", NULL };

static const char *const address_attrs[] = {
    "type", "domain", "controller", "bus", "target", "slot", "function", "unit", "port",
    "multifunction", NULL,
};
static const xml_order address_order = { address_attrs, NULL };

void dom_report_missing_attr(xmlNodePtr node, const char *attr)
{
    error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR, "Missing required attribute '%s' in element '%s'",
                 attr, (const char *)node->name);
}

static void report_not_uint(xmlNodePtr node, const char *attr, const char *value)
{
    error_report(
        VIR_FROM_XML, VIR_ERR_XML_ERROR,
        "Invalid value for attribute '%s' in element '%s': '%s'. Expected non-negative integer value",
        attr, (const char *)node->name, value);
}

int dom_prop_uint(xmlNodePtr node, const char *attr, unsigned int *ret, bool *ret_present)
{
    g_autofree char *v = xml_prop(node, attr);

    if (ret_present)
        *ret_present = v != NULL;
    if (!v)
        return 0;
    if (!parse_uint(v, ret)) {
        report_not_uint(node, attr, v);
        return -1;
    }
    return 1;
}

/* Numbers as libvirt's addresses take them: 0x.. hex, 0.. octal, else decimal. */
int dom_prop_uint_hex(xmlNodePtr node, const char *attr, unsigned int *ret)
{
    g_autofree char *v = xml_prop(node, attr);
    char *end;
    unsigned long long n;

    if (!v)
        return 0;
    errno = 0;
    n = strtoull(v, &end, 0);
    if (!*v || *v == '-' || *end || errno || n > G_MAXUINT) {
        report_not_uint(node, attr, v);
        return -1;
    }
    *ret = (unsigned int)n;
    return 1;
}

int dom_prop_tristate(xmlNodePtr node, const char *attr, const char *yes, const char *no, int *ret)
{
    g_autofree char *v = xml_prop(node, attr);

    if (!v)
        return -1;
    if (strcmp(v, yes) == 0 || strcmp(v, no) == 0) {
        *ret = strcmp(v, yes) == 0;
        return *ret;
    }
    error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                 "Invalid value for attribute '%s' in element '%s': '%s'.", attr,
                 (const char *)node->name, v);
    return -2;
}

void dom_format_text_element(buf *b, const char *name, const char *text)
{
    int saved = b->indent;

    if (!text)
        return;
    buf_addf(b, "<%s>", name);
    b->indent = 0;
    buf_escapef(b, "%s", text);
    buf_addf(b, "</%s>\n", name);
    b->indent = saved;
}

static int check_pci(const domain_address *a)
{
    const char *what = NULL;
    unsigned int value = 0, max = 0;

    if (!a->domain && !a->bus && !a->slot)
        return 0;
    if (a->bus > 0xFF) {
        what = "bus", value = a->bus, max = 0xFF;
    } else if (a->slot > 0x1F) {
        what = "slot", value = a->slot, max = 0x1F;
    } else if (a->function > 7) {
        error_report(VIR_FROM_NONE, VIR_ERR_XML_ERROR,
                     "Invalid PCI address function=0x%x, must be <= 7", a->function);
        return -1;
    }
    if (what) {
        error_report(VIR_FROM_NONE, VIR_ERR_XML_ERROR,
                     "Invalid PCI address %s='0x%x', must be <= 0x%X", what, value, max);
        return -1;
    }
    return 0;
}

static int parse_fields(domain_address *a, xmlNodePtr node, const char *const *names,
                        unsigned int *const *fields)
{
    for (size_t i = 0; names[i]; i++)
        if (dom_prop_uint_hex(node, names[i], fields[i]) < 0)
            return -1;
    return 0;
}

static int parse_typed(domain_address *a, xmlNodePtr node)
{
    switch (a->type) {
    case DOMAIN_ADDR_PCI: {
        int mf = 0;
        if (parse_fields(
                a, node, (const char *const[]){ "domain", "bus", "slot", "function", NULL },
                (unsigned int *const[]){ &a->domain, &a->bus, &a->slot, &a->function }) < 0)
            return -1;
        if (dom_prop_tristate(node, "multifunction", "on", "off", &mf) == -2)
            return -1;
        a->multifunction = xml_prop(node, "multifunction");
        return check_pci(a);
    }
    case DOMAIN_ADDR_DRIVE:
        return parse_fields(
            a, node, (const char *const[]){ "controller", "bus", "target", "unit", NULL },
            (unsigned int *const[]){ &a->controller, &a->bus, &a->target, &a->unit });
    case DOMAIN_ADDR_VIRTIO_SERIAL:
        return parse_fields(a, node, (const char *const[]){ "controller", "bus", "port", NULL },
                            (unsigned int *const[]){ &a->controller, &a->bus, &a->port });
    case DOMAIN_ADDR_CCID:
        return parse_fields(a, node, (const char *const[]){ "controller", "slot", NULL },
                            (unsigned int *const[]){ &a->controller, &a->slot });
    case DOMAIN_ADDR_USB:
        a->usb_port = xml_prop(node, "port");
        return parse_fields(a, node, (const char *const[]){ "bus", NULL },
                            (unsigned int *const[]){ &a->bus });
    default:
        return 0;
    }
}

static bool is_modelled(int type)
{
    return type >= DOMAIN_ADDR_PCI && type <= DOMAIN_ADDR_USB;
}

int domain_address_parse(domain_address *addr, xmlNodePtr node)
{
    g_autofree char *type = xml_prop(node, "type");

    domain_address_clear(addr);
    if (!type) {
        error_report(DOM_FROM, VIR_ERR_INTERNAL_ERROR, "No type specified for device address");
        return -1;
    }
    addr->type = domain_address_from_string(type);
    if (addr->type <= DOMAIN_ADDR_NONE) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED, "unknown address type '%s'", type);
        addr->type = DOMAIN_ADDR_NONE;
        return -1;
    }
    if (parse_typed(addr, node) < 0) {
        domain_address_clear(addr);
        return -1;
    }
    if (is_modelled(addr->type))
        xml_extra_collect(&addr->extra, node, &address_order, address_attrs, NULL, NULL);
    else
        xml_extra_collect(&addr->extra, node, NULL, (const char *const[]){ "type", NULL }, NULL,
                          NULL);
    return 0;
}

static void format_typed(buf *attrs, const domain_address *a)
{
    switch (a->type) {
    case DOMAIN_ADDR_PCI:
        if (a->domain || a->bus || a->slot)
            buf_addf(attrs, " domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'",
                     a->domain, a->bus, a->slot, a->function);
        if (a->multifunction)
            buf_escapef(attrs, " multifunction='%s'", a->multifunction);
        break;
    case DOMAIN_ADDR_DRIVE:
        buf_addf(attrs, " controller='%u' bus='%u' target='%u' unit='%u'", a->controller, a->bus,
                 a->target, a->unit);
        break;
    case DOMAIN_ADDR_VIRTIO_SERIAL:
        buf_addf(attrs, " controller='%u' bus='%u' port='%u'", a->controller, a->bus, a->port);
        break;
    case DOMAIN_ADDR_CCID:
        buf_addf(attrs, " controller='%u' slot='%u'", a->controller, a->slot);
        break;
    case DOMAIN_ADDR_USB:
        buf_addf(attrs, " bus='%u'", a->bus);
        if (a->usb_port)
            buf_escapef(attrs, " port='%s'", a->usb_port);
        break;
    default:
        break;
    }
}

void domain_address_format(buf *b, const domain_address *addr)
{
    g_auto_buf attrs = BUF_INIT;
    g_auto_buf children = BUF_INIT;
    xml_extra_cursor c = xml_extra_cursor_init(&addr->extra, &address_order);

    if (addr->type == DOMAIN_ADDR_NONE)
        return;
    buf_addf(&attrs, " type='%s'", domain_address_to_string(addr->type));
    format_typed(&attrs, addr);
    xml_extra_attrs_before(&c, &attrs, NULL);
    buf_set_indent(&children, b->indent + 2);
    xml_extra_children_before(&c, &children, NULL);
    buf_element(b, "address", &attrs, &children);
}

void domain_address_clear(domain_address *addr)
{
    g_free(addr->usb_port);
    g_free(addr->multifunction);
    xml_extra_clear(&addr->extra);
    memset(addr, 0, sizeof(*addr));
}

static bool alias_is_user(const char *alias)
{
    if (!g_str_has_prefix(alias, "ua-"))
        return false;
    for (const char *p = alias; *p; p++)
        if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-')
            return false;
    return true;
}

static int parse_boot(domain_device_info *info, xmlNodePtr boot)
{
    g_autofree char *order = xml_prop(boot, "order");

    if (!order) {
        dom_report_missing_attr(boot, "order");
        return -1;
    }
    if (!parse_uint(order, &info->boot_order)) {
        report_not_uint(boot, "order", order);
        return -1;
    }
    if (info->boot_order == 0) {
        error_report(
            VIR_FROM_XML, VIR_ERR_XML_ERROR,
            "Invalid value for attribute 'order' in element 'boot': Zero is not permitted");
        return -1;
    }
    info->boot_loadparm = xml_prop(boot, "loadparm");
    return 0;
}

int domain_device_info_parse(domain_device_info *info, xmlNodePtr dev, const domain_parse_ctx *ctx)
{
    xmlNodePtr boot = xml_child(dev, "boot");
    xmlNodePtr alias = xml_child(dev, "alias");
    xmlNodePtr address = xml_child(dev, "address");

    if (boot && parse_boot(info, boot) < 0)
        return -1;
    if (alias) {
        g_autofree char *name = xml_prop(alias, "name");
        if (name && ((ctx->flags & DOMAIN_PARSE_STATUS) || alias_is_user(name)))
            info->alias = g_steal_pointer(&name);
    }
    if (address && domain_address_parse(&info->addr, address) < 0)
        return -1;
    return 0;
}

void domain_device_info_format(buf *b, const domain_device_info *info, xml_extra_cursor *c,
                               unsigned int flags)
{
    xml_extra_children_before(c, b, "boot");
    if (info->boot_order) {
        buf_addf(b, "<boot order='%u'", info->boot_order);
        if (info->boot_loadparm)
            buf_escapef(b, " loadparm='%s'", info->boot_loadparm);
        buf_add(b, "/>\n");
    }
    xml_extra_children_before(c, b, "alias");
    if (info->alias && (!(flags & DOMAIN_FORMAT_INACTIVE) || g_str_has_prefix(info->alias, "ua-")))
        buf_escapef(b, "<alias name='%s'/>\n", info->alias);
    xml_extra_children_before(c, b, "address");
    domain_address_format(b, &info->addr);
}

void domain_device_info_clear(domain_device_info *info)
{
    g_free(info->boot_loadparm);
    g_free(info->alias);
    domain_address_clear(&info->addr);
    memset(info, 0, sizeof(*info));
}
