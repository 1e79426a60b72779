/* State that survives the process: status files, and taking over the QEMUs they
 * describe.
 *
 * Status files: ROOT/run/qemu/NAME.xml for each running domain, rewritten
 * atomically at every change, with what another process needs to take the domain
 * over (pid and its start time, monitor socket, runtime dir, log, disks and their
 * node names, QEMU jobs the driver runs) and the live definition:
 *
 *   <domstatus state='running' reason='1' id='3' pid='4242' starttime='81234'>
 *     <monitor path='ROOT/run/qemu/domain-3-vm/monitor.sock' type='unix'/>
 *     <rundir path='ROOT/run/qemu/domain-3-vm'/>
 *     <log path='ROOT/log/qemu/vm.log'/>
 *     <nodes next='3'/>
 *     <fakereboot/>                      (a reboot is under way)
 *     <disks>
 *       <disk dst='vda' qdev='virtio-disk0' qemu-io='/machine/peripheral/virtio-disk0/virtio-backend'
 *             format='libvirt-2-format' storage='libvirt-2-storage'/>
 *     </disks>
 *     <jobs/>
 *     <domain type='qemu' id='3'>...</domain>
 *   </domstatus>
 */
#include "drivers/qemu/qemu_driver.h"

#include <string.h>
#include <unistd.h>
#include "drivers/qemu/qemu_backup.h"
#include "drivers/qemu/qemu_procfs.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/xml.h"

#define FROM VIR_FROM_QEMU
#define REATTACH_TIMEOUT_MS 10000

/* virDomainState's names, as libvirt writes them in status files. */
typedef enum {
    STATE_NOSTATE, STATE_RUNNING, STATE_BLOCKED, STATE_PAUSED, STATE_SHUTDOWN, STATE_SHUTOFF,
    STATE_CRASHED, STATE_PMSUSPENDED,
    STATE_LAST
} status_state;
ENUM_DECL(status_state);
ENUM_IMPL(status_state, STATE_LAST, "nostate", "running", "blocked", "paused", "shutdown",
          "shutoff", "crashed", "pmsuspended")

char *qemu_status_path(qemu_host *h, const char *name)
{
    g_autofree char *enc = file_name_encode(name);
    g_autofree char *base = g_strconcat(enc, ".xml", NULL);

    return g_build_filename(h->state_dir, base, NULL);
}

static void format_disks(buf *b, const qemu_run *run)
{
    buf_add(b, "<disks>\n");
    buf_adjust_indent(b, 2);
    for (guint i = 0; i < run->disks->len; i++) {
        const qemu_disk_run *r = g_ptr_array_index(run->disks, i);
        buf_escapef(b, "<disk dst='%s' qdev='%s' qemu-io='%s'", r->dst, r->qdev, r->qemu_io_path);
        if (r->format_node)
            buf_escapef(b, " format='%s' storage='%s'", r->format_node, r->storage_node);
        buf_add(b, "/>\n");
    }
    buf_adjust_indent(b, -2);
    buf_add(b, "</disks>\n");
}

static void format_jobs(buf *b, const qemu_run *run)
{
    if (!run->jobs->len) {
        buf_add(b, "<jobs/>\n");
        return;
    }
    buf_add(b, "<jobs>\n");
    buf_adjust_indent(b, 2);
    for (guint i = 0; i < run->jobs->len; i++)
        buf_escapef(b, "<job id='%s'/>\n", (const char *)g_ptr_array_index(run->jobs, i));
    buf_adjust_indent(b, -2);
    buf_add(b, "</jobs>\n");
}

static char *status_format(const qemu_dom *d)
{
    const qemu_run *run = d->run;
    g_auto_buf b = BUF_INIT;

    buf_escapef(&b, "<domstatus state='%s'", status_state_to_string(d->state));
    buf_addf(&b, " reason='%d' id='%d' pid='%d' starttime='%llu'>\n", d->reason, d->id, run->pid,
             run->start_time);
    buf_adjust_indent(&b, 2);
    buf_escapef(&b, "<monitor path='%s' type='unix'/>\n", run->monitor_path);
    buf_escapef(&b, "<rundir path='%s'/>\n", run->dir);
    buf_escapef(&b, "<log path='%s'/>\n", run->log_path);
    buf_addf(&b, "<nodes next='%u'/>\n", run->next_node_index);
    if (d->fake_reboot)
        buf_add(&b, "<fakereboot/>\n");   /* a reboot asked for: the guest's shutdown resets */
    format_disks(&b, run);
    format_jobs(&b, run);
    qemu_backup_status_format(&b, d);
    domain_def_format_buf(&b, d->def, d->id, DOMAIN_FORMAT_SECURE | DOMAIN_FORMAT_STATUS);
    buf_adjust_indent(&b, -2);
    buf_add(&b, "</domstatus>\n");
    return buf_steal(&b);
}

