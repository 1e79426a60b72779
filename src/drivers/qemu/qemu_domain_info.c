/* The QEMU driver's domain queries: state, info, XML, the small getters; and, for
 * tests and later work, a running disk's node names and simulated guest I/O. */
#include "drivers/qemu/qemu_driver.h"

#include <string.h>
#include "drivers/qemu/qemu_block.h"
#include "drivers/qemu/qemu_procfs.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU

/* Look the domain of a handle up with the host locked; return fail when it is gone. */
#define WITH_DOM(domain, d, fail) \
    qemu_dom *d = qemu_dom_lock(domain); \
    if (!d) \
        return fail; \
    qemu_host *d##_host = d->host

#define UNLOCK(d) g_mutex_unlock(&d##_host->lock)

static char *qemu_get_os_type(virDomainPtr domain)
{
    char *ret;

    WITH_DOM(domain, d, NULL);
    ret = strdup(domain_os_to_string(d->def->os_type));
    UNLOCK(d);
    return ret;
}

static unsigned long qemu_get_max_memory(virDomainPtr domain)
{
    unsigned long ret;

    WITH_DOM(domain, d, 0);
    ret = (unsigned long)d->def->memory_kib;
    UNLOCK(d);
    return ret;
}

static int qemu_get_max_vcpus(virDomainPtr domain)
{
    int ret;

    WITH_DOM(domain, d, -1);
    ret = (int)d->def->vcpus;
    UNLOCK(d);
    return ret;
}

static int qemu_get_info(virDomainPtr domain, virDomainInfoPtr info)
{
    int pid;
    unsigned long long start;

    WITH_DOM(domain, d, -1);
    info->state = (unsigned char)d->state;
    info->maxMem = (unsigned long)d->def->memory_kib;
    info->memory = (unsigned long)d->def->current_memory_kib;
    info->nrVirtCpu = (unsigned short)(d->def->has_vcpus_current ? d->def->vcpus_current
                                                                  : d->def->vcpus);
    pid = d->run ? d->run->pid : 0;
    start = d->run ? d->run->start_time : 0;
    UNLOCK(d);
    info->cpuTime = pid && qemu_pid_alive(pid, start) ? qemu_pid_cpu_time(pid) : 0;
    return 0;
}

static int qemu_get_state(virDomainPtr domain, int *state, int *reason, unsigned int flags)
{
    if (!error_check_flags(flags, 0, FROM, "qemuDomainGetState"))
        return -1;
    WITH_DOM(domain, d, -1);
    *state = d->state;
    if (reason)
        *reason = d->reason;
    UNLOCK(d);
    return 0;
}

static char *qemu_get_xml_desc(virDomainPtr domain, unsigned int flags)
{
    unsigned int fmt = 0;
    const domain_def *def;
    char *xml;

    if (!error_check_flags(flags, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE |
                                  VIR_DOMAIN_XML_UPDATE_CPU | VIR_DOMAIN_XML_MIGRATABLE,
                           FROM, "qemuDomainGetXMLDesc"))
        return NULL;
    WITH_DOM(domain, d, NULL);
    if (flags & VIR_DOMAIN_XML_SECURE)
        fmt |= DOMAIN_FORMAT_SECURE;
    if (flags & VIR_DOMAIN_XML_MIGRATABLE)
        fmt |= DOMAIN_FORMAT_MIGRATABLE;
    if ((flags & (VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_MIGRATABLE)) || !qemu_dom_is_active(d))
        fmt |= DOMAIN_FORMAT_INACTIVE;
    def = (flags & VIR_DOMAIN_XML_INACTIVE) && d->new_def ? d->new_def : d->def;
    xml = domain_def_format(def, d->id, fmt);
    UNLOCK(d);
    return xml;
}

static int qemu_get_security_label(virDomainPtr domain, virSecurityLabelPtr seclabel)
{
    WITH_DOM(domain, d, -1);
    UNLOCK(d);
    return 0;   /* no security driver: an empty label, as libvirt's "none" model */
}

static int qemu_get_autostart(virDomainPtr domain, int *autostart)
{
    WITH_DOM(domain, d, -1);
    *autostart = d->autostart;
    UNLOCK(d);
    return 0;
}

