/* Starting a domain's QEMU (runtime dir, log, spawn, monitor, cont), killing it and
 * forgetting it afterwards. A start that fails leaves nothing behind but the log. */
#include "drivers/qemu/qemu_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "drivers/qemu/qemu_block.h"
#include "drivers/qemu/qemu_command.h"
#include "drivers/qemu/qemu_procfs.h"
#include "util/error.h"
#include "util/file.h"

#define FROM VIR_FROM_QEMU
#define MONITOR_TIMEOUT_MS 30000

void qemu_disk_run_free(qemu_disk_run *r)
{
    if (!r)
        return;
    g_free(r->dst);
    g_free(r->qdev);
    g_free(r->qemu_io_path);
    g_free(r->format_node);
    g_free(r->storage_node);
    g_free(r);
}

qemu_run *qemu_run_new(void)
{
    qemu_run *run = g_new0(qemu_run, 1);

    run->disks = g_ptr_array_new_with_free_func((GDestroyNotify)qemu_disk_run_free);
    run->jobs = g_ptr_array_new_with_free_func(g_free);
    return run;
}

void qemu_run_free(qemu_run *run)
{
    if (!run)
        return;
    g_free(run->dir);
    g_free(run->monitor_path);
    g_free(run->log_path);
    g_ptr_array_unref(run->disks);
    g_ptr_array_unref(run->jobs);
    if (run->child)
        g_object_unref(run->child);
    g_free(run);
}

static const char *shutoff_reason_name(int reason)
{
    static const char *const names[] = {
        "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
        "from-snapshot", "daemon",
    };
    return reason >= 0 && reason < (int)G_N_ELEMENTS(names) ? names[reason] : "unknown";
}

static int started_detail(int reason)
{
    switch (reason) {
    case VIR_DOMAIN_RUNNING_RESTORED:
        return VIR_DOMAIN_EVENT_STARTED_RESTORED;
    case VIR_DOMAIN_RUNNING_FROM_SNAPSHOT:
        return VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT;
    case VIR_DOMAIN_RUNNING_MIGRATED:
        return VIR_DOMAIN_EVENT_STARTED_MIGRATED;
    default:
        return VIR_DOMAIN_EVENT_STARTED_BOOTED;
    }
}

/* The runtime dir ROOT/run/qemu/domain-ID-NAME (NAME encoded, cut at 20 bytes as
 * libvirt cuts it), the monitor socket in it, the log. */
static qemu_run *run_prepare(qemu_host *h, const char *name, int id)
{
    g_autoptr(qemu_run) run = qemu_run_new();
    g_autofree char *enc = file_name_encode(name);
    g_autofree char *base = g_strdup_printf("domain-%d-%.20s", id, enc);
    g_autofree char *log = g_strconcat(enc, ".log", NULL);

    run->dir = g_build_filename(h->state_dir, base, NULL);
    run->monitor_path = g_build_filename(run->dir, "monitor.sock", NULL);
    run->log_path = g_build_filename(h->log_dir, log, NULL);
    if (strlen(run->monitor_path) >= sizeof(((struct sockaddr_un *)NULL)->sun_path)) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                     "monitor socket path '%s' is too long for a UNIX socket; use a shorter root",
                     run->monitor_path);
        return NULL;
    }
    qemu_remove_tree(run->dir);   /* left over by a process that died mid-start */
    if (g_mkdir_with_parents(run->dir, 0700) < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot create directory '%s'", run->dir);
        return NULL;
    }
    return g_steal_pointer(&run);
}

static void child_setup(gpointer data)
{
    setsid();   /* QEMU outlives this process and ignores its terminal's signals */
}

static GSubprocess *spawn(const char *const *argv, int log_fd)
{
    g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_NONE);
    g_autoptr(GError) err = NULL;
    GSubprocess *p;

    g_subprocess_launcher_setenv(l, "LC_ALL", "C", TRUE);
    g_subprocess_launcher_take_stdin_fd(l, open("/dev/null", O_RDONLY | O_CLOEXEC));
    g_subprocess_launcher_take_stdout_fd(l, fcntl(log_fd, F_DUPFD_CLOEXEC, 3));
    g_subprocess_launcher_take_stderr_fd(l, fcntl(log_fd, F_DUPFD_CLOEXEC, 3));
    g_subprocess_launcher_set_child_setup(l, child_setup, NULL, NULL);
    p = g_subprocess_launcher_spawnv(l, argv, &err);
    if (!p)
        error_report(FROM, VIR_ERR_INTERNAL_ERROR, "cannot execute QEMU binary '%s': %s", argv[0],
                     err->message);
    return p;
}

/* Write the log's header, spawn QEMU; -1 with an error. *ret_offset: where QEMU's
 * own output starts in the log. */
