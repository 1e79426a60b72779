/* libvirt-domain.h: domains (guests): lookup, lifecycle, definition, jobs, backups and events. */

#ifndef LIBVIRT_DOMAIN_H
#define LIBVIRT_DOMAIN_H

#ifndef __VIR_LIBVIRT_H_INCLUDES__
#error "Don't include this file directly, only use libvirt/libvirt.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* A domain handle, obtained from a lookup, a list or a create/define call. */
typedef struct _virDomain virDomain;
typedef virDomain *virDomainPtr;

/* ---- States and the reasons for them (virDomainGetState) ---- */

typedef enum {
    VIR_DOMAIN_NOSTATE = 0,     /* no state */
    VIR_DOMAIN_RUNNING = 1,     /* running */
    VIR_DOMAIN_BLOCKED = 2,     /* blocked on a resource */
    VIR_DOMAIN_PAUSED = 3,      /* paused */
    VIR_DOMAIN_SHUTDOWN = 4,    /* being shut down */
    VIR_DOMAIN_SHUTOFF = 5,     /* shut off */
    VIR_DOMAIN_CRASHED = 6,     /* crashed */
    VIR_DOMAIN_PMSUSPENDED = 7, /* suspended by guest power management */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_LAST
#endif
} virDomainState;

typedef enum {
    VIR_DOMAIN_NOSTATE_UNKNOWN = 0,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_NOSTATE_LAST
#endif
} virDomainNostateReason;

typedef enum {
    VIR_DOMAIN_RUNNING_UNKNOWN = 0,
    VIR_DOMAIN_RUNNING_BOOTED = 1,              /* booted normally */
    VIR_DOMAIN_RUNNING_MIGRATED = 2,            /* migrated in */
    VIR_DOMAIN_RUNNING_RESTORED = 3,            /* restored from a state file */
    VIR_DOMAIN_RUNNING_FROM_SNAPSHOT = 4,       /* reverted to a snapshot */
    VIR_DOMAIN_RUNNING_UNPAUSED = 5,            /* resumed after a pause */
    VIR_DOMAIN_RUNNING_MIGRATION_CANCELED = 6,  /* outgoing migration canceled */
    VIR_DOMAIN_RUNNING_SAVE_CANCELED = 7,       /* save failed */
    VIR_DOMAIN_RUNNING_WAKEUP = 8,              /* woke up from PM suspend */
    VIR_DOMAIN_RUNNING_CRASHED = 9,             /* resumed from crashed */
    VIR_DOMAIN_RUNNING_POSTCOPY = 10,           /* in post-copy migration */
    VIR_DOMAIN_RUNNING_POSTCOPY_FAILED = 11,    /* post-copy migration failed */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_RUNNING_LAST
#endif
} virDomainRunningReason;

typedef enum {
    VIR_DOMAIN_BLOCKED_UNKNOWN = 0,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_BLOCKED_LAST
#endif
} virDomainBlockedReason;

typedef enum {
    VIR_DOMAIN_PAUSED_UNKNOWN = 0,
    VIR_DOMAIN_PAUSED_USER = 1,             /* by the user */
    VIR_DOMAIN_PAUSED_MIGRATION = 2,        /* for offline migration */
    VIR_DOMAIN_PAUSED_SAVE = 3,             /* for save */
    VIR_DOMAIN_PAUSED_DUMP = 4,             /* for offline core dump */
    VIR_DOMAIN_PAUSED_IOERROR = 5,          /* on a disk I/O error */
    VIR_DOMAIN_PAUSED_WATCHDOG = 6,         /* by a watchdog */
    VIR_DOMAIN_PAUSED_FROM_SNAPSHOT = 7,    /* after reverting to a snapshot */
    VIR_DOMAIN_PAUSED_SHUTTING_DOWN = 8,    /* during shutdown */
    VIR_DOMAIN_PAUSED_SNAPSHOT = 9,         /* while a snapshot is taken */
    VIR_DOMAIN_PAUSED_CRASHED = 10,         /* after a guest crash */
    VIR_DOMAIN_PAUSED_STARTING_UP = 11,     /* while starting */
    VIR_DOMAIN_PAUSED_POSTCOPY = 12,        /* for post-copy migration */
    VIR_DOMAIN_PAUSED_POSTCOPY_FAILED = 13, /* after a failed post-copy migration */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_PAUSED_LAST
#endif
} virDomainPausedReason;

typedef enum {
    VIR_DOMAIN_SHUTDOWN_UNKNOWN = 0,
    VIR_DOMAIN_SHUTDOWN_USER = 1, /* on user request */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_SHUTDOWN_LAST
#endif
} virDomainShutdownReason;

typedef enum {
    VIR_DOMAIN_SHUTOFF_UNKNOWN = 0,
    VIR_DOMAIN_SHUTOFF_SHUTDOWN = 1,      /* normal shutdown */
    VIR_DOMAIN_SHUTOFF_DESTROYED = 2,     /* forced off */
    VIR_DOMAIN_SHUTOFF_CRASHED = 3,       /* crashed */
    VIR_DOMAIN_SHUTOFF_MIGRATED = 4,      /* migrated away */
    VIR_DOMAIN_SHUTOFF_SAVED = 5,         /* saved to a file */
    VIR_DOMAIN_SHUTOFF_FAILED = 6,        /* failed to start */
    VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT = 7, /* reverted to a snapshot of a shut-off domain */
    VIR_DOMAIN_SHUTOFF_DAEMON = 8,        /* killed by the daemon while reconnecting */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_SHUTOFF_LAST
#endif
} virDomainShutoffReason;

typedef enum {
    VIR_DOMAIN_CRASHED_UNKNOWN = 0,
    VIR_DOMAIN_CRASHED_PANICKED = 1, /* guest panicked */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_CRASHED_LAST
#endif
} virDomainCrashedReason;

