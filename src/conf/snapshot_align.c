/* Matching a snapshot's disks to its domain's (libvirt's virDomainSnapshotAlignDisks)
 * and the checks made before a redefinition. */
#include "conf/snapshot_conf.h"

#include <string.h>
#include <sys/stat.h>
#include <libvirt/libvirt.h>
#include "util/error.h"
#include "util/uuid.h"

#define ERR_DOMAIN VIR_FROM_DOMAIN_SNAPSHOT

/* --- what alignment reads from the domain model -------------------------------------- */

static const char *dom_disk_target(const domain_def *dom, size_t i)
{
    return dom->disks[i]->dst;
}

/* The top image's path (libvirt's virDomainDiskGetSource): for a network disk its
 * name. */
static const char *dom_disk_source(const domain_def *dom, size_t i)
{
    const domain_disk_source *src = dom->disks[i]->src;

    return src->type == DOMAIN_DISK_TYPE_NETWORK ? src->name : src->path;
}

static int dom_disk_location(const domain_def *dom, size_t i)
{
    return dom->disks[i]->snapshot;
}

/* The domain disk a snapshot disk names: by target, or when the name starts with '/'
 * by source path if exactly one disk has it (virDomainDiskIndexByName). -1: none. */
static int dom_disk_index(const domain_def *dom, const char *name)
{
    int candidate = -1;

    for (size_t i = 0; i < dom->ndisks; i++) {
        const char *src = dom_disk_source(dom, i);

        if (name[0] != '/') {
            if (g_strcmp0(dom_disk_target(dom, i), name) == 0)
                return (int)i;
        } else if (src && strcmp(src, name) == 0) {
            if (candidate >= 0)
                return -1;
            candidate = (int)i;
        }
    }
    return candidate;
}

/* --- redefinition ----------------------------------------------------------------------- */

static bool state_online(int state)
{
    return state == SNAPSHOT_STATE_RUNNING || state == SNAPSHOT_STATE_PAUSED;
}

int snapshot_def_redefine_validate(const snapshot_def *def, const unsigned char *domain_uuid,
                                   const snapshot_def *existing, unsigned int create_flags)
{
    if ((create_flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY) &&
        def->state != SNAPSHOT_STATE_DISK_SNAPSHOT) {
        error_report(ERR_DOMAIN, VIR_ERR_INVALID_ARG,
                     "disk-only flag for snapshot %s requires disk-snapshot state", def->name);
        return -1;
    }
    if (def->dom && memcmp(def->dom->uuid, domain_uuid, UUID_LEN) != 0) {
        char uuid[UUID_STRING_LEN];

        uuid_format(domain_uuid, uuid);
        error_report(ERR_DOMAIN, VIR_ERR_INVALID_ARG, "definition for snapshot %s must use uuid %s",
                     def->name, uuid);
        return -1;
    }
    if (!existing)
        return 0;
    if (state_online(existing->state) != state_online(def->state)) {
        error_report(ERR_DOMAIN, VIR_ERR_INVALID_ARG,
                     "cannot change between online and offline snapshot state in snapshot %s",
                     def->name);
        return -1;
    }
    if ((existing->state == SNAPSHOT_STATE_DISK_SNAPSHOT) !=
        (def->state == SNAPSHOT_STATE_DISK_SNAPSHOT)) {
        error_report(ERR_DOMAIN, VIR_ERR_INVALID_ARG,
                     "cannot change between disk only and full system in snapshot %s", def->name);
        return -1;
    }
    return 0;
}

int snapshot_def_redefine_location(const snapshot_def *def)
{
    if (def->state == SNAPSHOT_STATE_DISK_SNAPSHOT || snapshot_def_is_external(def))
        return DOMAIN_SNAPSHOT_LOCATION_EXTERNAL;
    return DOMAIN_SNAPSHOT_LOCATION_INTERNAL;
}

/* --- alignment --------------------------------------------------------------------------- */

typedef struct {
    const domain_def *dom;
    int default_location;
    bool require_match;     /* uniform internal: every disk internal */
    bool force_default;
    const char *snap_name;
} align_ctx;

/* The location of a disk the snapshot lists, with the uniform-internal check. */
static int requested_location(const align_ctx *c, const snapshot_disk_def *disk, size_t idx,
                              int *ret)
{
    int dom_loc = dom_disk_location(c->dom, idx);
    int loc = disk->snapshot;

    if (loc == DOMAIN_SNAPSHOT_LOCATION_DEFAULT) {
        if (dom_loc != DOMAIN_SNAPSHOT_LOCATION_DEFAULT &&
            (!c->require_match || dom_loc == DOMAIN_SNAPSHOT_LOCATION_NO))
            loc = dom_loc;
        else
            loc = c->default_location;
    } else if (c->require_match && loc != c->default_location &&
               !(loc == DOMAIN_SNAPSHOT_LOCATION_NO && dom_loc == DOMAIN_SNAPSHOT_LOCATION_NO)) {
        error_report(ERR_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s' must use snapshot mode '%s'",
                     disk->name, domain_snapshot_location_to_string(c->default_location));
        return -1;
    }
    if (disk->src->path && loc != DOMAIN_SNAPSHOT_LOCATION_EXTERNAL) {
        error_report(ERR_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                     "file '%s' for disk '%s' requires use of external snapshot mode",
                     disk->src->path, disk->name);
        return -1;
    }
    *ret = loc;
    return 0;
}

