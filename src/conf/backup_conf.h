/* <domainbackup> XML: the backup job definition, its strict parser, formatter and disk alignment. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>
#include <libxml/tree.h>
#include "conf/backup_store.h"
#include "conf/domain_conf.h"
#include "util/buf.h"
#include "util/enum.h"

/* Differences from libvirt 9.0, on purpose:
 *  - domainbackup.rng is enforced by hand-written checks (backup_schema.c); the code
 *    and domain are libvirt's, the message names the element and the problem.
 *  - <server transport='fd' fdgroup='NAME'/> of newer upstream is accepted; newer
 *    upstream's untyped push disks (<disk name='vdc'/>) are refused as 9.0 does.
 *  - A requested disk backed up without a target/scratch path gets the generated
 *    "<source>.<suffix>" file, as newer upstream does (9.0 left it without one).
 *  - Enumerated values are RelaxNG tokens (mode=' pull ' is pull); an empty seclabel
 *    <label/> is kept so that the output stays valid.
 *  - Volume disks are not resolved to their pool's type: no generated name for them.
 *  - Alignment leaves the definition unchanged when it fails. */

typedef enum {
    BACKUP_TYPE_DEFAULT,
    BACKUP_TYPE_PUSH,
    BACKUP_TYPE_PULL,
    BACKUP_TYPE_LAST
} backup_type;
ENUM_DECL(backup_type);

/* Per-disk job state, in virtmoment's status XML only. */
typedef enum {
    BACKUP_DISK_STATE_NONE,
    BACKUP_DISK_STATE_RUNNING,
    BACKUP_DISK_STATE_COMPLETE,
    BACKUP_DISK_STATE_FAILED,
    BACKUP_DISK_STATE_CANCELLING,
    BACKUP_DISK_STATE_CANCELLED,
    BACKUP_DISK_STATE_LAST
} backup_disk_state;
ENUM_DECL(backup_disk_state);

typedef enum {
    BACKUP_DISK_MODE_DEFAULT,
    BACKUP_DISK_MODE_FULL,
    BACKUP_DISK_MODE_INCREMENTAL,
    BACKUP_DISK_MODE_LAST
} backup_disk_mode;
ENUM_DECL(backup_disk_mode);

/* transport= of <server>; fd is newer upstream's (fdgroup= names the socket
 * handed over with virDomainFDAssociate). */
typedef enum {
    BACKUP_TRANSPORT_TCP,
    BACKUP_TRANSPORT_UNIX,
    BACKUP_TRANSPORT_RDMA,
    BACKUP_TRANSPORT_FD,
    BACKUP_TRANSPORT_LAST
} backup_transport;
ENUM_DECL(backup_transport);

/* tls= of <server>. */
typedef enum {
    BACKUP_TLS_DEFAULT,         /* absent: qemu.conf decides */
    BACKUP_TLS_YES,
    BACKUP_TLS_NO,
    BACKUP_TLS_LAST
} backup_tls;
ENUM_DECL(backup_tls);

typedef struct {
    int transport;              /* backup_transport */
    char *name;                 /* tcp host */
    unsigned int port;          /* tcp port, 0 = not given */
    char *socket;               /* unix socket path */
    char *fdgroup;              /* fd transport */
} backup_server;

typedef struct {
    char *name;                 /* target dev */
    bool backup;                /* backup='yes' (the default) or 'no' */
    int state;                  /* backup_disk_state, status XML only */
    int backupmode;             /* backup_disk_mode */
    char *incremental;          /* checkpoint to back up from */
    char *exportname;           /* pull: NBD export name */
    char *exportbitmap;         /* pull: exported bitmap name */
    backup_store *store;        /* target (push) or scratch (pull); NULL when not backed up */
} backup_disk_def;

typedef struct {
    int type;                   /* backup_type: push or pull after parsing */
    char *incremental;          /* <incremental> checkpoint, NULL: full backup */
    backup_server *server;      /* pull only, may be NULL */
    int tls;                    /* backup_tls */
    size_t ndisks;
    backup_disk_def *disks;
    char *tls_alias;            /* <privateData> (status XML): TLS object alias */
    char *tls_secret_alias;     /* ... and its secret's alias */
} backup_def;

/* Parse flags. */
enum {
    /* virtmoment's own status XML: no schema check (as libvirt), disk state=
     * (required), index= and <privateData> are read. */
    BACKUP_PARSE_INTERNAL = 1 << 0,
};

/* Format flags. */
enum {
    BACKUP_FORMAT_INTERNAL = 1 << 0,    /* state= and <privateData> (index= is printed
                                           whenever known, as libvirt does) */
};

backup_def *backup_def_new(void);
void backup_def_free(backup_def *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(backup_def, backup_def_free)

/* Parse a <domainbackup> document. Unless INTERNAL, whatever domainbackup.rng
 * (libvirt 9.0) rejects is VIR_ERR_XML_INVALID_SCHEMA; transport='fd' of newer
 * upstream is accepted as well. Then libvirt's checks (VIR_FROM_DOMAIN): "unknown
 * backup mode 'M'" and "use of <server> requires pull mode backup",
 * "transport rdma is not supported for <server>" (VIR_ERR_CONFIG_UNSUPPORTED);
 * "backup socket path 'S' must be absolute", "missing name from disk backup
 * element", "unsupported disk backup type 'T'" (VIR_ERR_XML_ERROR); a port over
 * 65535: "port 'P' out of range" (VIR_ERR_INTERNAL_ERROR). Malformed XML is
 * VIR_ERR_XML_DETAIL, a wrong root VIR_ERR_XML_ERROR in VIR_FROM_XML. */
backup_def *backup_def_parse_string(const char *xml, unsigned int flags);
backup_def *backup_def_parse_node(xmlNodePtr root, unsigned int flags);

/* The strict schema check alone. */
bool backup_schema_check(xmlNodePtr root);

/* Format as libvirt does (mode always printed, every disk with backup=, type=,
 * backupmode=, ...). Returns the text (g_free it). */
char *backup_def_format(const backup_def *def, unsigned int flags);
void backup_def_format_buf(buf *b, const backup_def *def, unsigned int flags);

/* Align def's disks with dom's (libvirt's virDomainBackupAlignDisks): requested
 * disks first in their order, then the domain's other disks in domain order,
 * with backup='no', or, when <disks> was absent, backed up if writable and not
 * empty. Disks backed up without a target/scratch path get "<source path>.<suffix>".
 * Modes are filled in: "incremental" when a checkpoint applies, "full" otherwise.
 * Errors (VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN): "domain must have at
 * least one disk to perform backup", "no disk named 'X'", "disk 'X' specified
 * twice", "'incremental' backup mode of disk 'X' requires setting 'incremental'
 * field for disk or backup", "disk 'X' has no media", "refusing to generate file
 * name for disk 'X'". def is unchanged on failure. */
int backup_def_align_disks(backup_def *def, const domain_def *dom, const char *suffix);