typedef enum {
    VIR_DOMAIN_PMSUSPENDED_UNKNOWN = 0,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_PMSUSPENDED_LAST
#endif
} virDomainPMSuspendedReason;

typedef enum {
    VIR_DOMAIN_PMSUSPENDED_DISK_UNKNOWN = 0,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_PMSUSPENDED_DISK_LAST
#endif
} virDomainPMSuspendedDiskReason;

/* Where a change applies: CURRENT means LIVE if running, otherwise CONFIG. Bit 2 is virTypedParameterFlags. */
typedef enum {
    VIR_DOMAIN_AFFECT_CURRENT = 0,
    VIR_DOMAIN_AFFECT_LIVE = 1 << 0,
    VIR_DOMAIN_AFFECT_CONFIG = 1 << 1,
} virDomainModificationImpact;

/* Basic figures returned by virDomainGetInfo(). */
typedef struct _virDomainInfo virDomainInfo;

struct _virDomainInfo {
    unsigned char state;        /* a virDomainState */
    unsigned long maxMem;       /* maximum memory in KiB */
    unsigned long memory;       /* current memory in KiB */
    unsigned short nrVirtCpu;   /* number of virtual CPUs */
    unsigned long long cpuTime; /* CPU time used, in nanoseconds */
};

typedef virDomainInfo *virDomainInfoPtr;

/* Flags for virDomainCreateXML() and virDomainCreateWithFlags(). */
typedef enum {
    VIR_DOMAIN_NONE = 0,
    VIR_DOMAIN_START_PAUSED = 1 << 0,       /* start with the CPUs paused */
    VIR_DOMAIN_START_AUTODESTROY = 1 << 1,  /* destroy when the connection closes */
    VIR_DOMAIN_START_BYPASS_CACHE = 1 << 2, /* avoid the host page cache when restoring */
    VIR_DOMAIN_START_FORCE_BOOT = 1 << 3,   /* boot, discarding any managed save image */
    VIR_DOMAIN_START_VALIDATE = 1 << 4,     /* validate the XML against the schema */
    VIR_DOMAIN_START_RESET_NVRAM = 1 << 5,  /* recreate NVRAM from its template */
} virDomainCreateFlags;

/* ---- Connection-level domain listing and creation ---- */

virConnectPtr virDomainGetConnect(virDomainPtr domain);
int virConnectListDomains(virConnectPtr conn, int *ids, int maxids);
int virConnectNumOfDomains(virConnectPtr conn);
virDomainPtr virDomainCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags);
virDomainPtr virDomainLookupByName(virConnectPtr conn, const char *name);
virDomainPtr virDomainLookupByID(virConnectPtr conn, int id);
virDomainPtr virDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virDomainPtr virDomainLookupByUUIDString(virConnectPtr conn, const char *uuid);

/* ---- Lifecycle ---- */

/* Flags for virDomainShutdownFlags(); 0 lets the hypervisor choose. */
typedef enum {
    VIR_DOMAIN_SHUTDOWN_DEFAULT = 0,
    VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN = (1 << 0), /* ACPI power button */
    VIR_DOMAIN_SHUTDOWN_GUEST_AGENT = (1 << 1),    /* guest agent */
    VIR_DOMAIN_SHUTDOWN_INITCTL = (1 << 2),        /* initctl */
    VIR_DOMAIN_SHUTDOWN_SIGNAL = (1 << 3),         /* a signal */
    VIR_DOMAIN_SHUTDOWN_PARAVIRT = (1 << 4),       /* paravirtual guest control */
} virDomainShutdownFlagValues;

int virDomainShutdown(virDomainPtr domain);
int virDomainShutdownFlags(virDomainPtr domain, unsigned int flags);

/* Flags for virDomainReboot(); 0 lets the hypervisor choose. */
typedef enum {
    VIR_DOMAIN_REBOOT_DEFAULT = 0,
    VIR_DOMAIN_REBOOT_ACPI_POWER_BTN = (1 << 0), /* ACPI power button */
    VIR_DOMAIN_REBOOT_GUEST_AGENT = (1 << 1),    /* guest agent */
    VIR_DOMAIN_REBOOT_INITCTL = (1 << 2),        /* initctl */
    VIR_DOMAIN_REBOOT_SIGNAL = (1 << 3),         /* a signal */
    VIR_DOMAIN_REBOOT_PARAVIRT = (1 << 4),       /* paravirtual guest control */
} virDomainRebootFlagValues;

int virDomainReboot(virDomainPtr domain, unsigned int flags);
int virDomainReset(virDomainPtr domain, unsigned int flags);
int virDomainDestroy(virDomainPtr domain);

/* Flags for virDomainDestroyFlags(). */
typedef enum {
    VIR_DOMAIN_DESTROY_DEFAULT = 0,          /* terminate at once; guest data may be lost */
    VIR_DOMAIN_DESTROY_GRACEFUL = 1 << 0,    /* only ask the process to terminate */
    VIR_DOMAIN_DESTROY_REMOVE_LOGS = 1 << 1, /* also remove the domain's logs */
} virDomainDestroyFlagsValues;

int virDomainDestroyFlags(virDomainPtr domain, unsigned int flags);
int virDomainRef(virDomainPtr domain);
int virDomainFree(virDomainPtr domain);
int virDomainSuspend(virDomainPtr domain);
int virDomainResume(virDomainPtr domain);

/* Flags for the save and restore family of APIs. */
typedef enum {
    VIR_DOMAIN_SAVE_BYPASS_CACHE = 1 << 0, /* avoid the host page cache */
    VIR_DOMAIN_SAVE_RUNNING = 1 << 1,      /* restore as running */
    VIR_DOMAIN_SAVE_PAUSED = 1 << 2,       /* restore as paused */
    VIR_DOMAIN_SAVE_RESET_NVRAM = 1 << 3,  /* recreate NVRAM from its template */
} virDomainSaveRestoreFlags;

int virDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags);

