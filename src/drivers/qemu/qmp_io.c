/* QMP client I/O: the reader thread (lines, greeting, replies, events) and sending a
 * command and waiting for its reply. */
#include "drivers/qemu/qmp_priv.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include "util/error.h"

#define READ_CHUNK 65536
#define MAX_LINE (512u * 1024 * 1024)     /* json-c takes int lengths */
#define EXCERPT 80

static GPrivate reader_of = G_PRIVATE_INIT(NULL);   /* the client a reader thread serves */

bool qmp_client_on_reader_thread(qmp_client *client)
{
    return g_private_get(&reader_of) == client;
}

static void take_greeting(qmp_client *c, json_object *qmp)
{
    json_object *version = qemu_json_get(qmp, "version");
    json_object *qemu = qemu_json_get(version, "qemu");
    const char *package = qemu_json_get_string(version, "package");

    g_mutex_lock(&c->lock);
    c->version = (unsigned int)(qemu_json_get_u64(qemu, "major") * 1000000 +
                                qemu_json_get_u64(qemu, "minor") * 1000 +
                                qemu_json_get_u64(qemu, "micro"));
    if (package) {
        g_free(c->package);
        c->package = g_strdup(package);
    }
    c->greeted = true;
    g_cond_broadcast(&c->cond);
    g_mutex_unlock(&c->lock);
}

static void take_event(qmp_client *c, json_object *msg, json_object *name)
{
    json_object *ts = qemu_json_get(msg, "timestamp");
    gint64 when = (gint64)qemu_json_get_u64(ts, "seconds") * G_USEC_PER_SEC +
                  (gint64)qemu_json_get_u64(ts, "microseconds");

    qmp_client_dispatch_event(c, json_object_get_string(name), qemu_json_get(msg, "data"), when);
}

/* A reply: to the call with its id or, without an id (QEMU could not parse the
 * command), to the oldest call, since QEMU answers in order. Unknown ids and
 * replies nobody waits for are dropped. */
static void take_reply(qmp_client *c, json_object *msg)
{
    json_object *id;
    qmp_pending *p = NULL;

    g_mutex_lock(&c->lock);
    if (json_object_object_get_ex(msg, "id", &id)) {
        if (json_object_is_type(id, json_type_string))
            p = g_hash_table_lookup(c->pending, json_object_get_string(id));
    } else {
        p = g_queue_peek_head(&c->order);
    }
    if (p) {
        g_hash_table_remove(c->pending, p->id);
        g_queue_remove(&c->order, p);
        if (p->abandoned) {
            qmp_pending_free(p);
        } else {
            p->reply = json_object_get(msg);
            p->done = true;
            g_cond_broadcast(&c->cond);
        }
    }
    g_mutex_unlock(&c->lock);
}

/* Parse one line; false (with *why set) when it is not a JSON object. */
static bool handle_line(qmp_client *c, const char *line, size_t len, char **why)
{
    while (len && g_ascii_isspace(line[len - 1]))
        len--;
    if (len == 0)
        return true;

    json_object *msg = qemu_json_parse(line, (int)len);
    if (!msg || !json_object_is_type(msg, json_type_object)) {
        g_autofree char *excerpt = g_strndup(line, MIN(len, EXCERPT));
        *why = g_strdup_printf("malformed data from qemu monitor: '%s%s'", excerpt,
                               len > EXCERPT ? "..." : "");
        json_object_put(msg);
        return false;
    }

    json_object *v;
    if (json_object_object_get_ex(msg, "event", &v))
        take_event(c, msg, v);
    else if (json_object_object_get_ex(msg, "return", NULL) ||
             json_object_object_get_ex(msg, "error", NULL))
        take_reply(c, msg);
    else if (json_object_object_get_ex(msg, "QMP", &v))
        take_greeting(c, v);
    json_object_put(msg);
    return true;
}

/* Handle every complete line in buf from *scan on; keep the incomplete rest. */
static bool handle_lines(qmp_client *c, GByteArray *buf, size_t *scan, char **why)
{
    size_t start = 0;

    for (;;) {
        char *nl = memchr(buf->data + *scan, '\n', buf->len - *scan);
        if (!nl)
            break;
        size_t end = (size_t)((guint8 *)nl - buf->data);
        if (!handle_line(c, (const char *)buf->data + start, end - start, why))
            return false;
        start = end + 1;
        *scan = start;
    }
    if (start)
        g_byte_array_remove_range(buf, 0, start);
    *scan = buf->len;
    if (buf->len > MAX_LINE) {
        *why = g_strdup_printf("reply from qemu monitor larger than %u bytes", MAX_LINE);
        return false;
    }
    return true;
}

