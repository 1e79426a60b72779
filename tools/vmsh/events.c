/* Waiting for events from the event-loop thread, with a timeout and Ctrl-C. */
#include "vmsh.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static int event_fd = -1; /* write end of the wait's pipe, for the signal handler */
static struct sigaction old_sigint;

static void notify(int fd, char what)
{
    if (fd >= 0) {
        ssize_t n;
        do {
            n = write(fd, &what, 1);
        } while (n < 0 && errno == EINTR);
    }
}

static void on_sigint(int sig)
{
    notify(event_fd, VMSH_EVENT_INTERRUPT);
}

static void on_timeout(int timer, void *opaque)
{
    vmsh_ctl *ctl = opaque;

    notify(ctl->event_pipe[1], VMSH_EVENT_TIMEOUT);
}

/* Begins a wait that ends after TIMEOUT_MS milliseconds (0: no timeout). */
int vmsh_event_start(vmsh_ctl *ctl, int timeout_ms)
{
    struct sigaction action = { .sa_handler = on_sigint };

    if (ctl->event_pipe[0] >= 0)
        return -1; /* one wait at a time */
    if (pipe2(ctl->event_pipe, O_CLOEXEC) < 0) {
        vmsh_error(ctl, "failed to create pipe: %s", g_strerror(errno));
        return -1;
    }
    event_fd = ctl->event_pipe[1];
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_sigint);
    if (timeout_ms > 0) {
        ctl->event_timer = virEventAddTimeout(timeout_ms, on_timeout, ctl, NULL);
        if (ctl->event_timer < 0) {
            vmsh_event_cleanup(ctl);
            vmsh_report_error(ctl);
            return -1;
        }
    }
    return 0;
}

/* Called from event callbacks: the awaited event happened. */
void vmsh_event_done(vmsh_ctl *ctl)
{
    notify(ctl->event_pipe[1], VMSH_EVENT_DONE);
}

/* Blocks until the wait ends; returns how (VMSH_EVENT_*), or -1 on error. */
int vmsh_event_wait(vmsh_ctl *ctl)
{
    char what;
    ssize_t n;

    do {
        n = read(ctl->event_pipe[0], &what, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1) {
        vmsh_error(ctl, "%s", "failed to determine loop exit status");
        return -1;
    }
    return what;
}

/* Ends the wait: timer removed, Ctrl-C restored, pipe closed. */
void vmsh_event_cleanup(vmsh_ctl *ctl)
{
    if (ctl->event_timer >= 0) {
        virEventRemoveTimeout(ctl->event_timer);
        ctl->event_timer = -1;
    }
    if (ctl->event_pipe[0] < 0)
        return;
    sigaction(SIGINT, &old_sigint, NULL);
    event_fd = -1;
    close(ctl->event_pipe[0]);
    close(ctl->event_pipe[1]);
    ctl->event_pipe[0] = ctl->event_pipe[1] = -1;
}
