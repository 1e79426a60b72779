/* The QEMU driver (qemu:///embed?root=DIR): the host and domain objects that the
 * qemu_*.c files of the driver share. See README.md for the file layout under ROOT,
 * the node names and the locking rules. */
#pragma once

#include <stdbool.h>
#include <gio/gio.h>
#include "conf/domain_conf.h"
#include "conf/moment_tree.h"
#include "drivers/qemu/qemu_moment_store.h"
#include "driver.h"
#include "event.h"
#include "drivers/qemu/qmp.h"

/* The driver table, filled once on first use. */
const vm_driver *qemu_driver_get(void);

/* One disk of a running domain as QEMU knows it. */
typedef struct {
    char *dst;              /* <target dev>, "vda" */
    char *qdev;             /* the device's id (= its alias), "virtio-disk0" */
    char *qemu_io_path;     /* what HMP qemu-io -d takes: the BlockBackend's owner */
    char *format_node;      /* top layer's format node, libvirt-N-format; NULL: empty cdrom */
    char *storage_node;     /* top layer's protocol node, libvirt-N-storage */
} qemu_disk_run;

/* What a running domain's QEMU process is and how to reach it; kept in the status
 * file so that another process can take it over. */
typedef struct {
    int pid;
    unsigned long long start_time;   /* /proc/PID/stat field 22: guards against pid reuse */
    char *dir;                       /* runtime dir ROOT/run/qemu/domain-ID-NAME */
    char *monitor_path;              /* dir/monitor.sock */
    char *log_path;                  /* ROOT/log/qemu/NAME.log */
    GPtrArray *disks;                /* qemu_disk_run* in the order of def->disks */
    GPtrArray *jobs;                 /* char*: ids of QEMU jobs the driver runs */
    GSubprocess *child;              /* NULL when another process started QEMU */
    guint next_node_index;           /* for libvirt-N-* node names added later */
} qemu_run;

qemu_run *qemu_run_new(void);
void qemu_run_free(qemu_run *run);
void qemu_disk_run_free(qemu_disk_run *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemu_run, qemu_run_free)

typedef struct qemu_host qemu_host;

typedef struct {
    gint refs;
    qemu_host *host;           /* not referenced: the host outlives its domains */
    domain_def *def;           /* the live definition while active, else the persistent one */
    domain_def *new_def;       /* while active: the persistent definition (NULL: transient) */
    int state;                 /* virDomainState */
    int reason;
    int id;                    /* -1 while inactive */
    bool persistent;
    bool autostart;
    bool removed;              /* no longer in the host's lists */

    bool job;                  /* an API call or the worker is changing the domain */
    qemu_run *run;             /* NULL while inactive */
    qmp_client *mon;           /* NULL while inactive */
    guint64 generation;        /* bumped at every start and stop */
    bool being_destroyed;      /* the driver is stopping QEMU: its events are expected */
    bool shutdown_seen;        /* QEMU sent SHUTDOWN in this run */
    bool fake_reboot;          /* the next SHUTDOWN means reboot (virDomainReboot) */
    int pause_reason;          /* the reason the next STOP has (-1: unknown) */
    virConnectPtr autodestroy; /* destroy when this connection closes */

    /* Snapshots (qemu_snapshot*.c): the tree and its files under
     * ROOT/lib/qemu/snapshot/NAME (qemu_moment_store.h). */
    moment_tree *snapshots;
    moment_store *snapshot_store;
    /* Checkpoints (qemu_checkpoint*.c): likewise under ROOT/lib/qemu/checkpoint/NAME. */
    moment_tree *checkpoints;
    moment_store *checkpoint_store;
    /* The backup job (qemu_backup*.c), NULL when none; the statistics of the last
     * job that ended, kept for virDomainGetJobStats (qemu_job.c). */
    struct qemu_backup *backup;
    virTypedParameterPtr job_completed;
    int njob_completed;
    int job_completed_type;      /* virDomainJobType */
} qemu_dom;

struct qemu_host {
    gint refs;
    char *root;                /* absolute, canonical */
    char *config_dir;          /* ROOT/etc/qemu */
    char *autostart_dir;       /* ROOT/etc/qemu/autostart */
    char *state_dir;           /* ROOT/run/qemu: status files, runtime dirs, the lock */
    char *log_dir;             /* ROOT/log/qemu */
    char *lib_dir;             /* ROOT/lib/qemu */
    int lock_fd;               /* ROOT/run/qemu/driver.pid, flock()ed */

