/* Disks as QEMU sees them: the -blockdev graph of each disk with stable node names,
 * the disk devices by bus, and live queries of the block nodes.
 *
 * Node names follow libvirt: every image of a disk's chain (the top image and each
 * backing file) has an index N, shown as <source index='N'/> in the live XML, and
 * two nodes, "libvirt-N-storage" (protocol: file or host_device) and
 * "libvirt-N-format" (raw or qcow2, its "file" the storage node and its "backing"
 * the next layer's format node or null). Indexes are given at start, as libvirt
 * gives them: the disks from the last to the first, each chain from the top down,
 * starting at 1; nodes added later (snapshots) take the next free index. */
#pragma once

#include <glib.h>
#include "conf/domain_conf.h"
#include "drivers/qemu/qemu_driver.h"

/* "libvirt-N-format" / "libvirt-N-storage". */
char *qemu_block_format_node(unsigned int index);
char *qemu_block_storage_node(unsigned int index);

/* Whether the machine type is a Q35 one (its SATA controller is built in, it has
 * no IDE). */
bool qemu_machine_is_q35(const char *machine);

/* Check that the driver can run disk (type, bus, format, device). -1 with
 * VIR_ERR_CONFIG_UNSUPPORTED otherwise. */
int qemu_block_validate_disk(const domain_def *def, const domain_disk_def *disk);

/* Make def's disks ready for a start: every source must exist; qcow2 backing chains
 * are read from the images (qemu-img info -U) into src->backing; sources get their
 * index and disks their alias. Returns the disks' runtime entries (in def->disks
 * order) and the next free node index. */
int qemu_block_prepare(domain_def *def, GPtrArray **ret_disks, guint *ret_next_index);

/* Append the -blockdev and -device arguments of def's disks to argv; bootindex[i]
 * is disk i's boot index (0: none). */
void qemu_block_build_args(GPtrArray *argv, const domain_def *def, const GPtrArray *disks,
                           const unsigned int *bootindex);

/* The -blockdev JSON of one layer: its storage node or its format node. */
char *qemu_block_storage_json(const domain_disk_def *disk, const domain_disk_source *src);
char *qemu_block_format_json(const domain_disk_def *disk, const domain_disk_source *src);

/* A dirty bitmap of a live block node, from query-named-block-nodes. */
typedef struct {
    char *name;                  /* NULL for the anonymous ones jobs create */
    unsigned long long granularity;
    unsigned long long count;    /* dirty bytes */
    bool recording, persistent, busy, inconsistent;
} qemu_block_bitmap;

typedef struct {
    char *node_name;
    char *driver;                /* "qcow2", "raw", "file", ... */
    char *filename;
    char *backing_file;          /* NULL when none */
    bool read_only;
    unsigned long long virtual_size;
    GPtrArray *bitmaps;          /* qemu_block_bitmap* */
} qemu_block_node;

void qemu_block_node_free(qemu_block_node *n);
/* query-named-block-nodes (flat): every node, a GPtrArray of qemu_block_node*. */
int qemu_block_query_nodes(qmp_client *mon, GPtrArray **ret_nodes);
/* The node called name in nodes, or NULL. */
const qemu_block_node *qemu_block_find_node(const GPtrArray *nodes, const char *name);