static int launch(qemu_run *run, const char *const *argv, long long *ret_offset)
{
    g_autofree char *cmdline = qemu_command_to_string(argv);
    int fd = qemu_log_open(run->log_path);
    const char *pid;

    if (fd < 0)
        return -1;
    qemu_log_printf(fd, "starting up virtmoment, QEMU binary %s", argv[0]);
    if (write(fd, cmdline, strlen(cmdline)) < 0 || write(fd, "\n", 1) < 0) {
        /* best effort */
    }
    *ret_offset = lseek(fd, 0, SEEK_END);
    run->child = spawn(argv, fd);
    close(fd);
    if (!run->child)
        return -1;
    pid = g_subprocess_get_identifier(run->child);
    run->pid = pid ? atoi(pid) : 0;
    run->start_time = qemu_pid_start_time(run->pid);
    return 0;
}

static bool still_running(void *opaque)
{
    const qemu_run *run = opaque;
    return qemu_pid_alive(run->pid, run->start_time);
}

/* Whether QEMU exits within ms: when its monitor closes, the process may still be
 * on its way out. */
static bool exits_soon(const qemu_run *run, int ms)
{
    for (int waited = 0; still_running((void *)run); waited += 10) {
        if (waited >= ms)
            return false;
        g_usleep(10 * 1000);
    }
    return true;
}

/* Report that QEMU went away while starting, quoting what it logged. */
static void report_exit(const qemu_run *run, long long offset, const char *what)
{
    g_autofree char *tail = qemu_log_tail(run->log_path, offset);

    error_reset();
    error_report(FROM, VIR_ERR_INTERNAL_ERROR, "%s: %s", what, tail);
}

static int connect_monitor(qemu_host *h, qemu_dom *d, long long offset)
{
    qmp_open_options o = {
        .timeout_ms = MONITOR_TIMEOUT_MS,
        .keep_trying = still_running,
        .keep_trying_opaque = d->run,
        .listener = &qemu_monitor_listener,
        .listener_opaque = d,
    };
    qmp_client *mon = qmp_client_open(d->run->monitor_path, &o);

    if (!mon) {
        if (exits_soon(d->run, 3000))
            report_exit(d->run, offset, "process exited while connecting to monitor");
        return -1;
    }
    g_mutex_lock(&h->lock);
    d->mon = mon;
    g_mutex_unlock(&h->lock);
    return 0;
}

/* Where QEMU put the pseudo-terminals of pty character devices (live XML). */
static void fill_pty_paths(qemu_host *h, qemu_dom *d)
{
    domain_chr_def **lists[] = { d->def->serials, d->def->consoles, d->def->channels };
    size_t counts[] = { d->def->nserials, d->def->nconsoles, d->def->nchannels };
    g_autoptr(json_object) reply = NULL;

    if (qmp_call(d->mon, "query-chardev", NULL, QMP_TIMEOUT_DEFAULT, &reply) < 0) {
        error_reset();
        return;
    }
    g_mutex_lock(&h->lock);
    for (size_t l = 0; l < G_N_ELEMENTS(lists); l++) {
        for (size_t i = 0; i < counts[l]; i++) {
            domain_chr_def *chr = lists[l][i];
            const char *alias = chr->info.alias;
            if (chr->type != DOMAIN_CHR_PTY || !alias)
                continue;
            for (size_t j = 0; j < qemu_json_array_len(reply); j++) {
                json_object *c = json_object_array_get_idx(reply, j);
                const char *label = qemu_json_get_string(c, "label");
                const char *file = qemu_json_get_string(c, "filename");
                if (label && file && g_str_has_prefix(label, "char") && strcmp(label + 4, alias) == 0 &&
                    g_str_has_prefix(file, "pty:")) {
                    g_free(chr->source_path);
                    chr->source_path = g_strdup(file + 4);
                }
            }
        }
    }
    domain_def_changed(d->def);
    g_mutex_unlock(&h->lock);
}

