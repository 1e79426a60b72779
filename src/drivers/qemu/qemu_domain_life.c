/* The QEMU driver's domain life cycle: define, undefine, start (defined or from
 * XML), destroy, shutdown, reboot, reset, suspend, resume, autostart, and the
 * domains that die with the connection that started them. */
#include "drivers/qemu/qemu_driver.h"
#include "drivers/qemu/qemu_checkpoint.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "util/error.h"

#define FROM VIR_FROM_QEMU

/* A new definition may replace the domain of the same name and UUID; any other
 * clash of name or UUID is refused as libvirt refuses it. */
static int check_clash(qemu_host *h, const domain_def *def, qemu_dom **ret_existing)
{
    qemu_dom *by_name = qemu_dom_find_name(h, def->name);
    qemu_dom *by_uuid = qemu_dom_find_uuid(h, def->uuid);
    char uuid[UUID_STRING_LEN];

    *ret_existing = NULL;
    if (by_name && by_name != by_uuid) {
        uuid_format(by_name->def->uuid, uuid);
        error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                     "domain '%s' already exists with uuid %s", def->name, uuid);
        return -1;
    }
    if (by_uuid && !by_name) {
        uuid_format(def->uuid, uuid);
        error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                     "domain '%s' is already defined with uuid %s", by_uuid->def->name, uuid);
        return -1;
    }
    *ret_existing = by_name;
    return 0;
}

static unsigned int parse_flags(unsigned int flags, unsigned int validate_flag)
{
    return (flags & validate_flag) ? DOMAIN_PARSE_VALIDATE : 0;
}

static virDomainPtr qemu_define_xml_flags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    qemu_host *h = qemu_host_of(conn);
    g_autoptr(domain_def) def = NULL;
    virDomainPtr ret = NULL;
    qemu_dom *d;

    if (!error_check_flags(flags, VIR_DOMAIN_DEFINE_VALIDATE, FROM, "qemuDomainDefineXMLFlags"))
        return NULL;
    if (!(def = domain_def_parse(xml, &h->xmlopt, parse_flags(flags, VIR_DOMAIN_DEFINE_VALIDATE))))
        return NULL;
    g_mutex_lock(&h->lock);
    if (check_clash(h, def, &d) < 0 || qemu_dom_save_config(h, def) < 0)
        goto out;
    if (!d) {
        d = qemu_dom_new(h, g_steal_pointer(&def), true);
        qemu_dom_add(h, d);
        qemu_dom_event(d, VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_ADDED);
    } else {
        /* a running transient domain becomes persistent: "added", as in libvirt */
        int detail = d->persistent ? VIR_DOMAIN_EVENT_DEFINED_UPDATED : VIR_DOMAIN_EVENT_DEFINED_ADDED;
        domain_def **slot = qemu_dom_is_active(d) ? &d->new_def : &d->def;
        domain_def_free(*slot);
        *slot = g_steal_pointer(&def);
        d->persistent = true;
        qemu_dom_event(d, VIR_DOMAIN_EVENT_DEFINED, detail);
    }
    ret = qemu_dom_handle(conn, d);
 out:
    g_mutex_unlock(&h->lock);
    return ret;
}

static int qemu_undefine_flags(virDomainPtr domain, unsigned int flags)
{
    qemu_host *h = qemu_host_of(domain->conn);
    qemu_dom *d;

    if (!error_check_flags(flags, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                                  VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
                                  VIR_DOMAIN_UNDEFINE_NVRAM | VIR_DOMAIN_UNDEFINE_KEEP_NVRAM |
                                  VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA,
                           FROM, "qemuDomainUndefineFlags"))
        return -1;
    if (!(d = qemu_dom_lock(domain)))
        return -1;
    if (!d->persistent) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s", "cannot undefine transient domain");
        g_mutex_unlock(&h->lock);
        return -1;
    }
    /* both kinds of moments are checked before either is discarded */
    if (qemu_snapshot_undefine(d, flags, false) < 0 ||
        qemu_checkpoint_undefine(d, flags, false) < 0 ||
        qemu_snapshot_undefine(d, flags, true) < 0 ||
        qemu_checkpoint_undefine(d, flags, true) < 0) {
        g_mutex_unlock(&h->lock);
        return -1;
    }
    qemu_dom_delete_config(h, d->def->name);
    qemu_dom_event(d, VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    d->persistent = false;
    d->autostart = false;
    if (qemu_dom_is_active(d))
        g_clear_pointer(&d->new_def, domain_def_free);
    else
        qemu_dom_remove(h, d);
    g_mutex_unlock(&h->lock);
    return 0;
}

