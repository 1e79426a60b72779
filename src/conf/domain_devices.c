/* Controllers, network interfaces, video cards and the memory balloon. */
#include "conf/domain_priv.h"

#include <string.h>

ENUM_IMPL(domain_controller, DOMAIN_CONTROLLER_LAST,
          "ide", "fdc", "scsi", "sata", "virtio-serial", "ccid", "usb", "pci", "xenbus", "isa")
ENUM_IMPL(domain_net, DOMAIN_NET_LAST,
          "user", "ethernet", "vhostuser", "server", "client", "mcast", "network", "bridge",
          "internal", "direct", "hostdev", "udp", "vdpa", "null", "vds")

#define INFO_CHILDREN "boot", "alias", "master", "rom", "acpi", "address"

static const xml_order controller_order = {
    (const char *const[]){ "type", "index", "model", "ports", "vectors", "maxGrantFrames",
                           "maxEventChannels", NULL },
    (const char *const[]){ "driver", "model", "target", "pcihole64", INFO_CHILDREN, NULL },
};
static const xml_order net_order = {
    (const char *const[]){ "type", "trustGuestRxFilters", NULL },
    (const char *const[]){ "mac", "source", "vlan", "virtualport", "bandwidth", "port", "ip",
                           "route", "script", "downscript", "backenddomain", "target", "guest",
                           "model", "driver", "backend", "filterref", "tune", "teaming", "link",
                           "mtu", "coalesce", INFO_CHILDREN, NULL },
};
static const xml_order mac_order = { (const char *const[]){ "address", "type", "check", NULL },
                                     NULL };
static const xml_order target_order = { (const char *const[]){ "dev", "managed", NULL }, NULL };
static const xml_order video_order = {
    NULL, (const char *const[]){ "driver", "model", INFO_CHILDREN, NULL },
};
static const xml_order video_model_order = {
    (const char *const[]){ "type", "ram", "vram", "vram64", "vgamem", "heads", "primary", "blob",
                           NULL },
    (const char *const[]){ "acceleration", "resolution", NULL },
};
static const xml_order balloon_order = {
    (const char *const[]){ "model", "autodeflate", "freePageReporting", NULL },
    (const char *const[]){ "stats", INFO_CHILDREN, "driver", NULL },
};
static xml_names info_modelled = { "boot", "alias", "address", NULL };

/* Models libvirt knows for each controller type (NULL: not checked). */
static const char *const *controller_models(int type)
{
    static const char *const scsi[] = {
        "auto", "buslogic", "lsilogic", "lsisas1068", "vmpvscsi", "ibmvscsi", "virtio-scsi",
        "lsisas1078", "virtio-transitional", "virtio-non-transitional", "ncr53c90", "am53c974",
        "dc390", NULL,
    };
    static const char *const usb[] = {
        "piix3-uhci", "piix4-uhci", "ehci", "ich9-ehci1", "ich9-uhci1", "ich9-uhci2",
        "ich9-uhci3", "vt82c686b-uhci", "pci-ohci", "nec-xhci", "qusb1", "qusb2", "qemu-xhci",
        "none", NULL,
    };
    static const char *const pci[] = {
        "pci-root", "pcie-root", "pci-bridge", "dmi-to-pci-bridge", "pcie-root-port",
        "pcie-switch-upstream-port", "pcie-switch-downstream-port", "pci-expander-bus",
        "pcie-expander-bus", "pcie-to-pci-bridge", NULL,
    };
    static const char *const ide[] = { "piix3", "piix4", "ich6", NULL };
    static const char *const vserial[] = { "virtio", "virtio-transitional",
                                           "virtio-non-transitional", NULL };

    switch (type) {
    case DOMAIN_CONTROLLER_SCSI: return scsi;
    case DOMAIN_CONTROLLER_USB: return usb;
    case DOMAIN_CONTROLLER_PCI: return pci;
    case DOMAIN_CONTROLLER_IDE: return ide;
    case DOMAIN_CONTROLLER_VIRTIO_SERIAL: return vserial;
    default: return NULL;
    }
}

static bool in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

void domain_controller_def_free(domain_controller_def *c)
{
    if (!c)
        return;
    g_free(c->model);
    domain_device_info_clear(&c->info);
    xml_extra_clear(&c->extra);
    g_free(c);
}

