/* The QEMU driver's snapshot queries: lookups, listings with libvirt's filters
 * (drivers/common), current, parent, XML. They read the tree with the host locked,
 * without a job, so they never wait for a snapshot being taken. */
#include "drivers/qemu/qemu_snapshot.h"
#include "drivers/common/moment_list.h"

#include "util/error.h"

#define FROM VIR_FROM_QEMU

#define LIST_FLAGS \
    (VIR_DOMAIN_SNAPSHOT_LIST_ROOTS | VIR_DOMAIN_SNAPSHOT_LIST_METADATA | \
     VIR_DOMAIN_SNAPSHOT_LIST_LEAVES | VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES | \
     VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA | VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE | \
     VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE | VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY | \
     VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL | VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL | \
     VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL)

/* The domain of a handle with the host locked and its tree loaded; NULL (host
 * unlocked) with an error. */
static qemu_dom *lock_tree(virDomainPtr domain)
{
    qemu_dom *d = qemu_dom_lock(domain);

    if (d && !qemu_snapshot_tree(d)) {
        g_mutex_unlock(&d->host->lock);
        return NULL;
    }
    return d;
}

/* The snapshot of a handle, host locked; NULL (host unlocked) with an error. */
static moment *lock_snapshot(virDomainSnapshotPtr snapshot, qemu_dom **ret_dom)
{
    qemu_dom *d = lock_tree(snapshot->domain);
    moment *m;

    if (!d)
        return NULL;
    if (!(m = qemu_snapshot_find(d, snapshot->name))) {
        g_mutex_unlock(&d->host->lock);
        return NULL;
    }
    *ret_dom = d;
    return m;
}

static int list(virDomainPtr domain, virDomainSnapshotPtr snapshot, unsigned int flags,
                char **names, int nameslen, virDomainSnapshotPtr **ret_list, const char *func)
{
    moment *from = NULL;
    qemu_dom *d;
    int n;

    if (!error_check_flags(flags, LIST_FLAGS, FROM, func))
        return -1;
    if (snapshot) {
        if (!(from = lock_snapshot(snapshot, &d)))
            return -1;
        domain = snapshot->domain;
    } else if (!(d = lock_tree(domain))) {
        return -1;
    }
    n = snapshot_list(d->snapshots, from, flags, domain, names, nameslen, ret_list);
    g_mutex_unlock(&d->host->lock);
    return n;
}

static int qemu_snapshot_num(virDomainPtr domain, unsigned int flags)
{
    return list(domain, NULL, flags, NULL, 0, NULL, "qemuDomainSnapshotNum");
}

static int qemu_snapshot_list_names(virDomainPtr domain, char **names, int nameslen, unsigned int flags)
{
    return list(domain, NULL, flags, names, nameslen, NULL, "qemuDomainSnapshotListNames");
}

static int qemu_list_all_snapshots(virDomainPtr domain, virDomainSnapshotPtr **snaps, unsigned int flags)
{
    return list(domain, NULL, flags, NULL, 0, snaps, "qemuDomainListAllSnapshots");
}

static int qemu_snapshot_num_children(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    return list(NULL, snapshot, flags, NULL, 0, NULL, "qemuDomainSnapshotNumChildren");
}

static int qemu_snapshot_list_children_names(virDomainSnapshotPtr snapshot, char **names,
                                             int nameslen, unsigned int flags)
{
    return list(NULL, snapshot, flags, names, nameslen, NULL, "qemuDomainSnapshotListChildrenNames");
}

static int qemu_snapshot_list_all_children(virDomainSnapshotPtr snapshot,
                                           virDomainSnapshotPtr **snaps, unsigned int flags)
{
    return list(NULL, snapshot, flags, NULL, 0, snaps, "qemuDomainSnapshotListAllChildren");
}

static virDomainSnapshotPtr qemu_snapshot_lookup_by_name(virDomainPtr domain, const char *name,
                                                         unsigned int flags)
{
    virDomainSnapshotPtr ret = NULL;
    qemu_dom *d;

    if (!error_check_flags(flags, 0, FROM, "qemuDomainSnapshotLookupByName") || !(d = lock_tree(domain)))
        return NULL;
    if (qemu_snapshot_find(d, name))
        ret = handle_snapshot_new(domain, name);
    g_mutex_unlock(&d->host->lock);
    return ret;
}

