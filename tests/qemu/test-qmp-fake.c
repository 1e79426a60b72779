/* The QMP client against the scripted fake monitor: handshake, replies, QMP errors,
 * events, concurrent callers, the monitor closing, huge replies, timeouts, garbage,
 * connecting while QEMU starts, and replays of recorded QEMU 7.2 transcripts. */
#include "drivers/qemu/qmp.h"
#include "fake-qmp.h"
#include "qemu-test.h"

static char *tmpdir;
static char *sock;

/* What the listener saw. */
typedef struct {
    GMutex lock;
    GCond cond;
    GString *events;         /* "NAME NAME ..." */
    gint64 last_ts;
    int closed;
    char *reason;
} recorder;

static void rec_event(qmp_client *c, const char *name, json_object *data, gint64 ts, void *opaque)
{
    recorder *r = opaque;
    g_mutex_lock(&r->lock);
    g_string_append_printf(r->events, "%s%s", r->events->len ? " " : "", name);
    r->last_ts = ts;
    g_cond_broadcast(&r->cond);
    g_mutex_unlock(&r->lock);
}

static void rec_closed(qmp_client *c, const char *reason, void *opaque)
{
    recorder *r = opaque;
    g_mutex_lock(&r->lock);
    r->closed++;
    g_free(r->reason);
    r->reason = g_strdup(reason);
    g_cond_broadcast(&r->cond);
    g_mutex_unlock(&r->lock);
}

static const qmp_listener rec_ops = { rec_event, rec_closed };

static void rec_init(recorder *r)
{
    memset(r, 0, sizeof(*r));
    g_mutex_init(&r->lock);
    g_cond_init(&r->cond);
    r->events = g_string_new(NULL);
}

static void rec_clear(recorder *r)
{
    g_string_free(r->events, TRUE);
    g_free(r->reason);
    g_mutex_clear(&r->lock);
    g_cond_clear(&r->cond);
}

/* The events seen, once there are at least n of them (or after 5 s). */
static char *rec_wait_events(recorder *r, int n)
{
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    g_mutex_lock(&r->lock);
    for (;;) {
        int have = r->events->len ? 1 : 0;
        for (const char *p = r->events->str; *p; p++)
            have += *p == ' ';
        if (have >= n || !g_cond_wait_until(&r->cond, &r->lock, deadline))
            break;
    }
    char *s = g_strdup(r->events->str);
    g_mutex_unlock(&r->lock);
    return s;
}

/* Wait (up to 5 s) until the listener was told the connection closed; how often. */
static int rec_wait_closed(recorder *r)
{
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    g_mutex_lock(&r->lock);
    while (!r->closed && g_cond_wait_until(&r->cond, &r->lock, deadline))
        ;
    int n = r->closed;
    g_mutex_unlock(&r->lock);
    return n;
}

static qmp_client *open_with(recorder *r, int timeout_ms)
{
    qmp_open_options opts = {.timeout_ms = timeout_ms, .listener = &rec_ops, .listener_opaque = r};
    return qmp_client_open(sock, &opts);
}

static void finish_fake(const char *what, fake_qmp *f)
{
    g_autofree char *label = g_strdup_printf("%s: the fake monitor saw what it expected", what);
    if (!check(label, fake_qmp_wait(f, 5000)))
        printf("%s", fake_qmp_problems(f));
    fake_qmp_free(f);
}

static void test_handshake(void)
{
    fake_qmp *f = fake_qmp_start(sock, "! handshake\n");
    recorder r;
    rec_init(&r);
    qmp_client *c = open_with(&r, 5000);

    if (check("handshake: connected", c != NULL)) {
        check("handshake: version from the greeting", qmp_client_qemu_version(c) == 7002022);
        check_str("handshake: package", qmp_client_qemu_package(c),
                  "Debian 1:7.2+dfsg-7+deb12u18+b3");
        check("handshake: open", !qmp_client_is_closed(c));
    }
    qmp_client_free(c);
    finish_fake("handshake", f);
    check("handshake: closing by the owner notifies the listener",
          rec_wait_closed(&r) == 1 && strcmp(r.reason, "QEMU monitor was closed") == 0);
    rec_clear(&r);
}

