/* QEMU checkpoints: create (one transaction adding a persistent bitmap to every disk
 * that takes part, or qemu-img for a domain that is shut off), redefine (validated
 * against the bitmaps really present on request), delete (the bitmaps, then the
 * metadata; the children's files are written before their parent's is removed). */
#include "drivers/qemu/qemu_checkpoint.h"
#include "drivers/common/checkpoint_define.h"
#include "drivers/common/moment_list.h"

#include <string.h>
#include "drivers/qemu/qemu_img.h"
#include "handle.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU

int qemu_checkpoint_prepare(qemu_dom *d, checkpoint_def *def)
{
    moment_tree *tree = qemu_checkpoint_tree(d);

    if (!tree || checkpoint_prepare_new(def, d->def, g_get_real_time() / G_USEC_PER_SEC) < 0)
        return -1;
    if (moment_tree_find(tree, def->name)) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED, "domain moment %s already exists",
                     def->name);
        return -1;
    }
    for (size_t i = 0; i < def->ndisks; i++) {
        const checkpoint_disk_def *cd = &def->disks[i];
        const domain_disk_def *disk = d->def->disks[i];
        if (cd->type != CHECKPOINT_TYPE_BITMAP)
            continue;
        if (strcmp(cd->bitmap, def->name) != 0) {
            error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                         "bitmap for disk '%s' must match checkpoint name '%s'", cd->name, def->name);
            return -1;
        }
        if (disk->src->format != STORAGE_FORMAT_QCOW2) {
            error_report(FROM, VIR_ERR_OPERATION_UNSUPPORTED,
                         "checkpoint for disk %s unsupported for storage type %s", cd->name,
                         storage_format_to_string(disk->src->format ? disk->src->format
                                                                    : STORAGE_FORMAT_RAW));
            return -1;
        }
    }
    def->dom = domain_def_copy(d->def);
    return 0;
}

void qemu_checkpoint_add_actions(qemu_dom *d, const checkpoint_def *def, json_object *actions)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        const qemu_disk_run *r = g_ptr_array_index(d->run->disks, i);
        if (def->disks[i].type == CHECKPOINT_TYPE_BITMAP)
            json_object_array_add(actions, qemu_bitmap_add_action(r->format_node, def->disks[i].bitmap,
                                                                  true, false));
    }
}

moment *qemu_checkpoint_commit(qemu_dom *d, checkpoint_def **defp)
{
    moment *m = checkpoint_add_new(d->checkpoints, defp);

    if (m && qemu_checkpoint_save_and_current(d, m) < 0)
        return NULL;
    return m;
}

/* ---- bitmaps of a new checkpoint ---- */

/* Add the bitmaps to the images of shut-off d; all or none. */
static int add_offline(qemu_dom *d, const checkpoint_def *def)
{
    g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
    guint done = 0;

    g_mutex_lock(&d->host->lock);
    for (size_t i = 0; i < def->ndisks; i++)
        if (def->disks[i].type == CHECKPOINT_TYPE_BITMAP)
            g_ptr_array_add(paths, g_strdup(d->def->disks[i]->src->path));
    g_mutex_unlock(&d->host->lock);
    for (; done < paths->len; done++)
        if (qemu_img_bitmap_add(paths->pdata[done], def->name, 0, false) < 0)
            break;
    if (done == paths->len)
        return 0;
    virErrorPtr saved = error_save();
    while (done-- > 0)
        qemu_img_bitmap_remove(paths->pdata[done], def->name);
    error_restore(&saved);
    return -1;
}

static int add_bitmaps(qemu_dom *d, const checkpoint_def *def)
{
    json_object *actions;

    if (!d->mon)
        return add_offline(d, def);
    actions = json_object_new_array();
    g_mutex_lock(&d->host->lock);
    qemu_checkpoint_add_actions(d, def, actions);
    g_mutex_unlock(&d->host->lock);
    if (!json_object_array_length(actions)) {
        json_object_put(actions);
        return 0;
    }
    return qemu_transaction(d->mon, actions, NULL);
}

/* ---- redefinition ---- */

