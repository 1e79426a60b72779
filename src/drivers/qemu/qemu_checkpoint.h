/* The QEMU driver's checkpoints and the persistent dirty bitmaps behind them, as
 * its checkpoint, backup and snapshot code share them.
 *
 * Model (libvirt's): a checkpoint is one persistent dirty bitmap per disk, named
 * after the checkpoint, in the disk's top qcow2 image; every checkpoint's bitmap
 * keeps recording, so "changed since X" is X's bitmap alone (merged over the layers
 * of the backing chain that carry it, after external snapshots), and deleting a
 * checkpoint only removes its bitmaps (its parent's bitmap already holds everything
 * it recorded). See README.md for why this model and not "only the newest records". */
#pragma once

#include "conf/checkpoint_conf.h"
#include "drivers/qemu/qemu_driver.h"
#include "drivers/qemu/qemu_json.h"

/* ---- qemu_checkpoint_store.c: metadata ---- */

/* d's checkpoints, loaded from ROOT/lib/qemu/checkpoint/NAME the first time (host
 * lock held). NULL with an error when the store cannot be opened. */
moment_tree *qemu_checkpoint_tree(qemu_dom *d);
/* Load every domain's checkpoints (opening a root). */
void qemu_checkpoint_load_all(qemu_host *h);
/* Write m's file / record the current checkpoint (host lock held). */
int qemu_checkpoint_save(qemu_dom *d, const moment *m);
int qemu_checkpoint_save_current(qemu_dom *d);
/* Both at once, with one directory sync: m's file and the current checkpoint. */
int qemu_checkpoint_save_and_current(qemu_dom *d, const moment *m);
/* Remove the files of these checkpoints (leaves first). */
int qemu_checkpoint_remove_files(qemu_dom *d, const char *const *names, size_t n);
/* The domain goes away with its metadata: remove the store (host lock held). */
void qemu_checkpoint_discard_all(qemu_dom *d);
/* virDomainUndefineFlags (host lock held): refuse a domain that is shut off and has
 * checkpoints unless CHECKPOINTS_METADATA is given; with discard, that flag
 * discards them, without it the call only checks. */
int qemu_checkpoint_undefine(qemu_dom *d, unsigned int flags, bool discard);
/* Free d's tree and store (the domain object is freed). */
void qemu_checkpoint_free(qemu_dom *d);

/* ---- qemu_bitmap.c: the bitmaps of a domain's disks ---- */

/* A bitmap of one layer. */
typedef struct {
    char *name;
    bool inconsistent;       /* after a crash: only removal works */
    bool recording;
    bool busy;
    unsigned long long count;   /* dirty bytes (running domains only) */
} qemu_bitmap;

/* One layer of a disk's chain: a running domain's format node or an image file. */
typedef struct {
    char *node;              /* libvirt-N-format, NULL for a domain that is shut off */
    char *path;
    bool qcow2;
    bool read_only;
    GPtrArray *bitmaps;      /* qemu_bitmap* */
} qemu_layer;

/* A disk with its layers, top first. */
typedef struct {
    char *dst;
    char *source;            /* the top image's path */
    unsigned long long virtual_size;
    GPtrArray *layers;       /* qemu_layer* */
} qemu_disk_bitmaps;

void qemu_disk_bitmaps_free(qemu_disk_bitmaps *disk);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemu_disk_bitmaps, qemu_disk_bitmaps_free)

/* The bitmaps of every non-empty disk of d: from QEMU (query-named-block-nodes)
 * while it runs, else from the images (qemu-img info --backing-chain). d under a
 * job, host unlocked. A GPtrArray of qemu_disk_bitmaps*. */
int qemu_bitmaps_read(qemu_dom *d, GPtrArray **ret_disks);
const qemu_disk_bitmaps *qemu_bitmaps_find(const GPtrArray *disks, const char *dst);

/* Whether bitmap can stand for its checkpoint on disk: present in the top layer and
 * then in each layer below as long as it is present, none inconsistent, recording
 * in the top layer. Otherwise false, and *ret_why (may be NULL) says why in words
 * fit for an error message. */
bool qemu_bitmap_usable(const qemu_disk_bitmaps *disk, const char *bitmap, char **ret_why);

/* Report libvirt's VIR_ERR_CHECKPOINT_INCONSISTENT "missing or broken bitmap 'B' for
 * disk 'D'", followed by why and how to recover. */
