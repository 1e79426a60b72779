/* <disk> devices: parse, format, lookups and libvirt's ordering of the disk list. */
#include "conf/domain_priv.h"

#include <string.h>

ENUM_IMPL(domain_disk_device, DOMAIN_DISK_DEVICE_LAST, "disk", "cdrom", "floppy", "lun")
ENUM_IMPL(domain_disk_bus, DOMAIN_DISK_BUS_LAST,
          "none", "ide", "fdc", "scsi", "virtio", "xen", "usb", "uml", "sata", "sd")
ENUM_IMPL(domain_snapshot_location, DOMAIN_SNAPSHOT_LOCATION_LAST,
          "default", "no", "internal", "external", "manual")
ENUM_IMPL(domain_disk_cache, DOMAIN_DISK_CACHE_LAST,
          "default", "none", "writethrough", "writeback", "directsync", "unsafe")
ENUM_IMPL(domain_disk_io, DOMAIN_DISK_IO_LAST, "default", "native", "threads", "io_uring")
ENUM_IMPL(domain_disk_discard, DOMAIN_DISK_DISCARD_LAST, "default", "unmap", "ignore")

static const char *const disk_attrs[] = {
    "type", "device", "model", "rawio", "sgio", "snapshot", NULL,
};
static const char *const disk_children[] = {
    "driver", "auth", "source", "backingStore", "backenddomain", "geometry", "blockio",
    "mirror", "target", "iotune", "readonly", "shareable", "transient", "serial", "wwn",
    "vendor", "product", "encryption", "boot", "alias", "rom", "acpi", "address", NULL,
};
static const xml_order disk_order = { disk_attrs, disk_children };
static xml_names disk_modelled = {
    "driver", "source", "backingStore", "target", "readonly", "shareable", "transient",
    "serial", "wwn", "boot", "alias", "address", NULL,
};

static const char *const driver_attrs[] = {
    "name", "type", "cache", "error_policy", "rerror_policy", "io", "ioeventfd", "event_idx",
    "copy_on_read", "discard", "iothread", "detect_zeroes", "queues", "queue_size", NULL,
};
static const xml_order driver_order = { driver_attrs, NULL };
static const char *const target_attrs[] = {
    "dev", "bus", "tray", "removable", "rotation_rate", NULL
};
static const xml_order target_order = { target_attrs, NULL };

domain_disk_def *domain_disk_def_new(void)
{
    domain_disk_def *disk = g_new0(domain_disk_def, 1);

    disk->src = domain_disk_source_new();
    disk->src->type = DOMAIN_DISK_TYPE_FILE;
    return disk;
}

void domain_disk_def_free(domain_disk_def *disk)
{
    if (!disk)
        return;
    g_free(disk->dst);
    domain_disk_source_free(disk->src);
    g_free(disk->driver_name);
    g_free(disk->serial);
    g_free(disk->wwn);
    domain_device_info_clear(&disk->info);
    xml_extra_clear(&disk->extra);
    xml_extra_clear(&disk->driver_extra);
    xml_extra_clear(&disk->target_extra);
    g_free(disk);
}

int domain_disk_name_to_index(const char *name)
{
    static const char *const prefixes[] = { "fd", "hd", "vd", "sd", "xvd", "ubd" };
    const char *p = NULL;
    long long idx = 0;

    for (size_t i = 0; name && i < G_N_ELEMENTS(prefixes) && !p; i++)
        if (g_str_has_prefix(name, prefixes[i]))
            p = name + strlen(prefixes[i]);
    if (!p || !g_ascii_islower(*p))
        return -1;
    for (; g_ascii_islower(*p); p++) {
        idx = idx * 26 + (*p - 'a' + 1);
        if (idx > G_MAXINT / 26)
            return -1;
    }
    while (g_ascii_isdigit(*p))
        p++;
    return *p ? -1 : (int)(idx - 1);
}