int qemu_status_save(qemu_host *h, qemu_dom *d)
{
    g_autofree char *path = qemu_status_path(h, d->def->name);
    g_autofree char *xml = NULL;

    if (!d->run)
        return 0;
    xml = status_format(d);
    return file_write_atomic(path, xml, strlen(xml), 0600);
}

void qemu_status_delete(qemu_host *h, const char *name)
{
    g_autofree char *path = qemu_status_path(h, name);

    unlink(path);
}

/* ---- reading ---- */

static bool prop_int(xmlNodePtr node, const char *name, int *ret)
{
    g_autofree char *text = xml_prop(node, name);
    return text && parse_int(text, ret);
}

static char *child_path(xmlNodePtr root, const char *name)
{
    return xml_prop(xml_child(root, name), "path");
}

static int parse_disks(qemu_run *run, xmlNodePtr disks)
{
    for (xmlNodePtr n = xml_child(disks, "disk"); n; n = xml_next_named(n, "disk")) {
        qemu_disk_run *r = g_new0(qemu_disk_run, 1);
        r->dst = xml_prop(n, "dst");
        r->qdev = xml_prop(n, "qdev");
        r->qemu_io_path = xml_prop(n, "qemu-io");
        r->format_node = xml_prop(n, "format");
        r->storage_node = xml_prop(n, "storage");
        g_ptr_array_add(run->disks, r);
        if (!r->dst || !r->qdev || !r->qemu_io_path)
            return -1;
    }
    for (xmlNodePtr n = xml_child(xml_child(disks->parent, "jobs"), "job"); n;
         n = xml_next_named(n, "job")) {
        char *id = xml_prop(n, "id");
        if (id)
            g_ptr_array_add(run->jobs, id);
    }
    return 0;
}

static qemu_run *parse_run(xmlNodePtr root)
{
    g_autoptr(qemu_run) run = qemu_run_new();
    g_autofree char *start = xml_prop(root, "starttime");
    g_autofree char *next = xml_prop(xml_child(root, "nodes"), "next");
    xmlNodePtr disks = xml_child(root, "disks");

    run->monitor_path = child_path(root, "monitor");
    run->dir = child_path(root, "rundir");
    run->log_path = child_path(root, "log");
    if (!prop_int(root, "pid", &run->pid) || !start || !parse_ull(start, &run->start_time) ||
        !run->monitor_path || !run->dir || !run->log_path || !disks || parse_disks(run, disks) < 0)
        return NULL;
    if (!next || !parse_uint(next, &run->next_node_index))
        run->next_node_index = 1;
    return g_steal_pointer(&run);
}

qemu_dom *qemu_status_load(qemu_host *h, const char *path)
{
    g_autoptr(xmlDoc) doc = xml_parse_file(path, "domstatus", FROM);
    g_autofree char *state = NULL;
    xmlNodePtr root;
    domain_def *def;
    qemu_dom *d;
    qemu_run *run;
    int reason, id;

    if (!doc)
        return NULL;
    root = xmlDocGetRootElement(doc);
    state = xml_prop(root, "state");
    if (!(run = parse_run(root)) || status_state_from_string(state) <= STATE_NOSTATE ||
        !prop_int(root, "reason", &reason) || !prop_int(root, "id", &id) ||
        !xml_child(root, "domain")) {
        qemu_run_free(run);
        error_report(FROM, VIR_ERR_INTERNAL_ERROR, "malformed status file '%s'", path);
        return NULL;
    }
    def = domain_def_parse_node(xml_child(root, "domain"), &h->xmlopt_load, DOMAIN_PARSE_STATUS);
    if (!def) {
        qemu_run_free(run);
        return NULL;
    }
    d = qemu_dom_new(h, def, false);
    d->run = run;
    d->id = id;
    d->fake_reboot = xml_child(root, "fakereboot") != NULL;
    qemu_backup_status_parse(d, root);
    qemu_dom_set_state(d, status_state_from_string(state), reason);
    return d;
}

/* ---- taking over ----
 *
 * Taking over a running QEMU that a status file describes: the process must be the
 * one that was started (pid and start time), its monitor must answer; then the
 * state is read back from QEMU, since nobody heard its events meanwhile. A QEMU that
 * died unobserved is reported shut off (crashed) and forgotten; one that cannot be
 * controlled any more is killed, so that it never runs twice. */

