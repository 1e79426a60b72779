/* virterror.h: the error record every API call leaves behind, its codes, and how to read or intercept it. */

#ifndef LIBVIRT_VIRTERROR_H
#define LIBVIRT_VIRTERROR_H

#include <libvirt/libvirt.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Severity of an error. */
typedef enum {
    VIR_ERR_NONE = 0,
    VIR_ERR_WARNING = 1,
    VIR_ERR_ERROR = 2,
} virErrorLevel;

/* The part of the library that raised an error. */
typedef enum {
    VIR_FROM_NONE = 0,
    VIR_FROM_XEN = 1,                /* Xen hypervisor layer */
    VIR_FROM_XEND = 2,               /* connection to xend */
    VIR_FROM_XENSTORE = 3,           /* connection to the Xen store */
    VIR_FROM_SEXPR = 4,              /* S-expression code */
    VIR_FROM_XML = 5,                /* XML code */
    VIR_FROM_DOM = 6,                /* operation on a domain */
    VIR_FROM_RPC = 7,                /* RPC code */
    VIR_FROM_PROXY = 8,              /* proxy code, unused */
    VIR_FROM_CONF = 9,               /* configuration files */
    VIR_FROM_QEMU = 10,              /* QEMU driver */
    VIR_FROM_NET = 11,               /* operation on a network */
    VIR_FROM_TEST = 12,              /* test driver */
    VIR_FROM_REMOTE = 13,            /* remote driver */
    VIR_FROM_OPENVZ = 14,            /* OpenVZ driver */
    VIR_FROM_XENXM = 15,             /* Xen XM layer */
    VIR_FROM_STATS_LINUX = 16,       /* Linux statistics code */
    VIR_FROM_LXC = 17,               /* Linux container driver */
    VIR_FROM_STORAGE = 18,           /* storage driver */
    VIR_FROM_NETWORK = 19,           /* network configuration */
    VIR_FROM_DOMAIN = 20,            /* domain configuration */
    VIR_FROM_UML = 21,               /* UML driver, unused */
    VIR_FROM_NODEDEV = 22,           /* node device monitor */
    VIR_FROM_XEN_INOTIFY = 23,       /* Xen inotify layer */
    VIR_FROM_SECURITY = 24,          /* security framework */
    VIR_FROM_VBOX = 25,              /* VirtualBox driver */
    VIR_FROM_INTERFACE = 26,         /* operation on an interface */
    VIR_FROM_ONE = 27,               /* OpenNebula driver, unused */
    VIR_FROM_ESX = 28,               /* ESX driver */
    VIR_FROM_PHYP = 29,              /* phyp driver, unused */
    VIR_FROM_SECRET = 30,            /* secret storage */
    VIR_FROM_CPU = 31,               /* CPU driver */
    VIR_FROM_XENAPI = 32,            /* XenAPI */
    VIR_FROM_NWFILTER = 33,          /* network filter driver */
    VIR_FROM_HOOK = 34,              /* synchronous hooks */
    VIR_FROM_DOMAIN_SNAPSHOT = 35,   /* domain snapshots */
    VIR_FROM_AUDIT = 36,             /* auditing */
    VIR_FROM_SYSINFO = 37,           /* sysinfo/SMBIOS */
    VIR_FROM_STREAMS = 38,           /* I/O streams */
    VIR_FROM_VMWARE = 39,            /* VMware driver */
    VIR_FROM_EVENT = 40,             /* event loop */
    VIR_FROM_LIBXL = 41,             /* libxenlight driver */
    VIR_FROM_LOCKING = 42,           /* lock manager */
    VIR_FROM_HYPERV = 43,            /* Hyper-V driver */
    VIR_FROM_CAPABILITIES = 44,      /* capabilities */
    VIR_FROM_URI = 45,               /* URI handling */
    VIR_FROM_AUTH = 46,              /* authentication */
    VIR_FROM_DBUS = 47,              /* D-Bus */
    VIR_FROM_PARALLELS = 48,         /* Parallels driver */
    VIR_FROM_DEVICE = 49,            /* devices */
    VIR_FROM_SSH = 50,               /* libssh2 transport */
    VIR_FROM_LOCKSPACE = 51,         /* lockspace */
    VIR_FROM_INITCTL = 52,           /* initctl */
    VIR_FROM_IDENTITY = 53,          /* identity code */
    VIR_FROM_CGROUP = 54,            /* cgroups */
    VIR_FROM_ACCESS = 55,            /* access control */
    VIR_FROM_SYSTEMD = 56,           /* systemd */
    VIR_FROM_BHYVE = 57,             /* bhyve driver */
    VIR_FROM_CRYPTO = 58,            /* crypto code */
    VIR_FROM_FIREWALL = 59,          /* firewall */
    VIR_FROM_POLKIT = 60,            /* polkit */
    VIR_FROM_THREAD = 61,            /* thread utilities */
    VIR_FROM_ADMIN = 62,             /* admin interface */
    VIR_FROM_LOGGING = 63,           /* log manager */
    VIR_FROM_XENXL = 64,             /* Xen xl configuration */
    VIR_FROM_PERF = 65,              /* perf events */
    VIR_FROM_LIBSSH = 66,            /* libssh transport */
    VIR_FROM_RESCTRL = 67,           /* resource control */
    VIR_FROM_FIREWALLD = 68,         /* firewalld */
    VIR_FROM_DOMAIN_CHECKPOINT = 69, /* domain checkpoints */
    VIR_FROM_TPM = 70,               /* TPM */
    VIR_FROM_BPF = 71,               /* BPF */
    VIR_FROM_CH = 72,                /* Cloud Hypervisor driver */
#ifdef VIR_ENUM_SENTINELS
    VIR_ERR_DOMAIN_LAST
#endif
} virErrorDomain;

