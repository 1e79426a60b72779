/* The images under a domain's snapshots: qcow2 headers read directly (format,
 * backing file), and the graph of each disk: which image backs which, which images
 * a snapshot or the domain pins, and which are still needed. */
#include "drivers/qemu/qemu_snapshot.h"
#include "drivers/qemu/qemu_qcow2.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "util/error.h"

#define FROM VIR_FROM_QEMU
#define QCOW2_EXT_BACKING_FORMAT 0xe2792acaU

/* ---- headers ---- */

void snap_image_info_free(snap_image_info *i)
{
    if (!i)
        return;
    g_free(i->path);
    g_free(i->backing);
    g_free(i);
}

/* The backing format header extension; 0 when absent. */
static int read_backing_format(int fd, guint32 version, const unsigned char *hdr)
{
    guint64 off = version >= 3 ? qcow2_be32(hdr + 100) : 72;

    for (int n = 0; n < 64; n++) {
        unsigned char ext[8];
        char name[32];
        guint32 type, len;
        if (pread(fd, ext, 8, (off_t)off) != 8 || (type = qcow2_be32(ext)) == 0)
            return 0;
        len = qcow2_be32(ext + 4);
        if (type == QCOW2_EXT_BACKING_FORMAT && len < sizeof(name)) {
            if (pread(fd, name, len, (off_t)(off + 8)) != (ssize_t)len)
                return 0;
            name[len] = '\0';
            return MAX(storage_format_from_string(name), 0);
        }
        off += 8 + ((len + 7) & ~7U);
    }
    return 0;
}

static int read_qcow2(int fd, snap_image_info *info)
{
    unsigned char hdr[104];
    guint64 off;
    guint32 size, version;
    char name[4096];
    g_autofree char *dir = NULL;

    if (pread(fd, hdr, sizeof(hdr), 0) < 72)
        return -1;
    version = qcow2_be32(hdr + 4);
    info->virtual_size = qcow2_be64(hdr + 24);
    off = qcow2_be64(hdr + 8);
    size = qcow2_be32(hdr + 16);
    if (!off || !size)
        return 0;
    if (size >= sizeof(name) || pread(fd, name, size, (off_t)off) != (ssize_t)size)
        return -1;
    name[size] = '\0';
    dir = g_path_get_dirname(info->path);
    info->backing = g_canonicalize_filename(name, dir);
    info->backing_format = read_backing_format(fd, version, hdr);
    return 0;
}

int snap_image_read(const char *path, snap_image_info **ret)
{
    g_autoptr(snap_image_info) info = g_new0(snap_image_info, 1);
    unsigned char magic[4] = { 0 };
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc = 0;

    if (fd < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot read image '%s'", path);
        return -1;
    }
    info->path = g_strdup(path);
    info->format = STORAGE_FORMAT_RAW;
    if (pread(fd, magic, 4, 0) == 4 && qcow2_be32(magic) == QCOW2_MAGIC) {
        info->format = STORAGE_FORMAT_QCOW2;
        rc = read_qcow2(fd, info);
    } else {
        struct stat st;
        if (memcmp(magic, "QED", 3) == 0)
            info->format = STORAGE_FORMAT_QED;
        else if (fstat(fd, &st) == 0)
            info->virtual_size = (unsigned long long)st.st_size;
    }
    close(fd);
    if (rc < 0) {
        error_report(FROM, VIR_ERR_INTERNAL_ERROR, "cannot read the header of image '%s'", path);
        return -1;
    }
    *ret = g_steal_pointer(&info);
    return 0;
}

/* ---- the graph ---- */

static void disk_graph_free(gpointer p)
{
    snap_disk_graph *dg = p;

    g_free(dg->dst);
    g_hash_table_unref(dg->images);
    g_hash_table_unref(dg->pins);
    g_hash_table_unref(dg->needed);
    g_free(dg->current);
    if (dg->running)
        g_ptr_array_unref(dg->running);
    g_free(dg);
}

void snap_graph_free(snap_graph *g)
{
    if (!g)
        return;
    g_ptr_array_unref(g->disks);
    g_free(g);
}

snap_disk_graph *snap_graph_disk(const snap_graph *g, const char *dst)
{
    for (guint i = 0; i < g->disks->len; i++) {
        snap_disk_graph *dg = g_ptr_array_index(g->disks, i);
        if (strcmp(dg->dst, dst) == 0)
            return dg;
    }
    return NULL;
}

static snap_disk_graph *disk_of(snap_graph *g, const char *dst)
{
    snap_disk_graph *dg = snap_graph_disk(g, dst);

    if (dg)
        return dg;
    dg = g_new0(snap_disk_graph, 1);
    dg->dst = g_strdup(dst);
    dg->images = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify)snap_image_info_free);
    dg->pins = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    dg->needed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_ptr_array_add(g->disks, dg);
    return dg;
}

/* Know path and the chain below it (headers read once each); missing files are
 * left out. */