static int qemu_has_current_snapshot(virDomainPtr domain, unsigned int flags)
{
    qemu_dom *d;
    int ret;

    if (!error_check_flags(flags, 0, FROM, "qemuDomainHasCurrentSnapshot") || !(d = lock_tree(domain)))
        return -1;
    ret = moment_tree_current(d->snapshots) != NULL;
    g_mutex_unlock(&d->host->lock);
    return ret;
}

static virDomainSnapshotPtr qemu_snapshot_current(virDomainPtr domain, unsigned int flags)
{
    virDomainSnapshotPtr ret = NULL;
    qemu_dom *d;
    moment *m;

    if (!error_check_flags(flags, 0, FROM, "qemuDomainSnapshotCurrent") || !(d = lock_tree(domain)))
        return NULL;
    if ((m = moment_tree_current(d->snapshots)))
        ret = handle_snapshot_new(domain, m->name);
    else
        error_report(FROM, VIR_ERR_NO_DOMAIN_SNAPSHOT, "%s", "the domain does not have a current snapshot");
    g_mutex_unlock(&d->host->lock);
    return ret;
}

static virDomainSnapshotPtr qemu_snapshot_get_parent(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    virDomainSnapshotPtr ret = NULL;
    qemu_dom *d;
    moment *m;

    if (!error_check_flags(flags, 0, FROM, "qemuDomainSnapshotGetParent") ||
        !(m = lock_snapshot(snapshot, &d)))
        return NULL;
    if (m->parent)
        ret = handle_snapshot_new(snapshot->domain, m->parent->name);
    else
        error_report(FROM, VIR_ERR_NO_DOMAIN_SNAPSHOT, "snapshot '%s' does not have a parent", m->name);
    g_mutex_unlock(&d->host->lock);
    return ret;
}

static int qemu_snapshot_is_current(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    qemu_dom *d;
    moment *m;
    int ret;

    if (!error_check_flags(flags, 0, FROM, "qemuDomainSnapshotIsCurrent") ||
        !(m = lock_snapshot(snapshot, &d)))
        return -1;
    ret = moment_tree_current(d->snapshots) == m;
    g_mutex_unlock(&d->host->lock);
    return ret;
}

static int qemu_snapshot_has_metadata(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    qemu_dom *d;

    if (!error_check_flags(flags, 0, FROM, "qemuDomainSnapshotHasMetadata") ||
        !lock_snapshot(snapshot, &d))
        return -1;
    g_mutex_unlock(&d->host->lock);
    return 1;
}

static char *qemu_snapshot_get_xml_desc(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    qemu_dom *d;
    moment *m;
    char *xml;

    if (!error_check_flags(flags, VIR_DOMAIN_SNAPSHOT_XML_SECURE, FROM, "qemuDomainSnapshotGetXMLDesc") ||
        !(m = lock_snapshot(snapshot, &d)))
        return NULL;
    xml = snapshot_def_format(m->def, m->parent ? m->parent->name : NULL, d->def->uuid,
                              snapshot_format_flags_from_public(flags));
    g_mutex_unlock(&d->host->lock);
    return xml;
}

void qemu_snapshot_query_fill(vm_driver *drv)
{
    drv->domain_snapshot_num = qemu_snapshot_num;
    drv->domain_snapshot_list_names = qemu_snapshot_list_names;
    drv->domain_list_all_snapshots = qemu_list_all_snapshots;
    drv->domain_snapshot_num_children = qemu_snapshot_num_children;
    drv->domain_snapshot_list_children_names = qemu_snapshot_list_children_names;
    drv->domain_snapshot_list_all_children = qemu_snapshot_list_all_children;
    drv->domain_snapshot_lookup_by_name = qemu_snapshot_lookup_by_name;
    drv->domain_has_current_snapshot = qemu_has_current_snapshot;
    drv->domain_snapshot_current = qemu_snapshot_current;
    drv->domain_snapshot_get_parent = qemu_snapshot_get_parent;
    drv->domain_snapshot_is_current = qemu_snapshot_is_current;
    drv->domain_snapshot_has_metadata = qemu_snapshot_has_metadata;
    drv->domain_snapshot_get_xml_desc = qemu_snapshot_get_xml_desc;
}
