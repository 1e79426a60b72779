/* The test driver's domain life cycle: define, undefine, create, start, stop, pause. */
#include "drivers/test/test_driver.h"

#include <string.h>
#include "util/error.h"

#define FROM VIR_FROM_TEST

/* A new definition may replace an existing domain of the same name and UUID; any
 * other clash of name or UUID is refused as libvirt refuses it. */
static int check_clash(test_host *h, const domain_def *def, test_dom **ret_existing)
{
    test_dom *by_name = g_hash_table_lookup(h->by_name, def->name);
    char uuid[UUID_STRING_LEN];

    *ret_existing = NULL;
    if (by_name) {
        if (memcmp(by_name->def->uuid, def->uuid, UUID_LEN) != 0) {
            uuid_format(by_name->def->uuid, uuid);
            error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                         "domain '%s' already exists with uuid %s", def->name, uuid);
            return -1;
        }
        *ret_existing = by_name;
        return 0;
    }
    for (guint i = 0; i < h->doms->len; i++) {
        test_dom *d = g_ptr_array_index(h->doms, i);
        if (memcmp(d->def->uuid, def->uuid, UUID_LEN) == 0) {
            uuid_format(def->uuid, uuid);
            error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                         "domain '%s' is already defined with uuid %s", d->def->name, uuid);
            return -1;
        }
    }
    return 0;
}

/* XML's definition, with h locked and the domain it would replace in *ret_existing
 * (NULL if none); NULL (h unlocked) if it can't be parsed or clashes (reported). */
static domain_def *parse_and_lock(test_host *h, const char *xml, bool validate,
                                  test_dom **ret_existing)
{
    g_autoptr(domain_def) def = domain_def_parse(xml, &test_xml_options,
                                                 validate ? DOMAIN_PARSE_VALIDATE : 0);

    if (!def)
        return NULL;
    g_mutex_lock(&h->lock);
    if (check_clash(h, def, ret_existing) < 0) {
        g_mutex_unlock(&h->lock);
        return NULL;
    }
    return g_steal_pointer(&def);
}

static virDomainPtr test_define_xml_flags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    test_host *h = test_host_of(conn);
    g_autoptr(domain_def) def = NULL;
    test_dom *d;
    int detail = VIR_DOMAIN_EVENT_DEFINED_ADDED;
    virDomainPtr ret;

    if (!error_check_flags(flags, VIR_DOMAIN_DEFINE_VALIDATE, FROM, "testDomainDefineXMLFlags"))
        return NULL;
    if (!(def = parse_and_lock(h, xml, flags & VIR_DOMAIN_DEFINE_VALIDATE, &d)))
        return NULL;
    if (d) {
        detail = VIR_DOMAIN_EVENT_DEFINED_UPDATED;
        d->persistent = true;
        if (test_dom_is_active(d)) {
            domain_def_free(d->new_def);
            d->new_def = g_steal_pointer(&def);
        } else {
            domain_def_free(d->def);
            d->def = g_steal_pointer(&def);
        }
    } else {
        d = test_dom_new(g_steal_pointer(&def), true);
        test_dom_add(h, d);
    }
    test_dom_event(h, d, VIR_DOMAIN_EVENT_DEFINED, detail);
    ret = test_dom_handle(conn, d);
    g_mutex_unlock(&h->lock);
    return ret;
}

/* Whether d may be undefined with the moments of TREE (WHAT they are): an inactive
 * domain only with the flag that drops their METADATA; false if refused (reported). */
static bool may_undefine_with(const test_dom *d, const moment_tree *tree, bool metadata,
                              const char *what)
{
    if (test_dom_is_active(d) || moment_tree_size(tree) == 0 || metadata)
        return true;
    error_report(FROM, VIR_ERR_OPERATION_INVALID, "cannot delete inactive domain with %zu %s",
                 moment_tree_size(tree), what);
    return false;
}