    GMutex lock;               /* protects everything below and every qemu_dom's fields */
    GCond job_cond;            /* a domain's job ended */
    GPtrArray *doms;           /* qemu_dom*, each holding one reference */
    int next_id;
    bool closing;

    event_bus *events;
    GThreadPool *worker;       /* one thread: work that QMP events call for */
    domain_xml_options xmlopt;       /* define / create: defaults and checks */
    domain_xml_options xmlopt_load;  /* configs and status files already accepted once */
};

/* ---- qemu_host.c: opening a root, its lock, loading what it holds ---- */

/* The host for root (an absolute path), shared by the process's connections to it.
 * NULL with an error when root cannot be used or another process holds it. */
qemu_host *qemu_host_open(const char *root);
void qemu_host_unref(qemu_host *h);
/* Queue work for the host's worker thread (any thread, host lock held or not). */
typedef enum {
    QEMU_WORK_SHUTDOWN,        /* the guest shut down: apply on_poweroff / fake reboot */
    QEMU_WORK_EOF,             /* the monitor closed: QEMU is gone */
    QEMU_WORK_CRASH,           /* the guest panicked: apply on_crash */
    QEMU_WORK_SAVE_STATUS,     /* an event changed the state: rewrite the status file */
} qemu_work_kind;
void qemu_host_queue_work(qemu_host *h, qemu_dom *d, qemu_work_kind kind);

/* ---- qemu_domain.c: domain objects, lookups, jobs, events ---- */

qemu_dom *qemu_dom_new(qemu_host *h, domain_def *def, bool persistent);
void qemu_dom_ref(qemu_dom *d);
void qemu_dom_unref(qemu_dom *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemu_dom, qemu_dom_unref)
/* With h->lock held. */
void qemu_dom_add(qemu_host *h, qemu_dom *d);
void qemu_dom_remove(qemu_host *h, qemu_dom *d);
qemu_dom *qemu_dom_find_name(qemu_host *h, const char *name);
qemu_dom *qemu_dom_find_uuid(qemu_host *h, const unsigned char *uuid);
bool qemu_dom_is_active(const qemu_dom *d);
virDomainPtr qemu_dom_handle(virConnectPtr conn, const qemu_dom *d);
void qemu_dom_event(qemu_dom *d, int event, int detail);
void qemu_dom_set_state(qemu_dom *d, int state, int reason);

/* The host of a connection. */
qemu_host *qemu_host_of(virConnectPtr conn);
/* Look a handle's domain up and begin a job on it: returns it referenced, the host
 * unlocked; NULL with an error when it is gone or its job did not end in time. */
qemu_dom *qemu_dom_acquire(virDomainPtr domain);
/* Begin a job on d (h->lock held; may wait on it). -1 with an error on timeout or
 * when d was removed meanwhile. */
int qemu_dom_begin_job(qemu_dom *d);
void qemu_dom_end_job(qemu_dom *d);
/* End the job of qemu_dom_acquire and drop its reference. */
void qemu_dom_release(qemu_dom *d);
/* Look a handle's domain up for a quick read: host locked, no job, or NULL with an
 * error (host unlocked). */
qemu_dom *qemu_dom_lock(virDomainPtr domain);

/* The persistent config: ROOT/etc/qemu/NAME.xml. */
char *qemu_dom_config_path(qemu_host *h, const char *name);
int qemu_dom_save_config(qemu_host *h, const domain_def *def);
void qemu_dom_delete_config(qemu_host *h, const char *name);
char *qemu_dom_autostart_path(qemu_host *h, const char *name);

void qemu_domain_fill(vm_driver *drv);       /* qemu_domain.c: lookups, listing */
void qemu_domain_life_fill(vm_driver *drv);  /* qemu_domain_life.c */
/* conn is closing: destroy the domains it started with VIR_DOMAIN_START_AUTODESTROY. */
void qemu_autodestroy_run(qemu_host *h, virConnectPtr conn);
void qemu_domain_info_fill(vm_driver *drv);  /* qemu_domain_info.c */

/* ---- qemu_snapshot*.c: snapshots ---- */

void qemu_snapshot_fill(vm_driver *drv);
/* Opening a root: every domain's snapshot metadata loaded (host loading). */
void qemu_snapshot_load_all(qemu_host *h);
/* A QEMU just taken over (d under a job, host unlocked): leftover snapshot jobs
 * dropped, each disk's top image read back from QEMU. */
