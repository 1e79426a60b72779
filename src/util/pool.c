/* Size-classed records cut from blocks (see pool.h). */
#include "util/pool.h"

#include <string.h>
#include <glib.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(a, n) ASAN_POISON_MEMORY_REGION((a), (n))
#define UNPOISON(a, n) ASAN_UNPOISON_MEMORY_REGION((a), (n))
#else
#define POISON(a, n) ((void)(a), (void)(n))
#define UNPOISON(a, n) ((void)(a), (void)(n))
#endif

#define ALIGN 16
#define BLOCK_BYTES (64 * 1024)
#define NCLASSES (POOL_MAX_RECORD / ALIGN)

typedef struct block block;
struct block {
    block *next;
    size_t used;
    _Alignas(ALIGN) char data[];
};

struct pool {
    block *blocks;                /* the newest first; records are cut from it */
    void *free_lists[NCLASSES];   /* released records, linked through their first word */
};

static size_t rounded(size_t size)
{
    return (MAX(size, sizeof(void *)) + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

pool *pool_new(void)
{
    return g_new0(pool, 1);
}

void pool_free(pool *p)
{
    if (!p)
        return;
    while (p->blocks) {
        block *b = p->blocks;
        p->blocks = b->next;
        UNPOISON(b->data, BLOCK_BYTES);
        g_free(b);
    }
    g_free(p);
}

/* Room for bytes more, in a new block if the current one is full. */
static void *cut(pool *p, size_t bytes)
{
    block *b = p->blocks;
    void *record;

    if (!b || b->used + bytes > BLOCK_BYTES) {
        b = g_malloc(sizeof(block) + BLOCK_BYTES);
        b->next = p->blocks;
        b->used = 0;
        POISON(b->data, BLOCK_BYTES);
        p->blocks = b;
    }
    record = b->data + b->used;
    b->used += bytes;
    return record;
}

void *pool_alloc(pool *p, size_t size)
{
    size_t bytes = rounded(size);
    size_t c = bytes / ALIGN - 1;
    void *record;

    if (bytes > POOL_MAX_RECORD)
        return g_malloc0(size);
    record = p->free_lists[c];
    if (record) {
        UNPOISON(record, bytes);
        p->free_lists[c] = *(void **)record;
    } else {
        record = cut(p, bytes);
        UNPOISON(record, bytes);
    }
    return memset(record, 0, bytes);
}

void pool_release(pool *p, void *record, size_t size)
{
    size_t bytes = rounded(size);
    size_t c = bytes / ALIGN - 1;

    if (!record)
        return;
    if (bytes > POOL_MAX_RECORD) {
        g_free(record);
        return;
    }
    *(void **)record = p->free_lists[c];
    p->free_lists[c] = record;
    /* the link stays readable; the rest is poisoned until handed out again */
    POISON((char *)record + sizeof(void *), bytes - sizeof(void *));
}