static int test_undefine_flags(virDomainPtr domain, unsigned int flags)
{
    test_host *h;
    test_dom *d;

    if (!error_check_flags(flags, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                                  VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
                                  VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA,
                           FROM, "testDomainUndefineFlags"))
        return -1;
    if (!(d = test_dom_lock(domain, &h)))
        return -1;
    if (d->managed_save && !(flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s",
                     "Refusing to undefine while domain managed save image exists");
        g_mutex_unlock(&h->lock);
        return -1;
    }
    if (!may_undefine_with(d, d->snapshots, flags & VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA,
                           "snapshots") ||
        !may_undefine_with(d, d->checkpoints, flags & VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA,
                           "checkpoints")) {
        g_mutex_unlock(&h->lock);
        return -1;
    }
    d->managed_save = false;
    test_dom_event(h, d, VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    if (test_dom_is_active(d)) {
        d->persistent = false;
        g_clear_pointer(&d->new_def, domain_def_free);
    } else {
        test_dom_remove(h, d);
    }
    g_mutex_unlock(&h->lock);
    return 0;
}

static int test_create_with_flags(virDomainPtr domain, unsigned int flags)
{
    test_host *h;
    test_dom *d;

    if (!error_check_flags(flags, 0, FROM, "testDomainCreateWithFlags"))
        return -1;
    if (!(d = test_dom_lock(domain, &h)))
        return -1;
    if (test_dom_is_active(d)) {
        error_report(FROM, VIR_ERR_INTERNAL_ERROR, "Domain '%s' is already running", d->def->name);
        g_mutex_unlock(&h->lock);
        return -1;
    }
    test_dom_start(h, d, VIR_DOMAIN_RUNNING_BOOTED);
    domain->id = d->id;
    test_dom_event(h, d, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    g_mutex_unlock(&h->lock);
    return 0;
}

static virDomainPtr test_create_xml(virConnectPtr conn, const char *xml, unsigned int flags)
{
    test_host *h = test_host_of(conn);
    g_autoptr(domain_def) def = NULL;
    test_dom *d;
    virDomainPtr ret = NULL;

    if (!error_check_flags(flags, VIR_DOMAIN_START_VALIDATE, FROM, "testDomainCreateXML"))
        return NULL;
    if (!(def = parse_and_lock(h, xml, flags & VIR_DOMAIN_START_VALIDATE, &d)))
        return NULL;
    if (d && test_dom_is_active(d)) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "domain '%s' is already active",
                     d->def->name);
        goto out;
    }
    if (d) {
        /* Start a defined domain with a transient configuration. */
        d->new_def = d->def;
        d->def = g_steal_pointer(&def);
    } else {
        d = test_dom_new(g_steal_pointer(&def), false);
        test_dom_add(h, d);
    }
    test_dom_start(h, d, VIR_DOMAIN_RUNNING_BOOTED);
    test_dom_event(h, d, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    ret = test_dom_handle(conn, d);
 out:
    g_mutex_unlock(&h->lock);
    return ret;
}

/* Stop d with reason and the matching STOPPED event detail; its handle loses its ID. */
static void stop(test_host *h, test_dom *d, virDomainPtr domain, int reason, int detail)
{
    test_dom_event(h, d, VIR_DOMAIN_EVENT_STOPPED, detail);
    test_dom_stop(h, d, reason);
    domain->id = -1;
}

/* test_dom_lock for a domain in STATE; NULL (host unlocked) otherwise, reported as
 * "domain 'NAME' NOT_STATE". */
static test_dom *lock_in_state(virDomainPtr domain, test_host **ret_host, int state,
                               const char *not_state)
{
    test_dom *d = test_dom_lock(domain, ret_host);

    if (d && d->state != state) {
        error_report(FROM, VIR_ERR_INTERNAL_ERROR, "domain '%s' %s", d->def->name, not_state);
        g_mutex_unlock(&(*ret_host)->lock);
        return NULL;
    }
    return d;
}

static int test_destroy_flags(virDomainPtr domain, unsigned int flags)
{
    test_host *h;
    test_dom *d;

    if (!error_check_flags(flags, VIR_DOMAIN_DESTROY_GRACEFUL, FROM, "testDomainDestroyFlags"))
        return -1;
    if (!(d = test_dom_lock_active(domain, &h)))
        return -1;
    stop(h, d, domain, VIR_DOMAIN_SHUTOFF_DESTROYED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    g_mutex_unlock(&h->lock);
    return 0;
}

static int test_shutdown_flags(virDomainPtr domain, unsigned int flags)
{
    test_host *h;
    test_dom *d;

    if (!error_check_flags(flags, 0, FROM, "testDomainShutdownFlags"))
        return -1;
    if (!(d = lock_in_state(domain, &h, VIR_DOMAIN_RUNNING, "not running")))
        return -1;
    stop(h, d, domain, VIR_DOMAIN_SHUTOFF_SHUTDOWN, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    g_mutex_unlock(&h->lock);
    return 0;
}

/* Reboot and reset follow the domain's on_reboot action: restart keeps it running,
 * destroy shuts it off. */
static int reboot(virDomainPtr domain, unsigned int flags, unsigned int allowed, const char *func)
{
    test_host *h;
    test_dom *d;

    if (!error_check_flags(flags, allowed, FROM, func))
        return -1;
    if (!(d = test_dom_lock_active(domain, &h)))
        return -1;
    if (d->def->on_reboot == DOMAIN_LIFECYCLE_DESTROY) {
        stop(h, d, domain, VIR_DOMAIN_SHUTOFF_SHUTDOWN, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    } else {
        d->state = VIR_DOMAIN_RUNNING;
        d->reason = VIR_DOMAIN_RUNNING_BOOTED;
    }
    g_mutex_unlock(&h->lock);
    return 0;
}

static int test_reboot(virDomainPtr domain, unsigned int flags)
{
    return reboot(domain, flags, 0x1f, "testDomainReboot");
}

static int test_reset(virDomainPtr domain, unsigned int flags)
{
    return reboot(domain, flags, 0, "testDomainReset");
}

static int test_suspend(virDomainPtr domain)
{
    test_host *h;
    test_dom *d;

    if (!(d = lock_in_state(domain, &h, VIR_DOMAIN_RUNNING, "not running")))
        return -1;
    d->state = VIR_DOMAIN_PAUSED;
    d->reason = VIR_DOMAIN_PAUSED_USER;
    test_dom_event(h, d, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    g_mutex_unlock(&h->lock);
    return 0;
}

static int test_resume(virDomainPtr domain)
{
    test_host *h;
    test_dom *d;

    if (!(d = lock_in_state(domain, &h, VIR_DOMAIN_PAUSED, "not paused")))
        return -1;
    d->state = VIR_DOMAIN_RUNNING;
    d->reason = VIR_DOMAIN_RUNNING_UNPAUSED;
    test_dom_event(h, d, VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
    g_mutex_unlock(&h->lock);
    return 0;
}

static int test_set_autostart(virDomainPtr domain, int autostart)
{
    test_host *h;
    test_dom *d;

    if (!(d = test_dom_lock(domain, &h)))
        return -1;
    d->autostart = autostart != 0;
    g_mutex_unlock(&h->lock);
    return 0;
}

void test_domain_life_fill(vm_driver *drv)
{
    drv->domain_define_xml_flags = test_define_xml_flags;
    drv->domain_undefine_flags = test_undefine_flags;
    drv->domain_create_with_flags = test_create_with_flags;
    drv->domain_create_xml = test_create_xml;
    drv->domain_destroy_flags = test_destroy_flags;
    drv->domain_shutdown_flags = test_shutdown_flags;
    drv->domain_reboot = test_reboot;
    drv->domain_reset = test_reset;
    drv->domain_suspend = test_suspend;
    drv->domain_resume = test_resume;
    drv->domain_set_autostart = test_set_autostart;
}
