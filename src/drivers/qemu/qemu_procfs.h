/* Processes and logs for the QEMU driver: pids checked against their start time
 * (so a reused pid is never taken for QEMU), killing, the domain log. */
#pragma once

#include <stdbool.h>
#include <glib.h>

/* Whether pid is a live process (not a zombie) started at start_time (0: any). */
bool qemu_pid_alive(int pid, unsigned long long start_time);
/* Field 22 of /proc/PID/stat (clock ticks after boot); 0 when pid is gone. */
unsigned long long qemu_pid_start_time(int pid);
/* User + system CPU time of pid in nanoseconds; 0 when unknown. */
unsigned long long qemu_pid_cpu_time(int pid);
/* SIGTERM, wait up to 10 s; then (unless graceful) SIGKILL, wait up to 5 s. 0 when
 * pid is gone, -1 with an error otherwise. */
int qemu_pid_kill(int pid, unsigned long long start_time, bool graceful);

/* The domain log (ROOT/log/qemu/NAME.log): opened for appending (-1 with an error),
 * and lines stamped like libvirt's ("2026-11-22 05:54:15.123+0000: text"). */
int qemu_log_open(const char *path);
void qemu_log_printf(int fd, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Open path, write one stamped line, close; best effort. */
void qemu_log_append(const char *path, const char *text);
/* The last lines written at or after offset, joined by "; " on one line. */
char *qemu_log_tail(const char *path, long long offset);

/* Remove path and everything below it (best effort). */
void qemu_remove_tree(const char *path);
