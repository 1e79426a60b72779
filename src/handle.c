/* The refcounted handles the public API hands out (connection, domain, snapshot,
 * checkpoint). */
#include "handle.h"

#include <string.h>
#include "driver.h"
#include "util/error.h"

enum {
    MAGIC_CONNECT = 0x4d43u,
    MAGIC_DOMAIN = 0x4d44u,
    MAGIC_SNAPSHOT = 0x4d53u,
    MAGIC_CHECKPOINT = 0x4d4bu,
    MAGIC_DEAD = 0xdeadu,
};

virConnectPtr handle_connect_new(const char *uri, unsigned int flags)
{
    virConnectPtr conn = g_new0(virConnect, 1);

    conn->magic = MAGIC_CONNECT;
    conn->refs = 1;
    conn->uri = g_strdup(uri);
    conn->flags = flags;
    g_mutex_init(&conn->lock);
    return conn;
}

/* Handles are allocated with their name right behind them: one allocation each,
 * not zeroed (the constructors set every field). */
static void *alloc_named(size_t size, const char *name, char **ret_name)
{
    size_t len = strlen(name) + 1;
    char *p = g_malloc(size + len);

    *ret_name = memcpy(p + size, name, len);
    return p;
}

virDomainPtr handle_domain_new(virConnectPtr conn, const char *name,
                               const unsigned char uuid[UUID_LEN], int id)
{
    char *copy;
    virDomainPtr d = alloc_named(sizeof(virDomain), name, &copy);

    d->magic = MAGIC_DOMAIN;
    d->refs = 1;
    handle_connect_ref(conn);
    d->conn = conn;
    d->name = copy;
    memcpy(d->uuid, uuid, UUID_LEN);
    d->id = id;
    return d;
}

virDomainSnapshotPtr handle_snapshot_new(virDomainPtr domain, const char *name)
{
    char *copy;
    virDomainSnapshotPtr s = alloc_named(sizeof(virDomainSnapshot), name, &copy);

    s->magic = MAGIC_SNAPSHOT;
    s->refs = 1;
    handle_domain_ref(domain);
    s->domain = domain;
    s->name = copy;
    s->block = NULL;
    return s;
}

virDomainCheckpointPtr handle_checkpoint_new(virDomainPtr domain, const char *name)
{
    char *copy;
    virDomainCheckpointPtr c = alloc_named(sizeof(virDomainCheckpoint), name, &copy);

    c->magic = MAGIC_CHECKPOINT;
    c->refs = 1;
    handle_domain_ref(domain);
    c->domain = domain;
    c->name = copy;
    c->block = NULL;
    return c;
}

struct handle_block {
    gint live;                 /* handles of the block not yet freed */
};

/* Snapshot and checkpoint handles have the same layout. */
typedef struct {
    unsigned int magic;
    gint refs;
    virDomainPtr domain;
    char *name;
    handle_block *block;
} moment_handle;

G_STATIC_ASSERT(sizeof(moment_handle) == sizeof(virDomainSnapshot));
G_STATIC_ASSERT(sizeof(moment_handle) == sizeof(virDomainCheckpoint));

/* One allocation: the block header, n handles, then their names. */
typedef struct {
    handle_block head;
    moment_handle handles[];   /* aligned as handles must be */
} block_layout;

static moment_handle *moment_list_new(virDomainPtr domain, const char *const *names, size_t n,
                                      unsigned int magic)
{
    size_t bytes = sizeof(block_layout) + n * sizeof(moment_handle);
    block_layout *block;
    moment_handle *h;
    char *p;

    for (size_t i = 0; i < n; i++)
        bytes += strlen(names[i]) + 1;
    block = g_malloc(bytes);
    block->head.live = (gint)n;
    h = block->handles;
    p = (char *)(h + n);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]) + 1;
        h[i] = (moment_handle){ magic, 1, domain, memcpy(p, names[i], len), &block->head };
        p += len;
    }
    g_atomic_int_add(&domain->refs, (gint)n);
    return h;
}

virDomainSnapshotPtr *handle_snapshot_list_new(virDomainPtr domain, const char *const *names, size_t n)
{
    virDomainSnapshotPtr *out = g_new(virDomainSnapshotPtr, n + 1);
    moment_handle *h = n ? moment_list_new(domain, names, n, MAGIC_SNAPSHOT) : NULL;

    for (size_t i = 0; i < n; i++)
        out[i] = (virDomainSnapshotPtr)&h[i];
    out[n] = NULL;
    return out;
}

