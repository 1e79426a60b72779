/* Internal to rpc_server*.c: the server and client objects. */
#pragma once

#include "rpc/rpc_packet.h"
#include "rpc/rpc_server.h"

#define CLIENT_MAX_QUEUED_CALLS 16       /* reading pauses above this */
#define CLIENT_MAX_OUTPUT (64u << 20)    /* a client not reading this much is dropped */
#define CLIENT_PAUSE_OUTPUT (1u << 20)   /* reading pauses while this much output waits, */
#define CLIENT_PAUSE_PACKETS 1024u       /* or this many packets (PONGs are small) */

struct rpc_server {
    rpc_server_ops ops;
    void *opaque;
    GMainContext *ctx;       /* the I/O thread's */
    GMainLoop *loop;
    GThreadPool *workers;
    gint running;            /* clients a worker is running calls of (I/O thread increments) */
    GMutex lock;             /* protects clients */
    GPtrArray *clients;      /* rpc_client* (a reference each) */
    GPtrArray *listeners;    /* GSource* */
    GPtrArray *paths;        /* char*: socket files to remove at the end */
    unsigned int idle_timeout;
    gint64 idle_since;       /* monotonic time the last client left */
};

struct rpc_client {
    gint refs;
    rpc_server *srv;
    int fd;
    bool readonly;
    uid_t uid;
    void *data;
    /* I/O thread only */
    rpc_reader reader;
    GSource *rsrc;
    GSource *wsrc;
    /* lock protects the rest */
    GMutex lock;
    GQueue calls;            /* GByteArray* waiting for a worker */
    bool busy;               /* a worker is running this client's calls */
    bool paused;             /* reading stopped until the calls drain */
    bool want_write;         /* the I/O thread was asked to watch for POLLOUT */
    bool closing;            /* close once the output is written */
    bool closed;
    GQueue out;              /* GByteArray* to write */
    size_t out_off;          /* of the head */
    size_t out_bytes;
};

/* rpc_server_client.c: a new client on an accepted socket (I/O thread). */
rpc_client *rpc_client_new(rpc_server *s, int fd, bool readonly, uid_t uid);
/* Start watching its socket (I/O thread). */
void rpc_client_start(rpc_client *c);
/* Close its socket now, tell the server's owner, forget it (I/O thread). */
void rpc_client_shutdown(rpc_client *c);
/* The worker pool's function. */
void rpc_client_work(gpointer data, gpointer user_data);
/* rpc_server.c: a client's socket closed; remove it from the server's list. */
void rpc_server_forget(rpc_server *s, rpc_client *c);