/* Put each listed disk at its domain disk's index in out (copies, renamed to the
 * target, with their final location). */
static int place_requested(const align_ctx *c, const snapshot_def *def, snapshot_disk_def *out)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const snapshot_disk_def *disk = &def->disks[i];
        int idx = dom_disk_index(c->dom, disk->name);
        int loc;

        if (idx < 0) {
            error_report(ERR_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, "no disk named '%s'", disk->name);
            return -1;
        }
        if (out[idx].name) {
            error_report(ERR_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED, "disk '%s' specified twice",
                         disk->name);
            return -1;
        }
        if (requested_location(c, disk, (size_t)idx, &loc) < 0)
            return -1;
        out[idx].name = g_strdup(dom_disk_target(c->dom, (size_t)idx));
        out[idx].snapshot = loc;
        out[idx].src = storage_source_copy(disk->src);
        out[idx].delete_in_progress = disk->delete_in_progress;
    }
    return 0;
}

/* Defaults for the domain disks the snapshot does not list. */
static void place_unlisted(const align_ctx *c, snapshot_disk_def *out)
{
    for (size_t i = 0; i < c->dom->ndisks; i++) {
        snapshot_disk_def *disk = &out[i];

        if (disk->src)
            continue;
        disk->name = g_strdup(dom_disk_target(c->dom, i));
        disk->src = storage_source_new(DOMAIN_DISK_TYPE_FILE);
        if (domain_disk_is_empty(c->dom->disks[i]))
            disk->snapshot = DOMAIN_SNAPSHOT_LOCATION_NO;
        else if (!c->force_default)
            disk->snapshot = dom_disk_location(c->dom, i);
        if (!disk->snapshot)
            disk->snapshot = c->default_location;
    }
}

/* "<image path without its last .suffix>.<snapshot name>" for one external disk. */
static int external_name(const align_ctx *c, snapshot_disk_def *disks, size_t i)
{
    snapshot_disk_def *disk = &disks[i];
    const char *orig = dom_disk_source(c->dom, i);
    g_autofree char *base = NULL;
    char *dot;
    struct stat sb;

    if (disk->src->type != DOMAIN_DISK_TYPE_FILE) {
        error_report(ERR_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                     "cannot generate external snapshot name for disk '%s' on a '%s' device",
                     disk->name, domain_disk_type_to_string(disk->src->type));
        return -1;
    }
    if (!orig) {
        error_report(ERR_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                     "cannot generate external snapshot name for disk '%s' without source",
                     disk->name);
        return -1;
    }
    if (stat(orig, &sb) < 0 || !S_ISREG(sb.st_mode)) {
        error_report(ERR_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                     "source for disk '%s' is not a regular file; refusing to generate external "
                     "snapshot name", disk->name);
        return -1;
    }
    base = g_strdup(orig);
    if ((dot = strrchr(base, '.')) && !strchr(dot, '/'))
        *dot = '\0';
    disk->src->path = g_strdup_printf("%s.%s", base, c->snap_name);
    for (size_t j = 0; j < i; j++) {
        if (g_strcmp0(disk->src->path, disks[j].src->path) == 0) {
            error_report(ERR_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                         "cannot generate external snapshot name for disk '%s': collision with "
                         "disk '%s'", disk->name, disks[j].name);
            return -1;
        }
    }
    return 0;
}

static int external_names(const align_ctx *c, snapshot_disk_def *disks)
{
    for (size_t i = 0; i < c->dom->ndisks; i++) {
        if (disks[i].snapshot != DOMAIN_SNAPSHOT_LOCATION_EXTERNAL || disks[i].src->path)
            continue;
        if (external_name(c, disks, i) < 0)
            return -1;
    }
    return 0;
}

static void disks_free(snapshot_disk_def *disks, size_t n)
{
    for (size_t i = 0; disks && i < n; i++)
        snapshot_disk_def_clear(&disks[i]);
    g_free(disks);
}

int snapshot_def_align_disks(snapshot_def *def, const domain_def *existing_dom,
                             int default_location, bool uniform_internal, bool force_default)
{
    align_ctx c = {
        .dom = def->dom ? def->dom : existing_dom,
        .default_location = default_location,
        .require_match = uniform_internal && default_location == DOMAIN_SNAPSHOT_LOCATION_INTERNAL,
        .force_default = force_default,
        .snap_name = def->name ? def->name : "(null)",
    };
    snapshot_disk_def *disks;

    if (!c.dom) {
        error_report(ERR_DOMAIN, VIR_ERR_INTERNAL_ERROR, "missing domain in snapshot");
        return -1;
    }
    if (def->ndisks > c.dom->ndisks) {
        error_report(ERR_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                     "too many disk snapshot requests for domain");
        return -1;
    }
    if (c.dom->ndisks == 0)
        return 0;
    disks = g_new0(snapshot_disk_def, c.dom->ndisks);
    if (place_requested(&c, def, disks) < 0) {
        disks_free(disks, c.dom->ndisks);
        return -1;
    }
    place_unlisted(&c, disks);
    if (external_names(&c, disks) < 0) {
        disks_free(disks, c.dom->ndisks);
        return -1;
    }
    disks_free(def->disks, def->ndisks);
    def->disks = disks;
    def->ndisks = c.dom->ndisks;
    return 0;
}