void qemu_bitmap_report_broken(const char *bitmap, const char *dst, const char *why,
                               const char *checkpoint);

/* The {"node","name"} sources of block-dirty-bitmap-merge that make up "changed since
 * bitmap" on a running disk (the layers carrying it, top first). */
json_object *qemu_bitmap_merge_sources(const qemu_disk_bitmaps *disk, const char *bitmap);

/* Transaction actions. */
json_object *qemu_bitmap_action(const char *type, const char *node, const char *name);
json_object *qemu_bitmap_add_action(const char *node, const char *name, bool persistent,
                                    bool disabled);
json_object *qemu_bitmap_merge_action(const char *node, const char *target, json_object *sources);

/* Run a transaction of actions (consumed). */
int qemu_transaction(qmp_client *mon, json_object *actions, json_object *properties);

/* ---- qemu_checkpoint.c / qemu_checkpoint_query.c: the API ---- */

void qemu_checkpoint_fill(vm_driver *drv);

/* For a new checkpoint (parsed, not yet prepared) of running or shut-off d, checked
 * against the disks: aligned, each bitmap disk qcow2 at the top, each bitmap named
 * after the checkpoint, the name free. Host lock held. -1 with an error. */
int qemu_checkpoint_prepare(qemu_dom *d, checkpoint_def *def);
/* The block-dirty-bitmap-add actions of a prepared checkpoint on running d,
 * appended to actions (host lock held). */
void qemu_checkpoint_add_actions(qemu_dom *d, const checkpoint_def *def, json_object *actions);
/* Record a checkpoint whose bitmaps now exist (host lock held): add it under the
 * current one, make it current, write its metadata. Takes *defp. */
moment *qemu_checkpoint_commit(qemu_dom *d, checkpoint_def **defp);

/* ---- qemu_checkpoint_snap.c: what snapshots need from checkpoints ---- */

/* For an external snapshot of running disk dst whose new overlay will be node
 * overlay_node: append to actions (the snapshot's transaction, after its
 * blockdev-snapshot actions) one block-dirty-bitmap-add per checkpoint bitmap the
 * disk's top layer carries, same name, persistent and recording, so that
 * incremental backups continue across the snapshot. disks: from qemu_bitmaps_read
 * just before. */
void qemu_checkpoint_overlay_actions(const GPtrArray *disks, const char *dst,
                                     const char *overlay_node, json_object *actions);
/* The same for an external snapshot of a shut-off domain: add the bitmaps of the
 * image top (the disk's current top image) to the new overlay file overlay (qemu-img
 * bitmap). Removes what it added on failure. */
int qemu_checkpoint_overlay_offline(const char *top, const char *overlay);
/* Deleting external snapshots merges a layer (top) into the one below it (base):
 * every persistent, consistent bitmap of top is merged into base's bitmap of the
 * same name, added there (recording) when missing, so that "changed since X" stays
 * a superset of the truth. Online: on running nodes during the commit job (base
 * writable: at READY of an active commit, at PENDING of another), one transaction;
 * offline: with qemu-img after qemu-img commit (idempotent, may run again). */
int qemu_checkpoint_commit_online(qmp_client *mon, const char *top_node, const char *base_node);
int qemu_checkpoint_commit_offline(const char *top, const char *base);
/* -1 with VIR_ERR_OPERATION_INVALID when a backup job runs on d: no revert then
 * (d under a job, host unlocked). */
int qemu_checkpoint_check_no_backup(qemu_dom *d, const char *snapshot);
/* Whether an internal snapshot may be reverted (loaded) on d: QEMU 7.2 cannot load
 * internal snapshots of disks that carry dirty bitmaps (it fails half-way, leaving
 * some disks reverted), and a revert would make every checkpoint wrong anyway. -1
 * with VIR_ERR_OPERATION_UNSUPPORTED saying what to do when d has checkpoints or
 * its disks carry bitmaps (d under a job, host unlocked; disks as read by
 * qemu_bitmaps_read or NULL to read them). */
int qemu_checkpoint_check_internal_revert(qemu_dom *d, const char *snapshot, const GPtrArray *disks);

/* qemu_checkpoint_query.c */
void qemu_checkpoint_query_fill(vm_driver *drv);
