/* libvirt-event.h: the event loop that delivers domain events: a built-in one, or hooks into the application's. */

#ifndef LIBVIRT_EVENT_H
#define LIBVIRT_EVENT_H

#ifndef __VIR_LIBVIRT_H_INCLUDES__
#error "Don't include this file directly, only use libvirt/libvirt.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Conditions a file-handle watch waits for or reports. */
typedef enum {
    VIR_EVENT_HANDLE_READABLE = (1 << 0),
    VIR_EVENT_HANDLE_WRITABLE = (1 << 1),
    VIR_EVENT_HANDLE_ERROR = (1 << 2),
    VIR_EVENT_HANDLE_HANGUP = (1 << 3),
} virEventHandleType;

/* Called when fd, watched as watch, has the virEventHandleType conditions in events. */
typedef void (*virEventHandleCallback)(int watch, int fd, int events, void *opaque);

/* Hooks an application loop provides for file handles: add returns a watch ID >= 0, or -1. */
typedef int (*virEventAddHandleFunc)(int fd, int event, virEventHandleCallback cb, void *opaque, virFreeCallback ff);
typedef void (*virEventUpdateHandleFunc)(int watch, int event);
typedef int (*virEventRemoveHandleFunc)(int watch);

/* Called when the timer fires. */
typedef void (*virEventTimeoutCallback)(int timer, void *opaque);

/* Hooks for timers, period in ms (0: every iteration, -1: disabled): add returns a timer ID >= 0, or -1. */
typedef int (*virEventAddTimeoutFunc)(int timeout, virEventTimeoutCallback cb, void *opaque, virFreeCallback ff);
typedef void (*virEventUpdateTimeoutFunc)(int timer, int timeout);
typedef int (*virEventRemoveTimeoutFunc)(int timer);

/* Installs an application event loop; call before opening connections. */
void virEventRegisterImpl(virEventAddHandleFunc addHandle, virEventUpdateHandleFunc updateHandle, virEventRemoveHandleFunc removeHandle, virEventAddTimeoutFunc addTimeout, virEventUpdateTimeoutFunc updateTimeout, virEventRemoveTimeoutFunc removeTimeout);

/* Installs the built-in loop; the application then calls virEventRunDefaultImpl() repeatedly. */
int virEventRegisterDefaultImpl(void);
int virEventRunDefaultImpl(void);

/* Operations on whichever loop is installed. */
int virEventAddHandle(int fd, int events, virEventHandleCallback cb, void *opaque, virFreeCallback ff);
void virEventUpdateHandle(int watch, int events);
int virEventRemoveHandle(int watch);
int virEventAddTimeout(int frequency, virEventTimeoutCallback cb, void *opaque, virFreeCallback ff);
void virEventUpdateTimeout(int timer, int frequency);
int virEventRemoveTimeout(int timer);

#ifdef __cplusplus
}
#endif

#endif /* LIBVIRT_EVENT_H */
