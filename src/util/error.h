/* Reporting errors into the calling thread's last error (libvirt's virError). */
#pragma once

#include <stdbool.h>
#include <glib.h>
#include <libvirt/virterror.h>

/* Record an error: the message is the code's template around the detail
 * ("Domain snapshot not found: <detail>"), or the bare template when fmt is NULL. */
void error_report(int domain, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* As error_report, with ": <strerror(errnum)>" appended to the detail. */
void error_report_errno(int domain, int code, int errnum, const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* An argument check failed in public function func on argument arg: the message is
 * used verbatim, without the code's template (as libvirt's entry points do). */
void error_report_arg(int domain, const char *func, const char *arg, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

/* Unknown bits in flags: "unsupported flags (0x..) in function <func>". Returns false
 * when flags has bits outside allowed, so callers write
 * `if (!error_check_flags(flags, ALLOWED, VIR_FROM_TEST, __func__)) return -1;` */
bool error_check_flags(unsigned int flags, unsigned int allowed, int domain, const char *func);

/* Make a copy of err the calling thread's last error (an error that came from
 * elsewhere, e.g. a daemon's reply). */
void error_set(const virError *err);

/* The calling thread's last error, or NULL. */
virErrorPtr error_last(void);
bool error_is_set(void);
void error_reset(void);

/* Move the current error out (and clear it) / put it back, to keep the first error
 * while cleanup code that may fail runs. */
virErrorPtr error_save(void);
void error_restore(virErrorPtr *saved);

/* A public entry point is returning failure: make sure an error is set (a generic
 * one if the code that failed forgot), then call handler, or the global handler set
 * by virSetErrorFunc, or the default one, which prints the error on stderr. */
void error_ensure(void);
void error_dispatch(virErrorFunc handler, void *data);

/* Print err on stderr as libvirt's default handler does. */
void error_print(const virError *err);

/* The global handler set by virSetErrorFunc (NULL = the default, which prints). */
void error_set_global_handler(virErrorFunc handler, void *data);

/* Message templates and domain names, as libvirt words them. */
const char *error_template(int code, bool with_detail);
const char *error_domain_name(int domain);

/* Deep copy / clear of a virError. */
void error_copy(virErrorPtr to, const virError *from);
void error_clear(virErrorPtr err);
