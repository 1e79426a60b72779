/* The QMP job helper against the fake monitor: recorded successful and failing jobs,
 * progress, a job that does not exist, a timeout (the job is cancelled and
 * dismissed), the monitor closing mid-job, waiting for "ready". */
#include "drivers/qemu/qmp_job.h"
#include "fake-qmp.h"
#include "qemu-test.h"

static char *sock;
static const char *datadir;

typedef struct {
    int calls;
    unsigned long long current, total;
    GString *seen;
} progress_log;

static void on_progress(const char *job_id, unsigned long long current, unsigned long long total,
                        void *opaque)
{
    progress_log *p = opaque;
    p->calls++;
    p->current = current;
    p->total = total;
    g_string_append_printf(p->seen, "%s %llu/%llu;", job_id, current, total);
}

static qmp_client *open_fake(void)
{
    return qmp_client_open(sock, &(qmp_open_options){ .timeout_ms = 5000 });
}

static void finish_fake(const char *what, fake_qmp *f)
{
    g_autofree char *label = g_strdup_printf("%s: the fake monitor saw what it expected", what);
    if (!check(label, fake_qmp_wait(f, 5000)))
        printf("%s", fake_qmp_problems(f));
    fake_qmp_free(f);
}

static fake_qmp *start_data(const char *name)
{
    g_autofree char *path = g_build_filename(datadir, name, NULL);
    return fake_qmp_start_file(sock, path);
}

static void test_recorded_success(void)
{
    fake_qmp *f = start_data("job-create.qmp");
    g_autoptr(qmp_client) c = open_fake();
    g_autoptr(json_object) args = json_tokener_parse(
        "{\"job-id\": \"create-file-bk-full\", \"options\": {\"driver\": \"file\", "
        "\"filename\": \"/tmp/qemu-exp/e3/full.qcow2\", \"size\": 0}}");
    progress_log p = { .seen = g_string_new(NULL) };
    char *job_error = (char *)"untouched";

    check("job: a recorded blockdev-create succeeds",
          c && qmp_job_run(c, "blockdev-create", args, "create-file-bk-full", 5000,
                           on_progress, &p, &job_error) == 0);
    check("job: no job error", job_error == NULL);
    check_str("job: final progress reported", p.seen->str, "create-file-bk-full 1/1;");
    g_clear_pointer(&c, qmp_client_free);
    finish_fake("job success", f);
    g_string_free(p.seen, TRUE);
}

static void test_recorded_failure(void)
{
    fake_qmp *f = start_data("job-snapshot-fail.qmp");
    g_autoptr(qmp_client) c = open_fake();
    g_autoptr(json_object) args =
        json_tokener_parse("{\"job-id\": \"bad1\", \"tag\": \"s1\", \"vmstate\": \"disk0\", "
                           "\"devices\": [\"disk0\", \"disk1\"]}");
    g_autofree char *job_error = NULL;

    check("job: a recorded failing snapshot-save concludes",
          c && qmp_job_run(c, "snapshot-save", args, "bad1", 5000, NULL, NULL, &job_error) == 0);
    check_str("job: its error text", job_error,
              "Snapshot 's1' already exists in one or more devices");
    g_clear_pointer(&c, qmp_client_free);
    finish_fake("job failure", f);

    f = start_data("job-snapshot-fail.qmp");
    c = open_fake();
    check("job: without ret_job_error a failure is an error",
          c && qmp_job_run(c, "snapshot-save", args, "bad1", 5000, NULL, NULL, NULL) < 0);
    check_error(
        "job: the error", VIR_ERR_OPERATION_FAILED,
        "operation failed: job 'bad1' failed: Snapshot 's1' already exists in one or more devices");
    g_clear_pointer(&c, qmp_client_free);
    finish_fake("job failure as error", f);
}

#define EV(st, id)                                                                                 \
    "< {\"event\": \"JOB_STATUS_CHANGE\", \"data\": {\"status\": \"" st "\", \"id\": \"" id "\"}}" \
                                                                                            "\n"