#define START_FLAGS (VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY | \
                     VIR_DOMAIN_START_BYPASS_CACHE | VIR_DOMAIN_START_FORCE_BOOT)

/* Start d (under a job) and note who started it for AUTODESTROY. */
static int start(qemu_host *h, qemu_dom *d, domain_def *def, virConnectPtr conn, unsigned int flags)
{
    if (qemu_process_start(h, d, def, flags, VIR_DOMAIN_RUNNING_BOOTED) < 0) {
        g_mutex_lock(&h->lock);   /* a transient domain that never ran is no domain */
        if (!d->persistent && !qemu_dom_is_active(d) && !d->removed)
            qemu_dom_remove(h, d);
        g_mutex_unlock(&h->lock);
        return -1;
    }
    if (flags & VIR_DOMAIN_START_AUTODESTROY) {
        g_mutex_lock(&h->lock);
        d->autodestroy = conn;
        g_mutex_unlock(&h->lock);
    }
    return 0;
}

static int qemu_create_with_flags(virDomainPtr domain, unsigned int flags)
{
    qemu_dom *d;
    int rc = -1;

    if (!error_check_flags(flags, START_FLAGS, FROM, "qemuDomainCreateWithFlags"))
        return -1;
    if (!(d = qemu_dom_acquire(domain)))
        return -1;
    if (qemu_dom_is_active(d))
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s", "domain is already running");
    else if ((rc = start(d->host, d, NULL, domain->conn, flags)) == 0)
        domain->id = d->id;
    qemu_dom_release(d);
    return rc;
}

static virDomainPtr qemu_create_xml(virConnectPtr conn, const char *xml, unsigned int flags)
{
    qemu_host *h = qemu_host_of(conn);
    g_autoptr(domain_def) def = NULL;
    virDomainPtr ret = NULL;
    qemu_dom *d;

    if (!error_check_flags(flags, START_FLAGS | VIR_DOMAIN_START_VALIDATE, FROM, "qemuDomainCreateXML"))
        return NULL;
    if (!(def = domain_def_parse(xml, &h->xmlopt, parse_flags(flags, VIR_DOMAIN_START_VALIDATE))))
        return NULL;
    g_mutex_lock(&h->lock);
    if (check_clash(h, def, &d) < 0) {
        g_mutex_unlock(&h->lock);
        return NULL;
    }
    if (d && (qemu_dom_is_active(d) || !d->persistent)) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "domain '%s' is already active", def->name);
        g_mutex_unlock(&h->lock);
        return NULL;
    }
    if (!d) {
        d = qemu_dom_new(h, domain_def_copy(def), false);
        qemu_dom_add(h, d);
    }
    qemu_dom_ref(d);
    if (qemu_dom_begin_job(d) < 0) {
        g_mutex_unlock(&h->lock);
        qemu_dom_unref(d);
        return NULL;
    }
    g_mutex_unlock(&h->lock);
    if (start(h, d, g_steal_pointer(&def), conn, flags & ~VIR_DOMAIN_START_VALIDATE) == 0)
        ret = qemu_dom_handle(conn, d);
    qemu_dom_release(d);
    return ret;
}

/* Kill d's QEMU first (that also unblocks a job stuck on its monitor), then, under
 * a job, make sure it is dead and forget it, unless it stopped meanwhile. */
