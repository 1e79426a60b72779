/* The domain XML model: libvirt's <domain> as structs, parsed and formatted canonically. */
#pragma once

/*
 * Ownership rules
 * - A domain_def owns everything it points to; domain_def_free drops a reference and
 *   frees all of it with the last one. Nothing inside is shared with another def:
 *   domain_def_copy is a deep copy.
 * - A def with more than one reference (domain_def_ref) is shared, e.g. by a domain and
 *   its snapshots, and must not change; copy it to change it. Formatting caches its
 *   text: code that changes a def after it was formatted calls domain_def_changed.
 * - Strings are g_malloc'ed; replace one by g_free-ing the old value first.
 * - Device lists are arrays of owned pointers (g_new) with a count; remove a device
 *   by freeing it with its own *_free and closing the gap.
 * - A disk owns its source, which owns its backing chain (src->backing, ...).
 * - XML the model does not interpret is held in xml_extra members (see
 *   conf/xml_extra.h): private copies, independent of the document parsed, written
 *   back where libvirt writes them. Code outside src/conf only reads them.
 * - Parsing returns a new def or NULL with an error reported; formatting never fails.
 */

#include <stdbool.h>
#include <libxml/tree.h>
#include <glib.h>
#include "conf/xml_extra.h"
#include "util/buf.h"
#include "util/enum.h"
#include "util/uuid.h"

typedef enum {
    DOMAIN_VIRT_NONE, DOMAIN_VIRT_QEMU, DOMAIN_VIRT_KQEMU, DOMAIN_VIRT_KVM, DOMAIN_VIRT_XEN,
    DOMAIN_VIRT_LXC, DOMAIN_VIRT_UML, DOMAIN_VIRT_OPENVZ, DOMAIN_VIRT_TEST, DOMAIN_VIRT_VMWARE,
    DOMAIN_VIRT_HYPERV, DOMAIN_VIRT_VBOX, DOMAIN_VIRT_PHYP, DOMAIN_VIRT_PARALLELS,
    DOMAIN_VIRT_BHYVE, DOMAIN_VIRT_VZ, DOMAIN_VIRT_HVF,
    DOMAIN_VIRT_LAST
} domain_virt_type;
ENUM_DECL(domain_virt);

typedef enum {
    DOMAIN_OS_NONE, DOMAIN_OS_HVM, DOMAIN_OS_XEN, DOMAIN_OS_LINUX, DOMAIN_OS_EXE,
    DOMAIN_OS_UML, DOMAIN_OS_XENPVH,
    DOMAIN_OS_LAST
} domain_os_type;
ENUM_DECL(domain_os);

typedef enum {
    DOMAIN_BOOT_FLOPPY, DOMAIN_BOOT_DISK, DOMAIN_BOOT_CDROM, DOMAIN_BOOT_NET,
    DOMAIN_BOOT_LAST
} domain_boot_dev;
ENUM_DECL(domain_boot);

typedef enum {
    DOMAIN_LIFECYCLE_DESTROY, DOMAIN_LIFECYCLE_RESTART, DOMAIN_LIFECYCLE_RESTART_RENAME,
    DOMAIN_LIFECYCLE_PRESERVE, DOMAIN_LIFECYCLE_COREDUMP_DESTROY,
    DOMAIN_LIFECYCLE_COREDUMP_RESTART,
    DOMAIN_LIFECYCLE_LAST
} domain_lifecycle_action;
ENUM_DECL(domain_lifecycle);

typedef enum {
    DOMAIN_CLOCK_UTC, DOMAIN_CLOCK_LOCALTIME, DOMAIN_CLOCK_VARIABLE, DOMAIN_CLOCK_TIMEZONE,
    DOMAIN_CLOCK_ABSOLUTE,
    DOMAIN_CLOCK_LAST
} domain_clock_offset;
ENUM_DECL(domain_clock);

