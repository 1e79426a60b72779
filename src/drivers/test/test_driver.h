/* The test driver (test:///default, test:///ABS/PATH/node.xml): an in-process mock
 * host, metadata only, behaving like libvirt's test driver without its bugs.
 * Internal to src/drivers/test: the host and domain objects the test_*.c share. */
#pragma once

#include <stdbool.h>
#include <glib.h>
#include "conf/domain_conf.h"
#include "conf/backup_conf.h"
#include "conf/checkpoint_conf.h"
#include "conf/moment_tree.h"
#include "conf/snapshot_conf.h"
#include "driver.h"
#include "event.h"

/* The driver table, filled once on first use. */
const vm_driver *test_driver_get(void);

/* What a node file may say about a disk with <test:disk dev= size= fail='yes'/>. */
typedef struct {
    char *dev;
    unsigned long long size;     /* bytes a full backup copies */
    bool fail;                   /* its backup fails half-way */
} test_disk_info;

#define TEST_DEFAULT_DISK_SIZE (1ULL << 30)     /* a disk nobody described */
#define TEST_DEFAULT_BACKUP_RATE (1ULL << 30)   /* bytes per second */

typedef struct {
    unsigned char uuid[UUID_LEN];  /* the key of test_host.by_uuid; never changes */
    domain_def *def;         /* current definition; the live one while running */
    domain_def *new_def;     /* persistent definition waiting for the next start, or NULL */
    int state;               /* virDomainState */
    int reason;              /* its reason enum */
    int id;                  /* -1 while inactive */
    bool persistent;
    bool autostart;
    bool managed_save;
    moment_tree *snapshots;  /* snapshot_def per moment */
    moment_tree *checkpoints;/* checkpoint_def per moment */
    struct test_job *job;    /* the running backup job, or NULL */
    virTypedParameterPtr completed;  /* statistics of the last job that ended */
    int ncompleted;
    int completed_type;      /* its virDomainJobType */
    unsigned long long backup_rate;  /* <test:backuprate>, bytes per second */
    test_disk_info *disk_infos;
    size_t ndisk_infos;
} test_dom;

typedef struct {
    gint refs;
    GMutex lock;             /* protects everything below */
    GPtrArray *doms;         /* test_dom*, in the order they were defined */
    GHashTable *by_name;     /* name -> test_dom* */
    GHashTable *by_uuid;     /* test_dom.uuid -> test_dom* */
    int next_id;
    virNodeInfo node;
    event_bus *events;
    int njobs;               /* backup job threads still running */
    GCond jobs_gone;         /* signalled when njobs drops to 0 */
} test_host;

/* The host behind a connection. */
test_host *test_host_of(virConnectPtr conn);

/* A host as a node file describes it (path NULL: the built-in default host).
 * Returns NULL with an error. */
test_host *test_host_load(const char *path);
void test_host_unref(test_host *h);

/* With h->lock held: the domain a handle names (by UUID), or NULL with
 * VIR_ERR_NO_DOMAIN. */
test_dom *test_dom_find(test_host *h, virDomainPtr domain);
/* With h->lock held: add a domain (its name and UUID must be free). */
void test_dom_add(test_host *h, test_dom *d);
void test_dom_remove(test_host *h, test_dom *d);
test_dom *test_dom_new(domain_def *def, bool persistent);
void test_dom_free(test_dom *d);
/* Make d running with the next id. */
void test_dom_start(test_host *h, test_dom *d, int reason);
/* Shut d off; a transient domain disappears (d is freed). */
void test_dom_stop(test_host *h, test_dom *d, int reason);
/* A handle for d on conn. */
virDomainPtr test_dom_handle(virConnectPtr conn, const test_dom *d);
/* Queue a lifecycle event about d. */
void test_dom_event(test_host *h, const test_dom *d, int event, int detail);

/* The options the domain XML parser uses for this driver (type 'test', i686). */
extern const domain_xml_options test_xml_options;

/* Each file of the driver fills in the slots of its objects. */
void test_domain_fill(vm_driver *drv);        /* test_domain.c: lookups, listing */
void test_domain_life_fill(vm_driver *drv);   /* test_domain_life.c: define, start, stop */
void test_domain_info_fill(vm_driver *drv);   /* test_domain_info.c: state, info, XML */
void test_snapshot_fill(vm_driver *drv);      /* test_snapshot.c: create, revert, delete */
void test_snapshot_query_fill(vm_driver *drv);/* test_snapshot_query.c: lookups, lists, XML */

/* With the host locked: the snapshot called name, or NULL with
 * VIR_ERR_NO_DOMAIN_SNAPSHOT. */
moment *test_snapshot_find(const test_dom *d, const char *name);
/* Look up a snapshot handle's domain and snapshot and lock the host; NULL (unlocked,
 * error set) when either is gone. */
moment *test_snapshot_lock(virDomainSnapshotPtr snapshot, test_host **ret_host,
                           test_dom **ret_dom);
void test_checkpoint_fill(vm_driver *drv);    /* test_checkpoint.c */
void test_backup_fill(vm_driver *drv);        /* test_backup.c: backups and jobs */

/* With the host locked: create or redefine a checkpoint from xml (public create
 * flags); returns it or NULL with an error. */
moment *test_checkpoint_create(test_dom *d, const char *xml, unsigned int flags);
/* Compute the size= of m's bitmap disks. */
void test_checkpoint_fill_sizes(test_dom *d, moment *m);
/* The domain stops or goes away: its job, if any, fails (host locked). */
void test_backup_forget(test_host *h, test_dom *d);
/* The node file's description of disk dev, or NULL. */
const test_disk_info *test_disk_info_find(const test_dom *d, const char *dev);

/* Load <test:domainsnapshot> fixtures of a node file's domain element. */
int test_snapshot_load_fixtures(test_dom *d, xmlNodePtr domain_node);

/* Look the domain of a handle up and lock its host; NULL (host unlocked, error set)
 * when it no longer exists. */
test_dom *test_dom_lock(virDomainPtr domain, test_host **ret_host);
bool test_dom_is_active(const test_dom *d);
/* Whether d is active; if not, the error libvirt gives ("domain is not running"). */
bool test_dom_check_active(const test_dom *d);
/* test_dom_lock for a domain that must be active: NULL (host unlocked, error set)
 * when it is not. */
test_dom *test_dom_lock_active(virDomainPtr domain, test_host **ret_host);
