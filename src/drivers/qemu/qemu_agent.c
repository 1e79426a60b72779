/* The QEMU guest agent, as far as snapshots need it: connect to the channel's
 * socket, synchronise (guest-sync with a fresh id), freeze or thaw the guest's file
 * systems. Every read has a deadline, so a guest without an agent fails cleanly. */
#include "drivers/qemu/qemu_agent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "drivers/qemu/qemu_json.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU
#define DEFAULT_TIMEOUT_MS 5000

typedef struct {
    int fd;
    GString *in;
    gint64 deadline;        /* monotonic, microseconds */
} agent;

static int timeout_ms(void)
{
    const char *env = g_getenv("VIRTMOMENT_AGENT_TIMEOUT_MS");
    int ms = env ? atoi(env) : 0;

    return ms > 0 ? ms : DEFAULT_TIMEOUT_MS;
}

static void unresponsive(void)
{
    error_report(FROM, VIR_ERR_AGENT_UNRESPONSIVE, "%s", "QEMU guest agent is not connected");
}

static const domain_chr_def *channel(const domain_def *def)
{
    const domain_chr_def *chr = domain_find_guest_agent(def);

    return chr && chr->type == DOMAIN_CHR_UNIX && chr->source_path ? chr : NULL;
}

bool qemu_agent_configured(const domain_def *def)
{
    return channel(def) != NULL;
}

static int agent_connect(agent *a, const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    if (strlen(path) >= sizeof(addr.sun_path)) {
        unresponsive();
        return -1;
    }
    strcpy(addr.sun_path, path);
    a->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (a->fd < 0 || connect(a->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        unresponsive();
        return -1;
    }
    return 0;
}

static int send_line(agent *a, const char *text)
{
    size_t len = strlen(text), done = 0;

    while (done < len) {
        ssize_t n = send(a->fd, text + done, len - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            unresponsive();
            return -1;
        }
        done += (size_t)n;
    }
    return 0;
}

/* The next JSON object the agent sends, within the deadline; NULL with an error. */
static json_object *read_reply(agent *a)
{
    for (;;) {
        char *nl = memchr(a->in->str, '\n', a->in->len);
        struct pollfd p = { a->fd, POLLIN, 0 };
        char chunk[4096];
        gint64 left;
        ssize_t n;

        if (nl) {
            size_t len = (size_t)(nl - a->in->str);
            json_object *obj = qemu_json_parse(a->in->str, (int)len);
            g_string_erase(a->in, 0, (gssize)len + 1);
            if (obj)
                return obj;
            continue;   /* a partial line after a resync byte: skip it */
        }
        left = (a->deadline - g_get_monotonic_time()) / 1000;
        if (left <= 0 || poll(&p, 1, (int)left) <= 0 || (n = recv(a->fd, chunk, sizeof(chunk), 0)) <= 0) {
            unresponsive();
            return NULL;
        }
        g_string_append_len(a->in, chunk, n);
    }
}

/* Send command and wait for its "return" (new reference) or report its "error". */
static json_object *call(agent *a, const char *command, json_object *args)
{
    g_autoptr(json_object) msg = json_object_new_object();
    g_autofree char *text = NULL;

    json_object_object_add(msg, "execute", json_object_new_string(command));
    if (args)
        json_object_object_add(msg, "arguments", json_object_get(args));
    text = g_strconcat(json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN), "\n", NULL);
    if (send_line(a, text) < 0)
        return NULL;
    for (;;) {
        g_autoptr(json_object) reply = read_reply(a);
        json_object *ret, *err;
        if (!reply)
            return NULL;
        if ((err = qemu_json_get(reply, "error"))) {
            const char *desc = qemu_json_get_string(err, "desc");
            error_report(FROM, VIR_ERR_INTERNAL_ERROR, "unable to execute QEMU agent command '%s': %s",
                         command, desc ? desc : "unknown error");
            return NULL;
        }
        if ((ret = qemu_json_get(reply, "return")))
            return json_object_get(ret);
    }
}

/* guest-sync with a fresh id: replies to earlier, abandoned commands are skipped. */
static int sync_agent(agent *a)
{
    g_autoptr(json_object) args = json_object_new_object();
    gint64 id = g_random_int_range(1, G_MAXINT32);

    json_object_object_add(args, "id", json_object_new_int64(id));
    for (;;) {
        g_autoptr(json_object) ret = call(a, "guest-sync", args);
        if (!ret)
            return -1;
        if (json_object_get_int64(ret) == id)
            return 0;
    }
}

int qemu_agent_fsfreeze(const domain_def *def, bool freeze, int *ret_count)
{
    const domain_chr_def *chr = channel(def);
    agent a = { -1, g_string_new(NULL), g_get_monotonic_time() + (gint64)timeout_ms() * 1000 };
    g_autoptr(json_object) ret = NULL;
    int rc = -1;

    if (!chr) {
        error_report(FROM, VIR_ERR_ARGUMENT_UNSUPPORTED, "%s", "QEMU guest agent is not configured");
        g_string_free(a.in, TRUE);
        return -1;
    }
    if (agent_connect(&a, chr->source_path) == 0 && sync_agent(&a) == 0 &&
        (ret = call(&a, freeze ? "guest-fsfreeze-freeze" : "guest-fsfreeze-thaw", NULL))) {
        if (ret_count)
            *ret_count = json_object_get_int(ret);
        rc = 0;
    }
    if (a.fd >= 0)
        close(a.fd);
    g_string_free(a.in, TRUE);
    return rc;
}