typedef enum {
    DOMAIN_PLACEMENT_STATIC,
    DOMAIN_PLACEMENT_AUTO,
    DOMAIN_PLACEMENT_LAST
} domain_placement;
ENUM_DECL(domain_placement);

/* --- device addresses and the info every device carries ------------------------ */

typedef enum {
    DOMAIN_ADDR_NONE, DOMAIN_ADDR_PCI, DOMAIN_ADDR_DRIVE, DOMAIN_ADDR_VIRTIO_SERIAL,
    DOMAIN_ADDR_CCID, DOMAIN_ADDR_USB, DOMAIN_ADDR_SPAPRVIO, DOMAIN_ADDR_VIRTIO_S390,
    DOMAIN_ADDR_CCW, DOMAIN_ADDR_VIRTIO_MMIO, DOMAIN_ADDR_ISA, DOMAIN_ADDR_DIMM,
    DOMAIN_ADDR_UNASSIGNED,
    DOMAIN_ADDR_LAST
} domain_address_type;
ENUM_DECL(domain_address);

/* <address type=...>. pci: domain bus slot function (+multifunction); drive:
 * controller bus target unit; virtio-serial: controller bus port; ccid: controller
 * slot; usb: bus (+port). Other types keep their attributes in extra. */
typedef struct {
    int type;                   /* domain_address_type */
    unsigned int domain, bus, slot, function;
    unsigned int controller, target, unit, port;
    char *usb_port;             /* usb: "1.2" */
    char *multifunction;        /* pci: "on"/"off", NULL when absent */
    xml_extra extra;
} domain_address;

typedef struct {
    unsigned int boot_order;    /* <boot order=N/>, 0 = none */
    char *boot_loadparm;
    char *alias;                /* <alias name=>: live only unless it starts with "ua-" */
    domain_address addr;
} domain_device_info;

/* --- disks ------------------------------------------------------------------------ */

typedef enum {
    DOMAIN_DISK_TYPE_NONE, DOMAIN_DISK_TYPE_FILE, DOMAIN_DISK_TYPE_BLOCK,
    DOMAIN_DISK_TYPE_DIR, DOMAIN_DISK_TYPE_NETWORK, DOMAIN_DISK_TYPE_VOLUME,
    DOMAIN_DISK_TYPE_NVME, DOMAIN_DISK_TYPE_VHOSTUSER,
    DOMAIN_DISK_TYPE_LAST
} domain_disk_type;
ENUM_DECL(domain_disk_type);

typedef enum {
    DOMAIN_DISK_DEVICE_DISK, DOMAIN_DISK_DEVICE_CDROM, DOMAIN_DISK_DEVICE_FLOPPY,
    DOMAIN_DISK_DEVICE_LUN,
    DOMAIN_DISK_DEVICE_LAST
} domain_disk_device;
ENUM_DECL(domain_disk_device);

typedef enum {
    DOMAIN_DISK_BUS_NONE, DOMAIN_DISK_BUS_IDE, DOMAIN_DISK_BUS_FDC, DOMAIN_DISK_BUS_SCSI,
    DOMAIN_DISK_BUS_VIRTIO, DOMAIN_DISK_BUS_XEN, DOMAIN_DISK_BUS_USB, DOMAIN_DISK_BUS_UML,
    DOMAIN_DISK_BUS_SATA, DOMAIN_DISK_BUS_SD,
    DOMAIN_DISK_BUS_LAST
} domain_disk_bus;
ENUM_DECL(domain_disk_bus);

/* The disk's snapshot= attribute (libvirt's virDomainSnapshotLocation). */
typedef enum {
    DOMAIN_SNAPSHOT_LOCATION_DEFAULT, DOMAIN_SNAPSHOT_LOCATION_NO,
    DOMAIN_SNAPSHOT_LOCATION_INTERNAL, DOMAIN_SNAPSHOT_LOCATION_EXTERNAL,
    DOMAIN_SNAPSHOT_LOCATION_MANUAL,
    DOMAIN_SNAPSHOT_LOCATION_LAST
} domain_snapshot_location;
ENUM_DECL(domain_snapshot_location);

