/* Reading the <domain> element: identity, memory, vCPUs, OS, clock, lifecycle, devices. */
#include "conf/domain_priv.h"

#include <string.h>

ENUM_IMPL(domain_virt, DOMAIN_VIRT_LAST,
          "none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz", "test", "vmware",
          "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz", "hvf")
ENUM_IMPL(domain_os, DOMAIN_OS_LAST, "none", "hvm", "xen", "linux", "exe", "uml", "xenpvh")
ENUM_IMPL(domain_boot, DOMAIN_BOOT_LAST, "fd", "hd", "cdrom", "network")
ENUM_IMPL(domain_lifecycle, DOMAIN_LIFECYCLE_LAST, "destroy", "restart", "rename-restart",
          "preserve", "coredump-destroy", "coredump-restart")
ENUM_IMPL(domain_clock, DOMAIN_CLOCK_LAST, "utc", "localtime", "variable", "timezone", "absolute")
ENUM_IMPL(domain_placement, DOMAIN_PLACEMENT_LAST, "static", "auto")

static const char *const arch_names[] = {
    "alpha", "armv6l", "armv7l", "armv7b", "aarch64", "cris", "i686", "ia64", "lm32",
    "loongarch64", "m68k", "microblaze", "microblazeel", "mips", "mipsel", "mips64",
    "mips64el", "openrisc", "parisc", "parisc64", "ppc", "ppcle", "ppc64", "ppc64le", "ppcemb",
    "riscv32", "riscv64", "s390", "s390x", "sh4", "sh4eb", "sparc", "sparc64", "unicore32",
    "x86_64", "xtensa", "xtensaeb", NULL,
};

/* The elements of <domain> this file reads itself; everything else is kept. */
static xml_names top_modelled = {
    "name", "uuid", "title", "description", "maxMemory", "memory", "currentMemory", "vcpu",
    "os", "clock", "on_poweroff", "on_reboot", "on_crash", "devices", NULL,
};

/* Scale value by unit as libvirt does (b, k/KiB, KB, M/MiB, MB, ... E), to bytes,
 * refusing results above LLONG_MAX. */
static int scale_bytes(unsigned long long value, const char *unit, unsigned long long *ret)
{
    unsigned long long scale = 1, base = 1024, max = G_MAXINT64;
    const char *p = "bkmgtpe";
    const char *at;

    if (!unit || !*unit) {
        scale = 1024;
    } else if (g_ascii_strcasecmp(unit, "b") == 0 || g_ascii_strcasecmp(unit, "byte") == 0 ||
               g_ascii_strcasecmp(unit, "bytes") == 0) {
        scale = 1;
    } else {
        if (!unit[1] || g_ascii_strcasecmp(unit + 1, "iB") == 0)
            base = 1024;
        else if (g_ascii_tolower(unit[1]) == 'b' && !unit[2])
            base = 1000;
        else
            goto bad;
        if (!(at = strchr(p, g_ascii_tolower(unit[0]))) || at == p)
            goto bad;
        for (; at > p; at--)
            scale *= base;
    }
    if (value > max / scale) {
        error_report(VIR_FROM_NONE, VIR_ERR_OVERFLOW, "value too large: %llu%s", value,
                     unit ? unit : "");
        return -1;
    }
    *ret = value * scale;
    return 0;
bad:
    error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "unknown suffix '%s'", unit);
    return -1;
}

/* <name unit=...>N</name> into KiB (rounded up); 0 when absent. */
static int parse_memory(xmlNodePtr top, const char *name, unsigned long long *ret_kib,
                        xmlNodePtr *ret_node)
{
    xmlNodePtr node = xml_child(top, name);
    g_autofree char *text = xml_text(node);
    g_autofree char *unit = xml_prop(node, "unit");
    unsigned long long value, bytes;

    *ret_node = node;
    if (!node)
        return 0;
    if (!parse_ull(text, &value)) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                     "Invalid value '%s' for element or attribute './%s[1]'", text, name);
        return -1;
    }
    if (scale_bytes(value, unit, &bytes) < 0)
        return -1;
    *ret_kib = bytes / 1024 + (bytes % 1024 ? 1 : 0);
    return 0;
}

