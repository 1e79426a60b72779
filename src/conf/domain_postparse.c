/* Defaults and checks applied after parsing, as libvirt's generic post-parse does them. */
#include "conf/domain_priv.h"

#include <string.h>

#define CPUSET_MAX 16384

/* "0,1,3-5,^4" -> "0-1,3,5"; NULL (error reported) when not a CPU list. */
static char *cpuset_canonical(const char *text)
{
    g_autofree gboolean *set = g_new0(gboolean, CPUSET_MAX);
    g_auto(GStrv) parts = g_strsplit(text, ",", -1);
    GString *out = g_string_new(NULL);

    for (size_t i = 0; parts[i]; i++) {
        const char *p = parts[i];
        bool neg = *p == '^';
        unsigned int lo, hi;
        g_auto(GStrv) range = g_strsplit(p + neg, "-", 2);
        if (!parse_uint(range[0], &lo) || (range[1] && (neg || !parse_uint(range[1], &hi))))
            goto bad;
        if (!range[1])
            hi = lo;
        if (lo > hi || hi >= CPUSET_MAX)
            goto bad;
        for (unsigned int c = lo; c <= hi; c++)
            set[c] = !neg;
    }
    for (unsigned int c = 0; c < CPUSET_MAX; c++) {
        unsigned int end = c;
        if (!set[c])
            continue;
        while (end + 1 < CPUSET_MAX && set[end + 1])
            end++;
        g_string_append_printf(out, out->len ? ",%u" : "%u", c);
        if (end > c)
            g_string_append_printf(out, "-%u", end);
        c = end;
    }
    return g_string_free(out, FALSE);
bad:
    g_string_free(out, TRUE);
    error_report(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, "Failed to parse bitmap '%s'", text);
    return NULL;
}

static int post_parse_memory(domain_def *def)
{
    if (def->memory_kib == 0) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR,
                     "Memory size must be specified via <memory> or in the <numa> configuration");
        return -1;
    }
    if (!def->max_memory_kib != !def->max_memory_slots) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR,
                     "both maximum memory size and memory slot count must be specified");
        return -1;
    }
    if (def->max_memory_kib && def->max_memory_kib < def->memory_kib) {
        error_report(DOM_FROM, VIR_ERR_XML_ERROR,
                     "maximum memory size must be equal or greater than the actual memory size");
        return -1;
    }
    if (def->current_memory_kib == 0 || def->current_memory_kib > def->memory_kib)
        def->current_memory_kib = def->memory_kib;
    return 0;
}

static int post_parse_vcpu(domain_def *def)
{
    static const char numatune[] = "<numatune><memory mode='strict' placement='auto'/></numatune>";

    if (def->vcpus == 0) {
        error_report(DOM_FROM, VIR_ERR_INTERNAL_ERROR, "CPU IDs in <numa> exceed the <vcpu> count");
        return -1;
    }
    if (def->has_vcpus_current && def->vcpus_current > def->vcpus) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                     "maximum vCPU count must not be less than current vCPU count");
        return -1;
    }
    if (def->vcpu_placement == DOMAIN_PLACEMENT_AUTO) {
        g_clear_pointer(&def->vcpu_cpuset, g_free);
        if (!xml_extra_find_node(&def->extra, "numatune")) {
            g_autoptr(xmlDoc) doc = xml_parse(numatune, "numatune", NULL, VIR_FROM_DOMAIN);
            xml_extra_add_node(&def->extra, xmlDocGetRootElement(doc), &domain_top_order);
        }
    } else if (def->vcpu_cpuset) {
        char *canon = cpuset_canonical(def->vcpu_cpuset);
        if (!canon)
            return -1;
        g_free(def->vcpu_cpuset);
        def->vcpu_cpuset = canon;
    }
    return 0;
}

static bool has_device_boot(const domain_def *def)
{
    for (size_t i = 0; i < def->ndisks; i++)
        if (def->disks[i]->info.boot_order)
            return true;
    for (size_t i = 0; i < def->nnets; i++)
        if (def->nets[i]->info.boot_order)
            return true;
    for (size_t i = 0; i < def->devices_extra.nnodes; i++)
        if (xml_child(def->devices_extra.nodes[i].node, "boot"))
            return true;
    return false;
}

