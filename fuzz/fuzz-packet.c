/* Fuzz target for the packet decoder: a byte stream is cut into packets, each is
 * decoded as every layout its procedure may have (args, ret, error); whatever
 * decodes must encode, and decode again to the same bytes. Built as a libFuzzer
 * target with clang (-Dfuzzing=true), and always as a replay of fuzz/corpus. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "rpc/rpc_packet.h"
#include "rpc/rpc_protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const rpc_header *h, const rpc_struct *t, const uint8_t *payload, size_t len)
{
    g_autofree void *obj = g_malloc0(t ? t->size : 1);
    g_autofree void *again = g_malloc0(t ? t->size : 1);
    g_autoptr(GByteArray) a = NULL;
    g_autoptr(GByteArray) b = NULL;

    if (!t || !rpc_decode_payload(t, payload, len, obj))
        return;
    a = rpc_packet_build(h, t, obj);
    rpc_free(t, obj);
    if (!a)
        abort();                        /* what decoded must encode */
    if (!rpc_decode_payload(t, a->data + 28, a->len - 28, again))
        abort();
    b = rpc_packet_build(h, t, again);
    rpc_free(t, again);
    if (!b || b->len != a->len || memcmp(a->data, b->data, a->len) != 0)
        abort();
}

static void packet(const uint8_t *pkt, size_t len)
{
    rpc_header h;
    const rpc_proc_info *info;

    if (!rpc_packet_header(pkt, len, &h))
        return;
    round_trip(&h, &remote_error_type, pkt + 28, len - 28);
    if (!(info = rpc_proc_lookup(h.proc)))
        return;
    round_trip(&h, info->args, pkt + 28, len - 28);
    round_trip(&h, info->ret, pkt + 28, len - 28);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rpc_reader r;
    size_t done = 0;

    rpc_reader_init(&r);
    while (done < size) {
        size_t room;
        uint8_t *at = rpc_reader_space(&r, &room);
        size_t take = MIN(room, size - done);
        const uint8_t *pkt;
        size_t len;
        int rc;
        memcpy(at, data + done, take);
        rpc_reader_commit(&r, take);
        done += take;
        while ((rc = rpc_reader_next(&r, &pkt, &len)) == 1)
            packet(pkt, len);
        if (rc < 0)
            break;
    }
    rpc_reader_clear(&r);
    return 0;
}
