/* Reading a qcow2 image's internal snapshot table directly: a few reads where
 * `qemu-img snapshot -l` costs a process. Layout (qcow2 spec, big-endian): the
 * header has nb_snapshots at byte 60 and snapshots_offset at 64; each table entry
 * is 40 fixed bytes (id_str_size at 12, name_size at 14, extra_data_size at 36),
 * then extra data, the id, the name, and padding to a multiple of 8. */
#include "drivers/qemu/qemu_qcow2.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "util/error.h"

#define FROM VIR_FROM_QEMU
#define QCOW2_MAX_SNAPSHOTS 65536        /* QEMU's own limit */

static int read_at(int fd, void *buf, size_t len, guint64 off)
{
    ssize_t n = pread(fd, buf, len, (off_t)off);
    return n == (ssize_t)len ? 0 : -1;
}

/* Whether one of the count entries of the table at off names name; -1 when the
 * table cannot be read. */
static int table_has(int fd, guint64 off, guint32 count, const char *name)
{
    size_t want = strlen(name);
    g_autofree char *got = g_malloc(want + 1);

    for (guint32 i = 0; i < count; i++) {
        guint8 e[40];
        if (read_at(fd, e, sizeof(e), off) < 0)
            return -1;
        guint64 id_len = qcow2_be16(e + 12), name_len = qcow2_be16(e + 14), extra = qcow2_be32(e + 36);
        if (name_len == want) {
            if (read_at(fd, got, want, off + 40 + extra + id_len) < 0)
                return -1;
            if (memcmp(got, name, want) == 0)
                return 1;
        }
        off += (40 + extra + id_len + name_len + 7) & ~(guint64)7;
    }
    return 0;
}

int qemu_qcow2_has_snapshot(const char *path, const char *name, bool *ret_has)
{
    guint8 hdr[72];
    int fd, found = -1;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        error_report_errno(FROM, VIR_ERR_OPERATION_FAILED, errno, "cannot open '%s'", path);
        return -1;
    }
    if (read_at(fd, hdr, sizeof(hdr), 0) == 0 && qcow2_be32(hdr) == QCOW2_MAGIC &&
        qcow2_be32(hdr + 60) <= QCOW2_MAX_SNAPSHOTS)
        found = table_has(fd, qcow2_be64(hdr + 64), qcow2_be32(hdr + 60), name);
    close(fd);
    if (found < 0) {
        error_report(FROM, VIR_ERR_OPERATION_FAILED,
                     "cannot read the snapshot table of '%s': not a readable qcow2 image", path);
        return -1;
    }
    *ret_has = found == 1;
    return 0;
}