typedef enum {
    DOMAIN_DISK_CACHE_DEFAULT, DOMAIN_DISK_CACHE_NONE, DOMAIN_DISK_CACHE_WRITETHRU,
    DOMAIN_DISK_CACHE_WRITEBACK, DOMAIN_DISK_CACHE_DIRECTSYNC, DOMAIN_DISK_CACHE_UNSAFE,
    DOMAIN_DISK_CACHE_LAST
} domain_disk_cache;
ENUM_DECL(domain_disk_cache);

typedef enum {
    DOMAIN_DISK_IO_DEFAULT, DOMAIN_DISK_IO_NATIVE, DOMAIN_DISK_IO_THREADS,
    DOMAIN_DISK_IO_URING,
    DOMAIN_DISK_IO_LAST
} domain_disk_io;
ENUM_DECL(domain_disk_io);

typedef enum {
    DOMAIN_DISK_DISCARD_DEFAULT, DOMAIN_DISK_DISCARD_UNMAP, DOMAIN_DISK_DISCARD_IGNORE,
    DOMAIN_DISK_DISCARD_LAST
} domain_disk_discard;
ENUM_DECL(domain_disk_discard);

/* Image formats (<driver type=>, <format type=>); NONE = not given. */
typedef enum {
    STORAGE_FORMAT_NONE, STORAGE_FORMAT_RAW, STORAGE_FORMAT_DIR, STORAGE_FORMAT_BOCHS,
    STORAGE_FORMAT_CLOOP, STORAGE_FORMAT_DMG, STORAGE_FORMAT_ISO, STORAGE_FORMAT_VPC,
    STORAGE_FORMAT_VDI, STORAGE_FORMAT_FAT, STORAGE_FORMAT_VHD, STORAGE_FORMAT_PLOOP,
    STORAGE_FORMAT_COW, STORAGE_FORMAT_QCOW, STORAGE_FORMAT_QCOW2, STORAGE_FORMAT_QED,
    STORAGE_FORMAT_VMDK,
    STORAGE_FORMAT_LAST
} storage_format;
ENUM_DECL(storage_format);

typedef enum {
    STORAGE_PROTOCOL_NONE, STORAGE_PROTOCOL_NBD, STORAGE_PROTOCOL_RBD,
    STORAGE_PROTOCOL_SHEEPDOG, STORAGE_PROTOCOL_GLUSTER, STORAGE_PROTOCOL_ISCSI,
    STORAGE_PROTOCOL_HTTP, STORAGE_PROTOCOL_HTTPS, STORAGE_PROTOCOL_FTP,
    STORAGE_PROTOCOL_FTPS, STORAGE_PROTOCOL_TFTP, STORAGE_PROTOCOL_SSH,
    STORAGE_PROTOCOL_VXHS, STORAGE_PROTOCOL_NFS,
    STORAGE_PROTOCOL_LAST
} storage_protocol;
ENUM_DECL(storage_protocol);

typedef enum {
    STORAGE_TRANSPORT_TCP, STORAGE_TRANSPORT_UNIX, STORAGE_TRANSPORT_RDMA,
    STORAGE_TRANSPORT_LAST
} storage_transport;
ENUM_DECL(storage_transport);

typedef struct {
    char *name;
    unsigned int port;          /* 0 = none (TCP hosts get the protocol's default) */
    int transport;              /* storage_transport */
    char *socket;               /* unix transport */
    xml_extra extra;
} domain_disk_host;

