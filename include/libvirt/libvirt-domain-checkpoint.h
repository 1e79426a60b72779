/* libvirt-domain-checkpoint.h: domain checkpoints (dirty-block tracking points for incremental backup). */

#ifndef LIBVIRT_DOMAIN_CHECKPOINT_H
#define LIBVIRT_DOMAIN_CHECKPOINT_H

#ifndef __VIR_LIBVIRT_H_INCLUDES__
#error "Don't include this file directly, only use libvirt/libvirt.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* A checkpoint handle; it holds a reference to its domain. */
typedef struct _virDomainCheckpoint virDomainCheckpoint;
typedef virDomainCheckpoint *virDomainCheckpointPtr;

/* Accessors; the results are owned by the handle and carry no new reference. */
const char *virDomainCheckpointGetName(virDomainCheckpointPtr checkpoint);
virDomainPtr virDomainCheckpointGetDomain(virDomainCheckpointPtr checkpoint);
virConnectPtr virDomainCheckpointGetConnect(virDomainCheckpointPtr checkpoint);

/* Flags for virDomainCheckpointCreateXML(). */
typedef enum {
    VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE = (1 << 0),          /* restore or change metadata only */
    VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE = (1 << 1),           /* freeze guest filesystems via the agent */
    VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE = (1 << 2), /* with REDEFINE: check the disk bitmaps */
} virDomainCheckpointCreateFlags;

virDomainCheckpointPtr virDomainCheckpointCreateXML(virDomainPtr domain, const char *xmlDesc, unsigned int flags);

/* Flags for virDomainCheckpointGetXMLDesc(). */
typedef enum {
    VIR_DOMAIN_CHECKPOINT_XML_SECURE = (1 << 0),    /* include security-sensitive data */
    VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN = (1 << 1), /* leave out <domain> */
    VIR_DOMAIN_CHECKPOINT_XML_SIZE = (1 << 2),      /* add the bytes dirtied since, per disk */
} virDomainCheckpointXMLFlags;

char *virDomainCheckpointGetXMLDesc(virDomainCheckpointPtr checkpoint, unsigned int flags);

/* Filters for the checkpoint list APIs; ROOTS and DESCENDANTS share a bit. */
typedef enum {
    VIR_DOMAIN_CHECKPOINT_LIST_ROOTS = (1 << 0),       /* from a domain: only checkpoints without a parent */
    VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS = (1 << 0), /* from a checkpoint: all descendants */
    VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL = (1 << 1), /* parents before their children */
    VIR_DOMAIN_CHECKPOINT_LIST_LEAVES = (1 << 2),      /* without children */
    VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES = (1 << 3),   /* with children */
} virDomainCheckpointListFlags;

/* The array becomes NULL-terminated; free each element, then the array. */
int virDomainListAllCheckpoints(virDomainPtr domain, virDomainCheckpointPtr **checkpoints, unsigned int flags);
int virDomainCheckpointListAllChildren(virDomainCheckpointPtr checkpoint, virDomainCheckpointPtr **children, unsigned int flags);

/* Lookup and navigation; flags must be 0. */
virDomainCheckpointPtr virDomainCheckpointLookupByName(virDomainPtr domain, const char *name, unsigned int flags);
virDomainCheckpointPtr virDomainCheckpointGetParent(virDomainCheckpointPtr checkpoint, unsigned int flags);

/* Flags for virDomainCheckpointDelete(). */
typedef enum {
    VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN = (1 << 0),      /* also delete the descendants */
    VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY = (1 << 1), /* delete only the metadata */
    VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY = (1 << 2), /* delete only the descendants */
} virDomainCheckpointDeleteFlags;

int virDomainCheckpointDelete(virDomainCheckpointPtr checkpoint, unsigned int flags);

/* Reference counting of the handle; 0 on success, -1 on error. */
int virDomainCheckpointRef(virDomainCheckpointPtr checkpoint);
int virDomainCheckpointFree(virDomainCheckpointPtr checkpoint);

#ifdef __cplusplus
}
#endif

#endif /* LIBVIRT_DOMAIN_CHECKPOINT_H */
