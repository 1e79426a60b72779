/* A backup job in the domain's status file, and taking it over when another process
 * opens the root: re-attached when QEMU still runs it, ended and cleaned up
 * otherwise, the domain log saying which.
 *
 *   <backupjob mode='pull' start='1795320030123' nbd='yes' tls='libvirt_backup_tls0'
 *              scratchdir='ROOT/run/qemu/domain-3-vm/backup' reuse='no'>
 *     <disk dst='vda' source='/images/vm.qcow2' device='libvirt-1-format'
 *           node='libvirt-3-format' path='ROOT/run/qemu/domain-3-vm/backup/vda.scratch.qcow2'
 *           format='qcow2' block='no' created='yes' job='backup-vda-libvirt-3-format'
 *           bitmap='backup-vda' bitmapnode='libvirt-3-format'
 *           export='backup-vda-libvirt-3-format' exportname='vda' size='67108864'/>
 *     <domainbackup mode='pull'>...</domainbackup>     (the definition, status form)
 *   </backupjob>
 */
#include "drivers/qemu/qemu_backup.h"

#include <string.h>
#include "drivers/qemu/qemu_procfs.h"
#include "util/error.h"
#include "util/file.h"
#include "util/xml.h"

static void attr(buf *out, const char *name, const char *value)
{
    if (value)
        buf_escapef(out, " %s='%s'", name, value);
}

static const char *yesno(bool v)
{
    return v ? "yes" : "no";
}

void qemu_backup_status_format(buf *out, const qemu_dom *d)
{
    const qemu_backup *b = d->backup;

    if (!b)
        return;
    buf_addf(out, "<backupjob mode='%s' start='%" G_GINT64_FORMAT "' nbd='%s'", b->pull ? "pull" : "push",
             b->start_ms, yesno(b->nbd_server));
    attr(out, "tls", b->tls_object);
    attr(out, "scratchdir", b->scratch_dir);
    buf_addf(out, " reuse='%s'>\n", yesno(b->reuse));
    buf_adjust_indent(out, 2);
    for (guint i = 0; i < b->disks->len; i++) {
        const qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        buf_escapef(out, "<disk dst='%s'", bd->dst);
        attr(out, "source", bd->source);
        attr(out, "device", bd->device);
        attr(out, "node", bd->node);
        attr(out, "path", bd->path);
        buf_addf(out, " format='%s' block='%s' created='%s'", storage_format_to_string(bd->format),
                 yesno(bd->block), yesno(bd->created));
        attr(out, "job", bd->job);
        attr(out, "bitmap", bd->bitmap);
        attr(out, "bitmapnode", bd->bitmap_node);
        attr(out, "export", bd->export_id);
        attr(out, "exportname", bd->export_name);
        buf_addf(out, " size='%llu'/>\n", bd->size);
    }
    backup_def_format_buf(out, b->def, BACKUP_FORMAT_INTERNAL);
    buf_adjust_indent(out, -2);
    buf_add(out, "</backupjob>\n");
}

static bool prop_yes(xmlNodePtr node, const char *name)
{
    g_autofree char *v = xml_prop(node, name);
    return g_strcmp0(v, "yes") == 0;
}

static qemu_backup_disk *disk_parse(xmlNodePtr n)
{
    qemu_backup_disk *bd = g_new0(qemu_backup_disk, 1);
    g_autofree char *format = xml_prop(n, "format"), *size = xml_prop(n, "size");

    bd->dst = xml_prop(n, "dst");
    bd->source = xml_prop(n, "source");
    bd->device = xml_prop(n, "device");
    bd->node = xml_prop(n, "node");
    bd->path = xml_prop(n, "path");
    bd->format = format ? storage_format_from_string(format) : STORAGE_FORMAT_QCOW2;
    bd->block = prop_yes(n, "block");
    bd->created = prop_yes(n, "created");
    bd->node_added = bd->node != NULL;
    bd->job = xml_prop(n, "job");
    bd->bitmap = xml_prop(n, "bitmap");
    bd->bitmap_node = xml_prop(n, "bitmapnode");
    bd->export_id = xml_prop(n, "export");
    bd->export_name = xml_prop(n, "exportname");
    bd->status = QMP_JOB_UNDEFINED;    /* until QEMU is asked */
    if (!size || !parse_ull(size, &bd->size))
        bd->size = 0;
    return bd;
}