domain_controller_def *domain_controller_parse(xmlNodePtr node, const domain_parse_ctx *ctx)
{
    g_autoptr(domain_controller_def) c = g_new0(domain_controller_def, 1);
    g_autofree char *idx = xml_prop(node, "index");
    const char *const *models;

    if (xml_prop_enum(node, "type", domain_controller_from_string, &c->type) < 0)
        return NULL;
    c->idx = -1;
    if (idx && !parse_int(idx, &c->idx)) {
        error_report(
            VIR_FROM_XML, VIR_ERR_XML_ERROR,
            "Invalid value for attribute 'index' in element 'controller': '%s'. Expected integer value",
            idx);
        return NULL;
    }
    c->model = xml_prop(node, "model");
    models = controller_models(c->type);
    if (c->model && models && !in_list(models, c->model)) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED, "Unknown model type '%s'", c->model);
        return NULL;
    }
    if (domain_device_info_parse(&c->info, node, ctx) < 0)
        return NULL;
    xml_extra_collect(&c->extra, node, &controller_order,
                      (const char *const[]){ "type", "index", "model", NULL }, info_modelled,
                      ctx->skip_ns);
    return g_steal_pointer(&c);
}

void domain_controller_format(buf *b, const domain_controller_def *c, unsigned int flags)
{
    g_auto_buf attrs = BUF_INIT;
    g_auto_buf children = BUF_INIT;
    xml_extra_cursor cur = xml_extra_cursor_init(&c->extra, &controller_order);

    buf_addf(&attrs, " type='%s' index='%d'", domain_controller_to_string(c->type), c->idx);
    if (c->model)
        buf_escapef(&attrs, " model='%s'", c->model);
    xml_extra_attrs_before(&cur, &attrs, NULL);
    buf_set_indent(&children, b->indent + 2);
    domain_device_info_format(&children, &c->info, &cur, flags);
    xml_extra_children_before(&cur, &children, NULL);
    buf_element(b, "controller", &attrs, &children);
}

static bool has_master(const domain_controller_def *c)
{
    return xml_extra_find_node(&c->extra, "master") != NULL;
}

void domain_controller_insert(domain_def *def, domain_controller_def *c)
{
    size_t at = def->ncontrollers;
    bool found = false;

    /* among those of its type: by index, a USB companion (<master>) after the
     * controller it serves */
    for (size_t i = def->ncontrollers; i-- > 0;) {
        const domain_controller_def *cur = def->controllers[i];
        if (cur->type != c->type)
            continue;
        if (c->idx == -1) {
            at = i + 1;
            break;
        }
        if (cur->idx > c->idx || (cur->idx == c->idx && !has_master(c) && has_master(cur))) {
            at = i;
            found = true;
        } else if (!found) {
            at = i + 1;
            found = true;
        }
    }
    def->controllers = g_renew(domain_controller_def *, def->controllers, def->ncontrollers + 1);
    memmove(&def->controllers[at + 1], &def->controllers[at],
            (def->ncontrollers - at) * sizeof(*def->controllers));
    def->controllers[at] = c;
    def->ncontrollers++;
}

void domain_net_def_free(domain_net_def *net)
{
    if (!net)
        return;
    g_free(net->mac);
    g_free(net->ifname);
    g_free(net->model);
    domain_device_info_clear(&net->info);
    xml_extra_clear(&net->extra);
    xml_extra_clear(&net->mac_extra);
    xml_extra_clear(&net->target_extra);
    g_free(net);
}

/* "52:54:00:AB:cd:1" -> "52:54:00:ab:cd:01"; NULL when not a MAC address. */
static char *mac_canonical(const char *text)
{
    g_auto(GStrv) parts = g_strsplit(text, ":", -1);
    unsigned int bytes[6];

    if (g_strv_length(parts) != 6)
        return NULL;
    for (int i = 0; i < 6; i++) {
        char *end;
        unsigned long v;
        if (!g_ascii_isxdigit(parts[i][0]) || strlen(parts[i]) > 2)
            return NULL;
        v = strtoul(parts[i], &end, 16);
        if (*end || v > 255)
            return NULL;
        bytes[i] = (unsigned int)v;
    }
    return g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2],
                           bytes[3], bytes[4], bytes[5]);
}

static int parse_mac(domain_net_def *net, xmlNodePtr node)
{
    g_autofree char *addr = xml_prop(node, "address");

    if (addr) {
        if (!(net->mac = mac_canonical(addr))) {
            error_report(DOM_FROM, VIR_ERR_XML_ERROR, "unable to parse mac address '%s'", addr);
            return -1;
        }
        if (g_ascii_xdigit_value(net->mac[1]) & 1) {
            error_report(DOM_FROM, VIR_ERR_XML_ERROR,
                         "expected unicast mac address, found multicast '%s'", addr);
            return -1;
        }
    }
    xml_extra_collect(&net->mac_extra, node, &mac_order, (const char *const[]){ "address", NULL },
                      NULL, NULL);
    return 0;
}