/* An error: code, origin, message and extra detail. */
typedef struct _virError virError;
typedef virError *virErrorPtr;

struct _virError {
    int code;                          /* a virErrorNumber */
    int domain;                        /* a virErrorDomain */
    char *message;                     /* human-readable message */
    virErrorLevel level;               /* severity */
    virConnectPtr conn VIR_DEPRECATED; /* unused, always NULL */
    virDomainPtr dom VIR_DEPRECATED;   /* unused, always NULL */
    char *str1;                        /* extra string information */
    char *str2;                        /* extra string information */
    char *str3;                        /* extra string information */
    int int1;                          /* extra number information */
    int int2;                          /* extra number information */
    virNetworkPtr net VIR_DEPRECATED;  /* unused, always NULL */
};

/* Error codes; VIR_WAR_* are warnings that share the numbering. */
typedef enum {
    VIR_ERR_OK = 0,
    VIR_ERR_INTERNAL_ERROR = 1,             /* internal error */
    VIR_ERR_NO_MEMORY = 2,                  /* out of memory */
    VIR_ERR_NO_SUPPORT = 3,                 /* the driver does not implement the function */
    VIR_ERR_UNKNOWN_HOST = 4,               /* host name did not resolve */
    VIR_ERR_NO_CONNECT = 5,                 /* could not connect to the hypervisor */
    VIR_ERR_INVALID_CONN = 6,               /* invalid connection object */
    VIR_ERR_INVALID_DOMAIN = 7,             /* invalid domain object */
    VIR_ERR_INVALID_ARG = 8,                /* invalid argument */
    VIR_ERR_OPERATION_FAILED = 9,           /* a hypervisor command failed */
    VIR_ERR_GET_FAILED = 10,                /* HTTP GET failed */
    VIR_ERR_POST_FAILED = 11,               /* HTTP POST failed */
    VIR_ERR_HTTP_ERROR = 12,                /* unexpected HTTP status */
    VIR_ERR_SEXPR_SERIAL = 13,              /* S-expression serialisation failed */
    VIR_ERR_NO_XEN = 14,                    /* no Xen hypervisor control */
    VIR_ERR_XEN_CALL = 15,                  /* Xen hypercall failed */
    VIR_ERR_OS_TYPE = 16,                   /* unknown OS type */
    VIR_ERR_NO_KERNEL = 17,                 /* missing kernel */
    VIR_ERR_NO_ROOT = 18,                   /* missing root device */
    VIR_ERR_NO_SOURCE = 19,                 /* missing source device */
    VIR_ERR_NO_TARGET = 20,                 /* missing target device */
    VIR_ERR_NO_NAME = 21,                   /* missing domain name */
    VIR_ERR_NO_OS = 22,                     /* missing OS information */
    VIR_ERR_NO_DEVICE = 23,                 /* missing devices */
    VIR_ERR_NO_XENSTORE = 24,               /* no Xen store control */
    VIR_ERR_DRIVER_FULL = 25,               /* too many drivers */
    VIR_ERR_CALL_FAILED = 26,               /* not supported by the drivers (deprecated) */
    VIR_ERR_XML_ERROR = 27,                 /* XML description malformed or invalid */
    VIR_ERR_DOM_EXIST = 28,                 /* the domain already exists */
    VIR_ERR_OPERATION_DENIED = 29,          /* forbidden on a read-only connection */
    VIR_ERR_OPEN_FAILED = 30,               /* could not open a configuration file */
    VIR_ERR_READ_FAILED = 31,               /* could not read a configuration file */
    VIR_ERR_PARSE_FAILED = 32,              /* could not parse a configuration file */
    VIR_ERR_CONF_SYNTAX = 33,               /* syntax error in a configuration file */
    VIR_ERR_WRITE_FAILED = 34,              /* could not write a configuration file */
    VIR_ERR_XML_DETAIL = 35,                /* detail of an XML parse error */
    VIR_ERR_INVALID_NETWORK = 36,           /* invalid network object */
    VIR_ERR_NETWORK_EXIST = 37,             /* the network already exists */
    VIR_ERR_SYSTEM_ERROR = 38,              /* a system call failed */
    VIR_ERR_RPC = 39,                       /* RPC failure */
    VIR_ERR_GNUTLS_ERROR = 40,              /* GnuTLS failure */
    VIR_WAR_NO_NETWORK = 41,                /* network driver did not start */
    VIR_ERR_NO_DOMAIN = 42,                 /* domain not found */
    VIR_ERR_NO_NETWORK = 43,                /* network not found */
    VIR_ERR_INVALID_MAC = 44,               /* invalid MAC address */
    VIR_ERR_AUTH_FAILED = 45,               /* authentication failed */
    VIR_ERR_INVALID_STORAGE_POOL = 46,      /* invalid storage pool object */
    VIR_ERR_INVALID_STORAGE_VOL = 47,       /* invalid storage volume object */
    VIR_WAR_NO_STORAGE = 48,                /* storage driver did not start */
    VIR_ERR_NO_STORAGE_POOL = 49,           /* storage pool not found */
    VIR_ERR_NO_STORAGE_VOL = 50,            /* storage volume not found */
    VIR_WAR_NO_NODE = 51,                   /* node driver did not start */
    VIR_ERR_INVALID_NODE_DEVICE = 52,       /* invalid node device object */
    VIR_ERR_NO_NODE_DEVICE = 53,            /* node device not found */
    VIR_ERR_NO_SECURITY_MODEL = 54,         /* security model not found */
    VIR_ERR_OPERATION_INVALID = 55,         /* operation not valid in the current state */
    VIR_WAR_NO_INTERFACE = 56,              /* interface driver did not start */
    VIR_ERR_NO_INTERFACE = 57,              /* interface not found */
    VIR_ERR_INVALID_INTERFACE = 58,         /* invalid interface object */
    VIR_ERR_MULTIPLE_INTERFACES = 59,       /* more than one interface matched */
    VIR_WAR_NO_NWFILTER = 60,               /* network filter driver did not start */
    VIR_ERR_INVALID_NWFILTER = 61,          /* invalid network filter object */
    VIR_ERR_NO_NWFILTER = 62,               /* network filter not found */
    VIR_ERR_BUILD_FIREWALL = 63,            /* firewall could not be built */
    VIR_WAR_NO_SECRET = 64,                 /* secret driver did not start */
    VIR_ERR_INVALID_SECRET = 65,            /* invalid secret */
    VIR_ERR_NO_SECRET = 66,                 /* secret not found */
    VIR_ERR_CONFIG_UNSUPPORTED = 67,        /* unsupported configuration */
    VIR_ERR_OPERATION_TIMEOUT = 68,         /* operation timed out */
    VIR_ERR_MIGRATE_PERSIST_FAILED = 69,    /* migrated, but could not be made persistent */
    VIR_ERR_HOOK_SCRIPT_FAILED = 70,        /* a hook script failed */
    VIR_ERR_INVALID_DOMAIN_SNAPSHOT = 71,   /* invalid snapshot object */
    VIR_ERR_NO_DOMAIN_SNAPSHOT = 72,        /* snapshot not found */
    VIR_ERR_INVALID_STREAM = 73,            /* invalid stream object */
    VIR_ERR_ARGUMENT_UNSUPPORTED = 74,      /* valid argument the driver does not support */
    VIR_ERR_STORAGE_PROBE_FAILED = 75,      /* storage pool probe failed */
    VIR_ERR_STORAGE_POOL_BUILT = 76,        /* storage pool already built */
    VIR_ERR_SNAPSHOT_REVERT_RISKY = 77,     /* risky snapshot revert without FORCE */
    VIR_ERR_OPERATION_ABORTED = 78,         /* operation aborted by the user */
    VIR_ERR_AUTH_CANCELLED = 79,            /* authentication cancelled */
    VIR_ERR_NO_DOMAIN_METADATA = 80,        /* metadata not present */
    VIR_ERR_MIGRATE_UNSAFE = 81,            /* migration is unsafe */
    VIR_ERR_OVERFLOW = 82,                  /* integer overflow */
    VIR_ERR_BLOCK_COPY_ACTIVE = 83,         /* prevented by a block copy job */
    VIR_ERR_OPERATION_UNSUPPORTED = 84,     /* operation not supported */
    VIR_ERR_SSH = 85,                       /* ssh transport failure */
    VIR_ERR_AGENT_UNRESPONSIVE = 86,        /* guest agent not responding */
    VIR_ERR_RESOURCE_BUSY = 87,             /* resource already in use */
    VIR_ERR_ACCESS_DENIED = 88,             /* access denied */
    VIR_ERR_DBUS_SERVICE = 89,              /* D-Bus service failure */
    VIR_ERR_STORAGE_VOL_EXIST = 90,         /* storage volume already exists */
    VIR_ERR_CPU_INCOMPATIBLE = 91,          /* CPU incompatible with the host CPU */
    VIR_ERR_XML_INVALID_SCHEMA = 92,        /* XML does not validate against the schema */
    VIR_ERR_MIGRATE_FINISH_OK = 93,         /* migration finish succeeded but returns NULL */
    VIR_ERR_AUTH_UNAVAILABLE = 94,          /* authentication unavailable */
    VIR_ERR_NO_SERVER = 95,                 /* server not found */
    VIR_ERR_NO_CLIENT = 96,                 /* client not found */
    VIR_ERR_AGENT_UNSYNCED = 97,            /* guest agent out of sync (deprecated) */
    VIR_ERR_LIBSSH = 98,                    /* libssh transport failure */
    VIR_ERR_DEVICE_MISSING = 99,            /* device not found */
    VIR_ERR_INVALID_NWFILTER_BINDING = 100, /* invalid network filter binding */
    VIR_ERR_NO_NWFILTER_BINDING = 101,      /* network filter binding not found */
    VIR_ERR_INVALID_DOMAIN_CHECKPOINT = 102, /* invalid checkpoint object */
    VIR_ERR_NO_DOMAIN_CHECKPOINT = 103,     /* checkpoint not found */
    VIR_ERR_NO_DOMAIN_BACKUP = 104,         /* backup job not found */
    VIR_ERR_INVALID_NETWORK_PORT = 105,     /* invalid network port object */
    VIR_ERR_NETWORK_PORT_EXIST = 106,       /* network port already exists */
    VIR_ERR_NO_NETWORK_PORT = 107,          /* network port not found */
    VIR_ERR_NO_HOSTNAME = 108,              /* no hostname found for the domain */
    VIR_ERR_CHECKPOINT_INCONSISTENT = 109,  /* checkpoint cannot be used */
    VIR_ERR_MULTIPLE_DOMAINS = 110,         /* more than one domain matched */
#ifdef VIR_ENUM_SENTINELS
    VIR_ERR_NUMBER_LAST
#endif
} virErrorNumber;

