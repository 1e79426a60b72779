/* The QMP client and job helper against real QEMU (TCG, no guest OS): handshake,
 * query-status, cont, simulated guest writes through HMP qemu-io that must land in
 * the image, QMP errors, real jobs (blockdev-create, blockdev-backup) succeeding and
 * failing, quit; and a QEMU killed under a pending call. QEMU is killed in every
 * outcome (explicitly, and by PR_SET_PDEATHSIG should this test die). */
#include <signal.h>
#include <sys/prctl.h>
#include <gio/gio.h>
#include "drivers/qemu/qemu_img.h"
#include "drivers/qemu/qmp_job.h"
#include "qemu-test.h"

#define MiB (1024ULL * 1024)
#define DEVICE "/machine/peripheral/vda/virtio-backend"

static char *dir;

typedef struct {
    GMutex lock;
    GString *events;
    int closed;
} recorder;

static void rec_event(qmp_client *c, const char *name, json_object *data, gint64 ts, void *opaque)
{
    recorder *r = opaque;
    g_mutex_lock(&r->lock);
    g_string_append_printf(r->events, "%s ", name);
    g_mutex_unlock(&r->lock);
}

static void rec_closed(qmp_client *c, const char *reason, void *opaque)
{
    recorder *r = opaque;
    g_mutex_lock(&r->lock);
    r->closed++;
    g_mutex_unlock(&r->lock);
}

static const qmp_listener rec_ops = { rec_event, rec_closed };

/* Wait up to 10 s for cond on the recorder. */
static bool rec_wait(recorder *r, const char *event, bool closed)
{
    for (int i = 0; i < 500; i++) {
        g_mutex_lock(&r->lock);
        bool ok = (!event || strstr(r->events->str, event)) && (!closed || r->closed);
        g_mutex_unlock(&r->lock);
        if (ok)
            return true;
        g_usleep(20000);
    }
    return false;
}

static void die_with_parent(gpointer data)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* qemu-system-x86_64 paused, with disk as virtio-blk vda on node disk0. */
static GSubprocess *start_qemu(const char *sock, const char *disk, const char *log)
{
    g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_NONE);
    g_autofree char *qmp = g_strdup_printf("unix:%s,server=on,wait=off", sock);
    g_autofree char *file = g_strdup_printf(
        "{\"driver\":\"file\",\"filename\":\"%s\",\"node-name\":\"disk0-file\"}", disk);
    g_autoptr(GError) err = NULL;

    g_subprocess_launcher_set_child_setup(l, die_with_parent, NULL, NULL);
    g_subprocess_launcher_set_stdout_file_path(l, log);
    g_subprocess_launcher_take_stderr_fd(l, -1);
    g_subprocess_launcher_set_flags(l, G_SUBPROCESS_FLAGS_STDERR_MERGE);
    GSubprocess *p = g_subprocess_launcher_spawn(l, &err, "qemu-system-x86_64",
        "-machine", "q35,accel=tcg", "-m", "64", "-nodefaults", "-display", "none", "-S",
        "-qmp", qmp, "-blockdev", file,
        "-blockdev", "{\"driver\":\"qcow2\",\"node-name\":\"disk0\",\"file\":\"disk0-file\"}",
        "-device", "virtio-blk-pci,id=vda,drive=disk0", NULL);
    if (!p)
        printf("  cannot start QEMU: %s\n", err->message);
    return p;
}

static bool still_running(void *opaque)
{
    return g_subprocess_get_identifier(opaque) != NULL;
}

/* Wait up to ms for QEMU to exit by itself; kill it otherwise. True if it exited. */
static bool reap(GSubprocess *p, int ms)
{
    for (int i = 0; i < ms / 20 && g_subprocess_get_identifier(p); i++)
        g_usleep(20000);
    bool exited = g_subprocess_get_identifier(p) == NULL;
    g_subprocess_force_exit(p);
    g_subprocess_wait(p, NULL, NULL);
    return exited;
}

