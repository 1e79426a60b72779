/* A new disk image as snapshot and backup XML describe it: its <source> (file, block
 * device or network volume, with seclabels, auth and encryption) and its format. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <libxml/tree.h>
#include "conf/domain_conf.h"
#include "util/buf.h"
#include "util/enum.h"
#include "util/uuid.h"

/* The disk type (domain_disk_type: file, block, network, ...), the image formats
 * (storage_format), network protocols and host transports come from the domain model. */

/* yes/no attributes that may be absent (libvirt's virTristateBool). */
typedef enum {
    STORAGE_TRISTATE_ABSENT,
    STORAGE_TRISTATE_YES,
    STORAGE_TRISTATE_NO,
    STORAGE_TRISTATE_LAST
} storage_tristate;
ENUM_DECL(storage_tristate);

/* A secret named by uuid or by usage (exactly one is set). */
typedef struct {
    bool has_uuid;
    unsigned char uuid[UUID_LEN];
    char *usage;
} secret_ref;

/* <seclabel model= relabel=|labelskip=><label/></seclabel> of a device. */
typedef struct {
    char *model;
    bool relabel;            /* default true */
    bool labelskip;
    char *label;
} seclabel_def;

/* <auth username=><secret type= uuid=|usage=/></auth> */
typedef struct {
    char *username;
    char *secret_type;       /* as written, or NULL */
    secret_ref secret;
} storage_auth;

typedef struct {
    char *name;              /* NULL for unix sockets */
    unsigned int port;       /* 0: none */
    int transport;           /* storage_transport */
    char *socket;
} storage_host;

typedef enum {
    ENCRYPTION_FORMAT_DEFAULT,
    ENCRYPTION_FORMAT_QCOW,
    ENCRYPTION_FORMAT_LUKS,
    ENCRYPTION_FORMAT_LUKS2,
    ENCRYPTION_FORMAT_LAST
} encryption_format;
ENUM_DECL(encryption_format);

typedef enum {
    ENCRYPTION_ENGINE_DEFAULT,
    ENCRYPTION_ENGINE_QEMU,
    ENCRYPTION_ENGINE_LIBRBD,
    ENCRYPTION_ENGINE_LAST
} encryption_engine;
ENUM_DECL(encryption_engine);

/* <encryption format= engine=> with secrets, cipher and ivgen. */
typedef struct {
    int format;              /* encryption_format */
    int engine;              /* encryption_engine */
    secret_ref *secrets;     /* all of type 'passphrase' */
    size_t nsecrets;
    char *cipher_name;       /* NULL: no <cipher> */
    unsigned int cipher_size;
    char *cipher_mode;
    char *cipher_hash;
    char *ivgen_name;        /* NULL: no <ivgen> */
    char *ivgen_hash;
} storage_encryption;

typedef struct {
    int type;                /* domain_disk_type, default file */
    char *path;              /* file= / dev= / the network name=; never "" */
    int protocol;            /* storage_protocol, network only */
    char *query;             /* http(s) only */
    int tls;                 /* storage_tristate, network only */
    storage_host *hosts;
    size_t nhosts;
    storage_auth *auth;
    seclabel_def *seclabels;
    size_t nseclabels;
    storage_encryption *encryption;
    int format;              /* storage_format of <driver type=>, 0: none */
    unsigned long long metadata_cache_max_size;  /* bytes, 0: none */
} storage_source;

storage_source *storage_source_new(int type);
void storage_source_free(storage_source *src);
storage_source *storage_source_copy(const storage_source *src);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(storage_source, storage_source_free)

/* Fill src from a <source> element (or <target>/<scratch> in backups), as a domain
 * disk's source of src->type is read: file= / dev= / protocol= name= tls= and
 * <host>s, <seclabel>s, <auth>, <encryption>. Errors as libvirt's, -1. */
int storage_source_parse(storage_source *src, xmlNodePtr node);

/* Read the format and metadata cache size of a <driver> element ("none" and unknown
 * formats: "unknown <what> driver 'X'", VIR_ERR_CONFIG_UNSUPPORTED in err_domain). */
int storage_source_parse_driver(storage_source *src, xmlNodePtr driver, const char *what,
                                int err_domain);

/* Whether the path is a relative file or block device path. */
bool storage_source_is_relative(const storage_source *src);

/* Write <element ...>...</element> for src at b's indentation; nothing when src has no
 * path, host, seclabel, auth or encryption. */
void storage_source_format(buf *b, const storage_source *src, const char *element);
/* Write <driver type=...> with the metadata cache; nothing when both are unset. */
void storage_source_format_driver(buf *b, const storage_source *src);

/* The security parts (storage_secrets.c): each parse returns -1 after reporting
 * libvirt's error; each format writes at b's indentation. */
int seclabels_parse(xmlNodePtr parent, seclabel_def **ret_labels, size_t *ret_n);
void seclabels_format(buf *b, const seclabel_def *labels, size_t n);
void seclabels_free(seclabel_def *labels, size_t n);
seclabel_def *seclabels_copy(const seclabel_def *labels, size_t n);

storage_auth *storage_auth_parse(xmlNodePtr node);
void storage_auth_format(buf *b, const storage_auth *auth);
void storage_auth_free(storage_auth *auth);
storage_auth *storage_auth_copy(const storage_auth *auth);

storage_encryption *storage_encryption_parse(xmlNodePtr node);
void storage_encryption_format(buf *b, const storage_encryption *enc);
void storage_encryption_free(storage_encryption *enc);
storage_encryption *storage_encryption_copy(const storage_encryption *enc);

/* A scaled integer as libvirt reads <max_size unit='KiB'>3</max_size>: value text and
 * unit (NULL: bytes times scale), at most max. what names the element in errors. */
int parse_scaled(const char *what, const char *text, const char *unit, unsigned long long scale,
                 unsigned long long max, unsigned long long *ret);
