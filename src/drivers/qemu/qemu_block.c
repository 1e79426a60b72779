/* Disks as QEMU sees them: sources checked and backing chains read at start, node
 * names, the -blockdev graph and the disk devices by bus; live block nodes and their
 * dirty bitmaps (query-named-block-nodes: QEMU 7.2's query-block has no bitmaps,
 * and anonymous bitmaps appear while jobs run). */
#include "drivers/qemu/qemu_block.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "drivers/qemu/qemu_img.h"
#include "drivers/qemu/qemu_json.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU
#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

char *qemu_block_format_node(unsigned int index)
{
    return g_strdup_printf("libvirt-%u-format", index);
}

char *qemu_block_storage_node(unsigned int index)
{
    return g_strdup_printf("libvirt-%u-storage", index);
}

bool qemu_machine_is_q35(const char *machine)
{
    return machine && strstr(machine, "q35") != NULL;
}

/* The QEMU block driver of an image format, or NULL when unsupported. */
static const char *format_driver(int format)
{
    switch (format) {
    case STORAGE_FORMAT_NONE:
    case STORAGE_FORMAT_RAW:
        return "raw";
    case STORAGE_FORMAT_QCOW2:
        return "qcow2";
    case STORAGE_FORMAT_QED:
        return "qed";
    case STORAGE_FORMAT_VMDK:
        return "vmdk";
    case STORAGE_FORMAT_VDI:
        return "vdi";
    case STORAGE_FORMAT_VPC:
        return "vpc";
    default:
        return NULL;
    }
}

int qemu_block_validate_disk(const domain_def *def, const domain_disk_def *disk)
{
    const char *bus = domain_disk_bus_to_string(disk->bus);

    if (disk->bus != DOMAIN_DISK_BUS_VIRTIO && disk->bus != DOMAIN_DISK_BUS_SCSI &&
        disk->bus != DOMAIN_DISK_BUS_IDE && disk->bus != DOMAIN_DISK_BUS_SATA) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                     "disk bus '%s' of disk '%s' is not supported (use virtio, scsi, ide or sata)",
                     bus ? bus : "?", disk->dst);
        return -1;
    }
    if (disk->bus == DOMAIN_DISK_BUS_IDE && qemu_machine_is_q35(def->os_machine)) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                     "IDE controllers are unsupported for this QEMU binary or machine type");
        return -1;
    }
    if (disk->device != DOMAIN_DISK_DEVICE_DISK && disk->device != DOMAIN_DISK_DEVICE_CDROM) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "disk device '%s' of disk '%s' is not supported",
                     domain_disk_device_to_string(disk->device), disk->dst);
        return -1;
    }
    if (disk->device == DOMAIN_DISK_DEVICE_CDROM && disk->bus == DOMAIN_DISK_BUS_VIRTIO) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s': cdrom on bus 'virtio' is not supported",
                     disk->dst);
        return -1;
    }
    if (domain_disk_is_empty(disk)) {
        if (disk->device == DOMAIN_DISK_DEVICE_CDROM)
            return 0;
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s' has no source", disk->dst);
        return -1;
    }
    if (disk->src->type != DOMAIN_DISK_TYPE_FILE && disk->src->type != DOMAIN_DISK_TYPE_BLOCK) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                     "disk '%s': storage type '%s' is not supported (use file or block)", disk->dst,
                     domain_disk_type_name(disk));
        return -1;
    }
    if (!format_driver(disk->src->format)) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s': image format '%s' is not supported",
                     disk->dst, storage_format_to_string(disk->src->format));
        return -1;
    }
    return 0;
}

/* libvirt's alias of a disk's device. */
static char *disk_alias(const domain_disk_def *disk)
{
    const domain_address *a = &disk->info.addr;

    switch (disk->bus) {
    case DOMAIN_DISK_BUS_VIRTIO:
        return g_strdup_printf("virtio-disk%d", domain_disk_name_to_index(disk->dst));
    case DOMAIN_DISK_BUS_SCSI:
        return g_strdup_printf("scsi%u-%u-%u-%u", a->controller, a->bus, a->target, a->unit);
    case DOMAIN_DISK_BUS_IDE:
        return g_strdup_printf("ide%u-%u-%u", a->controller, a->bus, a->unit);
    default:
        return g_strdup_printf("sata%u-%u-%u", a->controller, a->bus, a->unit);
    }
}