/* ---- Properties ---- */

const char *virDomainGetName(virDomainPtr domain);
unsigned int virDomainGetID(virDomainPtr domain);
int virDomainGetUUID(virDomainPtr domain, unsigned char *uuid);
int virDomainGetUUIDString(virDomainPtr domain, char *buf);
char *virDomainGetOSType(virDomainPtr domain);
unsigned long virDomainGetMaxMemory(virDomainPtr domain);
int virDomainGetMaxVcpus(virDomainPtr domain);
int virDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info);
int virDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags);
int virDomainGetSecurityLabel(virDomainPtr domain, virSecurityLabelPtr seclabel);

/* Which text virDomainSetMetadata()/GetMetadata() operate on; reported by METADATA_CHANGE events. */
typedef enum {
    VIR_DOMAIN_METADATA_DESCRIPTION = 0, /* <description> */
    VIR_DOMAIN_METADATA_TITLE = 1,       /* <title> */
    VIR_DOMAIN_METADATA_ELEMENT = 2,     /* <metadata> */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_METADATA_LAST
#endif
} virDomainMetadataType;

/* ---- XML definition ---- */

/* Flags for virDomainGetXMLDesc(). */
typedef enum {
    VIR_DOMAIN_XML_SECURE = (1 << 0),     /* include security-sensitive data */
    VIR_DOMAIN_XML_INACTIVE = (1 << 1),   /* the persistent definition, not the live one */
    VIR_DOMAIN_XML_UPDATE_CPU = (1 << 2), /* update the guest CPU from the host CPU */
    VIR_DOMAIN_XML_MIGRATABLE = (1 << 3), /* XML suitable for migration */
} virDomainXMLFlags;

char *virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags);

/* Flags for virDomainDefineXMLFlags(). */
typedef enum {
    VIR_DOMAIN_DEFINE_VALIDATE = (1 << 0), /* validate the XML against the schema */
} virDomainDefineFlags;

virDomainPtr virDomainDefineXML(virConnectPtr conn, const char *xml);
virDomainPtr virDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags);
int virDomainUndefine(virDomainPtr domain);

/* Flags for virDomainUndefineFlags(). */
typedef enum {
    VIR_DOMAIN_UNDEFINE_MANAGED_SAVE = (1 << 0),         /* also remove the managed save image */
    VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA = (1 << 1),   /* also remove snapshot metadata */
    VIR_DOMAIN_UNDEFINE_NVRAM = (1 << 2),                /* also remove the NVRAM file */
    VIR_DOMAIN_UNDEFINE_KEEP_NVRAM = (1 << 3),           /* keep the NVRAM file */
    VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA = (1 << 4), /* also remove checkpoint metadata */
    VIR_DOMAIN_UNDEFINE_TPM = (1 << 5),                  /* also remove TPM state */
    VIR_DOMAIN_UNDEFINE_KEEP_TPM = (1 << 6),             /* keep TPM state */
} virDomainUndefineFlagsValues;

int virDomainUndefineFlags(virDomainPtr domain, unsigned int flags);
int virConnectNumOfDefinedDomains(virConnectPtr conn);
int virConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames);

/* Filters for virConnectListAllDomains(); within each pair of opposites, none set means both. */
typedef enum {
    VIR_CONNECT_LIST_DOMAINS_ACTIVE = 1 << 0,
    VIR_CONNECT_LIST_DOMAINS_INACTIVE = 1 << 1,
    VIR_CONNECT_LIST_DOMAINS_PERSISTENT = 1 << 2,
    VIR_CONNECT_LIST_DOMAINS_TRANSIENT = 1 << 3,
    VIR_CONNECT_LIST_DOMAINS_RUNNING = 1 << 4,
    VIR_CONNECT_LIST_DOMAINS_PAUSED = 1 << 5,
    VIR_CONNECT_LIST_DOMAINS_SHUTOFF = 1 << 6,
    VIR_CONNECT_LIST_DOMAINS_OTHER = 1 << 7,
    VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE = 1 << 8,
    VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE = 1 << 9,
    VIR_CONNECT_LIST_DOMAINS_AUTOSTART = 1 << 10,
    VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART = 1 << 11,
    VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT = 1 << 12,
    VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT = 1 << 13,
    VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT = 1 << 14,
    VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT = 1 << 15,
} virConnectListAllDomainsFlags;

int virConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags);
int virDomainCreate(virDomainPtr domain);
int virDomainCreateWithFlags(virDomainPtr domain, unsigned int flags);
int virDomainGetAutostart(virDomainPtr domain, int *autostart);
int virDomainSetAutostart(virDomainPtr domain, int autostart);

/* ---- Block jobs (the per-disk parts of a backup are block jobs) ---- */

typedef enum {
    VIR_DOMAIN_BLOCK_JOB_TYPE_UNKNOWN = 0,
    VIR_DOMAIN_BLOCK_JOB_TYPE_PULL = 1,          /* block pull; ends when done */
    VIR_DOMAIN_BLOCK_JOB_TYPE_COPY = 2,          /* block copy; mirrors until ended */
    VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT = 3,        /* commit of a backing layer; ends when done */
    VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT = 4, /* commit of the active layer; mirrors until ended */
    VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP = 5,        /* one disk of virDomainBackupBegin() */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_BLOCK_JOB_TYPE_LAST
#endif
} virDomainBlockJobType;

/* ---- Lifecycle events ---- */

/* The event argument of a LIFECYCLE event. */
typedef enum {
    VIR_DOMAIN_EVENT_DEFINED = 0,
    VIR_DOMAIN_EVENT_UNDEFINED = 1,
    VIR_DOMAIN_EVENT_STARTED = 2,
    VIR_DOMAIN_EVENT_SUSPENDED = 3,
    VIR_DOMAIN_EVENT_RESUMED = 4,
    VIR_DOMAIN_EVENT_STOPPED = 5,
    VIR_DOMAIN_EVENT_SHUTDOWN = 6,
    VIR_DOMAIN_EVENT_PMSUSPENDED = 7,
    VIR_DOMAIN_EVENT_CRASHED = 8,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_LAST
#endif
} virDomainEventType;

