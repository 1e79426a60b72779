/* XDR (RFC 4506) encoding into and decoding from memory, with the limits libvirt's
 * remote protocol sets: big-endian words, padded strings, counted arrays. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#define XDR_STRING_MAX 4194304u      /* REMOTE_STRING_MAX */

/* An encoder appends to a byte array; once a limit is exceeded it stays failed and
 * appends nothing more. */
typedef struct {
    GByteArray *out;
    size_t limit;            /* the most bytes out may hold */
    bool failed;
} xdr_enc;

/* A decoder reads a buffer it does not own; the first failure sticks. */
typedef struct {
    const uint8_t *p;
    size_t len;
    size_t pos;
    bool failed;
} xdr_dec;

void xdr_enc_init(xdr_enc *e, GByteArray *out, size_t limit);
void xdr_put_u32(xdr_enc *e, uint32_t v);
void xdr_put_i32(xdr_enc *e, int32_t v);
void xdr_put_u64(xdr_enc *e, uint64_t v);
void xdr_put_i64(xdr_enc *e, int64_t v);
void xdr_put_double(xdr_enc *e, double v);
/* Bytes without a length word, padded to a multiple of 4 (fixed opaque). */
void xdr_put_fixed(xdr_enc *e, const void *data, size_t n);
/* A length word, the bytes, the padding (variable opaque). Fails over max. */
void xdr_put_bytes(xdr_enc *e, const void *data, size_t n, size_t max);
/* A string (s must not be NULL); fails over max bytes. */
void xdr_put_string(xdr_enc *e, const char *s, size_t max);

void xdr_dec_init(xdr_dec *d, const void *data, size_t len);
bool xdr_get_u32(xdr_dec *d, uint32_t *ret_v);
bool xdr_get_i32(xdr_dec *d, int32_t *ret_v);
bool xdr_get_u64(xdr_dec *d, uint64_t *ret_v);
bool xdr_get_i64(xdr_dec *d, int64_t *ret_v);
bool xdr_get_double(xdr_dec *d, double *ret_v);
bool xdr_get_fixed(xdr_dec *d, void *buf, size_t n);
/* A string of at most max bytes, NUL-terminated in a new allocation (g_free). */
bool xdr_get_string(xdr_dec *d, size_t max, char **ret_s);
/* An array's count: at most max, and each element needs at least min_size bytes
 * of what is left, so a lying count cannot make the caller allocate much. */
bool xdr_get_count(xdr_dec *d, uint32_t max, size_t min_size, uint32_t *ret_n);
/* An optional's marker (0 or 1; anything else fails). */
bool xdr_get_bool(xdr_dec *d, bool *ret_b);
/* Whether every byte was consumed without failure. */
bool xdr_dec_done(const xdr_dec *d);
