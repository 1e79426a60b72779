/* Empty backup targets and scratch images made in-process: a few writes where
 * `qemu-img create` costs a process (7–12 ms, a fifth of a small incremental push).
 *
 * An empty qcow2 version 3 image with 64 KiB clusters (qcow2 spec, big-endian):
 * cluster 0 the header, cluster 1 the refcount table (its first entry points to
 * cluster 2), cluster 2 the refcount block (16-bit counts; the metadata clusters
 * count 1), clusters 3.. the L1 table, all zero (nothing allocated). The file ends
 * after the L1 table; a block device gets the same clusters written at its start. */
#include "drivers/qemu/qemu_qcow2.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/error.h"

#define FROM VIR_FROM_QEMU
#define CLUSTER_BITS 16
#define CLUSTER ((guint64)1 << CLUSTER_BITS)
#define L2_COVERS (CLUSTER * (CLUSTER / 8))   /* bytes one L1 entry maps: 512 MiB */
#define HEADER_LENGTH 112                     /* v3 fields and the compression type */
#define REFTABLE_AT (1 * CLUSTER)
#define REFBLOCK_AT (2 * CLUSTER)
#define L1_AT (3 * CLUSTER)

static void put_be16(guint8 *p, guint16 v)
{
    p[0] = v >> 8;
    p[1] = v & 0xff;
}

static void put_be32(guint8 *p, guint32 v)
{
    put_be16(p, v >> 16);
    put_be16(p + 2, v & 0xffff);
}

static void put_be64(guint8 *p, guint64 v)
{
    put_be32(p, v >> 32);
    put_be32(p + 4, v & 0xffffffff);
}

/* The first 3 + l1_clusters clusters of the image, in one buffer. */
static guint8 *layout(guint64 size, guint64 l1_entries, guint64 l1_clusters, size_t *ret_len)
{
    guint64 clusters = 3 + l1_clusters;
    guint8 *img = g_malloc0(clusters * CLUSTER);

    put_be32(img, QCOW2_MAGIC);
    put_be32(img + 4, 3);                       /* version */
    put_be32(img + 20, CLUSTER_BITS);
    put_be64(img + 24, size);
    put_be32(img + 36, (guint32)l1_entries);
    put_be64(img + 40, L1_AT);
    put_be64(img + 48, REFTABLE_AT);
    put_be32(img + 56, 1);                      /* refcount table clusters */
    put_be32(img + 96, 4);                      /* refcount order: 16-bit counts */
    put_be32(img + 100, HEADER_LENGTH);         /* no extensions: the zeros that follow end them */
    put_be64(img + REFTABLE_AT, REFBLOCK_AT);
    for (guint64 c = 0; c < clusters; c++)
        put_be16(img + REFBLOCK_AT + 2 * c, 1);
    *ret_len = clusters * CLUSTER;
    return img;
}

static int write_all(int fd, const guint8 *buf, size_t len)
{
    for (size_t done = 0; done < len;) {
        ssize_t n = pwrite(fd, buf + done, len - done, (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

int qemu_qcow2_create(const char *path, unsigned long long size, bool device)
{
    guint64 l1_entries = (size + L2_COVERS - 1) / L2_COVERS;
    guint64 l1_clusters = l1_entries ? (l1_entries * 8 + CLUSTER - 1) / CLUSTER : 1;
    g_autofree guint8 *img = NULL;
    size_t len;
    int fd, err = 0;

    /* one refcount block counts the metadata; QEMU caps the L1 table at 32 MiB */
    if (size > (1ULL << 62) || l1_entries * 8 > 32 * 1024 * 1024) {
        error_report(FROM, VIR_ERR_INVALID_ARG, "cannot create '%s': %llu bytes is too large for qcow2",
                     path, size);
        return -1;
    }
    img = layout(size, l1_entries, l1_clusters, &len);
    fd = device ? open(path, O_WRONLY | O_CLOEXEC)
                : open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        error_report_errno(FROM, VIR_ERR_OPERATION_FAILED, errno, "cannot create '%s'", path);
        return -1;
    }
    if (write_all(fd, img, len) < 0)
        err = errno ? errno : EIO;
    if (close(fd) < 0 && !err)
        err = errno;
    if (err) {
        if (!device)
            unlink(path);
        error_report_errno(FROM, VIR_ERR_OPERATION_FAILED, err, "cannot write '%s'", path);
        return -1;
    }
    return 0;
}

int qemu_raw_create(const char *path, unsigned long long size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int err = 0;

    if (fd < 0) {
        error_report_errno(FROM, VIR_ERR_OPERATION_FAILED, errno, "cannot create '%s'", path);
        return -1;
    }
    if (ftruncate(fd, (off_t)size) < 0)
        err = errno;
    if (close(fd) < 0 && !err)
        err = errno;
    if (err) {
        unlink(path);
        error_report_errno(FROM, VIR_ERR_OPERATION_FAILED, err, "cannot size '%s' to %llu bytes", path, size);
        return -1;
    }
    return 0;
}
