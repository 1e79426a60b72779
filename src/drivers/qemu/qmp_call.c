/* QMP commands: qmp_call and its error mapping, the per-thread last QMP error class,
 * HMP passthrough and simulated guest I/O through HMP qemu-io. */
#include "drivers/qemu/qmp_priv.h"

#include <string.h>
#include "util/error.h"

typedef struct {
    char *klass;
    char *desc;
} last_error;

static void last_error_free(gpointer p)
{
    last_error *e = p;
    g_free(e->klass);
    g_free(e->desc);
    g_free(e);
}

static GPrivate last_error_key = G_PRIVATE_INIT(last_error_free);

static last_error *last_slot(void)
{
    last_error *e = g_private_get(&last_error_key);
    if (!e) {
        e = g_new0(last_error, 1);
        g_private_set(&last_error_key, e);
    }
    return e;
}

static void last_error_set(const char *klass, const char *desc)
{
    last_error *e = last_slot();
    g_free(e->klass);
    g_free(e->desc);
    e->klass = g_strdup(klass);
    e->desc = g_strdup(desc);
}

const char *qmp_last_error_class(void)
{
    last_error *e = g_private_get(&last_error_key);
    return e ? e->klass : NULL;
}

const char *qmp_last_error_desc(void)
{
    last_error *e = g_private_get(&last_error_key);
    return e ? e->desc : NULL;
}

bool qmp_last_error_is(const char *klass)
{
    const char *k = qmp_last_error_class();
    return k && klass && strcmp(k, klass) == 0;
}

/* Report QEMU's error reply as libvirt does. */
static void report_qmp_error(const char *command, json_object *error)
{
    const char *klass = qemu_json_get_string(error, "class");
    const char *desc = qemu_json_get_string(error, "desc");

    last_error_set(klass ? klass : "GenericError", desc ? desc : "");
    error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                 "unable to execute QEMU command '%s': %s", command,
                 desc ? desc : "unknown QEMU command error");
}

int qmp_call(qmp_client *client, const char *command, json_object *args, int timeout_ms,
             json_object **ret_return)
{
    last_error_set(NULL, NULL);

    g_autoptr(json_object) reply = qmp_client_exchange(client, command, args, timeout_ms);
    json_object *error, *ret;

    if (!reply)
        return -1;
    if (json_object_object_get_ex(reply, "error", &error)) {
        report_qmp_error(command, error);
        return -1;
    }
    if (ret_return) {
        json_object_object_get_ex(reply, "return", &ret);
        *ret_return = json_object_get(ret);
    }
    return 0;
}

int qmp_hmp(qmp_client *client, const char *command_line, int timeout_ms, char **ret_output)
{
    g_autoptr(json_object) args = json_object_new_object();
    g_autoptr(json_object) ret = NULL;

    json_object_object_add(args, "command-line", json_object_new_string(command_line));
    if (qmp_call(client, "human-monitor-command", args, timeout_ms, &ret) < 0)
        return -1;
    if (!json_object_is_type(ret, json_type_string)) {
        error_report(VIR_FROM_QEMU, VIR_ERR_INTERNAL_ERROR,
                     "human monitor command '%s' returned no text", command_line);
        return -1;
    }
    if (ret_output)
        *ret_output = g_strdup(json_object_get_string(ret));
    return 0;
}

/* Quote text as one HMP string argument: "..." with \ and " escaped. */
static char *hmp_quote(const char *text)
{
    GString *s = g_string_new("\"");

    for (const char *p = text; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_c(s, '\\');
        g_string_append_c(s, *p);
    }
    g_string_append_c(s, '"');
    return g_string_free(s, FALSE);
}

int qmp_qemu_io(qmp_client *client, const char *device, const char *io_command, int timeout_ms)
{
    g_autofree char *quoted = hmp_quote(io_command);
    g_autofree char *line = g_strdup_printf("qemu-io -d %s %s", device, quoted);
    g_autofree char *out = NULL;

    if (qmp_hmp(client, line, timeout_ms, &out) < 0)
        return -1;
    /* One line for the message, as QEMU may print several. */
    g_strdelimit(out, "\r\n", ' ');
    g_strstrip(out);
    if (*out) {
        error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED,
                     "qemu-io '%s' on '%s' failed: %s", io_command, device, out);
        return -1;
    }
    return 0;
}
