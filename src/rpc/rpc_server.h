/* The server side of the remote protocol: UNIX sockets, peer credentials, one
 * I/O thread, and worker threads that run each client's calls in order, so one
 * slow client or call never holds up the others. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <glib.h>

typedef struct rpc_server rpc_server;
typedef struct rpc_client rpc_client;

typedef struct {
    /* A client connected: its private data (rpc_client_data). */
    void *(*client_new)(rpc_client *c, void *opaque);
    /* Its socket closed (I/O thread): drop what holds references to it. */
    void (*client_closed)(rpc_client *c, void *opaque);
    /* Its last reference went away: free the private data (any thread). */
    void (*client_free)(void *data, void *opaque);
    /* A CALL packet (whole, length word included), in a worker thread (or in the
     * I/O thread, see quick); one at a time per client, in the order they arrived. */
    void (*dispatch)(rpc_client *c, const uint8_t *pkt, size_t len, void *opaque);
    /* Whether a CALL is quick: it reads in-memory state under short locks and waits
     * for nothing. A quick call of a client with no call pending, arriving while no
     * worker runs any call, is dispatched in the I/O thread, sparing the hand-over
     * to a worker. NULL = none is. */
    bool (*quick)(const uint8_t *pkt, size_t len, void *opaque);
    /* Whether the server may exit after being idle (no clients) for its timeout;
     * NULL = always. */
    bool (*may_exit)(void *opaque);
} rpc_server_ops;

rpc_server *rpc_server_new(const rpc_server_ops *ops, void *opaque, int nworkers);
/* Stop everything, wait for the workers, free. */
void rpc_server_free(rpc_server *s);

/* Listen on a UNIX socket at path (a stale socket file is replaced) with mode;
 * clients of a read-only socket get rpc_client_readonly. Any uid may use a
 * read-only socket; a read-write one only the server's own uid and root. */
bool rpc_server_listen(rpc_server *s, const char *path, int mode, bool readonly, GError **error);
/* Exit rpc_server_run after this many seconds without clients (0 = never). */
void rpc_server_set_idle_timeout(rpc_server *s, unsigned int seconds);
/* Serve until rpc_server_quit (or SIGTERM/SIGINT, or the idle timeout). */
void rpc_server_run(rpc_server *s);
/* From any thread. */
void rpc_server_quit(rpc_server *s);
unsigned int rpc_server_nclients(rpc_server *s);

void rpc_client_ref(rpc_client *c);
void rpc_client_unref(rpc_client *c);
void *rpc_client_data(rpc_client *c);
bool rpc_client_readonly(rpc_client *c);
uid_t rpc_client_uid(rpc_client *c);
/* Queue a whole packet for the client (takes it); written at once when the socket
 * takes it. false when the client is gone or lets too much output pile up (it is
 * then dropped). Any thread. */
bool rpc_client_send(rpc_client *c, GByteArray *pkt);
/* Drop the client once what is queued for it was written (or at once). */
void rpc_client_close(rpc_client *c);
