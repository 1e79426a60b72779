/* virDomainSnapshotCreateXML for the QEMU driver: the checks (libvirt's, made
 * before anything changes), what a new snapshot records, taking it (see
 * qemu_snapshot_take.c), its metadata; and REDEFINE for snapshots whose files
 * exist. */
#include "drivers/qemu/qemu_snapshot.h"
#include "drivers/common/snapshot_define.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "conf/moment_name.h"
#include "drivers/qemu/qemu_agent.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU

#define CREATE_FLAGS \
    (VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT | \
     VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA | VIR_DOMAIN_SNAPSHOT_CREATE_HALT | \
     VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY | VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT | \
     VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE | VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC | \
     VIR_DOMAIN_SNAPSHOT_CREATE_LIVE | VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE)

/* ---- checks ---- */

static int check_memory(snap_create *c)
{
    snapshot_def *def = c->def;
    bool disk_only = c->flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY;

    if (disk_only && def->memory != DOMAIN_SNAPSHOT_LOCATION_DEFAULT &&
        def->memory != DOMAIN_SNAPSHOT_LOCATION_NO) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                     "disk-only snapshot of a domain cannot save its memory");
        return -1;
    }
    if (def->memory == DOMAIN_SNAPSHOT_LOCATION_DEFAULT)
        def->memory = disk_only || !c->active ? DOMAIN_SNAPSHOT_LOCATION_NO
                                              : DOMAIN_SNAPSHOT_LOCATION_INTERNAL;
    if (!c->active && def->memory != DOMAIN_SNAPSHOT_LOCATION_NO) {
        error_report(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_XML_ERROR, "%s",
                     "memory state cannot be saved with offline or disk-only snapshot");
        return -1;
    }
    if ((c->flags & VIR_DOMAIN_SNAPSHOT_CREATE_LIVE) &&
        (!c->active || def->memory != DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)) {
        error_report(FROM, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                     "live snapshot creation is supported only during full system snapshots");
        return -1;
    }
    return 0;
}

/* A new file at path: absent (unless reuse), in a directory that exists. */
static int check_new_file(const char *path, bool reuse, const char *what, const char *disk)
{
    g_autofree char *dir = g_path_get_dirname(path);

    if (access(path, F_OK) == 0) {
        if (reuse)
            return 0;
        if (disk)
            error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                         "external snapshot file for disk %s already exists and is not a block "
                         "device: %s", disk, path);
        else
            error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "%s file '%s' already exists", what, path);
        return -1;
    }
    if (access(dir, W_OK) < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot create %s file '%s'", what, path);
        return -1;
    }
    return 0;
}

static int check_disk(snap_create *c, snapshot_disk_def *sd)
{
    const domain_disk_def *disk = snap_dom_disk(c->d->def, sd->name);
    bool reuse = c->flags & VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT;

    if (sd->snapshot == DOMAIN_SNAPSHOT_LOCATION_INTERNAL) {
        if (!disk || disk->src->format != STORAGE_FORMAT_QCOW2) {
            error_report(FROM, VIR_ERR_OPERATION_UNSUPPORTED,
                         "internal snapshot for disk %s unsupported for storage type %s", sd->name,
                         storage_format_to_string(disk && disk->src->format ? disk->src->format
                                                                            : STORAGE_FORMAT_RAW));
            return -1;
        }
        return 0;
    }
    if (!disk || disk->src->type != DOMAIN_DISK_TYPE_FILE || sd->src->type != DOMAIN_DISK_TYPE_FILE) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                     "external snapshot of disk %s is supported only from and to files", sd->name);
        return -1;
    }
    if (!sd->src->format)
        sd->src->format = STORAGE_FORMAT_QCOW2;
    if (sd->src->format != STORAGE_FORMAT_QCOW2) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "external snapshot format for disk %s is unsupported: %s",
                     sd->name, storage_format_to_string(sd->src->format));
        return -1;
    }
    return check_new_file(sd->src->path, reuse, "external snapshot", sd->name);
}

/* The kind of snapshot the aligned disks make: internal or external, not both. */
static int classify(snap_create *c)
{
    size_t internal = 0, external = 0;

    for (size_t i = 0; i < c->def->ndisks; i++) {
        int loc = c->def->disks[i].snapshot;
        if (loc == DOMAIN_SNAPSHOT_LOCATION_INTERNAL)
            internal++;
        else if (loc == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
            external++;
        if ((loc == DOMAIN_SNAPSHOT_LOCATION_INTERNAL || loc == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL) &&
            check_disk(c, &c->def->disks[i]) < 0)
            return -1;
    }
    if (c->def->memory == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL ? internal > 0 : (internal && external)) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                     "mixing internal and external targets for a snapshot is not yet supported");
        return -1;
    }
    if (!internal && !external && c->def->memory != DOMAIN_SNAPSHOT_LOCATION_EXTERNAL) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s", "nothing selected for snapshot");
        return -1;
    }
    c->internal = internal > 0;
    return 0;
}