/* The backing layers below a qcow2 image, as qemu-img reads them. */
static int probe_chain(domain_disk_source *top)
{
    g_autoptr(qemu_img_info) info = NULL;
    domain_disk_source **tail = &top->backing;

    if (qemu_img_get_info(top->path, format_driver(top->format),
                          QEMU_IMG_FORCE_SHARE | QEMU_IMG_BACKING_CHAIN, &info) < 0)
        return -1;
    for (const qemu_img_info *layer = info; layer->backing; layer = layer->backing) {
        const qemu_img_info *next = layer->backing;
        g_autoptr(domain_disk_source) src = domain_disk_source_new();
        struct stat st;

        if (!layer->backing_format) {
            error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                         "format of backing image '%s' of image '%s' was not specified in the "
                         "image metadata (See https://libvirt.org/kbase/backing_chains.html for "
                         "troubleshooting)", layer->backing_filename, layer->filename);
            return -1;
        }
        src->path = g_strdup(next->filename);
        src->format = storage_format_from_string(next->format);
        if (src->format <= STORAGE_FORMAT_NONE || !format_driver(src->format)) {
            error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                         "backing image '%s' has unsupported format '%s'", next->filename, next->format);
            return -1;
        }
        src->type = stat(src->path, &st) == 0 && S_ISBLK(st.st_mode) ? DOMAIN_DISK_TYPE_BLOCK
                                                                     : DOMAIN_DISK_TYPE_FILE;
        *tail = g_steal_pointer(&src);
        tail = &(*tail)->backing;
    }
    *tail = domain_disk_source_new();   /* the chain ends here */
    return 0;
}

static int prepare_source(domain_disk_def *disk)
{
    domain_disk_source *src = disk->src;

    if (access(src->path, F_OK) < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "Cannot access storage file '%s'",
                           src->path);
        return -1;
    }
    if (src->format == STORAGE_FORMAT_NONE)
        src->format = STORAGE_FORMAT_RAW;
    g_clear_pointer(&src->backing, domain_disk_source_free);
    if (src->format == STORAGE_FORMAT_RAW) {
        src->backing = domain_disk_source_new();
        return 0;
    }
    return probe_chain(src);
}

static qemu_disk_run *disk_run_new(const domain_disk_def *disk)
{
    qemu_disk_run *r = g_new0(qemu_disk_run, 1);

    r->dst = g_strdup(disk->dst);
    r->qdev = g_strdup(disk->info.alias);
    if (disk->bus == DOMAIN_DISK_BUS_VIRTIO)
        r->qemu_io_path = g_strdup_printf("/machine/peripheral/%s/virtio-backend", r->qdev);
    else
        r->qemu_io_path = g_strdup(r->qdev);
    if (!domain_disk_is_empty(disk)) {
        r->format_node = qemu_block_format_node(disk->src->index);
        r->storage_node = qemu_block_storage_node(disk->src->index);
    }
    return r;
}

int qemu_block_prepare(domain_def *def, GPtrArray **ret_disks, guint *ret_next_index)
{
    g_autoptr(GPtrArray) disks = g_ptr_array_new_with_free_func((GDestroyNotify)qemu_disk_run_free);
    guint index = 1;

    for (size_t i = 0; i < def->ndisks; i++) {
        domain_disk_def *disk = def->disks[i];
        if (qemu_block_validate_disk(def, disk) < 0)
            return -1;
        if (!domain_disk_is_empty(disk) && prepare_source(disk) < 0)
            return -1;
        g_free(disk->info.alias);
        disk->info.alias = disk_alias(disk);
    }
    /* libvirt's numbering: the last disk first, each chain from its top down */
    for (size_t i = def->ndisks; i-- > 0;) {
        domain_disk_def *disk = def->disks[i];
        if (domain_disk_is_empty(disk))
            continue;
        for (domain_disk_source *s = disk->src; s && s->type != DOMAIN_DISK_TYPE_NONE; s = s->backing)
            s->index = index++;
    }
    for (size_t i = 0; i < def->ndisks; i++)
        g_ptr_array_add(disks, disk_run_new(def->disks[i]));
    *ret_disks = g_steal_pointer(&disks);
    *ret_next_index = index;
    return 0;
}

/* ---- the -blockdev graph ---- */

static void add_cache(json_object *o, const domain_disk_def *disk)
{
    bool direct = disk->cache == DOMAIN_DISK_CACHE_NONE || disk->cache == DOMAIN_DISK_CACHE_DIRECTSYNC;
    bool no_flush = disk->cache == DOMAIN_DISK_CACHE_UNSAFE;
    json_object *cache;

    if (disk->cache == DOMAIN_DISK_CACHE_DEFAULT)
        return;
    cache = json_object_new_object();
    json_object_object_add(cache, "direct", json_object_new_boolean(direct));
    json_object_object_add(cache, "no-flush", json_object_new_boolean(no_flush));
    json_object_object_add(o, "cache", cache);
}

static char *json_text(json_object *o)
{
    char *text = g_strdup(json_object_to_json_string_ext(o, JSON_FLAGS));
    json_object_put(o);
    return text;
}

