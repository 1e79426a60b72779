/* A scripted fake QEMU monitor for tests (see fake-qmp.h for the script language). */
#include "fake-qmp.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib.h>
#include <glib-unix.h>
#include <json-c/json.h>

#define DEFAULT_GREETING \
    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, " \
    "\"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"capabilities\": [\"oob\"]}}"

typedef struct {
    char *name;
    json_object *id;
} received_cmd;

struct fake_qmp {
    char *path;
    char **lines;
    int listen_fd;
    int conn_fd;
    int wake[2];
    GThread *thread;
    GMutex lock;             /* protects finished, problems, received */
    GCond cond;
    bool finished;
    GString *problems;
    unsigned int received;
    GString *in;             /* bytes read from the client, not yet a line */
    GQueue unanswered;       /* received_cmd*, oldest first */
};

static void problem(fake_qmp *f, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void problem(fake_qmp *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_mutex_lock(&f->lock);
    g_string_append_vprintf(f->problems, fmt, ap);
    g_string_append_c(f->problems, '\n');
    g_mutex_unlock(&f->lock);
    va_end(ap);
}

static void received_free(received_cmd *r)
{
    if (!r)
        return;
    g_free(r->name);
    json_object_put(r->id);
    g_free(r);
}

/* Parse text; QEMU's replies nest deeper than json-c's default limit of 32. */
static json_object *parse_deep(const char *text)
{
    json_tokener *tok = json_tokener_new_ex(1024);
    json_object *obj = json_tokener_parse_ex(tok, text, -1);

    if (json_tokener_get_error(tok) != json_tokener_success)
        g_clear_pointer(&obj, json_object_put);
    json_tokener_free(tok);
    return obj;
}

/* Wait until fd is readable or timeout_ms passes (-1: forever); false when stopped. */
static bool wait_fd(fake_qmp *f, int fd, int timeout_ms)
{
    struct pollfd p[2] = { { .fd = f->wake[0], .events = POLLIN }, { .fd = fd, .events = POLLIN } };
    int n;

    do
        n = poll(p, fd >= 0 ? 2 : 1, timeout_ms);
    while (n < 0 && errno == EINTR);
    return !(p[0].revents & POLLIN);
}

static void send_text(fake_qmp *f, const char *text)
{
    size_t len = strlen(text);

    while (len && f->conn_fd >= 0) {
        ssize_t n = send(f->conn_fd, text, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        text += n;
        len -= (size_t)n;
    }
}

static void send_json(fake_qmp *f, json_object *obj)
{
    g_autofree char *line = g_strdup_printf("%s\r\n", json_object_to_json_string_ext(
        obj, JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
    send_text(f, line);
}

/* The next command from the client, recorded as unanswered; NULL at EOF or stop. */
static json_object *read_command(fake_qmp *f)
{
    for (;;) {
        char *nl = memchr(f->in->str, '\n', f->in->len);
        if (nl) {
            g_autofree char *line = g_strndup(f->in->str, (gsize)(nl - f->in->str));
            g_string_erase(f->in, 0, nl - f->in->str + 1);
            json_object *cmd = parse_deep(line), *exe, *id = NULL;
            if (!cmd || !json_object_object_get_ex(cmd, "execute", &exe)) {
                problem(f, "client sent something that is not a command: %s", line);
                json_object_put(cmd);
                continue;
            }
            received_cmd *r = g_new0(received_cmd, 1);
            r->name = g_strdup(json_object_get_string(exe));
            if (json_object_object_get_ex(cmd, "id", &id))
                r->id = json_object_get(id);
            g_queue_push_tail(&f->unanswered, r);
            g_mutex_lock(&f->lock);
            f->received++;
            g_mutex_unlock(&f->lock);
            return cmd;
        }
        char chunk[4096];
        if (f->conn_fd < 0 || !wait_fd(f, f->conn_fd, -1))
            return NULL;
        ssize_t n = recv(f->conn_fd, chunk, sizeof(chunk), 0);
        if (n <= 0)
            return NULL;
        g_string_append_len(f->in, chunk, n);
    }
}

/* Take the oldest unanswered command (named name, when not NULL). */
static received_cmd *take_unanswered(fake_qmp *f, const char *name)
{
    for (GList *l = f->unanswered.head; l; l = l->next) {
        received_cmd *r = l->data;
        if (!name || strcmp(r->name, name) == 0) {
            g_queue_delete_link(&f->unanswered, l);
            return r;
        }
    }
    return NULL;
}

/* Send reply (taken) to the oldest unanswered command (named name). */
static void send_reply(fake_qmp *f, const char *name, json_object *reply)
{
    received_cmd *r = take_unanswered(f, name);

    if (!r) {
        problem(f, "no unanswered command%s%s to reply to", name ? " " : "", name ? name : "");
    } else {
        if (r->id && !json_object_object_get_ex(reply, "id", NULL))
            json_object_object_add(reply, "id", json_object_get(r->id));
        send_json(f, reply);
    }
    received_free(r);
    json_object_put(reply);
}

/* Answer the most recently received command with an error (it was unexpected). */
static void refuse(fake_qmp *f, const char *name)
{
    json_object *reply = json_object_new_object(), *err = json_object_new_object();
    g_autofree char *desc = g_strdup_printf("fake-qmp: unexpected command '%s'", name);

    json_object_object_add(err, "class", json_object_new_string("GenericError"));
    json_object_object_add(err, "desc", json_object_new_string(desc));
    json_object_object_add(reply, "error", err);
    GList *last = f->unanswered.tail;
    received_cmd *r = last->data;
    g_queue_delete_link(&f->unanswered, last);
    if (r->id)
        json_object_object_add(reply, "id", json_object_get(r->id));
    send_json(f, reply);
    json_object_put(reply);
    received_free(r);
}

static void json_put(gpointer obj)
{
    json_object_put(obj);
}

static GPtrArray *wants_new(void)
{
    return g_ptr_array_new_with_free_func(json_put);
}

/* Does cmd satisfy the expectation want (both {"execute", "arguments"?})? */
static bool matches(json_object *want, json_object *cmd)
{
    json_object *we, *ce, *wa, *ca = NULL;

    json_object_object_get_ex(want, "execute", &we);
    json_object_object_get_ex(cmd, "execute", &ce);
    if (strcmp(json_object_get_string(we), json_object_get_string(ce)) != 0)
        return false;
    if (!json_object_object_get_ex(want, "arguments", &wa))
        return true;
    json_object_object_get_ex(cmd, "arguments", &ca);
    return json_object_equal(wa, ca);
}

/* Expect the commands in wants (taken), in any order. false at EOF. */
static bool expect(fake_qmp *f, GPtrArray *wants)
{
    while (wants->len) {
        json_object *cmd = read_command(f), *exe;
        if (!cmd) {
            problem(f, "connection ended while waiting for %s",
                    json_object_to_json_string(wants->pdata[0]));
            g_ptr_array_unref(wants);
            return false;
        }
        guint i;
        for (i = 0; i < wants->len && !matches(wants->pdata[i], cmd); i++)
            ;
        if (i < wants->len) {
            g_ptr_array_remove_index(wants, i);
        } else {
            json_object_object_get_ex(cmd, "execute", &exe);
            problem(f, "expected %s, got %s", json_object_to_json_string(wants->pdata[0]),
                    json_object_to_json_string(cmd));
            refuse(f, json_object_get_string(exe));
        }
        json_object_put(cmd);
    }
    g_ptr_array_unref(wants);
    return true;
}

static json_object *parse_or_complain(fake_qmp *f, const char *text)
{
    json_object *obj = parse_deep(text);
    if (!obj || !json_object_is_type(obj, json_type_object)) {
        problem(f, "script: not a JSON object: %s", text);
        json_object_put(obj);
        return NULL;
    }
    return obj;
}

static void send_message(fake_qmp *f, json_object *msg)
{
    if (json_object_object_get_ex(msg, "return", NULL) ||
        json_object_object_get_ex(msg, "error", NULL)) {
        send_reply(f, NULL, msg);
        return;
    }
    if (json_object_object_get_ex(msg, "event", NULL) &&
        !json_object_object_get_ex(msg, "timestamp", NULL)) {
        gint64 now = g_get_real_time();
        json_object *ts = json_object_new_object();
        json_object_object_add(ts, "seconds", json_object_new_int64(now / G_USEC_PER_SEC));
        json_object_object_add(ts, "microseconds", json_object_new_int64(now % G_USEC_PER_SEC));
        json_object_object_add(msg, "timestamp", ts);
    }
    send_json(f, msg);
    json_object_put(msg);
}

static void send_huge(fake_qmp *f, long bytes)
{
    received_cmd *r = take_unanswered(f, NULL);
    if (!r) {
        problem(f, "huge: no unanswered command");
        return;
    }
    GString *s = g_string_sized_new(bytes + 64);
    g_string_append(s, "{\"return\": \"");
    for (long i = 0; i < bytes; i++)
        g_string_append_c(s, 'x');
    g_string_append_printf(s, "\", \"id\": %s}\r\n",
                           r->id ? json_object_to_json_string(r->id) : "null");
    send_text(f, s->str);
    g_string_free(s, TRUE);
    received_free(r);
}

static void close_conn(fake_qmp *f)
{
    if (f->conn_fd >= 0)
        close(f->conn_fd);
    f->conn_fd = -1;
}

/* Run one "! directive"; false ends the script. *i may advance (unordered). */
static bool run_directive(fake_qmp *f, char **lines, guint *i)
{
    const char *d = lines[*i] + 1;
    while (*d == ' ')
        d++;
    const char *sp = strchr(d, ' ');
    g_autofree char *verb = sp ? g_strndup(d, (gsize)(sp - d)) : g_strdup(d);
    g_autofree char *rest = g_strstrip(g_strdup(sp ? sp + 1 : ""));

    if (strcmp(verb, "handshake") == 0) {
        GPtrArray *wants = wants_new();
        g_ptr_array_add(wants, json_tokener_parse("{\"execute\": \"qmp_capabilities\"}"));
        if (!expect(f, wants))
            return false;
        send_reply(f, NULL, json_tokener_parse("{\"return\": {}}"));
    } else if (strcmp(verb, "answer") == 0) {
        char *space = strchr(rest, ' ');
        json_object *msg = space ? parse_or_complain(f, space + 1) : NULL;
        if (msg) {
            *space = 0;
            send_reply(f, rest, msg);
        }
    } else if (strcmp(verb, "unordered") == 0) {
        GPtrArray *wants = wants_new();
        for (long n = atol(rest); n > 0 && lines[*i + 1]; n--) {
            json_object *want = parse_or_complain(f, lines[++*i] + 1);
            if (want)
                g_ptr_array_add(wants, want);
        }
        return expect(f, wants);
    } else if (strcmp(verb, "huge") == 0) {
        send_huge(f, atol(rest));
    } else if (strcmp(verb, "raw") == 0) {
        g_autofree char *text = g_strdup_printf("%s\n", rest);
        send_text(f, text);
    } else if (strcmp(verb, "delay") == 0) {
        return wait_fd(f, -1, atoi(rest));
    } else if (strcmp(verb, "close") == 0) {
        close_conn(f);
        return false;
    } else if (strcmp(verb, "greeting") != 0 && strcmp(verb, "no-greeting") != 0 &&
               strcmp(verb, "listen-after") != 0) {
        problem(f, "script: unknown directive '%s'", verb);
    }
    return true;
}

/* Run the script's lines on the connection; false when it closed the connection
 * or the connection ended. */
static bool run_script(fake_qmp *f)
{
    for (guint i = 0; f->lines[i]; i++) {
        const char *line = f->lines[i];
        bool go = true;

        if (line[0] == '>') {
            json_object *want = parse_or_complain(f, line + 1);
            GPtrArray *wants = wants_new();
            if (want)
                g_ptr_array_add(wants, want);
            go = expect(f, wants);
        } else if (line[0] == '<') {
            json_object *msg = parse_or_complain(f, line + 1);
            if (msg)
                send_message(f, msg);
        } else if (line[0] == '!') {
            go = run_directive(f, f->lines, &i);
        } else {
            problem(f, "script: cannot understand '%s'", line);
        }
        if (!go)
            return false;
    }
    return true;
}

/* After the script: refuse whatever comes until the client closes. */
static void drain(fake_qmp *f)
{
    json_object *cmd, *exe;

    while ((cmd = read_command(f))) {
        json_object_object_get_ex(cmd, "execute", &exe);
        problem(f, "command after the end of the script: %s", json_object_to_json_string(cmd));
        refuse(f, json_object_get_string(exe));
        json_object_put(cmd);
    }
}

static bool make_listener(fake_qmp *f)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    g_strlcpy(addr.sun_path, f->path, sizeof(addr.sun_path));
    unlink(f->path);
    f->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (f->listen_fd < 0 || bind(f->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        listen(f->listen_fd, 4) < 0) {
        problem(f, "cannot listen on %s: %s", f->path, g_strerror(errno));
        return false;
    }
    return true;
}

/* The value of directive name among the script's leading directives, or NULL. */
static const char *leading(fake_qmp *f, const char *name)
{
    size_t len = strlen(name);

    for (guint i = 0; f->lines[i] && f->lines[i][0] == '!'; i++) {
        const char *d = f->lines[i] + 1;
        while (*d == ' ')
            d++;
        if (strncmp(d, name, len) == 0 && (d[len] == ' ' || d[len] == 0))
            return d + len + (d[len] == ' ');
    }
    return NULL;
}

static void serve(fake_qmp *f)
{
    const char *after = leading(f, "listen-after"), *greeting = leading(f, "greeting");

    if (after) {
        if (!wait_fd(f, -1, atoi(after)) || !make_listener(f))
            return;
    }
    if (!wait_fd(f, f->listen_fd, -1))
        return;
    f->conn_fd = accept4(f->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (f->conn_fd < 0) {
        problem(f, "accept: %s", g_strerror(errno));
        return;
    }
    if (!leading(f, "no-greeting")) {
        g_autofree char *text = g_strdup_printf("%s\r\n", greeting ? greeting : DEFAULT_GREETING);
        send_text(f, text);
    }
    if (run_script(f))
        drain(f);
}

static gpointer thread_main(gpointer data)
{
    fake_qmp *f = data;

    serve(f);
    close_conn(f);
    g_mutex_lock(&f->lock);
    f->finished = true;
    g_cond_broadcast(&f->cond);
    g_mutex_unlock(&f->lock);
    return NULL;
}

/* Keep the script's meaningful lines, trimmed. */
static char **script_lines(const char *script)
{
    g_auto(GStrv) all = g_strsplit(script, "\n", -1);
    GPtrArray *keep = g_ptr_array_new();

    for (guint i = 0; all[i]; i++) {
        char *line = g_strstrip(all[i]);
        if (*line && *line != '#')
            g_ptr_array_add(keep, g_strdup(line));
    }
    g_ptr_array_add(keep, NULL);
    return (char **)g_ptr_array_free(keep, FALSE);
}

fake_qmp *fake_qmp_start(const char *socket_path, const char *script)
{
    fake_qmp *f = g_new0(fake_qmp, 1);

    f->path = g_strdup(socket_path);
    f->lines = script_lines(script);
    f->listen_fd = f->conn_fd = -1;
    g_mutex_init(&f->lock);
    g_cond_init(&f->cond);
    f->problems = g_string_new(NULL);
    f->in = g_string_new(NULL);
    g_queue_init(&f->unanswered);
    if (!g_unix_open_pipe(f->wake, FD_CLOEXEC, NULL))
        abort();
    if (!leading(f, "listen-after"))
        make_listener(f);
    f->thread = g_thread_new("fake-qmp", thread_main, f);
    return f;
}

fake_qmp *fake_qmp_start_file(const char *socket_path, const char *script_path)
{
    g_autofree char *text = NULL;

    if (!g_file_get_contents(script_path, &text, NULL, NULL)) {
        fake_qmp *f = fake_qmp_start(socket_path, "! close");
        problem(f, "cannot read script %s", script_path);
        return f;
    }
    return fake_qmp_start(socket_path, text);
}

bool fake_qmp_wait(fake_qmp *f, int timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

    g_mutex_lock(&f->lock);
    while (!f->finished && g_cond_wait_until(&f->cond, &f->lock, deadline))
        ;
    bool ok = f->finished && f->problems->len == 0;
    if (!f->finished)
        g_string_append(f->problems, "the script did not finish in time\n");
    g_mutex_unlock(&f->lock);
    return ok;
}

const char *fake_qmp_problems(fake_qmp *f)
{
    return f->problems->str;
}

unsigned int fake_qmp_commands_received(fake_qmp *f)
{
    g_mutex_lock(&f->lock);
    unsigned int n = f->received;
    g_mutex_unlock(&f->lock);
    return n;
}

void fake_qmp_free(fake_qmp *f)
{
    if (!f)
        return;
    if (write(f->wake[1], "x", 1) < 0)
        abort();
    g_thread_join(f->thread);
    if (f->listen_fd >= 0)
        close(f->listen_fd);
    close(f->wake[0]);
    close(f->wake[1]);
    unlink(f->path);
    while (!g_queue_is_empty(&f->unanswered))
        received_free(g_queue_pop_head(&f->unanswered));
    g_string_free(f->in, TRUE);
    g_string_free(f->problems, TRUE);
    g_strfreev(f->lines);
    g_mutex_clear(&f->lock);
    g_cond_clear(&f->cond);
    g_free(f->path);
    g_free(f);
}