static int qemu_is_active(virDomainPtr domain)
{
    int ret;

    WITH_DOM(domain, d, -1);
    ret = qemu_dom_is_active(d);
    UNLOCK(d);
    return ret;
}

static int qemu_is_persistent(virDomainPtr domain)
{
    int ret;

    WITH_DOM(domain, d, -1);
    ret = d->persistent;
    UNLOCK(d);
    return ret;
}

static int qemu_is_updated(virDomainPtr domain)
{
    WITH_DOM(domain, d, -1);
    UNLOCK(d);
    return 0;
}

static int qemu_has_managed_save_image(virDomainPtr domain, unsigned int flags)
{
    if (!error_check_flags(flags, 0, FROM, "qemuDomainHasManagedSaveImage"))
        return -1;
    WITH_DOM(domain, d, -1);
    UNLOCK(d);
    return 0;
}

/* ---- running disks ---- */

static const qemu_disk_run *disk_run(const qemu_dom *d, const char *dst)
{
    for (guint i = 0; d->run && i < d->run->disks->len; i++) {
        const qemu_disk_run *r = g_ptr_array_index(d->run->disks, i);
        if (strcmp(r->dst, dst) == 0)
            return r;
    }
    error_report(FROM, VIR_ERR_INVALID_ARG, "disk '%s' not found in domain", dst);
    return NULL;
}

/* The internal entry points below take any handle: refuse other drivers' domains. */
static bool is_qemu_domain(virDomainPtr domain)
{
    if (domain && domain->conn && domain->conn->driver == qemu_driver_get())
        return true;
    error_report(FROM, VIR_ERR_INVALID_ARG, "%s", "not a domain of the QEMU driver");
    return false;
}

int qemu_domain_disk_nodes(virDomainPtr domain, const char *dst, char **ret_format,
                           char **ret_storage)
{
    const qemu_disk_run *r;

    if (!is_qemu_domain(domain))
        return -1;
    WITH_DOM(domain, d, -1);
    if (!(r = disk_run(d, dst)) || !r->format_node) {
        if (r)
            error_report(FROM, VIR_ERR_OPERATION_INVALID, "disk '%s' has no medium", dst);
        UNLOCK(d);
        return -1;
    }
    *ret_format = g_strdup(r->format_node);
    *ret_storage = g_strdup(r->storage_node);
    UNLOCK(d);
    return 0;
}

int qemu_domain_qemu_io(virDomainPtr domain, const char *dst, const char *io_command)
{
    g_autofree char *device = NULL;
    const qemu_disk_run *r;
    qemu_dom *d;
    int rc = -1;

    if (!is_qemu_domain(domain) || !(d = qemu_dom_acquire(domain)))
        return -1;
    if (!d->mon) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
    } else if ((r = disk_run(d, dst))) {
        device = g_strdup(r->qemu_io_path);
        rc = qmp_qemu_io(d->mon, device, io_command, QMP_TIMEOUT_DEFAULT);
    }
    qemu_dom_release(d);
    return rc;
}

int qemu_domain_block_nodes(virDomainPtr domain, GPtrArray **ret_nodes)
{
    qemu_dom *d;
    int rc = -1;

    if (!is_qemu_domain(domain) || !(d = qemu_dom_acquire(domain)))
        return -1;
    if (!d->mon)
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
    else
        rc = qemu_block_query_nodes(d->mon, ret_nodes);
    qemu_dom_release(d);
    return rc;
}

void qemu_domain_info_fill(vm_driver *drv)
{
    drv->domain_get_os_type = qemu_get_os_type;
    drv->domain_get_max_memory = qemu_get_max_memory;
    drv->domain_get_max_vcpus = qemu_get_max_vcpus;
    drv->domain_get_info = qemu_get_info;
    drv->domain_get_state = qemu_get_state;
    drv->domain_get_xml_desc = qemu_get_xml_desc;
    drv->domain_get_security_label = qemu_get_security_label;
    drv->domain_get_autostart = qemu_get_autostart;
    drv->domain_is_active = qemu_is_active;
    drv->domain_is_persistent = qemu_is_persistent;
    drv->domain_is_updated = qemu_is_updated;
    drv->domain_has_managed_save_image = qemu_has_managed_save_image;
}