/* Without <memory>, libvirt takes the sum of the guest NUMA cells' memory. */
static int numa_memory(xmlNodePtr top, unsigned long long *ret_kib)
{
    xmlNodePtr numa = xml_child(xml_child(top, "cpu"), "numa");

    *ret_kib = 0;
    for (xmlNodePtr cell = xml_child(numa, "cell"); cell; cell = xml_next_named(cell, "cell")) {
        g_autofree char *mem = xml_prop(cell, "memory");
        g_autofree char *unit = xml_prop(cell, "unit");
        unsigned long long value, bytes;
        if (!parse_ull(mem, &value)) {
            error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                         "Invalid value for attribute 'memory' in element 'cell': '%s'.",
                         mem ? mem : "");
            return -1;
        }
        if (scale_bytes(value, unit, &bytes) < 0)
            return -1;
        *ret_kib += bytes / 1024 + (bytes % 1024 ? 1 : 0);
    }
    return 0;
}

static int parse_memories(domain_def *def, xmlNodePtr top)
{
    xmlNodePtr node;

    if (parse_memory(top, "maxMemory", &def->max_memory_kib, &node) < 0)
        return -1;
    if (node && dom_prop_uint(node, "slots", &def->max_memory_slots, NULL) < 0)
        return -1;
    if (parse_memory(top, "memory", &def->memory_kib, &node) < 0)
        return -1;
    if (node)
        xml_extra_collect(&def->memory_extra, node, NULL,
                          (const char *const[]){ "unit", NULL }, NULL, NULL);
    if (!def->memory_kib && numa_memory(top, &def->memory_kib) < 0)
        return -1;
    return parse_memory(top, "currentMemory", &def->current_memory_kib, &node);
}

static int parse_vcpu(domain_def *def, xmlNodePtr top)
{
    xmlNodePtr node = xml_child(top, "vcpu");
    g_autofree char *text = xml_text(node);
    g_autofree char *current = xml_prop(node, "current");

    def->vcpus = 1;
    if (!node)
        return 0;
    if (!parse_uint(text, &def->vcpus)) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR, "maximum vcpus count must be an integer");
        return -1;
    }
    if (current) {
        if (!parse_uint(current, &def->vcpus_current)) {
            error_report(DOM_FROM, VIR_ERR_XML_ERROR, "current vcpus count must be an integer");
            return -1;
        }
        def->has_vcpus_current = true;
    }
    if (xml_prop_enum(node, "placement", domain_placement_from_string, &def->vcpu_placement) < 0)
        return -1;
    def->vcpu_cpuset = xml_prop(node, "cpuset");
    xml_extra_collect(&def->vcpu_extra, node, NULL,
                      (const char *const[]){ "current", "placement", "cpuset", NULL }, NULL, NULL);
    return 0;
}

static int parse_boot_devs(domain_def *def, xmlNodePtr os)
{
    for (xmlNodePtr b = xml_child(os, "boot"); b; b = xml_next_named(b, "boot")) {
        int dev;
        g_autofree char *v = xml_prop(b, "dev");
        if (!v) {
            dom_report_missing_attr(b, "dev");
            return -1;
        }
        if (xml_prop_enum(b, "dev", domain_boot_from_string, &dev) < 0)
            return -1;
        if (def->nboot_devs < DOMAIN_BOOT_LAST)
            def->boot_devs[def->nboot_devs++] = dev;
    }
    return 0;
}

static const char *const os_children[] = {
    "type", "firmware", "init", "initarg", "initenv", "initdir", "inituser", "initgroup",
    "loader", "nvram", "kernel", "initrd", "cmdline", "shim", "dtb", "acpi", "boot",
    "bootmenu", "bios", "smbios", NULL,
};
const xml_order domain_os_order = { (const char *const[]){ "firmware", NULL }, os_children };
const xml_order domain_os_type_order = { (const char *const[]){ "arch", "machine", NULL }, NULL };