/* REDEFINE_VALIDATE: every bitmap the checkpoint names exists and can be used. */
static int validate(qemu_dom *d, const checkpoint_def *def)
{
    g_autoptr(GPtrArray) disks = NULL;

    if (qemu_bitmaps_read(d, &disks) < 0)
        return -1;
    for (size_t i = 0; i < def->ndisks; i++) {
        const checkpoint_disk_def *cd = &def->disks[i];
        g_autofree char *why = NULL;
        if (cd->type != CHECKPOINT_TYPE_BITMAP)
            continue;
        if (!qemu_bitmap_usable(qemu_bitmaps_find(disks, cd->name), cd->bitmap, &why)) {
            qemu_bitmap_report_broken(cd->bitmap, cd->name, why, def->name);
            return -1;
        }
    }
    return 0;
}

static moment *redefine(qemu_dom *d, checkpoint_def **defp, bool validate_bitmaps)
{
    qemu_host *h = d->host;
    moment *m = NULL;

    g_mutex_lock(&h->lock);
    int rc = checkpoint_redefine_check(d->checkpoints, *defp, d->def);
    g_mutex_unlock(&h->lock);
    if (rc < 0 || (validate_bitmaps && validate(d, *defp) < 0))
        return NULL;
    g_mutex_lock(&h->lock);
    if ((m = checkpoint_redefine_apply(d->checkpoints, defp)) &&
        qemu_checkpoint_save_and_current(d, m) < 0)
        m = NULL;
    g_mutex_unlock(&h->lock);
    return m;
}

static moment *create(qemu_dom *d, checkpoint_def **defp)
{
    qemu_host *h = d->host;
    moment *m;

    g_mutex_lock(&h->lock);
    int rc = qemu_checkpoint_prepare(d, *defp);
    g_mutex_unlock(&h->lock);
    if (rc < 0 || add_bitmaps(d, *defp) < 0)
        return NULL;
    g_mutex_lock(&h->lock);
    m = qemu_checkpoint_commit(d, defp);
    g_mutex_unlock(&h->lock);
    return m;
}

static virDomainCheckpointPtr qemu_checkpoint_create_xml(virDomainPtr domain, const char *xml,
                                                         unsigned int flags)
{
    bool redef = flags & VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE;
    g_autoptr(checkpoint_def) def = NULL;
    virDomainCheckpointPtr ret = NULL;
    qemu_dom *d;
    moment *m;

    /* QUIESCE needs a guest agent freeze, which libvirt's QEMU driver does not offer
     * for checkpoints either. */
    if (!error_check_flags(flags, VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE |
                                  VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE,
                           FROM, "qemuDomainCheckpointCreateXML"))
        return NULL;
    if (!(d = qemu_dom_acquire(domain)))
        return NULL;
    def = checkpoint_def_parse_string(xml, &d->host->xmlopt, redef ? CHECKPOINT_PARSE_REDEFINE : 0, NULL);
    g_mutex_lock(&d->host->lock);
    bool loaded = qemu_checkpoint_tree(d) != NULL;
    g_mutex_unlock(&d->host->lock);
    if (def && loaded) {
        m = redef ? redefine(d, &def, flags & VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE)
                  : create(d, &def);
        if (m)
            ret = handle_checkpoint_new(domain, m->name);
    }
    qemu_dom_release(d);
    return ret;
}

/* ---- deletion ---- */

/* The bitmaps of the checkpoints going away: "dst\nbitmap" strings. */
static void victim_bitmaps(const moment *m, GPtrArray *out)
{
    const checkpoint_def *def = m->def;

    for (size_t i = 0; i < def->ndisks; i++)
        if (def->disks[i].type == CHECKPOINT_TYPE_BITMAP)
            g_ptr_array_add(out, g_strdup_printf("%s\n%s", def->disks[i].name, def->disks[i].bitmap));
}

/* Remove the bitmaps from every layer that has them (missing ones are no error: a
 * broken checkpoint is deleted to recover from it). */