static void know(snap_disk_graph *dg, const char *path)
{
    for (int depth = 0; path && depth < 1000; depth++) {
        snap_image_info *info = g_hash_table_lookup(dg->images, path);
        if (!info) {
            if (snap_image_read(path, &info) < 0) {
                error_reset();
                return;
            }
            g_hash_table_insert(dg->images, g_strdup(path), info);
        }
        path = info->backing;
    }
}

static void pin(snap_graph *g, const char *dst, const char *path, unsigned int kind)
{
    snap_disk_graph *dg = disk_of(g, dst);
    unsigned int bits = GPOINTER_TO_UINT(g_hash_table_lookup(dg->pins, path));

    g_hash_table_insert(dg->pins, g_strdup(path), GUINT_TO_POINTER(bits | kind));
}

typedef struct {
    snap_graph *g;
    GHashTable *skip;
} pin_ctx;

static void pin_snapshot(moment *m, void *opaque)
{
    pin_ctx *c = opaque;
    const snapshot_def *s = m->def;

    if ((c->skip && g_hash_table_contains(c->skip, m)) || snap_deleting(s))
        return;
    for (size_t i = 0; i < s->ndisks; i++) {
        const char *path = snap_image(s, i);
        if (path)
            pin(c->g, s->disks[i].name, path,
                s->disks[i].snapshot == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL ? PIN_FROZEN : PIN_TAGS);
    }
}

static void pin_domain(snap_graph *g, qemu_dom *d, bool without_current)
{
    for (size_t i = 0; i < d->def->ndisks; i++) {
        const domain_disk_def *disk = d->def->disks[i];
        const char *path = snap_dom_disk_path(d->def, disk->dst);
        snap_disk_graph *dg;
        if (!path)
            continue;
        dg = disk_of(g, disk->dst);
        dg->current = g_strdup(path);
        if (!without_current)
            pin(g, disk->dst, path, PIN_CURRENT);
        if (!qemu_dom_is_active(d))
            continue;
        dg->running = g_ptr_array_new_with_free_func(g_free);
        for (const domain_disk_source *s = disk->src; s && s->type == DOMAIN_DISK_TYPE_FILE; s = s->backing)
            g_ptr_array_add(dg->running, g_strdup(s->path));
    }
}

static void mark_needed(snap_disk_graph *dg)
{
    GHashTableIter it;
    gpointer key;

    g_hash_table_iter_init(&it, dg->pins);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        const char *path = key;
        for (int depth = 0; path && depth < 1000; depth++) {
            const snap_image_info *info = g_hash_table_lookup(dg->images, path);
            g_hash_table_add(dg->needed, g_strdup(path));
            path = info ? info->backing : NULL;
        }
    }
}

snap_graph *snap_graph_build(qemu_dom *d, moment_tree *tree, const snap_registry *reg,
                             GHashTable *skip, bool without_current)
{
    snap_graph *g = g_new0(snap_graph, 1);
    pin_ctx c = { g, skip };

    g->disks = g_ptr_array_new_with_free_func(disk_graph_free);
    moment_tree_foreach(tree, pin_snapshot, &c);
    pin_domain(g, d, without_current);
    for (guint i = 0; i < reg->items->len; i++) {
        const snap_own *o = g_ptr_array_index(reg->items, i);
        if (!o->disk)
            continue;
        if (o->kind == SNAP_OWN_KEPT && g_file_test(o->path, G_FILE_TEST_EXISTS))
            pin(g, o->disk, o->path, PIN_KEPT);
        else if (o->kind == SNAP_OWN_IMAGE)
            know(disk_of(g, o->disk), o->path);
    }
    for (guint i = 0; i < g->disks->len; i++) {
        snap_disk_graph *dg = g_ptr_array_index(g->disks, i);
        GHashTableIter it;
        gpointer key;
        g_hash_table_iter_init(&it, dg->pins);
        while (g_hash_table_iter_next(&it, &key, NULL))
            know(dg, key);
        mark_needed(dg);
    }
    return g;
}

GPtrArray *snap_graph_children(const snap_disk_graph *dg, const char *path)
{
    GPtrArray *out = g_ptr_array_new();
    GHashTableIter it;
    gpointer key, value;

    g_hash_table_iter_init(&it, dg->images);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        const snap_image_info *info = value;
        if (g_strcmp0(info->backing, path) == 0)
            g_ptr_array_add(out, key);
    }
    return out;
}

bool snap_graph_frozen(const snap_disk_graph *dg, const char *path)
{
    g_autoptr(GPtrArray) children = NULL;
    unsigned int bits = GPOINTER_TO_UINT(g_hash_table_lookup(dg->pins, path));

    if (bits & PIN_FROZEN)
        return true;
    children = snap_graph_children(dg, path);
    for (guint i = 0; i < children->len; i++)
        if (g_hash_table_contains(dg->needed, children->pdata[i]))
            return true;
    return false;
}