static void test_commands(void)
{
    fake_qmp *f = fake_qmp_start(
        sock,
        "! handshake\n"
        "> {\"execute\": \"query-status\"}\n"
        "< {\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}}\n"
        "> {\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"info "
        "version\"}}\n"
        "< {\"return\": \"7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\\r\\n\"}\n"
        "> {\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": "
        "\"qemu-io -d /machine/peripheral/vda/virtio-backend \\\"write -P 0xaa 0 65536\\\"\"}}\n"
        "< {\"return\": \"\"}\n"
        "> {\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": "
        "\"qemu-io -d vda \\\"write -P 0x11 0 512\\\"\"}}\n"
        "< {\"return\": \"Error: Device does not have a block device backend\\r\\n\"}\n");
    g_autoptr(qmp_client) c = qmp_client_open(sock, &(qmp_open_options){ .timeout_ms = 5000 });
    g_autoptr(json_object) ret = NULL;
    g_autofree char *out = NULL;
    json_object *status = NULL;

    check("command: qmp_call succeeds", c && qmp_call(c, "query-status", NULL, 5000, &ret) == 0);
    check("command: the reply's return", ret && json_object_object_get_ex(ret, "status", &status) &&
          strcmp(json_object_get_string(status), "running") == 0);
    check("hmp: succeeds", c && qmp_hmp(c, "info version", 5000, &out) == 0);
    check_str("hmp: returns the text", out, "7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\r\n");
    check("qemu-io: a write through the device",
          c && qmp_qemu_io(c, "/machine/peripheral/vda/virtio-backend", "write -P 0xaa 0 65536",
                           5000) == 0);
    check("qemu-io: a device without a backend fails", c &&
          qmp_qemu_io(c, "vda", "write -P 0x11 0 512", 5000) < 0);
    check_error("qemu-io: the error quotes QEMU", VIR_ERR_OPERATION_FAILED,
                "operation failed: qemu-io 'write -P 0x11 0 512' on 'vda' failed: "
                "Error: Device does not have a block device backend");
    g_clear_pointer(&c, qmp_client_free);
    finish_fake("commands", f);
}

static void test_qmp_errors(void)
{
    fake_qmp *f = fake_qmp_start(
        sock,
        "! handshake\n"
        "> {\"execute\": \"block-dirty-bitmap-add\", \"arguments\": {\"node\": \"disk0\", "
        "\"name\": \"c3\"}}\n"
        "< {\"error\": {\"class\": \"GenericError\", \"desc\": \"Bitmap already exists: c3\"}}\n"
        "> {\"execute\": \"no-such-command\"}\n"
        "< {\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command no-such-command "
        "has not been found\"}}\n"
        "> {\"execute\": \"query-status\"}\n"
        "< {\"return\": {\"status\": \"paused\", \"running\": false}}\n");
    g_autoptr(qmp_client) c = qmp_client_open(sock, &(qmp_open_options){ .timeout_ms = 5000 });
    g_autoptr(json_object) args = json_tokener_parse("{\"node\": \"disk0\", \"name\": \"c3\"}");
    g_autoptr(json_object) ret = NULL;

    check("qmp error: the call fails",
          c && qmp_call(c, "block-dirty-bitmap-add", args, 5000, &ret) < 0);
    check("qmp error: ret untouched", ret == NULL);
    check_error("qmp error: libvirt's message", VIR_ERR_INTERNAL_ERROR,
                "internal error: unable to execute QEMU command 'block-dirty-bitmap-add': "
                "Bitmap already exists: c3");
    check_str("qmp error: class", qmp_last_error_class(), "GenericError");
    check_str("qmp error: desc", qmp_last_error_desc(), "Bitmap already exists: c3");
    check("qmp error: class test",
          qmp_last_error_is("GenericError") && !qmp_last_error_is("DeviceNotFound"));
    check("qmp error: unknown command", c && qmp_call(c, "no-such-command", NULL, 5000, NULL) < 0 &&
          qmp_last_error_is("CommandNotFound"));
    check("qmp error: the connection survives",
          c && qmp_call(c, "query-status", NULL, 5000, &ret) == 0);
    check("qmp error: a success clears the class", qmp_last_error_class() == NULL);
    g_clear_pointer(&c, qmp_client_free);
    finish_fake("qmp errors", f);
}

