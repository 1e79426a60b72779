/* The QEMU driver's domain objects: lists, lookups, jobs, lifecycle events, the
 * persistent config files. */
#include "drivers/qemu/qemu_driver.h"
#include "drivers/common/domain_list.h"

#include <string.h>
#include <unistd.h>
#include "drivers/qemu/qemu_backup.h"
#include "util/error.h"
#include "util/file.h"

#define FROM VIR_FROM_QEMU
#define JOB_WAIT_US (30 * G_TIME_SPAN_SECOND)

qemu_dom *qemu_dom_new(qemu_host *h, domain_def *def, bool persistent)
{
    qemu_dom *d = g_new0(qemu_dom, 1);

    d->refs = 1;
    d->host = h;
    d->def = def;
    d->state = VIR_DOMAIN_SHUTOFF;
    d->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    d->id = -1;
    d->persistent = persistent;
    d->pause_reason = -1;
    return d;
}

void qemu_dom_ref(qemu_dom *d)
{
    g_atomic_int_inc(&d->refs);
}

void qemu_dom_unref(qemu_dom *d)
{
    if (!d || !g_atomic_int_dec_and_test(&d->refs))
        return;
    if (d->mon)
        qmp_client_free(d->mon);
    qemu_run_free(d->run);
    qemu_snapshot_free(d);
    qemu_job_dom_free(d);
    qemu_checkpoint_free(d);
    domain_def_free(d->def);
    domain_def_free(d->new_def);
    g_free(d);
}

void qemu_dom_add(qemu_host *h, qemu_dom *d)
{
    d->removed = false;
    g_ptr_array_add(h->doms, d);
}

void qemu_dom_remove(qemu_host *h, qemu_dom *d)
{
    d->removed = true;
    g_cond_broadcast(&h->job_cond);
    g_ptr_array_remove(h->doms, d);   /* drops the list's reference */
}

qemu_dom *qemu_dom_find_name(qemu_host *h, const char *name)
{
    for (guint i = 0; i < h->doms->len; i++) {
        qemu_dom *d = g_ptr_array_index(h->doms, i);
        if (strcmp(d->def->name, name) == 0)
            return d;
    }
    return NULL;
}

qemu_dom *qemu_dom_find_uuid(qemu_host *h, const unsigned char *uuid)
{
    for (guint i = 0; i < h->doms->len; i++) {
        qemu_dom *d = g_ptr_array_index(h->doms, i);
        if (memcmp(d->def->uuid, uuid, UUID_LEN) == 0)
            return d;
    }
    return NULL;
}

static qemu_dom *find_id(qemu_host *h, int id)
{
    for (guint i = 0; i < h->doms->len; i++) {
        qemu_dom *d = g_ptr_array_index(h->doms, i);
        if (qemu_dom_is_active(d) && d->id == id)
            return d;
    }
    return NULL;
}

bool qemu_dom_is_active(const qemu_dom *d)
{
    return d->state != VIR_DOMAIN_SHUTOFF;
}

virDomainPtr qemu_dom_handle(virConnectPtr conn, const qemu_dom *d)
{
    return handle_domain_new(conn, d->def->name, d->def->uuid, d->id);
}

void qemu_dom_event(qemu_dom *d, int event, int detail)
{
    event_domain ed = { d->def->name, d->def->uuid, d->id };
    event_bus_lifecycle(d->host->events, &ed, event, detail);
}

void qemu_dom_set_state(qemu_dom *d, int state, int reason)
{
    d->state = state;
    d->reason = reason;
}

qemu_host *qemu_host_of(virConnectPtr conn)
{
    return conn->driver_data;
}

/* ---- jobs ---- */

static qemu_dom *find_handle(qemu_host *h, virDomainPtr domain)
{
    qemu_dom *d = qemu_dom_find_uuid(h, domain->uuid);

    if (!d) {
        char uuid[UUID_STRING_LEN];
        uuid_format(domain->uuid, uuid);
        error_report(FROM, VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)", uuid,
                     domain->name);
    }
    return d;
}

int qemu_dom_begin_job(qemu_dom *d)
{
    qemu_host *h = d->host;
    gint64 deadline = g_get_monotonic_time() + JOB_WAIT_US;

    while (d->job && !d->removed) {
        if (!g_cond_wait_until(&h->job_cond, &h->lock, deadline)) {
            error_report(FROM, VIR_ERR_OPERATION_TIMEOUT, "%s",
                         "cannot acquire state change lock (held by another operation)");
            return -1;
        }
    }
    if (d->removed) {
        error_report(FROM, VIR_ERR_NO_DOMAIN, "domain '%s' no longer exists", d->def->name);
        return -1;
    }
    d->job = true;
    return 0;
}

void qemu_dom_end_job(qemu_dom *d)
{
    d->job = false;
    g_cond_broadcast(&d->host->job_cond);
}

qemu_dom *qemu_dom_acquire(virDomainPtr domain)
{
    qemu_host *h = qemu_host_of(domain->conn);
    qemu_dom *d;

    g_mutex_lock(&h->lock);
    d = find_handle(h, domain);
    if (d) {
        qemu_dom_ref(d);
        if (qemu_dom_begin_job(d) < 0)
            g_clear_pointer(&d, qemu_dom_unref);
    }
    g_mutex_unlock(&h->lock);
    return d;
}