/* Where a disk's (or one backing layer's) data lives: libvirt's virStorageSource. */
typedef struct domain_disk_source domain_disk_source;
struct domain_disk_source {
    int type;                   /* domain_disk_type; NONE: the <backingStore/> chain end */
    int format;                 /* storage_format: <driver type> / <format type> */
    char *path;                 /* file=, dev= or dir= by type; NULL when empty */
    char *pool, *volume;        /* volume */
    int protocol;               /* storage_protocol (network) */
    char *name;                 /* network: export / image name */
    domain_disk_host *hosts;
    size_t nhosts;
    unsigned int index;         /* backingStore index= (live only), 0 = none */
    xml_extra src_extra;        /* other attributes and children of <source> */
    xml_extra extra;            /* backingStore only: its other children */
    domain_disk_source *backing;/* NULL: unknown; a NONE-type source: chain ends here */
};

typedef struct {
    int device;                 /* domain_disk_device */
    int bus;                    /* domain_disk_bus */
    int snapshot;               /* domain_snapshot_location */
    char *dst;                  /* <target dev=> */
    domain_disk_source *src;    /* never NULL; src->type is the disk's type= */
    char *driver_name;          /* <driver name=> ("qemu") */
    int cache, io, discard;     /* domain_disk_cache / _io / _discard */
    int tray_open;              /* <target tray='open'> */
    bool readonly, shareable, transient;
    char *serial, *wwn;
    domain_device_info info;
    xml_extra extra;            /* other attributes and children of <disk> */
    xml_extra driver_extra;     /* other <driver> attributes and children */
    xml_extra target_extra;     /* other <target> attributes */
} domain_disk_def;

/* --- other devices ----------------------------------------------------------------- */

typedef enum {
    DOMAIN_CONTROLLER_IDE, DOMAIN_CONTROLLER_FDC, DOMAIN_CONTROLLER_SCSI,
    DOMAIN_CONTROLLER_SATA, DOMAIN_CONTROLLER_VIRTIO_SERIAL, DOMAIN_CONTROLLER_CCID,
    DOMAIN_CONTROLLER_USB, DOMAIN_CONTROLLER_PCI, DOMAIN_CONTROLLER_XENBUS,
    DOMAIN_CONTROLLER_ISA,
    DOMAIN_CONTROLLER_LAST
} domain_controller_type;
ENUM_DECL(domain_controller);

typedef struct {
    int type;                   /* domain_controller_type */
    int idx;                    /* index= */
    char *model;
    domain_device_info info;
    xml_extra extra;
} domain_controller_def;

typedef enum {
    DOMAIN_NET_USER, DOMAIN_NET_ETHERNET, DOMAIN_NET_VHOSTUSER, DOMAIN_NET_SERVER,
    DOMAIN_NET_CLIENT, DOMAIN_NET_MCAST, DOMAIN_NET_NETWORK, DOMAIN_NET_BRIDGE,
    DOMAIN_NET_INTERNAL, DOMAIN_NET_DIRECT, DOMAIN_NET_HOSTDEV, DOMAIN_NET_UDP,
    DOMAIN_NET_VDPA, DOMAIN_NET_NULL, DOMAIN_NET_VDS,
    DOMAIN_NET_LAST
} domain_net_type;
ENUM_DECL(domain_net);

typedef struct {
    int type;                   /* domain_net_type */
    char *mac;                  /* "52:54:00:xx:xx:xx", lower case; generated when absent */
    char *ifname;               /* <target dev=> */
    char *model;                /* <model type=> */
    domain_device_info info;
    xml_extra extra;            /* source, vlan, driver, bandwidth, ... */
    xml_extra mac_extra;
    xml_extra target_extra;
} domain_net_def;

typedef enum {
    DOMAIN_CHR_DEVICE_PARALLEL, DOMAIN_CHR_DEVICE_SERIAL, DOMAIN_CHR_DEVICE_CONSOLE,
    DOMAIN_CHR_DEVICE_CHANNEL,
    DOMAIN_CHR_DEVICE_LAST
} domain_chr_device;
ENUM_DECL(domain_chr_device);

