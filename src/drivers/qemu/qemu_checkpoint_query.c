/* QEMU checkpoints: lookups, listings, parents, and the XML with the size of each
 * bitmap (dirty bytes since the checkpoint, read from the running QEMU). */
#include "drivers/qemu/qemu_checkpoint.h"
#include "drivers/common/checkpoint_query.h"
#include "drivers/common/moment_list.h"

#include <string.h>
#include "handle.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU
#define SIZE_BITMAP "virtmoment-size"

/* The domain of a handle with the host locked and its tree loaded; NULL (unlocked,
 * error set) otherwise. */
static qemu_dom *lock_dom(virDomainPtr domain)
{
    qemu_dom *d = qemu_dom_lock(domain);

    if (d && !qemu_checkpoint_tree(d)) {
        g_mutex_unlock(&d->host->lock);
        return NULL;
    }
    return d;
}

static moment *lock_checkpoint(virDomainCheckpointPtr checkpoint, qemu_dom **ret_dom)
{
    qemu_dom *d = lock_dom(checkpoint->domain);
    moment *m;

    if (!d)
        return NULL;
    if (!(m = checkpoint_find(d->checkpoints, checkpoint->name, FROM))) {
        g_mutex_unlock(&d->host->lock);
        return NULL;
    }
    *ret_dom = d;
    return m;
}

static int list(virDomainPtr domain, virDomainCheckpointPtr from_handle,
                virDomainCheckpointPtr **ret_list, unsigned int flags, const char *func)
{
    moment *from = NULL;
    qemu_dom *d;
    int n;

    if (!error_check_flags(flags, CHECKPOINT_LIST_FLAGS, FROM, func))
        return -1;
    if (from_handle) {
        if (!(from = lock_checkpoint(from_handle, &d)))
            return -1;
        domain = from_handle->domain;
    } else if (!(d = lock_dom(domain))) {
        return -1;
    }
    n = checkpoint_list(d->checkpoints, from, flags, domain, ret_list);
    g_mutex_unlock(&d->host->lock);
    return n;
}

static int qemu_list_all_checkpoints(virDomainPtr domain, virDomainCheckpointPtr **list_out,
                                     unsigned int flags)
{
    return list(domain, NULL, list_out, flags, "qemuDomainListAllCheckpoints");
}

static int qemu_checkpoint_list_all_children(virDomainCheckpointPtr checkpoint,
                                             virDomainCheckpointPtr **list_out, unsigned int flags)
{
    return list(NULL, checkpoint, list_out, flags, "qemuDomainCheckpointListAllChildren");
}

static virDomainCheckpointPtr qemu_checkpoint_lookup_by_name(virDomainPtr domain, const char *name,
                                                             unsigned int flags)
{
    virDomainCheckpointPtr ret = NULL;
    qemu_dom *d;

    if (!error_check_flags(flags, 0, FROM, "qemuDomainCheckpointLookupByName") || !(d = lock_dom(domain)))
        return NULL;
    if (checkpoint_find(d->checkpoints, name, FROM))
        ret = handle_checkpoint_new(domain, name);
    g_mutex_unlock(&d->host->lock);
    return ret;
}

static virDomainCheckpointPtr qemu_checkpoint_get_parent(virDomainCheckpointPtr checkpoint,
                                                         unsigned int flags)
{
    virDomainCheckpointPtr ret = NULL;
    qemu_dom *d;
    moment *m;

    if (!error_check_flags(flags, 0, FROM, "qemuDomainCheckpointGetParent") ||
        !(m = lock_checkpoint(checkpoint, &d)))
        return NULL;
    ret = checkpoint_parent_handle(checkpoint->domain, m, FROM);
    g_mutex_unlock(&d->host->lock);
    return ret;
}

/* ---- sizes ---- */

/* The dirty bytes of bitmap on a running disk: its count when one layer carries
 * it, else the count of a temporary merge of every layer's. -1 with an error. */