static int check_quiesce(snap_create *c)
{
    if (!(c->flags & VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE))
        return 0;
    if (!c->active) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    if (!qemu_agent_configured(c->d->def)) {
        error_report(FROM, VIR_ERR_ARGUMENT_UNSUPPORTED, "%s", "QEMU guest agent is not configured");
        return -1;
    }
    return 0;
}

/* What a new snapshot records, and every check (host lock held). */
static int prepare_create(snap_create *c, moment_tree *tree)
{
    snapshot_def *def = c->def;
    bool disk_only;
    int location;

    snapshot_def_set_create_defaults(def, g_get_real_time() / G_USEC_PER_SEC);
    if (!moment_name_check(def->name, VIR_FROM_DOMAIN_SNAPSHOT))
        return -1;
    if (moment_tree_find(tree, def->name)) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED, "domain moment %s already exists",
                     def->name);
        return -1;
    }
    if (c->d->backup) {
        /* the backup reads the disks' nodes the snapshot would move */
        error_report(FROM, VIR_ERR_OPERATION_INVALID,
                     "cannot create snapshot '%s' while a backup job is running", def->name);
        return -1;
    }
    if (check_memory(c) < 0 || check_quiesce(c) < 0)
        return -1;
    disk_only = (c->flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY) ||
                (c->active && def->memory == DOMAIN_SNAPSHOT_LOCATION_NO);
    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i].snapshot == DOMAIN_SNAPSHOT_LOCATION_MANUAL) {
            error_report(FROM, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                         "'manual' disk snapshot mode is not supported by this driver");
            return -1;
        }
    }
    g_clear_pointer(&def->cookie, g_free);
    def->dom = snap_dom_copy(c->d->def);
    if (c->active && c->d->new_def)
        def->inactive_dom = snap_dom_copy(c->d->new_def);
    location = disk_only || def->memory == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL
                   ? DOMAIN_SNAPSHOT_LOCATION_EXTERNAL
                   : DOMAIN_SNAPSHOT_LOCATION_INTERNAL;
    if (snapshot_def_align_disks(def, NULL, location, true, false) < 0 || classify(c) < 0)
        return -1;
    if (def->memory == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL &&
        check_new_file(def->memory_file, c->flags & VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT,
                       "memory state", NULL) < 0)
        return -1;
    if (disk_only)
        def->state = c->active ? SNAPSHOT_STATE_DISK_SNAPSHOT : SNAPSHOT_STATE_SHUTOFF;
    else
        def->state = c->d->state;
    return 0;
}

/* ---- taking it ---- */

/* Remove what a failed snapshot made. */
static void undo_files(snap_create *c)
{
    virErrorPtr saved = error_save();

    for (guint i = 0; i < c->created->len; i++) {
        const char *path = c->created->pdata[i];
        unlink(path);
        snap_registry_remove(c->reg, SNAP_OWN_IMAGE, path);
        snap_registry_remove(c->reg, SNAP_OWN_MEMORY, path);
    }
    if (c->created->len)
        snap_registry_save(c->reg);
    error_restore(&saved);
}

static moment *record(snap_create *c, moment_tree *tree)
{
    moment *m;

    if (c->def->memory == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL &&
        !(c->flags & VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA)) {
        snap_registry_add(c->reg, SNAP_OWN_MEMORY, NULL, c->def->memory_file);
        if (snap_registry_save(c->reg) < 0)
            error_reset();
    }
    g_mutex_lock(&c->h->lock);
    m = snapshot_tree_put(tree, g_steal_pointer(&c->def), false, NULL, NULL, c->flags);
    g_mutex_unlock(&c->h->lock);
    if (m && (qemu_snapshot_save(c->d, m) < 0 || qemu_snapshot_save_current(c->d) < 0))
        return NULL;
    return m;
}

/* NO_METADATA: the files are the user's, as after a METADATA_ONLY delete. */
static void disown(snap_create *c)
{
    for (guint i = 0; i < c->created->len; i++)
        snap_registry_remove(c->reg, SNAP_OWN_IMAGE, c->created->pdata[i]);
    if (snap_registry_save(c->reg) < 0)
        error_reset();
}

static virDomainSnapshotPtr create(virDomainPtr domain, snap_create *c, moment_tree *tree)
{
    g_autofree char *name = NULL;
    int rc;

    g_mutex_lock(&c->h->lock);
    rc = prepare_create(c, tree);
    g_mutex_unlock(&c->h->lock);
    if (rc < 0)
        return NULL;
    name = g_strdup(c->def->name);
    c->reg = snap_registry_load(c->h, c->d->def->name);
    c->created = g_ptr_array_new_with_free_func(g_free);
    rc = c->internal ? snap_take_internal(c) : snap_take_external(c);
    if (rc < 0) {
        undo_files(c);
        return NULL;
    }
    qemu_snapshot_step("taken");
    if (c->flags & VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA)
        disown(c);
    else if (!record(c, tree))
        return NULL;
    if (c->flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT)
        snap_halt(c->h, c->d);
    return handle_snapshot_new(domain, name);
}

/* ---- redefine ---- */