typedef enum {
    DOMAIN_CHR_NULL, DOMAIN_CHR_VC, DOMAIN_CHR_PTY, DOMAIN_CHR_DEV, DOMAIN_CHR_FILE,
    DOMAIN_CHR_PIPE, DOMAIN_CHR_STDIO, DOMAIN_CHR_UDP, DOMAIN_CHR_TCP, DOMAIN_CHR_UNIX,
    DOMAIN_CHR_SPICEVMC, DOMAIN_CHR_SPICEPORT, DOMAIN_CHR_NMDM, DOMAIN_CHR_QEMU_VDAGENT,
    DOMAIN_CHR_DBUS,
    DOMAIN_CHR_LAST
} domain_chr_type;
ENUM_DECL(domain_chr);

/* A character device: <serial>, <parallel>, <console> or <channel>. */
typedef struct {
    int device;                 /* domain_chr_device */
    int type;                   /* domain_chr_type */
    char *source_mode;          /* first <source mode=> ("bind", "connect") */
    char *source_path;          /* first <source path=> */
    bool has_source;            /* a first <source> element was given */
    xml_extra source_extra;     /* its other attributes and children */
    char *target_type;          /* <target type=>: "serial", "virtio", "guestfwd", ... */
    int target_port;            /* <target port=>, -1 when absent */
    char *target_name;          /* channel: <target name=> */
    char *target_state;         /* channel: live "connected"/"disconnected" */
    bool has_target;
    xml_extra target_extra;
    domain_device_info info;
    xml_extra extra;            /* second <source>, <protocol>, <log>, ... */
} domain_chr_def;

typedef enum {
    DOMAIN_GRAPHICS_SDL, DOMAIN_GRAPHICS_VNC, DOMAIN_GRAPHICS_RDP, DOMAIN_GRAPHICS_DESKTOP,
    DOMAIN_GRAPHICS_SPICE, DOMAIN_GRAPHICS_EGL_HEADLESS, DOMAIN_GRAPHICS_DBUS,
    DOMAIN_GRAPHICS_LAST
} domain_graphics_type;
ENUM_DECL(domain_graphics);

typedef enum {
    DOMAIN_LISTEN_NONE, DOMAIN_LISTEN_ADDRESS, DOMAIN_LISTEN_NETWORK, DOMAIN_LISTEN_SOCKET,
    DOMAIN_LISTEN_LAST
} domain_listen_type;
ENUM_DECL(domain_listen);

typedef struct {
    int type;                   /* domain_listen_type */
    bool auto_generated;        /* the address was chosen by the driver (status only) */
    char *address;
    char *network;
    char *socket;
    xml_extra extra;
} domain_graphics_listen;

typedef struct {
    int type;                   /* domain_graphics_type */
    int port;                   /* vnc/spice/rdp; -1 = automatic */
    bool autoport;
    int tls_port;               /* spice; 0 = none, -1 = automatic */
    char *passwd;               /* written only with DOMAIN_FORMAT_SECURE */
    domain_graphics_listen *listens;
    size_t nlistens;
    xml_extra extra;            /* keymap, sharePolicy, <channel>, <gl>, ... */
} domain_graphics_def;

typedef struct {
    char *model;                /* <model type=>: "vga", "cirrus", "virtio", ... */
    bool primary;
    unsigned int vram;          /* KiB, 0 = not set */
    unsigned int heads;         /* 0 = not set */
    xml_extra model_extra;      /* ram, vgamem, <acceleration>, ... */
    domain_device_info info;
    xml_extra extra;
} domain_video_def;

typedef struct {
    char *model;                /* "virtio", "none", ... */
    domain_device_info info;
    xml_extra extra;            /* autodeflate, <stats>, ... */
} domain_memballoon_def;

/* --- the domain ---------------------------------------------------------------------- */

