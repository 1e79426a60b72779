/* Domain definitions as the QEMU driver's snapshots use them: the inactive copy a
 * snapshot records, the top image of a disk, copies with a disk moved to another
 * image, and which image each disk of a snapshot lives in. */
#include "drivers/qemu/qemu_snapshot.h"

#include <string.h>

domain_def *snap_dom_copy(const domain_def *def)
{
    g_autofree char *xml = domain_def_format(def, -1, DOMAIN_FORMAT_SECURE | DOMAIN_FORMAT_INACTIVE);
    domain_def *copy = domain_def_parse(xml, NULL, DOMAIN_PARSE_RAW);

    g_assert(copy);   /* our own canonical output always parses */
    for (size_t i = 0; i < copy->ndisks; i++) {
        domain_disk_source *src = copy->disks[i]->src;
        g_clear_pointer(&src->backing, domain_disk_source_free);
        src->index = 0;
    }
    domain_def_changed(copy);
    return copy;
}

domain_disk_def *snap_dom_disk(const domain_def *def, const char *dst)
{
    return def && dst ? domain_disk_find_by_target(def, dst) : NULL;
}

const char *snap_dom_disk_path(const domain_def *def, const char *dst)
{
    const domain_disk_def *disk = snap_dom_disk(def, dst);

    if (!disk || domain_disk_is_empty(disk) || disk->src->type != DOMAIN_DISK_TYPE_FILE)
        return NULL;
    return disk->src->path;
}

void snap_dom_set_disk(domain_def **def, const char *dst, const char *path, int format)
{
    domain_def *copy = domain_def_copy(*def);
    domain_disk_def *disk = snap_dom_disk(copy, dst);

    if (disk) {
        g_free(disk->src->path);
        disk->src->path = g_strdup(path);
        disk->src->type = DOMAIN_DISK_TYPE_FILE;
        disk->src->format = format;
        g_clear_pointer(&disk->src->backing, domain_disk_source_free);
        disk->src->index = 0;
    }
    domain_def_changed(copy);
    domain_def_free(*def);
    *def = copy;
}

const char *snap_image(const snapshot_def *s, size_t i)
{
    const snapshot_disk_def *disk = &s->disks[i];

    if (disk->snapshot != DOMAIN_SNAPSHOT_LOCATION_INTERNAL &&
        disk->snapshot != DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
        return NULL;
    return snap_dom_disk_path(s->dom, disk->name);
}

bool snap_deleting(const snapshot_def *s)
{
    for (size_t i = 0; i < s->ndisks; i++)
        if (s->disks[i].delete_in_progress)
            return true;
    return false;
}

/* dom with disk dst moved from -> to when it is there; true when it was. */
static bool rename_in(domain_def **dom, const char *dst, const char *from, const char *to,
                      int format)
{
    if (g_strcmp0(snap_dom_disk_path(*dom, dst), from) != 0)
        return false;
    snap_dom_set_disk(dom, dst, to, format);
    return true;
}

snapshot_def *snap_def_rename_image(const snapshot_def *s, const char *dst, const char *from,
                                    const char *to, int format)
{
    snapshot_def *copy = snapshot_def_copy(s);
    bool changed = false;

    if (copy->dom)
        changed |= rename_in(&copy->dom, dst, from, to, format);
    if (copy->inactive_dom)
        changed |= rename_in(&copy->inactive_dom, dst, from, to, format);
    if (!changed) {
        snapshot_def_free(copy);
        return NULL;
    }
    return copy;
}
