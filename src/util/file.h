/* Files that are replaced whole and atomically, and names safe to use as file names. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Write data to path through a temporary file in the same directory, fsync it,
 * rename it over path and fsync the directory: afterwards path holds either the old
 * or the new content, whatever happens. Errors are VIR_ERR_SYSTEM_ERROR. */
int file_write_atomic(const char *path, const char *data, size_t len, int mode);
/* The same without the directory's fsync, for a caller that replaces several files
 * of one directory and then syncs it once: the replacement is atomic but may be
 * forgotten by a crash until the directory is synced. */
int file_replace(const char *path, const char *data, size_t len, int mode);

/* The whole content of the file name in the directory open as dirfd (a caller
 * reading many files of one directory spares the path walk of each); NULL with
 * errno set when it cannot be read. */
char *file_read_at(int dirfd, const char *name);

/* Make a name (of a domain, snapshot, checkpoint) usable as one path component:
 * letters, digits, '-', '_' and '.' (not leading) stay, everything else becomes
 * %XX. The result never contains '/', is never "." or "..", and two names never
 * map to the same file name. */
char *file_name_encode(const char *name);
