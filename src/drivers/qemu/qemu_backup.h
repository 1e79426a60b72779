/* Backup jobs of the QEMU driver, push and pull, as the qemu_backup*.c and
 * qemu_job.c files share them.
 *
 * A backup job lives in QEMU (one blockdev-backup job per disk, started in one
 * transaction) and in a qemu_backup object hung on the domain (d->backup). The
 * domain's job is taken only to start and to end it: meanwhile every other call
 * works. A watcher thread per backup sleeps until QEMU's jobs conclude or the
 * monitor closes, then takes the domain's job and ends the backup (cleanup, events,
 * statistics); virDomainAbortJob ends it the same way from the caller's thread,
 * whichever comes first. Everything a process needs to take a backup over is in the
 * status file (qemu_backup_status.c). */
#pragma once

#include "conf/backup_conf.h"
#include "drivers/qemu/qemu_checkpoint.h"
#include "drivers/qemu/qmp_job.h"
#include "util/buf.h"
#include "util/typedparam.h"

typedef struct {
    char *dst;               /* target dev */
    char *source;            /* the disk's local file (BLOCK_JOB's disk), NULL when not a file */
    char *device;            /* the disk's top format node: the job's device */
    char *node;              /* target (push) or scratch (pull) format node */
    char *path;              /* its file or block device */
    int format;              /* storage_format */
    bool block;              /* path is a block device */
    bool created;            /* the job made the file: it goes unless a push completes */
    bool direct;             /* push target written with O_DIRECT (a full push) */
    bool node_added;
    char *job;               /* QEMU job id */
    char *bitmap;            /* the temporary bitmap of an incremental, NULL for full */
    char *bitmap_node;       /* where it is: device (push) or node (pull) */
    char *export_id;         /* pull: NBD export id, NULL until added */
    char *export_name;
    unsigned long long size; /* the disk's virtual size */
    json_object *merge;      /* incremental: block-dirty-bitmap-merge sources (setup only) */
    /* QEMU's side, under the backup's lock */
    qmp_job_status status;
    bool export_gone;
    unsigned long long current, total;
    char *error;             /* the job's error once concluded */
} qemu_backup_disk;

typedef struct qemu_backup qemu_backup;
struct qemu_backup {
    gint refs;
    qemu_dom *d;             /* not referenced: valid while d->backup is this or a watcher
                              * holding d runs */
    backup_def *def;         /* aligned, with the paths used */
    bool pull;
    bool reuse;              /* REUSE_EXTERNAL */
    gint64 start_ms;         /* real time */
    guint64 generation;      /* the domain's run it belongs to */
    GPtrArray *disks;        /* qemu_backup_disk* of the disks backed up */
    bool started;            /* the transaction ran: QEMU has the jobs */
    bool nbd_server;         /* the NBD server is this job's */
    char *tls_object;        /* id of its tls-creds-x509 object */
    char *scratch_dir;       /* private directory of generated scratch files */

    GMutex lock;             /* protects what follows and the disks' QEMU side */
    GCond cond;
    qmp_client *mon;         /* referenced; NULL when QEMU is gone */
    guint listener;
    bool closed;             /* the monitor closed */
    bool detach;             /* the process lets go of the root: change nothing */
    bool ended;
};

qemu_backup *qemu_backup_new(qemu_dom *d, backup_def *def);
qemu_backup *qemu_backup_ref(qemu_backup *b);
void qemu_backup_unref(qemu_backup *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemu_backup, qemu_backup_unref)
qemu_backup_disk *qemu_backup_disk_find(qemu_backup *b, const char *dst);

/* qemu_backup.c: virDomainBackupBegin, virDomainBackupGetXMLDesc. */
void qemu_backup_fill(vm_driver *drv);

/* qemu_backup_setup.c: make the targets or scratch images, add their nodes, start
 * the NBD server, run the transaction (temporary bitmaps, the new checkpoint's
 * bitmaps, the jobs), add the exports. d under a job, host unlocked. On failure
 * everything made is undone. */
int qemu_backup_setup(qemu_backup *b, const checkpoint_def *chk);
/* Undo what setup made, in the recipes' order (exports, jobs, bitmaps, nodes, NBD
 * server, TLS object; files unless keep_targets): everything QEMU still has when
 * alive, the files in any case. Fills the disks' final progress and errors. */
void qemu_backup_teardown(qemu_backup *b, bool alive, bool keep_targets);
/* Start following QEMU's events on mon (before the transaction). */
void qemu_backup_listen(qemu_backup *b, qmp_client *mon);
/* query-jobs: the disks' progress and status. */
int qemu_backup_query(qemu_backup *b);

/* For tests: start push jobs limited to bytes_per_second (0: no limit), so that a
 * guest can write while they run; and change the limit of a running backup. */
void qemu_backup_set_initial_speed(unsigned long long bytes_per_second);
int qemu_domain_backup_set_speed(virDomainPtr domain, unsigned long long bytes_per_second);

/* qemu_backup_run.c */
typedef enum {
    QEMU_BACKUP_END_JOBS,    /* QEMU's jobs concluded or QEMU went away */
    QEMU_BACKUP_END_ABORT,   /* virDomainAbortJob */
    QEMU_BACKUP_END_TAKEOVER,/* found ended or broken when taking a root over */
} qemu_backup_end_why;
/* Start the watcher thread. */
void qemu_backup_watch(qemu_backup *b);
/* End b (d under a job, host unlocked): teardown, files, the per-disk block job
 * events, JOB_COMPLETED and the completed statistics; d->backup cleared and the
 * status file rewritten. errmsg: why, when QEMU did not say. */
void qemu_backup_end(qemu_backup *b, qemu_backup_end_why why, const char *errmsg);
/* The process lets go of the root: stop every watcher of h (QEMU keeps the jobs). */
void qemu_backup_host_closing(qemu_host *h);

/* qemu_backup_status.c */
void qemu_backup_status_format(buf *out, const qemu_dom *d);
/* Read the <backupjob> of a status file into d->backup (not yet watched). */
void qemu_backup_status_parse(qemu_dom *d, xmlNodePtr root);
/* After the QEMU of d was taken over (or found dead): re-attach to its backup job
 * or clean it up, and say which in the domain log. d under a job, host unlocked. */
void qemu_backup_reattach(qemu_host *h, qemu_dom *d);

/* qemu_job.c: virDomainGetJobInfo, virDomainGetJobStats, virDomainAbortJobFlags. */
void qemu_job_fill(vm_driver *drv);
/* The statistics of b (progress so far, and for an ended job its outcome). */
void qemu_job_stats(const qemu_backup *b, typed_params *tp);
/* Keep the statistics of the job that ended (host lock held; takes tp's array). */
void qemu_job_set_completed(qemu_dom *d, typed_params *tp, int type);
/* d is freed: its backup object (detached) and statistics go. */
void qemu_job_dom_free(qemu_dom *d);