static int parse_enum_attr(xmlNodePtr node, const char *attr, int (*from)(const char *), int *ret)
{
    g_autofree char *v = xml_prop(node, attr);
    int val;

    if (!v)
        return 0;
    /* value 0 is the "not given" default and is not accepted as input */
    if ((val = from(v)) <= 0) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                     "Invalid value for attribute '%s' in element '%s': '%s'.", attr,
                     (const char *)node->name, v);
        return -1;
    }
    *ret = val;
    return 0;
}

static int parse_driver(domain_disk_def *disk, xmlNodePtr node)
{
    g_autofree char *format = xml_prop(node, "type");

    disk->driver_name = xml_prop(node, "name");
    if (format) {
        /* "aio" is an old spelling of raw */
        disk->src->format = strcmp(format, "aio") == 0 ? STORAGE_FORMAT_RAW
                                                        : storage_format_from_string(format);
        if (disk->src->format <= STORAGE_FORMAT_NONE) {
            error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED, "unknown driver format value '%s'",
                         format);
            return -1;
        }
    }
    if (xml_prop_enum(node, "cache", domain_disk_cache_from_string, &disk->cache) < 0 ||
        xml_prop_enum(node, "io", domain_disk_io_from_string, &disk->io) < 0 ||
        xml_prop_enum(node, "discard", domain_disk_discard_from_string, &disk->discard) < 0)
        return -1;
    xml_extra_collect(&disk->driver_extra, node, &driver_order,
                      (const char *const[]){ "name", "type", "cache", "io", "discard", NULL }, NULL,
                      NULL);
    return 0;
}

static int parse_target(domain_disk_def *disk, xmlNodePtr node)
{
    int tray = 0;

    disk->dst = xml_prop(node, "dev");
    if (disk->dst && !*disk->dst)
        g_clear_pointer(&disk->dst, g_free);
    if (parse_enum_attr(node, "bus", domain_disk_bus_from_string, &disk->bus) < 0)
        return -1;
    if (dom_prop_tristate(node, "tray", "open", "closed", &tray) == -2)
        return -1;
    disk->tray_open = tray == 1;
    xml_extra_collect(&disk->target_extra, node, &target_order,
                      (const char *const[]){ "dev", "bus", "tray", NULL }, NULL, NULL);
    return 0;
}

static int parse_attrs(domain_disk_def *disk, xmlNodePtr node)
{
    g_autofree char *type = xml_prop(node, "type");

    if (type && (disk->src->type = domain_disk_type_from_string(type)) <= DOMAIN_DISK_TYPE_NONE) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                     "Invalid value for attribute 'type' in element 'disk': '%s'.", type);
        return -1;
    }
    if (xml_prop_enum(node, "device", domain_disk_device_from_string, &disk->device) < 0 ||
        parse_enum_attr(node, "snapshot", domain_snapshot_location_from_string, &disk->snapshot) <
            0)
        return -1;
    return 0;
}

static int parse_children(domain_disk_def *disk, xmlNodePtr node, const domain_parse_ctx *ctx)
{
    xmlNodePtr n;

    if ((n = xml_child(node, "driver")) && parse_driver(disk, n) < 0)
        return -1;
    if ((n = xml_child(node, "source")) && domain_disk_source_parse(disk->src, n, ctx) < 0)
        return -1;
    if ((n = xml_child(node, "backingStore")) && domain_disk_backing_parse(disk->src, n, ctx) < 0)
        return -1;
    if ((n = xml_child(node, "target")) && parse_target(disk, n) < 0)
        return -1;
    disk->readonly = xml_child(node, "readonly") != NULL;
    disk->shareable = xml_child(node, "shareable") != NULL;
    disk->transient = xml_child(node, "transient") != NULL;
    disk->serial = xml_child_text(node, "serial");
    disk->wwn = xml_child_text(node, "wwn");
    return 0;
}