static const char *status_of(qmp_client *c, json_object **keep)
{
    g_clear_pointer(keep, json_object_put);
    if (qmp_call(c, "query-status", NULL, 10000, keep) < 0)
        return "(error)";
    return qemu_json_get_string(*keep, "status");
}

/* Apply the same writes to the reference image with the qemu-io tool. */
static bool reference_write(const char *ref, const char *cmd)
{
    const char *argv[] = { "qemu-io", "-f", "qcow2", "-c", cmd, ref, NULL };
    int status = -1;
    return g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, &status, NULL) && status == 0;
}

static void on_progress(const char *job, unsigned long long cur, unsigned long long total,
                        void *opaque)
{
    unsigned long long *last = opaque;
    last[0]++;
    last[1] = cur;
    last[2] = total;
}

/* How many jobs query-jobs lists; -1 on error. */
static int job_count(qmp_client *c)
{
    g_autoptr(json_object) jobs = NULL;

    if (qmp_call(c, "query-jobs", NULL, 10000, &jobs) < 0)
        return -1;
    return (int)qemu_json_array_len(jobs);
}

/* The JSON text with "filename": path added to its member inner (or to itself). */
static json_object *with_filename(const char *text, const char *inner, const char *path)
{
    json_object *obj = json_tokener_parse(text);
    json_object *where = inner ? qemu_json_get(obj, inner) : obj;

    json_object_object_add(where, "filename", json_object_new_string(path));
    return obj;
}

/* blockdev-create jobs for a qcow2 target, attached as node bk. */
static void backup_job(qmp_client *c, const char *target)
{
    g_autoptr(json_object) a1 =
        with_filename("{\"job-id\":\"create-file\",\"options\":{\"driver\":\"file\","
                      "\"size\":0}}",
                      "options", target);
    g_autoptr(json_object) a2 =
        with_filename("{\"driver\":\"file\",\"node-name\":\"bk-file\"}", NULL, target);
    g_autoptr(json_object) a3 =
        json_tokener_parse("{\"job-id\":\"create-fmt\",\"options\":{\"driver\":\"qcow2\","
                           "\"file\":\"bk-file\",\"size\":67108864}}");
    g_autoptr(json_object) a4 = json_tokener_parse(
        "{\"driver\":\"qcow2\",\"node-name\":\"bk\",\"file\":\"bk-file\",\"backing\":null}");
    g_autoptr(json_object) a5 =
        json_tokener_parse("{\"job-id\":\"bk-job\",\"device\":\"disk0\",\"target\":\"bk\","
                           "\"sync\":\"full\",\"auto-dismiss\":false}");
    g_autoptr(json_object) d1 = json_tokener_parse("{\"node-name\":\"bk\"}");
    g_autoptr(json_object) d2 = json_tokener_parse("{\"node-name\":\"bk-file\"}");
    char *err1 = NULL, *err2 = NULL, *err3 = NULL;
    unsigned long long prog[3] = { 0, 0, 0 };

    check("job: blockdev-create of the file",
          qmp_job_run(c, "blockdev-create", a1, "create-file", 30000, NULL, NULL, &err1) == 0 &&
              !err1);
    check("job: blockdev-add file", qmp_call(c, "blockdev-add", a2, 10000, NULL) == 0);
    check("job: blockdev-create of the qcow2",
          qmp_job_run(c, "blockdev-create", a3, "create-fmt", 30000, NULL, NULL, &err2) == 0 &&
              !err2);
    check("job: blockdev-add qcow2", qmp_call(c, "blockdev-add", a4, 10000, NULL) == 0);
    check("job: blockdev-backup sync=full", qmp_job_run(c, "blockdev-backup", a5, "bk-job", 60000,
                                                        on_progress, prog, &err3) == 0 && !err3);
    check("job: progress reached the total",
          prog[0] >= 1 && prog[1] == prog[2] && prog[2] == 64 * MiB);
    check("job: no job left", job_count(c) == 0);
    check("job: detach the target", qmp_call(c, "blockdev-del", d1, 10000, NULL) == 0 &&
          qmp_call(c, "blockdev-del", d2, 10000, NULL) == 0);
    free(err1);
    free(err2);
    free(err3);
}

