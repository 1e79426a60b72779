/* A pool of small records for one owner that holds thousands of them (a domain's
 * snapshots): records are cut from large blocks in allocation order, a released one
 * is reused by the next of its size class, and all the memory goes with the pool.
 * Packed this way, walking thousands of records touches a few hundred kilobytes
 * instead of records scattered among everything allocated between them. Records
 * of more than POOL_MAX_RECORD bytes come from malloc. Not thread-safe: the owner
 * locks. Under AddressSanitizer, memory not handed out is poisoned. */
#pragma once

#include <stddef.h>

#define POOL_MAX_RECORD 256

typedef struct pool pool;

pool *pool_new(void);
/* Frees every block: records still out become invalid. Accepts NULL. */
void pool_free(pool *p);

/* size bytes, zeroed, 16-byte aligned. */
void *pool_alloc(pool *p, size_t size);
/* Give back a record of size bytes (the size it was allocated with). */
void pool_release(pool *p, void *record, size_t size);
