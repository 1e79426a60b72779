/* Replays recorded QEMU 7.2 QMP transcripts (`> command` / `< reply or event` lines)
 * through the QMP client against the fake monitor: every command must get exactly
 * the recorded reply and the listener the recorded events, in order.
 * Arguments: transcript files or directories of *.jsonl / *.qmp files; a missing
 * directory is skipped (the shared reference transcripts may be absent). */
#include "drivers/qemu/qmp.h"
#include "fake-qmp.h"
#include "qemu-test.h"

static char *sock;
static int replayed;

typedef struct {
    GMutex lock;
    GString *events;
} recorder;

static void rec_event(qmp_client *c, const char *name, json_object *data, gint64 ts, void *opaque)
{
    recorder *r = opaque;
    g_mutex_lock(&r->lock);
    g_string_append_printf(r->events, "%s ", name);
    g_mutex_unlock(&r->lock);
}

static const qmp_listener rec_ops = { rec_event, NULL };

/* The transcript's line i as JSON when it starts with mark, else NULL. QEMU's
 * replies nest deeper than json-c's default limit. */
static json_object *line_json(char **lines, guint i, char mark)
{
    if (lines[i][0] != mark)
        return NULL;
    json_tokener *tok = json_tokener_new_ex(1024);
    json_object *obj = json_tokener_parse_ex(tok, lines[i] + 1, -1);
    json_tokener_free(tok);
    return obj;
}

static bool is_reply(json_object *msg)
{
    return msg && (json_object_object_get_ex(msg, "return", NULL) ||
                   json_object_object_get_ex(msg, "error", NULL));
}

/* Call cmd and compare with the recorded reply; false on a difference. */
static bool replay_command(qmp_client *c, json_object *cmd, json_object *reply)
{
    json_object *exe, *args = NULL, *want, *err, *desc;
    g_autoptr(json_object) got = NULL;

    json_object_object_get_ex(cmd, "execute", &exe);
    json_object_object_get_ex(cmd, "arguments", &args);
    int rc = qmp_call(c, json_object_get_string(exe), args, 10000, &got);
    if (json_object_object_get_ex(reply, "return", &want)) {
        if (rc == 0 && json_object_equal(got, want))
            return true;
        printf("  %s: got %s\n", json_object_to_json_string(cmd),
               rc == 0 ? json_object_to_json_string(got) : last_message());
        return false;
    }
    json_object_object_get_ex(reply, "error", &err);
    json_object_object_get_ex(err, "desc", &desc);
    if (rc < 0 && qmp_last_error_desc() &&
        strcmp(qmp_last_error_desc(), json_object_get_string(desc)) == 0)
        return true;
    printf("  %s: expected error '%s', got '%s'\n", json_object_to_json_string(cmd),
           json_object_get_string(desc), rc < 0 ? last_message() : "success");
    return false;
}

/* Send every recorded command after the first (qmp_capabilities, sent by
 * qmp_client_open); collect the recorded events' names. */
static bool replay_lines(qmp_client *c, char **lines, GString *events)
{
    bool ok = true, first = true;

    for (guint i = 0; lines[i]; i++) {
        g_autoptr(json_object) ev = line_json(lines, i, '<');
        json_object *name;
        if (ev && json_object_object_get_ex(ev, "event", &name))
            g_string_append_printf(events, "%s ", json_object_get_string(name));
        g_autoptr(json_object) cmd = line_json(lines, i, '>');
        if (!cmd)
            continue;
        if (first) {
            first = false;
            continue;
        }
        guint j = i + 1;
        json_object *reply = NULL;
        for (; lines[j] && !reply; j++) {
            reply = line_json(lines, j, '<');
            if (!is_reply(reply))
                g_clear_pointer(&reply, json_object_put);
        }
        ok = ok && reply && replay_command(c, cmd, reply);
        json_object_put(reply);
    }
    return ok;
}

/* The recorder truncated long replies ("...[truncated N chars]"): drop each
 * command whose reply does not parse, with that reply. Returns how many. */
static guint drop_truncated(char **lines)
{
    guint last_cmd = 0, dropped = 0;

    for (guint i = 0; lines[i]; i++) {
        if (lines[i][0] == '>')
            last_cmd = i;
        if (lines[i][0] != '<')
            continue;
        g_autoptr(json_object) obj = line_json(lines, i, '<');
        if (obj)
            continue;
        g_free(lines[last_cmd]);
        lines[last_cmd] = g_strdup("# dropped: its reply was truncated");
        g_free(lines[i]);
        lines[i] = g_strdup("# dropped: truncated");
        dropped++;
    }
    return dropped;
}

static void replay_file(const char *path)
{
    g_autofree char *text = NULL;
    g_autofree char *base = g_path_get_basename(path);

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        check(path, false);
        return;
    }
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    guint dropped = drop_truncated(lines);
    if (dropped) {
        printf("note %s: %u commands left out, their recorded replies were truncated\n",
               base, dropped);
        g_free(text);
        text = g_strjoinv("\n", lines);
    }
    recorder r = { .events = g_string_new(NULL) };
    g_mutex_init(&r.lock);
    GString *expected = g_string_new(NULL);
    fake_qmp *f = fake_qmp_start(sock, text);
    qmp_client *c = qmp_client_open(sock, &(qmp_open_options){
        .timeout_ms = 5000, .listener = &rec_ops, .listener_opaque = &r });

    g_autofree char *what = g_strdup_printf("%s: every reply as recorded", base);
    check(what, c && replay_lines(c, lines, expected));
    /* Trailing events (SHUTDOWN after quit) may still be on their way. */
    for (int tries = 0; tries < 100; tries++) {
        g_mutex_lock(&r.lock);
        bool all = r.events->len >= expected->len;
        g_mutex_unlock(&r.lock);
        if (all)
            break;
        g_usleep(20000);
    }
    g_free(what);
    what = g_strdup_printf("%s: the recorded events, in order", base);
    check_str(what, r.events->str, expected->str);
    qmp_client_free(c);
    g_free(what);
    what = g_strdup_printf("%s: the fake monitor saw the recorded commands", base);
    if (!check(what, fake_qmp_wait(f, 5000)))
        printf("%s", fake_qmp_problems(f));
    fake_qmp_free(f);
    g_string_free(expected, TRUE);
    g_string_free(r.events, TRUE);
    g_mutex_clear(&r.lock);
    replayed++;
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void replay_path(const char *path)
{
    GDir *dir = g_dir_open(path, 0, NULL);
    const char *name;

    if (!dir) {
        if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
            replay_file(path);
        else
            printf("skip %s (absent)\n", path);
        return;
    }
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    while ((name = g_dir_read_name(dir)))
        if (g_str_has_suffix(name, ".jsonl") || g_str_has_suffix(name, ".qmp"))
            g_ptr_array_add(files, g_build_filename(path, name, NULL));
    g_dir_close(dir);
    g_ptr_array_sort(files, compare_names);
    for (guint i = 0; i < files->len; i++)
        replay_file(files->pdata[i]);
}

int main(int argc, char **argv)
{
    g_autofree char *tmpdir = make_tmpdir("qmp-replay-XXXXXX");
    sock = g_build_filename(tmpdir, "m.qmp", NULL);

    for (int i = 1; i < argc; i++)
        replay_path(argv[i]);
    remove_tree(tmpdir);
    g_free(sock);
    printf("%d transcripts replayed, %d failures\n", replayed, failures);
    if (!replayed)
        return 77;
    return failures ? 1 : 0;
}