/* Read until EOF or a fatal error; returns why the connection ended. */
static char *read_loop(qmp_client *c)
{
    g_autoptr(GByteArray) buf = g_byte_array_new();
    size_t scan = 0;
    char *why = NULL;

    for (;;) {
        struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
        if (poll(&pfd, 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            return g_strdup_printf("Unable to poll the monitor: %s", g_strerror(errno));
        }
        guint old = buf->len;
        g_byte_array_set_size(buf, old + READ_CHUNK);
        ssize_t n = recv(c->fd, buf->data + old, READ_CHUNK, 0);
        int err = errno;
        g_byte_array_set_size(buf, old + (n > 0 ? (guint)n : 0));
        if (n < 0 && (err == EINTR || err == EAGAIN || err == EWOULDBLOCK))
            continue;
        /* QEMU 7.2 often ends with a reset rather than a clean EOF after "quit". */
        if (n == 0 || (n < 0 && err == ECONNRESET))
            return g_strdup("End of file from qemu monitor");
        if (n < 0)
            return g_strdup_printf("Unable to read from monitor: %s", g_strerror(err));
        if (!handle_lines(c, buf, &scan, &why))
            return why;
    }
}

gpointer qmp_reader_main(gpointer client)
{
    qmp_client *c = client;

    g_private_set(&reader_of, c);
    g_autofree char *why = read_loop(c);
    /* A fatal protocol error leaves the socket open: close it so QEMU sees it. */
    shutdown(c->fd, SHUT_RDWR);
    qmp_client_mark_closed(c, VIR_ERR_INTERNAL_ERROR, why);
    qmp_client_notify_closed(c);
    qmp_client_unref(c);
    g_private_set(&reader_of, NULL);
    return NULL;
}

/* Write all of text, waiting for room until deadline. 0, or -1 with errno set
 * (ETIMEDOUT when the deadline passed). */
static int write_all(int fd, const char *text, size_t len, gint64 deadline)
{
    while (len) {
        ssize_t n = send(fd, text, len, MSG_NOSIGNAL);
        if (n > 0) {
            text += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return -1;
        gint64 left = deadline == G_MAXINT64 ? -1 : (deadline - g_get_monotonic_time()) / 1000;
        if (deadline != G_MAXINT64 && left <= 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        struct pollfd pfd = { .fd = fd, .events = POLLOUT };
        poll(&pfd, 1, left > G_MAXINT ? G_MAXINT : (int)left);
    }
    return 0;
}

static char *command_text(const char *command, json_object *args, const char *id)
{
    g_autoptr(json_object) msg = json_object_new_object();

    json_object_object_add(msg, "execute", json_object_new_string(command));
    if (args)
        json_object_object_add(msg, "arguments", json_object_get(args));
    json_object_object_add(msg, "id", json_object_new_string(id));
    return g_strdup_printf("%s\n", json_object_to_json_string_ext(
        msg, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* Register a call and put it on the wire; NULL with an error reported. */
static qmp_pending *send_command(qmp_client *c, const char *command, json_object *args,
                                 gint64 deadline)
{
    qmp_pending *p = g_new0(qmp_pending, 1);

    g_mutex_lock(&c->write_lock);
    g_mutex_lock(&c->lock);
    if (c->closed) {
        qmp_client_report_closed_locked(c);
        g_mutex_unlock(&c->lock);
        g_mutex_unlock(&c->write_lock);
        g_free(p);
        return NULL;
    }
    p->id = g_strdup_printf("virtmoment-%" G_GUINT64_FORMAT, ++c->next_id);
    p->command = g_strdup(command);
    g_hash_table_insert(c->pending, p->id, p);
    g_queue_push_tail(&c->order, p);
    g_mutex_unlock(&c->lock);

    g_autofree char *text = command_text(command, args, p->id);
    int rc = write_all(c->fd, text, strlen(text), deadline);
    int err = errno;
    g_mutex_unlock(&c->write_lock);
    if (rc == 0)
        return p;

    /* A partly written command would corrupt the stream: the connection is lost.
     * A peer that went away is reported like the reader reports it. */
    g_autofree char *why = NULL;
    if (err == ETIMEDOUT)
        why = g_strdup("QEMU monitor stopped reading commands");
    else if (err == EPIPE || err == ECONNRESET)
        why = g_strdup("End of file from qemu monitor");
    else
        why = g_strdup_printf("Unable to write to monitor: %s", g_strerror(err));
    qmp_client_mark_closed(c, VIR_ERR_INTERNAL_ERROR, why);
    shutdown(c->fd, SHUT_RDWR);
    if (err == ETIMEDOUT)
        error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_TIMEOUT,
                     "cannot send QEMU command '%s': the monitor stopped reading", command);
    else
        qmp_client_report_closed(c);
    /* mark_closed took p out of the tables and completed it. */
    qmp_pending_free(p);
    return NULL;
}

/* Wait for p's reply until deadline. */
static json_object *wait_reply(qmp_client *c, qmp_pending *p, gint64 deadline, int timeout_ms)
{
    json_object *reply = NULL;

    g_mutex_lock(&c->lock);
    while (!p->done) {
        if (deadline == G_MAXINT64)
            g_cond_wait(&c->cond, &c->lock);
        else if (!g_cond_wait_until(&c->cond, &c->lock, deadline))
            break;
    }
    if (!p->done) {
        /* Left registered so that its late reply is recognised and dropped. */
        p->abandoned = true;
        error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_TIMEOUT,
                     "no reply from QEMU to command '%s' within %d ms", p->command, timeout_ms);
        g_mutex_unlock(&c->lock);
        return NULL;
    }
    reply = g_steal_pointer(&p->reply);
    if (!reply)
        qmp_client_report_closed_locked(c);
    g_mutex_unlock(&c->lock);
    qmp_pending_free(p);
    return reply;
}

json_object *qmp_client_exchange(qmp_client *client, const char *command, json_object *args,
                                 int timeout_ms)
{
    if (qmp_client_on_reader_thread(client)) {
        error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                     "QEMU command '%s' issued from a monitor event callback", command);
        return NULL;
    }
    qmp_client_ref(client);
    timeout_ms = qmp_client_resolve_timeout(client, timeout_ms);

    gint64 deadline = qmp_deadline(timeout_ms);
    json_object *reply = NULL;
    qmp_pending *p = send_command(client, command, args, deadline);
    if (p)
        reply = wait_reply(client, p, deadline, timeout_ms);
    qmp_client_unref(client);
    return reply;
}
