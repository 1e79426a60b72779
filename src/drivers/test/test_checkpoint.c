/* The test driver's checkpoints (metadata only): create, redefine, delete, queries.
 * Unlike libvirt's test driver, checkpoints and snapshots coexist, and shut-off
 * domains can have checkpoints made. */
#include "drivers/test/test_driver.h"
#include "drivers/common/checkpoint_define.h"
#include "drivers/common/checkpoint_query.h"
#include "drivers/common/moment_list.h"

#include <string.h>
#include "util/error.h"

#define FROM VIR_FROM_TEST

static moment *lock_checkpoint(virDomainCheckpointPtr checkpoint, test_host **ret_host,
                               test_dom **ret_dom)
{
    test_host *h;
    test_dom *d = test_dom_lock(checkpoint->domain, &h);
    moment *m;

    if (!d)
        return NULL;
    if (!(m = checkpoint_find(d->checkpoints, checkpoint->name, FROM))) {
        g_mutex_unlock(&h->lock);
        return NULL;
    }
    *ret_host = h;
    *ret_dom = d;
    return m;
}

moment *test_checkpoint_create(test_dom *d, const char *xml, unsigned int flags)
{
    g_autoptr(checkpoint_def) def = NULL;

    def = checkpoint_def_parse_string(xml, &test_xml_options,
                                      (flags & VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE)
                                          ? CHECKPOINT_PARSE_REDEFINE : 0, NULL);
    if (!def)
        return NULL;
    if (flags & VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE) {
        if (checkpoint_redefine_check(d->checkpoints, def, d->def) < 0)
            return NULL;
        return checkpoint_redefine_apply(d->checkpoints, &def);
    }
    if (checkpoint_prepare_new(def, d->def, g_get_real_time() / G_USEC_PER_SEC) < 0)
        return NULL;
    def->dom = domain_def_ref(d->def);
    return checkpoint_add_new(d->checkpoints, &def);
}

static virDomainCheckpointPtr test_checkpoint_create_xml(virDomainPtr domain, const char *xml,
                                                         unsigned int flags)
{
    virDomainCheckpointPtr ret = NULL;
    test_host *h;
    test_dom *d;
    moment *m;

    /* QUIESCE needs a guest agent, which a mock host pretends to have;
     * REDEFINE_VALIDATE finds every bitmap present, as nothing here loses them. */
    if (!error_check_flags(flags, VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE |
                                  VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE |
                                  VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE,
                           FROM, "testDomainCheckpointCreateXML"))
        return NULL;
    if (!(d = test_dom_lock(domain, &h)))
        return NULL;
    if ((m = test_checkpoint_create(d, xml, flags)))
        ret = handle_checkpoint_new(domain, m->name);
    g_mutex_unlock(&h->lock);
    return ret;
}

static int test_checkpoint_delete(virDomainCheckpointPtr checkpoint, unsigned int flags)
{
    test_host *h;
    test_dom *d;
    moment *m;

    if (!error_check_flags(flags, VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN |
                                  VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY |
                                  VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY,
                           FROM, "testDomainCheckpointDelete"))
        return -1;
    if (!(m = lock_checkpoint(checkpoint, &h, &d)))
        return -1;
    moment_delete(d->checkpoints, m, flags & VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN,
                  flags & VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY);
    g_mutex_unlock(&h->lock);
    return 0;
}

/* Listings: flags are the tree's own values (ROOTS/DESCENDANTS, TOPOLOGICAL,
 * LEAVES, NO_LEAVES). */
static int list(virDomainPtr domain, virDomainCheckpointPtr from_handle,
                virDomainCheckpointPtr **ret_list, unsigned int flags, const char *func)
{
    moment *from = NULL;
    test_host *h;
    test_dom *d;
    int n;

    if (!error_check_flags(flags, CHECKPOINT_LIST_FLAGS, FROM, func))
        return -1;
    if (from_handle) {
        if (!(from = lock_checkpoint(from_handle, &h, &d)))
            return -1;
        domain = from_handle->domain;
    } else if (!(d = test_dom_lock(domain, &h))) {
        return -1;
    }
    n = checkpoint_list(d->checkpoints, from, flags, domain, ret_list);
    g_mutex_unlock(&h->lock);
    return n;
}

