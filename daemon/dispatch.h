/* virtmomentd's dispatch: the per-client state, the procedure table (generated
 * from api.tbl into dispatch_gen.c) and the helpers the handlers share. */
#pragma once

#include <stdbool.h>
#include <libvirt/libvirt.h>
#include "handle.h"
#include "rpc/rpc_packet.h"
#include "rpc/rpc_protocol.h"
#include "rpc/rpc_server.h"

typedef struct daemon_event daemon_event;

/* What the daemon keeps about one client. */
typedef struct {
    rpc_client *rc;              /* not referenced: it owns us */
    GMutex lock;                 /* protects what follows */
    virConnectPtr conn;          /* after CONNECT_OPEN */
    GPtrArray *events;           /* daemon_event*: its event registrations */
} daemon_client;

/* A procedure's handler: fill ret (zeroed) from args; 0, or -1 with an error set.
 * conn is NULL before CONNECT_OPEN (only the handshake's procedures see that). */
typedef int (*daemon_proc_fn)(daemon_client *client, virConnectPtr conn, void *args, void *ret);

typedef struct {
    int32_t num;
    daemon_proc_fn fn;
} daemon_proc;

/* dispatch_gen.c: the handler of procedure num, or NULL. */
const daemon_proc *daemon_proc_lookup(int32_t num);
/* The hand-written handlers it refers to. */
#include "daemon/dispatch_procs.h"

/* qemu_program.c: libvirt's QEMU program (qemu-monitor-command): a procedure's
 * description and handler, or NULL. */
#define DAEMON_PROGRAM_QEMU 0x20008087u
const rpc_proc_info *daemon_qemu_proc_info(int32_t num);
const daemon_proc *daemon_qemu_proc_lookup(int32_t num);

/* dispatch.c: run one CALL packet of a client and queue the reply. */
void daemon_dispatch(rpc_client *rc, const uint8_t *pkt, size_t len, void *opaque);
/* Whether a CALL packet is one of the queries that only read the drivers'
 * in-memory state under their short locks (rpc_server_ops.quick). */
bool daemon_quick(const uint8_t *pkt, size_t len, void *opaque);
/* Where to open CONNECT_OPEN's names (set once at start-up). */
typedef struct {
    char *qemu_root;             /* qemu:///session and qemu:///system go here; NULL = refuse */
} daemon_config;
extern daemon_config daemon_conf;

/* wire.c: handles built from and turned into their wire form. */
virDomainPtr daemon_domain_from_wire(virConnectPtr conn, const rpc_domain *wire);
virDomainSnapshotPtr daemon_snapshot_from_wire(virConnectPtr conn, const rpc_moment *wire);
virDomainCheckpointPtr daemon_checkpoint_from_wire(virConnectPtr conn, const rpc_moment *wire);
void daemon_domain_to_wire(virDomainPtr dom, rpc_domain *ret_wire);
void daemon_moment_to_wire(const char *name, virDomainPtr dom, rpc_moment *ret_wire);
/* A List* result (n handles, list may be NULL) into the wire array; frees list. */
void daemon_domain_list_to_wire(virDomainPtr *list, int n, rpc_array *ret_wire);
void daemon_snapshot_list_to_wire(virDomainSnapshotPtr *list, int n, rpc_array *ret_wire);
void daemon_checkpoint_list_to_wire(virDomainCheckpointPtr *list, int n, rpc_array *ret_wire);
/* An array for a ListNames call of maxnames (bounded by limit); false with an error. */
bool daemon_names_alloc(int maxnames, int limit, char ***ret_names);
void daemon_names_free(char **names, int n);
/* A C string as char<N> on the wire: its bytes and the NUL. */
void daemon_chars_to_wire(const char *s, rpc_chars *ret_wire);

/* events.c: CALLBACK_REGISTER_ANY and its messages. */
void daemon_events_ready(daemon_client *client);
void daemon_events_drop(daemon_client *client);
