/* QEMU backups: virDomainBackupBegin (checks, disk alignment, the private scratch
 * directory, then qemu_backup_setup), virDomainBackupGetXMLDesc, and the backup
 * object itself. */
#include "drivers/qemu/qemu_backup.h"
#include "drivers/common/backup_defaults.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "drivers/qemu/qemu_block.h"
#include "drivers/qemu/qemu_procfs.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU

static void disk_free(gpointer p)
{
    qemu_backup_disk *bd = p;

    g_free(bd->dst);
    g_free(bd->source);
    g_free(bd->device);
    g_free(bd->node);
    g_free(bd->path);
    g_free(bd->job);
    g_free(bd->bitmap);
    g_free(bd->bitmap_node);
    g_free(bd->export_id);
    g_free(bd->export_name);
    g_free(bd->error);
    if (bd->merge)
        json_object_put(bd->merge);
    g_free(bd);
}

qemu_backup *qemu_backup_new(qemu_dom *d, backup_def *def)
{
    qemu_backup *b = g_new0(qemu_backup, 1);

    b->refs = 1;
    b->d = d;
    b->def = def;
    b->pull = def->type == BACKUP_TYPE_PULL;
    b->disks = g_ptr_array_new_with_free_func(disk_free);
    g_mutex_init(&b->lock);
    g_cond_init(&b->cond);
    return b;
}

qemu_backup *qemu_backup_ref(qemu_backup *b)
{
    g_atomic_int_inc(&b->refs);
    return b;
}

void qemu_backup_unref(qemu_backup *b)
{
    if (!b || !g_atomic_int_dec_and_test(&b->refs))
        return;
    if (b->mon) {
        if (b->listener)
            qmp_client_remove_listener(b->mon, b->listener);
        qmp_client_unref(b->mon);
    }
    backup_def_free(b->def);
    g_ptr_array_unref(b->disks);
    g_free(b->tls_object);
    g_free(b->scratch_dir);
    g_mutex_clear(&b->lock);
    g_cond_clear(&b->cond);
    g_free(b);
}

qemu_backup_disk *qemu_backup_disk_find(qemu_backup *b, const char *dst)
{
    for (guint i = 0; i < b->disks->len; i++) {
        qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        if (strcmp(bd->dst, dst) == 0)
            return bd;
    }
    return NULL;
}

/* ---- checks ---- */

static int check_store(const backup_disk_def *bdd, bool pull, bool reuse)
{
    const backup_store *st = bdd->store;
    struct stat sb;
    bool exists = stat(st->path, &sb) == 0;

    if (st->format == STORAGE_FORMAT_NONE)
        ((backup_store *)st)->format = STORAGE_FORMAT_QCOW2;
    if (pull && st->format != STORAGE_FORMAT_QCOW2) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "pull mode backup for disk '%s' requires qcow2 driver",
                     bdd->name);
        return -1;
    }
    if (st->format != STORAGE_FORMAT_QCOW2 && st->format != STORAGE_FORMAT_RAW) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "unsupported format '%s' of the backup of disk '%s'",
                     storage_format_to_string(st->format), bdd->name);
        return -1;
    }
    if (st->type == DOMAIN_DISK_TYPE_BLOCK) {
        if (!exists || !S_ISBLK(sb.st_mode)) {
            error_report(FROM, VIR_ERR_INVALID_ARG, "store '%s' for backup of '%s' is not a block device",
                         st->path, bdd->name);
            return -1;
        }
    } else if (exists && !reuse) {
        error_report(FROM, VIR_ERR_INVALID_ARG, "store '%s' for backup of '%s' exists", st->path, bdd->name);
        return -1;
    } else if (!exists && reuse) {
        error_report(FROM, VIR_ERR_INVALID_ARG, "store '%s' for backup of '%s' does not exist", st->path,
                     bdd->name);
        return -1;
    }
    return 0;
}

/* The checkpoint bdd backs up from: it exists, covers the disk, its bitmap is
 * usable. Returns the merge sources of "changed since" it, or NULL with an error. */
static json_object *check_incremental(qemu_dom *d, const backup_disk_def *bdd, const GPtrArray *bitmaps)
{
    const qemu_disk_bitmaps *db = qemu_bitmaps_find(bitmaps, bdd->name);
    const checkpoint_def *def;
    g_autofree char *why = NULL;
    moment *m;

    g_mutex_lock(&d->host->lock);
    m = qemu_checkpoint_tree(d) ? moment_tree_find(d->checkpoints, bdd->incremental) : NULL;
    def = m ? m->def : NULL;
    g_mutex_unlock(&d->host->lock);
    if (!def) {
        if (d->checkpoints)
            error_report(FROM, VIR_ERR_NO_DOMAIN_CHECKPOINT,
                         "Checkpoint '%s' for incremental backup of disk '%s' not found",
                         bdd->incremental, bdd->name);
        return NULL;
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        const char *bitmap = def->disks[i].bitmap;
        if (strcmp(def->disks[i].name, bdd->name) != 0)
            continue;
        if (def->disks[i].type != CHECKPOINT_TYPE_BITMAP)
            break;
        if (qemu_bitmap_usable(db, bitmap, &why))
            return qemu_bitmap_merge_sources(db, bitmap);
        qemu_bitmap_report_broken(bitmap, bdd->name, why, bdd->incremental);
        return NULL;
    }
    why = g_strdup_printf("checkpoint '%s' does not track disk '%s'", bdd->incremental, bdd->name);
    qemu_bitmap_report_broken(bdd->incremental, bdd->name, why, bdd->incremental);
    return NULL;
}