/* The bus a target name implies. */
static int default_bus(const domain_disk_def *disk)
{
    static const struct { const char *prefix; int bus; } by_prefix[] = {
        { "hd", DOMAIN_DISK_BUS_IDE }, { "sd", DOMAIN_DISK_BUS_SCSI },
        { "vd", DOMAIN_DISK_BUS_VIRTIO }, { "xvd", DOMAIN_DISK_BUS_XEN },
        { "ubd", DOMAIN_DISK_BUS_UML },
    };

    if (disk->device == DOMAIN_DISK_DEVICE_FLOPPY)
        return DOMAIN_DISK_BUS_FDC;
    for (size_t i = 0; i < G_N_ELEMENTS(by_prefix); i++)
        if (g_str_has_prefix(disk->dst, by_prefix[i].prefix))
            return by_prefix[i].bus;
    return DOMAIN_DISK_BUS_IDE;
}

domain_disk_def *domain_disk_parse(xmlNodePtr node, const domain_parse_ctx *ctx)
{
    g_autoptr(domain_disk_def) disk = domain_disk_def_new();

    if (parse_attrs(disk, node) < 0 || parse_children(disk, node, ctx) < 0)
        return NULL;
    if (!disk->dst) {
        if (disk->src->path)
            error_report(DOM_FROM, VIR_ERR_NO_TARGET, "%s", disk->src->path);
        else
            error_report(DOM_FROM, VIR_ERR_NO_TARGET, NULL);
        return NULL;
    }
    if (disk->device == DOMAIN_DISK_DEVICE_CDROM)
        disk->readonly = true;
    if (domain_device_info_parse(&disk->info, node, ctx) < 0)
        return NULL;
    xml_extra_collect(&disk->extra, node, &disk_order,
                      (const char *const[]){ "type", "device", "snapshot", NULL }, disk_modelled,
                      ctx->skip_ns);
    return g_steal_pointer(&disk);
}

static void format_driver(buf *b, const domain_disk_def *disk)
{
    g_auto_buf attrs = BUF_INIT;
    g_auto_buf children = BUF_INIT;
    xml_extra_cursor c = xml_extra_cursor_init(&disk->driver_extra, &driver_order);

    if (disk->driver_name)
        buf_escapef(&attrs, " name='%s'", disk->driver_name);
    if (disk->src->format)
        buf_addf(&attrs, " type='%s'", storage_format_to_string(disk->src->format));
    if (disk->cache)
        buf_addf(&attrs, " cache='%s'", domain_disk_cache_to_string(disk->cache));
    xml_extra_attrs_before(&c, &attrs, "io");
    if (disk->io)
        buf_addf(&attrs, " io='%s'", domain_disk_io_to_string(disk->io));
    xml_extra_attrs_before(&c, &attrs, "discard");
    if (disk->discard)
        buf_addf(&attrs, " discard='%s'", domain_disk_discard_to_string(disk->discard));
    xml_extra_attrs_before(&c, &attrs, NULL);
    buf_set_indent(&children, b->indent + 2);
    xml_extra_children_before(&c, &children, NULL);
    buf_element(b, "driver", &attrs, &children);
}

static void format_target(buf *b, const domain_disk_def *disk)
{
    g_auto_buf attrs = BUF_INIT;
    xml_extra_cursor c = xml_extra_cursor_init(&disk->target_extra, &target_order);

    buf_escapef(&attrs, " dev='%s'", disk->dst);
    if (disk->bus)
        buf_addf(&attrs, " bus='%s'", domain_disk_bus_to_string(disk->bus));
    if (disk->tray_open)
        buf_add(&attrs, " tray='open'");
    xml_extra_attrs_before(&c, &attrs, NULL);
    buf_addf(b, "<target%s/>\n", buf_peek(&attrs));
}

static void format_attrs(buf *b, const domain_disk_def *disk, xml_extra_cursor *c)
{
    g_auto_buf attrs = BUF_INIT;

    buf_addf(&attrs, " type='%s' device='%s'", domain_disk_type_to_string(disk->src->type),
             domain_disk_device_to_string(disk->device));
    xml_extra_attrs_before(c, &attrs, "snapshot");
    if (disk->snapshot && !(disk->snapshot == DOMAIN_SNAPSHOT_LOCATION_NO && disk->readonly))
        buf_addf(&attrs, " snapshot='%s'", domain_snapshot_location_to_string(disk->snapshot));
    xml_extra_attrs_before(c, &attrs, NULL);
    buf_addf(b, "<disk%s>\n", buf_peek(&attrs));
}

