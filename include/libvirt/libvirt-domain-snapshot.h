/* libvirt-domain-snapshot.h: domain snapshots: create, list, look up, revert to and delete. */

#ifndef LIBVIRT_DOMAIN_SNAPSHOT_H
#define LIBVIRT_DOMAIN_SNAPSHOT_H

#ifndef __VIR_LIBVIRT_H_INCLUDES__
#error "Don't include this file directly, only use libvirt/libvirt.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* A snapshot handle; it holds a reference to its domain. */
typedef struct _virDomainSnapshot virDomainSnapshot;
typedef virDomainSnapshot *virDomainSnapshotPtr;

/* Accessors; the results are owned by the handle and carry no new reference. */
const char *virDomainSnapshotGetName(virDomainSnapshotPtr snapshot);
virDomainPtr virDomainSnapshotGetDomain(virDomainSnapshotPtr snapshot);
virConnectPtr virDomainSnapshotGetConnect(virDomainSnapshotPtr snapshot);

/* Flags for virDomainSnapshotCreateXML(). */
typedef enum {
    VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE = (1 << 0),     /* restore or change metadata only */
    VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT = (1 << 1),      /* with REDEFINE: also make it current */
    VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA = (1 << 2),  /* take the snapshot, keep no metadata */
    VIR_DOMAIN_SNAPSHOT_CREATE_HALT = (1 << 3),         /* stop the domain afterwards */
    VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY = (1 << 4),    /* disks only, no memory state */
    VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT = (1 << 5),    /* reuse existing external files */
    VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE = (1 << 6),      /* freeze guest filesystems via the agent */
    VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC = (1 << 7),       /* all or nothing */
    VIR_DOMAIN_SNAPSHOT_CREATE_LIVE = (1 << 8),         /* keep the guest running while saving memory */
    VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE = (1 << 9),     /* validate the XML against the schema */
} virDomainSnapshotCreateFlags;

virDomainSnapshotPtr virDomainSnapshotCreateXML(virDomainPtr domain, const char *xmlDesc, unsigned int flags);

/* Flags for virDomainSnapshotGetXMLDesc(). */
typedef enum {
    VIR_DOMAIN_SNAPSHOT_XML_SECURE = VIR_DOMAIN_XML_SECURE, /* include security-sensitive data */
} virDomainSnapshotXMLFlags;

char *virDomainSnapshotGetXMLDesc(virDomainSnapshotPtr snapshot, unsigned int flags);

/* Filters for the snapshot list and count APIs; ROOTS and DESCENDANTS share a bit. */
typedef enum {
    VIR_DOMAIN_SNAPSHOT_LIST_ROOTS = (1 << 0),        /* from a domain: only snapshots without a parent */
    VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS = (1 << 0),  /* from a snapshot: all descendants, not just children */
    VIR_DOMAIN_SNAPSHOT_LIST_METADATA = (1 << 1),     /* with libvirt metadata */
    VIR_DOMAIN_SNAPSHOT_LIST_LEAVES = (1 << 2),       /* without children */
    VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES = (1 << 3),    /* with children */
    VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA = (1 << 4),  /* without libvirt metadata */
    VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE = (1 << 5),     /* taken while shut off */
    VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE = (1 << 6),       /* taken while active, with memory */
    VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY = (1 << 7),    /* taken while active, disks only */
    VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL = (1 << 8),     /* stored inside the disk images */
    VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL = (1 << 9),     /* using files outside the disk images */
    VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL = (1 << 10), /* parents before their children */
} virDomainSnapshotListFlags;

int virDomainSnapshotNum(virDomainPtr domain, unsigned int flags);
int virDomainSnapshotListNames(virDomainPtr domain, char **names, int nameslen, unsigned int flags);

/* *snaps becomes a NULL-terminated array; free each element, then the array. */
int virDomainListAllSnapshots(virDomainPtr domain, virDomainSnapshotPtr **snaps, unsigned int flags);

int virDomainSnapshotNumChildren(virDomainSnapshotPtr snapshot, unsigned int flags);
int virDomainSnapshotListChildrenNames(virDomainSnapshotPtr snapshot, char **names, int nameslen, unsigned int flags);
int virDomainSnapshotListAllChildren(virDomainSnapshotPtr snapshot, virDomainSnapshotPtr **snaps, unsigned int flags);

/* Lookup and navigation; flags must be 0. */
virDomainSnapshotPtr virDomainSnapshotLookupByName(virDomainPtr domain, const char *name, unsigned int flags);
int virDomainHasCurrentSnapshot(virDomainPtr domain, unsigned int flags);
virDomainSnapshotPtr virDomainSnapshotCurrent(virDomainPtr domain, unsigned int flags);
virDomainSnapshotPtr virDomainSnapshotGetParent(virDomainSnapshotPtr snapshot, unsigned int flags);

/* Return 1, 0, or -1 on error; flags must be 0. */
int virDomainSnapshotIsCurrent(virDomainSnapshotPtr snapshot, unsigned int flags);
int virDomainSnapshotHasMetadata(virDomainSnapshotPtr snapshot, unsigned int flags);

/* Flags for virDomainRevertToSnapshot(). */
typedef enum {
    VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING = 1 << 0,     /* run after the revert */
    VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED = 1 << 1,      /* pause after the revert */
    VIR_DOMAIN_SNAPSHOT_REVERT_FORCE = 1 << 2,       /* allow risky reverts */
    VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM = 1 << 3, /* recreate NVRAM from its template */
} virDomainSnapshotRevertFlags;

int virDomainRevertToSnapshot(virDomainSnapshotPtr snapshot, unsigned int flags);

/* Flags for virDomainSnapshotDelete(). */
typedef enum {
    VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN = (1 << 0),      /* also delete the descendants */
    VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY = (1 << 1), /* delete only the metadata */
    VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY = (1 << 2), /* delete only the descendants */
} virDomainSnapshotDeleteFlags;

int virDomainSnapshotDelete(virDomainSnapshotPtr snapshot, unsigned int flags);

/* Reference counting of the handle; 0 on success, -1 on error. */
int virDomainSnapshotRef(virDomainSnapshotPtr snapshot);
int virDomainSnapshotFree(virDomainSnapshotPtr snapshot);

#ifdef __cplusplus
}
#endif

#endif /* LIBVIRT_DOMAIN_SNAPSHOT_H */