static int destroy(qemu_host *h, qemu_dom *d, bool graceful)
{
    int rc = 0;

    if (qemu_process_kill(d, graceful) < 0)
        return -1;
    g_mutex_lock(&h->lock);
    if (qemu_dom_begin_job(d) < 0) {
        g_mutex_unlock(&h->lock);
        return -1;
    }
    g_mutex_unlock(&h->lock);
    if (d->run && (rc = qemu_process_kill(d, graceful)) == 0)
        qemu_process_stop(h, d, VIR_DOMAIN_SHUTOFF_DESTROYED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    g_mutex_lock(&h->lock);
    qemu_dom_end_job(d);
    g_mutex_unlock(&h->lock);
    return rc;
}

static int qemu_destroy_flags(virDomainPtr domain, unsigned int flags)
{
    qemu_host *h = qemu_host_of(domain->conn);
    g_autoptr(qemu_dom) d = NULL;
    g_autofree char *log = NULL;

    if (!error_check_flags(flags, VIR_DOMAIN_DESTROY_GRACEFUL | VIR_DOMAIN_DESTROY_REMOVE_LOGS, FROM,
                           "qemuDomainDestroyFlags"))
        return -1;
    if (!(d = qemu_dom_lock(domain)))
        return -1;
    qemu_dom_ref(d);
    if (!qemu_dom_is_active(d)) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        g_mutex_unlock(&h->lock);
        return -1;
    }
    if (d->run)
        log = g_strdup(d->run->log_path);
    g_mutex_unlock(&h->lock);
    if (destroy(h, d, flags & VIR_DOMAIN_DESTROY_GRACEFUL) < 0)
        return -1;
    if ((flags & VIR_DOMAIN_DESTROY_REMOVE_LOGS) && log)
        unlink(log);
    domain->id = -1;
    return 0;
}

void qemu_autodestroy_run(qemu_host *h, virConnectPtr conn)
{
    g_autoptr(GPtrArray) doomed = g_ptr_array_new_with_free_func((GDestroyNotify)qemu_dom_unref);

    g_mutex_lock(&h->lock);
    for (guint i = 0; i < h->doms->len; i++) {
        qemu_dom *d = g_ptr_array_index(h->doms, i);
        if (d->autodestroy == conn) {
            qemu_dom_ref(d);
            g_ptr_array_add(doomed, d);
        }
    }
    g_mutex_unlock(&h->lock);
    for (guint i = 0; i < doomed->len; i++)
        destroy(h, g_ptr_array_index(doomed, i), false);
    error_reset();
}

/* ---- requests through the monitor ---- */

/* Run command on d's monitor (d under a job). */
static int monitor_call(qemu_dom *d, const char *command)
{
    return qmp_call(d->mon, command, NULL, QMP_TIMEOUT_DEFAULT, NULL);
}

static int check_running(qemu_dom *d, bool exactly_running)
{
    if (!qemu_dom_is_active(d) || !d->mon || (exactly_running && d->state != VIR_DOMAIN_RUNNING)) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    return 0;
}

/* Shutdown and reboot: the ACPI power button; the guest decides. A reboot is the
 * guest's shutdown turned into a reset when QEMU reports it. */
static int power_button(virDomainPtr domain, unsigned int flags, bool reboot, const char *func)
{
    qemu_dom *d;
    int rc = -1;

    if (!error_check_flags(flags, VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN | VIR_DOMAIN_SHUTDOWN_GUEST_AGENT,
                           FROM, func))
        return -1;
    if (flags == VIR_DOMAIN_SHUTDOWN_GUEST_AGENT) {
        error_report(FROM, VIR_ERR_ARGUMENT_UNSUPPORTED, "%s", "the guest agent is not supported yet");
        return -1;
    }
    if (!(d = qemu_dom_acquire(domain)))
        return -1;
    if (check_running(d, !reboot) == 0) {
        /* kept in the status file: the guest may shut down after this process left */
        g_mutex_lock(&d->host->lock);
        d->fake_reboot = reboot;
        rc = qemu_status_save(d->host, d);
        g_mutex_unlock(&d->host->lock);
        if (rc == 0)
            rc = monitor_call(d, "system_powerdown");
    }
    qemu_dom_release(d);
    return rc;
}

