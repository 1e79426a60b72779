/* The test driver's snapshot queries: lookups, listings with libvirt's filters, XML. */
#include "drivers/test/test_driver.h"
#include "drivers/common/moment_list.h"

#include <string.h>
#include "util/error.h"

#define FROM VIR_FROM_TEST

#define LIST_FLAGS \
    (VIR_DOMAIN_SNAPSHOT_LIST_ROOTS | VIR_DOMAIN_SNAPSHOT_LIST_METADATA | \
     VIR_DOMAIN_SNAPSHOT_LIST_LEAVES | VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES | \
     VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA | VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE | \
     VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE | VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY | \
     VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL | VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL | \
     VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL)

/* Count, or fill names (at most nameslen) or handles, of what flags select. */
static int list(virDomainPtr domain, virDomainSnapshotPtr snapshot, unsigned int flags,
                char **names, int nameslen, virDomainSnapshotPtr **ret_list, const char *func)
{
    moment *from = NULL;
    test_host *h;
    test_dom *d;
    int n;

    if (!error_check_flags(flags, LIST_FLAGS, FROM, func))
        return -1;
    if (snapshot) {
        if (!(from = test_snapshot_lock(snapshot, &h, &d)))
            return -1;
        domain = snapshot->domain;
    } else if (!(d = test_dom_lock(domain, &h))) {
        return -1;
    }
    n = snapshot_list(d->snapshots, from, flags, domain, names, nameslen, ret_list);
    g_mutex_unlock(&h->lock);
    return n;
}

static int test_snapshot_num(virDomainPtr domain, unsigned int flags)
{
    return list(domain, NULL, flags, NULL, 0, NULL, "testDomainSnapshotNum");
}

static int test_snapshot_list_names(virDomainPtr domain, char **names, int nameslen,
                                    unsigned int flags)
{
    return list(domain, NULL, flags, names, nameslen, NULL, "testDomainSnapshotListNames");
}

static int test_list_all_snapshots(virDomainPtr domain, virDomainSnapshotPtr **snaps,
                                   unsigned int flags)
{
    return list(domain, NULL, flags, NULL, 0, snaps, "testDomainListAllSnapshots");
}

static int test_snapshot_num_children(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    return list(NULL, snapshot, flags, NULL, 0, NULL, "testDomainSnapshotNumChildren");
}

static int test_snapshot_list_children_names(virDomainSnapshotPtr snapshot, char **names,
                                             int nameslen, unsigned int flags)
{
    return list(NULL, snapshot, flags, names, nameslen, NULL,
                "testDomainSnapshotListChildrenNames");
}

static int test_snapshot_list_all_children(virDomainSnapshotPtr snapshot,
                                           virDomainSnapshotPtr **snaps, unsigned int flags)
{
    return list(NULL, snapshot, flags, NULL, 0, snaps, "testDomainSnapshotListAllChildren");
}

static virDomainSnapshotPtr test_snapshot_lookup_by_name(virDomainPtr domain, const char *name,
                                                         unsigned int flags)
{
    virDomainSnapshotPtr ret = NULL;
    test_host *h;
    test_dom *d;

    if (!error_check_flags(flags, 0, FROM, "testDomainSnapshotLookupByName"))
        return NULL;
    if (!(d = test_dom_lock(domain, &h)))
        return NULL;
    if (test_snapshot_find(d, name))
        ret = handle_snapshot_new(domain, name);
    g_mutex_unlock(&h->lock);
    return ret;
}

static int test_has_current_snapshot(virDomainPtr domain, unsigned int flags)
{
    test_host *h;
    test_dom *d;
    int ret;

    if (!error_check_flags(flags, 0, FROM, "testDomainHasCurrentSnapshot"))
        return -1;
    if (!(d = test_dom_lock(domain, &h)))
        return -1;
    ret = moment_tree_current(d->snapshots) != NULL;
    g_mutex_unlock(&h->lock);
    return ret;
}

