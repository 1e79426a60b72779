/* The <domainsnapshot> model: parsing, canonical formatting, create defaults, redefine
 * checks and disk alignment, with libvirt 9.0's rules and errors. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>
#include <libxml/tree.h>
#include "conf/domain_conf.h"
#include "conf/storage_source.h"
#include "util/buf.h"
#include "util/enum.h"

/* <state>: virDomainState's strings plus disk-snapshot. */
typedef enum {
    SNAPSHOT_STATE_NOSTATE,
    SNAPSHOT_STATE_RUNNING,
    SNAPSHOT_STATE_BLOCKED,
    SNAPSHOT_STATE_PAUSED,
    SNAPSHOT_STATE_SHUTDOWN,
    SNAPSHOT_STATE_SHUTOFF,
    SNAPSHOT_STATE_CRASHED,
    SNAPSHOT_STATE_PMSUSPENDED,
    SNAPSHOT_STATE_DISK_SNAPSHOT,
    SNAPSHOT_STATE_LAST
} snapshot_state;
ENUM_DECL(snapshot_state);

/* The snapshot= attribute of <memory> and <disk> is domain_snapshot_location
 * (DOMAIN_SNAPSHOT_LOCATION_DEFAULT, _NO, _INTERNAL, _EXTERNAL, _MANUAL), the enum of
 * the domain disk's own snapshot= attribute. */

/* One <disk> of <disks> or <revertDisks>. */
typedef struct {
    char *name;                 /* target dev, or a source path until aligned */
    int snapshot;               /* domain_snapshot_location */
    storage_source *src;        /* never NULL: type (default file), new image path, format */
    bool delete_in_progress;    /* <snapshotDeleteInProgress/> (redefine only) */
} snapshot_disk_def;

typedef struct {
    char *name;                 /* NULL until set (a create gets a default) */
    char *description;
    char *parent_name;          /* as parsed on redefine; the tree keeps the real parent */
    long long creation_time;    /* epoch seconds, 0: unset */
    int state;                  /* snapshot_state */
    int memory;                 /* domain_snapshot_location */
    char *memory_file;          /* absolute, only with external memory */
    snapshot_disk_def *disks;
    size_t ndisks;
    snapshot_disk_def *revert_disks;    /* <revertDisks> (libvirt >= 9.9) */
    size_t nrevert_disks;
    domain_def *dom;            /* the full <domain>, or NULL */
    domain_def *inactive_dom;   /* <inactiveDomain>, or NULL */
    char *cookie;               /* <cookie>'s children in canonical layout, NULL: none */
} snapshot_def;

/* Parse flags (libvirt's VIR_DOMAIN_SNAPSHOT_PARSE_*). */
enum {
    SNAPSHOT_PARSE_REDEFINE = 1 << 0,   /* name, state, creationTime required; all read */
    SNAPSHOT_PARSE_INTERNAL = 1 << 1,   /* driver metadata: <active> required */
    SNAPSHOT_PARSE_OFFLINE = 1 << 2,    /* the domain is inactive: memory must be 'no' */
    SNAPSHOT_PARSE_VALIDATE = 1 << 3,   /* validate against domainsnapshot.rng first */
};

/* Format flags (libvirt's VIR_DOMAIN_SNAPSHOT_FORMAT_*). */
enum {
    SNAPSHOT_FORMAT_SECURE = 1 << 0,    /* secrets in the embedded domains */
    SNAPSHOT_FORMAT_INTERNAL = 1 << 1,  /* print <active> */
    SNAPSHOT_FORMAT_CURRENT = 1 << 2,   /* with INTERNAL: <active>1</active> */
};

