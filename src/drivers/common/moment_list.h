/* The snapshot and checkpoint listing and deletion rules, for any driver: public
 * flags to the moment tree's, and handles or names for what is selected. */
#pragma once

#include <stdbool.h>
#include <libvirt/libvirt.h>
#include "conf/moment_tree.h"

/* Which snapshots VIR_DOMAIN_SNAPSHOT_LIST_* flags select under from (NULL: the
 * domain), for drivers whose snapshots all have metadata. Count them, or give
 * names (at most nameslen, strdup'ed) or handles of domain's snapshots. Returns the
 * count, as the List/Num functions do. */
int snapshot_list(moment_tree *tree, const moment *from, unsigned int flags, virDomainPtr domain,
                  char **names, int nameslen, virDomainSnapshotPtr **ret_list);

/* The same for checkpoints (VIR_DOMAIN_CHECKPOINT_LIST_* are the tree's own flags). */
int checkpoint_list(moment_tree *tree, const moment *from, unsigned int flags, virDomainPtr domain,
                    virDomainCheckpointPtr **ret_list);

/* Delete m from tree as the Delete functions do with CHILDREN and CHILDREN_ONLY
 * (their values are the same for snapshots and checkpoints): the current moment
 * moves to m when it was among the descendants removed, to m's parent when m
 * itself goes. */
void moment_delete(moment_tree *tree, moment *m, bool children, bool children_only);