static const char *const generated_ifname_prefixes[] = { "vnet", "macvtap", "macvlan", NULL };

static void parse_net_target(domain_net_def *net, xmlNodePtr node, const domain_parse_ctx *ctx)
{
    net->ifname = xml_prop(node, "dev");
    for (size_t i = 0; net->ifname && !(ctx->flags & DOMAIN_PARSE_STATUS) &&
                       generated_ifname_prefixes[i]; i++)
        if (g_str_has_prefix(net->ifname, generated_ifname_prefixes[i]))
            g_clear_pointer(&net->ifname, g_free);
    xml_extra_collect(&net->target_extra, node, &target_order, (const char *const[]){ "dev", NULL },
                      NULL, NULL);
}

domain_net_def *domain_net_parse(xmlNodePtr node, const domain_parse_ctx *ctx)
{
    g_autoptr(domain_net_def) net = g_new0(domain_net_def, 1);
    xmlNodePtr n;

    net->type = DOMAIN_NET_USER;
    if (xml_prop_enum(node, "type", domain_net_from_string, &net->type) < 0)
        return NULL;
    if ((n = xml_child(node, "mac")) && parse_mac(net, n) < 0)
        return NULL;
    if ((n = xml_child(node, "target")))
        parse_net_target(net, n, ctx);
    net->model = xml_prop(xml_child(node, "model"), "type");
    if (domain_device_info_parse(&net->info, node, ctx) < 0)
        return NULL;
    xml_extra_collect(
        &net->extra, node, &net_order, (const char *const[]){ "type", NULL },
        (const char *const[]){ "mac", "target", "model", "boot", "alias", "address", NULL },
        ctx->skip_ns);
    return g_steal_pointer(&net);
}

/* Names the host gave the interface when the domain started are not part of its
 * definition, unless the tap device is not managed by libvirt. */
static bool ifname_is_live_only(const domain_net_def *net, unsigned int flags)
{
    if (!(flags & DOMAIN_FORMAT_INACTIVE) ||
        g_strcmp0(xml_extra_get_attr(&net->target_extra, "managed"), "no") == 0)
        return false;
    for (size_t i = 0; generated_ifname_prefixes[i]; i++)
        if (g_str_has_prefix(net->ifname, generated_ifname_prefixes[i]))
            return true;
    return false;
}

void domain_net_format(buf *b, const domain_net_def *net, unsigned int flags)
{
    xml_extra_cursor c = xml_extra_cursor_init(&net->extra, &net_order);
    g_auto_buf attrs = BUF_INIT;

    xml_extra_attrs_before(&c, &attrs, NULL);
    buf_addf(b, "<interface type='%s'%s>\n", domain_net_to_string(net->type), buf_peek(&attrs));
    buf_adjust_indent(b, 2);
    if (net->mac) {
        xml_extra_cursor mc = xml_extra_cursor_init(&net->mac_extra, &mac_order);
        g_auto_buf mattrs = BUF_INIT;
        xml_extra_attrs_before(&mc, &mattrs, NULL);
        buf_escapef(b, "<mac address='%s'", net->mac);
        buf_addf(b, "%s/>\n", buf_peek(&mattrs));
    }
    xml_extra_children_before(&c, b, "target");
    if (net->ifname && !ifname_is_live_only(net, flags)) {
        xml_extra_cursor tc = xml_extra_cursor_init(&net->target_extra, &target_order);
        g_auto_buf tattrs = BUF_INIT;
        xml_extra_attrs_before(&tc, &tattrs, NULL);
        buf_escapef(b, "<target dev='%s'", net->ifname);
        buf_addf(b, "%s/>\n", buf_peek(&tattrs));
    }
    xml_extra_children_before(&c, b, "model");
    if (net->model)
        buf_escapef(b, "<model type='%s'/>\n", net->model);
    domain_device_info_format(b, &net->info, &c, flags);
    xml_extra_children_before(&c, b, NULL);
    buf_adjust_indent(b, -2);
    buf_add(b, "</interface>\n");
}

void domain_video_def_free(domain_video_def *v)
{
    if (!v)
        return;
    g_free(v->model);
    xml_extra_clear(&v->model_extra);
    domain_device_info_clear(&v->info);
    xml_extra_clear(&v->extra);
    g_free(v);
}

