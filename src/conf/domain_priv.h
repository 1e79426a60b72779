/* Internal to src/conf: the pieces the domain parser and formatter are built from. */
#pragma once

#include "conf/domain_conf.h"
#include "util/error.h"
#include "util/xml.h"

#define DOM_FROM VIR_FROM_DOMAIN

/* What every piece of the parser needs to know. */
typedef struct {
    unsigned int flags;          /* DOMAIN_PARSE_* */
    const char *skip_ns;         /* the caller's private namespace, or NULL */
} domain_parse_ctx;

/* Attribute helpers reporting libvirt's messages (VIR_FROM_XML, VIR_ERR_XML_ERROR). */
int dom_prop_uint(xmlNodePtr node, const char *attr, unsigned int *ret, bool *ret_present);
int dom_prop_uint_hex(xmlNodePtr node, const char *attr, unsigned int *ret);
void dom_report_missing_attr(xmlNodePtr node, const char *attr);
/* yes/no, on/off: 1 / 0; absent: -1 untouched; invalid: error, -2. */
int dom_prop_tristate(xmlNodePtr node, const char *attr, const char *yes, const char *no, int *ret);

/* Write <name>text</name> the way libvirt does: the text escaped and never indented
 * inside, even across newlines. Nothing when text is NULL. */
void dom_format_text_element(buf *b, const char *name, const char *text);

/* Device info: <boot>, <alias>, <address> children of a device element. */
extern const char *const domain_info_children[];   /* "boot", "alias", "address" */
int domain_device_info_parse(domain_device_info *info, xmlNodePtr dev, const domain_parse_ctx *ctx);
/* Write the info interleaved with the device's other kept children (rom, acpi...). */
void domain_device_info_format(buf *b, const domain_device_info *info, xml_extra_cursor *c,
                               unsigned int flags);
int domain_address_parse(domain_address *addr, xmlNodePtr node);
void domain_address_format(buf *b, const domain_address *addr);
void domain_address_clear(domain_address *addr);

/* Disk sources (domain_storage.c). */
int domain_disk_source_parse(domain_disk_source *src, xmlNodePtr node, const domain_parse_ctx *ctx);
int domain_disk_backing_parse(domain_disk_source *top, xmlNodePtr node,
                              const domain_parse_ctx *ctx);
bool domain_disk_source_is_empty(const domain_disk_source *src);
/* with_index: write index= (a disk's top source; a backing layer has it on <backingStore>). */
void domain_disk_source_format(buf *b, const domain_disk_source *src, bool with_index,
                               unsigned int flags);
void domain_disk_backing_format(buf *b, const domain_disk_source *bs, unsigned int flags);

/* Disks (domain_disk.c). */
domain_disk_def *domain_disk_parse(xmlNodePtr node, const domain_parse_ctx *ctx);
void domain_disk_format(buf *b, const domain_disk_def *disk, unsigned int flags);

/* Other devices (domain_devices.c, domain_chr.c, domain_graphics.c). */
domain_controller_def *domain_controller_parse(xmlNodePtr node, const domain_parse_ctx *ctx);
void domain_controller_format(buf *b, const domain_controller_def *c, unsigned int flags);
void domain_controller_insert(domain_def *def, domain_controller_def *c);
domain_net_def *domain_net_parse(xmlNodePtr node, const domain_parse_ctx *ctx);
void domain_net_format(buf *b, const domain_net_def *net, unsigned int flags);
domain_video_def *domain_video_parse(xmlNodePtr node, const domain_parse_ctx *ctx);
void domain_video_format(buf *b, const domain_video_def *v, unsigned int flags);
domain_memballoon_def *domain_memballoon_parse(xmlNodePtr node, const domain_parse_ctx *ctx);
void domain_memballoon_format(buf *b, const domain_memballoon_def *m, unsigned int flags);
domain_chr_def *domain_chr_parse(xmlNodePtr node, int device, const domain_parse_ctx *ctx);
/* as_console: write a serial as the <console> that mirrors it. */
void domain_chr_format(buf *b, const domain_chr_def *chr, bool as_console, unsigned int flags);
domain_chr_def *domain_chr_copy(const domain_chr_def *chr);
bool domain_chr_source_equal(const domain_chr_def *a, const domain_chr_def *b);
domain_graphics_def *domain_graphics_parse(xmlNodePtr node, const domain_parse_ctx *ctx);
void domain_graphics_format(buf *b, const domain_graphics_def *g, unsigned int flags);

/* The <domain> element's own parser (domain_parse.c) and the order tables. */
int domain_def_parse_element(domain_def *def, xmlNodePtr top, const domain_parse_ctx *ctx);
extern const xml_order domain_top_order;
extern const xml_order domain_devices_order;
extern const xml_order domain_os_order;
extern const xml_order domain_os_type_order;
extern const xml_order domain_clock_order;

/* Defaults and checks after parsing (domain_postparse.c, domain_disk.c, domain_devices.c). */
int domain_disks_post_parse(domain_def *def, const domain_xml_options *opts);
int domain_videos_post_parse(domain_def *def);
int domain_def_post_parse(domain_def *def, const domain_xml_options *opts, unsigned int flags);
/* Append to a pointer array. */
#define DOM_APPEND(arr, n, item) \
    do { \
        (arr) = g_renew(__typeof__(*(arr)), (arr), (n) + 1); \
        (arr)[(n)++] = (item); \
    } while (0)