typedef enum {
    VIR_DOMAIN_EVENT_DEFINED_ADDED = 0,         /* new definition */
    VIR_DOMAIN_EVENT_DEFINED_UPDATED = 1,       /* changed definition */
    VIR_DOMAIN_EVENT_DEFINED_RENAMED = 2,       /* renamed */
    VIR_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT = 3, /* definition restored from a snapshot */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_DEFINED_LAST
#endif
} virDomainEventDefinedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_UNDEFINED_REMOVED = 0, /* definition deleted */
    VIR_DOMAIN_EVENT_UNDEFINED_RENAMED = 1, /* renamed */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_UNDEFINED_LAST
#endif
} virDomainEventUndefinedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_STARTED_BOOTED = 0,        /* normal boot */
    VIR_DOMAIN_EVENT_STARTED_MIGRATED = 1,      /* incoming migration */
    VIR_DOMAIN_EVENT_STARTED_RESTORED = 2,      /* restored from a state file */
    VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT = 3, /* reverted to a snapshot */
    VIR_DOMAIN_EVENT_STARTED_WAKEUP = 4,        /* woken up */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_STARTED_LAST
#endif
} virDomainEventStartedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_SUSPENDED_PAUSED = 0,          /* paused by the administrator */
    VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED = 1,        /* for offline migration */
    VIR_DOMAIN_EVENT_SUSPENDED_IOERROR = 2,         /* on a disk I/O error */
    VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG = 3,        /* by a watchdog */
    VIR_DOMAIN_EVENT_SUSPENDED_RESTORED = 4,        /* restored from a paused state file */
    VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT = 5,   /* reverted to a paused snapshot */
    VIR_DOMAIN_EVENT_SUSPENDED_API_ERROR = 6,       /* after a failed API call */
    VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY = 7,        /* for post-copy migration */
    VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED = 8, /* after a failed post-copy migration */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_SUSPENDED_LAST
#endif
} virDomainEventSuspendedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_RESUMED_UNPAUSED = 0,        /* resumed by the administrator */
    VIR_DOMAIN_EVENT_RESUMED_MIGRATED = 1,        /* migration completed */
    VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT = 2,   /* reverted to a snapshot */
    VIR_DOMAIN_EVENT_RESUMED_POSTCOPY = 3,        /* running while post-copy migration goes on */
    VIR_DOMAIN_EVENT_RESUMED_POSTCOPY_FAILED = 4, /* running, post-copy migration failed */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_RESUMED_LAST
#endif
} virDomainEventResumedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN = 0,      /* normal shutdown */
    VIR_DOMAIN_EVENT_STOPPED_DESTROYED = 1,     /* forced off by the host */
    VIR_DOMAIN_EVENT_STOPPED_CRASHED = 2,       /* guest crashed */
    VIR_DOMAIN_EVENT_STOPPED_MIGRATED = 3,      /* migrated away */
    VIR_DOMAIN_EVENT_STOPPED_SAVED = 4,         /* saved to a state file */
    VIR_DOMAIN_EVENT_STOPPED_FAILED = 5,        /* the emulator failed */
    VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT = 6, /* reverted to an inactive snapshot */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_STOPPED_LAST
#endif
} virDomainEventStoppedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED = 0, /* the guest finished its shutdown sequence */
    VIR_DOMAIN_EVENT_SHUTDOWN_GUEST = 1,    /* shutdown requested by the guest */
    VIR_DOMAIN_EVENT_SHUTDOWN_HOST = 2,     /* shutdown requested by the host */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_SHUTDOWN_LAST
#endif
} virDomainEventShutdownDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY = 0, /* suspended to memory */
    VIR_DOMAIN_EVENT_PMSUSPENDED_DISK = 1,   /* suspended to disk */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_PMSUSPENDED_LAST
#endif
} virDomainEventPMSuspendedDetailType;

typedef enum {
    VIR_DOMAIN_EVENT_CRASHED_PANICKED = 0,    /* guest panicked */
    VIR_DOMAIN_EVENT_CRASHED_CRASHLOADED = 1, /* guest crashloaded */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_CRASHED_LAST
#endif
} virDomainEventCrashedDetailType;

/* Where a MEMORY_FAILURE event happened. */
typedef enum {
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_RECIPIENT_HYPERVISOR = 0,
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_RECIPIENT_GUEST = 1,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_RECIPIENT_LAST
#endif
} virDomainMemoryFailureRecipientType;

/* What was done about a MEMORY_FAILURE. */
typedef enum {
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_IGNORE = 0, /* ignored */
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_INJECT = 1, /* machine check injected into the guest */
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_FATAL = 2,  /* the hypervisor exits */
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_RESET = 3,  /* the guest is reset */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_LAST
#endif
} virDomainMemoryFailureActionType;

/* The flags argument of a MEMORY_FAILURE event. */
typedef enum {
    VIR_DOMAIN_MEMORY_FAILURE_ACTION_REQUIRED = (1 << 0), /* action-required, not action-optional */
    VIR_DOMAIN_MEMORY_FAILURE_RECURSIVE = (1 << 1),       /* while a previous failure was handled */
} virDomainMemoryFailureFlags;

/* Callback of virConnectDomainEventRegister() and of VIR_DOMAIN_EVENT_ID_LIFECYCLE. */
typedef int (*virConnectDomainEventCallback)(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque);

int virConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb, void *opaque, virFreeCallback freecb);
int virConnectDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb);

/* Each returns 1, 0, or -1 on error. */
int virDomainIsActive(virDomainPtr dom);
int virDomainIsPersistent(virDomainPtr dom);
int virDomainIsUpdated(virDomainPtr dom);

