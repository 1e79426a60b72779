/* The QEMU command line of a domain: machine, accelerator, CPUs, memory, boot
 * order, the monitor, then the controllers, disks and other devices. */
#include "drivers/qemu/qemu_command.h"

#include <string.h>
#include "drivers/qemu/qemu_block.h"
#include "util/error.h"
#include "util/uuid.h"
#include "util/xml.h"

#define FROM VIR_FROM_QEMU

static void add(GPtrArray *argv, const char *opt, char *value)
{
    g_ptr_array_add(argv, g_strdup(opt));
    g_ptr_array_add(argv, value);
}

static xmlNodePtr feature(const domain_def *def, const char *name)
{
    return xml_child(xml_extra_find_node(&def->extra, "features"), name);
}

static int validate_os(const domain_def *def)
{
    if (def->os_type != DOMAIN_OS_HVM) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "OS type '%s' is not supported (only 'hvm')",
                     domain_os_to_string(def->os_type));
        return -1;
    }
    if (def->os_arch && strcmp(def->os_arch, "x86_64") != 0 && strcmp(def->os_arch, "i686") != 0) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "No guest options available for arch '%s'",
                     def->os_arch);
        return -1;
    }
    if (xml_extra_find_node(&def->os_extra, "loader") || xml_extra_find_node(&def->os_extra, "nvram") ||
        xml_extra_get_attr(&def->os_extra, "firmware")) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                     "firmware other than the default BIOS (<loader>, <nvram>, firmware=) is not supported");
        return -1;
    }
    return 0;
}

int qemu_command_validate(const domain_def *def)
{
    if (validate_os(def) < 0)
        return -1;
    for (size_t i = 0; i < def->ndisks; i++)
        if (qemu_block_validate_disk(def, def->disks[i]) < 0)
            return -1;
    return qemu_command_validate_devices(def);
}

static void add_machine(GPtrArray *argv, const domain_def *def, const qemu_command_opts *opts)
{
    g_autofree char *name = qemu_command_escape(def->name);
    char uuid[UUID_STRING_LEN];

    add(argv, "-name", g_strdup_printf("guest=%s,debug-threads=on", name));
    g_ptr_array_add(argv, g_strdup("-S"));
    add(argv, "-machine", g_strdup_printf("%s,usb=off,dump-guest-core=off,acpi=%s",
                                          def->os_machine ? def->os_machine : "pc",
                                          feature(def, "acpi") ? "on" : "off"));
    add(argv, "-accel", g_strdup(opts->kvm ? "kvm" : "tcg"));
    uuid_format(def->uuid, uuid);
    add(argv, "-uuid", g_strdup(uuid));
}

/* -cpu from <cpu mode=...><model>: the host's CPU under KVM, QEMU's "max" under TCG. */
static void add_cpu(GPtrArray *argv, const domain_def *def, const qemu_command_opts *opts)
{
    xmlNodePtr cpu = xml_extra_find_node(&def->extra, "cpu");
    g_autofree char *mode = xml_prop(cpu, "mode");
    g_autofree char *model = xml_child_text(cpu, "model");

    if (mode && (strcmp(mode, "host-passthrough") == 0 || strcmp(mode, "host-model") == 0 ||
                 strcmp(mode, "maximum") == 0))
        add(argv, "-cpu", g_strdup(opts->kvm ? "host" : "max"));
    else if (model && *model)
        add(argv, "-cpu", g_strdup(model));
}

static unsigned int topology(xmlNodePtr topo, const char *attr, unsigned int fallback)
{
    g_autofree char *text = xml_prop(topo, attr);
    unsigned int v;

    return text && parse_uint(text, &v) && v > 0 ? v : fallback;
}

static void add_memory_smp(GPtrArray *argv, const domain_def *def)
{
    xmlNodePtr topo = xml_child(xml_extra_find_node(&def->extra, "cpu"), "topology");
    unsigned int current = def->has_vcpus_current ? def->vcpus_current : def->vcpus;
    unsigned int cores = topology(topo, "cores", 1), threads = topology(topo, "threads", 1);
    unsigned int dies = topology(topo, "dies", 1);
    unsigned int sockets = topology(topo, "sockets", def->vcpus / (cores * threads * dies) ?: 1);

    if (def->max_memory_kib)
        add(argv, "-m", g_strdup_printf("size=%lluk,slots=%u,maxmem=%lluk", def->memory_kib,
                                        def->max_memory_slots, def->max_memory_kib));
    else
        add(argv, "-m", g_strdup_printf("size=%lluk", def->memory_kib));
    add(argv, "-smp", g_strdup_printf("%u,maxcpus=%u,sockets=%u,dies=%u,cores=%u,threads=%u", current,
                                      def->vcpus, sockets, dies, cores, threads));
}

