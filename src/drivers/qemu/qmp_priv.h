/* Internal to the QMP client: the client's state as shared by the connection
 * (qmp.c), the reader and the exchanges (qmp_io.c) and the commands (qmp_call.c). */
#pragma once

#include "drivers/qemu/qmp.h"

/* A command waiting for its reply. */
typedef struct {
    char *id;
    char *command;
    json_object *reply;      /* set with done; NULL when the monitor closed */
    bool done;
    bool abandoned;          /* its caller timed out: whoever completes it frees it */
} qmp_pending;

typedef struct {
    guint id;
    qmp_listener ops;
    void *opaque;
    bool removed;            /* removed while callbacks were running */
} qmp_listener_entry;

struct qmp_client {
    gint refs;               /* the owner's and the reader thread's */
    int fd;
    char *path;
    GThread *reader;

    GMutex lock;             /* protects the fields up to write_lock */
    GCond cond;              /* greeting arrived, a call completed, closed */
    GHashTable *pending;     /* id -> qmp_pending* */
    GQueue order;            /* qmp_pending*, in the order they were sent */
    guint64 next_id;
    bool greeted;
    unsigned int version;
    char *package;
    bool closed;
    int close_code;          /* the error callers get once closed */
    char *close_reason;
    int default_timeout_ms;

    GMutex write_lock;       /* one command on the wire at a time, in order */

    GRecMutex listen_lock;   /* held while listener callbacks run */
    GArray *listeners;       /* qmp_listener_entry */
    guint next_listener_id;
    int dispatching;         /* callbacks running (under listen_lock) */
    bool notified_closed;
};

void qmp_pending_free(qmp_pending *p);

/* qmp_io.c: the reader thread's body; takes over one reference to client. */
gpointer qmp_reader_main(gpointer client);

/* qmp.c: mark the client closed with the error later callers get, fail every
 * pending call. Safe to call more than once; the first reason wins. */
void qmp_client_mark_closed(qmp_client *client, int code, const char *reason);
/* Report the client's close error into the calling thread (_locked: with client's
 * lock held). */
void qmp_client_report_closed(qmp_client *client);
void qmp_client_report_closed_locked(qmp_client *client);
/* QMP_TIMEOUT_DEFAULT -> the client's default; others unchanged. */
int qmp_client_resolve_timeout(qmp_client *client, int timeout_ms);
void qmp_client_notify_closed(qmp_client *client);
void qmp_client_dispatch_event(qmp_client *client, const char *name, json_object *data,
                               gint64 timestamp_us);

/* qmp_io.c: send {"execute": command, "arguments": args, "id": <new id>} and wait for
 * the reply with that id. Returns the whole reply object (a new reference, holding
 * "return" or "error"), or NULL with an error reported (monitor closed, timeout,
 * write failure). */
json_object *qmp_client_exchange(qmp_client *client, const char *command, json_object *args,
                                 int timeout_ms);

/* True when the calling thread is client's reader thread (inside a listener). */
bool qmp_client_on_reader_thread(qmp_client *client);

/* Microseconds (monotonic) at which a wait of timeout_ms ends; G_MAXINT64 for
 * none. QMP_TIMEOUT_DEFAULT is resolved by the caller. */
gint64 qmp_deadline(int timeout_ms);
