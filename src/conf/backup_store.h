/* Where one disk's backup goes: the push <target> or pull <scratch>, its <driver>, seclabels and encryption. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>
#include <libxml/tree.h>
#include "conf/domain_conf.h"
#include "util/buf.h"
#include "util/enum.h"
#include "util/uuid.h"

/* The type= of a backup store is the domain model's domain_disk_type (backups use
 * file and block); its <driver type=> is the domain model's storage_format. */

typedef enum {
    BACKUP_ENCRYPTION_FORMAT_DEFAULT,
    BACKUP_ENCRYPTION_FORMAT_QCOW,
    BACKUP_ENCRYPTION_FORMAT_LUKS,
    BACKUP_ENCRYPTION_FORMAT_LAST
} backup_encryption_format;
ENUM_DECL(backup_encryption_format);

typedef enum {
    BACKUP_ENCRYPTION_ENGINE_DEFAULT,
    BACKUP_ENCRYPTION_ENGINE_QEMU,
    BACKUP_ENCRYPTION_ENGINE_LIBRBD,
    BACKUP_ENCRYPTION_ENGINE_LAST
} backup_encryption_engine;
ENUM_DECL(backup_encryption_engine);

/* <seclabel> of a target or scratch. */
typedef struct {
    char *model;
    bool relabel;
    bool labelskip;
    char *label;
} backup_seclabel;

/* <secret type='passphrase' uuid=.../> or usage=. */
typedef struct {
    bool has_uuid;
    unsigned char uuid[UUID_LEN];
    char *usage;
} backup_secret;

/* <encryption>. */
typedef struct {
    int format;                 /* backup_encryption_format */
    int engine;                 /* backup_encryption_engine */
    size_t nsecrets;
    backup_secret *secrets;
    char *cipher_name;          /* <cipher>, printed when set */
    unsigned int cipher_size;
    char *cipher_mode;
    char *cipher_hash;
    char *ivgen_name;           /* <ivgen> */
    char *ivgen_hash;
} backup_encryption;

typedef struct {
    int type;                   /* domain_disk_type: file or block */
    int format;                 /* storage_format, STORAGE_FORMAT_NONE = not given */
    char *path;                 /* file= or dev=, NULL until given or generated */
    unsigned int index;         /* node index (status XML), 0 = unknown */
    size_t nseclabels;
    backup_seclabel *seclabels;
    backup_encryption *encryption;
} backup_store;

backup_store *backup_store_new(int type);
void backup_store_free(backup_store *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(backup_store, backup_store_free)

/* A store from a disk's type= (NULL: file), <driver type=> and index= (each may be
 * NULL), as libvirt's virDomainStorageSourceParseBase: "unknown storage source
 * type 'T'", "unknown storage source format 'F'", "invalid storage source index
 * 'I'" (VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN). */
backup_store *backup_store_parse_base(const char *type, const char *format, const char *index);

/* Read a <target> or <scratch> element into store: path by store's type,
 * <seclabel>s, <encryption>. Errors are VIR_ERR_XML_ERROR / VIR_ERR_XML_DETAIL
 * with libvirt's messages. */
int backup_store_parse_source(backup_store *store, xmlNodePtr node);

/* Write <element file|dev='...'> with its seclabels then encryption; nothing when
 * there is neither a path nor a child. */
void backup_store_format_source(buf *b, const backup_store *store, const char *element);

/* A local store without a path. */
bool backup_store_is_empty(const backup_store *store);
