/* Packet framing of libvirt's remote protocol (rpc_packet.h). */
#include "rpc/rpc_packet.h"

#include <string.h>

#define READ_CHUNK 65536

GByteArray *rpc_packet_build(const rpc_header *h, const rpc_struct *t, const void *obj)
{
    GByteArray *out = g_byte_array_sized_new(256);
    xdr_enc e;
    uint32_t len;

    xdr_enc_init(&e, out, RPC_LEN_WORD + RPC_MESSAGE_MAX);
    xdr_put_u32(&e, 0);
    xdr_put_u32(&e, h->prog);
    xdr_put_u32(&e, h->vers);
    xdr_put_i32(&e, h->proc);
    xdr_put_i32(&e, h->type);
    xdr_put_u32(&e, h->serial);
    xdr_put_i32(&e, h->status);
    if (!rpc_encode(&e, t, obj)) {
        g_byte_array_unref(out);
        return NULL;
    }
    len = out->len;
    out->data[0] = len >> 24;
    out->data[1] = len >> 16;
    out->data[2] = len >> 8;
    out->data[3] = len;
    return out;
}

bool rpc_packet_header(const uint8_t *pkt, size_t len, rpc_header *ret_h)
{
    xdr_dec d;
    uint32_t declared;
    rpc_header h;

    if (len < RPC_LEN_WORD + RPC_HEADER_LEN)
        return false;
    xdr_dec_init(&d, pkt, RPC_LEN_WORD + RPC_HEADER_LEN);
    xdr_get_u32(&d, &declared);
    xdr_get_u32(&d, &h.prog);
    xdr_get_u32(&d, &h.vers);
    xdr_get_i32(&d, &h.proc);
    xdr_get_i32(&d, &h.type);
    xdr_get_u32(&d, &h.serial);
    xdr_get_i32(&d, &h.status);
    if (d.failed || declared != len)
        return false;
    *ret_h = h;
    return true;
}

GByteArray *rpc_packet_keepalive(int proc)
{
    rpc_header h = { RPC_PROGRAM_KEEPALIVE, RPC_PROTOCOL_VERSION, proc, RPC_MESSAGE, 0,
                     RPC_STATUS_OK };
    return rpc_packet_build(&h, NULL, NULL);
}

bool rpc_header_is_keepalive(const rpc_header *h, int proc)
{
    return h->prog == RPC_PROGRAM_KEEPALIVE && h->vers == RPC_PROTOCOL_VERSION &&
           h->proc == proc && h->type == RPC_MESSAGE;
}

void rpc_reader_init(rpc_reader *r)
{
    memset(r, 0, sizeof(*r));
}

void rpc_reader_clear(rpc_reader *r)
{
    g_free(r->buf);
    memset(r, 0, sizeof(*r));
}

static uint32_t peek_len(const rpc_reader *r)
{
    const uint8_t *b = r->buf + r->start;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint8_t *rpc_reader_space(rpc_reader *r, size_t *ret_room)
{
    size_t want = READ_CHUNK;

    /* Room for the whole packet being read, when its length is known and sane. */
    if (r->end - r->start >= RPC_LEN_WORD) {
        uint32_t len = peek_len(r);
        if (len >= RPC_LEN_WORD + RPC_HEADER_LEN && len - RPC_LEN_WORD <= RPC_MESSAGE_MAX &&
            len > r->end - r->start)
            want = MAX(want, len - (r->end - r->start));
    }
    if (r->start == r->end) {
        r->start = r->end = 0;
        if (r->cap > 4 * READ_CHUNK) {    /* give back what a large packet took */
            g_free(r->buf);
            r->buf = NULL;
            r->cap = 0;
        }
    } else if (r->start > 0 && r->cap - r->end < want) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->cap - r->end < want) {
        r->cap = r->end + want;
        r->buf = g_realloc(r->buf, r->cap);
    }
    *ret_room = r->cap - r->end;
    return r->buf + r->end;
}

void rpc_reader_commit(rpc_reader *r, size_t n)
{
    r->end += n;
}

int rpc_reader_next(rpc_reader *r, const uint8_t **ret_pkt, size_t *ret_len)
{
    uint32_t len;

    if (r->end - r->start < RPC_LEN_WORD)
        return 0;
    len = peek_len(r);
    if (len < RPC_LEN_WORD + RPC_HEADER_LEN || len - RPC_LEN_WORD > RPC_MESSAGE_MAX)
        return -1;
    if (r->end - r->start < len)
        return 0;
    *ret_pkt = r->buf + r->start;
    *ret_len = len;
    r->start += len;
    return 1;
}
