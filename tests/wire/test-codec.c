/* The codec's limits and the framing's defences: over-long strings and arrays,
 * lying counts, truncated payloads, bad optionals and typed parameters, length
 * words out of bounds (4 GiB included), packets split at every byte. */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include "rpc/rpc_packet.h"
#include "rpc/rpc_protocol.h"

static int passed, failed;

#define CHECK(cond) do { \
    if (cond) passed++; \
    else { failed++; printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

static GByteArray *words(const uint32_t *w, size_t n)
{
    GByteArray *b = g_byte_array_new();
    xdr_enc e;

    xdr_enc_init(&e, b, 1u << 30);
    for (size_t i = 0; i < n; i++)
        xdr_put_u32(&e, w[i]);
    return b;
}

static void test_strings(void)
{
    char *big = g_malloc(XDR_STRING_MAX + 2);
    rpc_domain_get_xml_desc_ret r = { big };
    g_autoptr(GByteArray) out = g_byte_array_new();
    xdr_enc e;
    uint32_t lie[] = { XDR_STRING_MAX + 1 };
    g_autoptr(GByteArray) in = words(lie, 1);
    rpc_domain_get_xml_desc_ret back;

    memset(big, 'x', XDR_STRING_MAX + 1);
    big[XDR_STRING_MAX + 1] = '\0';
    xdr_enc_init(&e, out, 1u << 30);
    CHECK(!rpc_encode(&e, &rpc_domain_get_xml_desc_ret_type, &r));
    big[XDR_STRING_MAX] = '\0';
    g_byte_array_set_size(out, 0);
    xdr_enc_init(&e, out, 1u << 30);
    CHECK(rpc_encode(&e, &rpc_domain_get_xml_desc_ret_type, &r));
    CHECK(rpc_decode_payload(&rpc_domain_get_xml_desc_ret_type, out->data, out->len, &back));
    CHECK(strlen(back.xml) == XDR_STRING_MAX);
    rpc_free(&rpc_domain_get_xml_desc_ret_type, &back);
    CHECK(!rpc_decode_payload(&rpc_domain_get_xml_desc_ret_type, in->data, in->len, &back));
    /* A message too large as a whole: nine 4 MiB strings. */
    {
        char *names[9];
        rpc_domain_snapshot_list_names_ret lr = { { 9, names } };
        rpc_header h = { RPC_PROGRAM_REMOTE, 1, RPC_PROC_DOMAIN_SNAPSHOT_LIST_NAMES, RPC_REPLY, 0, 0 };
        for (int i = 0; i < 9; i++)
            names[i] = big;
        CHECK(rpc_packet_build(&h, &rpc_domain_snapshot_list_names_ret_type, &lr) == NULL);
    }
    g_free(big);
}

static void test_arrays(void)
{
    /* 16385 domains is one over the limit; 1000000 with no data must not allocate. */
    uint32_t over[] = { 16385 }, lying[] = { 1000000, 0, 0 };
    g_autoptr(GByteArray) a = words(over, 1);
    g_autoptr(GByteArray) b = words(lying, 3);
    rpc_connect_list_all_domains_ret r;
    uint32_t auth[] = { 21 };
    g_autoptr(GByteArray) c = words(auth, 1);
    rpc_auth_list_ret ar;

    CHECK(!rpc_decode_payload(&rpc_connect_list_all_domains_ret_type, a->data, a->len, &r));
    CHECK(!rpc_decode_payload(&rpc_connect_list_all_domains_ret_type, b->data, b->len, &r));
    CHECK(!rpc_decode_payload(&rpc_auth_list_ret_type, c->data, c->len, &ar));
}

static void test_payloads(void)
{
    /* CONNECT_OPEN: optional marker 2 is invalid; truncated string; trailing bytes. */
    uint32_t badopt[] = { 2, 0 }, trunc[] = { 1, 8, 0x71656d75 }, trailing[] = { 0, 0, 7 };
    uint32_t tp_bad_type[] = { 1, 1, 0x61000000, 99, 0 };
    uint32_t tp_long[] = { 1, 80 };
    g_autoptr(GByteArray) x = words(badopt, 2);
    g_autoptr(GByteArray) y = words(trunc, 3);
    g_autoptr(GByteArray) z = words(trailing, 3);
    g_autoptr(GByteArray) t = words(tp_bad_type, 5);
    g_autoptr(GByteArray) l = g_byte_array_new();
    rpc_connect_open_args o;
    rpc_domain_event_callback_job_completed_msg m;
    rpc_domain_get_job_stats_ret js;

    CHECK(!rpc_decode_payload(&rpc_connect_open_args_type, x->data, x->len, &o));
    CHECK(!rpc_decode_payload(&rpc_connect_open_args_type, y->data, y->len, &o));
    CHECK(!rpc_decode_payload(&rpc_connect_open_args_type, z->data, z->len, &o));
    CHECK(!rpc_decode_payload(&rpc_domain_get_job_stats_ret_type, t->data, t->len, &js));
    /* A typed parameter's name of 80 bytes does not fit virTypedParameter.field. */
    g_byte_array_append(l, (const guint8 *)"\0\0\0\0\0\0\0\1\0\0\0\x50", 12);
    for (int i = 0; i < 80; i++)
        g_byte_array_append(l, (const guint8 *)"a", 1);
    g_byte_array_append(l, (const guint8 *)"\0\0\0\1\0\0\0\1", 8);
    CHECK(!rpc_decode_payload(&rpc_domain_get_job_stats_ret_type, l->data, l->len, &js));
    (void)m;
    (void)tp_long;
}

static int feed(rpc_reader *r, const void *data, size_t n, int *ret_packets)
{
    const uint8_t *p = data;
    size_t done = 0;

    while (done < n) {
        size_t room;
        uint8_t *at = rpc_reader_space(r, &room);
        size_t take = MIN(room, n - done);
        const uint8_t *pkt;
        size_t len;
        int rc;
        memcpy(at, p + done, take);
        rpc_reader_commit(r, take);
        done += take;
        while ((rc = rpc_reader_next(r, &pkt, &len)) == 1)
            (*ret_packets)++;
        if (rc < 0)
            return -1;
    }
    return 0;
}

static void test_framing(void)
{
    rpc_reader r;
    int n = 0;
    uint8_t huge[] = { 0xff, 0xff, 0xff, 0xff }, tiny[] = { 0, 0, 0, 27 }, over[] = { 2, 0, 0, 5 };
    g_autoptr(GByteArray) ping = rpc_packet_keepalive(RPC_KEEPALIVE_PING);
    rpc_header h;

    rpc_reader_init(&r);
    CHECK(feed(&r, huge, 4, &n) < 0);
    rpc_reader_clear(&r);
    rpc_reader_init(&r);
    CHECK(feed(&r, tiny, 4, &n) < 0);
    rpc_reader_clear(&r);
    rpc_reader_init(&r);
    CHECK(feed(&r, over, 4, &n) < 0);       /* 32 MiB + 5 */
    rpc_reader_clear(&r);
    /* Three PINGs, one byte at a time. */
    rpc_reader_init(&r);
    n = 0;
    for (int k = 0; k < 3; k++)
        for (guint i = 0; i < ping->len; i++)
            feed(&r, ping->data + i, 1, &n);
    CHECK(n == 3);
    rpc_reader_clear(&r);
    CHECK(ping->len == 28);
    CHECK(rpc_packet_header(ping->data, ping->len, &h) && rpc_header_is_keepalive(&h, RPC_KEEPALIVE_PING));
    CHECK(!rpc_packet_header(ping->data, ping->len - 1, &h));
}

int main(void)
{
    test_strings();
    test_arrays();
    test_payloads();
    test_framing();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
