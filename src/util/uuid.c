/* UUIDs: generate, parse the usual textual forms, format. */
#include "util/uuid.h"

#include <stdio.h>
#include <sys/random.h>
#include <string.h>
#include <glib.h>

void uuid_generate(unsigned char ret_uuid[UUID_LEN])
{
    size_t got = 0;

    while (got < UUID_LEN) {
        ssize_t n = getrandom(ret_uuid + got, UUID_LEN - got, 0);
        if (n > 0)
            got += (size_t)n;
    }
    ret_uuid[6] = (ret_uuid[6] & 0x0f) | 0x40;  /* version 4 */
    ret_uuid[8] = (ret_uuid[8] & 0x3f) | 0x80;  /* RFC 4122 variant */
}

bool uuid_parse(const char *text, unsigned char ret_uuid[UUID_LEN])
{
    unsigned char out[UUID_LEN];
    int n = 0;
    const char *p = text;

    if (!p)
        return false;
    while (g_ascii_isspace(*p))
        p++;
    while (n < UUID_LEN) {
        int hi, lo;
        if (*p == '-' || *p == ' ') {
            p++;
            continue;
        }
        hi = g_ascii_xdigit_value(p[0]);
        lo = hi < 0 ? -1 : g_ascii_xdigit_value(p[1]);
        if (lo < 0)
            return false;
        out[n++] = (unsigned char)(hi << 4 | lo);
        p += 2;
    }
    while (*p) {
        if (!g_ascii_isspace(*p))
            return false;
        p++;
    }
    memcpy(ret_uuid, out, UUID_LEN);
    return true;
}

void uuid_format(const unsigned char uuid[UUID_LEN], char ret_text[UUID_STRING_LEN])
{
    snprintf(ret_text, UUID_STRING_LEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7],
             uuid[8], uuid[9], uuid[10], uuid[11], uuid[12], uuid[13], uuid[14], uuid[15]);
}

unsigned int uuid_hash(const void *key)
{
    unsigned int h;

    memcpy(&h, (const unsigned char *)key + UUID_LEN - sizeof(h), sizeof(h));
    return h;
}

int uuid_equal(const void *a, const void *b)
{
    return memcmp(a, b, UUID_LEN) == 0;
}