snapshot_def *snapshot_def_new(void);
void snapshot_def_free(snapshot_def *def);
snapshot_def *snapshot_def_copy(const snapshot_def *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(snapshot_def, snapshot_def_free)

void snapshot_disk_def_clear(snapshot_disk_def *disk);

/* Parse a <domainsnapshot> document. Errors are libvirt's (malformed XML: XML_DETAIL in
 * VIR_FROM_DOMAIN_SNAPSHOT; wrong root: XML_ERROR in VIR_FROM_XML; schema: see
 * schema_validate). With SNAPSHOT_PARSE_INTERNAL, ret_current (required then) tells
 * whether <active> was non-zero; it is untouched on failure. The embedded domains are
 * parsed with opts. A create parse (no REDEFINE) reads name, description, memory,
 * disks and cookie only; call snapshot_def_set_create_defaults afterwards. */
snapshot_def *snapshot_def_parse_string(const char *xml, const domain_xml_options *opts,
                                        unsigned int flags, bool *ret_current);
/* The same from an element whose name is domainsnapshot (any namespace), as the test
 * driver's <test:domainsnapshot> fixtures. */
snapshot_def *snapshot_def_parse_node(xmlNodePtr root, const domain_xml_options *opts,
                                      unsigned int flags, bool *ret_current);

/* What a create fills in (libvirt's moment post-parse): creation time = now, and the
 * name, when missing, = now in decimal. */
void snapshot_def_set_create_defaults(snapshot_def *def, long long now);

/* Canonical XML. parent_name is printed as <parent> (the driver passes the tree's
 * parent; def->parent_name is not used). domain_uuid (16 bytes, may be NULL) is
 * printed as <domain><uuid>U</uuid></domain> when def has no full domain. */
char *snapshot_def_format(const snapshot_def *def, const char *parent_name,
                          const unsigned char *domain_uuid, unsigned int flags);
void snapshot_def_format_buf(buf *b, const snapshot_def *def, const char *parent_name,
                             const unsigned char *domain_uuid, unsigned int flags);

/* Public VIR_DOMAIN_SNAPSHOT_XML_* flags to SNAPSHOT_FORMAT_* (others ignored). */
unsigned int snapshot_format_flags_from_public(unsigned int xml_flags);

/* External memory, or any disk with an external location. */
bool snapshot_def_is_external(const snapshot_def *def);

/* Whether def passes the status (INACTIVE, ACTIVE, DISK_ONLY) and location (INTERNAL,
 * EXTERNAL) groups of the public VIR_DOMAIN_SNAPSHOT_LIST_* flags, as libvirt filters:
 * a group with no bit or with every bit set does not filter. Other bits are ignored. */
bool snapshot_def_matches_list_flags(const snapshot_def *def, unsigned int list_flags);

/* The checks libvirt makes before a redefine replaces or adds a snapshot
 * (VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_SNAPSHOT): DISK_ONLY (public create flag
 * 0x10) needs state disk-snapshot; a full <domain> must carry domain_uuid; against
 * existing (the snapshot being redefined, may be NULL) the state may not switch
 * between online and offline nor between disk-only and full. */
int snapshot_def_redefine_validate(const snapshot_def *def, const unsigned char *domain_uuid,
                                   const snapshot_def *existing, unsigned int create_flags);

/* The default disk location for aligning a redefined snapshot: external for a
 * disk-snapshot state or an external snapshot, internal otherwise. */
int snapshot_def_redefine_location(const snapshot_def *def);

/* Disk alignment (libvirt's virDomainSnapshotAlignDisks, snapshot_align.c): make
 * def->disks list every disk of the domain (def->dom, else existing_dom) once, in the
 * domain's order, named by target, each with a location; give external disks without
 * a path a default file name next to the current image. uniform_internal: with an
 * internal default, every disk must be internal (or 'no' where the domain says so).
 * force_default: unlisted disks take default_location even when the domain disk has
 * its own snapshot= attribute (newer libvirt, for reverting external snapshots).
 * Errors are libvirt's (VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN_SNAPSHOT); on
 * failure def is unchanged (libvirt leaves it half aligned). */
int snapshot_def_align_disks(snapshot_def *def, const domain_def *existing_dom,
                             int default_location, bool uniform_internal, bool force_default);