void qemu_backup_status_parse(qemu_dom *d, xmlNodePtr root)
{
    xmlNodePtr job = xml_child(root, "backupjob");
    g_autofree char *mode = NULL, *start = NULL;
    backup_def *def;
    qemu_backup *b;
    long long ms = 0;

    if (!job || !(def = backup_def_parse_node(xml_child(job, "domainbackup"), BACKUP_PARSE_INTERNAL))) {
        error_reset();
        return;
    }
    b = qemu_backup_new(d, def);
    mode = xml_prop(job, "mode");
    b->pull = g_strcmp0(mode, "pull") == 0;
    start = xml_prop(job, "start");
    if (start && parse_ll(start, &ms))
        b->start_ms = ms;
    b->started = true;
    b->nbd_server = prop_yes(job, "nbd");
    b->reuse = prop_yes(job, "reuse");
    b->tls_object = xml_prop(job, "tls");
    b->scratch_dir = xml_prop(job, "scratchdir");
    for (xmlNodePtr n = xml_child(job, "disk"); n; n = xml_next_named(n, "disk"))
        g_ptr_array_add(b->disks, disk_parse(n));
    d->backup = b;
}

/* Whether QEMU still serves every export of a pull backup. */
static bool exports_present(qemu_backup *b)
{
    g_autoptr(json_object) exports = NULL;

    if (qmp_call(b->mon, "query-block-exports", NULL, QMP_TIMEOUT_DEFAULT, &exports) < 0)
        return false;
    for (guint i = 0; i < b->disks->len; i++) {
        qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
        bool found = false;
        for (size_t j = 0; j < qemu_json_array_len(exports) && !found; j++)
            found = g_strcmp0(qemu_json_get_string(json_object_array_get_idx(exports, j), "id"),
                              bd->export_id) == 0;
        if (!found)
            bd->export_gone = true;
        if (!found && bd->export_id)
            return false;
    }
    return true;
}

void qemu_backup_reattach(qemu_host *h, qemu_dom *d)
{
    g_autoptr(qemu_backup) b = NULL;
    g_autofree char *log = NULL;
    const char *why = NULL;
    bool running = false;

    g_mutex_lock(&h->lock);
    b = d->backup ? qemu_backup_ref(d->backup) : NULL;
    g_autofree char *enc = file_name_encode(d->def->name);
    g_autofree char *base = g_strconcat(enc, ".log", NULL);
    log = g_build_filename(h->log_dir, base, NULL);
    if (b)
        b->generation = d->generation;
    g_mutex_unlock(&h->lock);
    if (!b)
        return;
    if (d->mon) {
        qemu_backup_listen(b, d->mon);
        if (qemu_backup_query(b) == 0) {
            running = true;
            for (guint i = 0; i < b->disks->len; i++) {
                const qemu_backup_disk *bd = g_ptr_array_index(b->disks, i);
                running = running && bd->status != QMP_JOB_CONCLUDED && bd->status != QMP_JOB_NULL;
            }
            if (running && b->pull && !exports_present(b)) {
                running = false;
                why = "QEMU no longer serves the backup's NBD exports";
            }
        }
        error_reset();
    } else {
        why = "QEMU exited while no process watched the domain";
    }
    if (running) {
        if (log)
            qemu_log_append(log, "backup job re-attached: QEMU still runs it");
        qemu_backup_watch(b);
        return;
    }
    if (log) {
        g_autofree char *line = g_strdup_printf("backup job taken over after it ended or broke while no "
                                                "process watched the domain: %s",
                                                why ? why : "its QEMU jobs concluded");
        qemu_log_append(log, line);
    }
    qemu_backup_end(b, QEMU_BACKUP_END_JOBS, why ? why : "the backup job ended while no process watched "
                                                       "the domain");
}
