/* What the QEMU driver's snapshot files (qemu_snapshot*.c) share: the tree and its
 * store, the registry of the files the driver made, domain definitions as the
 * snapshots need them, the image graph of each disk, and the operations on images.
 * See README.md ("Snapshots") for the design. */
#pragma once

#include <stdbool.h>
#include "conf/snapshot_conf.h"
#include "drivers/qemu/qemu_driver.h"
#include "drivers/qemu/qemu_moment_store.h"

/* ---- qemu_snapshot_store.c: the tree, its files, the registry ---- */

/* How the moment store writes and reads snapshots (their domains kept apart). */
extern const moment_store_ops qemu_snapshot_store_ops;

/* d's tree, its store opened and loaded the first time (host lock held). NULL with
 * an error when the store cannot be opened. */
moment_tree *qemu_snapshot_tree(qemu_dom *d);
/* ROOT/lib/qemu/snapshot/NAME: the store's directory. */
char *qemu_snapshot_dir(qemu_host *h, const char *name);
/* The snapshot called name, or NULL with VIR_ERR_NO_DOMAIN_SNAPSHOT (host locked). */
moment *qemu_snapshot_find(qemu_dom *d, const char *name);

/* Persistence, by the holder of d's job (host unlocked or locked). */
int qemu_snapshot_save(qemu_dom *d, const moment *m);
int qemu_snapshot_save_current(qemu_dom *d);
int qemu_snapshot_remove_files(qemu_dom *d, const char *const *names, size_t n);

/* Crash tests: with VIRTMOMENT_SNAPSHOT_CRASH_AFTER=N in the environment, the
 * process exits (status 99) at the Nth step; with VIRTMOMENT_SNAPSHOT_STEPS=FILE
 * each step's name is appended to FILE. Steps are the points between changes that
 * a crash could separate. */
void qemu_snapshot_step(const char *what);

/* The files the driver made for snapshots (overlays, memory states) and those it
 * was told to leave alone (kept, after a METADATA_ONLY delete): only files it made
 * are ever removed. Kept files stay usable: the images they need are never
 * changed. ROOT/lib/qemu/snapshot/NAME/images. */
typedef enum { SNAP_OWN_IMAGE, SNAP_OWN_MEMORY, SNAP_OWN_KEPT } snap_own_kind;
typedef struct {
    int kind;               /* snap_own_kind */
    char *disk;             /* target of the disk (images), NULL for memory */
    char *path;
} snap_own;
typedef struct {
    char *file;
    GPtrArray *items;       /* snap_own* */
} snap_registry;

