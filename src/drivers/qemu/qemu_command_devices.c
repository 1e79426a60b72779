/* The QEMU command line's devices other than disks: controllers, character devices
 * (serial ports, consoles, channels such as the guest agent's), network cards,
 * video, balloon, RNG, panic; and the check that the driver can give each one. */
#include "drivers/qemu/qemu_command.h"

#include <string.h>
#include "drivers/qemu/qemu_block.h"
#include "util/error.h"
#include "util/xml.h"

#define FROM VIR_FROM_QEMU
#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

char *qemu_command_escape(const char *value)
{
    g_auto(GStrv) parts = g_strsplit(value, ",", -1);
    return g_strjoinv(",,", parts);
}

static void add(GPtrArray *argv, const char *opt, char *value)
{
    g_ptr_array_add(argv, g_strdup(opt));
    g_ptr_array_add(argv, value);
}

/* -device from a JSON object (consumed). */
static void add_device(GPtrArray *argv, json_object *o)
{
    add(argv, "-device", g_strdup(json_object_to_json_string_ext(o, JSON_FLAGS)));
    json_object_put(o);
}

static json_object *device_new(const char *driver, const char *id)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "driver", json_object_new_string(driver));
    if (id)
        json_object_object_add(o, "id", json_object_new_string(id));
    return o;
}

static void set_alias(domain_device_info *info, char *alias)
{
    g_free(info->alias);
    info->alias = alias;
}

/* ---- controllers ---- */

/* The QEMU device of a controller; "" when the machine has it built in or it
 * needs none; NULL when unsupported. */
static const char *controller_driver(const domain_def *def, const domain_controller_def *c)
{
    bool q35 = qemu_machine_is_q35(def->os_machine);

    switch (c->type) {
    case DOMAIN_CONTROLLER_SCSI:
        if (!c->model || strcmp(c->model, "virtio-scsi") == 0)
            return "virtio-scsi-pci";
        return strcmp(c->model, "lsilogic") == 0 ? "lsi" : NULL;
    case DOMAIN_CONTROLLER_SATA:
        return q35 && c->idx == 0 ? "" : "ich9-ahci";
    case DOMAIN_CONTROLLER_IDE:
        return !q35 && c->idx == 0 ? "" : NULL;
    case DOMAIN_CONTROLLER_VIRTIO_SERIAL:
        return "virtio-serial-pci";
    case DOMAIN_CONTROLLER_USB:
        if (!c->model)
            return q35 ? "qemu-xhci" : "piix3-usb-uhci";
        if (strcmp(c->model, "none") == 0)
            return "";
        if (strcmp(c->model, "piix3-uhci") == 0)
            return "piix3-usb-uhci";
        if (strcmp(c->model, "qemu-xhci") == 0)
            return "qemu-xhci";
        if (strcmp(c->model, "nec-xhci") == 0)
            return "nec-usb-xhci";
        return strcmp(c->model, "ich9-ehci1") == 0 ? "ich9-usb-ehci1" : NULL;
    case DOMAIN_CONTROLLER_PCI:   /* the root bus is built in; QEMU places devices */
    case DOMAIN_CONTROLLER_FDC:
    case DOMAIN_CONTROLLER_ISA:
        return "";
    default:
        return NULL;
    }
}

static char *controller_alias(const domain_def *def, const domain_controller_def *c)
{
    bool q35 = qemu_machine_is_q35(def->os_machine);

    switch (c->type) {
    case DOMAIN_CONTROLLER_SCSI:
        return g_strdup_printf("scsi%d", c->idx);
    case DOMAIN_CONTROLLER_SATA:
        return q35 && c->idx == 0 ? g_strdup("ide") : g_strdup_printf("sata%d", c->idx);
    case DOMAIN_CONTROLLER_IDE:
        return g_strdup("ide");
    case DOMAIN_CONTROLLER_VIRTIO_SERIAL:
        return g_strdup_printf("virtio-serial%d", c->idx);
    case DOMAIN_CONTROLLER_USB:
        return c->idx == 0 ? g_strdup("usb") : g_strdup_printf("usb%d", c->idx);
    case DOMAIN_CONTROLLER_PCI:
        return g_strdup_printf(q35 ? "pcie.%d" : "pci.%d", c->idx);
    default:
        return NULL;
    }
}

