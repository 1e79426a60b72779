/* QMP client: one connection to a QEMU monitor socket, commands, replies and events.
 *
 * Threading. Each client owns one reader thread that reads the socket, matches
 * replies to their callers by id and calls the listeners' callbacks, in the order
 * QEMU sent the events, from that thread. Any thread may call qmp_call() at any time,
 * several at once: each caller blocks until its own reply arrives, the timeout
 * passes or the monitor closes. Events that QEMU sent before a reply have been
 * delivered to the listeners before that reply's caller returns.
 *
 * Listener callbacks run on the reader thread and must not block for long and must
 * not call qmp_call() (it would wait for a reply only the reader thread can read;
 * qmp_call() detects this and fails). Hand work that needs the monitor to another
 * thread. A listener may be removed from any thread, including from its own
 * callback; after qmp_client_remove_listener() returns on another thread the
 * callback is not running and will not run again.
 *
 * Errors go into the calling thread's virError (VIR_FROM_QEMU). A command that QEMU
 * answers with an error gives VIR_ERR_INTERNAL_ERROR "unable to execute QEMU command
 * 'X': <desc>", and qmp_last_error_class() then tells the QMP error class. */
#pragma once

#include <stdbool.h>
#include <glib.h>
#include "drivers/qemu/qemu_json.h"

typedef struct qmp_client qmp_client;

/* Timeouts in milliseconds: QMP_TIMEOUT_DEFAULT uses the client's default (30 s,
 * see qmp_client_set_default_timeout), QMP_TIMEOUT_NONE waits as long as it takes. */
#define QMP_TIMEOUT_DEFAULT 0
#define QMP_TIMEOUT_NONE (-1)

typedef struct {
    /* An asynchronous event: its name, its "data" member (borrowed, NULL when QEMU
     * sent none) and its timestamp in microseconds since the epoch (0 if absent). */
    void (*event)(qmp_client *client, const char *name, json_object *data,
                  gint64 timestamp_us, void *opaque);
    /* The connection ended: QEMU closed the monitor (reason "End of file from qemu
     * monitor"), a read failed, QEMU sent data that is not QMP, or the owner called
     * qmp_client_close(). Called once, after every pending call has failed. */
    void (*closed)(qmp_client *client, const char *reason, void *opaque);
} qmp_listener;

typedef struct {
    /* Keep retrying to connect for this long while the socket is missing or refuses
     * connections (QEMU still starting); the greeting and qmp_capabilities must also
     * complete within it. 0 means one attempt with a 30 s handshake limit. */
    int timeout_ms;
    /* Optional: asked between attempts; returning false stops retrying at once (for
     * example because the QEMU process has exited). */
    bool (*keep_trying)(void *opaque);
    void *keep_trying_opaque;
    /* Optional first listener, registered before any event can arrive. */
    const qmp_listener *listener;
    void *listener_opaque;
} qmp_open_options;

/* Connect to the monitor socket at path, read the greeting and negotiate
 * capabilities. options may be NULL (one attempt, no listener). Returns NULL with
 * an error reported when the monitor cannot be reached in time. */
qmp_client *qmp_client_open(const char *path, const qmp_open_options *options);

/* Close the connection: pending and later calls fail, listeners get closed(). The
 * client stays valid until qmp_client_free(). */
void qmp_client_close(qmp_client *client);

/* Close (if needed) and release. The listeners are told closed() and no callback
 * runs after this returns. May be called from a listener callback (then the
 * listeners are not told). Other threads must not start calls on client once this
 * is called; calls already waiting fail. */
void qmp_client_free(qmp_client *client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qmp_client, qmp_client_free)

bool qmp_client_is_closed(qmp_client *client);

/* Another reference: the client stays valid (closed, calls failing) after its owner
 * frees it, until the last reference goes. */
qmp_client *qmp_client_ref(qmp_client *client);
void qmp_client_unref(qmp_client *client);

/* The version QEMU announced in its greeting: major * 1000000 + minor * 1000 +
 * micro (7.2.22 -> 7002022), and its "package" string ("" when absent). */
unsigned int qmp_client_qemu_version(const qmp_client *client);
const char *qmp_client_qemu_package(const qmp_client *client);

/* Used for calls passing QMP_TIMEOUT_DEFAULT. */
void qmp_client_set_default_timeout(qmp_client *client, int timeout_ms);

/* Register another listener; returns its id (never 0). */
guint qmp_client_add_listener(qmp_client *client, const qmp_listener *listener, void *opaque);
void qmp_client_remove_listener(qmp_client *client, guint id);

/* Run command with args (borrowed; NULL for none). On success returns 0 and, when
 * ret_return is not NULL, stores a new reference to the "return" member. On failure
 * returns -1 with an error reported: the QMP error (see above), the monitor closing
 * or already closed (VIR_ERR_INTERNAL_ERROR, e.g. "End of file from qemu monitor"),
 * or the timeout (VIR_ERR_OPERATION_TIMEOUT); a reply arriving after its caller
 * timed out is discarded. */
int qmp_call(qmp_client *client, const char *command, json_object *args, int timeout_ms,
             json_object **ret_return);

/* After a failed qmp_call() in this thread: the QMP error class ("GenericError",
 * "CommandNotFound", "DeviceNotFound", ...) and description when QEMU answered with
 * an error, NULL when the call failed otherwise or the last call succeeded. */
const char *qmp_last_error_class(void);
const char *qmp_last_error_desc(void);
/* True when the last qmp_call() in this thread got a QMP error of class klass. */
bool qmp_last_error_is(const char *klass);

/* HMP passthrough (human-monitor-command): the text QEMU printed, in *ret_output. */
int qmp_hmp(qmp_client *client, const char *command_line, int timeout_ms, char **ret_output);

/* Simulated guest I/O: HMP "qemu-io -d DEVICE \"IO_COMMAND\"" (e.g. device
 * "/machine/peripheral/vda/virtio-backend", io_command "write -P 0xaa 0 64k").
 * qemu-io prints its own output on QEMU's stdout; any text in the HMP reply is an
 * error (device not found, permission conflict) and is reported. */
int qmp_qemu_io(qmp_client *client, const char *device, const char *io_command, int timeout_ms);
