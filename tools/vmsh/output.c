/* What the shell writes: results, errors, debug and log lines, the saved libvirt error. */
#include "vmsh.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void log_write(vmsh_ctl *ctl, int level, const char *fmt, va_list ap)
    G_GNUC_PRINTF(3, 0);

static const char *level_name(int level)
{
    switch (level) {
    case VMSH_ERR_INFO:
    case VMSH_ERR_NOTICE:
        return "INFO";
    case VMSH_ERR_WARNING:
        return "WARNING";
    case VMSH_ERR_ERROR:
        return "ERROR";
    default:
        return "DEBUG";
    }
}

/* One log line: "[YYYY.MM.DD HH:MM:SS PROG PID] LEVEL message". */
static void log_write(vmsh_ctl *ctl, int level, const char *fmt, va_list ap)
{
    if (!ctl || ctl->log_fd < 0)
        return;

    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autofree char *stamp = g_date_time_format(now, "%Y.%m.%d %H:%M:%S");
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    g_autoptr(GString) line = g_string_new(NULL);

    g_string_printf(line, "[%s %s %d] %s %s", stamp, ctl->progname, (int)getpid(),
                    level_name(level), msg);
    while (line->len && line->str[line->len - 1] == '\n')
        g_string_truncate(line, line->len - 1);
    g_string_append_c(line, '\n');

    const char *p = line->str;
    size_t left = line->len;
    while (left > 0) {
        ssize_t n = write(ctl->log_fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            vmsh_log_close(ctl);
            vmsh_error(ctl, "%s", "failed to write the log file");
            return;
        }
        p += n;
        left -= (size_t)n;
    }
}

void vmsh_log_open(vmsh_ctl *ctl)
{
    if (!ctl->logfile)
        return;
    ctl->log_fd = open(ctl->logfile, O_WRONLY | O_APPEND | O_CREAT | O_SYNC | O_CLOEXEC, 0644);
    if (ctl->log_fd < 0) {
        vmsh_error(ctl, "%s", "failed to open the log file. check the log file path");
        exit(EXIT_FAILURE);
    }
}

void vmsh_log_close(vmsh_ctl *ctl)
{
    if (ctl->log_fd >= 0) {
        if (close(ctl->log_fd) < 0)
            vmsh_error(ctl, "failed to write log file: %s", g_strerror(errno));
        ctl->log_fd = -1;
    }
    g_clear_pointer(&ctl->logfile, g_free);
}

void vmsh_print(vmsh_ctl *ctl, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fflush(stdout);
}

/* Messages a quiet shell leaves out ("created", the blank line after a command...). */
void vmsh_print_extra(vmsh_ctl *ctl, const char *fmt, ...)
{
    va_list ap;

    if (ctl && ctl->quiet)
        return;
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fflush(stdout);
}

void vmsh_error(vmsh_ctl *ctl, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_write(ctl, VMSH_ERR_ERROR, fmt, ap);
    va_end(ap);

    /* stdout first, so that "2>&1" keeps the order of events */
    fflush(stdout);
    fputs("error: ", stderr);
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", msg);
    fflush(stderr);
}

/* Debug messages go to stdout, as virsh's do. */
void vmsh_debug(vmsh_ctl *ctl, int level, const char *fmt, ...)
{
    va_list ap;

    if (level < ctl->debug)
        return;
    va_start(ap, fmt);
    log_write(ctl, level, fmt, ap);
    va_end(ap);

    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fflush(stdout);
}

/* ---- the libvirt error of the current command ---- */

static void error_handler(void *opaque, virErrorPtr err)
{
    vmsh_ctl *ctl = opaque;

    virFreeError(ctl->last_error);
    ctl->last_error = virSaveLastError();
    if (getenv("VSH_DEBUG"))
        virDefaultErrorFunc(err);
}

void vmsh_errors_capture(vmsh_ctl *ctl)
{
    virSetErrorFunc(ctl, error_handler);
}

void vmsh_save_error(vmsh_ctl *ctl)
{
    virFreeError(ctl->last_error);
    ctl->last_error = virSaveLastError();
}

void vmsh_reset_error(vmsh_ctl *ctl)
{
    virFreeError(ctl->last_error);
    ctl->last_error = NULL;
    g_clear_pointer(&ctl->own_error, g_free);
    virResetLastError();
}

void vmsh_set_error(vmsh_ctl *ctl, const char *fmt, ...)
{
    va_list ap;

    g_free(ctl->own_error);
    va_start(ap, fmt);
    ctl->own_error = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

int vmsh_error_code(vmsh_ctl *ctl)
{
    if (ctl->last_error)
        return ctl->last_error->code;
    return virGetLastErrorCode();
}

void vmsh_report_error(vmsh_ctl *ctl)
{
    if (ctl->own_error) {
        vmsh_error(ctl, "%s", ctl->own_error);
        vmsh_reset_error(ctl);
        return;
    }
    if (!ctl->last_error) {
        /* errors raised without the handler (or none at all) */
        ctl->last_error = virSaveLastError();
        if (!ctl->last_error || ctl->last_error->code == VIR_ERR_OK) {
            vmsh_reset_error(ctl);
            return;
        }
    }
    if (ctl->last_error->code == VIR_ERR_OK)
        vmsh_error(ctl, "%s", "unknown error");
    else
        vmsh_error(ctl, "%s", ctl->last_error->message ? ctl->last_error->message : "");
    vmsh_reset_error(ctl);
}