static int parse_os(domain_def *def, xmlNodePtr top)
{
    xmlNodePtr os = xml_child(top, "os");
    xmlNodePtr type = xml_child(os, "type");
    g_autofree char *text = xml_text(type);

    if (!type) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR, "an os <type> must be specified");
        return -1;
    }
    if ((def->os_type = domain_os_from_string(text)) <= DOMAIN_OS_NONE) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED, "unknown OS type '%s'", text);
        return -1;
    }
    def->os_arch = xml_prop(type, "arch");
    if (def->os_arch && xml_rank(arch_names, def->os_arch) == (int)G_N_ELEMENTS(arch_names) - 1) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED, "Unknown architecture %s", def->os_arch);
        return -1;
    }
    def->os_machine = xml_prop(type, "machine");
    if (parse_boot_devs(def, os) < 0)
        return -1;
    xml_extra_collect(&def->os_type_extra, type, &domain_os_type_order,
                      (const char *const[]){ "arch", "machine", NULL }, NULL, NULL);
    xml_extra_collect(&def->os_extra, os, &domain_os_order, NULL,
                      (const char *const[]){ "type", "boot", NULL }, NULL);
    return 0;
}

const xml_order domain_clock_order = {
    (const char *const[]){ "offset", "timezone", "adjustment", "basis", NULL }, NULL,
};

static int parse_clock(domain_def *def, xmlNodePtr top)
{
    xmlNodePtr clock = xml_child(top, "clock");
    g_autofree char *offset = xml_prop(clock, "offset");

    if (offset && (def->clock_offset = domain_clock_from_string(offset)) < 0) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED, "unknown clock offset '%s'", offset);
        return -1;
    }
    if (clock)
        xml_extra_collect(&def->clock_extra, clock, &domain_clock_order,
                          (const char *const[]){ "offset", NULL }, NULL, NULL);
    if (def->clock_offset == DOMAIN_CLOCK_TIMEZONE &&
        !xml_extra_get_attr(&def->clock_extra, "timezone")) {
        error_report(DOM_FROM, VIR_ERR_INTERNAL_ERROR,
                     "missing 'timezone' attribute for clock with offset='timezone'");
        return -1;
    }
    if (def->clock_offset == DOMAIN_CLOCK_VARIABLE) {
        if (!xml_extra_get_attr(&def->clock_extra, "adjustment"))
            xml_extra_set_attr(&def->clock_extra, "adjustment", "0", &domain_clock_order);
        if (!xml_extra_get_attr(&def->clock_extra, "basis"))
            xml_extra_set_attr(&def->clock_extra, "basis", "utc", &domain_clock_order);
    }
    return 0;
}

static int parse_lifecycle(xmlNodePtr top, const char *event, int dflt, bool crash, int *ret)
{
    g_autofree char *name = g_strdup_printf("on_%s", event);
    g_autofree char *text = xml_child_text(top, name);
    int action;

    *ret = dflt;
    if (!text)
        return 0;
    if ((action = domain_lifecycle_from_string(text)) < 0) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED, "unknown %s action: %s", name, text);
        return -1;
    }
    if (!crash && action >= DOMAIN_LIFECYCLE_COREDUMP_DESTROY) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                     "Lifecycle event '%s' doesn't support '%s' action", event, text);
        return -1;
    }
    *ret = action;
    return 0;
}

static int parse_identity(domain_def *def, xmlNodePtr top)
{
    g_autofree char *type = xml_prop(top, "type");
    g_autofree char *uuid = NULL;
    xmlNodePtr node;

    /* libvirt's order: the name must exist, then the type, the UUID, and only then
     * is the name's content checked. */
    def->name = xml_child_text(top, "name");
    if (!def->name || !*def->name) {
        error_report(DOM_FROM, VIR_ERR_NO_NAME, NULL);
        return -1;
    }
    if (!type) {
        error_report(DOM_FROM, VIR_ERR_INTERNAL_ERROR, "missing domain type attribute");
        return -1;
    }
    if ((def->virt_type = domain_virt_from_string(type)) < 0) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED, "invalid domain type %s", type);
        return -1;
    }
    if ((node = xml_child(top, "uuid"))) {
        uuid = xml_text(node);
        if (!uuid_parse(uuid, def->uuid)) {
            error_report(DOM_FROM, VIR_ERR_INTERNAL_ERROR, "malformed uuid element");
            return -1;
        }
    } else {
        uuid_generate(def->uuid);
    }
    def->title = xml_child_text(top, "title");
    if (def->title && strchr(def->title, '\n')) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR, "Domain title can't contain newlines");
        return -1;
    }
    def->description = xml_child_text(top, "description");
    return domain_name_check(def->name) ? 0 : -1;
}

