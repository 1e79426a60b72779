/* What the public-API tests share: a silent error handler and the checks that print
 * "ok"/"FAIL" lines and count failures. */
#pragma once

#include <stdio.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static int failures;

static inline void quiet(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

static inline void check(const char *what, int ok)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok)
        failures++;
}

/* The last error is (code, domain, message). */
static inline void expect_error(const char *what, int code, int domain, const char *message)
{
    virErrorPtr err = virGetLastError();
    int ok = err && err->code == code && err->domain == domain && strcmp(err->message, message) == 0;

    check(what, ok);
    if (!ok)
        printf("  got %d/%d '%s'\n  expected %d/%d '%s'\n", err ? err->code : 0,
               err ? err->domain : 0, err ? err->message : "(none)", code, domain, message);
}

static inline int finish(void)
{
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