/* Boot indexes: the devices' own <boot order=>, else <os><boot dev=> in order, each
 * naming the first device of its kind. */
static void boot_indexes(const domain_def *def, unsigned int *disks, unsigned int *nets)
{
    bool per_device = false;
    unsigned int next = 1;

    for (size_t i = 0; i < def->ndisks; i++)
        per_device |= (disks[i] = def->disks[i]->info.boot_order) != 0;
    for (size_t i = 0; i < def->nnets; i++)
        per_device |= (nets[i] = def->nets[i]->info.boot_order) != 0;
    if (per_device)
        return;
    for (size_t b = 0; b < def->nboot_devs; b++) {
        int dev = def->boot_devs[b];
        if (dev == DOMAIN_BOOT_NET && def->nnets && !nets[0]) {
            nets[0] = next++;
            continue;
        }
        for (size_t i = 0; i < def->ndisks; i++) {
            int kind = def->disks[i]->device;
            bool match = (dev == DOMAIN_BOOT_DISK && kind == DOMAIN_DISK_DEVICE_DISK) ||
                         (dev == DOMAIN_BOOT_CDROM && kind == DOMAIN_DISK_DEVICE_CDROM);
            if (match && !disks[i]) {
                disks[i] = next++;
                break;
            }
        }
    }
}

static void add_os(GPtrArray *argv, const domain_def *def)
{
    g_autofree char *kernel = xml_text(xml_extra_find_node(&def->os_extra, "kernel"));
    g_autofree char *initrd = xml_text(xml_extra_find_node(&def->os_extra, "initrd"));
    g_autofree char *cmdline = xml_text(xml_extra_find_node(&def->os_extra, "cmdline"));

    if (kernel)
        add(argv, "-kernel", g_steal_pointer(&kernel));
    if (initrd)
        add(argv, "-initrd", g_steal_pointer(&initrd));
    if (cmdline)
        add(argv, "-append", g_steal_pointer(&cmdline));
    add(argv, "-rtc", g_strdup(def->clock_offset == DOMAIN_CLOCK_LOCALTIME ? "base=localtime"
                                                                           : "base=utc"));
    add(argv, "-boot", g_strdup("strict=on"));
}

static void add_monitor(GPtrArray *argv, const qemu_command_opts *opts)
{
    g_autofree char *path = qemu_command_escape(opts->monitor_path);

    add(argv, "-chardev", g_strdup_printf("socket,id=charmonitor,path=%s,server=on,wait=off", path));
    add(argv, "-mon", g_strdup("chardev=charmonitor,id=monitor,mode=control"));
}

static void add_flag(GPtrArray *argv, const char *flag)
{
    g_ptr_array_add(argv, g_strdup(flag));
}

GStrv qemu_command_build(domain_def *def, const qemu_command_opts *opts, const GPtrArray *disks)
{
    GPtrArray *argv = g_ptr_array_new();
    g_autofree unsigned int *disk_boot = g_new0(unsigned int, def->ndisks + 1);
    g_autofree unsigned int *net_boot = g_new0(unsigned int, def->nnets + 1);

    g_ptr_array_add(argv, g_strdup(def->emulator));
    add_machine(argv, def, opts);
    add_cpu(argv, def, opts);
    add_memory_smp(argv, def);
    add_flag(argv, "-no-user-config");
    add_flag(argv, "-nodefaults");
    add_flag(argv, "-no-shutdown");
    if (def->on_reboot == DOMAIN_LIFECYCLE_DESTROY)
        add_flag(argv, "-no-reboot");
    add(argv, "-display", g_strdup("none"));
    add_monitor(argv, opts);
    add_os(argv, def);
    boot_indexes(def, disk_boot, net_boot);
    qemu_command_add_controllers(argv, def);
    qemu_block_build_args(argv, def, disks, disk_boot);
    qemu_command_add_devices(argv, def, opts, net_boot);
    g_ptr_array_add(argv, NULL);
    return (GStrv)g_ptr_array_free(argv, FALSE);
}

char *qemu_command_to_string(const char *const *argv)
{
    GString *s = g_string_new("LC_ALL=C");

    for (size_t i = 0; argv[i]; i++) {
        bool plain = *argv[i] != '\0';
        for (const char *p = argv[i]; *p && plain; p++)
            plain = g_ascii_isalnum(*p) || strchr("-_=,.:/+@%", *p);
        if (plain) {
            g_string_append_printf(s, " %s", argv[i]);
        } else {
            g_autofree char *q = g_shell_quote(argv[i]);
            g_string_append_printf(s, " %s", q);
        }
    }
    return g_string_free(s, FALSE);
}
