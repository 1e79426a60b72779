/* Shared by the QEMU driver tests: checks that print ok/FAIL lines, temporary
 * directories that are removed whatever happens. */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "util/error.h"

static int failures;

static inline bool check(const char *what, bool ok)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok)
        failures++;
    return ok;
}

/* Compare strings; print both when they differ. */
static inline bool check_str(const char *what, const char *got, const char *expected)
{
    bool ok = got && expected && strcmp(got, expected) == 0;

    check(what, ok);
    if (!ok)
        printf("  got      '%s'\n  expected '%s'\n", got ? got : "(null)",
               expected ? expected : "(null)");
    return ok;
}

/* The calling thread's last error message, or "(no error)". */
static inline const char *last_message(void)
{
    virErrorPtr err = error_last();
    return err && err->message ? err->message : "(no error)";
}

static inline bool check_error(const char *what, int code, const char *message)
{
    virErrorPtr err = error_last();
    bool ok = err && err->code == code && err->domain == VIR_FROM_QEMU;

    if (!ok) {
        check(what, false);
        printf("  got code %d domain %d '%s', expected code %d\n", err ? err->code : 0,
               err ? err->domain : 0, last_message(), code);
        return false;
    }
    return check_str(what, err->message, message);
}

/* Remove path and everything below it. */
static inline void remove_tree(const char *path)
{
    GDir *dir = g_dir_open(path, 0, NULL);
    const char *name;

    if (dir) {
        while ((name = g_dir_read_name(dir))) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
                !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
                remove_tree(child);
            else
                g_unlink(child);
        }
        g_dir_close(dir);
    }
    g_rmdir(path);
}

static inline char *make_tmpdir(const char *tmpl)
{
    char *dir = g_dir_make_tmp(tmpl, NULL);
    if (!dir) {
        printf("FAIL cannot create a temporary directory\n");
        exit(1);
    }
    return dir;
}