static int run_cpus(qemu_host *h, qemu_dom *d, unsigned int flags, int reason, long long offset)
{
    bool paused = flags & VIR_DOMAIN_START_PAUSED;
    int rc;

    fill_pty_paths(h, d);
    g_mutex_lock(&h->lock);
    if (paused)
        qemu_dom_set_state(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
    else
        qemu_dom_set_state(d, VIR_DOMAIN_RUNNING, reason);
    g_mutex_unlock(&h->lock);
    if (!paused && qmp_call(d->mon, "cont", NULL, QMP_TIMEOUT_DEFAULT, NULL) < 0) {
        if (qmp_client_is_closed(d->mon) && exits_soon(d->run, 3000))
            report_exit(d->run, offset, "QEMU unexpectedly closed the monitor");
        return -1;
    }
    g_mutex_lock(&h->lock);
    rc = qemu_status_save(h, d);
    if (rc == 0) {
        qemu_dom_event(d, VIR_DOMAIN_EVENT_STARTED, started_detail(reason));
        if (paused)
            qemu_dom_event(d, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    }
    g_mutex_unlock(&h->lock);
    return rc;
}

/* Make d active with its new run and live definition. */
static int activate(qemu_host *h, qemu_dom *d, qemu_run *run, domain_def *live, int id)
{
    int rc;

    g_mutex_lock(&h->lock);
    if (d->persistent && !d->new_def)
        d->new_def = d->def;
    else
        domain_def_free(d->def);
    d->def = live;
    d->run = run;
    d->id = id;
    d->generation++;
    d->being_destroyed = d->shutdown_seen = d->fake_reboot = false;
    d->pause_reason = -1;
    qemu_dom_set_state(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_STARTING_UP);
    rc = qemu_status_save(h, d);
    g_mutex_unlock(&h->lock);
    return rc;
}

int qemu_process_start(qemu_host *h, qemu_dom *d, domain_def *def, unsigned int flags, int reason)
{
    g_autoptr(domain_def) live = def;
    g_autoptr(qemu_run) run = NULL;
    g_autoptr(GPtrArray) disks = NULL;
    g_auto(GStrv) argv = NULL;
    guint next_index;
    long long offset = 0;
    int id;

    if (!live) {
        g_mutex_lock(&h->lock);
        live = domain_def_copy(d->def);
        g_mutex_unlock(&h->lock);
    }
    if (qemu_conf_check_start(live) < 0 || qemu_block_prepare(live, &disks, &next_index) < 0)
        return -1;
    g_mutex_lock(&h->lock);
    id = h->next_id++;
    g_mutex_unlock(&h->lock);
    if (!(run = run_prepare(h, live->name, id)))
        return -1;
    g_ptr_array_unref(run->disks);
    run->disks = g_steal_pointer(&disks);
    run->next_node_index = next_index;
    qemu_command_opts opts = { run->monitor_path, run->dir, live->virt_type == DOMAIN_VIRT_KVM };
    argv = qemu_command_build(live, &opts, run->disks);
    if (launch(run, (const char *const *)argv, &offset) < 0) {
        qemu_remove_tree(run->dir);
        return -1;
    }
    /* the domain is active from here: a failure stops it again */
    if (activate(h, d, g_steal_pointer(&run), g_steal_pointer(&live), id) < 0 ||
        connect_monitor(h, d, offset) < 0 || run_cpus(h, d, flags, reason, offset) < 0) {
        virErrorPtr saved = error_save();
        qemu_process_kill(d, false);
        qemu_process_stop(h, d, VIR_DOMAIN_SHUTOFF_FAILED, -1);
        error_restore(&saved);
        return -1;
    }
    return 0;
}

int qemu_process_kill(qemu_dom *d, bool graceful)
{
    qemu_host *h = d->host;
    int pid;
    unsigned long long start;
    int rc;

    g_mutex_lock(&h->lock);
    if (!d->run) {
        g_mutex_unlock(&h->lock);
        return 0;
    }
    d->being_destroyed = true;
    pid = d->run->pid;
    start = d->run->start_time;
    g_mutex_unlock(&h->lock);
    rc = qemu_pid_kill(pid, start, graceful);
    if (rc < 0) {
        g_mutex_lock(&h->lock);
        d->being_destroyed = false;
        g_mutex_unlock(&h->lock);
    }
    return rc;
}

void qemu_process_stop(qemu_host *h, qemu_dom *d, int reason, int detail)
{
    g_autoptr(qemu_run) run = NULL;
    qmp_client *mon;

    g_mutex_lock(&h->lock);
    mon = g_steal_pointer(&d->mon);
    run = g_steal_pointer(&d->run);
    g_mutex_unlock(&h->lock);
    if (mon)
        qmp_client_free(mon);   /* outside the lock: its listener takes it */
    if (run) {
        qemu_remove_tree(run->dir);
        g_autofree char *line = g_strdup_printf("shutting down, reason=%s", shutoff_reason_name(reason));
        qemu_log_append(run->log_path, line);
    }
    g_mutex_lock(&h->lock);
    qemu_status_delete(h, d->def->name);
    if (detail >= 0)
        qemu_dom_event(d, VIR_DOMAIN_EVENT_STOPPED, detail);
    d->id = -1;
    d->generation++;
    d->being_destroyed = d->shutdown_seen = d->fake_reboot = false;
    d->pause_reason = -1;
    d->autodestroy = NULL;
    if (d->new_def) {
        domain_def_free(d->def);
        d->def = g_steal_pointer(&d->new_def);
    }
    qemu_dom_set_state(d, VIR_DOMAIN_SHUTOFF, reason);
    if (!d->persistent && !d->removed)
        qemu_dom_remove(h, d);
    g_mutex_unlock(&h->lock);
}
