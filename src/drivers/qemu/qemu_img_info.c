/* qemu-img: the queries (info with bitmaps and snapshots, map) and their JSON. */
#include "drivers/qemu/qemu_img_priv.h"

#include <string.h>
#include "drivers/qemu/qemu_json.h"
#include "util/error.h"

static json_object *parse_output(const char *subcommand, const char *text)
{
    json_object *obj = qemu_json_parse(text, -1);

    if (!obj)
        error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                     "cannot parse the JSON output of qemu-img %s", subcommand);
    return obj;
}

static char *member_strdup(json_object *obj, const char *key)
{
    return g_strdup(qemu_json_get_string(obj, key));
}

static void bitmap_free(gpointer p)
{
    qemu_img_bitmap *b = p;
    g_free(b->name);
    g_free(b);
}

static void snapshot_free(gpointer p)
{
    qemu_img_snapshot *s = p;
    g_free(s->id);
    g_free(s->name);
    g_free(s);
}

void qemu_img_info_free(qemu_img_info *info)
{
    while (info) {
        qemu_img_info *next = info->backing;
        g_free(info->filename);
        g_free(info->format);
        g_free(info->compat);
        g_free(info->backing_filename);
        g_free(info->full_backing_filename);
        g_free(info->backing_format);
        g_ptr_array_unref(info->bitmaps);
        g_ptr_array_unref(info->snapshots);
        g_free(info);
        info = next;
    }
}

static qemu_img_bitmap *bitmap_from_json(json_object *obj, bool offline)
{
    qemu_img_bitmap *b = g_new0(qemu_img_bitmap, 1);
    json_object *flags = qemu_json_get(obj, "flags");

    b->name = member_strdup(obj, "name");
    b->granularity = qemu_json_get_u64(obj, "granularity");
    for (size_t i = 0; i < qemu_json_array_len(flags); i++) {
        const char *f = json_object_get_string(json_object_array_get_idx(flags, i));
        if (g_strcmp0(f, "in-use") == 0)
            b->in_use = true;
        else if (g_strcmp0(f, "auto") == 0)
            b->recording = true;
    }
    b->inconsistent = offline && b->in_use;
    return b;
}

static qemu_img_snapshot *snapshot_from_json(json_object *obj)
{
    qemu_img_snapshot *s = g_new0(qemu_img_snapshot, 1);

    s->id = member_strdup(obj, "id");
    s->name = member_strdup(obj, "name");
    s->vm_state_size = qemu_json_get_u64(obj, "vm-state-size");
    s->date_sec = (long long)qemu_json_get_u64(obj, "date-sec");
    s->date_nsec = (long long)qemu_json_get_u64(obj, "date-nsec");
    s->vm_clock_nsec = qemu_json_get_u64(obj, "vm-clock-sec") * 1000000000ULL +
                       qemu_json_get_u64(obj, "vm-clock-nsec");
    return s;
}

/* One layer. offline: the image was opened without force-share, so nobody else
 * holds it and an in-use bitmap is an inconsistent one. */
static qemu_img_info *info_from_json(json_object *obj, bool offline)
{
    qemu_img_info *info = g_new0(qemu_img_info, 1);
    json_object *data = qemu_json_get(qemu_json_get(obj, "format-specific"), "data");
    json_object *bitmaps = qemu_json_get(data, "bitmaps"), *snaps = qemu_json_get(obj, "snapshots");

    info->filename = member_strdup(obj, "filename");
    info->format = member_strdup(obj, "format");
    info->virtual_size = qemu_json_get_u64(obj, "virtual-size");
    info->actual_size = qemu_json_get_u64(obj, "actual-size");
    info->cluster_size = qemu_json_get_u64(obj, "cluster-size");
    info->backing_filename = member_strdup(obj, "backing-filename");
    info->full_backing_filename = member_strdup(obj, "full-backing-filename");
    info->backing_format = member_strdup(obj, "backing-filename-format");
    info->dirty = qemu_json_get_bool(obj, "dirty-flag");
    if (g_strcmp0(info->format, "qcow2") == 0) {
        info->compat = member_strdup(data, "compat");
        info->corrupt = qemu_json_get_bool(data, "corrupt");
    }
    info->bitmaps = g_ptr_array_new_with_free_func(bitmap_free);
    for (size_t i = 0; i < qemu_json_array_len(bitmaps); i++)
        g_ptr_array_add(info->bitmaps,
                        bitmap_from_json(json_object_array_get_idx(bitmaps, i), offline));
    info->snapshots = g_ptr_array_new_with_free_func(snapshot_free);
    for (size_t i = 0; i < qemu_json_array_len(snaps); i++)
        g_ptr_array_add(info->snapshots, snapshot_from_json(json_object_array_get_idx(snaps, i)));
    return info;
}

