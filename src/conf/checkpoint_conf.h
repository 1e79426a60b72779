/* <domaincheckpoint> XML: the checkpoint definition, its strict parser, formatter, defaults and disk alignment. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>
#include <libxml/tree.h>
#include "conf/domain_conf.h"
#include "util/buf.h"
#include "util/enum.h"

/* Differences from libvirt 9.0, on purpose:
 *  - domaincheckpoint.rng is enforced by hand-written checks (about 250 times faster
 *    than libvirt's RelaxNG run); the code and domain are libvirt's, the message names
 *    the element and the problem instead of libxml2's RelaxNG text. The content of
 *    <domain> is checked by the domain model's parser, not by domain.rng; without
 *    REDEFINE it is parsed that way and dropped (libvirt validates and ignores it).
 *  - Entity references that expand to elements are refused (RelaxNG sees through
 *    them, libvirt's XPath does not).
 *  - Enumerated values are RelaxNG tokens: checkpoint=' no ' means 'no' (libvirt's
 *    schema accepts it and its parser then misreads it).
 *  - Names longer than 255 bytes are refused: names are not paths.
 *  - INTERNAL (parse and format) keeps the legacy <active> element for virtmoment's
 *    own metadata; libvirt 9.0 has no such flag.
 *  - Alignment leaves the definition unchanged when it fails. */

/* The checkpoint= attribute of a disk. */
typedef enum {
    CHECKPOINT_TYPE_DEFAULT,    /* not printed */
    CHECKPOINT_TYPE_NO,
    CHECKPOINT_TYPE_BITMAP,
    CHECKPOINT_TYPE_LAST
} checkpoint_type;
ENUM_DECL(checkpoint_type);

typedef struct {
    char *name;                 /* target dev, or a source path until aligned */
    int type;                   /* checkpoint_type */
    char *bitmap;               /* bitmap name (bitmap disks) */
    unsigned long long size;    /* bytes dirtied since the checkpoint, ... */
    bool size_valid;            /* ... when the driver has computed it */
} checkpoint_disk_def;

typedef struct {
    char *name;
    char *description;
    char *parent_name;          /* as parsed; the tree holds the real parent */
    long long creation_time;    /* seconds since the epoch, 0 = unset */
    size_t ndisks;
    checkpoint_disk_def *disks;
    domain_def *dom;            /* the domain as it was, or NULL */
} checkpoint_def;

/* Parse flags. */
enum {
    /* Redefining existing metadata: <name> and <creationTime> are required and
     * <parent>, <creationTime> and <domain> are kept (otherwise ignored, as the
     * driver fills them in). */
    CHECKPOINT_PARSE_REDEFINE = 1 << 0,
    /* The XML is virtmoment's own metadata: also accept <active>0|1</active>. */
    CHECKPOINT_PARSE_INTERNAL = 1 << 1,
};

/* Format flags: the first three are the public VIR_DOMAIN_CHECKPOINT_XML_* values. */
enum {
    CHECKPOINT_FORMAT_SECURE = 1 << 0,     /* secrets in <domain> */
    CHECKPOINT_FORMAT_NO_DOMAIN = 1 << 1,  /* leave <domain> out */
    CHECKPOINT_FORMAT_SIZE = 1 << 2,       /* size= on disks whose size is known */
    CHECKPOINT_FORMAT_INTERNAL = 1 << 3,   /* add <active>, for virtmoment's metadata */
    CHECKPOINT_FORMAT_CURRENT = 1 << 4,    /* with INTERNAL: <active>1</active> */
};

checkpoint_def *checkpoint_def_new(void);
void checkpoint_def_free(checkpoint_def *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(checkpoint_def, checkpoint_def_free)

/* Parse a <domaincheckpoint> document, rejecting whatever domaincheckpoint.rng
 * rejects (VIR_ERR_XML_INVALID_SCHEMA) and then applying libvirt's checks:
 *  - malformed XML: VIR_ERR_XML_DETAIL; wrong root: VIR_ERR_XML_ERROR (VIR_FROM_XML);
 *  - REDEFINE without <name>: VIR_ERR_XML_ERROR "a redefined checkpoint must have a name";
 *  - REDEFINE without <creationTime>: VIR_ERR_INTERNAL_ERROR
 *    "missing creationTime from existing checkpoint";
 *  - a name that is unsafe as a file name: VIR_ERR_INVALID_ARG.
 * Errors are in VIR_FROM_DOMAIN_CHECKPOINT unless said otherwise. The embedded
 * <domain> goes to the domain model's parser. With INTERNAL, *ret_current (may be
 * NULL) says whether <active>1</active> was present. */
checkpoint_def *checkpoint_def_parse_string(const char *xml, const domain_xml_options *xmlopt,
                                            unsigned int flags, bool *ret_current);
checkpoint_def *checkpoint_def_parse_node(xmlNodePtr root, const domain_xml_options *xmlopt,
                                          unsigned int flags, bool *ret_current);

/* The strict schema check alone (root must be <domaincheckpoint>). */
bool checkpoint_schema_check(xmlNodePtr root, unsigned int flags);

/* Fill in what a new checkpoint gets at creation: creation time = now and, when
 * there is no name, the name "<now>" (epoch seconds). now comes from the caller so
 * that tests can fix the clock. */
void checkpoint_def_set_defaults(checkpoint_def *def, long long now);

/* Give every bitmap disk without a bitmap name the checkpoint's name. */
void checkpoint_def_assign_bitmap_names(checkpoint_def *def);

/* Align def's disks with dom's (libvirt's virDomainCheckpointAlignDisks): one
 * entry per domain disk in domain order, names turned into target devs; listed
 * disks keep their settings, unlisted ones get "bitmap" when <disks> was absent
 * and the disk is writable and not empty, "no" otherwise; bitmap names default
 * to the checkpoint name. Errors (VIR_ERR_CONFIG_UNSUPPORTED): "domain must have
 * at least one disk to perform checkpoints", "too many disk checkpoint requests
 * for domain", "no disk named 'X'", "disk 'X' specified twice", "disk 'X' is
 * empty or readonly". def is unchanged on failure. */
int checkpoint_def_align_disks(checkpoint_def *def, const domain_def *dom);

/* The conf half of libvirt's virDomainCheckpointRedefinePrep, for a REDEFINE parse:
 * with a <domain>, its UUID must be live's ("definition for checkpoint N must use
 * uuid U", VIR_ERR_INVALID_ARG) and the disks are aligned to it; without one, the
 * bitmap names are filled in. Parent, cycle and current handling are the moment
 * tree's and the driver's. */
int checkpoint_def_redefine_prep(checkpoint_def *def, const domain_def *live);

/* Format def. parent is the parent's name to print (the driver passes the
 * tree's; NULL for a root). Formatting never fails; the text is g_free'd by the
 * caller. */
char *checkpoint_def_format(const checkpoint_def *def, const char *parent, unsigned int flags);
void checkpoint_def_format_buf(buf *b, const checkpoint_def *def, const char *parent,
                               unsigned int flags);