static int parse_video_model(domain_video_def *v, xmlNodePtr node)
{
    static const char *const models[] = {
        "default", "vga", "cirrus", "vmvga", "xen", "vbox", "qxl", "parallels", "virtio", "gop",
        "none", "bochs", "ramfb", NULL,
    };
    g_autofree char *vram = xml_prop(node, "vram");
    g_autofree char *heads = xml_prop(node, "heads");
    int primary = 0;

    v->model = xml_prop(node, "type");
    if (v->model && !in_list(models, v->model)) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED, "unknown video model '%s'", v->model);
        return -1;
    }
    if (vram && !parse_uint(vram, &v->vram)) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR, "cannot parse video vram '%s'", vram);
        return -1;
    }
    if (heads && !parse_uint(heads, &v->heads)) {
        error_report(DOM_FROM, VIR_ERR_INTERNAL_ERROR, "cannot parse video heads '%s'", heads);
        return -1;
    }
    if (dom_prop_tristate(node, "primary", "yes", "no", &primary) == -2)
        return -1;
    v->primary = primary == 1;
    xml_extra_collect(&v->model_extra, node, &video_model_order,
                      (const char *const[]){ "type", "vram", "heads", "primary", NULL }, NULL,
                      NULL);
    for (const char *const *qxl_only = (const char *const[]){ "ram", "vram64", "vgamem", NULL };
         *qxl_only; qxl_only++) {
        if (xml_extra_get_attr(&v->model_extra, *qxl_only) && g_strcmp0(v->model, "qxl") != 0) {
            error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                         "%s attribute only supported for video type qxl", *qxl_only);
            return -1;
        }
    }
    return 0;
}

domain_video_def *domain_video_parse(xmlNodePtr node, const domain_parse_ctx *ctx)
{
    g_autoptr(domain_video_def) v = g_new0(domain_video_def, 1);
    xmlNodePtr model = xml_child(node, "model");

    if (model && parse_video_model(v, model) < 0)
        return NULL;
    if (domain_device_info_parse(&v->info, node, ctx) < 0)
        return NULL;
    xml_extra_collect(&v->extra, node, &video_order, NULL,
                      (const char *const[]){ "model", "boot", "alias", "address", NULL },
                      ctx->skip_ns);
    return g_steal_pointer(&v);
}

static void format_video_model(buf *b, const domain_video_def *v)
{
    g_auto_buf attrs = BUF_INIT;
    g_auto_buf children = BUF_INIT;
    xml_extra_cursor c = xml_extra_cursor_init(&v->model_extra, &video_model_order);

    buf_escapef(&attrs, " type='%s'", v->model ? v->model : "default");
    xml_extra_attrs_before(&c, &attrs, "vram");
    if (v->vram)
        buf_addf(&attrs, " vram='%u'", v->vram);
    xml_extra_attrs_before(&c, &attrs, "heads");
    if (v->heads)
        buf_addf(&attrs, " heads='%u'", v->heads);
    if (v->primary)
        buf_add(&attrs, " primary='yes'");
    xml_extra_attrs_before(&c, &attrs, NULL);
    buf_set_indent(&children, b->indent + 2);
    xml_extra_children_before(&c, &children, NULL);
    buf_element(b, "model", &attrs, &children);
}

void domain_video_format(buf *b, const domain_video_def *v, unsigned int flags)
{
    xml_extra_cursor c = xml_extra_cursor_init(&v->extra, &video_order);

    buf_add(b, "<video>\n");
    buf_adjust_indent(b, 2);
    xml_extra_children_before(&c, b, "model");
    format_video_model(b, v);
    domain_device_info_format(b, &v->info, &c, flags);
    xml_extra_children_before(&c, b, NULL);
    buf_adjust_indent(b, -2);
    buf_add(b, "</video>\n");
}

void domain_memballoon_def_free(domain_memballoon_def *m)
{
    if (!m)
        return;
    g_free(m->model);
    domain_device_info_clear(&m->info);
    xml_extra_clear(&m->extra);
    g_free(m);
}

domain_memballoon_def *domain_memballoon_parse(xmlNodePtr node, const domain_parse_ctx *ctx)
{
    static const char *const models[] = {
        "virtio", "xen", "none", "virtio-transitional", "virtio-non-transitional", NULL,
    };
    g_autoptr(domain_memballoon_def) m = g_new0(domain_memballoon_def, 1);

    if (!(m->model = xml_prop(node, "model"))) {
        dom_report_missing_attr(node, "model");
        return NULL;
    }
    if (!in_list(models, m->model)) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                     "Invalid value for attribute 'model' in element 'memballoon': '%s'.",
                     m->model);
        return NULL;
    }
    if (domain_device_info_parse(&m->info, node, ctx) < 0)
        return NULL;
    xml_extra_collect(&m->extra, node, &balloon_order, (const char *const[]){ "model", NULL },
                      info_modelled, ctx->skip_ns);
    return g_steal_pointer(&m);
}