void qemu_dom_release(qemu_dom *d)
{
    qemu_host *h = d->host;

    g_mutex_lock(&h->lock);
    qemu_dom_end_job(d);
    g_mutex_unlock(&h->lock);
    qemu_dom_unref(d);
}

qemu_dom *qemu_dom_lock(virDomainPtr domain)
{
    qemu_host *h = qemu_host_of(domain->conn);
    qemu_dom *d;

    g_mutex_lock(&h->lock);
    d = find_handle(h, domain);
    if (!d)
        g_mutex_unlock(&h->lock);
    return d;
}

/* ---- config files ---- */

static char *file_in(const char *dir, const char *name)
{
    g_autofree char *enc = file_name_encode(name);
    g_autofree char *base = g_strconcat(enc, ".xml", NULL);

    return g_build_filename(dir, base, NULL);
}

char *qemu_dom_config_path(qemu_host *h, const char *name)
{
    return file_in(h->config_dir, name);
}

char *qemu_dom_autostart_path(qemu_host *h, const char *name)
{
    return file_in(h->autostart_dir, name);
}

int qemu_dom_save_config(qemu_host *h, const domain_def *def)
{
    g_autofree char *path = qemu_dom_config_path(h, def->name);
    g_autofree char *xml = domain_def_format(def, -1, DOMAIN_FORMAT_INACTIVE | DOMAIN_FORMAT_SECURE);

    return file_write_atomic(path, xml, strlen(xml), 0600);
}

void qemu_dom_delete_config(qemu_host *h, const char *name)
{
    g_autofree char *path = qemu_dom_config_path(h, name);
    g_autofree char *link = qemu_dom_autostart_path(h, name);

    unlink(path);
    unlink(link);
}

/* ---- lookups and listings ---- */

typedef enum { BY_NAME, BY_UUID, BY_ID } lookup_kind;

static virDomainPtr lookup(virConnectPtr conn, lookup_kind kind, const void *key)
{
    qemu_host *h = qemu_host_of(conn);
    virDomainPtr ret = NULL;
    qemu_dom *d;

    g_mutex_lock(&h->lock);
    if (kind == BY_NAME)
        d = qemu_dom_find_name(h, key);
    else if (kind == BY_UUID)
        d = qemu_dom_find_uuid(h, key);
    else
        d = find_id(h, *(const int *)key);
    if (d) {
        ret = qemu_dom_handle(conn, d);
    } else if (kind == BY_NAME) {
        error_report(FROM, VIR_ERR_NO_DOMAIN, "no domain with matching name '%s'", (const char *)key);
    } else if (kind == BY_UUID) {
        char uuid[UUID_STRING_LEN];
        uuid_format(key, uuid);
        error_report(FROM, VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s'", uuid);
    } else {
        error_report(FROM, VIR_ERR_NO_DOMAIN, "no domain with matching id %d", *(const int *)key);
    }
    g_mutex_unlock(&h->lock);
    return ret;
}

static virDomainPtr qemu_lookup_by_name(virConnectPtr conn, const char *name)
{
    return lookup(conn, BY_NAME, name);
}

static virDomainPtr qemu_lookup_by_uuid(virConnectPtr conn, const unsigned char *uuid)
{
    return lookup(conn, BY_UUID, uuid);
}

static virDomainPtr qemu_lookup_by_id(virConnectPtr conn, int id)
{
    return lookup(conn, BY_ID, &id);
}

static bool list_match(const qemu_dom *d, unsigned int flags)
{
    domain_list_facts f = {
        d->state, d->persistent, false, d->autostart,
        d->snapshots && moment_tree_size(d->snapshots) > 0,
        d->checkpoints && moment_tree_size(d->checkpoints) > 0,
    };
    return domain_list_match(&f, flags);
}

static int qemu_list_all_domains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    qemu_host *h = qemu_host_of(conn);
    GPtrArray *list = domains ? g_ptr_array_new() : NULL;
    int n = 0;

    if (!error_check_flags(flags, 0xffff, FROM, "qemuConnectListAllDomains"))
        return -1;
    g_mutex_lock(&h->lock);
    for (guint i = 0; i < h->doms->len; i++) {
        qemu_dom *d = g_ptr_array_index(h->doms, i);
        if (!list_match(d, flags))
            continue;
        n++;
        if (list)
            g_ptr_array_add(list, qemu_dom_handle(conn, d));
    }
    g_mutex_unlock(&h->lock);
    if (list) {
        g_ptr_array_add(list, NULL);
        *domains = (virDomainPtr *)g_ptr_array_free(list, FALSE);
    }
    return n;
}

void qemu_domain_fill(vm_driver *drv)
{
    drv->domain_lookup_by_name = qemu_lookup_by_name;
    drv->domain_lookup_by_uuid = qemu_lookup_by_uuid;
    drv->domain_lookup_by_id = qemu_lookup_by_id;
    drv->connect_list_all_domains = qemu_list_all_domains;
    qemu_domain_life_fill(drv);
    qemu_domain_info_fill(drv);
}
