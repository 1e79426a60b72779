/* The remote driver: the library's client of libvirt's remote protocol, talking to
 * virtmomentd (or libvirtd) over a UNIX socket. Internal to src/drivers/remote. */
#pragma once

#include <stdbool.h>
#include <glib.h>
#include "driver.h"
#include "event.h"
#include "rpc/rpc_packet.h"
#include "rpc/rpc_protocol.h"

/* The driver table, filled once on first use. */
const vm_driver *remote_driver_get(void);

typedef struct remote_event_cb remote_event_cb;

/* One connection to a daemon. */
typedef struct {
    int fd;
    virConnectPtr conn;          /* not referenced: it owns us */
    GThread *reader;             /* reads every packet; answers PINGs; routes events */
    int wake[2];                 /* a byte here stops the reader */
    GMutex write_lock;           /* one packet at a time on the socket */
    GMutex lock;                 /* protects what follows */
    GCond replied;               /* broadcast when a reply lands or the link dies */
    GHashTable *pending;         /* serial -> remote_pending* */
    uint32_t next_serial;
    bool dead;
    int dead_reason;             /* virConnectCloseReason */
    gint64 last_rx;              /* monotonic time of the last packet received */
    int ka_interval;             /* seconds; 0 = keepalive off */
    unsigned int ka_count;
    gint64 ka_last_ping;
    bool ka_supported;           /* the daemon answered feature 10 */
    bool close_cb_registered;    /* 360 was sent */
    bool events_supported;       /* the daemon answered feature 14 */
    char *type;                  /* CONNECT_GET_TYPE, cached */
    char *name;                  /* what CONNECT_OPEN was given */
    event_bus *events;           /* local delivery of the daemon's events */
    GMutex ev_lock;              /* protects the two below */
    GPtrArray *ev_cbs;           /* remote_event_cb*: one per event ID registered remotely */
    GQueue ev_limbo;             /* events for a callback ID not known yet */
    GHashTable *ev_local;        /* local callback id -> its event ID */
} remote_conn;

remote_conn *remote_conn_of(virConnectPtr conn);

/* remote_client.c: connect to path (false with an error, errno-based). */
remote_conn *remote_conn_connect(virConnectPtr conn, const char *path, int *ret_errno);
/* Stop the reader and close the socket. */
void remote_conn_free(remote_conn *rc);
/* One call: encode args, wait for the reply, decode it into ret (the procedure's
 * ret struct, zeroed; NULL for void). 0, or -1 with the daemon's error (or a
 * transport error) set. */
int remote_call(virConnectPtr conn, int proc, const void *args, void *ret);
/* The same on a remote_conn during the handshake. */
int remote_conn_call(remote_conn *rc, int proc, const void *args, void *ret);
/* Keepalive: PING after interval seconds of silence, give up after count more. */
void remote_conn_keepalive(remote_conn *rc, int interval, unsigned int count);
bool remote_conn_alive(remote_conn *rc);

/* remote_events.c: the reader got an event message. */
void remote_events_dispatch(remote_conn *rc, const rpc_proc_info *info, const uint8_t *payload,
                            size_t len);
void remote_events_fill(vm_driver *drv);
void remote_events_init(remote_conn *rc);
void remote_events_free(remote_conn *rc);

/* remote_wire.c: handles to the wire (shallow: pointing into the handle) and back. */
void remote_domain_to_wire(virDomainPtr dom, rpc_domain *ret_wire);
void remote_moment_to_wire(const char *name, virDomainPtr dom, rpc_moment *ret_wire);
virDomainPtr remote_domain_from_wire(virConnectPtr conn, const rpc_domain *wire);
virDomainSnapshotPtr remote_snapshot_from_wire(virDomainPtr dom, const rpc_moment *wire);
virDomainCheckpointPtr remote_checkpoint_from_wire(virDomainPtr dom, const rpc_moment *wire);
virDomainPtr *remote_domain_list_from_wire(virConnectPtr conn, const rpc_array *list);
virDomainSnapshotPtr *remote_snapshot_list_from_wire(virDomainPtr dom, const rpc_array *list);
virDomainCheckpointPtr *remote_checkpoint_list_from_wire(virDomainPtr dom, const rpc_array *list);
/* Move a names reply into the caller's array of nameslen; the count or -1. */
int remote_names_from_wire(rpc_array *list, char **names, int nameslen);

/* remote_stubs.c (generated): every callback that is one call. */
void remote_stubs_fill(vm_driver *drv);