static int qemu_shutdown_flags(virDomainPtr domain, unsigned int flags)
{
    return power_button(domain, flags, false, "qemuDomainShutdownFlags");
}

static int qemu_reboot(virDomainPtr domain, unsigned int flags)
{
    return power_button(domain, flags, true, "qemuDomainReboot");
}

static int qemu_reset(virDomainPtr domain, unsigned int flags)
{
    qemu_dom *d;
    int rc = -1;

    if (!error_check_flags(flags, 0, FROM, "qemuDomainReset"))
        return -1;
    if (!(d = qemu_dom_acquire(domain)))
        return -1;
    if (check_running(d, false) == 0 && (rc = monitor_call(d, "system_reset")) == 0) {
        g_mutex_lock(&d->host->lock);
        d->fake_reboot = false;
        if (d->state == VIR_DOMAIN_CRASHED)
            qemu_dom_set_state(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_CRASHED);
        g_mutex_unlock(&d->host->lock);
    }
    qemu_dom_release(d);
    return rc;
}

/* Suspend and resume: "stop" and "cont"; the STOP and RESUME events that QEMU sends
 * before its reply change the state and emit the lifecycle events. */
static int cpus(virDomainPtr domain, bool run)
{
    qemu_dom *d;
    qemu_host *h;
    int rc = -1;

    if (!(d = qemu_dom_acquire(domain)))
        return -1;
    h = d->host;
    if (check_running(d, false) < 0)
        goto out;
    if (run ? d->state != VIR_DOMAIN_PAUSED && d->state != VIR_DOMAIN_CRASHED
            : d->state == VIR_DOMAIN_PAUSED) {
        rc = 0;   /* already there, as libvirt has it */
        goto out;
    }
    g_mutex_lock(&h->lock);
    d->pause_reason = run ? -1 : VIR_DOMAIN_PAUSED_USER;
    g_mutex_unlock(&h->lock);
    if ((rc = monitor_call(d, run ? "cont" : "stop")) == 0) {
        g_mutex_lock(&h->lock);
        qemu_status_save(h, d);
        g_mutex_unlock(&h->lock);
        error_reset();
    }
 out:
    qemu_dom_release(d);
    return rc;
}

static int qemu_suspend(virDomainPtr domain)
{
    return cpus(domain, false);
}

static int qemu_resume(virDomainPtr domain)
{
    return cpus(domain, true);
}

static int qemu_set_autostart(virDomainPtr domain, int autostart)
{
    qemu_host *h = qemu_host_of(domain->conn);
    g_autofree char *link = NULL, *config = NULL;
    qemu_dom *d;
    int rc = 0;

    if (!(d = qemu_dom_lock(domain)))
        return -1;
    if (!d->persistent) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s", "cannot set autostart for transient domain");
        g_mutex_unlock(&h->lock);
        return -1;
    }
    link = qemu_dom_autostart_path(h, d->def->name);
    config = qemu_dom_config_path(h, d->def->name);
    unlink(link);
    if (autostart && symlink(config, link) < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "Failed to create symlink '%s' to '%s'",
                           link, config);
        rc = -1;
    } else {
        d->autostart = autostart != 0;
    }
    g_mutex_unlock(&h->lock);
    return rc;
}

void qemu_domain_life_fill(vm_driver *drv)
{
    drv->domain_define_xml_flags = qemu_define_xml_flags;
    drv->domain_undefine_flags = qemu_undefine_flags;
    drv->domain_create_with_flags = qemu_create_with_flags;
    drv->domain_create_xml = qemu_create_xml;
    drv->domain_destroy_flags = qemu_destroy_flags;
    drv->domain_shutdown_flags = qemu_shutdown_flags;
    drv->domain_reboot = qemu_reboot;
    drv->domain_reset = qemu_reset;
    drv->domain_suspend = qemu_suspend;
    drv->domain_resume = qemu_resume;
    drv->domain_set_autostart = qemu_set_autostart;
}
