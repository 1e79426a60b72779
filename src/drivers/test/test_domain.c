/* The test driver's domains: define, start, stop, look up, list, describe. */
#include "drivers/test/test_driver.h"
#include "drivers/common/domain_list.h"

#include <string.h>
#include "util/error.h"
#include "util/typedparam.h"

#define FROM VIR_FROM_TEST

/* ---- the domain objects ---- */

test_dom *test_dom_new(domain_def *def, bool persistent)
{
    test_dom *d = g_new0(test_dom, 1);

    d->def = def;
    memcpy(d->uuid, def->uuid, UUID_LEN);
    d->state = VIR_DOMAIN_SHUTOFF;
    d->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    d->id = -1;
    d->persistent = persistent;
    d->snapshots = moment_tree_new((GDestroyNotify)snapshot_def_free);
    d->checkpoints = moment_tree_new((GDestroyNotify)checkpoint_def_free);
    d->backup_rate = TEST_DEFAULT_BACKUP_RATE;
    return d;
}

void test_dom_free(test_dom *d)
{
    if (!d)
        return;
    domain_def_free(d->def);
    domain_def_free(d->new_def);
    moment_tree_free(d->snapshots);
    moment_tree_free(d->checkpoints);
    typed_params_free(d->completed, d->ncompleted);
    for (size_t i = 0; i < d->ndisk_infos; i++)
        g_free(d->disk_infos[i].dev);
    g_free(d->disk_infos);
    g_free(d);
}

void test_dom_add(test_host *h, test_dom *d)
{
    g_ptr_array_add(h->doms, d);
    g_hash_table_insert(h->by_name, g_strdup(d->def->name), d);
    g_hash_table_insert(h->by_uuid, d->uuid, d);
}

void test_dom_remove(test_host *h, test_dom *d)
{
    g_hash_table_remove(h->by_name, d->def->name);
    g_hash_table_remove(h->by_uuid, d->uuid);
    g_ptr_array_remove(h->doms, d);
}

test_dom *test_dom_find(test_host *h, virDomainPtr domain)
{
    test_dom *d = g_hash_table_lookup(h->by_uuid, domain->uuid);
    char uuid[UUID_STRING_LEN];

    if (!d) {
        uuid_format(domain->uuid, uuid);
        error_report(FROM, VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)", uuid,
                     domain->name);
    }
    return d;
}

virDomainPtr test_dom_handle(virConnectPtr conn, const test_dom *d)
{
    return handle_domain_new(conn, d->def->name, d->def->uuid, d->id);
}

void test_dom_event(test_host *h, const test_dom *d, int event, int detail)
{
    event_domain ed = { d->def->name, d->def->uuid, d->id };
    event_bus_lifecycle(h->events, &ed, event, detail);
}

bool test_dom_is_active(const test_dom *d)
{
    return d->state != VIR_DOMAIN_SHUTOFF;
}

void test_dom_start(test_host *h, test_dom *d, int reason)
{
    d->state = VIR_DOMAIN_RUNNING;
    d->reason = reason;
    d->id = h->next_id++;
}

void test_dom_stop(test_host *h, test_dom *d, int reason)
{
    test_backup_forget(h, d);
    d->state = VIR_DOMAIN_SHUTOFF;
    d->reason = reason;
    d->id = -1;
    if (d->new_def) {
        domain_def_free(d->def);
        d->def = g_steal_pointer(&d->new_def);
    }
    if (!d->persistent) {
        test_dom_remove(h, d);
    }
}

test_dom *test_dom_lock(virDomainPtr domain, test_host **ret_host)
{
    test_host *h = test_host_of(domain->conn);
    test_dom *d;

    g_mutex_lock(&h->lock);
    d = test_dom_find(h, domain);
    if (!d) {
        g_mutex_unlock(&h->lock);
        return NULL;
    }
    *ret_host = h;
    return d;
}

bool test_dom_check_active(const test_dom *d)
{
    if (test_dom_is_active(d))
        return true;
    error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
    return false;
}

test_dom *test_dom_lock_active(virDomainPtr domain, test_host **ret_host)
{
    test_dom *d = test_dom_lock(domain, ret_host);

    if (d && !test_dom_check_active(d)) {
        g_mutex_unlock(&(*ret_host)->lock);
        return NULL;
    }
    return d;
}

/* ---- lookups and listings ---- */

static virDomainPtr lookup(virConnectPtr conn, test_dom *(*find)(test_host *, const void *),
                           const void *key)
{
    test_host *h = test_host_of(conn);
    virDomainPtr ret = NULL;
    test_dom *d;

    g_mutex_lock(&h->lock);
    d = find(h, key);
    if (d)
        ret = test_dom_handle(conn, d);
    else
        error_report(FROM, VIR_ERR_NO_DOMAIN, NULL);
    g_mutex_unlock(&h->lock);
    return ret;
}

static test_dom *find_by_name(test_host *h, const void *name)
{
    return g_hash_table_lookup(h->by_name, name);
}

static test_dom *find_by_uuid(test_host *h, const void *uuid)
{
    return g_hash_table_lookup(h->by_uuid, uuid);
}

static test_dom *find_by_id(test_host *h, const void *id)
{
    for (guint i = 0; i < h->doms->len; i++) {
        test_dom *d = g_ptr_array_index(h->doms, i);
        if (test_dom_is_active(d) && d->id == *(const int *)id)
            return d;
    }
    return NULL;
}

static virDomainPtr test_lookup_by_name(virConnectPtr conn, const char *name)
{
    return lookup(conn, find_by_name, name);
}

static virDomainPtr test_lookup_by_uuid(virConnectPtr conn, const unsigned char *uuid)
{
    return lookup(conn, find_by_uuid, uuid);
}

static virDomainPtr test_lookup_by_id(virConnectPtr conn, int id)
{
    return lookup(conn, find_by_id, &id);
}

static bool list_match(const test_dom *d, unsigned int flags)
{
    domain_list_facts f = {
        d->state, d->persistent, d->managed_save, d->autostart,
        moment_tree_size(d->snapshots) > 0, moment_tree_size(d->checkpoints) > 0,
    };
    return domain_list_match(&f, flags);
}

static int test_list_all_domains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    test_host *h = test_host_of(conn);
    GPtrArray *list = domains ? g_ptr_array_new() : NULL;
    int n = 0;

    if (!error_check_flags(flags, 0xffff, FROM, "testConnectListAllDomains"))
        return -1;
    g_mutex_lock(&h->lock);
    for (guint i = 0; i < h->doms->len; i++) {
        test_dom *d = g_ptr_array_index(h->doms, i);
        if (!list_match(d, flags))
            continue;
        n++;
        if (list)
            g_ptr_array_add(list, test_dom_handle(conn, d));
    }
    g_mutex_unlock(&h->lock);
    if (list) {
        g_ptr_array_add(list, NULL);
        *domains = (virDomainPtr *)g_ptr_array_free(list, FALSE);
    }
    return n;
}

void test_domain_fill(vm_driver *drv)
{
    drv->domain_lookup_by_name = test_lookup_by_name;
    drv->domain_lookup_by_uuid = test_lookup_by_uuid;
    drv->domain_lookup_by_id = test_lookup_by_id;
    drv->connect_list_all_domains = test_list_all_domains;
    test_domain_life_fill(drv);
    test_domain_info_fill(drv);
    test_snapshot_fill(drv);
    test_checkpoint_fill(drv);
    test_backup_fill(drv);
}