static void test_events(void)
{
    fake_qmp *f = fake_qmp_start(sock, "! handshake\n"
                                       "< {\"event\": \"E0\"}\n"
                                       "> {\"execute\": \"cmd-a\"}\n"
                                       "< {\"event\": \"E1\", \"data\": {\"n\": 1}}\n"
                                       "< {\"something-new\": 1}\n"
                                       "< {\"event\": \"E2\", \"data\": {\"n\": 2}}\n"
                                       "< {\"return\": {}}\n"
                                       "< {\"event\": \"E3\"}\n"
                                       "> {\"execute\": \"cmd-b\"}\n"
                                       "< {\"timestamp\": {\"seconds\": 1795322214, "
                                       "\"microseconds\": 257734}, \"event\": \"E4\"}\n"
                                       "< {\"return\": 5}\n");
    recorder r;
    rec_init(&r);
    qmp_client *c = open_with(&r, 5000);
    g_autoptr(json_object) ret = NULL;

    check("events: cmd-a", c && qmp_call(c, "cmd-a", NULL, 5000, NULL) == 0);
    g_mutex_lock(&r.lock);
    check("events: those sent before a reply are delivered before its caller returns",
          g_str_has_prefix(r.events->str, "E0 E1 E2"));
    check("events: the fake's timestamp", r.last_ts > 1600000000LL * G_USEC_PER_SEC);
    g_mutex_unlock(&r.lock);
    check("events: cmd-b",
          c && qmp_call(c, "cmd-b", NULL, 5000, &ret) == 0 && json_object_get_int(ret) == 5);
    g_autofree char *seen = rec_wait_events(&r, 5);
    check_str("events: all, in order", seen, "E0 E1 E2 E3 E4");
    check("events: QEMU's timestamp", r.last_ts == 1795322214257734LL);
    qmp_client_free(c);
    finish_fake("events", f);
    rec_clear(&r);
}

#define NTHREADS 8

typedef struct {
    qmp_client *client;
    int n;
    bool ok;
} caller;

static gpointer call_thread(gpointer data)
{
    caller *t = data;
    g_autofree char *cmd = g_strdup_printf("cmd-%d", t->n);
    g_autoptr(json_object) ret = NULL;
    json_object *who;

    t->ok = qmp_call(t->client, cmd, NULL, 10000, &ret) == 0 &&
            json_object_object_get_ex(ret, "who", &who) && json_object_get_int(who) == t->n;
    return NULL;
}

/* Eight callers at once; the fake answers in reverse order with events between. */
static void test_threads(void)
{
    GString *script = g_string_new("! handshake\n");
    g_string_append_printf(script, "! unordered %d\n", NTHREADS);
    for (int i = 0; i < NTHREADS; i++)
        g_string_append_printf(script, "> {\"execute\": \"cmd-%d\"}\n", i);
    for (int i = NTHREADS - 1; i >= 0; i--)
        g_string_append_printf(
            script, "< {\"event\": \"E%d\"}\n! answer cmd-%d {\"return\": {\"who\": %d}}\n", i, i,
            i);
    fake_qmp *f = fake_qmp_start(sock, script->str);
    g_string_free(script, TRUE);
    recorder r;
    rec_init(&r);
    qmp_client *c = open_with(&r, 5000);
    caller t[NTHREADS];
    GThread *th[NTHREADS];
    bool all = c != NULL;

    for (int i = 0; c && i < NTHREADS; i++) {
        t[i] = (caller){ c, i, false };
        th[i] = g_thread_new("caller", call_thread, &t[i]);
    }
    for (int i = 0; c && i < NTHREADS; i++) {
        g_thread_join(th[i]);
        all = all && t[i].ok;
    }
    check("threads: every caller got its own reply", all);
    g_autofree char *seen = rec_wait_events(&r, NTHREADS);
    check_str("threads: events in order", seen, "E7 E6 E5 E4 E3 E2 E1 E0");
    qmp_client_free(c);
    finish_fake("threads", f);
    rec_clear(&r);
}