int qemu_img_get_info(const char *path, const char *format, unsigned int flags,
                      qemu_img_info **ret_info)
{
    const char *args[10] = { "info", "--output=json" };
    guint n = 2;
    g_autofree char *out = NULL;

    if (flags & QEMU_IMG_FORCE_SHARE)
        args[n++] = "-U";
    if (flags & QEMU_IMG_BACKING_CHAIN)
        args[n++] = "--backing-chain";
    if (format) {
        args[n++] = "-f";
        args[n++] = format;
    }
    args[n++] = "--";
    args[n++] = path;
    if (qemu_img_run(args, 0, &out) < 0)
        return -1;

    g_autoptr(json_object) root = parse_output("info", out);
    if (!root)
        return -1;
    bool offline = !(flags & QEMU_IMG_FORCE_SHARE);
    if (!json_object_is_type(root, json_type_array)) {
        *ret_info = info_from_json(root, offline);
        return 0;
    }
    qemu_img_info *head = NULL, **tail = &head;
    for (size_t i = 0; i < qemu_json_array_len(root); i++) {
        *tail = info_from_json(json_object_array_get_idx(root, i), offline);
        tail = &(*tail)->backing;
    }
    if (!head) {
        error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR, "qemu-img info returned no image");
        return -1;
    }
    *ret_info = head;
    return 0;
}

const qemu_img_bitmap *qemu_img_info_find_bitmap(const qemu_img_info *info, const char *name)
{
    for (guint i = 0; info && i < info->bitmaps->len; i++) {
        const qemu_img_bitmap *b = info->bitmaps->pdata[i];
        if (g_strcmp0(b->name, name) == 0)
            return b;
    }
    return NULL;
}

int qemu_img_snapshot_list(const char *path, unsigned int flags, GPtrArray **ret_snapshots)
{
    g_autoptr(qemu_img_info) info = NULL;

    if (qemu_img_get_info(path, "qcow2", flags & QEMU_IMG_FORCE_SHARE, &info) < 0)
        return -1;
    *ret_snapshots = g_steal_pointer(&info->snapshots);
    info->snapshots = g_ptr_array_new();
    return 0;
}

int qemu_img_map(const char *path, const char *format, unsigned int flags, GArray **ret_extents)
{
    const char *args[8] = { "map", "--output=json" };
    guint n = 2;
    g_autofree char *out = NULL;

    if (flags & QEMU_IMG_FORCE_SHARE)
        args[n++] = "-U";
    if (format) {
        args[n++] = "-f";
        args[n++] = format;
    }
    args[n++] = "--";
    args[n++] = path;
    if (qemu_img_run(args, 0, &out) < 0)
        return -1;
    g_autoptr(json_object) root = parse_output("map", out);
    if (!root)
        return -1;

    GArray *extents = g_array_new(FALSE, TRUE, sizeof(qemu_img_extent));
    for (size_t i = 0; i < qemu_json_array_len(root); i++) {
        json_object *e = json_object_array_get_idx(root, i);
        qemu_img_extent x = {
            .start = qemu_json_get_u64(e, "start"),
            .length = qemu_json_get_u64(e, "length"),
            .depth = (int)qemu_json_get_u64(e, "depth"),
            .zero = qemu_json_get_bool(e, "zero"),
            .data = qemu_json_get_bool(e, "data"),
            .offset = qemu_json_get(e, "offset") ? (long long)qemu_json_get_u64(e, "offset") : -1,
        };
        /* Older qemu-img has no "present"; data implied it. */
        x.present = qemu_json_get(e, "present") ? qemu_json_get_bool(e, "present") : x.data;
        g_array_append_val(extents, x);
    }
    *ret_extents = extents;
    return 0;
}
