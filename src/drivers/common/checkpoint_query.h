/* Checkpoint queries every driver answers alike: the lookup by name, the parent's
 * handle and the XML, with errors in the calling driver's error domain. */
#pragma once

#include <libvirt/libvirt.h>
#include "conf/moment_tree.h"

/* The flags ListAllCheckpoints and CheckpointListAllChildren accept. */
#define CHECKPOINT_LIST_FLAGS \
    (VIR_DOMAIN_CHECKPOINT_LIST_ROOTS | VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL | \
     VIR_DOMAIN_CHECKPOINT_LIST_LEAVES | VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES)

/* The checkpoint of tree called name; NULL (VIR_ERR_NO_DOMAIN_CHECKPOINT in error
 * domain from) if there is none. */
moment *checkpoint_find(const moment_tree *tree, const char *name, int from);

/* A handle of checkpoint m's parent, on domain; NULL (VIR_ERR_NO_DOMAIN_CHECKPOINT in
 * error domain from) for a root. */
virDomainCheckpointPtr checkpoint_parent_handle(virDomainPtr domain, const moment *m, int from);

/* Checkpoint m's XML with VIR_DOMAIN_CHECKPOINT_XML_* flags. */
char *checkpoint_format(const moment *m, unsigned int flags);
