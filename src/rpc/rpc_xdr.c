/* XDR (RFC 4506) primitives on memory buffers, bounded as libvirt bounds them. */
#include "rpc/rpc_xdr.h"

#include <string.h>

static const uint8_t zeros[4];

static size_t pad4(size_t n)
{
    return (4 - (n & 3)) & 3;
}

void xdr_enc_init(xdr_enc *e, GByteArray *out, size_t limit)
{
    e->out = out;
    e->limit = limit;
    e->failed = false;
}

static void put(xdr_enc *e, const void *data, size_t n)
{
    if (e->failed)
        return;
    if (e->out->len + n > e->limit) {
        e->failed = true;
        return;
    }
    g_byte_array_append(e->out, data, (guint)n);
}

void xdr_put_u32(xdr_enc *e, uint32_t v)
{
    uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };
    put(e, b, 4);
}

void xdr_put_i32(xdr_enc *e, int32_t v)
{
    xdr_put_u32(e, (uint32_t)v);
}

void xdr_put_u64(xdr_enc *e, uint64_t v)
{
    xdr_put_u32(e, (uint32_t)(v >> 32));
    xdr_put_u32(e, (uint32_t)v);
}

void xdr_put_i64(xdr_enc *e, int64_t v)
{
    xdr_put_u64(e, (uint64_t)v);
}

void xdr_put_double(xdr_enc *e, double v)
{
    uint64_t bits;

    memcpy(&bits, &v, sizeof(bits));
    xdr_put_u64(e, bits);
}

void xdr_put_fixed(xdr_enc *e, const void *data, size_t n)
{
    put(e, data, n);
    put(e, zeros, pad4(n));
}

void xdr_put_bytes(xdr_enc *e, const void *data, size_t n, size_t max)
{
    if (n > max || n > UINT32_MAX) {
        e->failed = true;
        return;
    }
    xdr_put_u32(e, (uint32_t)n);
    xdr_put_fixed(e, data, n);
}

void xdr_put_string(xdr_enc *e, const char *s, size_t max)
{
    xdr_put_bytes(e, s, strlen(s), max);
}

void xdr_dec_init(xdr_dec *d, const void *data, size_t len)
{
    d->p = data;
    d->len = len;
    d->pos = 0;
    d->failed = false;
}

static const uint8_t *take(xdr_dec *d, size_t n)
{
    const uint8_t *at;

    if (d->failed || d->len - d->pos < n) {
        d->failed = true;
        return NULL;
    }
    at = d->p + d->pos;
    d->pos += n;
    return at;
}

bool xdr_get_u32(xdr_dec *d, uint32_t *ret_v)
{
    const uint8_t *b = take(d, 4);

    if (!b)
        return false;
    *ret_v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    return true;
}

bool xdr_get_i32(xdr_dec *d, int32_t *ret_v)
{
    uint32_t v;

    if (!xdr_get_u32(d, &v))
        return false;
    *ret_v = (int32_t)v;
    return true;
}

bool xdr_get_u64(xdr_dec *d, uint64_t *ret_v)
{
    uint32_t hi, lo;

    if (!xdr_get_u32(d, &hi) || !xdr_get_u32(d, &lo))
        return false;
    *ret_v = (uint64_t)hi << 32 | lo;
    return true;
}

bool xdr_get_i64(xdr_dec *d, int64_t *ret_v)
{
    uint64_t v;

    if (!xdr_get_u64(d, &v))
        return false;
    *ret_v = (int64_t)v;
    return true;
}

bool xdr_get_double(xdr_dec *d, double *ret_v)
{
    uint64_t bits;

    if (!xdr_get_u64(d, &bits))
        return false;
    memcpy(ret_v, &bits, sizeof(bits));
    return true;
}

bool xdr_get_fixed(xdr_dec *d, void *buf, size_t n)
{
    const uint8_t *b = take(d, n);

    if (!b || !take(d, pad4(n)))
        return false;
    memcpy(buf, b, n);
    return true;
}

bool xdr_get_string(xdr_dec *d, size_t max, char **ret_s)
{
    uint32_t n;
    const uint8_t *b;
    char *s;

    if (!xdr_get_u32(d, &n))
        return false;
    if (n > max) {
        d->failed = true;
        return false;
    }
    b = take(d, n);
    if (!b || !take(d, pad4(n)))
        return false;
    s = g_malloc(n + 1);
    memcpy(s, b, n);
    s[n] = '\0';
    *ret_s = s;
    return true;
}

bool xdr_get_count(xdr_dec *d, uint32_t max, size_t min_size, uint32_t *ret_n)
{
    uint32_t n;

    if (!xdr_get_u32(d, &n))
        return false;
    if (n > max || (min_size && n > (d->len - d->pos) / min_size)) {
        d->failed = true;
        return false;
    }
    *ret_n = n;
    return true;
}

bool xdr_get_bool(xdr_dec *d, bool *ret_b)
{
    uint32_t v;

    if (!xdr_get_u32(d, &v))
        return false;
    if (v > 1) {
        d->failed = true;
        return false;
    }
    *ret_b = v == 1;
    return true;
}

bool xdr_dec_done(const xdr_dec *d)
{
    return !d->failed && d->pos == d->len;
}
