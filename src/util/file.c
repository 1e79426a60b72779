/* Files that are replaced whole and atomically, and names safe to use as file names. */
#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include "util/error.h"

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int fsync_dir(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int ret;

    if (fd < 0)
        return -1;
    ret = fsync(fd);
    close(fd);
    return ret;
}

int file_replace(const char *path, const char *data, size_t len, int mode)
{
    g_autofree char *tmp = g_strdup_printf("%s.XXXXXX", path);
    int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, mode);

    if (fd < 0) {
        error_report_errno(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, errno,
                           "cannot create temporary file for '%s'", path);
        return -1;
    }
    if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        error_report_errno(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, e, "cannot write '%s'", tmp);
        return -1;
    }
    if (close(fd) < 0 || rename(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        error_report_errno(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, e, "cannot replace '%s'", path);
        return -1;
    }
    return 0;
}

int file_write_atomic(const char *path, const char *data, size_t len, int mode)
{
    if (file_replace(path, data, len, mode) < 0)
        return -1;
    if (fsync_dir(path) < 0) {
        error_report_errno(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, errno,
                           "cannot sync the directory of '%s'", path);
        return -1;
    }
    return 0;
}

char *file_read_at(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
    GString *text;
    char chunk[8192];
    ssize_t n;

    if (fd < 0)
        return NULL;
    text = g_string_sized_new(0);    /* grown to fit: a caller may keep many */
    while ((n = read(fd, chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR)) {
        if (n > 0)
            g_string_append_len(text, chunk, n);
    }
    close(fd);
    if (n < 0) {
        g_string_free(text, TRUE);
        return NULL;
    }
    return g_string_free(text, FALSE);
}

char *file_name_encode(const char *name)
{
    GString *s = g_string_sized_new(strlen(name) + 4);

    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        bool keep = g_ascii_isalnum(*p) || *p == '-' || *p == '_' || (*p == '.' && p != (const unsigned char *)name);
        if (keep)
            g_string_append_c(s, (char)*p);
        else
            g_string_append_printf(s, "%%%02X", *p);
    }
    return g_string_free(s, FALSE);
}
