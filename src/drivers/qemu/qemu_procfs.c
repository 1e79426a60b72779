/* Processes and logs for the QEMU driver: whether a pid is still the QEMU we
 * started (start time from /proc), its CPU time, killing it, the domain log's
 * lines and the tail a failed start quotes. */
#include "drivers/qemu/qemu_procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include "util/error.h"

#define FROM VIR_FROM_QEMU
#define TAIL_LINES 5
#define TAIL_BYTES 4096

/* The fields of /proc/PID/stat after "pid (comm) ", split; NULL when pid is gone. */
static GStrv stat_fields(int pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", pid);
    g_autofree char *text = NULL;
    const char *p;

    if (pid <= 0 || !g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    p = strrchr(text, ')');
    if (!p || p[1] != ' ')
        return NULL;
    return g_strsplit(p + 2, " ", -1);
}

/* Field n of /proc/PID/stat as man proc numbers them (state is 3). */
static const char *stat_field(GStrv fields, guint n)
{
    return n >= 3 && g_strv_length(fields) > n - 3 ? fields[n - 3] : NULL;
}

unsigned long long qemu_pid_start_time(int pid)
{
    g_auto(GStrv) f = stat_fields(pid);
    const char *v = f ? stat_field(f, 22) : NULL;

    return v ? g_ascii_strtoull(v, NULL, 10) : 0;
}

bool qemu_pid_alive(int pid, unsigned long long start_time)
{
    g_auto(GStrv) f = stat_fields(pid);
    const char *state = f ? stat_field(f, 3) : NULL;
    const char *start = f ? stat_field(f, 22) : NULL;

    if (!state || *state == 'Z' || *state == 'X')
        return false;
    return !start_time || (start && g_ascii_strtoull(start, NULL, 10) == start_time);
}

unsigned long long qemu_pid_cpu_time(int pid)
{
    g_auto(GStrv) f = stat_fields(pid);
    const char *utime = f ? stat_field(f, 14) : NULL, *stime = f ? stat_field(f, 15) : NULL;
    long ticks = sysconf(_SC_CLK_TCK);

    if (!utime || !stime || ticks <= 0)
        return 0;
    return (g_ascii_strtoull(utime, NULL, 10) + g_ascii_strtoull(stime, NULL, 10)) *
           (1000000000ULL / (unsigned long long)ticks);
}

/* Wait up to ms for pid to go away. */
static bool wait_gone(int pid, unsigned long long start_time, int ms)
{
    for (int waited = 0; qemu_pid_alive(pid, start_time); waited += 10) {
        if (waited >= ms)
            return false;
        g_usleep(10 * 1000);
    }
    return true;
}

int qemu_pid_kill(int pid, unsigned long long start_time, bool graceful)
{
    if (!qemu_pid_alive(pid, start_time))
        return 0;
    if (kill(pid, SIGTERM) < 0 && errno != ESRCH) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "Failed to terminate process %d with SIGTERM",
                           pid);
        return -1;
    }
    if (wait_gone(pid, start_time, 10000))
        return 0;
    if (graceful) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, EBUSY, "Failed to terminate process %d with SIGTERM",
                           pid);
        return -1;
    }
    if (kill(pid, SIGKILL) < 0 && errno != ESRCH) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "Failed to kill process %d", pid);
        return -1;
    }
    if (!wait_gone(pid, start_time, 5000)) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, EBUSY, "Failed to kill process %d with SIGKILL",
                           pid);
        return -1;
    }
    return 0;
}

/* ---- the domain log ---- */

int qemu_log_open(const char *path)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

    if (fd < 0)
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "failed to create logfile %s", path);
    return fd;
}

void qemu_log_printf(int fd, const char *fmt, ...)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_utc();
    g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S.%f");
    g_autofree char *msg = NULL;
    g_autofree char *line = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    stamp[23] = '\0';   /* milliseconds */
    line = g_strdup_printf("%s+0000: %s\n", stamp, msg);
    if (write(fd, line, strlen(line)) < 0) {
        /* the log is best effort */
    }
}

void qemu_log_append(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);

    if (fd < 0)
        return;
    qemu_log_printf(fd, "%s", text);
    close(fd);
}

char *qemu_log_tail(const char *path, long long offset)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    GString *out = g_string_new(NULL);
    const char *start;

    if (g_file_get_contents(path, &text, &len, NULL) && (gsize)offset < len) {
        g_auto(GStrv) lines = NULL;
        guint n, first;

        start = text + offset;
        if (len - (gsize)offset > TAIL_BYTES)
            start = text + len - TAIL_BYTES;
        lines = g_strsplit(start, "\n", -1);
        n = g_strv_length(lines);
        while (n > 0 && !*g_strstrip(lines[n - 1]))
            n--;
        first = n > TAIL_LINES ? n - TAIL_LINES : 0;
        for (guint i = first; i < n; i++) {
            char *line = g_strstrip(lines[i]);
            if (*line)
                g_string_append_printf(out, "%s%s", out->len ? "; " : "", line);
        }
    }
    if (!out->len)
        g_string_append(out, "(QEMU wrote nothing to its log)");
    return g_string_free(out, FALSE);
}

/* ---- runtime directories ---- */

void qemu_remove_tree(const char *path)
{
    GDir *dir = g_dir_open(path, 0, NULL);
    const char *name;

    if (dir) {
        while ((name = g_dir_read_name(dir))) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            if (g_file_test(child, G_FILE_TEST_IS_DIR) && !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
                qemu_remove_tree(child);
            else
                unlink(child);
        }
        g_dir_close(dir);
    }
    rmdir(path);
}
