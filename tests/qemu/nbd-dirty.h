/* An NBD client for pull backups (libnbd): the dirty extents an export's
 * qemu:dirty-bitmap context reports, and copying exactly those extents into a local
 * file at the same offsets (what an incremental pull backup client does). */
#pragma once

#include <fcntl.h>
#include <stdbool.h>
#include <unistd.h>
#include <glib.h>
#include <libnbd.h>

#define NBD_CHUNK (4u << 20)

typedef struct {
    unsigned long long offset, length;
} nbd_extent;

typedef struct {
    GArray *extents;       /* nbd_extent, merged */
    const char *context;
    uint64_t covered;      /* the end of what the last reply described */
} nbd_map;

static int nbd_map_cb(void *opaque, const char *metacontext, uint64_t offset, uint32_t *entries,
                      size_t n, int *error)
{
    nbd_map *m = opaque;

    if (strcmp(metacontext, m->context) != 0)
        return 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        if (entries[i + 1] & 1) {
            nbd_extent *last = m->extents->len ? &g_array_index(m->extents, nbd_extent, m->extents->len - 1) : NULL;
            if (last && last->offset + last->length == offset)
                last->length += entries[i];
            else
                g_array_append_val(m->extents, ((nbd_extent){ offset, entries[i] }));
        }
        offset += entries[i];
    }
    m->covered = offset;
    return 0;
}

/* A connected handle for uri asking for context (NULL: none); tls_dir: client
 * certificates (ca-cert.pem, client-cert.pem, client-key.pem), NULL for none. */
static inline struct nbd_handle *nbd_open_export(const char *uri, const char *context, const char *tls_dir,
                                                 char **ret_err)
{
    struct nbd_handle *h = nbd_create();

    if (!h || (context && nbd_add_meta_context(h, context) < 0) ||
        (tls_dir && (nbd_set_tls(h, LIBNBD_TLS_REQUIRE) < 0 || nbd_set_tls_certificates(h, tls_dir) < 0)) ||
        nbd_connect_uri(h, uri) < 0) {
        *ret_err = g_strdup(nbd_get_error());
        if (h)
            nbd_close(h);
        return NULL;
    }
    return h;
}

/* The dirty extents of an open export (1 GiB per block-status request). */
static inline GArray *nbd_dirty_extents(struct nbd_handle *h, const char *context, char **ret_err)
{
    int64_t size = nbd_get_size(h);
    nbd_map m = { g_array_new(FALSE, FALSE, sizeof(nbd_extent)), context, 0 };
    uint64_t offset = 0;

    if (size < 0 || nbd_can_meta_context(h, context) != 1) {
        *ret_err = g_strdup_printf("no context '%s': %s", context, nbd_get_error() ? nbd_get_error() : "");
        g_array_unref(m.extents);
        return NULL;
    }
    while (offset < (uint64_t)size) {
        uint64_t count = MIN((uint64_t)size - offset, 1ULL << 30);
        m.covered = offset;
        if (nbd_block_status(h, count, offset,
                             (nbd_extent_callback){ .callback = nbd_map_cb, .user_data = &m }, 0) < 0) {
            *ret_err = g_strdup(nbd_get_error());
            g_array_unref(m.extents);
            return NULL;
        }
        if (m.covered <= offset) {
            *ret_err = g_strdup("the server described nothing");
            g_array_unref(m.extents);
            return NULL;
        }
        offset = m.covered;   /* a reply may describe less than asked */
    }
    return m.extents;
}

/* Copy the dirty extents of uri's export into out (which must exist: the previous
 * full copy). *ret_bytes: how much was read. */
static inline int nbd_copy_dirty(const char *uri, const char *context, const char *tls_dir, const char *out,
                                 unsigned long long *ret_bytes, unsigned int *ret_extents, char **ret_err)
{
    struct nbd_handle *h = nbd_open_export(uri, context, tls_dir, ret_err);
    g_autoptr(GArray) ext = NULL;
    g_autofree char *chunk = g_malloc(NBD_CHUNK);
    unsigned long long bytes = 0;
    int fd, rc = 0;

    if (!h)
        return -1;
    if (!(ext = nbd_dirty_extents(h, context, ret_err)) || (fd = open(out, O_WRONLY)) < 0) {
        if (ext && !*ret_err)
            *ret_err = g_strdup_printf("cannot open '%s'", out);
        nbd_close(h);
        return -1;
    }
    for (guint i = 0; i < ext->len && rc == 0; i++) {
        const nbd_extent *e = &g_array_index(ext, nbd_extent, i);
        for (unsigned long long off = e->offset; off < e->offset + e->length && rc == 0; off += NBD_CHUNK) {
            size_t n = (size_t)MIN((unsigned long long)NBD_CHUNK, e->offset + e->length - off);
            if (nbd_pread(h, chunk, n, off, 0) < 0) {
                *ret_err = g_strdup(nbd_get_error());
                rc = -1;
            } else if (pwrite(fd, chunk, n, (off_t)off) != (ssize_t)n) {
                *ret_err = g_strdup_printf("cannot write '%s'", out);
                rc = -1;
            }
            bytes += n;
        }
    }
    close(fd);
    nbd_shutdown(h, 0);
    nbd_close(h);
    *ret_bytes = bytes;
    *ret_extents = ext->len;
    return rc;
}
