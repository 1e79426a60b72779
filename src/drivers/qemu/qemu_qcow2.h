/* What the QEMU driver reads from and writes to images itself, without qemu-img. */
#pragma once

#include <stdbool.h>
#include <glib.h>

#define QCOW2_MAGIC 0x514649fbU          /* "QFI\xfb", the first 4 bytes */

/* The header's big-endian fields. */
static inline guint16 qcow2_be16(const unsigned char *p)
{
    return (guint16)(p[0] << 8 | p[1]);
}

static inline guint32 qcow2_be32(const unsigned char *p)
{
    return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static inline guint64 qcow2_be64(const unsigned char *p)
{
    return (guint64)qcow2_be32(p) << 32 | qcow2_be32(p + 4);
}

/* Whether the qcow2 image at path has an internal snapshot named name (its table
 * read directly; the image may be open in a QEMU, the table is only read). -1
 * (VIR_ERR_OPERATION_FAILED) when the file is not a readable qcow2 image;
 * *ret_has is untouched then. */
int qemu_qcow2_has_snapshot(const char *path, const char *name, bool *ret_has);

/* A new empty qcow2 image (version 3, 64 KiB clusters) of size bytes at path: a
 * file that must not exist yet (made 0600), or, with device, the start of the
 * block device at path. -1 (VIR_ERR_OPERATION_FAILED, VIR_ERR_INVALID_ARG for a
 * size qcow2 cannot map) with no file left behind on failure. */
int qemu_qcow2_create(const char *path, unsigned long long size, bool device);

/* A new sparse raw file of size bytes at path, which must not exist yet (0600). */
int qemu_raw_create(const char *path, unsigned long long size);