static void test_progress(void)
{
    fake_qmp *f = fake_qmp_start(sock,
        "! handshake\n"
        "> {\"execute\": \"blockdev-backup\"}\n"
        EV("created", "bk") EV("running", "bk") EV("paused", "bk") EV("running", "bk")
        "< {\"return\": {}}\n"
        "> {\"execute\": \"query-jobs\"}\n"
        "< {\"return\": [{\"current-progress\": 1048576, \"status\": \"running\", "
        "\"total-progress\": 4194304, \"type\": \"backup\", \"id\": \"bk\"}]}\n"
        EV("waiting", "bk") EV("pending", "bk")
        "< {\"event\": \"BLOCK_JOB_COMPLETED\", \"data\": {\"device\": \"bk\", \"len\": 4194304, "
        "\"offset\": 4194304, \"speed\": 0, \"type\": \"backup\"}}\n"
        EV("concluded", "bk")
        "> {\"execute\": \"query-jobs\"}\n"
        "< {\"return\": [{\"current-progress\": 4194304, \"status\": \"concluded\", "
        "\"total-progress\": 4194304, \"type\": \"backup\", \"id\": \"bk\"}]}\n"
        "> {\"execute\": \"job-dismiss\", \"arguments\": {\"id\": \"bk\"}}\n"
        EV("null", "bk")
        "< {\"return\": {}}\n");
    g_autoptr(qmp_client) c = open_fake();
    progress_log p = { .seen = g_string_new(NULL) };
    char *job_error = NULL;

    check("progress: the job runs", c &&
                                        qmp_job_run(c, "blockdev-backup", NULL, "bk", 5000,
                                                    on_progress, &p, &job_error) == 0 &&
                                        !job_error);
    check_str("progress: polled while running, then final", p.seen->str,
              "bk 1048576/4194304;bk 4194304/4194304;");
    g_clear_pointer(&c, qmp_client_free);
    finish_fake("progress", f);
    g_string_free(p.seen, TRUE);
}

static void test_missing_job(void)
{
    fake_qmp *f = fake_qmp_start(sock,
        "! handshake\n"
        "> {\"execute\": \"start-nothing\"}\n"
        "< {\"return\": {}}\n"
        "> {\"execute\": \"query-jobs\"}\n"
        "< {\"return\": []}\n");
    g_autoptr(qmp_client) c = open_fake();
    gint64 t0 = g_get_monotonic_time();

    check("missing: fails at once", c && qmp_job_run(c, "start-nothing", NULL, "ghost", 5000,
                                                     NULL, NULL, NULL) < 0 &&
          g_get_monotonic_time() - t0 < 2 * G_USEC_PER_SEC);
    check_error("missing: error", VIR_ERR_OPERATION_FAILED,
                "operation failed: job 'ghost' not found");
    g_clear_pointer(&c, qmp_client_free);
    finish_fake("missing", f);

    f = fake_qmp_start(sock,
        "! handshake\n"
        "> {\"execute\": \"blockdev-create\"}\n"
        "< {\"error\": {\"class\": \"GenericError\", \"desc\": \"Job ID 'x' already in use\"}}\n");
    c = open_fake();
    check("start refused: fails",
          c && qmp_job_run(c, "blockdev-create", NULL, "x", 5000, NULL, NULL, NULL) < 0);
    check_error("start refused: QEMU's error", VIR_ERR_INTERNAL_ERROR,
                "internal error: unable to execute QEMU command 'blockdev-create': Job ID 'x' "
                "already in use");
    g_clear_pointer(&c, qmp_client_free);
    finish_fake("start refused", f);
}

static void test_timeout(void)
{
    fake_qmp *f = fake_qmp_start(sock,
        "! handshake\n"
        "> {\"execute\": \"blockdev-backup\"}\n"
        EV("created", "slow") EV("running", "slow")
        "< {\"return\": {}}\n"
        "> {\"execute\": \"job-cancel\", \"arguments\": {\"id\": \"slow\"}}\n"
        "< {\"return\": {}}\n"
        EV("aborting", "slow")
        "< {\"event\": \"BLOCK_JOB_CANCELLED\", \"data\": {\"device\": \"slow\", \"len\": 4194304, "
        "\"offset\": 65536, \"speed\": 0, \"type\": \"backup\"}}\n"
        EV("concluded", "slow")
        "> {\"execute\": \"job-dismiss\", \"arguments\": {\"id\": \"slow\"}}\n"
        EV("null", "slow")
        "< {\"return\": {}}\n");
    g_autoptr(qmp_client) c = open_fake();

    check("timeout: the helper gives up", c && qmp_job_run(c, "blockdev-backup", NULL, "slow", 300,
                                                           NULL, NULL, NULL) < 0);
    check_error(
        "timeout: the error survives the cleanup", VIR_ERR_OPERATION_TIMEOUT,
        "Timed out during operation: job 'slow' did not reach status 'concluded' within 300 ms");
    g_clear_pointer(&c, qmp_client_free);
    finish_fake("timeout: the job was cancelled and dismissed", f);
}

