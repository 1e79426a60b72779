/* TEMPORARY stand-in for the domain model of branch domconf: <domain> kept verbatim, its disks known. */
#pragma once

/* This file exists only so that checkpoint_conf and backup_conf build and are tested
 * before the real domain model is merged; the merge replaces it. It offers the
 * subset of the announced API those files use. */

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>
#include <libxml/tree.h>
#include "util/buf.h"

typedef struct domain_xml_options {
    int unused;
} domain_xml_options;

typedef enum {
    DOMAIN_LIFECYCLE_DESTROY,
    DOMAIN_LIFECYCLE_RESTART,
} domain_lifecycle;

typedef enum {
    DOMAIN_DISK_TYPE_NONE,
    DOMAIN_DISK_TYPE_FILE,
    DOMAIN_DISK_TYPE_BLOCK,
    DOMAIN_DISK_TYPE_DIR,
    DOMAIN_DISK_TYPE_NETWORK,
    DOMAIN_DISK_TYPE_VOLUME,
    DOMAIN_DISK_TYPE_LAST
} domain_disk_type;

typedef struct {
    int type;            /* domain_disk_type */
    char *device;        /* disk, cdrom, floppy, lun */
    char *src_path;      /* file or dev of <source>, NULL when empty */
    char *dst;           /* target dev */
    char *format;        /* driver type */
    bool readonly;
} domain_disk_def;

typedef struct {
    char *name;
    unsigned char uuid[16];
    unsigned long long memory_kib;          /* (for the test driver, not parsed here) */
    unsigned long long current_memory_kib;
    unsigned int vcpus;
    int on_reboot;
    size_t ndisks;
    domain_disk_def **disks;
    xmlDocPtr doc;       /* the <domain> element, verbatim */
} domain_def;

enum {
    DOMAIN_PARSE_VALIDATE = 1 << 0,
};

enum {
    DOMAIN_FORMAT_SECURE = 1 << 0,
    DOMAIN_FORMAT_INACTIVE = 1 << 1,
};

domain_def *domain_def_parse(const char *xml, const domain_xml_options *xmlopt, unsigned int flags);
char *domain_def_format(const domain_def *def, int id, unsigned int flags);

domain_def *domain_def_parse_node(xmlNodePtr node, const domain_xml_options *xmlopt,
                                  unsigned int flags);
int domain_def_format_buf(buf *b, const domain_def *def, int id, unsigned int flags);
domain_def *domain_def_copy(const domain_def *def);
void domain_def_free(domain_def *def);

domain_disk_def *domain_disk_by_target(const domain_def *def, const char *dst);
/* By target dev or by source path. */
domain_disk_def *domain_disk_by_name(const domain_def *def, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(domain_def, domain_def_free)