static int test_list_all_checkpoints(virDomainPtr domain, virDomainCheckpointPtr **list_out,
                                     unsigned int flags)
{
    return list(domain, NULL, list_out, flags, "testDomainListAllCheckpoints");
}

static int test_checkpoint_list_all_children(virDomainCheckpointPtr checkpoint,
                                             virDomainCheckpointPtr **list_out, unsigned int flags)
{
    return list(NULL, checkpoint, list_out, flags, "testDomainCheckpointListAllChildren");
}

static virDomainCheckpointPtr test_checkpoint_lookup_by_name(virDomainPtr domain, const char *name,
                                                             unsigned int flags)
{
    virDomainCheckpointPtr ret = NULL;
    test_host *h;
    test_dom *d;

    if (!error_check_flags(flags, 0, FROM, "testDomainCheckpointLookupByName"))
        return NULL;
    if (!(d = test_dom_lock(domain, &h)))
        return NULL;
    if (checkpoint_find(d->checkpoints, name, FROM))
        ret = handle_checkpoint_new(domain, name);
    g_mutex_unlock(&h->lock);
    return ret;
}

static virDomainCheckpointPtr test_checkpoint_get_parent(virDomainCheckpointPtr checkpoint,
                                                         unsigned int flags)
{
    virDomainCheckpointPtr ret = NULL;
    test_host *h;
    test_dom *d;
    moment *m;

    if (!error_check_flags(flags, 0, FROM, "testDomainCheckpointGetParent"))
        return NULL;
    if (!(m = lock_checkpoint(checkpoint, &h, &d)))
        return NULL;
    ret = checkpoint_parent_handle(checkpoint->domain, m, FROM);
    g_mutex_unlock(&h->lock);
    return ret;
}

static char *test_checkpoint_get_xml_desc(virDomainCheckpointPtr checkpoint, unsigned int flags)
{
    char *xml = NULL;
    test_host *h;
    test_dom *d;
    moment *m;

    if (!error_check_flags(flags, VIR_DOMAIN_CHECKPOINT_XML_SECURE |
                                  VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN |
                                  VIR_DOMAIN_CHECKPOINT_XML_SIZE,
                           FROM, "testDomainCheckpointGetXMLDesc"))
        return NULL;
    if (!(m = lock_checkpoint(checkpoint, &h, &d)))
        return NULL;
    if (!(flags & VIR_DOMAIN_CHECKPOINT_XML_SIZE) || test_dom_check_active(d)) {
        if (flags & VIR_DOMAIN_CHECKPOINT_XML_SIZE)
            test_checkpoint_fill_sizes(d, m);
        xml = checkpoint_format(m, flags);
    }
    g_mutex_unlock(&h->lock);
    return xml;
}

void test_checkpoint_fill(vm_driver *drv)
{
    drv->domain_checkpoint_create_xml = test_checkpoint_create_xml;
    drv->domain_checkpoint_delete = test_checkpoint_delete;
    drv->domain_list_all_checkpoints = test_list_all_checkpoints;
    drv->domain_checkpoint_list_all_children = test_checkpoint_list_all_children;
    drv->domain_checkpoint_lookup_by_name = test_checkpoint_lookup_by_name;
    drv->domain_checkpoint_get_parent = test_checkpoint_get_parent;
    drv->domain_checkpoint_get_xml_desc = test_checkpoint_get_xml_desc;
}

/* Nothing writes to a mock host's disks, so no block is ever dirty after a
 * checkpoint: every bitmap's size is 0. */
void test_checkpoint_fill_sizes(test_dom *d, moment *m)
{
    checkpoint_def *def = m->def;

    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i].type != CHECKPOINT_TYPE_BITMAP)
            continue;
        def->disks[i].size = 0;
        def->disks[i].size_valid = true;
    }
}