static void test_close_mid_command(void)
{
    fake_qmp *f = fake_qmp_start(sock,
        "! handshake\n"
        "> {\"execute\": \"slow\"}\n"
        "< {\"event\": \"E1\"}\n"
        "! close\n");
    recorder r;
    rec_init(&r);
    qmp_client *c = open_with(&r, 5000);

    check("close: the pending call fails", c && qmp_call(c, "slow", NULL, 10000, NULL) < 0);
    check_error("close: with a clear error", VIR_ERR_INTERNAL_ERROR,
                "internal error: End of file from qemu monitor");
    check("close: no QMP class", qmp_last_error_class() == NULL);
    check("close: later calls fail at once",
          c && qmp_call(c, "query-status", NULL, 10000, NULL) < 0);
    check_error("close: with the same error", VIR_ERR_INTERNAL_ERROR,
                "internal error: End of file from qemu monitor");
    check("close: the client knows", c && qmp_client_is_closed(c));
    rec_wait_closed(&r);
    g_mutex_lock(&r.lock);
    check("close: the event before EOF was delivered", strcmp(r.events->str, "E1") == 0);
    check("close: the listener was told once", r.closed == 1 &&
          strcmp(r.reason, "End of file from qemu monitor") == 0);
    g_mutex_unlock(&r.lock);
    qmp_client_free(c);
    check("close: freeing does not notify again", r.closed == 1);
    finish_fake("close", f);
    rec_clear(&r);
}

static void test_huge_reply(void)
{
    const int size = 3 * 1024 * 1024 + 17;
    g_autofree char *script = g_strdup_printf(
        "! handshake\n"
        "> {\"execute\": \"query-named-block-nodes\"}\n"
        "! huge %d\n"
        "> {\"execute\": \"query-status\"}\n"
        "< {\"return\": {\"status\": \"running\"}}\n", size);
    fake_qmp *f = fake_qmp_start(sock, script);
    g_autoptr(qmp_client) c = qmp_client_open(sock, &(qmp_open_options){ .timeout_ms = 5000 });
    g_autoptr(json_object) ret = NULL, ret2 = NULL;

    check("huge: a reply over 3 MiB",
          c && qmp_call(c, "query-named-block-nodes", NULL, 10000, &ret) == 0);
    const char *s = ret ? json_object_get_string(ret) : "";
    bool intact = ret && json_object_get_string_len(ret) == size;
    for (int i = 0; intact && i < size; i++)
        intact = s[i] == 'x';
    check("huge: arrives intact", intact);
    check("huge: the next call works", c && qmp_call(c, "query-status", NULL, 5000, &ret2) == 0);
    g_clear_pointer(&c, qmp_client_free);
    finish_fake("huge", f);
}

/* A long backing chain nests "backing-image" once per layer: deeper than json-c's
 * default limit of 32. */
static void test_deep_reply(void)
{
    GString *script = g_string_new("! handshake\n> {\"execute\": \"query-block\"}\n< {\"return\": ");
    for (int i = 0; i < 200; i++)
        g_string_append(script, "{\"backing-image\": ");
    g_string_append(script, "{}");
    for (int i = 0; i < 200; i++)
        g_string_append_c(script, '}');
    g_string_append(script, "}\n");
    fake_qmp *f = fake_qmp_start(sock, script->str);
    g_string_free(script, TRUE);
    g_autoptr(qmp_client) c = qmp_client_open(sock, &(qmp_open_options){ .timeout_ms = 5000 });
    g_autoptr(json_object) ret = NULL;
    int depth = 0;

    check("deep: a reply nested 200 levels", c && qmp_call(c, "query-block", NULL, 5000, &ret) == 0);
    for (json_object *o = ret; (o = qemu_json_get(o, "backing-image"));)
        depth++;
    check("deep: all levels there", depth == 200);
    g_clear_pointer(&c, qmp_client_free);
    finish_fake("deep", f);
}