/* The job's view of one disk backed up. */
static qemu_backup_disk *disk_new(qemu_dom *d, const backup_disk_def *bdd, const qemu_disk_bitmaps *db)
{
    qemu_backup_disk *bd = g_new0(qemu_backup_disk, 1);
    const domain_disk_def *disk = domain_disk_find_by_target(d->def, bdd->name);

    bd->dst = g_strdup(bdd->name);
    if (disk->src->type == DOMAIN_DISK_TYPE_FILE)
        bd->source = g_strdup(disk->src->path);
    for (guint i = 0; i < d->run->disks->len; i++) {
        const qemu_disk_run *r = g_ptr_array_index(d->run->disks, i);
        if (strcmp(r->dst, bdd->name) == 0)
            bd->device = g_strdup(r->format_node);
    }
    bd->path = g_strdup(bdd->store->path);
    bd->format = bdd->store->format;
    bd->block = bdd->store->type == DOMAIN_DISK_TYPE_BLOCK;
    bd->size = db ? db->virtual_size : 0;
    return bd;
}

/* ---- virDomainBackupBegin ---- */

/* Pull disks without a scratch of the caller's get a file in a private directory
 * of the domain's runtime dir, removed at the end (not the file beside the disk's
 * image that alignment generates). Before alignment: the names given a store. */
static GHashTable *given_stores(const backup_def *def)
{
    GHashTable *given = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    for (size_t i = 0; i < def->ndisks; i++)
        if (def->disks[i].store && !backup_store_is_empty(def->disks[i].store))
            g_hash_table_add(given, g_strdup(def->disks[i].name));
    return given;
}

static void set_scratch(qemu_backup *b, backup_disk_def *bdd)
{
    g_autofree char *base = g_strdup_printf("%s.scratch.qcow2", bdd->name);

    g_free(bdd->store->path);
    bdd->store->path = g_build_filename(b->scratch_dir, base, NULL);
    bdd->store->type = DOMAIN_DISK_TYPE_FILE;
}

/* Before alignment (so that it generates no name) and after it (for the disks it
 * added). */
static void private_scratch(qemu_backup *b, GHashTable *given, const char *rundir)
{
    if (!b->pull)
        return;
    if (!b->scratch_dir)
        b->scratch_dir = g_build_filename(rundir, "backup", NULL);
    for (size_t i = 0; i < b->def->ndisks; i++) {
        backup_disk_def *bdd = &b->def->disks[i];
        if (bdd->backup && bdd->store && !g_hash_table_contains(given, bdd->name))
            set_scratch(b, bdd);
    }
}

/* Everything checked before anything changes; b's disks filled. d under a job. */
static int prepare(qemu_backup *b, unsigned int flags, const char *suffix)
{
    qemu_dom *d = b->d;
    backup_def *def = b->def;
    g_autoptr(GPtrArray) bitmaps = NULL;
    g_autofree char *rundir = NULL;
    g_autoptr(GHashTable) given = NULL;
    int rc;

    if (!d->mon) {
        error_report(FROM, VIR_ERR_OPERATION_UNSUPPORTED, "%s", "cannot perform disk backup for inactive domain");
        return -1;
    }
    g_mutex_lock(&d->host->lock);
    if (d->backup) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s", "another backup job is already running");
        g_mutex_unlock(&d->host->lock);
        return -1;
    }
    rundir = g_strdup(d->run->dir);
    g_mutex_unlock(&d->host->lock);
    if (b->pull && (!def->server || (def->server->transport == BACKUP_TRANSPORT_TCP && !def->server->port))) {
        error_report(FROM, VIR_ERR_OPERATION_UNSUPPORTED, "%s", "<domainbackup> must specify TCP port for now");
        return -1;
    }
    if (b->pull && def->server->transport == BACKUP_TRANSPORT_FD) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "%s", "transport 'fd' is not supported for <server>");
        return -1;
    }
    if (qemu_bitmaps_read(d, &bitmaps) < 0)
        return -1;
    given = given_stores(def);
    g_mutex_lock(&d->host->lock);
    private_scratch(b, given, rundir);
    rc = backup_def_align_disks(def, d->def, suffix);
    if (rc == 0) {
        private_scratch(b, given, rundir);
        backup_def_set_job_defaults(def);
    }
    g_mutex_unlock(&d->host->lock);
    if (rc < 0)
        return -1;
    for (size_t i = 0; i < def->ndisks; i++) {
        const backup_disk_def *bdd = &def->disks[i];
        if (!bdd->backup)
            continue;
        g_autoptr(json_object) merge = NULL;
        qemu_backup_disk *bd;
        if (check_store(bdd, b->pull, flags & VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL) < 0 ||
            (bdd->backupmode == BACKUP_DISK_MODE_INCREMENTAL && !(merge = check_incremental(d, bdd, bitmaps))))
            return -1;
        for (guint j = 0; j < b->disks->len; j++) {
            if (strcmp(((qemu_backup_disk *)b->disks->pdata[j])->path, bdd->store->path) == 0) {
                error_report(FROM, VIR_ERR_INVALID_ARG, "store '%s' is used for more than one disk",
                             bdd->store->path);
                return -1;
            }
        }
        g_mutex_lock(&d->host->lock);
        bd = disk_new(d, bdd, qemu_bitmaps_find(bitmaps, bdd->name));
        g_mutex_unlock(&d->host->lock);
        bd->merge = g_steal_pointer(&merge);
        g_ptr_array_add(b->disks, bd);
    }
    if (!b->disks->len) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "%s", "no disks selected for backup");
        return -1;
    }
    return 0;
}