/* An error handler; error is valid only during the call. */
typedef void (*virErrorFunc)(void *userData, virErrorPtr error);

/* The calling thread's last error; owned by the library, NULL if there is none. */
virErrorPtr virGetLastError(void);

/* A copy of the last error, to be released with virFreeError(). */
virErrorPtr virSaveLastError(void);

void virResetLastError(void);
void virResetError(virErrorPtr err);
void virFreeError(virErrorPtr err);

/* Shortcuts to parts of the last error; the message is never NULL. */
int virGetLastErrorCode(void);
int virGetLastErrorDomain(void);
const char *virGetLastErrorMessage(void);

/* Per-connection variants, kept for old programs; prefer the thread-local functions. */
virErrorPtr virConnGetLastError(virConnectPtr conn);
void virConnResetLastError(virConnectPtr conn);

/* Copies the last error into to; returns its code, 0 if none, -1 on error. */
int virCopyLastError(virErrorPtr to);

/* The handler used when none is set: prints the error on stderr. */
void virDefaultErrorFunc(virErrorPtr err);

/* Installs a handler called for every error (NULL restores the default). */
void virSetErrorFunc(void *userData, virErrorFunc handler);
void virConnSetErrorFunc(virConnectPtr conn, void *userData, virErrorFunc handler);
int virConnCopyLastError(virConnectPtr conn, virErrorPtr to);

#ifdef __cplusplus
}
#endif

#endif /* LIBVIRT_VIRTERROR_H */