/* ---- Jobs ---- */

typedef enum {
    VIR_DOMAIN_JOB_NONE = 0,      /* no job */
    VIR_DOMAIN_JOB_BOUNDED = 1,   /* job with a known end */
    VIR_DOMAIN_JOB_UNBOUNDED = 2, /* job without a known end */
    VIR_DOMAIN_JOB_COMPLETED = 3, /* finished, not yet cleaned up */
    VIR_DOMAIN_JOB_FAILED = 4,    /* failed, not yet cleaned up */
    VIR_DOMAIN_JOB_CANCELLED = 5, /* aborted, not yet cleaned up */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_JOB_LAST
#endif
} virDomainJobType;

/* Progress of the current job, from virDomainGetJobInfo(); times in ms, data in bytes. */
typedef struct _virDomainJobInfo virDomainJobInfo;
typedef virDomainJobInfo *virDomainJobInfoPtr;

struct _virDomainJobInfo {
    int type;                          /* a virDomainJobType */
    unsigned long long timeElapsed;    /* always set */
    unsigned long long timeRemaining;  /* only for VIR_DOMAIN_JOB_BOUNDED */
    unsigned long long dataTotal;      /* whole job */
    unsigned long long dataProcessed;
    unsigned long long dataRemaining;
    unsigned long long memTotal;       /* guest memory only */
    unsigned long long memProcessed;
    unsigned long long memRemaining;
    unsigned long long fileTotal;      /* guest disks only */
    unsigned long long fileProcessed;
    unsigned long long fileRemaining;
};

/* Flags for virDomainGetJobStats(). */
typedef enum {
    VIR_DOMAIN_JOB_STATS_COMPLETED = 1 << 0,      /* statistics of the last completed job */
    VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED = 1 << 1, /* do not discard them once read */
} virDomainGetJobStatsFlags;

int virDomainGetJobInfo(virDomainPtr dom, virDomainJobInfoPtr info);
int virDomainGetJobStats(virDomainPtr domain, int *type, virTypedParameterPtr *params, int *nparams, unsigned int flags);
int virDomainAbortJob(virDomainPtr dom);

/* Flags for virDomainAbortJobFlags(). */
typedef enum {
    VIR_DOMAIN_ABORT_JOB_POSTCOPY = 1 << 0, /* interrupt a post-copy migration */
} virDomainAbortJobFlagsValues;

int virDomainAbortJobFlags(virDomainPtr dom, unsigned int flags);

/* The operation a job performs (VIR_DOMAIN_JOB_OPERATION statistic). */
typedef enum {
    VIR_DOMAIN_JOB_OPERATION_UNKNOWN = 0,
    VIR_DOMAIN_JOB_OPERATION_START = 1,
    VIR_DOMAIN_JOB_OPERATION_SAVE = 2,
    VIR_DOMAIN_JOB_OPERATION_RESTORE = 3,
    VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN = 4,
    VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT = 5,
    VIR_DOMAIN_JOB_OPERATION_SNAPSHOT = 6,
    VIR_DOMAIN_JOB_OPERATION_SNAPSHOT_REVERT = 7,
    VIR_DOMAIN_JOB_OPERATION_DUMP = 8,
    VIR_DOMAIN_JOB_OPERATION_BACKUP = 9,
    VIR_DOMAIN_JOB_OPERATION_SNAPSHOT_DELETE = 10,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_JOB_OPERATION_LAST
#endif
} virDomainJobOperation;

/* Names of the typed parameters returned by virDomainGetJobStats() and JOB_COMPLETED events. */
#define VIR_DOMAIN_JOB_OPERATION "operation"                             /* int, a virDomainJobOperation */
#define VIR_DOMAIN_JOB_TIME_ELAPSED "time_elapsed"                       /* ullong, ms */
#define VIR_DOMAIN_JOB_TIME_ELAPSED_NET "time_elapsed_net"               /* ullong, ms */
#define VIR_DOMAIN_JOB_TIME_REMAINING "time_remaining"                   /* ullong, ms */
#define VIR_DOMAIN_JOB_DOWNTIME "downtime"                               /* ullong, ms */
#define VIR_DOMAIN_JOB_DOWNTIME_NET "downtime_net"                       /* ullong, ms */
#define VIR_DOMAIN_JOB_SETUP_TIME "setup_time"                           /* ullong, ms */
#define VIR_DOMAIN_JOB_DATA_TOTAL "data_total"                           /* ullong, bytes */
#define VIR_DOMAIN_JOB_DATA_PROCESSED "data_processed"                   /* ullong, bytes */
#define VIR_DOMAIN_JOB_DATA_REMAINING "data_remaining"                   /* ullong, bytes */
#define VIR_DOMAIN_JOB_MEMORY_TOTAL "memory_total"                       /* ullong, bytes */
#define VIR_DOMAIN_JOB_MEMORY_PROCESSED "memory_processed"               /* ullong, bytes */
#define VIR_DOMAIN_JOB_MEMORY_REMAINING "memory_remaining"               /* ullong, bytes */
#define VIR_DOMAIN_JOB_MEMORY_CONSTANT "memory_constant"                 /* ullong, pages */
#define VIR_DOMAIN_JOB_MEMORY_NORMAL "memory_normal"                     /* ullong, pages */
#define VIR_DOMAIN_JOB_MEMORY_NORMAL_BYTES "memory_normal_bytes"         /* ullong, bytes */
#define VIR_DOMAIN_JOB_MEMORY_BPS "memory_bps"                           /* ullong, bytes/s */
#define VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE "memory_dirty_rate"             /* ullong, pages/s */
#define VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE "memory_page_size"               /* ullong, bytes */
#define VIR_DOMAIN_JOB_MEMORY_ITERATION "memory_iteration"               /* ullong */
#define VIR_DOMAIN_JOB_MEMORY_POSTCOPY_REQS "memory_postcopy_requests"   /* ullong */
#define VIR_DOMAIN_JOB_DISK_TOTAL "disk_total"                           /* ullong, bytes */
#define VIR_DOMAIN_JOB_DISK_PROCESSED "disk_processed"                   /* ullong, bytes */
#define VIR_DOMAIN_JOB_DISK_REMAINING "disk_remaining"                   /* ullong, bytes */
#define VIR_DOMAIN_JOB_DISK_BPS "disk_bps"                               /* ullong, bytes/s */
#define VIR_DOMAIN_JOB_COMPRESSION_CACHE "compression_cache"             /* ullong, bytes */
#define VIR_DOMAIN_JOB_COMPRESSION_BYTES "compression_bytes"             /* ullong, bytes */
#define VIR_DOMAIN_JOB_COMPRESSION_PAGES "compression_pages"             /* ullong, pages */
#define VIR_DOMAIN_JOB_COMPRESSION_CACHE_MISSES "compression_cache_misses" /* ullong */
#define VIR_DOMAIN_JOB_COMPRESSION_OVERFLOW "compression_overflow"       /* ullong */
#define VIR_DOMAIN_JOB_AUTO_CONVERGE_THROTTLE "auto_converge_throttle"   /* int, percent */
#define VIR_DOMAIN_JOB_SUCCESS "success"                                 /* boolean, completed jobs only */
#define VIR_DOMAIN_JOB_ERRMSG "errmsg"                                   /* string, failed jobs */
#define VIR_DOMAIN_JOB_DISK_TEMP_USED "disk_temp_used"                   /* ullong, bytes of scratch used */
#define VIR_DOMAIN_JOB_DISK_TEMP_TOTAL "disk_temp_total"                 /* ullong, bytes of scratch */