/* The backup runs: its checkpoint is recorded, the status file says so, the watcher
 * starts. */
static void commit(qemu_backup *b, checkpoint_def **chk)
{
    qemu_dom *d = b->d;

    g_mutex_lock(&d->host->lock);
    for (size_t i = 0; i < b->def->ndisks; i++)
        if (b->def->disks[i].backup)
            b->def->disks[i].state = BACKUP_DISK_STATE_RUNNING;
    /* a new job forgets the statistics of the last one, as libvirt does */
    typed_params tp = { 0 };
    qemu_job_set_completed(d, &tp, VIR_DOMAIN_JOB_NONE);
    if (*chk && !qemu_checkpoint_commit(d, chk))
        error_reset();    /* the bitmaps exist: a redefinition can recover the metadata */
    d->backup = qemu_backup_ref(b);
    qemu_status_save(d->host, d);
    g_mutex_unlock(&d->host->lock);
    qemu_log_append(d->run->log_path, b->pull ? "backup job started (pull)" : "backup job started (push)");
    qemu_backup_watch(b);
}

static int qemu_backup_begin(virDomainPtr domain, const char *backup_xml, const char *checkpoint_xml,
                             unsigned int flags)
{
    g_autoptr(checkpoint_def) chk = NULL;
    g_autoptr(backup_def) def = NULL;
    g_autoptr(qemu_backup) b = NULL;
    g_autofree char *suffix = NULL;
    qemu_dom *d;
    int rc = -1;

    if (!error_check_flags(flags, VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL, FROM, "qemuDomainBackupBegin"))
        return -1;
    if (!(def = backup_def_parse_string(backup_xml, 0)))
        return -1;
    if (!(d = qemu_dom_acquire(domain)))
        return -1;
    if (checkpoint_xml && !(chk = checkpoint_def_parse_string(checkpoint_xml, &d->host->xmlopt, 0, NULL)))
        goto out;
    b = qemu_backup_new(d, g_steal_pointer(&def));
    b->reuse = flags & VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL;
    suffix = chk && chk->name ? g_strdup(chk->name)
                              : g_strdup_printf("%" G_GINT64_FORMAT, g_get_real_time() / G_USEC_PER_SEC);
    if (prepare(b, flags, suffix) < 0)
        goto out;
    if (chk) {
        g_mutex_lock(&d->host->lock);
        int prc = qemu_checkpoint_prepare(d, chk);
        g_mutex_unlock(&d->host->lock);
        if (prc < 0)
            goto out;
    }
    if (qemu_backup_setup(b, chk) < 0)
        goto out;
    commit(b, &chk);
    rc = 0;
 out:
    qemu_dom_release(d);
    return rc;
}

static char *qemu_backup_get_xml_desc(virDomainPtr domain, unsigned int flags)
{
    char *xml = NULL;
    qemu_dom *d;

    if (!error_check_flags(flags, 0, FROM, "qemuDomainBackupGetXMLDesc") || !(d = qemu_dom_lock(domain)))
        return NULL;
    if (d->backup)
        xml = backup_def_format(d->backup->def, 0);
    else
        error_report(FROM, VIR_ERR_NO_DOMAIN_BACKUP, "%s", "no domain backup job present");
    g_mutex_unlock(&d->host->lock);
    return xml;
}

void qemu_backup_fill(vm_driver *drv)
{
    drv->domain_backup_begin = qemu_backup_begin;
    drv->domain_backup_get_xml_desc = qemu_backup_get_xml_desc;
    qemu_job_fill(drv);
}