void qemu_command_add_controllers(GPtrArray *argv, domain_def *def)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        domain_controller_def *c = def->controllers[i];
        const char *driver = controller_driver(def, c);
        char *alias = controller_alias(def, c);

        if (alias)
            set_alias(&c->info, alias);
        if (driver && *driver && alias)
            add_device(argv, device_new(driver, alias));
    }
}

/* ---- character devices ---- */

static bool chr_type_supported(const domain_chr_def *chr)
{
    switch (chr->type) {
    case DOMAIN_CHR_NULL:
    case DOMAIN_CHR_PTY:
        return true;
    case DOMAIN_CHR_FILE:
    case DOMAIN_CHR_UNIX:
        return chr->source_path != NULL || chr->device == DOMAIN_CHR_DEVICE_CHANNEL;
    default:
        return false;
    }
}

/* -chardev for chr, called id. */
static void add_chardev(GPtrArray *argv, const domain_chr_def *chr, const char *id)
{
    g_autofree char *path = chr->source_path ? qemu_command_escape(chr->source_path) : NULL;

    switch (chr->type) {
    case DOMAIN_CHR_FILE:
        add(argv, "-chardev", g_strdup_printf("file,id=%s,path=%s", id, path));
        break;
    case DOMAIN_CHR_UNIX:
        if (g_strcmp0(chr->source_mode, "connect") == 0)
            add(argv, "-chardev", g_strdup_printf("socket,id=%s,path=%s", id, path));
        else
            add(argv, "-chardev", g_strdup_printf("socket,id=%s,path=%s,server=on,wait=off", id, path));
        break;
    case DOMAIN_CHR_PTY:
        add(argv, "-chardev", g_strdup_printf("pty,id=%s", id));
        break;
    default:
        add(argv, "-chardev", g_strdup_printf("null,id=%s", id));
        break;
    }
}

static void add_serials(GPtrArray *argv, domain_def *def)
{
    for (size_t i = 0; i < def->nserials; i++) {
        domain_chr_def *chr = def->serials[i];
        g_autofree char *id = NULL;
        json_object *o;

        set_alias(&chr->info, g_strdup_printf("serial%zu", i));
        id = g_strdup_printf("char%s", chr->info.alias);
        add_chardev(argv, chr, id);
        o = device_new("isa-serial", chr->info.alias);
        json_object_object_add(o, "chardev", json_object_new_string(id));
        json_object_object_add(o, "index", json_object_new_int(chr->target_port < 0 ? 0 : chr->target_port));
        add_device(argv, o);
    }
}

/* A device on a virtio-serial bus (virtconsole, virtserialport). */
static void add_virtio_port(GPtrArray *argv, domain_chr_def *chr, const char *driver)
{
    g_autofree char *id = g_strdup_printf("char%s", chr->info.alias);
    const domain_address *a = &chr->info.addr;
    bool addressed = a->type == DOMAIN_ADDR_VIRTIO_SERIAL;
    g_autofree char *bus = g_strdup_printf("virtio-serial%u.%u", addressed ? a->controller : 0,
                                           addressed ? a->bus : 0);
    json_object *o = device_new(driver, chr->info.alias);

    add_chardev(argv, chr, id);
    json_object_object_add(o, "bus", json_object_new_string(bus));
    if (addressed && a->port)
        json_object_object_add(o, "nr", json_object_new_int((int)a->port));
    json_object_object_add(o, "chardev", json_object_new_string(id));
    if (chr->target_name)
        json_object_object_add(o, "name", json_object_new_string(chr->target_name));
    add_device(argv, o);
}

static void add_consoles(GPtrArray *argv, domain_def *def)
{
    for (size_t i = 0; i < def->nconsoles; i++) {
        domain_chr_def *chr = def->consoles[i];
        if (g_strcmp0(chr->target_type, "serial") == 0) {
            /* the first serial port itself, shown twice as libvirt shows it */
            set_alias(&chr->info, g_strdup("serial0"));
            if (chr->type == DOMAIN_CHR_PTY && def->nserials && def->serials[0]->source_path) {
                g_free(chr->source_path);
                chr->source_path = g_strdup(def->serials[0]->source_path);
            }
            continue;
        }
        set_alias(&chr->info, g_strdup_printf("console%zu", i));
        add_virtio_port(argv, chr, "virtconsole");
    }
}

