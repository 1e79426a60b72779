/* The moment store's pack: all moment files of a store in one file (format and
 * rules in qemu_moment_pack.h). */
#include "drivers/qemu/qemu_moment_pack.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "util/error.h"

#define FROM VIR_FROM_QEMU
#define MAGIC "virtmoment-pack 1"
#define TRAILER "end\n"
#define PACK_TMP MOMENT_PACK_FILE ".new"

/* The header's first part: what identifies DIR as it is now. */
static char *header_for(const struct stat *st)
{
    return g_strdup_printf(MAGIC " %ju %jd %ld %jd %ld ", (uintmax_t)st->st_ino,
                           (intmax_t)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
                           (intmax_t)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

/* The whole file, or NULL. */
static char *read_all(int dirfd, const char *name, size_t *ret_len)
{
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
    struct stat st;
    char *data;
    size_t len = 0;

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size > (off_t)(G_MAXSIZE / 2)) {
        close(fd);
        return NULL;
    }
    data = g_malloc((size_t)st.st_size + 1);
    while (len < (size_t)st.st_size) {
        ssize_t n = read(fd, data + len, (size_t)st.st_size - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    if (len != (size_t)st.st_size) {
        g_free(data);
        return NULL;
    }
    data[len] = '\0';
    *ret_len = len;
    return data;
}

/* A decimal number ending in '\n' at *p (before end); *p moves past the '\n'. */
static bool read_number(const char **p, const char *end, size_t *ret)
{
    size_t v = 0;
    const char *q = *p;

    if (q >= end || !g_ascii_isdigit(*q))
        return false;
    for (; q < end && g_ascii_isdigit(*q); q++) {
        if (v > (G_MAXSIZE - 9) / 10)
            return false;
        v = v * 10 + (size_t)(*q - '0');
    }
    if (q >= end || *q != '\n')
        return false;
    *p = q + 1;
    *ret = v;
    return true;
}

static GPtrArray *split(const char *p, const char *end)
{
    g_autoptr(GPtrArray) texts = NULL;
    size_t count;

    if (!read_number(&p, end, &count) || count > (size_t)(end - p))
        return NULL;
    texts = g_ptr_array_new_full((guint)count, g_free);
    for (size_t i = 0; i < count; i++) {
        size_t len;
        if (!read_number(&p, end, &len) || len > (size_t)(end - p) || memchr(p, '\0', len))
            return NULL;
        g_ptr_array_add(texts, g_strndup(p, len));
        p += len;
    }
    if ((size_t)(end - p) != strlen(TRAILER) || memcmp(p, TRAILER, strlen(TRAILER)) != 0)
        return NULL;
    return g_steal_pointer(&texts);
}

GPtrArray *moment_pack_read(int dirfd, const struct stat *dir_st)
{
    size_t len = 0;
    g_autofree char *data = read_all(dirfd, MOMENT_PACK_FILE, &len);
    g_autofree char *header = header_for(dir_st);
    size_t hlen = strlen(header);

    if (!data || len < hlen || memcmp(data, header, hlen) != 0)
        return NULL;
    return split(data + hlen, data + len);
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Write data to name (created or truncated) and fsync it; -1 with errno set. */
static int write_synced(int dirfd, const char *name, const char *data, size_t len)
{
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int e;

    if (fd < 0)
        return -1;
    if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return close(fd);
}

int moment_pack_write(int dirfd, const struct stat *dir_st, const char *const *texts, size_t n)
{
    g_autofree char *header = header_for(dir_st);
    g_autoptr(GString) out = g_string_new(header);

    g_string_append_printf(out, "%zu\n", n);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(texts[i]);
        g_string_append_printf(out, "%zu\n", len);
        g_string_append_len(out, texts[i], (gssize)len);
    }
    g_string_append(out, TRAILER);
    if (write_synced(dirfd, PACK_TMP, out->str, out->len) < 0 ||
        renameat(dirfd, PACK_TMP, dirfd, MOMENT_PACK_FILE) < 0) {
        int e = errno;
        unlinkat(dirfd, PACK_TMP, 0);
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, e, "cannot write '%s'", MOMENT_PACK_FILE);
        return -1;
    }
    return 0;
}

int moment_pack_remove(int dirfd)
{
    int fd;

    if (unlinkat(dirfd, MOMENT_PACK_FILE, 0) < 0) {
        if (errno == ENOENT)
            return 0;
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot remove '%s'", MOMENT_PACK_FILE);
        return -1;
    }
    fd = openat(dirfd, MOMENT_PACK_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot sync '%s'", MOMENT_PACK_DIR);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return 0;
}
