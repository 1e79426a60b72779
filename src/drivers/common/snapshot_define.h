/* What every driver does with a new <domainsnapshot> before and after its own work:
 * the checks of a redefinition against the tree, and putting the result into the
 * tree (parent, replacement, current) as libvirt's snapshot API has it. */
#pragma once

#include <stdbool.h>
#include "conf/moment_tree.h"
#include "conf/snapshot_conf.h"

/* Check a redefinition (def parsed with SNAPSHOT_PARSE_REDEFINE) against tree:
 * its name, its parent (libvirt's "cannot set moment X as its own parent", "parent P
 * for moment X not found", cycles), the redefine rules against the snapshot it
 * replaces (snapshot_def_redefine_validate, create_flags the public ones) and the
 * domain it needs; align its disks against its own <domain> or that of the snapshot
 * it replaces, which it then shares when it has none. *ret_parent: the parent
 * (NULL: a root); *ret_existing: the snapshot replaced (NULL: a new one). */
int snapshot_redefine_prepare(moment_tree *tree, snapshot_def *def, const unsigned char *domain_uuid,
                              unsigned int create_flags, moment **ret_parent, moment **ret_existing);

/* Put def (taken) into tree as virDomainSnapshotCreateXML does: a redefinition
 * replaces existing (keeping its children) under parent, or is added under parent;
 * a new snapshot goes under the current one. It becomes current when it is new or
 * with VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT. NULL with libvirt's error for a duplicate
 * name (def is then freed). */
moment *snapshot_tree_put(moment_tree *tree, snapshot_def *def, bool redefine, moment *parent,
                          moment *existing, unsigned int create_flags);