/* ---- Event callbacks, one per event ID (see virDomainEventID) ---- */

/* REBOOT, CONTROL_ERROR; also the type every callback is cast to for registration. */
typedef void (*virConnectDomainEventGenericCallback)(virConnectPtr conn, virDomainPtr dom, void *opaque);

/* RTC_CHANGE: utcoffset in seconds. */
typedef void (*virConnectDomainEventRTCChangeCallback)(virConnectPtr conn, virDomainPtr dom, long long utcoffset, void *opaque);

/* The action of a WATCHDOG event. */
typedef enum {
    VIR_DOMAIN_EVENT_WATCHDOG_NONE = 0,      /* ignored */
    VIR_DOMAIN_EVENT_WATCHDOG_PAUSE = 1,     /* CPUs paused */
    VIR_DOMAIN_EVENT_WATCHDOG_RESET = 2,     /* guest reset */
    VIR_DOMAIN_EVENT_WATCHDOG_POWEROFF = 3,  /* guest powered off */
    VIR_DOMAIN_EVENT_WATCHDOG_SHUTDOWN = 4,  /* guest asked to shut down */
    VIR_DOMAIN_EVENT_WATCHDOG_DEBUG = 5,     /* debug message logged */
    VIR_DOMAIN_EVENT_WATCHDOG_INJECTNMI = 6, /* NMI injected */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_WATCHDOG_LAST
#endif
} virDomainEventWatchdogAction;

/* WATCHDOG: action is a virDomainEventWatchdogAction. */
typedef void (*virConnectDomainEventWatchdogCallback)(virConnectPtr conn, virDomainPtr dom, int action, void *opaque);

/* The action of an IO_ERROR event. */
typedef enum {
    VIR_DOMAIN_EVENT_IO_ERROR_NONE = 0,   /* ignored */
    VIR_DOMAIN_EVENT_IO_ERROR_PAUSE = 1,  /* CPUs paused */
    VIR_DOMAIN_EVENT_IO_ERROR_REPORT = 2, /* reported to the guest */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_IO_ERROR_LAST
#endif
} virDomainEventIOErrorAction;

/* IO_ERROR: action is a virDomainEventIOErrorAction. */
typedef void (*virConnectDomainEventIOErrorCallback)(virConnectPtr conn, virDomainPtr dom, const char *srcPath, const char *devAlias, int action, void *opaque);

/* IO_ERROR_REASON: as IO_ERROR, with the reason as text. */
typedef void (*virConnectDomainEventIOErrorReasonCallback)(virConnectPtr conn, virDomainPtr dom, const char *srcPath, const char *devAlias, int action, const char *reason, void *opaque);

/* The phase of a GRAPHICS event. */
typedef enum {
    VIR_DOMAIN_EVENT_GRAPHICS_CONNECT = 0,    /* socket connected */
    VIR_DOMAIN_EVENT_GRAPHICS_INITIALIZE = 1, /* authentication and setup done */
    VIR_DOMAIN_EVENT_GRAPHICS_DISCONNECT = 2, /* socket disconnected */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_GRAPHICS_LAST
#endif
} virDomainEventGraphicsPhase;

/* Address family of a GRAPHICS event endpoint. */
typedef enum {
    VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_IPV4 = 0,
    VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_IPV6 = 1,
    VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_UNIX = 2,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_LAST
#endif
} virDomainEventGraphicsAddressType;

/* One endpoint of a graphics connection. */
struct _virDomainEventGraphicsAddress {
    int family;    /* a virDomainEventGraphicsAddressType */
    char *node;    /* IP address or UNIX socket path */
    char *service; /* port, or NULL */
};

typedef struct _virDomainEventGraphicsAddress virDomainEventGraphicsAddress;
typedef virDomainEventGraphicsAddress *virDomainEventGraphicsAddressPtr;

/* One identity of an authenticated graphics client. */
struct _virDomainEventGraphicsSubjectIdentity {
    char *type; /* kind of identity */
    char *name; /* its value */
};

typedef struct _virDomainEventGraphicsSubjectIdentity virDomainEventGraphicsSubjectIdentity;
typedef virDomainEventGraphicsSubjectIdentity *virDomainEventGraphicsSubjectIdentityPtr;