static void test_timeout(void)
{
    fake_qmp *f = fake_qmp_start(sock,
        "! handshake\n"
        "> {\"execute\": \"slow\"}\n"
        "! delay 500\n"
        "< {\"return\": {\"late\": true}}\n"
        "> {\"execute\": \"query-status\"}\n"
        "< {\"return\": {\"status\": \"running\"}}\n"
        "> {\"execute\": \"slow\"}\n"
        "! delay 400\n"
        "< {\"return\": {\"late\": true}}\n");
    g_autoptr(qmp_client) c = qmp_client_open(sock, &(qmp_open_options){ .timeout_ms = 5000 });
    g_autoptr(json_object) ret = NULL;
    json_object *late = NULL;
    gint64 t0 = g_get_monotonic_time();

    check("timeout: the call gives up",
          c && qmp_call(c, "slow", NULL, 100, &ret) < 0 && ret == NULL);
    gint64 waited = (g_get_monotonic_time() - t0) / 1000;
    check("timeout: after about 100 ms", waited >= 90 && waited < 450);
    check_error("timeout: error", VIR_ERR_OPERATION_TIMEOUT,
                "Timed out during operation: no reply from QEMU to command 'slow' within 100 ms");
    check("timeout: the next call gets its own reply, not the late one",
          c && qmp_call(c, "query-status", NULL, 5000, &ret) == 0 &&
          !json_object_object_get_ex(ret, "late", &late));
    if (c)
        qmp_client_set_default_timeout(c, 100);
    check("timeout: the client's default applies",
          c && qmp_call(c, "slow", NULL, QMP_TIMEOUT_DEFAULT, NULL) < 0 &&
              error_last()->code == VIR_ERR_OPERATION_TIMEOUT);
    check("timeout: the connection stays open", c && !qmp_client_is_closed(c));
    g_usleep(500 * 1000);     /* let the late reply come and be dropped */
    g_clear_pointer(&c, qmp_client_free);
    finish_fake("timeout", f);
}

/* A monitor that stops reading: the command cannot be sent in time. */
static void test_write_timeout(void)
{
    fake_qmp *f = fake_qmp_start(sock, "! handshake\n! delay 1500\n");
    g_autoptr(qmp_client) c = qmp_client_open(sock, &(qmp_open_options){ .timeout_ms = 5000 });
    g_autoptr(json_object) args = json_object_new_object();
    char *blob = g_malloc(8 * 1024 * 1024 + 1);

    memset(blob, 'y', 8 * 1024 * 1024);
    blob[8 * 1024 * 1024] = 0;
    json_object_object_add(args, "blob", json_object_new_string(blob));
    g_free(blob);
    check("write timeout: the call fails", c && qmp_call(c, "big", args, 200, NULL) < 0);
    check_error(
        "write timeout: error", VIR_ERR_OPERATION_TIMEOUT,
        "Timed out during operation: cannot send QEMU command 'big': the monitor stopped reading");
    check("write timeout: the connection is given up", c && qmp_client_is_closed(c) &&
          qmp_call(c, "query-status", NULL, 1000, NULL) < 0);
    check_error("write timeout: later calls", VIR_ERR_INTERNAL_ERROR,
                "internal error: QEMU monitor stopped reading commands");
    g_clear_pointer(&c, qmp_client_free);
    finish_fake("write timeout", f);
}

static void test_garbage(void)
{
    fake_qmp *f = fake_qmp_start(sock,
        "! handshake\n"
        "> {\"execute\": \"query-status\"}\n"
        "! raw this is not JSON {\n");
    recorder r;
    rec_init(&r);
    qmp_client *c = open_with(&r, 5000);

    check("garbage: the pending call fails",
          c && qmp_call(c, "query-status", NULL, 5000, NULL) < 0);
    check_error("garbage: error names the data", VIR_ERR_INTERNAL_ERROR,
                "internal error: malformed data from qemu monitor: 'this is not JSON {'");
    check("garbage: the connection is dropped",
          c && qmp_client_is_closed(c) && rec_wait_closed(&r) == 1);
    qmp_client_free(c);
    finish_fake("garbage", f);
    rec_clear(&r);
}

typedef struct {
    bool freed;
    int after;
    int closed;
} self_free;

static void sf_event(qmp_client *c, const char *name, json_object *data, gint64 ts, void *opaque)
{
    self_free *s = opaque;
    s->after += s->freed;
    if (strcmp(name, "BYE") == 0) {
        s->freed = true;
        qmp_client_free(c);
    }
}