void domain_disk_format(buf *b, const domain_disk_def *disk, unsigned int flags)
{
    xml_extra_cursor c = xml_extra_cursor_init(&disk->extra, &disk_order);

    format_attrs(b, disk, &c);
    buf_adjust_indent(b, 2);
    xml_extra_children_before(&c, b, "driver");
    format_driver(b, disk);
    xml_extra_children_before(&c, b, "source");
    domain_disk_source_format(b, disk->src, true, flags);
    xml_extra_children_before(&c, b, "backingStore");
    domain_disk_backing_format(b, disk->src->backing, flags);
    xml_extra_children_before(&c, b, "target");
    format_target(b, disk);
    xml_extra_children_before(&c, b, "readonly");
    if (disk->readonly)
        buf_add(b, "<readonly/>\n");
    if (disk->shareable)
        buf_add(b, "<shareable/>\n");
    if (disk->transient)
        buf_add(b, "<transient/>\n");
    xml_extra_children_before(&c, b, "serial");
    dom_format_text_element(b, "serial", disk->serial);
    xml_extra_children_before(&c, b, "wwn");
    dom_format_text_element(b, "wwn", disk->wwn);
    domain_device_info_format(b, &disk->info, &c, flags);
    xml_extra_children_before(&c, b, NULL);
    buf_adjust_indent(b, -2);
    buf_add(b, "</disk>\n");
}

domain_disk_def *domain_disk_find_by_target(const domain_def *def, const char *dst)
{
    for (size_t i = 0; dst && i < def->ndisks; i++)
        if (def->disks[i]->dst && strcmp(def->disks[i]->dst, dst) == 0)
            return def->disks[i];
    return NULL;
}

domain_disk_def *domain_disk_find_by_source(const domain_def *def, const char *path)
{
    for (size_t i = 0; path && i < def->ndisks; i++)
        if (def->disks[i]->src->path && strcmp(def->disks[i]->src->path, path) == 0)
            return def->disks[i];
    return NULL;
}

int domain_disk_index(const domain_def *def, const char *name)
{
    domain_disk_def *disk = domain_disk_find_by_target(def, name);

    if (!disk)
        disk = domain_disk_find_by_source(def, name);
    for (size_t i = 0; disk && i < def->ndisks; i++)
        if (def->disks[i] == disk)
            return (int)i;
    return -1;
}

bool domain_disk_is_empty(const domain_disk_def *disk)
{
    return domain_disk_source_is_empty(disk->src);
}

const char *domain_disk_type_name(const domain_disk_def *disk)
{
    return domain_disk_type_to_string(disk->src->type);
}

void domain_disk_insert(domain_def *def, domain_disk_def *disk)
{
    int idx = domain_disk_name_to_index(disk->dst);
    size_t at = def->ndisks;
    bool found = false;

    /* after the last disk on the same bus whose target sorts before it, or before
     * the first one on that bus that sorts after it */
    for (size_t i = def->ndisks; i-- > 0;) {
        const domain_disk_def *d = def->disks[i];
        if (d->bus != disk->bus)
            continue;
        if (domain_disk_name_to_index(d->dst) > idx) {
            at = i;
            found = true;
        } else if (!found) {
            at = i + 1;
            found = true;
        }
    }
    def->disks = g_renew(domain_disk_def *, def->disks, def->ndisks + 1);
    memmove(&def->disks[at + 1], &def->disks[at], (def->ndisks - at) * sizeof(*def->disks));
    def->disks[at] = disk;
    def->ndisks++;
}

/* libvirt's default drive address from the target name's index. */
static void assign_drive_address(domain_disk_def *disk, int idx, bool wide_scsi)
{
    domain_address *a = &disk->info.addr;

    a->type = DOMAIN_ADDR_DRIVE;
    switch (disk->bus) {
    case DOMAIN_DISK_BUS_IDE:
        a->controller = idx / 4, a->bus = (idx % 4) / 2, a->unit = idx % 2;
        break;
    case DOMAIN_DISK_BUS_SCSI:
        if (wide_scsi) {
            a->controller = idx / 15, a->unit = idx % 15;
            if (a->unit >= 7)
                a->unit++;      /* unit 7 is the controller itself */
        } else {
            a->controller = idx / 7, a->unit = idx % 7;
        }
        break;
    case DOMAIN_DISK_BUS_SATA:
        a->controller = idx / 6, a->unit = idx % 6;
        break;
    case DOMAIN_DISK_BUS_FDC:
        a->controller = idx / 2, a->unit = idx % 2;
        break;
    }
}