static int remove_bitmaps(qemu_dom *d, GPtrArray *victims)
{
    g_autoptr(GPtrArray) disks = NULL;
    json_object *actions = json_object_new_array();

    if (qemu_bitmaps_read(d, &disks) < 0) {
        json_object_put(actions);
        return -1;
    }
    for (guint v = 0; v < victims->len; v++) {
        g_auto(GStrv) parts = g_strsplit(victims->pdata[v], "\n", 2);
        const qemu_disk_bitmaps *db = qemu_bitmaps_find(disks, parts[0]);
        for (guint i = 0; db && i < db->layers->len; i++) {
            const qemu_layer *l = g_ptr_array_index(db->layers, i);
            bool has = false;
            for (guint j = 0; j < l->bitmaps->len && !has; j++)
                has = strcmp(((qemu_bitmap *)l->bitmaps->pdata[j])->name, parts[1]) == 0;
            if (!has)
                continue;
            if (l->node) {
                json_object_array_add(actions, qemu_bitmap_action("block-dirty-bitmap-remove", l->node,
                                                                  parts[1]));
            } else if (qemu_img_bitmap_remove(l->path, parts[1]) < 0) {
                json_object_put(actions);
                return -1;
            }
        }
    }
    if (!json_object_array_length(actions)) {
        json_object_put(actions);
        return 0;
    }
    return qemu_transaction(d->mon, actions, NULL);
}

/* The metadata: the tree as the Delete functions change it, the files of the
 * checkpoints that moved written before the removed ones go. */
static int delete_metadata(qemu_dom *d, moment *m, bool children, bool children_only)
{
    g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) moved = g_ptr_array_new();
    int rc = 0;

    if (children || children_only) {
        g_autoptr(GPtrArray) desc = moment_tree_list(d->checkpoints, m, MOMENT_LIST_DESCENDANTS |
                                                     MOMENT_LIST_TOPOLOGICAL, NULL, NULL);
        for (guint i = desc->len; i-- > 0;)    /* leaves first */
            g_ptr_array_add(gone, g_strdup(((moment *)desc->pdata[i])->name));
    } else {
        for (moment *c = m->first_child; c; c = c->next)
            g_ptr_array_add(moved, c);
    }
    if (!children_only)
        g_ptr_array_add(gone, g_strdup(m->name));
    moment_delete(d->checkpoints, m, children, children_only);
    for (guint i = 0; i < moved->len && rc == 0; i++)
        rc = qemu_checkpoint_save(d, moved->pdata[i]);
    if (rc == 0)
        rc = qemu_checkpoint_remove_files(d, (const char *const *)gone->pdata, gone->len);
    if (rc == 0)
        rc = qemu_checkpoint_save_current(d);
    return rc;
}

static int qemu_checkpoint_delete(virDomainCheckpointPtr checkpoint, unsigned int flags)
{
    bool children = flags & VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN;
    bool only = flags & VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY;
    g_autoptr(GPtrArray) victims = g_ptr_array_new_with_free_func(g_free);
    qemu_dom *d;
    moment *m;
    int rc = -1;

    if (!error_check_flags(flags, VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN |
                                  VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY |
                                  VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY,
                           FROM, "qemuDomainCheckpointDelete"))
        return -1;
    if (!(d = qemu_dom_acquire(checkpoint->domain)))
        return -1;
    g_mutex_lock(&d->host->lock);
    if (!qemu_checkpoint_tree(d) || !(m = moment_tree_find(d->checkpoints, checkpoint->name))) {
        if (d->checkpoints)
            error_report(FROM, VIR_ERR_NO_DOMAIN_CHECKPOINT,
                         "no domain checkpoint with matching name '%s'", checkpoint->name);
        g_mutex_unlock(&d->host->lock);
        goto out;
    }
    if (children || only) {
        g_autoptr(GPtrArray) desc = moment_tree_list(d->checkpoints, m, MOMENT_LIST_DESCENDANTS, NULL, NULL);
        for (guint i = 0; i < desc->len; i++)
            victim_bitmaps(desc->pdata[i], victims);
    }
    if (!only)
        victim_bitmaps(m, victims);
    g_mutex_unlock(&d->host->lock);

    if (!(flags & VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY) && remove_bitmaps(d, victims) < 0)
        goto out;
    g_mutex_lock(&d->host->lock);
    /* the job kept the tree as it was */
    rc = delete_metadata(d, moment_tree_find(d->checkpoints, checkpoint->name), children, only);
    g_mutex_unlock(&d->host->lock);
 out:
    qemu_dom_release(d);
    return rc;
}

void qemu_checkpoint_fill(vm_driver *drv)
{
    drv->domain_checkpoint_create_xml = qemu_checkpoint_create_xml;
    drv->domain_checkpoint_delete = qemu_checkpoint_delete;
    qemu_checkpoint_query_fill(drv);
}