/* All identities of an authenticated graphics client. */
struct _virDomainEventGraphicsSubject {
    int nidentity;                                       /* length of identities */
    virDomainEventGraphicsSubjectIdentityPtr identities; /* the identities */
};

typedef struct _virDomainEventGraphicsSubject virDomainEventGraphicsSubject;
typedef virDomainEventGraphicsSubject *virDomainEventGraphicsSubjectPtr;

/* GRAPHICS: phase is a virDomainEventGraphicsPhase. */
typedef void (*virConnectDomainEventGraphicsCallback)(virConnectPtr conn, virDomainPtr dom, int phase, const virDomainEventGraphicsAddress *local, const virDomainEventGraphicsAddress *remote, const char *authScheme, const virDomainEventGraphicsSubject *subject, void *opaque);

/* The status of a BLOCK_JOB or BLOCK_JOB_2 event. */
typedef enum {
    VIR_DOMAIN_BLOCK_JOB_COMPLETED = 0,
    VIR_DOMAIN_BLOCK_JOB_FAILED = 1,
    VIR_DOMAIN_BLOCK_JOB_CANCELED = 2,
    VIR_DOMAIN_BLOCK_JOB_READY = 3,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_BLOCK_JOB_LAST
#endif
} virConnectDomainEventBlockJobStatus;

/* BLOCK_JOB (disk = source path) and BLOCK_JOB_2 (disk = target name): type is a
 * virDomainBlockJobType, status a virConnectDomainEventBlockJobStatus. */
typedef void (*virConnectDomainEventBlockJobCallback)(virConnectPtr conn, virDomainPtr dom, const char *disk, int type, int status, void *opaque);

/* The reason of a DISK_CHANGE event. */
typedef enum {
    VIR_DOMAIN_EVENT_DISK_CHANGE_MISSING_ON_START = 0, /* media ejected: source missing at start */
    VIR_DOMAIN_EVENT_DISK_DROP_MISSING_ON_START = 1,   /* disk dropped: source missing at start */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_DISK_CHANGE_LAST
#endif
} virConnectDomainEventDiskChangeReason;

/* DISK_CHANGE: reason is a virConnectDomainEventDiskChangeReason. */
typedef void (*virConnectDomainEventDiskChangeCallback)(virConnectPtr conn, virDomainPtr dom, const char *oldSrcPath, const char *newSrcPath, const char *devAlias, int reason, void *opaque);

/* The reason of a TRAY_CHANGE event. */
typedef enum {
    VIR_DOMAIN_EVENT_TRAY_CHANGE_OPEN = 0,
    VIR_DOMAIN_EVENT_TRAY_CHANGE_CLOSE = 1,
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_TRAY_CHANGE_LAST
#endif
} virDomainEventTrayChangeReason;

/* TRAY_CHANGE: reason is a virDomainEventTrayChangeReason. */
typedef void (*virConnectDomainEventTrayChangeCallback)(virConnectPtr conn, virDomainPtr dom, const char *devAlias, int reason, void *opaque);

/* PMWAKEUP, PMSUSPEND, PMSUSPEND_DISK: reason is currently always 0. */
typedef void (*virConnectDomainEventPMWakeupCallback)(virConnectPtr conn, virDomainPtr dom, int reason, void *opaque);
typedef void (*virConnectDomainEventPMSuspendCallback)(virConnectPtr conn, virDomainPtr dom, int reason, void *opaque);

/* BALLOON_CHANGE: actual memory in KiB. */
typedef void (*virConnectDomainEventBalloonChangeCallback)(virConnectPtr conn, virDomainPtr dom, unsigned long long actual, void *opaque);

typedef void (*virConnectDomainEventPMSuspendDiskCallback)(virConnectPtr conn, virDomainPtr dom, int reason, void *opaque);

/* DEVICE_REMOVED, DEVICE_ADDED, DEVICE_REMOVAL_FAILED: the device alias. */
typedef void (*virConnectDomainEventDeviceRemovedCallback)(virConnectPtr conn, virDomainPtr dom, const char *devAlias, void *opaque);
typedef void (*virConnectDomainEventDeviceAddedCallback)(virConnectPtr conn, virDomainPtr dom, const char *devAlias, void *opaque);
typedef void (*virConnectDomainEventDeviceRemovalFailedCallback)(virConnectPtr conn, virDomainPtr dom, const char *devAlias, void *opaque);

/* METADATA_CHANGE: type is a virDomainMetadataType; nsuri only for ELEMENT. */
typedef void (*virConnectDomainEventMetadataChangeCallback)(virConnectPtr conn, virDomainPtr dom, int type, const char *nsuri, void *opaque);

/* MIGRATION_ITERATION: the memory pass that just started. */
typedef void (*virConnectDomainEventMigrationIterationCallback)(virConnectPtr conn, virDomainPtr dom, int iteration, void *opaque);

/* JOB_COMPLETED: the completed job's statistics; params belong to the caller of the callback. */
typedef void (*virConnectDomainEventJobCompletedCallback)(virConnectPtr conn, virDomainPtr dom, virTypedParameterPtr params, int nparams, void *opaque);

/* TUNABLE: the changed tunables; params belong to the caller of the callback. */
typedef void (*virConnectDomainEventTunableCallback)(virConnectPtr conn, virDomainPtr dom, virTypedParameterPtr params, int nparams, void *opaque);

/* The state of an AGENT_LIFECYCLE event. */
typedef enum {
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_CONNECTED = 1,
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_DISCONNECTED = 2,
#ifdef VIR_ENUM_SENTINELS
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_LAST
#endif
} virConnectDomainEventAgentLifecycleState;