static int check_exists(const char *name, const char *what, const char *path)
{
    if (!path || access(path, F_OK) == 0)
        return 0;
    error_report(FROM, VIR_ERR_OPERATION_INVALID, "cannot redefine snapshot '%s': %s '%s' does not exist",
                 name, what, path);
    return -1;
}

static int check_files(const snapshot_def *def)
{
    bool online = def->state == SNAPSHOT_STATE_RUNNING || def->state == SNAPSHOT_STATE_PAUSED;

    for (size_t i = 0; i < def->ndisks; i++)
        if (check_exists(def->name, "image", snap_image(def, i)) < 0)
            return -1;
    if (online && def->memory == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
        return check_exists(def->name, "memory state file", def->memory_file);
    return 0;
}

/* The overlays and the memory file a redefined snapshot names become the driver's,
 * as if it had made them (also when a METADATA_ONLY delete had left them to the
 * user: redefining hands them back). */
static void adopt(qemu_host *h, qemu_dom *d, const snapshot_def *def)
{
    g_autoptr(snap_registry) reg = snap_registry_load(h, d->def->name);

    for (size_t i = 0; i < def->ndisks; i++) {
        const snapshot_disk_def *sd = &def->disks[i];
        if (sd->snapshot != DOMAIN_SNAPSHOT_LOCATION_EXTERNAL || !sd->src->path ||
            access(sd->src->path, F_OK) != 0)
            continue;
        snap_registry_remove(reg, SNAP_OWN_KEPT, sd->src->path);
        snap_registry_add(reg, SNAP_OWN_IMAGE, sd->name, sd->src->path);
    }
    if (def->memory == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL && def->memory_file &&
        access(def->memory_file, F_OK) == 0)
        snap_registry_add(reg, SNAP_OWN_MEMORY, NULL, def->memory_file);
    if (snap_registry_save(reg) < 0)
        error_reset();
}

static virDomainSnapshotPtr redefine(virDomainPtr domain, snap_create *c, moment_tree *tree)
{
    moment *parent = NULL, *existing = NULL, *m;
    g_autofree char *name = NULL;
    int rc;

    g_mutex_lock(&c->h->lock);
    rc = snapshot_redefine_prepare(tree, c->def, c->d->def->uuid, c->flags, &parent, &existing);
    g_mutex_unlock(&c->h->lock);
    if (rc < 0 || check_files(c->def) < 0)
        return NULL;
    name = g_strdup(c->def->name);
    adopt(c->h, c->d, c->def);
    g_mutex_lock(&c->h->lock);
    m = snapshot_tree_put(tree, g_steal_pointer(&c->def), true, parent, existing, c->flags);
    g_mutex_unlock(&c->h->lock);
    if (!m || qemu_snapshot_save(c->d, m) < 0 ||
        ((c->flags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT) && qemu_snapshot_save_current(c->d) < 0))
        return NULL;
    return handle_snapshot_new(domain, name);
}

/* ---- the entry point ---- */

static int check_flags(unsigned int flags)
{
    if (!error_check_flags(flags, CREATE_FLAGS, FROM, "qemuDomainSnapshotCreateXML"))
        return -1;
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_LIVE) && (flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE)) {
        error_report(FROM, VIR_ERR_INVALID_ARG, "%s",
                     "Flags 'VIR_DOMAIN_SNAPSHOT_CREATE_LIVE' and "
                     "'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' are mutually exclusive");
        return -1;
    }
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE) && !(flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY)) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s", "quiesce requires disk-only");
        return -1;
    }
    return 0;
}

virDomainSnapshotPtr qemu_snapshot_create_xml(virDomainPtr domain, const char *xml, unsigned int flags)
{
    bool redef = flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
    snap_create c = { .flags = flags };
    unsigned int parse_flags = 0;
    virDomainSnapshotPtr ret = NULL;
    moment_tree *tree;

    if (check_flags(flags) < 0 || !(c.d = qemu_dom_acquire(domain)))
        return NULL;
    c.h = c.d->host;
    g_mutex_lock(&c.h->lock);
    tree = qemu_snapshot_tree(c.d);
    c.active = qemu_dom_is_active(c.d) && c.d->mon;
    c.running = c.active && c.d->state == VIR_DOMAIN_RUNNING;
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT) && !c.d->persistent) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s", "cannot halt after transient domain snapshot");
        tree = NULL;
    }
    g_mutex_unlock(&c.h->lock);
    if (!tree)
        goto out;
    parse_flags |= redef ? SNAPSHOT_PARSE_REDEFINE : (c.active ? 0 : SNAPSHOT_PARSE_OFFLINE);
    if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE)
        parse_flags |= SNAPSHOT_PARSE_VALIDATE;
    if (!(c.def = snapshot_def_parse_string(xml, &c.h->xmlopt_load, parse_flags, NULL)))
        goto out;
    ret = redef ? redefine(domain, &c, tree) : create(domain, &c, tree);
 out:
    snapshot_def_free(c.def);
    snap_registry_free(c.reg);
    if (c.created)
        g_ptr_array_unref(c.created);
    qemu_dom_release(c.d);
    return ret;
}