static void sf_closed(qmp_client *c, const char *reason, void *opaque)
{
    ((self_free *)opaque)->closed++;
}

/* The owner frees the client from its own event callback. */
static void test_free_in_callback(void)
{
    static const qmp_listener ops = { sf_event, sf_closed };
    fake_qmp *f = fake_qmp_start(sock, "! handshake\n! delay 200\n< {\"event\": \"BYE\"}\n"
                                       "< {\"event\": \"AFTER\"}\n");
    self_free s = { 0 };
    qmp_client *c = qmp_client_open(sock, &(qmp_open_options){ .timeout_ms = 5000,
        .listener = &ops, .listener_opaque = &s });

    check("free in callback: connected", c != NULL);
    finish_fake("free in callback", f);
    g_usleep(100 * 1000);     /* the reader thread ends and releases the client */
    check("free in callback: freed, nothing called afterwards",
          s.freed && s.after == 0 && s.closed == 0);
}

static bool stop_trying(void *opaque)
{
    return false;
}

static void test_connect(void)
{
    fake_qmp *f = fake_qmp_start(sock, "! listen-after 300\n! handshake\n");
    gint64 t0 = g_get_monotonic_time();
    qmp_client *c = qmp_client_open(sock, &(qmp_open_options){ .timeout_ms = 5000 });

    check("connect: retries while the socket is missing", c != NULL &&
          g_get_monotonic_time() - t0 >= 250 * 1000);
    qmp_client_free(c);
    finish_fake("connect", f);

    g_autofree char *missing = g_build_filename(tmpdir, "missing.qmp", NULL);
    g_autofree char *expected = g_strdup_printf(
        "failed to connect to monitor socket '%s': No such file or directory", missing);
    check("connect: one attempt fails", qmp_client_open(missing, NULL) == NULL);
    check_error("connect: error", VIR_ERR_SYSTEM_ERROR, expected);
    t0 = g_get_monotonic_time();
    check("connect: keep_trying stops the retries", qmp_client_open(missing, &(qmp_open_options){
          .timeout_ms = 5000, .keep_trying = stop_trying }) == NULL &&
          g_get_monotonic_time() - t0 < 1000 * 1000);

    f = fake_qmp_start(sock, "! no-greeting\n! delay 100\n! close\n");
    check("connect: EOF before the greeting",
          qmp_client_open(sock, &(qmp_open_options){.timeout_ms = 5000}) == NULL);
    check_error("connect: EOF error", VIR_ERR_INTERNAL_ERROR,
                "internal error: End of file from qemu monitor");
    finish_fake("connect eof", f);

    f = fake_qmp_start(sock, "! no-greeting\n! delay 2000\n");
    g_autofree char *no_greeting = g_strdup_printf(
        "Timed out during operation: no greeting from QEMU monitor '%s'", sock);
    check("connect: no greeting in time",
          qmp_client_open(sock, &(qmp_open_options){.timeout_ms = 300}) == NULL);
    check_error("connect: greeting timeout error", VIR_ERR_OPERATION_TIMEOUT, no_greeting);
    fake_qmp_free(f);

    f = fake_qmp_start(sock,
                       "> {\"execute\": \"qmp_capabilities\"}\n"
                       "< {\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Capabilities "
                       "negotiation is already complete, command ignored\"}}\n");
    check("connect: capabilities refused",
          qmp_client_open(sock, &(qmp_open_options){.timeout_ms = 5000}) == NULL);
    check_error("connect: capabilities error", VIR_ERR_INTERNAL_ERROR,
                "internal error: unable to execute QEMU command 'qmp_capabilities': "
                "Capabilities negotiation is already complete, command ignored");
    finish_fake("connect capabilities", f);
}

int main(void)
{
    tmpdir = make_tmpdir("qmp-fake-XXXXXX");
    sock = g_build_filename(tmpdir, "m.qmp", NULL);

    test_handshake();
    test_commands();
    test_qmp_errors();
    test_events();
    test_threads();
    test_close_mid_command();
    test_huge_reply();
    test_deep_reply();
    test_timeout();
    test_write_timeout();
    test_garbage();
    test_connect();
    test_free_in_callback();

    remove_tree(tmpdir);
    g_free(sock);
    g_free(tmpdir);
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
