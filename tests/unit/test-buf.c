/* The text buffer: its own integer conversions agree with printf's, other formats
 * fall back to it, escaping, indentation. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "util/buf.h"

static int failures;

static void check(const char *what, const char *got, const char *expected)
{
    bool ok = strcmp(got, expected) == 0;

    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok) {
        printf("  got '%s', expected '%s'\n", got, expected);
        failures++;
    }
}

int main(void)
{
    g_auto_buf b = BUF_INIT;
    char expected[256];

    buf_addf(&b, "%d %d %d %u %x", 0, -1, INT_MIN, UINT_MAX, 0xbeefu);
    snprintf(expected, sizeof(expected), "%d %d %d %u %x", 0, -1, INT_MIN, UINT_MAX, 0xbeefu);
    check("int conversions", buf_peek(&b), expected);
    buf_clear(&b);

    buf_addf(&b, "%ld %lu %lld %llu %llx", LONG_MIN, ULONG_MAX, LLONG_MIN, ULLONG_MAX, 0x1234abcdULL);
    snprintf(expected, sizeof(expected), "%ld %lu %lld %llu %llx", LONG_MIN, ULONG_MAX, LLONG_MIN,
             ULLONG_MAX, 0x1234abcdULL);
    check("long conversions", buf_peek(&b), expected);
    buf_clear(&b);

    buf_addf(&b, "a%sb%%c%05d|%-3s|%.2f", "x", 42, "y", 1.5);
    check("other conversions go to printf whole", buf_peek(&b), "axb%c00042|y  |1.50");
    buf_clear(&b);

    buf_add(&b, "<a>\n");
    buf_escapef(&b, "%s<b v='%s'>%lld</b>\n", "", "<&'\">", -7LL);
    check("escaped arguments", buf_peek(&b), "<a>\n<b v='&lt;&amp;&apos;&quot;&gt;'>-7</b>\n");
    buf_clear(&b);

    buf_set_indent(&b, 2);
    buf_addf(&b, "<x>%d</x>\n<y/>\n", 1);
    buf_reserve(&b, 8192);
    buf_addf(&b, "%s", "");
    buf_add(&b, "<z/>\n");
    check("indentation, reserve, empty adds", buf_peek(&b), "  <x>1</x>\n  <y/>\n  <z/>\n");

    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