static void add_channels(GPtrArray *argv, domain_def *def, const qemu_command_opts *opts)
{
    for (size_t i = 0; i < def->nchannels; i++) {
        domain_chr_def *chr = def->channels[i];
        set_alias(&chr->info, g_strdup_printf("channel%zu", i));
        if (chr->type == DOMAIN_CHR_UNIX && !chr->source_path) {
            chr->source_path = g_build_filename(opts->run_dir, chr->target_name ? chr->target_name
                                                                                 : chr->info.alias, NULL);
            g_free(chr->source_mode);
            chr->source_mode = g_strdup("bind");
            chr->has_source = true;
        }
        if (chr->target_name && !chr->target_state)
            chr->target_state = g_strdup("disconnected");
        add_virtio_port(argv, chr, "virtserialport");
    }
}

static int validate_chrs(domain_chr_def **chrs, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        const domain_chr_def *chr = chrs[i];
        const char *target = chr->target_type;
        bool ok_target;

        if (!chr_type_supported(chr)) {
            error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                         "%s type '%s' is not supported (use pty, file, unix or null, with a path)",
                         what, domain_chr_to_string(chr->type));
            return -1;
        }
        if (chr->device == DOMAIN_CHR_DEVICE_SERIAL)
            ok_target = !target || strcmp(target, "isa-serial") == 0;
        else if (chr->device == DOMAIN_CHR_DEVICE_CONSOLE)
            ok_target = !target || strcmp(target, "serial") == 0 || strcmp(target, "virtio") == 0;
        else
            ok_target = target && strcmp(target, "virtio") == 0;
        if (!ok_target) {
            error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "%s target type '%s' is not supported",
                         what, target ? target : "");
            return -1;
        }
    }
    return 0;
}

/* ---- network cards, video, balloon, the rest ---- */

static const char *net_driver(const char *model)
{
    if (!model || strcmp(model, "rtl8139") == 0)
        return "rtl8139";
    if (strcmp(model, "virtio") == 0)
        return "virtio-net-pci";
    if (strcmp(model, "e1000") == 0 || strcmp(model, "e1000e") == 0)
        return model;
    return NULL;
}

static void add_nets(GPtrArray *argv, domain_def *def, const unsigned int *bootindex)
{
    for (size_t i = 0; i < def->nnets; i++) {
        domain_net_def *net = def->nets[i];
        g_autofree char *netdev = g_strdup_printf("hostnet%zu", i);
        json_object *o;

        set_alias(&net->info, g_strdup_printf("net%zu", i));
        add(argv, "-netdev", g_strdup_printf("{\"type\":\"user\",\"id\":\"%s\"}", netdev));
        o = device_new(net_driver(net->model), net->info.alias);
        json_object_object_add(o, "netdev", json_object_new_string(netdev));
        json_object_object_add(o, "mac", json_object_new_string(net->mac));
        if (bootindex[i])
            json_object_object_add(o, "bootindex", json_object_new_int((int)bootindex[i]));
        add_device(argv, o);
    }
}

static const char *video_driver(const domain_video_def *v)
{
    const char *m = v->model ? v->model : "vga";

    if (strcmp(m, "vga") == 0)
        return "VGA";
    if (strcmp(m, "cirrus") == 0)
        return "cirrus-vga";
    if (strcmp(m, "virtio") == 0)
        return v->primary ? "virtio-vga" : "virtio-gpu-pci";
    if (strcmp(m, "bochs") == 0)
        return "bochs-display";
    if (strcmp(m, "none") == 0)
        return "";
    return NULL;
}

static void add_video_balloon(GPtrArray *argv, domain_def *def)
{
    for (size_t i = 0; i < def->nvideos; i++) {
        domain_video_def *v = def->videos[i];
        const char *driver = video_driver(v);
        if (!*driver)
            continue;
        set_alias(&v->info, g_strdup_printf("video%zu", i));
        add_device(argv, device_new(driver, v->info.alias));
    }
    if (def->memballoon && g_strcmp0(def->memballoon->model, "virtio") == 0) {
        set_alias(&def->memballoon->info, g_strdup("balloon0"));
        add_device(argv, device_new("virtio-balloon-pci", "balloon0"));
    }
}

/* The unmodelled devices the driver knows: <input> on PS/2 (built in), <audio>
 * (nothing to do with -display none), <rng model='virtio'> from /dev/urandom, <panic
 * model='isa'>. */