static void failing_job(qmp_client *c)
{
    g_autoptr(json_object) a =
        json_tokener_parse("{\"job-id\":\"bad-create\",\"options\":{\"driver\":\"file\","
                           "\"filename\":\"/nonexistent-dir/x.qcow2\",\"size\":0}}");
    g_autofree char *err = NULL;

    check("failing job: concludes", qmp_job_run(c, "blockdev-create", a, "bad-create", 30000,
                                                NULL, NULL, &err) == 0);
    check("failing job: QEMU's error text",
          err && strstr(err, "Could not create '/nonexistent-dir/x.qcow2'") &&
              strstr(err, "No such file or directory"));
    if (err)
        printf("  (job error: %s)\n", err);
}

static void session(const char *qemu_log)
{
    g_autofree char *sock = g_build_filename(dir, "vm.qmp", NULL);
    g_autofree char *disk = g_build_filename(dir, "disk.qcow2", NULL);
    g_autofree char *ref = g_build_filename(dir, "ref.qcow2", NULL);
    g_autofree char *target = g_build_filename(dir, "backup.qcow2", NULL);
    recorder r = { .events = g_string_new(NULL) };
    g_autoptr(json_object) st = NULL;
    g_autoptr(json_object) nope = json_tokener_parse("{\"node-name\":\"nope\"}");
    g_autofree char *out = NULL;
    bool same = false;

    g_mutex_init(&r.lock);
    qemu_img_create_qcow2(disk, 64 * MiB, NULL, NULL);
    qemu_img_create_qcow2(ref, 64 * MiB, NULL, NULL);
    g_autoptr(GSubprocess) qemu = start_qemu(sock, disk, qemu_log);
    qmp_client *c = qemu ? qmp_client_open(sock, &(qmp_open_options){ .timeout_ms = 30000,
        .keep_trying = still_running, .keep_trying_opaque = qemu,
        .listener = &rec_ops, .listener_opaque = &r }) : NULL;
    if (!check("qemu: connected", c != NULL)) {
        printf("  %s\n", last_message());
        goto out;
    }
    printf("  (QEMU %u, %s)\n", qmp_client_qemu_version(c), qmp_client_qemu_package(c));
    check("qemu: a version from the greeting", qmp_client_qemu_version(c) >= 7000000);
    check_str("qemu: paused by -S", status_of(c, &st), "prelaunch");
    check("qemu: cont",
          qmp_call(c, "cont", NULL, 10000, NULL) == 0 && rec_wait(&r, "RESUME", false));
    check_str("qemu: running", status_of(c, &st), "running");
    check("hmp: info status", qmp_hmp(c, "info status", 10000, &out) == 0 &&
          g_str_has_prefix(out, "VM status: running"));

    check("guest write 1", qmp_qemu_io(c, DEVICE, "write -P 0xaa 0 64k", 10000) == 0 &&
          reference_write(ref, "write -P 0xaa 0 64k"));
    check("guest write 2", qmp_qemu_io(c, DEVICE, "write -P 0xbb 1M 192k", 10000) == 0 &&
          reference_write(ref, "write -P 0xbb 1M 192k"));
    check("guest write: the device needs its backend path",
          qmp_qemu_io(c, "vda", "write 0 512", 10000) < 0 &&
              strstr(last_message(), "Device does not have a block device backend") != NULL);

    check("qmp error: blockdev-del of a missing node",
          qmp_call(c, "blockdev-del", nope, 10000, NULL) < 0);
    check_error("qmp error: message", VIR_ERR_INTERNAL_ERROR,
                "internal error: unable to execute QEMU command 'blockdev-del': "
                "Failed to find node with node-name='nope'");
    check_str("qmp error: class", qmp_last_error_class(), "GenericError");
    check("qmp error: unknown command class",
          qmp_call(c, "no-such-command", NULL, 10000, NULL) < 0 &&
              qmp_last_error_is("CommandNotFound"));

    backup_job(c, target);
    failing_job(c);

    check("quit", qmp_call(c, "quit", NULL, 10000, NULL) == 0);
    check("quit: SHUTDOWN, then the monitor closes", rec_wait(&r, "SHUTDOWN", true));
    check("quit: QEMU exits", reap(qemu, 10000));
    g_clear_object(&qemu);
    check("quit: later calls fail", qmp_call(c, "query-status", NULL, 1000, NULL) < 0);
    check_str("quit: with the EOF error", last_message(),
              "internal error: End of file from qemu monitor");
    check("guest writes landed in the image",
          qemu_img_compare(ref, "qcow2", disk, "qcow2", 0, &same, NULL) == 0 && same);
    check("the backup equals the disk",
          qemu_img_compare(ref, "qcow2", target, "qcow2", 0, &same, NULL) == 0 && same);
out:
    qmp_client_free(c);
    if (qemu)
        reap(qemu, 0);
    g_string_free(r.events, TRUE);
    g_mutex_clear(&r.lock);
}