static bool needs_drive_address(const domain_disk_def *disk)
{
    return disk->info.addr.type == DOMAIN_ADDR_NONE &&
           (disk->bus == DOMAIN_DISK_BUS_IDE || disk->bus == DOMAIN_DISK_BUS_SCSI ||
            disk->bus == DOMAIN_DISK_BUS_SATA || disk->bus == DOMAIN_DISK_BUS_FDC);
}

static int disk_post_parse(domain_disk_def *disk, const domain_xml_options *opts)
{
    int idx = domain_disk_name_to_index(disk->dst);

    if (disk->device == DOMAIN_DISK_DEVICE_FLOPPY && !g_str_has_prefix(disk->dst, "fd")) {
        error_report(DOM_FROM, VIR_ERR_INTERNAL_ERROR, "Invalid floppy device name: %s", disk->dst);
        return -1;
    }
    if ((disk->device == DOMAIN_DISK_DEVICE_DISK || disk->device == DOMAIN_DISK_DEVICE_LUN) &&
        g_str_has_prefix(disk->dst, "fd")) {
        error_report(DOM_FROM, VIR_ERR_INTERNAL_ERROR, "Invalid harddisk device name: %s",
                     disk->dst);
        return -1;
    }
    if (!disk->bus)
        disk->bus = default_bus(disk);
    if (disk->device == DOMAIN_DISK_DEVICE_LUN && disk->src->type != DOMAIN_DISK_TYPE_BLOCK &&
        disk->src->type != DOMAIN_DISK_TYPE_NETWORK) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                     "disk device='lun' is only valid for block type disk source");
        return -1;
    }
    if (domain_disk_is_empty(disk) && disk->device != DOMAIN_DISK_DEVICE_CDROM &&
        disk->device != DOMAIN_DISK_DEVICE_FLOPPY) {
        error_report(DOM_FROM, VIR_ERR_NO_SOURCE, "%s", disk->dst);
        return -1;
    }
    if (disk->info.addr.type == DOMAIN_ADDR_NONE && idx < 0) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR, "Unknown disk name '%s' and no address specified",
                     disk->dst);
        return -1;
    }
    if (needs_drive_address(disk))
        assign_drive_address(disk, idx, opts && opts->wide_scsi);
    return 0;
}

/* Insert every disk again now that all have a bus. libvirt sorts the disks while
 * parsing, with the bus as written (none when absent), so its output moves when it is
 * defined again; doing that second pass at once gives the order it settles in. */
static void sort_disks(domain_def *def)
{
    domain_disk_def **disks = def->disks;
    size_t n = def->ndisks;

    def->disks = NULL;
    def->ndisks = 0;
    for (size_t i = 0; i < n; i++)
        domain_disk_insert(def, disks[i]);
    g_free(disks);
}

int domain_disks_post_parse(domain_def *def, const domain_xml_options *opts)
{
    for (size_t i = 0; i < def->ndisks; i++)
        if (disk_post_parse(def->disks[i], opts) < 0)
            return -1;
    sort_disks(def);
    for (size_t i = 0; i < def->ndisks; i++) {
        for (size_t j = i + 1; j < def->ndisks; j++) {
            const domain_disk_def *a = def->disks[i], *b = def->disks[j];
            if (strcmp(a->dst, b->dst) == 0) {
                error_report(DOM_FROM, VIR_ERR_XML_ERROR,
                             "target '%s' duplicated for disk sources '%s' and '%s'", a->dst,
                             a->src->path ? a->src->path : "<null>",
                             b->src->path ? b->src->path : "<null>");
                return -1;
            }
        }
    }
    return 0;
}