snap_registry *snap_registry_load(qemu_host *h, const char *domain_name);
void snap_registry_free(snap_registry *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(snap_registry, snap_registry_free)
int snap_registry_save(snap_registry *r);
bool snap_registry_has(const snap_registry *r, int kind, const char *path);
void snap_registry_add(snap_registry *r, int kind, const char *disk, const char *path);
bool snap_registry_remove(snap_registry *r, int kind, const char *path);

/* ---- qemu_snapshot_defs.c: domain definitions for snapshots ---- */

/* The inactive form of def, without backing chains: what a snapshot records. */
domain_def *snap_dom_copy(const domain_def *def);
/* The top image of disk dst of def (file disks), or NULL. */
domain_disk_def *snap_dom_disk(const domain_def *def, const char *dst);
const char *snap_dom_disk_path(const domain_def *def, const char *dst);
/* *def (replaced by a changed copy) with disk dst on path (format: storage_format),
 * its backing chain forgotten. */
void snap_dom_set_disk(domain_def **def, const char *dst, const char *path, int format);
/* The image of s's disk i: the top image of that disk in s's <domain> (for an
 * external disk, the image frozen by the snapshot; for an internal one, the image
 * holding the tag); NULL when the disk is not captured. */
const char *snap_image(const snapshot_def *s, size_t i);
/* Whether s is being deleted (<snapshotDeleteInProgress/> on a disk). */
bool snap_deleting(const snapshot_def *s);
/* A copy of s with disk dst's image moved from -> to (of format, storage_format), or
 * NULL when s does not use from. */
snapshot_def *snap_def_rename_image(const snapshot_def *s, const char *dst, const char *from,
                                    const char *to, int format);

/* ---- qemu_snapshot_image.c: image headers and the graph of each disk ---- */

typedef struct {
    char *path;
    int format;             /* storage_format: qcow2 (by its magic) or raw */
    char *backing;          /* absolute, NULL when none */
    int backing_format;     /* storage_format from the header, 0: not recorded */
    unsigned long long virtual_size;   /* qcow2: from the header; raw: the file's size */
} snap_image_info;

/* Read path's header. -1 with an error when path cannot be read. */
int snap_image_read(const char *path, snap_image_info **ret);
void snap_image_info_free(snap_image_info *i);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(snap_image_info, snap_image_info_free)

/* Why an image must stay as it is. */
enum {
    PIN_FROZEN = 1 << 0,    /* an external snapshot's image */
    PIN_TAGS = 1 << 1,      /* holds the tag of an internal snapshot */
    PIN_CURRENT = 1 << 2,   /* the domain's top image */
    PIN_KEPT = 1 << 3,      /* a file left to the user */
};

typedef struct {
    char *dst;
    GHashTable *images;     /* path -> snap_image_info* of every known image that exists */
    GHashTable *pins;       /* path -> GUINT_TO_POINTER(PIN_* bits) */
    GHashTable *needed;     /* set: the pinned images and their backing chains */
    char *current;          /* the top image, NULL when the disk has none */
    GPtrArray *running;     /* the running chain, top first (NULL while inactive) */
} snap_disk_graph;

typedef struct {
    GPtrArray *disks;       /* snap_disk_graph*, one per disk target seen */
} snap_graph;

/* The graph of every disk of d: pins from the snapshots of tree (except those in
 * the set skip, may be NULL, and those being deleted), the top image of d (unless
 * without_current), the kept files of reg; the images reg owns. Host lock held. */
snap_graph *snap_graph_build(qemu_dom *d, moment_tree *tree, const snap_registry *reg,
                             GHashTable *skip, bool without_current);
void snap_graph_free(snap_graph *g);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(snap_graph, snap_graph_free)
snap_disk_graph *snap_graph_disk(const snap_graph *g, const char *dst);
/* The known images whose backing file is path. */
GPtrArray *snap_graph_children(const snap_disk_graph *dg, const char *path);
/* Whether path is the backing file of an image still needed, or an external
 * snapshot's image: its data must not change. */
bool snap_graph_frozen(const snap_disk_graph *dg, const char *path);

/* ---- qemu_snapshot_merge.c: removing what nothing needs, merging layers ---- */

/* Bring the images of d in line with its snapshots: remove the files the driver
 * made that nothing needs, then merge every layer that no snapshot pins and that
 * has a single child into it (block-commit, online, or qemu-img commit), moving
 * the references, and remove the child. d under a job, host unlocked. gc_only:
 * only remove files. */
int qemu_snapshot_reconcile(qemu_host *h, qemu_dom *d, bool gc_only);

/* ---- qemu_snapshot_online.c: QMP for snapshots ---- */

/* The live disk of dst and the layer of its chain at path (host lock held). */
domain_disk_source *snap_live_layer(qemu_dom *d, const char *dst, const char *path);
/* Run a QMP job (snapshot-save/-load/-delete, block-commit, ...) recorded in the
 * status file while it runs, so that a new owner can clean it up. until_ready:
 * complete it at READY (active commit). */
int snap_run_job(qemu_host *h, qemu_dom *d, const char *command, json_object *args,
                 const char *job_id, bool until_ready);
/* The same with hook called while the job holds on (d's monitor usable): at READY
 * before job-complete (until_ready), else at PENDING before job-finalize (the job
 * is started with "auto-finalize": false). A failing hook cancels the job. */
typedef int (*snap_job_hook)(qemu_dom *d, void *opaque);
int snap_run_job_hook(qemu_host *h, qemu_dom *d, const char *command, json_object *args,
                      const char *job_id, bool until_ready, snap_job_hook hook, void *opaque);
/* The persistent definition of d with disk dst on path (format), the config (and
 * the status) file rewritten once. Host unlocked. The live chain is the caller's. */
typedef struct {
    const char *dst;
    const char *path;
    int format;             /* storage_format */
} snap_disk_move;
int snap_switch_disks(qemu_host *h, qemu_dom *d, const snap_disk_move *moves, size_t n);
int snap_switch_disk(qemu_host *h, qemu_dom *d, const char *dst, const char *path, int format);
/* Throw away leftover snapshot jobs of a taken-over QEMU and read each disk's top
 * image back from QEMU (a crash between a pivot and the status file). */
void snap_resync(qemu_host *h, qemu_dom *d);

/* ---- qemu_snapshot_create.c / qemu_snapshot_take.c: making a snapshot ---- */

typedef struct {
    qemu_host *h;
    qemu_dom *d;
    snapshot_def *def;      /* aligned: every disk with its location */
    unsigned int flags;     /* virDomainSnapshotCreateFlags */
    bool active;            /* the domain runs (QEMU is there) */
    bool running;           /* its CPUs run */
    bool internal;          /* the captured disks are internal (else external) */
    snap_registry *reg;
    GPtrArray *created;     /* files made so far: removed when the snapshot fails */
} snap_create;

/* Take the snapshot c->def describes (host unlocked, d under a job). On failure
 * nothing is left: no new file, no tag, the disks and the run state as before. */
int snap_take_internal(snap_create *c);
int snap_take_external(snap_create *c);
/* HALT: stop the domain "from snapshot". */
void snap_halt(qemu_host *h, qemu_dom *d);

/* For benchmarks: how long the guest's disks were cut off (QMP transaction) and the
 * guest was stopped by the last snapshot, in microseconds (0: not at all). */
extern gint64 qemu_snapshot_last_transaction_us;

/* ---- the driver's entry points (qemu_snapshot_*.c) ---- */

virDomainSnapshotPtr qemu_snapshot_create_xml(virDomainPtr domain, const char *xml, unsigned int flags);
int qemu_snapshot_revert(virDomainSnapshotPtr snapshot, unsigned int flags);
int qemu_snapshot_delete(virDomainSnapshotPtr snapshot, unsigned int flags);
void qemu_snapshot_query_fill(vm_driver *drv);
