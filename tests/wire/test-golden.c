/* Golden vectors: every packet of the recorded libvirt sessions
 * (../shared/reference/wire-captures/sessions/NN/conn-*.jsonl) decodes with its
 * procedure's layout from api.tbl, consuming every byte, and encodes back to the
 * same bytes. Skipped (77) when the captures are absent. */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <json-c/json.h>
#include "rpc/rpc_packet.h"
#include "rpc/rpc_protocol.h"

static int passed, failed;

static GByteArray *from_hex(const char *hex)
{
    GByteArray *b = g_byte_array_new();
    for (size_t i = 0; hex[i] && hex[i + 1]; i += 2) {
        guint8 v = (guint8)(g_ascii_xdigit_value(hex[i]) << 4 | g_ascii_xdigit_value(hex[i + 1]));
        g_byte_array_append(b, &v, 1);
    }
    return b;
}

static int type_of(const char *name)
{
    return strcmp(name, "CALL") == 0 ? RPC_CALL : strcmp(name, "REPLY") == 0 ? RPC_REPLY
         : strcmp(name, "MESSAGE") == 0 ? RPC_MESSAGE : -1;
}

/* The whole packet as it was on the wire. */
static GByteArray *rebuild(json_object *o)
{
    json_object *v;
    rpc_header h;
    g_autoptr(GByteArray) payload = NULL;
    GByteArray *pkt;

    json_object_object_get_ex(o, "prog", &v);
    h.prog = strcmp(json_object_get_string(v), "REMOTE") == 0 ? RPC_PROGRAM_REMOTE : RPC_PROGRAM_KEEPALIVE;
    json_object_object_get_ex(o, "vers", &v);
    h.vers = (uint32_t)json_object_get_int(v);
    json_object_object_get_ex(o, "proc", &v);
    h.proc = json_object_get_int(v);
    json_object_object_get_ex(o, "type", &v);
    h.type = type_of(json_object_get_string(v));
    json_object_object_get_ex(o, "serial", &v);
    h.serial = (uint32_t)json_object_get_int64(v);
    json_object_object_get_ex(o, "status", &v);
    h.status = strcmp(json_object_get_string(v), "OK") == 0 ? RPC_STATUS_OK : RPC_STATUS_ERROR;
    json_object_object_get_ex(o, "payload_hex", &v);
    payload = from_hex(json_object_get_string(v));
    pkt = rpc_packet_build(&h, NULL, NULL);
    g_byte_array_append(pkt, payload->data, payload->len);
    pkt->data[0] = (guint8)(pkt->len >> 24);
    pkt->data[1] = (guint8)(pkt->len >> 16);
    pkt->data[2] = (guint8)(pkt->len >> 8);
    pkt->data[3] = (guint8)pkt->len;
    return pkt;
}

/* The layout of a packet's payload; false when the table has no such procedure. */
static bool layout(const rpc_header *h, const rpc_struct **ret_t)
{
    const rpc_proc_info *info;

    if (h->prog == RPC_PROGRAM_KEEPALIVE) {
        *ret_t = NULL;
        return true;
    }
    if (!(info = rpc_proc_lookup(h->proc)))
        return false;
    if (h->type == RPC_REPLY && h->status == RPC_STATUS_ERROR)
        *ret_t = &remote_error_type;
    else if (h->type == RPC_REPLY)
        *ret_t = info->ret;
    else
        *ret_t = info->args;
    return true;
}

static void check_packet(const char *where, json_object *o)
{
    g_autoptr(GByteArray) pkt = rebuild(o);
    g_autoptr(GByteArray) again = NULL;
    const rpc_struct *t;
    g_autofree void *obj = NULL;
    rpc_header h;
    const char *why = NULL;

    if (!rpc_packet_header(pkt->data, pkt->len, &h))
        why = "bad header";
    else if (!layout(&h, &t))
        why = "procedure not in api.tbl";
    else if (!(obj = g_malloc0(t ? t->size : 1)) ||
             (t ? !rpc_decode_payload(t, pkt->data + 28, pkt->len - 28, obj) : pkt->len != 28))
        why = "payload does not decode exactly";
    else if (!(again = rpc_packet_build(&h, t, obj)))
        why = "does not encode";
    else if (again->len != pkt->len || memcmp(again->data, pkt->data, pkt->len) != 0)
        why = "re-encoded bytes differ";
    if (obj && t)
        rpc_free(t, obj);
    if (why) {
        printf("FAIL %s proc %d: %s\n", where, h.proc, why);
        failed++;
    } else {
        passed++;
    }
}

static void check_file(const char *path)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        printf("FAIL cannot read %s\n", path);
        failed++;
        return;
    }
    lines = g_strsplit(text, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        json_object *o;
        g_autofree char *where = NULL;
        if (!*lines[i])
            continue;
        where = g_strdup_printf("%s:%zu", path, i + 1);
        if (!(o = json_tokener_parse(lines[i]))) {
            printf("FAIL %s: not JSON\n", where);
            failed++;
            continue;
        }
        check_packet(where, o);
        json_object_put(o);
    }
}

int main(int argc, char **argv)
{
    g_autofree char *pattern = NULL;
    g_autoptr(GDir) top = NULL;
    const char *sessions = argc > 1 ? argv[1] : "../shared/reference/wire-captures/sessions";
    const char *name;

    if (!(top = g_dir_open(sessions, 0, NULL))) {
        printf("%s is absent: skipped\n", sessions);
        return 77;
    }
    while ((name = g_dir_read_name(top))) {
        g_autofree char *dir = g_build_filename(sessions, name, NULL);
        g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
        const char *f;
        while (d && (f = g_dir_read_name(d))) {
            if (g_str_has_suffix(f, ".jsonl")) {
                g_autofree char *path = g_build_filename(dir, f, NULL);
                check_file(path);
            }
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed || !passed ? 1 : 0;
}