/* QEMU killed while a command waits: the caller gets an error, nothing hangs. */
static void killed(const char *qemu_log)
{
    g_autofree char *sock = g_build_filename(dir, "vm2.qmp", NULL);
    g_autofree char *disk = g_build_filename(dir, "disk2.qcow2", NULL);
    recorder r = { .events = g_string_new(NULL) };

    g_mutex_init(&r.lock);
    qemu_img_create_qcow2(disk, 64 * MiB, NULL, NULL);
    g_autoptr(GSubprocess) qemu = start_qemu(sock, disk, qemu_log);
    qmp_client *c = qemu ? qmp_client_open(sock, &(qmp_open_options){ .timeout_ms = 30000,
        .keep_trying = still_running, .keep_trying_opaque = qemu }) : NULL;
    if (c) {
        qmp_client_add_listener(c, &rec_ops, &r);
        kill(atoi(g_subprocess_get_identifier(qemu)), SIGKILL);
        gint64 t0 = g_get_monotonic_time();
        check("killed: the call fails", qmp_call(c, "query-status", NULL, 30000, NULL) < 0);
        check("killed: promptly", g_get_monotonic_time() - t0 < 5 * G_USEC_PER_SEC);
        check("killed: the listener is told", rec_wait(&r, NULL, true));
        check_str("killed: EOF", last_message(), "internal error: End of file from qemu monitor");
    } else {
        check("killed: connected", false);
    }
    qmp_client_free(c);
    if (qemu)
        reap(qemu, 0);
    g_string_free(r.events, TRUE);
    g_mutex_clear(&r.lock);
}

int main(void)
{
    const char *need[] = { "qemu-system-x86_64", "qemu-img", "qemu-io" };

    for (size_t i = 0; i < G_N_ELEMENTS(need); i++) {
        g_autofree char *p = g_find_program_in_path(need[i]);
        if (!p) {
            printf("skip: %s not installed\n", need[i]);
            return 77;
        }
    }
    dir = make_tmpdir("qmp-qemu-XXXXXX");
    g_autofree char *log = g_build_filename(dir, "qemu.log", NULL);
    session(log);
    killed(log);
    if (failures) {
        g_autofree char *text = NULL;
        if (g_file_get_contents(log, &text, NULL, NULL))
            printf("QEMU's output:\n%s\n", text);
    }
    remove_tree(dir);
    g_free(dir);
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