void qemu_snapshot_reattach(qemu_host *h, qemu_dom *d);
/* Undefine (host locked): an inactive domain with snapshots needs
 * VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA (libvirt's error otherwise); with discard,
 * that flag removes their metadata, without it the call only checks. */
int qemu_snapshot_undefine(qemu_dom *d, unsigned int flags, bool discard);
void qemu_snapshot_free(qemu_dom *d);

/* ---- qemu_conf.c: the XML options, defaults and checks of this driver ---- */

void qemu_conf_init_options(qemu_host *h);
/* The checks repeated at every start: emulator, accelerator, devices. */
int qemu_conf_check_start(const domain_def *def);
/* Whether /dev/kvm can be used by this process. */
bool qemu_kvm_usable(void);

/* ---- qemu_process.c: QEMU processes ---- */

/* Start d's QEMU with def (consumed; NULL: a copy of d's definition) as the live
 * definition; d under a job, host unlocked. flags: VIR_DOMAIN_START_PAUSED; reason:
 * the running reason. On failure nothing is left behind but the log: no process,
 * no runtime dir, no status file; d is shut off (failed), removed if transient. */
int qemu_process_start(qemu_host *h, qemu_dom *d, domain_def *def, unsigned int flags, int reason);
/* The same with more: arguments appended to QEMU's command line (NULL-terminated,
 * e.g. "-incoming", "defer"), work done once the monitor is up and before the CPUs
 * run (restoring a snapshot's memory), and the reason of a paused start. */
typedef struct {
    const char *const *extra_args;
    int (*before_cont)(qemu_host *h, qemu_dom *d, void *opaque);
    void *opaque;
    int paused_reason;    /* with VIR_DOMAIN_START_PAUSED; 0: VIR_DOMAIN_PAUSED_USER */
} qemu_start_extra;
int qemu_process_start_extra(qemu_host *h, qemu_dom *d, domain_def *def, unsigned int flags,
                             int reason, const qemu_start_extra *extra);
/* Kill d's QEMU (SIGTERM, then SIGKILL after 10 s unless graceful) and wait for it.
 * -1 with an error when it would not die. */
int qemu_process_kill(qemu_dom *d, bool graceful);
/* Forget d's QEMU (gone by now): close the monitor, remove the runtime dir and the
 * status file, set the state SHUTOFF/reason, queue the STOPPED event with detail
 * (none when -1) and, for a transient domain, remove it. d under a job, host
 * unlocked. */
void qemu_process_stop(qemu_host *h, qemu_dom *d, int reason, int detail);
/* Take over the QEMU a status file describes (host loading, d under a job). Returns
 * 0 when it runs and is reconnected, with *ret_work the qemu_work_kind its state
 * calls for (a guest that shut down or panicked meanwhile) or -1; 1 when it died
 * unobserved or cannot be controlled (cleaned up, d shut off). */
int qemu_process_reattach(qemu_host *h, qemu_dom *d, int *ret_work);

/* ---- qemu_events.c: QMP events -> state and lifecycle events ---- */

extern const qmp_listener qemu_monitor_listener;
void qemu_events_process(qemu_host *h, qemu_dom *d, qemu_work_kind kind, guint64 generation);

/* ---- qemu_status.c: status files ---- */

char *qemu_status_path(qemu_host *h, const char *name);
/* Write d's status file (host lock held; d active). */
int qemu_status_save(qemu_host *h, qemu_dom *d);
void qemu_status_delete(qemu_host *h, const char *name);
/* Read a status file: a new domain (not added to h), active, with its run. */
qemu_dom *qemu_status_load(qemu_host *h, const char *path);

/* ---- for tests and later work: simulated guest I/O on a running domain ---- */

/* HMP "qemu-io -d <device of disk> \"io_command\"" on domain's disk dst. */
int qemu_domain_qemu_io(virDomainPtr domain, const char *dst, const char *io_command);
/* An HMP command on a running domain's monitor (tests: xp, pmemsave). */
int qemu_domain_hmp(virDomainPtr domain, const char *command, char **ret_output);
/* Every block node of a running domain (query-named-block-nodes), a GPtrArray of
 * qemu_block_node* (qemu_block.h). */
int qemu_domain_block_nodes(virDomainPtr domain, GPtrArray **ret_nodes);
/* The node names of disk dst of a running domain (format, storage). */
int qemu_domain_disk_nodes(virDomainPtr domain, const char *dst, char **ret_format,
                           char **ret_storage);