void domain_memballoon_format(buf *b, const domain_memballoon_def *m, unsigned int flags)
{
    g_auto_buf attrs = BUF_INIT;
    g_auto_buf children = BUF_INIT;
    xml_extra_cursor c = xml_extra_cursor_init(&m->extra, &balloon_order);

    buf_escapef(&attrs, " model='%s'", m->model);
    xml_extra_attrs_before(&c, &attrs, NULL);
    buf_set_indent(&children, b->indent + 2);
    domain_device_info_format(&children, &m->info, &c, flags);
    xml_extra_children_before(&c, &children, NULL);
    buf_element(b, "memballoon", &attrs, &children);
}

static const char *default_video_model(const domain_def *def)
{
    bool ppc64 = def->os_arch && g_str_has_prefix(def->os_arch, "ppc64");

    switch (def->virt_type) {
    case DOMAIN_VIRT_TEST:
    case DOMAIN_VIRT_QEMU:
    case DOMAIN_VIRT_KQEMU:
    case DOMAIN_VIRT_KVM:
    case DOMAIN_VIRT_XEN:
        if (def->os_type == DOMAIN_OS_XEN || def->os_type == DOMAIN_OS_LINUX)
            return "xen";
        return ppc64 ? "vga" : "cirrus";
    case DOMAIN_VIRT_VBOX:
        return "vbox";
    case DOMAIN_VIRT_VMWARE:
        return "vmvga";
    case DOMAIN_VIRT_VZ:
    case DOMAIN_VIRT_PARALLELS:
        return def->os_type == DOMAIN_OS_HVM ? "vga" : "parallels";
    case DOMAIN_VIRT_BHYVE:
        return "gop";
    default:
        return "default";
    }
}

static unsigned int default_vram(const domain_def *def, const char *model)
{
    if (!strcmp(model, "vga") || !strcmp(model, "cirrus") || !strcmp(model, "vmvga"))
        return def->virt_type == DOMAIN_VIRT_VBOX     ? 8192
               : def->virt_type == DOMAIN_VIRT_VMWARE ? 4096
                                                      : 16384;
    if (!strcmp(model, "bochs"))
        return 16384;
    if (!strcmp(model, "xen"))
        return 4096;
    if (!strcmp(model, "qxl"))
        return 65536;
    return 0;
}

static void video_defaults(const domain_def *def, domain_video_def *v)
{
    if (!v->model || !strcmp(v->model, "default")) {
        g_free(v->model);
        v->model = g_strdup(default_video_model(def));
    }
    if (!strcmp(v->model, "none"))
        return;
    if (!v->vram)
        v->vram = default_vram(def, v->model);
    if (!v->heads)
        v->heads = 1;
    if (!strcmp(v->model, "qxl") && !xml_extra_get_attr(&v->model_extra, "ram"))
        xml_extra_set_attr(&v->model_extra, "ram", "65536", &video_model_order);
}

int domain_videos_post_parse(domain_def *def)
{
    size_t primary = def->nvideos;

    if (def->ngraphics && !def->nvideos)
        DOM_APPEND(def->videos, def->nvideos, g_new0(domain_video_def, 1));
    for (size_t i = 0; i < def->nvideos; i++) {
        if (!def->videos[i]->primary)
            continue;
        if (primary < def->nvideos) {
            error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                         "Only one primary video device is supported");
            return -1;
        }
        primary = i;
    }
    if (primary < def->nvideos && primary > 0) {
        domain_video_def *p = def->videos[primary];
        memmove(&def->videos[1], &def->videos[0], primary * sizeof(*def->videos));
        def->videos[0] = p;
    }
    for (size_t i = 0; i < def->nvideos; i++) {
        if (def->nvideos > 1 && !g_strcmp0(def->videos[i]->model, "none")) {
            error_report(
                DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                "a 'none' video type must be the only video device defined for the domain");
            return -1;
        }
        video_defaults(def, def->videos[i]);
    }
    if (def->nvideos && strcmp(def->videos[0]->model, "none") != 0)
        def->videos[0]->primary = true;
    return 0;
}