typedef struct {
    int virt_type;              /* domain_virt_type */
    char *name;
    unsigned char uuid[UUID_LEN];
    char *title, *description;

    unsigned long long max_memory_kib;   /* <maxMemory>, 0 = none */
    unsigned int max_memory_slots;
    unsigned long long memory_kib;       /* <memory> */
    unsigned long long current_memory_kib;

    unsigned int vcpus;                  /* <vcpu> */
    unsigned int vcpus_current;          /* current=; printed when != vcpus */
    bool has_vcpus_current;
    int vcpu_placement;                  /* domain_placement */
    char *vcpu_cpuset;

    int os_type;                         /* domain_os_type */
    char *os_arch;
    char *os_machine;
    int boot_devs[DOMAIN_BOOT_LAST];     /* domain_boot_dev */
    size_t nboot_devs;

    int clock_offset;                    /* domain_clock_offset */
    int on_poweroff, on_reboot, on_crash;/* domain_lifecycle_action */

    char *emulator;
    domain_disk_def **disks;
    size_t ndisks;
    domain_controller_def **controllers;
    size_t ncontrollers;
    domain_net_def **nets;
    size_t nnets;
    domain_chr_def **serials;
    size_t nserials;
    domain_chr_def **consoles;
    size_t nconsoles;
    domain_chr_def **channels;
    size_t nchannels;
    domain_chr_def **parallels;
    size_t nparallels;
    domain_graphics_def **graphics;
    size_t ngraphics;
    domain_video_def **videos;
    size_t nvideos;
    domain_memballoon_def *memballoon;   /* NULL when absent */

    xml_extra extra;            /* <domain> attributes/namespaces and children not modelled */
    xml_extra memory_extra;     /* dumpCore= */
    xml_extra vcpu_extra;
    xml_extra os_extra;         /* firmware=, <loader>, <nvram>, <kernel>, ... */
    xml_extra os_type_extra;
    xml_extra clock_extra;      /* timezone=, adjustment=, basis=, <timer>, ... */
    xml_extra devices_extra;    /* devices not modelled: <input>, <tpm>, <rng>, ... */

    /* Private to domain_conf.c: the references, and the text of the last formats. */
    gint refs;
    struct domain_format_cache *format_cache[2];
} domain_def;

/* What differs between drivers, given to the parser (NULL: no driver defaults). */
typedef struct domain_xml_options domain_xml_options;
struct domain_xml_options {
    const char *default_arch;   /* <type arch=> when absent, e.g. "i686" */
    const int *virt_types;      /* accepted <domain type=>s, ended by -1; NULL = all */
    bool wide_scsi;             /* SCSI buses have 16 units (QEMU) rather than 7 */
    const char *ifname_prefix;  /* name interfaces without <target dev> PREFIX0, ... */
    const char *private_ns;     /* href of a namespace whose elements the caller reads */
    /* Called last, on a def with the generic defaults filled in; -1 with an error
     * reported rejects the definition. */
    int (*post_parse)(domain_def *def, unsigned int parse_flags, void *opaque);
    void *opaque;
};

/* Parse flags. */
enum {
    DOMAIN_PARSE_VALIDATE = 1 << 0,   /* validate against libvirt's domain.rng, read from
                                       * $VIRTMOMENT_SCHEMA_DIR or /usr/share/libvirt/schemas
                                       * (an error when it is not installed) */
    DOMAIN_PARSE_STATUS = 1 << 1,     /* keep live-only data (aliases, generated ifnames) */
    DOMAIN_PARSE_RAW = 1 << 2,        /* no defaults and no checks after parsing */
};

/* Format flags. */
enum {
    DOMAIN_FORMAT_SECURE = 1 << 0,     /* include secrets (graphics passwd) */
    DOMAIN_FORMAT_INACTIVE = 1 << 1,   /* the persistent view: no id=, no live-only data */
    DOMAIN_FORMAT_MIGRATABLE = 1 << 2, /* accepted; the drivers strip what cannot migrate */
    DOMAIN_FORMAT_STATUS = 1 << 3,     /* also driver state, for DOMAIN_PARSE_STATUS */
};

