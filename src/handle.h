/* The refcounted handles the public API hands out (connection, domain, snapshot,
 * checkpoint). Drivers create them; callers release them with vir*Free/Close.
 * A domain handle names a domain (name, uuid, id); it holds no driver state. */
#pragma once

#include <stdbool.h>
#include <glib.h>
#include <libvirt/libvirt.h>
#include "util/uuid.h"

typedef struct vm_driver vm_driver;

struct _virConnect {
    unsigned int magic;
    gint refs;
    char *uri;                 /* as it was opened */
    unsigned int flags;        /* VIR_CONNECT_RO */
    const vm_driver *driver;
    void *driver_data;         /* the driver's per-connection state */

    GMutex lock;               /* protects the members below */
    virError error;            /* virConnGetLastError */
    virErrorFunc handler;
    void *handler_data;
    virConnectCloseFunc close_cb;
    void *close_opaque;
    virFreeCallback close_free;
};

struct _virDomain {
    unsigned int magic;
    gint refs;
    virConnectPtr conn;        /* holds a reference */
    char *name;                /* stored behind the struct, in the same allocation */
    unsigned char uuid[UUID_LEN];
    int id;                    /* -1 when inactive */
};

/* Handles made for one listing share an allocation; it goes with the last of them. */
typedef struct handle_block handle_block;

struct _virDomainSnapshot {
    unsigned int magic;
    gint refs;
    virDomainPtr domain;       /* holds a reference */
    char *name;
    handle_block *block;       /* NULL: allocated alone */
};

struct _virDomainCheckpoint {
    unsigned int magic;
    gint refs;
    virDomainPtr domain;       /* holds a reference */
    char *name;
    handle_block *block;
};

virConnectPtr handle_connect_new(const char *uri, unsigned int flags);
virDomainPtr handle_domain_new(virConnectPtr conn, const char *name,
                               const unsigned char uuid[UUID_LEN], int id);
virDomainSnapshotPtr handle_snapshot_new(virDomainPtr domain, const char *name);
virDomainCheckpointPtr handle_checkpoint_new(virDomainPtr domain, const char *name);

bool handle_connect_valid(virConnectPtr conn);
bool handle_domain_valid(virDomainPtr domain);
bool handle_snapshot_valid(virDomainSnapshotPtr snapshot);
bool handle_checkpoint_valid(virDomainCheckpointPtr checkpoint);

void handle_connect_ref(virConnectPtr conn);
/* Drop a reference; returns the references left (0 = freed, after the driver's
 * close callback ran). */
int handle_connect_unref(virConnectPtr conn);
void handle_domain_ref(virDomainPtr domain);
void handle_domain_unref(virDomainPtr domain);
void handle_snapshot_ref(virDomainSnapshotPtr snapshot);
void handle_snapshot_unref(virDomainSnapshotPtr snapshot);
void handle_checkpoint_ref(virDomainCheckpointPtr checkpoint);
void handle_checkpoint_unref(virDomainCheckpointPtr checkpoint);

/* The handles of a listing: names[i] (n of them) of domain's snapshots or
 * checkpoints, made in one allocation, as a NULL-terminated array (g_free it; free
 * each handle with its unref). */
virDomainSnapshotPtr *handle_snapshot_list_new(virDomainPtr domain, const char *const *names, size_t n);
virDomainCheckpointPtr *handle_checkpoint_list_new(virDomainPtr domain, const char *const *names,
                                                   size_t n);

/* A NULL-terminated array of handles for the List* functions: the array owns one
 * reference per element; handle_*_list_free drops them and frees the array. */
void handle_domain_list_free(virDomainPtr *list);
void handle_snapshot_list_free(virDomainSnapshotPtr *list);
void handle_checkpoint_list_free(virDomainCheckpointPtr *list);