static int bitmap_size(qemu_dom *d, const qemu_disk_bitmaps *db, const char *bitmap,
                       unsigned long long *ret)
{
    const qemu_layer *top = g_ptr_array_index(db->layers, 0);
    g_autoptr(json_object) sources = qemu_bitmap_merge_sources(db, bitmap);
    g_autoptr(GPtrArray) disks = NULL;
    json_object *actions;
    int rc;

    if (json_object_array_length(sources) == 1) {
        for (guint i = 0; i < top->bitmaps->len; i++) {
            const qemu_bitmap *b = g_ptr_array_index(top->bitmaps, i);
            if (strcmp(b->name, bitmap) == 0)
                *ret = b->count;
        }
        return 0;
    }
    actions = json_object_new_array();
    json_object_array_add(actions, qemu_bitmap_add_action(top->node, SIZE_BITMAP, false, true));
    json_object_array_add(actions, qemu_bitmap_merge_action(top->node, SIZE_BITMAP,
                                                            json_object_get(sources)));
    if (qemu_transaction(d->mon, actions, NULL) < 0)
        return -1;
    rc = qemu_bitmaps_read(d, &disks);
    if (rc == 0) {
        const qemu_layer *l = g_ptr_array_index(qemu_bitmaps_find(disks, db->dst)->layers, 0);
        for (guint i = 0; i < l->bitmaps->len; i++)
            if (strcmp(((qemu_bitmap *)l->bitmaps->pdata[i])->name, SIZE_BITMAP) == 0)
                *ret = ((qemu_bitmap *)l->bitmaps->pdata[i])->count;
    }
    virErrorPtr saved = error_save();
    g_autoptr(json_object) args = json_object_new_object();
    json_object_object_add(args, "node", json_object_new_string(top->node));
    json_object_object_add(args, "name", json_object_new_string(SIZE_BITMAP));
    qmp_call(d->mon, "block-dirty-bitmap-remove", args, QMP_TIMEOUT_DEFAULT, NULL);
    error_restore(&saved);
    return rc;
}

/* Fill in size= of the bitmap disks of checkpoint name (d under a job, running). */
static int fill_sizes(qemu_dom *d, const char *name)
{
    g_autoptr(GPtrArray) disks = NULL;
    checkpoint_def *def;
    moment *m;

    if (qemu_bitmaps_read(d, &disks) < 0)
        return -1;
    g_mutex_lock(&d->host->lock);
    m = qemu_checkpoint_tree(d) ? checkpoint_find(d->checkpoints, name, FROM) : NULL;
    def = m ? m->def : NULL;
    g_mutex_unlock(&d->host->lock);
    if (!def)
        return -1;      /* the job keeps the tree as it is: def stays valid */
    for (size_t i = 0; i < def->ndisks; i++) {
        checkpoint_disk_def *cd = &def->disks[i];
        const qemu_disk_bitmaps *db = qemu_bitmaps_find(disks, cd->name);
        g_autofree char *why = NULL;
        unsigned long long size = 0;
        if (cd->type != CHECKPOINT_TYPE_BITMAP)
            continue;
        if (!qemu_bitmap_usable(db, cd->bitmap, &why)) {
            qemu_bitmap_report_broken(cd->bitmap, cd->name, why, name);
            return -1;
        }
        if (bitmap_size(d, db, cd->bitmap, &size) < 0)
            return -1;
        g_mutex_lock(&d->host->lock);
        cd->size = size;
        cd->size_valid = true;
        g_mutex_unlock(&d->host->lock);
    }
    return 0;
}

/* The XML with sizes: the domain's job is needed for the monitor. */
static char *xml_with_sizes(virDomainCheckpointPtr checkpoint, unsigned int flags)
{
    qemu_dom *d = qemu_dom_acquire(checkpoint->domain);
    char *xml = NULL;
    moment *m;

    if (!d)
        return NULL;
    if (!d->mon) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
    } else if (fill_sizes(d, checkpoint->name) == 0) {
        g_mutex_lock(&d->host->lock);
        if ((m = checkpoint_find(d->checkpoints, checkpoint->name, FROM)))
            xml = checkpoint_format(m, flags);
        g_mutex_unlock(&d->host->lock);
    }
    qemu_dom_release(d);
    return xml;
}

static char *qemu_checkpoint_get_xml_desc(virDomainCheckpointPtr checkpoint, unsigned int flags)
{
    char *xml;
    qemu_dom *d;
    moment *m;

    if (!error_check_flags(flags, VIR_DOMAIN_CHECKPOINT_XML_SECURE |
                                  VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN |
                                  VIR_DOMAIN_CHECKPOINT_XML_SIZE,
                           FROM, "qemuDomainCheckpointGetXMLDesc"))
        return NULL;
    if (flags & VIR_DOMAIN_CHECKPOINT_XML_SIZE)
        return xml_with_sizes(checkpoint, flags);
    if (!(m = lock_checkpoint(checkpoint, &d)))
        return NULL;
    xml = checkpoint_format(m, flags);
    g_mutex_unlock(&d->host->lock);
    return xml;
}

void qemu_checkpoint_query_fill(vm_driver *drv)
{
    drv->domain_list_all_checkpoints = qemu_list_all_checkpoints;
    drv->domain_checkpoint_list_all_children = qemu_checkpoint_list_all_children;
    drv->domain_checkpoint_lookup_by_name = qemu_checkpoint_lookup_by_name;
    drv->domain_checkpoint_get_parent = qemu_checkpoint_get_parent;
    drv->domain_checkpoint_get_xml_desc = qemu_checkpoint_get_xml_desc;
}
