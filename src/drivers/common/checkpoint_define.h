/* Checkpoint creation and redefinition rules for any driver: a new checkpoint's
 * defaults and disks, a redefinition's parent checks, and where each goes in the tree. */
#pragma once

#include "conf/checkpoint_conf.h"
#include "conf/moment_tree.h"

/* A new checkpoint (not a redefinition) for domain live: creation time now, the
 * default name, a name safe to store, disks aligned with live's. -1 with an error. */
int checkpoint_prepare_new(checkpoint_def *def, const domain_def *live, long long now);

/* Add a prepared new checkpoint under the current one and make it current. Takes
 * *defp on success; NULL with an error (the name exists) leaves it. */
moment *checkpoint_add_new(moment_tree *tree, checkpoint_def **defp);

/* The checks of a redefinition, before anything changes: its parent exists and
 * would make no cycle ("cannot set moment N as its own parent", "parent P for
 * moment N not found", VIR_ERR_INVALID_ARG in VIR_FROM_DOMAIN), then the conf
 * checks against live (checkpoint_def_redefine_prep). -1 with an error. */
int checkpoint_redefine_check(moment_tree *tree, checkpoint_def *def, const domain_def *live);

/* Apply a checked redefinition: it replaces the checkpoint of the same name
 * (keeping its children and, when the new one has none, its <domain>) or is added;
 * it becomes current when its parent is current or nothing is. Takes *defp on
 * success. */
moment *checkpoint_redefine_apply(moment_tree *tree, checkpoint_def **defp);