char *qemu_block_storage_json(const domain_disk_def *disk, const domain_disk_source *src)
{
    json_object *o = json_object_new_object();
    g_autofree char *node = qemu_block_storage_node(src->index);

    json_object_object_add(o, "driver", json_object_new_string(
        src->type == DOMAIN_DISK_TYPE_BLOCK ? "host_device" : "file"));
    json_object_object_add(o, "filename", json_object_new_string(src->path));
    json_object_object_add(o, "node-name", json_object_new_string(node));
    if (src == disk->src && disk->io != DOMAIN_DISK_IO_DEFAULT)
        json_object_object_add(o, "aio", json_object_new_string(domain_disk_io_to_string(disk->io)));
    json_object_object_add(o, "auto-read-only", json_object_new_boolean(true));
    json_object_object_add(o, "discard", json_object_new_string("unmap"));
    add_cache(o, disk);
    return json_text(o);
}

char *qemu_block_format_json(const domain_disk_def *disk, const domain_disk_source *src)
{
    json_object *o = json_object_new_object();
    g_autofree char *node = qemu_block_format_node(src->index);
    g_autofree char *file = qemu_block_storage_node(src->index);
    bool top = src == disk->src;
    bool ro = !top || disk->readonly || disk->device == DOMAIN_DISK_DEVICE_CDROM;

    json_object_object_add(o, "node-name", json_object_new_string(node));
    json_object_object_add(o, "read-only", json_object_new_boolean(ro));
    if (top && disk->discard == DOMAIN_DISK_DISCARD_UNMAP)
        json_object_object_add(o, "discard", json_object_new_string("unmap"));
    add_cache(o, disk);
    json_object_object_add(o, "driver", json_object_new_string(format_driver(src->format)));
    json_object_object_add(o, "file", json_object_new_string(file));
    if (src->format != STORAGE_FORMAT_RAW) {
        if (src->backing && src->backing->type != DOMAIN_DISK_TYPE_NONE) {
            g_autofree char *backing = qemu_block_format_node(src->backing->index);
            json_object_object_add(o, "backing", json_object_new_string(backing));
        } else {
            json_object_object_add(o, "backing", NULL);
        }
    }
    return json_text(o);
}

static void add_arg_pair(GPtrArray *argv, const char *opt, char *value)
{
    g_ptr_array_add(argv, g_strdup(opt));
    g_ptr_array_add(argv, value);
}

/* A layer's nodes, the bottom of the chain first (each references the one below). */
static void add_chain(GPtrArray *argv, const domain_disk_def *disk, const domain_disk_source *src)
{
    if (!src || src->type == DOMAIN_DISK_TYPE_NONE)
        return;
    add_chain(argv, disk, src->backing);
    add_arg_pair(argv, "-blockdev", qemu_block_storage_json(disk, src));
    add_arg_pair(argv, "-blockdev", qemu_block_format_json(disk, src));
}

/* The -device of a disk. */
static char *device_json(const domain_def *def, const domain_disk_def *disk, const qemu_disk_run *run,
                         unsigned int bootindex)
{
    json_object *o = json_object_new_object();
    const domain_address *a = &disk->info.addr;
    bool cd = disk->device == DOMAIN_DISK_DEVICE_CDROM;
    bool q35 = qemu_machine_is_q35(def->os_machine);
    g_autofree char *bus = NULL;

    switch (disk->bus) {
    case DOMAIN_DISK_BUS_VIRTIO:
        json_object_object_add(o, "driver", json_object_new_string("virtio-blk-pci"));
        break;
    case DOMAIN_DISK_BUS_SCSI:
        json_object_object_add(o, "driver", json_object_new_string(cd ? "scsi-cd" : "scsi-hd"));
        bus = g_strdup_printf("scsi%u.0", a->controller);
        json_object_object_add(o, "bus", json_object_new_string(bus));
        json_object_object_add(o, "channel", json_object_new_int((int)a->bus));
        json_object_object_add(o, "scsi-id", json_object_new_int((int)a->target));
        json_object_object_add(o, "lun", json_object_new_int((int)a->unit));
        break;
    case DOMAIN_DISK_BUS_IDE:
        json_object_object_add(o, "driver", json_object_new_string(cd ? "ide-cd" : "ide-hd"));
        bus = g_strdup_printf("ide.%u", a->bus);
        json_object_object_add(o, "bus", json_object_new_string(bus));
        json_object_object_add(o, "unit", json_object_new_int((int)a->unit));
        break;
    default:    /* sata: Q35's built-in AHCI is "ide", others are ich9-ahci "sataN" */
        json_object_object_add(o, "driver", json_object_new_string(cd ? "ide-cd" : "ide-hd"));
        if (q35 && a->controller == 0)
            bus = g_strdup_printf("ide.%u", a->unit);
        else
            bus = g_strdup_printf("sata%u.%u", a->controller, a->unit);
        json_object_object_add(o, "bus", json_object_new_string(bus));
        break;
    }
    if (run->format_node)
        json_object_object_add(o, "drive", json_object_new_string(run->format_node));
    json_object_object_add(o, "id", json_object_new_string(run->qdev));
    if (disk->serial)
        json_object_object_add(o, "serial", json_object_new_string(disk->serial));
    if (disk->cache == DOMAIN_DISK_CACHE_WRITETHRU || disk->cache == DOMAIN_DISK_CACHE_DIRECTSYNC)
        json_object_object_add(o, "write-cache", json_object_new_string("off"));
    if (bootindex)
        json_object_object_add(o, "bootindex", json_object_new_int((int)bootindex));
    return json_text(o);
}