static int post_parse_os(domain_def *def, const domain_xml_options *opts)
{
    bool dev_boot = has_device_boot(def);

    /* a Xen guest's paravirtualized OS is called "linux" */
    if (def->virt_type == DOMAIN_VIRT_XEN && def->os_type == DOMAIN_OS_XEN)
        def->os_type = DOMAIN_OS_LINUX;
    if (!def->os_arch && opts && opts->default_arch)
        def->os_arch = g_strdup(opts->default_arch);
    if (dev_boot && def->nboot_devs) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                     "per-device boot elements cannot be used together with os/boot elements");
        return -1;
    }
    if (def->os_type == DOMAIN_OS_HVM && !dev_boot && !def->nboot_devs &&
        !xml_extra_find_node(&def->extra, "bootloader"))
        def->boot_devs[def->nboot_devs++] = DOMAIN_BOOT_DISK;
    return 0;
}

static int check_virt_type(const domain_def *def, const domain_xml_options *opts)
{
    if (!opts || !opts->virt_types)
        return 0;
    for (const int *t = opts->virt_types; *t >= 0; t++)
        if (*t == def->virt_type)
            return 0;
    error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                 "domain type '%s' is not supported by this driver",
                 domain_virt_to_string(def->virt_type));
    return -1;
}

static int check_lockfailure(const domain_def *def)
{
    static const char *const actions[] = {
        "default", "poweroff", "restart", "pause", "ignore", NULL
    };
    xmlNodePtr node = xml_extra_find_node(&def->extra, "on_lockfailure");
    g_autofree char *text = xml_text(node);

    if (node && xml_rank(actions, text) == (int)G_N_ELEMENTS(actions) - 1) {
        error_report(DOM_FROM, VIR_ERR_CONFIG_UNSUPPORTED, "unknown on_lockfailure action: %s",
                     text);
        return -1;
    }
    return 0;
}

static void add_controller(domain_def *def, int type, int idx)
{
    domain_controller_def *c;

    for (size_t i = 0; i < def->ncontrollers; i++)
        if (def->controllers[i]->type == type && def->controllers[i]->idx == idx)
            return;
    c = g_new0(domain_controller_def, 1);
    c->type = type;
    c->idx = idx;
    DOM_APPEND(def->controllers, def->ncontrollers, c);   /* sorted afterwards */
}

static void add_disk_controllers(domain_def *def, int type, int bus)
{
    int max = -1;

    for (size_t i = 0; i < def->ndisks; i++) {
        const domain_disk_def *d = def->disks[i];
        if (d->bus == bus && d->info.addr.type == DOMAIN_ADDR_DRIVE &&
            (int)d->info.addr.controller > max)
            max = (int)d->info.addr.controller;
    }
    for (int i = 0; i <= max; i++)
        add_controller(def, type, i);
}

static void add_virtio_serial(domain_def *def, domain_chr_def **chrs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (g_strcmp0(chrs[i]->target_type, "virtio") != 0)
            continue;
        add_controller(def, DOMAIN_CONTROLLER_VIRTIO_SERIAL,
                       chrs[i]->info.addr.type == DOMAIN_ADDR_VIRTIO_SERIAL
                           ? (int)chrs[i]->info.addr.controller : 0);
    }
}

/* Give controllers without index= the lowest free one. */
static void assign_controller_indexes(domain_def *def)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        domain_controller_def *c = def->controllers[i];
        if (c->idx != -1)
            continue;
        for (c->idx = 0;; c->idx++) {
            bool used = false;
            for (size_t j = 0; j < def->ncontrollers && !used; j++)
                used = j != i && def->controllers[j]->type == c->type &&
                       def->controllers[j]->idx == c->idx;
            if (!used)
                break;
        }
    }
}

/* Insert every controller again now that all have an index. libvirt leaves those
 * without index= and the implicit ones where they landed, so its output moves them
 * when it is defined again; doing that second pass at once gives the order it
 * settles in. */
static void sort_controllers(domain_def *def)
{
    domain_controller_def **list = def->controllers;
    size_t n = def->ncontrollers;

    def->controllers = NULL;
    def->ncontrollers = 0;
    for (size_t i = 0; i < n; i++)
        domain_controller_insert(def, list[i]);
    g_free(list);
}

static void post_parse_controllers(domain_def *def)
{
    assign_controller_indexes(def);
    add_disk_controllers(def, DOMAIN_CONTROLLER_SCSI, DOMAIN_DISK_BUS_SCSI);
    add_disk_controllers(def, DOMAIN_CONTROLLER_FDC, DOMAIN_DISK_BUS_FDC);
    add_disk_controllers(def, DOMAIN_CONTROLLER_IDE, DOMAIN_DISK_BUS_IDE);
    add_disk_controllers(def, DOMAIN_CONTROLLER_SATA, DOMAIN_DISK_BUS_SATA);
    add_virtio_serial(def, def->channels, def->nchannels);
    add_virtio_serial(def, def->consoles, def->nconsoles);
    sort_controllers(def);
}

