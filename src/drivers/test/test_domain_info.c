/* The test driver's domain queries: state, info, XML and the small getters. */
#include "drivers/test/test_driver.h"

#include <string.h>
#include "util/error.h"

#define FROM VIR_FROM_TEST

/* Run get on the domain of a handle with the host locked; -1 when it is gone. */
#define WITH_DOM(domain, h, d, fail) \
    test_host *h; \
    test_dom *d = test_dom_lock(domain, &h); \
    if (!d) \
        return fail

static char *test_get_os_type(virDomainPtr domain)
{
    WITH_DOM(domain, h, d, NULL);
    g_mutex_unlock(&h->lock);
    return strdup("linux");
}

static unsigned long test_get_max_memory(virDomainPtr domain)
{
    unsigned long ret;

    WITH_DOM(domain, h, d, 0);
    ret = (unsigned long)d->def->memory_kib;
    g_mutex_unlock(&h->lock);
    return ret;
}

static int test_get_max_vcpus(virDomainPtr domain)
{
    int ret;

    WITH_DOM(domain, h, d, -1);
    ret = (int)d->def->vcpus;
    g_mutex_unlock(&h->lock);
    return ret;
}

static int test_get_info(virDomainPtr domain, virDomainInfoPtr info)
{
    WITH_DOM(domain, h, d, -1);
    info->state = (unsigned char)d->state;
    info->maxMem = (unsigned long)d->def->memory_kib;
    info->memory = (unsigned long)d->def->current_memory_kib;
    info->nrVirtCpu = (unsigned short)d->def->vcpus;
    /* libvirt's test driver reports the wall clock as CPU time. */
    info->cpuTime = (unsigned long long)g_get_real_time() * 1000ULL;
    g_mutex_unlock(&h->lock);
    return 0;
}

static int test_get_state(virDomainPtr domain, int *state, int *reason, unsigned int flags)
{
    if (!error_check_flags(flags, 0, FROM, "testDomainGetState"))
        return -1;
    WITH_DOM(domain, h, d, -1);
    *state = d->state;
    if (reason)
        *reason = d->reason;
    g_mutex_unlock(&h->lock);
    return 0;
}

static char *test_get_xml_desc(virDomainPtr domain, unsigned int flags)
{
    unsigned int fmt = 0;
    const domain_def *def;
    char *xml;

    if (!error_check_flags(flags, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE |
                                  VIR_DOMAIN_XML_MIGRATABLE,
                           FROM, "testDomainGetXMLDesc"))
        return NULL;
    WITH_DOM(domain, h, d, NULL);
    if (flags & VIR_DOMAIN_XML_SECURE)
        fmt |= DOMAIN_FORMAT_SECURE;
    if ((flags & VIR_DOMAIN_XML_INACTIVE) || !test_dom_is_active(d))
        fmt |= DOMAIN_FORMAT_INACTIVE;
    def = (flags & VIR_DOMAIN_XML_INACTIVE) && d->new_def ? d->new_def : d->def;
    xml = domain_def_format(def, d->id, fmt);
    g_mutex_unlock(&h->lock);
    return xml;
}

static int test_get_security_label(virDomainPtr domain, virSecurityLabelPtr seclabel)
{
    WITH_DOM(domain, h, d, -1);
    if (test_dom_is_active(d)) {
        g_strlcpy(seclabel->label, "libvirt-test", sizeof(seclabel->label));
        seclabel->enforcing = 1;
    }
    g_mutex_unlock(&h->lock);
    return 0;
}

static int test_get_autostart(virDomainPtr domain, int *autostart)
{
    WITH_DOM(domain, h, d, -1);
    *autostart = d->autostart;
    g_mutex_unlock(&h->lock);
    return 0;
}

static int test_is_active(virDomainPtr domain)
{
    int ret;

    WITH_DOM(domain, h, d, -1);
    ret = test_dom_is_active(d);
    g_mutex_unlock(&h->lock);
    return ret;
}

static int test_is_persistent(virDomainPtr domain)
{
    int ret;

    WITH_DOM(domain, h, d, -1);
    ret = d->persistent;
    g_mutex_unlock(&h->lock);
    return ret;
}

static int test_is_updated(virDomainPtr domain)
{
    WITH_DOM(domain, h, d, -1);
    g_mutex_unlock(&h->lock);
    return 0;
}

static int test_has_managed_save_image(virDomainPtr domain, unsigned int flags)
{
    int ret;

    if (!error_check_flags(flags, 0, FROM, "testDomainHasManagedSaveImage"))
        return -1;
    WITH_DOM(domain, h, d, -1);
    ret = d->managed_save;
    g_mutex_unlock(&h->lock);
    return ret;
}

void test_domain_info_fill(vm_driver *drv)
{
    drv->domain_get_os_type = test_get_os_type;
    drv->domain_get_max_memory = test_get_max_memory;
    drv->domain_get_max_vcpus = test_get_max_vcpus;
    drv->domain_get_info = test_get_info;
    drv->domain_get_state = test_get_state;
    drv->domain_get_xml_desc = test_get_xml_desc;
    drv->domain_get_security_label = test_get_security_label;
    drv->domain_get_autostart = test_get_autostart;
    drv->domain_is_active = test_is_active;
    drv->domain_is_persistent = test_is_persistent;
    drv->domain_is_updated = test_is_updated;
    drv->domain_has_managed_save_image = test_has_managed_save_image;
}
