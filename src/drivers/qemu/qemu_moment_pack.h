/* The moment store's pack: the texts of all its moment files in one file, so that a
 * store is loaded with one read instead of one open and read per moment. Private to
 * qemu_moment_store.c, which decides when a pack is written, trusted and removed.
 *
 * DIR/pack/moments   "virtmoment-pack 1 INO MTIME_S MTIME_NS CTIME_S CTIME_NS COUNT\n",
 *                    COUNT times "LEN\n" and the LEN bytes of one moment file,
 *                    then "end\n"
 *
 * The numbers are DIR's inode and times when the pack was written: every file
 * created, replaced (by rename) or removed in DIR changes its times, so a pack
 * whose numbers differ from DIR's is out of date. The pack lives in a directory
 * of its own so that writing it leaves DIR's times alone. */
#pragma once

#include <stddef.h>
#include <sys/stat.h>
#include <glib.h>

#define MOMENT_PACK_DIR "pack"
#define MOMENT_PACK_FILE "pack/moments"

/* The texts of the pack in DIR (open as dirfd, dir_st its fstat), in the pack's
 * order (each g_free'd with the array); NULL when there is no pack, or it is torn,
 * malformed or out of date. */
GPtrArray *moment_pack_read(int dirfd, const struct stat *dir_st);

/* Write the pack of these n texts (the moment files' contents) for DIR as dir_st
 * describes it now: through a temporary file, fsynced and renamed, so that a pack
 * is whole or absent. Errors are VIR_ERR_SYSTEM_ERROR. */
int moment_pack_write(int dirfd, const struct stat *dir_st, const char *const *texts, size_t n);

/* Remove the pack and sync its directory, so that a crash after the next change of
 * DIR cannot bring the pack back. Absent is fine. Errors are VIR_ERR_SYSTEM_ERROR. */
int moment_pack_remove(int dirfd);
