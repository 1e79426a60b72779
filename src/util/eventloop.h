/* The event loop the library's callbacks run in: libvirt's default implementation
 * (on a GLib main context) or the one an application registered instead. */
#pragma once

#include <stdbool.h>
#include <libvirt/libvirt.h>

/* Use the built-in loop; idempotent. */
int eventloop_register_default(void);
/* Run one iteration of the built-in loop: wait for and dispatch what is ready. */
int eventloop_run_default(void);
/* Route everything to an application's own loop (virEventRegisterImpl). */
void eventloop_register_impl(virEventAddHandleFunc add_handle, virEventUpdateHandleFunc update_handle,
                             virEventRemoveHandleFunc remove_handle, virEventAddTimeoutFunc add_timeout,
                             virEventUpdateTimeoutFunc update_timeout,
                             virEventRemoveTimeoutFunc remove_timeout);
/* Whether some loop is registered. */
bool eventloop_available(void);

/* As virEventAddHandle & co.: -1 when no loop is registered. */
int eventloop_add_handle(int fd, int events, virEventHandleCallback cb, void *opaque,
                         virFreeCallback ff);
void eventloop_update_handle(int watch, int events);
int eventloop_remove_handle(int watch);
int eventloop_add_timeout(int frequency, virEventTimeoutCallback cb, void *opaque,
                          virFreeCallback ff);
void eventloop_update_timeout(int timer, int frequency);
int eventloop_remove_timeout(int timer);