static virDomainSnapshotPtr test_snapshot_current(virDomainPtr domain, unsigned int flags)
{
    virDomainSnapshotPtr ret = NULL;
    test_host *h;
    test_dom *d;
    moment *m;

    if (!error_check_flags(flags, 0, FROM, "testDomainSnapshotCurrent"))
        return NULL;
    if (!(d = test_dom_lock(domain, &h)))
        return NULL;
    m = moment_tree_current(d->snapshots);
    if (m)
        ret = handle_snapshot_new(domain, m->name);
    else
        error_report(FROM, VIR_ERR_NO_DOMAIN_SNAPSHOT, "%s",
                     "the domain does not have a current snapshot");
    g_mutex_unlock(&h->lock);
    return ret;
}

static virDomainSnapshotPtr test_snapshot_get_parent(virDomainSnapshotPtr snapshot,
                                                     unsigned int flags)
{
    virDomainSnapshotPtr ret = NULL;
    test_host *h;
    test_dom *d;
    moment *m;

    if (!error_check_flags(flags, 0, FROM, "testDomainSnapshotGetParent"))
        return NULL;
    if (!(m = test_snapshot_lock(snapshot, &h, &d)))
        return NULL;
    if (m->parent)
        ret = handle_snapshot_new(snapshot->domain, m->parent->name);
    else
        error_report(FROM, VIR_ERR_NO_DOMAIN_SNAPSHOT, "snapshot '%s' does not have a parent",
                     m->name);
    g_mutex_unlock(&h->lock);
    return ret;
}

static int test_snapshot_is_current(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    test_host *h;
    test_dom *d;
    moment *m;
    int ret;

    if (!error_check_flags(flags, 0, FROM, "testDomainSnapshotIsCurrent"))
        return -1;
    if (!(m = test_snapshot_lock(snapshot, &h, &d)))
        return -1;
    ret = moment_tree_current(d->snapshots) == m;
    g_mutex_unlock(&h->lock);
    return ret;
}

static int test_snapshot_has_metadata(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    test_host *h;
    test_dom *d;

    if (!error_check_flags(flags, 0, FROM, "testDomainSnapshotHasMetadata"))
        return -1;
    if (!test_snapshot_lock(snapshot, &h, &d))
        return -1;
    g_mutex_unlock(&h->lock);
    return 1;
}

static char *test_snapshot_get_xml_desc(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    test_host *h;
    test_dom *d;
    moment *m;
    char *xml;

    if (!error_check_flags(flags, VIR_DOMAIN_SNAPSHOT_XML_SECURE, FROM,
                           "testDomainSnapshotGetXMLDesc"))
        return NULL;
    if (!(m = test_snapshot_lock(snapshot, &h, &d)))
        return NULL;
    xml = snapshot_def_format(m->def, m->parent ? m->parent->name : NULL, d->def->uuid,
                              snapshot_format_flags_from_public(flags));
    g_mutex_unlock(&h->lock);
    return xml;
}

void test_snapshot_query_fill(vm_driver *drv)
{
    drv->domain_snapshot_num = test_snapshot_num;
    drv->domain_snapshot_list_names = test_snapshot_list_names;
    drv->domain_list_all_snapshots = test_list_all_snapshots;
    drv->domain_snapshot_num_children = test_snapshot_num_children;
    drv->domain_snapshot_list_children_names = test_snapshot_list_children_names;
    drv->domain_snapshot_list_all_children = test_snapshot_list_all_children;
    drv->domain_snapshot_lookup_by_name = test_snapshot_lookup_by_name;
    drv->domain_has_current_snapshot = test_has_current_snapshot;
    drv->domain_snapshot_current = test_snapshot_current;
    drv->domain_snapshot_get_parent = test_snapshot_get_parent;
    drv->domain_snapshot_is_current = test_snapshot_is_current;
    drv->domain_snapshot_has_metadata = test_snapshot_has_metadata;
    drv->domain_snapshot_get_xml_desc = test_snapshot_get_xml_desc;
}
