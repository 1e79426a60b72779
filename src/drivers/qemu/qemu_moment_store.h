/* Snapshot and checkpoint metadata on disk: one small file per moment, the domain
 * definitions they embed stored once each (by content), and the current moment.
 * Every change writes only the files of the moments it changes, atomically, so its
 * cost does not depend on the size of the tree, and a crash at any point leaves
 * each file old or new, never torn.
 *
 * DIR/NAME.xml        <moment><domain slot= ref=/>...<domainsnapshot>...</moment>
 * DIR/domains/H.xml   a domain definition (SECURE, INACTIVE), H its SHA-256
 * DIR/current         a symbolic link whose target is the current moment's name
 *                     (absent: none; a plain file holding the name is read too)
 * DIR/pack/moments    optional: the texts of all DIR/NAME.xml in one file, written
 *                     when the store is let go, and trusted only while DIR is as it
 *                     was then (qemu_moment_pack.h)
 *
 * NAME is file_name_encode(name). Moments are written with their parent's name, so
 * a tree is rebuilt from the files alone; children are written before their parent
 * is removed, so a crash never leaves a moment whose parent is gone.
 *
 * The NAME.xml files are the truth; the pack only spares reading them one by one.
 * Loading reads the pack when it is up to date, the files otherwise. The first
 * change after that removes the pack (and syncs its removal) before touching
 * anything, and moment_store_pack writes it again from what the files hold: a
 * change never costs more than before, and a crash at any point leaves no pack
 * that could be trusted wrongly. */
#pragma once

#include <stdbool.h>
#include "conf/domain_conf.h"
#include "conf/moment_tree.h"

/* What differs between snapshots and checkpoints. */
typedef struct {
    /* The definition as XML with its domains left out (the store keeps those) and
     * parent as its parent; flags as for the kind's formatter (INTERNAL). */
    char *(*format)(void *def, const char *parent);
    /* Parse what format wrote (node is its root element) into a new definition;
     * *ret_parent gets the parent's name or NULL. */
    void *(*parse)(xmlNodePtr node, char **ret_parent);
    void (*free)(void *def);
    /* The definition's domain slots (snapshots: domain and inactive domain). */
    domain_def **(*domain_slot)(void *def, int slot);
    int nslots;
    const char *root;       /* the root element of the kind: "domainsnapshot" */
} moment_store_ops;

typedef struct moment_store moment_store;

/* The store in dir (created when missing). */
moment_store *moment_store_open(const char *dir, const moment_store_ops *ops);
void moment_store_free(moment_store *store);

/* Fill an empty tree with every moment stored, and set its current one. Files
 * left half-written by a crash are ignored; a moment whose parent is missing (a
 * crash between removals) becomes a root. Domain files nothing refers to are
 * removed. */
int moment_store_load(moment_store *store, moment_tree *tree);

/* Write m's file (after it was added, redefined or moved to another parent). */
int moment_store_save(moment_store *store, const moment *m);
/* Remove the files of the moments with these names (give leaves first: a crash
 * halfway then keeps a tree). */
int moment_store_remove(moment_store *store, const char *const *names, size_t n);
/* Write m's file and record current as the current moment, with one sync of the
 * directory for both (a new moment that becomes current). */
int moment_store_save_current(moment_store *s, const moment *m, const moment *current);
/* Record which moment is current (NULL: none). */
int moment_store_set_current(moment_store *store, const moment *m);
/* Write the pack (see above) when the store has enough moments and the pack is not
 * up to date; for when the store is let go, while its root is still owned (no other
 * process may change the store between the pack and the times it records). */
int moment_store_pack(moment_store *store);
/* Remove everything (the domain is undefined with its metadata). */
int moment_store_destroy(moment_store *store);