/* libvirt's console/serial compatibility: the first console of an HVM guest is the
 * first serial port. */
static void console_compat(domain_def *def)
{
    domain_chr_def *first = def->nconsoles ? def->consoles[0] : NULL;

    if (def->os_type != DOMAIN_OS_HVM)
        return;
    if (first && (!first->target_type || strcmp(first->target_type, "serial") == 0)) {
        if (!def->nserials) {
            domain_chr_def *serial = domain_chr_copy(first);
            serial->device = DOMAIN_CHR_DEVICE_SERIAL;
            g_clear_pointer(&serial->target_type, g_free);
            serial->target_port = 0;
            DOM_APPEND(def->serials, def->nserials, serial);
        }
        g_free(first->target_type);
        first->target_type = g_strdup("serial");
        first->target_port = def->serials[0]->target_port;
    } else if (def->nserials) {
        domain_chr_def *console = domain_chr_copy(def->serials[0]);
        console->device = DOMAIN_CHR_DEVICE_CONSOLE;
        g_free(console->target_type);
        console->target_type = g_strdup("serial");
        def->consoles = g_renew(domain_chr_def *, def->consoles, def->nconsoles + 1);
        memmove(&def->consoles[1], &def->consoles[0], def->nconsoles * sizeof(*def->consoles));
        def->consoles[0] = console;
        def->nconsoles++;
    }
}

/* Give ports to the devices of a list that have none: one more than the highest so
 * far among those of the same target type. */
static void assign_ports(domain_chr_def **chrs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int max = -1;
        if (chrs[i]->target_port >= 0)
            continue;
        for (size_t j = 0; j < n; j++)
            if (j != i && g_strcmp0(chrs[j]->target_type, chrs[i]->target_type) == 0 &&
                chrs[j]->target_port > max)
                max = chrs[j]->target_port;
        chrs[i]->target_port = max + 1;
    }
}

static void post_parse_chrs(domain_def *def)
{
    for (size_t i = 0; i < def->nconsoles; i++)
        if (!def->consoles[i]->target_type && (def->os_type != DOMAIN_OS_HVM || i > 0))
            def->consoles[i]->target_type = g_strdup("serial");
    assign_ports(def->serials, def->nserials);
    console_compat(def);
    assign_ports(def->parallels, def->nparallels);
    assign_ports(def->consoles, def->nconsoles);
    if (def->os_type == DOMAIN_OS_HVM && def->nconsoles && def->nserials &&
        strcmp(def->consoles[0]->target_type, "serial") == 0)
        def->consoles[0]->target_port = def->serials[0]->target_port;
}

static void generate_mac(domain_net_def *net)
{
    unsigned char r[3];

    for (int i = 0; i < 3; i++)
        r[i] = (unsigned char)g_random_int_range(0, 256);
    net->mac = g_strdup_printf("52:54:00:%02x:%02x:%02x", r[0], r[1], r[2]);
}

static void post_parse_nets(domain_def *def, const domain_xml_options *opts)
{
    for (size_t i = 0; i < def->nnets; i++) {
        domain_net_def *net = def->nets[i];
        if (!net->mac)
            generate_mac(net);
        if (net->ifname || !opts || !opts->ifname_prefix)
            continue;
        for (int n = 0; !net->ifname; n++) {
            g_autofree char *name = g_strdup_printf("%s%d", opts->ifname_prefix, n);
            bool used = false;
            for (size_t j = 0; j < def->nnets && !used; j++)
                used = g_strcmp0(def->nets[j]->ifname, name) == 0;
            if (!used)
                net->ifname = g_steal_pointer(&name);
        }
    }
}


int domain_def_post_parse(domain_def *def, const domain_xml_options *opts, unsigned int flags)
{
    if (check_virt_type(def, opts) < 0 || check_lockfailure(def) < 0 ||
        post_parse_memory(def) < 0 || post_parse_vcpu(def) < 0 ||
        domain_disks_post_parse(def, opts) < 0 || post_parse_os(def, opts) < 0 ||
        domain_videos_post_parse(def) < 0)
        return -1;
    post_parse_chrs(def);
    post_parse_controllers(def);
    post_parse_nets(def, opts);
    if (opts && opts->post_parse && opts->post_parse(def, flags, opts->opaque) < 0)
        return -1;
    return 0;
}