void qemu_block_build_args(GPtrArray *argv, const domain_def *def, const GPtrArray *disks,
                           const unsigned int *bootindex)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const domain_disk_def *disk = def->disks[i];
        if (!domain_disk_is_empty(disk))
            add_chain(argv, disk, disk->src);
        add_arg_pair(argv, "-device", device_json(def, disk, g_ptr_array_index(disks, i), bootindex[i]));
    }
}

/* ---- live block nodes ---- */

static void bitmap_free(gpointer p)
{
    qemu_block_bitmap *b = p;

    g_free(b->name);
    g_free(b);
}

void qemu_block_node_free(qemu_block_node *n)
{
    if (!n)
        return;
    g_free(n->node_name);
    g_free(n->driver);
    g_free(n->filename);
    g_free(n->backing_file);
    if (n->bitmaps)
        g_ptr_array_unref(n->bitmaps);
    g_free(n);
}

static char *member_strdup(json_object *obj, const char *key)
{
    return g_strdup(qemu_json_get_string(obj, key));
}

static qemu_block_bitmap *bitmap_from_json(json_object *obj)
{
    qemu_block_bitmap *b = g_new0(qemu_block_bitmap, 1);

    b->name = member_strdup(obj, "name");
    b->granularity = qemu_json_get_u64(obj, "granularity");
    b->count = qemu_json_get_u64(obj, "count");
    b->recording = qemu_json_get_bool(obj, "recording");
    b->persistent = qemu_json_get_bool(obj, "persistent");
    b->busy = qemu_json_get_bool(obj, "busy");
    b->inconsistent = qemu_json_get_bool(obj, "inconsistent");
    return b;
}

static qemu_block_node *node_from_json(json_object *obj)
{
    qemu_block_node *n = g_new0(qemu_block_node, 1);
    json_object *bitmaps = qemu_json_get(obj, "dirty-bitmaps");
    json_object *image = qemu_json_get(obj, "image");

    n->node_name = member_strdup(obj, "node-name");
    n->driver = member_strdup(obj, "drv");
    n->filename = member_strdup(obj, "file");
    n->backing_file = member_strdup(obj, "backing_file");
    n->read_only = qemu_json_get_bool(obj, "ro");
    n->virtual_size = qemu_json_get_u64(image, "virtual-size");
    n->bitmaps = g_ptr_array_new_with_free_func(bitmap_free);
    for (size_t i = 0; i < qemu_json_array_len(bitmaps); i++)
        g_ptr_array_add(n->bitmaps, bitmap_from_json(json_object_array_get_idx(bitmaps, i)));
    return n;
}

int qemu_block_query_nodes(qmp_client *mon, GPtrArray **ret_nodes)
{
    g_autoptr(json_object) args = json_object_new_object();
    g_autoptr(json_object) reply = NULL;
    GPtrArray *nodes;

    json_object_object_add(args, "flat", json_object_new_boolean(true));
    if (qmp_call(mon, "query-named-block-nodes", args, QMP_TIMEOUT_DEFAULT, &reply) < 0)
        return -1;
    nodes = g_ptr_array_new_with_free_func((GDestroyNotify)qemu_block_node_free);
    for (size_t i = 0; i < qemu_json_array_len(reply); i++)
        g_ptr_array_add(nodes, node_from_json(json_object_array_get_idx(reply, i)));
    *ret_nodes = nodes;
    return 0;
}

const qemu_block_node *qemu_block_find_node(const GPtrArray *nodes, const char *name)
{
    for (guint i = 0; nodes && i < nodes->len; i++) {
        const qemu_block_node *n = g_ptr_array_index(nodes, i);
        if (g_strcmp0(n->node_name, name) == 0)
            return n;
    }
    return NULL;
}
