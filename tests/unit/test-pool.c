/* The record pool: aligned and zeroed records, reuse by size class, records too
 * large for it, everything gone with the pool (AddressSanitizer checks the rest). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include "util/pool.h"

static int failures;

static void check(const char *what, bool ok)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok)
        failures++;
}

int main(void)
{
    enum { N = 20000 };
    pool *p = pool_new();
    static char *records[N];
    bool aligned = true, zeroed = true, distinct = true;
    char *reused, *big;

    for (int i = 0; i < N; i++) {
        size_t size = 1 + (size_t)i % 300;     /* some above POOL_MAX_RECORD */
        records[i] = pool_alloc(p, size);
        aligned &= ((uintptr_t)records[i] % 16) == 0;
        for (size_t j = 0; j < size; j++)
            zeroed &= records[i][j] == 0;
        memset(records[i], 0xa5, size);
    }
    check("records are 16-byte aligned", aligned);
    check("records come zeroed", zeroed);
    for (int i = 1; i < N; i++)
        distinct &= records[i] != records[i - 1];
    check("records are distinct", distinct);

    pool_release(p, records[100], 1 + 100 % 300);
    reused = pool_alloc(p, 1 + 100 % 300);
    check("a released record is reused by its size class", reused == records[100]);
    check("and comes zeroed again", reused[0] == 0 && reused[100] == 0);

    big = pool_alloc(p, 4096);    /* through malloc: ASan's leak check sees it go */
    check("a record beyond POOL_MAX_RECORD comes zeroed", big[0] == 0 && big[4095] == 0);
    memset(big, 1, 4096);
    pool_release(p, big, 4096);

    for (int i = 0; i < N; i++)
        if ((1 + (size_t)i % 300) > POOL_MAX_RECORD)
            pool_release(p, records[i], 1 + (size_t)i % 300);
    pool_release(p, NULL, 10);
    pool_free(p);
    pool_free(NULL);
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
