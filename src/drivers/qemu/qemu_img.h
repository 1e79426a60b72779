/* qemu-img for offline (and, with force-share, live read-only) image work: create,
 * info, bitmaps, internal snapshots, commit, rebase, map, compare.
 *
 * Each call runs qemu-img once (GSubprocess) and waits for it. Errors are reported
 * as VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED "qemu-img SUBCOMMAND failed: <what
 * qemu-img printed on stderr>" (or "cannot run ..." when qemu-img is missing).
 * Safe to call from any thread. */
#pragma once

#include <stdbool.h>
#include <glib.h>

/* Use this qemu-img instead of the one on PATH (NULL: back to PATH). For tests. */
void qemu_img_set_binary(const char *path);

/* Flags for the queries. */
enum {
    QEMU_IMG_FORCE_SHARE = 1 << 0,   /* -U: read an image that a running QEMU holds */
    QEMU_IMG_BACKING_CHAIN = 1 << 1, /* info: the whole backing chain */
};

/* A new qcow2 (compat 1.1) of size bytes; with backing (and its format, "qcow2"
 * when NULL) recorded in the header, size 0 meaning the backing file's size. A
 * relative backing name is relative to path's directory, as in qemu-img. */
int qemu_img_create_qcow2(const char *path, unsigned long long size, const char *backing,
                          const char *backing_format);
/* A qcow2 overlay of size bytes on backing (of backing_format), without opening
 * backing (-u): it may be in use by a running QEMU. */
int qemu_img_create_overlay(const char *path, unsigned long long size, const char *backing,
                            const char *backing_format);
int qemu_img_create_raw(const char *path, unsigned long long size);
/* A new qcow2 out holding what internal snapshot name of path holds, over backing
 * (path's own backing file, of backing_format) or whole when backing is NULL. */
int qemu_img_snapshot_copy(const char *path, const char *name, const char *backing,
                           const char *backing_format, const char *out);

typedef struct {
    char *name;
    unsigned long long granularity;
    bool in_use;        /* "in-use": open read-write somewhere, or not closed cleanly */
    bool recording;     /* "auto": enabled, records writes */
    bool inconsistent;  /* in-use while nobody holds the image: unusable, remove only;
                         * only known without QEMU_IMG_FORCE_SHARE (false then) */
} qemu_img_bitmap;

typedef struct {
    char *id;
    char *name;
    unsigned long long vm_state_size;
    long long date_sec;
    long long date_nsec;
    unsigned long long vm_clock_nsec;
} qemu_img_snapshot;

typedef struct qemu_img_info qemu_img_info;
struct qemu_img_info {
    char *filename;
    char *format;
    unsigned long long virtual_size;
    unsigned long long actual_size;
    unsigned long long cluster_size;    /* 0 when the format has none */
    char *compat;                       /* qcow2: "1.1" or "0.10"; else NULL */
    char *backing_filename;             /* as recorded, NULL when none */
    char *full_backing_filename;
    char *backing_format;
    bool dirty;
    bool corrupt;
    GPtrArray *bitmaps;                 /* qemu_img_bitmap*, in qemu-img's order */
    GPtrArray *snapshots;               /* qemu_img_snapshot*, internal snapshots */
    qemu_img_info *backing;             /* the next layer (QEMU_IMG_BACKING_CHAIN) */
};

/* qemu-img info --output=json of path; format NULL lets qemu-img probe it. */
int qemu_img_get_info(const char *path, const char *format, unsigned int flags,
                      qemu_img_info **ret_info);
void qemu_img_info_free(qemu_img_info *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemu_img_info, qemu_img_info_free)
const qemu_img_bitmap *qemu_img_info_find_bitmap(const qemu_img_info *info, const char *name);

/* Persistent bitmaps of an offline qcow2. granularity 0 = the cluster size. */
int qemu_img_bitmap_add(const char *path, const char *name, unsigned long long granularity,
                        bool disabled);
int qemu_img_bitmap_remove(const char *path, const char *name);
int qemu_img_bitmap_enable(const char *path, const char *name);
int qemu_img_bitmap_disable(const char *path, const char *name);
int qemu_img_bitmap_clear(const char *path, const char *name);
/* Merge bitmap source (of source_image, path itself when NULL; source_format
 * "qcow2" when NULL) into target. */
int qemu_img_bitmap_merge(const char *path, const char *target, const char *source,
                          const char *source_image, const char *source_format);

/* Internal snapshots of an offline image (qemu-img snapshot -c / -a / -d), and the
 * list (from qemu-img info), a GPtrArray of qemu_img_snapshot*. */
int qemu_img_snapshot_create(const char *path, const char *name);
int qemu_img_snapshot_apply(const char *path, const char *name);
int qemu_img_snapshot_delete(const char *path, const char *name);
int qemu_img_snapshot_list(const char *path, unsigned int flags, GPtrArray **ret_snapshots);

/* qemu-img commit of path into its backing file (or into base, a file deeper in the
 * chain). With drop, path is left as it was (-d) instead of being emptied. */
int qemu_img_commit(const char *path, const char *base, bool drop);

/* qemu-img rebase -u: record backing (format backing_format, "qcow2" when NULL) in
 * path's header without touching data; backing NULL removes the backing file. */
int qemu_img_rebase_unsafe(const char *path, const char *backing, const char *backing_format);

typedef struct {
    unsigned long long start;
    unsigned long long length;
    int depth;              /* layer of the chain the data comes from (0 = path) */
    bool present;           /* allocated somewhere in the chain */
    bool zero;
    bool data;
    long long offset;       /* host offset in the file, -1 when none */
} qemu_img_extent;

/* qemu-img map --output=json: a GArray of qemu_img_extent. */
int qemu_img_map(const char *path, const char *format, unsigned int flags, GArray **ret_extents);

/* qemu-img compare: *ret_identical, and (when they differ and ret_mismatch is not
 * NULL) the first differing offset. flags: QEMU_IMG_FORCE_SHARE; formats NULL =
 * probe. */
int qemu_img_compare(const char *path1, const char *format1, const char *path2,
                     const char *format2, unsigned int flags, bool *ret_identical,
                     long long *ret_mismatch);