static bool still_running(void *opaque)
{
    const qemu_run *run = opaque;
    return qemu_pid_alive(run->pid, run->start_time);
}

/* Kill QEMU and forget it. */
static int give_up(qemu_host *h, qemu_dom *d, int reason)
{
    qemu_process_kill(d, false);
    qemu_process_stop(h, d, reason, VIR_DOMAIN_EVENT_STOPPED_FAILED);
    return 1;
}

static int paused_reason(const char *status, const qemu_dom *d)
{
    if (strcmp(status, "io-error") == 0)
        return VIR_DOMAIN_PAUSED_IOERROR;
    if (strcmp(status, "watchdog") == 0)
        return VIR_DOMAIN_PAUSED_WATCHDOG;
    if (strcmp(status, "shutdown") == 0)
        return VIR_DOMAIN_PAUSED_SHUTTING_DOWN;
    return d->state == VIR_DOMAIN_PAUSED ? d->reason : VIR_DOMAIN_PAUSED_UNKNOWN;
}

/* Bring d's state in line with QEMU's run state (host locked); the work it calls
 * for, or -1. */
static int apply_status(qemu_dom *d, const char *status, bool running)
{
    if (strcmp(status, "shutdown") == 0) {
        d->shutdown_seen = true;
        if (!d->fake_reboot)
            qemu_dom_set_state(d, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_UNKNOWN);
        return QEMU_WORK_SHUTDOWN;
    }
    if (strcmp(status, "guest-panicked") == 0) {
        qemu_dom_set_state(d, VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED);
        return QEMU_WORK_CRASH;
    }
    if (running) {
        if (d->state != VIR_DOMAIN_RUNNING)
            qemu_dom_set_state(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    } else {
        qemu_dom_set_state(d, VIR_DOMAIN_PAUSED, paused_reason(status, d));
    }
    return -1;
}

/* Forget the jobs QEMU no longer has. */
static void check_jobs(qemu_dom *d)
{
    g_autoptr(json_object) jobs = NULL;

    if (!d->run->jobs->len || qmp_call(d->mon, "query-jobs", NULL, QMP_TIMEOUT_DEFAULT, &jobs) < 0)
        return;
    for (guint i = d->run->jobs->len; i-- > 0;) {
        const char *id = g_ptr_array_index(d->run->jobs, i);
        bool found = false;
        for (size_t j = 0; j < qemu_json_array_len(jobs) && !found; j++)
            found = g_strcmp0(qemu_json_get_string(json_object_array_get_idx(jobs, j), "id"), id) == 0;
        if (!found)
            g_ptr_array_remove_index(d->run->jobs, i);
    }
}

int qemu_process_reattach(qemu_host *h, qemu_dom *d, int *ret_work)
{
    qmp_open_options o = {
        .timeout_ms = REATTACH_TIMEOUT_MS,
        .keep_trying = still_running,
        .keep_trying_opaque = d->run,
        .listener = &qemu_monitor_listener,
        .listener_opaque = d,
    };
    g_autoptr(json_object) status = NULL;
    qmp_client *mon;

    if (!still_running(d->run))
        return give_up(h, d, VIR_DOMAIN_SHUTOFF_CRASHED);
    /* a start that never finished (the starting process died): nothing to keep */
    if (d->state == VIR_DOMAIN_PAUSED && d->reason == VIR_DOMAIN_PAUSED_STARTING_UP)
        return give_up(h, d, VIR_DOMAIN_SHUTOFF_FAILED);
    if (!(mon = qmp_client_open(d->run->monitor_path, &o)))
        return give_up(h, d, still_running(d->run) ? VIR_DOMAIN_SHUTOFF_DAEMON
                                                   : VIR_DOMAIN_SHUTOFF_CRASHED);
    g_mutex_lock(&h->lock);
    d->mon = mon;
    g_mutex_unlock(&h->lock);
    if (qmp_call(mon, "query-status", NULL, QMP_TIMEOUT_DEFAULT, &status) < 0)
        return give_up(h, d, still_running(d->run) ? VIR_DOMAIN_SHUTOFF_DAEMON
                                                   : VIR_DOMAIN_SHUTOFF_CRASHED);
    check_jobs(d);
    g_mutex_lock(&h->lock);
    *ret_work = apply_status(d, qemu_json_get_string(status, "status") ? qemu_json_get_string(status, "status")
                                                                        : "",
                             qemu_json_get_bool(status, "running"));
    qemu_status_save(h, d);
    g_mutex_unlock(&h->lock);
    return 0;
}