static const char *extra_device_problem(xmlNodePtr n)
{
    const char *name = (const char *)n->name;
    g_autofree char *bus = xml_prop(n, "bus");
    g_autofree char *model = xml_prop(n, "model");

    if (strcmp(name, "input") == 0)
        return !bus || strcmp(bus, "ps2") == 0 ? NULL : "only PS/2 input devices are supported";
    if (strcmp(name, "audio") == 0)
        return NULL;
    if (strcmp(name, "rng") == 0)
        return g_strcmp0(model, "virtio") == 0 ? NULL : "only rng model 'virtio' is supported";
    if (strcmp(name, "panic") == 0)
        return !model || strcmp(model, "isa") == 0 ? NULL : "only panic model 'isa' is supported";
    return "the driver cannot give this device to the guest";
}

static void add_extra_devices(GPtrArray *argv, const domain_def *def)
{
    int rng = 0;

    for (size_t i = 0; i < def->devices_extra.nnodes; i++) {
        xmlNodePtr n = def->devices_extra.nodes[i].node;
        if (xml_is(n, "rng")) {
            g_autofree char *obj = g_strdup_printf("objrng%d", rng);
            g_autofree char *id = g_strdup_printf("rng%d", rng++);
            json_object *o = device_new("virtio-rng-pci", id);
            add(argv, "-object", g_strdup_printf("rng-random,id=%s,filename=/dev/urandom", obj));
            json_object_object_add(o, "rng", json_object_new_string(obj));
            add_device(argv, o);
        } else if (xml_is(n, "panic")) {
            /* QEMU pauses the guest and reports it; the driver applies <on_crash> */
            add(argv, "-action", g_strdup("panic=pause"));
            add_device(argv, device_new("pvpanic", NULL));
        }
    }
}

int qemu_command_validate_devices(const domain_def *def)
{
    for (size_t i = 0; i < def->ncontrollers; i++) {
        const domain_controller_def *c = def->controllers[i];
        if (!controller_driver(def, c)) {
            error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "controller type '%s'%s%s%s is not supported",
                         domain_controller_to_string(c->type), c->model ? " model '" : "",
                         c->model ? c->model : "", c->model ? "'" : "");
            return -1;
        }
    }
    if (validate_chrs(def->serials, def->nserials, "serial") < 0 ||
        validate_chrs(def->consoles, def->nconsoles, "console") < 0 ||
        validate_chrs(def->channels, def->nchannels, "channel") < 0)
        return -1;
    if (def->nparallels) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "%s", "parallel ports are not supported");
        return -1;
    }
    for (size_t i = 0; i < def->nnets; i++) {
        const domain_net_def *net = def->nets[i];
        if (net->type != DOMAIN_NET_USER) {
            error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                         "interface type '%s' is not supported (only 'user' networking)",
                         domain_net_to_string(net->type));
            return -1;
        }
        if (!net_driver(net->model)) {
            error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "interface model '%s' is not supported",
                         net->model);
            return -1;
        }
    }
    if (def->ngraphics) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                     "graphics type '%s' is not supported (QEMU runs with -display none)",
                     domain_graphics_to_string(def->graphics[0]->type));
        return -1;
    }
    for (size_t i = 0; i < def->nvideos; i++) {
        if (!video_driver(def->videos[i])) {
            error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "video model '%s' is not supported",
                         def->videos[i]->model);
            return -1;
        }
    }
    if (def->memballoon && g_strcmp0(def->memballoon->model, "virtio") != 0 &&
        g_strcmp0(def->memballoon->model, "none") != 0) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "memballoon model '%s' is not supported",
                     def->memballoon->model);
        return -1;
    }
    for (size_t i = 0; i < def->devices_extra.nnodes; i++) {
        xmlNodePtr n = def->devices_extra.nodes[i].node;
        const char *problem = extra_device_problem(n);
        if (problem) {
            error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "device <%s> is not supported: %s",
                         (const char *)n->name, problem);
            return -1;
        }
    }
    return 0;
}

void qemu_command_add_devices(GPtrArray *argv, domain_def *def, const qemu_command_opts *opts,
                              const unsigned int *net_bootindex)
{
    add_serials(argv, def);
    add_consoles(argv, def);
    add_channels(argv, def, opts);
    add_nets(argv, def, net_bootindex);
    add_video_balloon(argv, def);
    add_extra_devices(argv, def);
}