bool domain_name_check(const char *name)
{
    if (!name || !*name) {
        error_report(DOM_FROM, VIR_ERR_NO_NAME, NULL);
        return false;
    }
    if (strchr(name, '\n')) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_DETAIL, "invalid char in name: \n");
        return false;
    }
    if (strchr(name, '/')) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR, "name %s cannot contain '/'", name);
        return false;
    }
    return true;
}

/* One device element: append it to its list, or keep it unmodelled. */
static int parse_device(domain_def *def, xmlNodePtr n, const domain_parse_ctx *ctx,
                        const xml_order *order)
{
#define ADD(list, count, parsed) \
    do { \
        __typeof__(*(list)) item_ = (parsed); \
        if (!item_) \
            return -1; \
        DOM_APPEND(list, count, item_); \
        return 0; \
    } while (0)

    if (n->ns) {
        if (!ctx->skip_ns || !n->ns->href || strcmp((const char *)n->ns->href, ctx->skip_ns) != 0)
            xml_extra_add_node(&def->devices_extra, n, order);
        return 0;
    }
    if (xml_is(n, "disk")) {
        domain_disk_def *disk = domain_disk_parse(n, ctx);
        if (!disk)
            return -1;
        domain_disk_insert(def, disk);
    } else if (xml_is(n, "controller")) {
        domain_controller_def *c = domain_controller_parse(n, ctx);
        if (!c)
            return -1;
        domain_controller_insert(def, c);
    } else if (xml_is(n, "interface")) {
        ADD(def->nets, def->nnets, domain_net_parse(n, ctx));
    } else if (xml_is(n, "serial")) {
        ADD(def->serials, def->nserials, domain_chr_parse(n, DOMAIN_CHR_DEVICE_SERIAL, ctx));
    } else if (xml_is(n, "parallel")) {
        ADD(def->parallels, def->nparallels, domain_chr_parse(n, DOMAIN_CHR_DEVICE_PARALLEL, ctx));
    } else if (xml_is(n, "console")) {
        ADD(def->consoles, def->nconsoles, domain_chr_parse(n, DOMAIN_CHR_DEVICE_CONSOLE, ctx));
    } else if (xml_is(n, "channel")) {
        ADD(def->channels, def->nchannels, domain_chr_parse(n, DOMAIN_CHR_DEVICE_CHANNEL, ctx));
    } else if (xml_is(n, "graphics")) {
        ADD(def->graphics, def->ngraphics, domain_graphics_parse(n, ctx));
    } else if (xml_is(n, "video")) {
        ADD(def->videos, def->nvideos, domain_video_parse(n, ctx));
    } else if (xml_is(n, "memballoon")) {
        if (!def->memballoon && !(def->memballoon = domain_memballoon_parse(n, ctx)))
            return -1;
    } else if (xml_is(n, "emulator")) {
        if (!def->emulator)
            def->emulator = xml_text(n);
    } else {
        xml_extra_add_node(&def->devices_extra, n, order);
    }
    return 0;
#undef ADD
}

static int parse_devices(domain_def *def, xmlNodePtr top, const domain_parse_ctx *ctx)
{
    xmlNodePtr devices = xml_child(top, "devices");

    if (!devices)
        return 0;
    for (xmlNodePtr n = devices->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && parse_device(def, n, ctx, &domain_devices_order) < 0)
            return -1;
    return 0;
}

int domain_def_parse_element(domain_def *def, xmlNodePtr top, const domain_parse_ctx *ctx)
{
    if (parse_identity(def, top) < 0 || parse_memories(def, top) < 0 || parse_vcpu(def, top) < 0 ||
        parse_os(def, top) < 0 || parse_clock(def, top) < 0 ||
        parse_lifecycle(top, "poweroff", DOMAIN_LIFECYCLE_DESTROY, false, &def->on_poweroff) < 0 ||
        parse_lifecycle(top, "reboot", DOMAIN_LIFECYCLE_RESTART, false, &def->on_reboot) < 0 ||
        parse_lifecycle(top, "crash", DOMAIN_LIFECYCLE_DESTROY, true, &def->on_crash) < 0)
        return -1;
    if (parse_devices(def, top, ctx) < 0)
        return -1;
    xml_extra_collect(&def->extra, top, &domain_top_order,
                      (const char *const[]){ "type", "id", NULL }, top_modelled, ctx->skip_ns);
    return 0;
}
