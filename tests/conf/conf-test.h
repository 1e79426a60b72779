/* Helpers shared by the conf tests: checks, files, the libvirt corpus, fake domains. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>
#include "conf/domain_conf.h"

/* Record one check, printing "ok" or "FAIL" and what. */
void check(const char *what, bool ok);
/* Whether the last error has code, domain and message (message NULL: any). */
bool check_error(const char *what, int code, int domain, const char *message);
/* got equals expected; on a difference print the first differing line. */
bool check_text(const char *what, const char *got, const char *expected);
/* A formatted string that lives until test_result(). */
const char *say(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* The exit status: 0, or 1 after a failure. */
int test_result(void);

/* The file's text, or NULL (no error) when it cannot be read. */
char *read_text(const char *path);

/* The corpus directory: argv[1], or $VIRTMOMENT_CONFORMANCE; exits with 77 (skipped)
 * when it does not exist. */
const char *corpus_dir(int argc, char **argv);

/* One disk of a fake domain. */
typedef struct {
    const char *dst;
    const char *path;       /* NULL: empty (no media) */
    const char *type;       /* "file" (NULL), "block", "network" */
    bool readonly;
    bool cdrom;
} fake_disk;

/* A domain 'fake' with these disks, parsed by the domain model (which puts disks in
 * libvirt's order: by bus, then by target; tests use one bus to keep theirs). */
domain_def *fake_domain(const fake_disk *disks, size_t ndisks);