/* Parse <domain> XML text. Errors: malformed XML, wrong root, invalid values (as
 * libvirt reports them). url names the text in syntax errors; NULL means
 * "(domain_definition)". */
domain_def *domain_def_parse(const char *xml, const domain_xml_options *opts, unsigned int flags);
domain_def *domain_def_parse_url(const char *xml, const char *url, const domain_xml_options *opts,
                                 unsigned int flags);
/* Parse a <domain> element inside some other document (snapshot, checkpoint, node
 * file). The document is only read. */
domain_def *domain_def_parse_node(xmlNodePtr root, const domain_xml_options *opts,
                                  unsigned int flags);

/* The XML text (caller frees); id >= 0 prints id= unless INACTIVE. */
char *domain_def_format(const domain_def *def, int id, unsigned int flags);
/* Append the XML to b at b's current indentation. */
void domain_def_format_buf(buf *b, const domain_def *def, int id, unsigned int flags);

/* An empty def with libvirt's struct defaults (1 vCPU, on_reboot restart). */
domain_def *domain_def_new(void);
/* A deep copy, made as libvirt makes it: formatted with secrets and driver state, and
 * parsed again without defaults. def must be one the parser would accept (a name, a
 * target for each disk, ...): anything else is a programming error. */
domain_def *domain_def_copy(const domain_def *def);
/* Another reference to def (which is then shared and read-only); returns def. */
domain_def *domain_def_ref(domain_def *def);
/* Drop a reference; the last one frees the def. */
void domain_def_free(domain_def *def);
/* def was changed after being formatted: forget the cached text. */
void domain_def_changed(domain_def *def);

/* Domain names: non-empty, no '/', no newline. Reports libvirt's errors. */
bool domain_name_check(const char *name);

/* Disks. */
domain_disk_def *domain_disk_def_new(void);
void domain_disk_def_free(domain_disk_def *disk);
domain_disk_source *domain_disk_source_new(void);
void domain_disk_source_free(domain_disk_source *src);
domain_disk_source *domain_disk_source_copy(const domain_disk_source *src);
/* The disk with this <target dev=>, or NULL. */
domain_disk_def *domain_disk_find_by_target(const domain_def *def, const char *dst);
/* The disk whose top image is path (its file=, dev= or dir=), or NULL. */
domain_disk_def *domain_disk_find_by_source(const domain_def *def, const char *path);
/* Index of the disk called name (its target, or its top source path); -1 if none. */
int domain_disk_index(const domain_def *def, const char *name);
/* A removable medium with nothing inserted (a cdrom or floppy without source). */
bool domain_disk_is_empty(const domain_disk_def *disk);
/* The disk's storage type name ("file", "block", ...). */
const char *domain_disk_type_name(const domain_disk_def *disk);
/* Append disk at libvirt's position (by bus, then target index). */
void domain_disk_insert(domain_def *def, domain_disk_def *disk);
/* Index of the disk name in hda/sdb/vdaa style names: 0, 1, 26; -1 when invalid. */
int domain_disk_name_to_index(const char *name);

/* Free functions of the other devices. */
void domain_controller_def_free(domain_controller_def *c);
void domain_net_def_free(domain_net_def *net);
void domain_chr_def_free(domain_chr_def *chr);
void domain_graphics_def_free(domain_graphics_def *g);
void domain_video_def_free(domain_video_def *v);
void domain_memballoon_def_free(domain_memballoon_def *m);
void domain_device_info_clear(domain_device_info *info);

/* The guest agent channel (<channel> with target virtio org.qemu.guest_agent.0). */
domain_chr_def *domain_find_guest_agent(const domain_def *def);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(domain_def, domain_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domain_disk_def, domain_disk_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domain_disk_source, domain_disk_source_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domain_controller_def, domain_controller_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domain_net_def, domain_net_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domain_chr_def, domain_chr_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domain_graphics_def, domain_graphics_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domain_video_def, domain_video_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(domain_memballoon_def, domain_memballoon_def_free)
