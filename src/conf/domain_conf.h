/* TEMPORARY stand-in for the domain model of branch domconf: <domain> kept verbatim, its disks known. */
#pragma once

/* This file exists only so that checkpoint_conf and backup_conf build and are tested
 * before the real domain model is merged; the merge replaces it. It declares, with
 * the same names, the subset of domconf's src/conf/domain_conf.h those files, their
 * tests and the test driver use. */

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>
#include <libxml/tree.h>
#include "util/buf.h"
#include "util/enum.h"
#include "util/uuid.h"

typedef enum {
    DOMAIN_LIFECYCLE_DESTROY, DOMAIN_LIFECYCLE_RESTART,
    DOMAIN_LIFECYCLE_LAST
} domain_lifecycle_action;

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

typedef struct domain_disk_source domain_disk_source;
struct domain_disk_source {
    int type;                   /* domain_disk_type */
    int format;                 /* storage format, 0 = none (not interpreted here) */
    char *path;                 /* file=, dev= or dir= by type; NULL when empty */
    char *name;                 /* network: export / image name */
    int protocol;               /* network: 0 = none */
};

typedef struct {
    int device;                 /* domain_disk_device */
    char *dst;                  /* <target dev=> */
    domain_disk_source *src;    /* never NULL */
    bool readonly;
} domain_disk_def;

typedef struct {
    char *name;
    unsigned char uuid[UUID_LEN];
    unsigned long long memory_kib;
    unsigned long long current_memory_kib;
    unsigned int vcpus;
    int on_reboot;
    domain_disk_def **disks;
    size_t ndisks;
    xmlDocPtr doc;              /* stand-in only: the <domain> element, verbatim */
} domain_def;

typedef struct domain_xml_options domain_xml_options;
struct domain_xml_options {
    const char *default_arch;
};

enum {
    DOMAIN_PARSE_VALIDATE = 1 << 0,
    DOMAIN_PARSE_STATUS = 1 << 1,
    DOMAIN_PARSE_RAW = 1 << 2,
};

enum {
    DOMAIN_FORMAT_SECURE = 1 << 0,
    DOMAIN_FORMAT_INACTIVE = 1 << 1,
    DOMAIN_FORMAT_MIGRATABLE = 1 << 2,
};

domain_def *domain_def_parse(const char *xml, const domain_xml_options *opts, unsigned int flags);
domain_def *domain_def_parse_node(xmlNodePtr root, const domain_xml_options *opts, unsigned int flags);
char *domain_def_format(const domain_def *def, int id, unsigned int flags);
void domain_def_format_buf(buf *b, const domain_def *def, int id, unsigned int flags);
domain_def *domain_def_copy(const domain_def *def);
void domain_def_free(domain_def *def);

domain_disk_def *domain_disk_find_by_target(const domain_def *def, const char *dst);
domain_disk_def *domain_disk_find_by_source(const domain_def *def, const char *path);
int domain_disk_index(const domain_def *def, const char *name);
bool domain_disk_is_empty(const domain_disk_def *disk);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(domain_def, domain_def_free)