virDomainCheckpointPtr *handle_checkpoint_list_new(virDomainPtr domain, const char *const *names,
                                                   size_t n)
{
    virDomainCheckpointPtr *out = g_new(virDomainCheckpointPtr, n + 1);
    moment_handle *h = n ? moment_list_new(domain, names, n, MAGIC_CHECKPOINT) : NULL;

    for (size_t i = 0; i < n; i++)
        out[i] = (virDomainCheckpointPtr)&h[i];
    out[n] = NULL;
    return out;
}

/* Release a snapshot or checkpoint handle's memory. */
static void moment_handle_release(moment_handle *h)
{
    h->magic = MAGIC_DEAD;
    if (!h->block)
        g_free(h);
    else if (g_atomic_int_dec_and_test(&h->block->live))
        g_free(h->block);
}

bool handle_connect_valid(virConnectPtr conn)
{
    return conn && conn->magic == MAGIC_CONNECT && g_atomic_int_get(&conn->refs) > 0;
}

bool handle_domain_valid(virDomainPtr d)
{
    return d && d->magic == MAGIC_DOMAIN && g_atomic_int_get(&d->refs) > 0 &&
           handle_connect_valid(d->conn);
}

bool handle_snapshot_valid(virDomainSnapshotPtr s)
{
    return s && s->magic == MAGIC_SNAPSHOT && g_atomic_int_get(&s->refs) > 0 &&
           handle_domain_valid(s->domain);
}

bool handle_checkpoint_valid(virDomainCheckpointPtr c)
{
    return c && c->magic == MAGIC_CHECKPOINT && g_atomic_int_get(&c->refs) > 0 &&
           handle_domain_valid(c->domain);
}

void handle_connect_ref(virConnectPtr conn)
{
    g_atomic_int_inc(&conn->refs);
}

int handle_connect_unref(virConnectPtr conn)
{
    int left = g_atomic_int_add(&conn->refs, -1) - 1;

    if (left > 0)
        return left;
    if (conn->driver && conn->driver->connect_close) {
        /* The driver's close must not clobber the caller's error. */
        virErrorPtr saved = error_save();
        conn->driver->connect_close(conn);
        error_restore(&saved);
    }
    if (conn->close_free)
        conn->close_free(conn->close_opaque);
    error_clear(&conn->error);
    g_mutex_clear(&conn->lock);
    g_free(conn->uri);
    conn->magic = MAGIC_DEAD;
    g_free(conn);
    return 0;
}

void handle_domain_ref(virDomainPtr d)
{
    g_atomic_int_inc(&d->refs);
}

void handle_domain_unref(virDomainPtr d)
{
    if (!d || !g_atomic_int_dec_and_test(&d->refs))
        return;
    handle_connect_unref(d->conn);
    d->magic = MAGIC_DEAD;
    g_free(d);
}

void handle_snapshot_ref(virDomainSnapshotPtr s)
{
    g_atomic_int_inc(&s->refs);
}

void handle_snapshot_unref(virDomainSnapshotPtr s)
{
    if (!s || !g_atomic_int_dec_and_test(&s->refs))
        return;
    handle_domain_unref(s->domain);
    moment_handle_release((moment_handle *)s);
}

void handle_checkpoint_ref(virDomainCheckpointPtr c)
{
    g_atomic_int_inc(&c->refs);
}

void handle_checkpoint_unref(virDomainCheckpointPtr c)
{
    if (!c || !g_atomic_int_dec_and_test(&c->refs))
        return;
    handle_domain_unref(c->domain);
    moment_handle_release((moment_handle *)c);
}

void handle_domain_list_free(virDomainPtr *list)
{
    for (size_t i = 0; list && list[i]; i++)
        handle_domain_unref(list[i]);
    g_free(list);
}

void handle_snapshot_list_free(virDomainSnapshotPtr *list)
{
    for (size_t i = 0; list && list[i]; i++)
        handle_snapshot_unref(list[i]);
    g_free(list);
}

void handle_checkpoint_list_free(virDomainCheckpointPtr *list)
{
    for (size_t i = 0; list && list[i]; i++)
        handle_checkpoint_unref(list[i]);
    g_free(list);
}