/* The reason of an AGENT_LIFECYCLE event. */
typedef enum {
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_UNKNOWN = 0,
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_DOMAIN_STARTED = 1, /* the domain started */
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_CHANNEL = 2,        /* the channel changed state */
#ifdef VIR_ENUM_SENTINELS
    VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_LAST
#endif
} virConnectDomainEventAgentLifecycleReason;

/* AGENT_LIFECYCLE: state and reason from the two enums above. */
typedef void (*virConnectDomainEventAgentLifecycleCallback)(virConnectPtr conn, virDomainPtr dom, int state, int reason, void *opaque);

/* BLOCK_THRESHOLD: the write threshold on dev/path was exceeded by excess bytes. */
typedef void (*virConnectDomainEventBlockThresholdCallback)(virConnectPtr conn, virDomainPtr dom, const char *dev, const char *path, unsigned long long threshold, unsigned long long excess, void *opaque);

/* MEMORY_FAILURE: recipient, action and flags from the enums above. */
typedef void (*virConnectDomainEventMemoryFailureCallback)(virConnectPtr conn, virDomainPtr dom, int recipient, int action, unsigned int flags, void *opaque);

/* MEMORY_DEVICE_SIZE_CHANGE: new size in KiB of the memory device alias. */
typedef void (*virConnectDomainEventMemoryDeviceSizeChangeCallback)(virConnectPtr conn, virDomainPtr dom, const char *alias, unsigned long long size, void *opaque);

/* Casts a specific event callback to the type virConnectDomainEventRegisterAny() takes.
 * Going through void (*)(void) keeps -Wcast-function-type quiet; the result is the same. */
#define VIR_DOMAIN_EVENT_CALLBACK(cb) ((virConnectDomainEventGenericCallback)(void (*)(void))(cb))

/* Event IDs for virConnectDomainEventRegisterAny(); the comment names the callback type. */
typedef enum {
    VIR_DOMAIN_EVENT_ID_LIFECYCLE = 0,                  /* virConnectDomainEventCallback */
    VIR_DOMAIN_EVENT_ID_REBOOT = 1,                     /* virConnectDomainEventGenericCallback */
    VIR_DOMAIN_EVENT_ID_RTC_CHANGE = 2,                 /* virConnectDomainEventRTCChangeCallback */
    VIR_DOMAIN_EVENT_ID_WATCHDOG = 3,                   /* virConnectDomainEventWatchdogCallback */
    VIR_DOMAIN_EVENT_ID_IO_ERROR = 4,                   /* virConnectDomainEventIOErrorCallback */
    VIR_DOMAIN_EVENT_ID_GRAPHICS = 5,                   /* virConnectDomainEventGraphicsCallback */
    VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON = 6,            /* virConnectDomainEventIOErrorReasonCallback */
    VIR_DOMAIN_EVENT_ID_CONTROL_ERROR = 7,              /* virConnectDomainEventGenericCallback */
    VIR_DOMAIN_EVENT_ID_BLOCK_JOB = 8,                  /* virConnectDomainEventBlockJobCallback */
    VIR_DOMAIN_EVENT_ID_DISK_CHANGE = 9,                /* virConnectDomainEventDiskChangeCallback */
    VIR_DOMAIN_EVENT_ID_TRAY_CHANGE = 10,               /* virConnectDomainEventTrayChangeCallback */
    VIR_DOMAIN_EVENT_ID_PMWAKEUP = 11,                  /* virConnectDomainEventPMWakeupCallback */
    VIR_DOMAIN_EVENT_ID_PMSUSPEND = 12,                 /* virConnectDomainEventPMSuspendCallback */
    VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE = 13,            /* virConnectDomainEventBalloonChangeCallback */
    VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK = 14,            /* virConnectDomainEventPMSuspendDiskCallback */
    VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED = 15,            /* virConnectDomainEventDeviceRemovedCallback */
    VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2 = 16,               /* virConnectDomainEventBlockJobCallback */
    VIR_DOMAIN_EVENT_ID_TUNABLE = 17,                   /* virConnectDomainEventTunableCallback */
    VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE = 18,           /* virConnectDomainEventAgentLifecycleCallback */
    VIR_DOMAIN_EVENT_ID_DEVICE_ADDED = 19,              /* virConnectDomainEventDeviceAddedCallback */
    VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION = 20,       /* virConnectDomainEventMigrationIterationCallback */
    VIR_DOMAIN_EVENT_ID_JOB_COMPLETED = 21,             /* virConnectDomainEventJobCompletedCallback */
    VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED = 22,     /* virConnectDomainEventDeviceRemovalFailedCallback */
    VIR_DOMAIN_EVENT_ID_METADATA_CHANGE = 23,           /* virConnectDomainEventMetadataChangeCallback */
    VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD = 24,           /* virConnectDomainEventBlockThresholdCallback */
    VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE = 25,            /* virConnectDomainEventMemoryFailureCallback */
    VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE = 26, /* virConnectDomainEventMemoryDeviceSizeChangeCallback */
#ifdef VIR_ENUM_SENTINELS
    VIR_DOMAIN_EVENT_ID_LAST
#endif
} virDomainEventID;

/* dom may be NULL for all domains; returns a callback ID >= 0, or -1. */
int virConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID, virConnectDomainEventGenericCallback cb, void *opaque, virFreeCallback freecb);
int virConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID);

/* ---- Backups ---- */

/* Flags for virDomainBackupBegin(). */
typedef enum {
    VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL = (1 << 0), /* use target and scratch files the caller created */
} virDomainBackupBeginFlags;

/* Starts a push or pull backup, optionally creating a checkpoint at the same instant. */
int virDomainBackupBegin(virDomainPtr domain, const char *backupXML, const char *checkpointXML, unsigned int flags);

/* The <domainbackup> XML of the running backup job, with the chosen values filled in. */
char *virDomainBackupGetXMLDesc(virDomainPtr domain, unsigned int flags);

#ifdef __cplusplus
}
#endif

#endif /* LIBVIRT_DOMAIN_H */