static void test_close_mid_job(void)
{
    fake_qmp *f = fake_qmp_start(sock,
        "! handshake\n"
        "> {\"execute\": \"blockdev-backup\"}\n"
        EV("created", "j") EV("running", "j")
        "< {\"return\": {}}\n"
        "! delay 100\n"
        "! close\n");
    g_autoptr(qmp_client) c = open_fake();

    check("close: the helper fails", c && qmp_job_run(c, "blockdev-backup", NULL, "j", 5000,
                                                      NULL, NULL, NULL) < 0);
    check_error("close: EOF error", VIR_ERR_INTERNAL_ERROR,
                "internal error: End of file from qemu monitor");
    g_clear_pointer(&c, qmp_client_free);
    finish_fake("close mid-job", f);
}

static void test_ready(void)
{
    fake_qmp *f = fake_qmp_start(
        sock,
        "! handshake\n"
        "> {\"execute\": \"block-commit\"}\n" EV("created", "commit-act")
            EV("running", "commit-act") "< {\"return\": {}}\n" EV(
                "ready",
                "commit-act") "< {\"event\": \"BLOCK_JOB_READY\", \"data\": {\"device\": "
                              "\"commit-act\", \"len\": 2097152, "
                              "\"offset\": 2097152, \"speed\": 0, \"type\": \"commit\"}}\n"
                              "> {\"execute\": \"job-complete\", \"arguments\": {\"id\": "
                              "\"commit-act\"}}\n"
                              "< {\"return\": {}}\n" EV("waiting", "commit-act")
                                  EV("pending", "commit-act")
                                      EV("concluded",
                                         "commit-act") "> {\"execute\": \"query-jobs\"}\n"
                                                       "< {\"return\": [{\"current-progress\": "
                                                       "3145728, \"status\": \"concluded\", "
                                                       "\"total-progress\": 3145728, \"type\": "
                                                       "\"commit\", \"id\": \"commit-act\"}]}\n"
                                                       "> {\"execute\": \"job-dismiss\", "
                                                       "\"arguments\": {\"id\": \"commit-act\"}}\n"
                                                       "< {\"return\": {}}\n");
    g_autoptr(qmp_client) c = open_fake();
    g_autoptr(qmp_job_watch) w = c ? qmp_job_watch_new(c, "commit-act") : NULL;
    g_autoptr(json_object) args = json_tokener_parse("{\"id\": \"commit-act\"}");
    char *job_error = NULL;

    check("ready: start", w && qmp_call(c, "block-commit", NULL, 5000, NULL) == 0);
    check("ready: reached", w && qmp_job_watch_wait(w, QMP_JOB_READY, 5000, NULL, NULL) == 0 &&
          qmp_job_watch_status(w) == QMP_JOB_READY);
    check("ready: complete", w && qmp_call(c, "job-complete", args, 5000, NULL) == 0);
    check("ready: concluded", w &&
                                  qmp_job_watch_wait(w, QMP_JOB_CONCLUDED, 5000, NULL, NULL) == 0 &&
                                  qmp_job_watch_status(w) == QMP_JOB_CONCLUDED);
    check("ready: finished", w && qmp_job_finish(w, &job_error) == 0 && job_error == NULL);
    g_clear_pointer(&w, qmp_job_watch_free);
    g_clear_pointer(&c, qmp_client_free);
    finish_fake("ready", f);
}

static void test_status_strings(void)
{
    check("status: to string",
          strcmp(qmp_job_status_to_string(QMP_JOB_CONCLUDED), "concluded") == 0);
    check("status: from string", qmp_job_status_from_string("ready") == QMP_JOB_READY &&
          qmp_job_status_from_string("bogus") == -1);
}

int main(int argc, char **argv)
{
    g_autofree char *tmpdir = make_tmpdir("qmp-job-XXXXXX");
    sock = g_build_filename(tmpdir, "m.qmp", NULL);
    datadir = argc > 1 ? argv[1] : "tests/qemu/data";

    test_status_strings();
    test_recorded_success();
    test_recorded_failure();
    test_progress();
    test_missing_job();
    test_timeout();
    test_close_mid_job();
    test_ready();

    remove_tree(tmpdir);
    g_free(sock);
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
