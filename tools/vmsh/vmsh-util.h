/* Helpers shared by commands: tables, domains, XML, files and time formatting. */
#pragma once

#include <time.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "vmsh.h"

/* ---- tables (table.c) ---- */

typedef struct vmsh_table vmsh_table;

vmsh_table *vmsh_table_new(const char *header, ...) G_GNUC_NULL_TERMINATED;
void vmsh_table_add(vmsh_table *table, const char *cell, ...) G_GNUC_NULL_TERMINATED;
void vmsh_table_add_row(vmsh_table *table, const char *const *cells);
char *vmsh_table_format(const vmsh_table *table, bool header);
void vmsh_table_print(vmsh_table *table, vmsh_ctl *ctl);
void vmsh_table_free(vmsh_table *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmsh_table, vmsh_table_free)
char *vmsh_table_safe_text(const char *text, size_t *ret_width);

/* ---- domains (domain-util.c) ---- */

enum {
    VMSH_BY_ID = 1 << 0,
    VMSH_BY_UUID = 1 << 1,
    VMSH_BY_NAME = 1 << 2,
    VMSH_BY_ANY = VMSH_BY_ID | VMSH_BY_UUID | VMSH_BY_NAME,
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomain, virDomainFree)

virDomainPtr vmsh_lookup_domain(vmsh_ctl *ctl, const char *cmdname, const char *name,
                                unsigned int by);
virDomainPtr vmsh_opt_domain_by(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char **ret_name,
                                unsigned int by);
virDomainPtr vmsh_opt_domain(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char **ret_name);
int vmsh_domain_state(vmsh_ctl *ctl, virDomainPtr dom, int *ret_reason);
const char *vmsh_domain_state_name(int state);
const char *vmsh_domain_reason_name(int state, int reason);
int vmsh_domain_sort(const void *a, const void *b);

/* ---- XML and files (xml-util.c) ---- */

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlXPathObject, xmlXPathFreeObject)

xmlDocPtr vmsh_xml_parse(vmsh_ctl *ctl, const char *xml, const char *url,
                         xmlXPathContextPtr *ret_ctxt);
int vmsh_xpath_nodes(vmsh_ctl *ctl, xmlXPathContextPtr xpath, const char *expr,
                     xmlNodePtr **ret_nodes);
char *vmsh_xpath_string(xmlXPathContextPtr xpath, const char *expr);
char *vmsh_xml_node_string(xmlDocPtr doc, xmlNodePtr node);
bool vmsh_dump_xml(vmsh_ctl *ctl, const char *xml, const char *url, const char *xpath,
                   bool wrap);
bool vmsh_dump_xml_opts(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *xml, const char *url);
int vmsh_read_file(vmsh_ctl *ctl, const char *path, char **ret_text);
bool vmsh_opt_xml_file(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *name,
                       const char *default_xml, const char **ret_path, char **ret_xml);
char *vmsh_xml_escape(const char *text);

/* ---- trees (tree.c) ---- */

/* Entry I's name, or with PARENT its parent's name (NULL for a root). */
typedef const char *(*vmsh_tree_lookup)(size_t i, bool parent, void *opaque);
void vmsh_tree_print(vmsh_ctl *ctl, vmsh_tree_lookup lookup, void *opaque, size_t n);

/* ---- snapshots (snapshot-util.c) ---- */

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainSnapshot, virDomainSnapshotFree)

virDomainSnapshotPtr vmsh_snapshot_lookup(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *arg,
                                          bool exclusive, virDomainPtr dom,
                                          const char **ret_name);
bool vmsh_snapshot_create(vmsh_ctl *ctl, virDomainPtr dom, const char *xml, unsigned int flags,
                          const char *from);
int vmsh_snapshot_parent(vmsh_ctl *ctl, virDomainSnapshotPtr snap, char **ret_parent);
xmlDocPtr vmsh_snapshot_xml(vmsh_ctl *ctl, virDomainSnapshotPtr snap,
                            xmlXPathContextPtr *ret_ctxt);
unsigned int vmsh_snapshot_redefine_flags(const char *xml, unsigned int flags);
unsigned int vmsh_snapshot_create_flags(const vmsh_cmd *cmd);

/* The options snapshot-create and snapshot-create-as share: vmsh_snapshot_create_flags
 * reads them. */
#define VMSH_SNAPSHOT_CREATE_OPTS \
    { .name = "no-metadata", .type = VMSH_OT_BOOL, \
      .help = "take the snapshot but keep no metadata for it" }, \
    { .name = "halt", .type = VMSH_OT_BOOL, .help = "stop the domain after the snapshot" }, \
    { .name = "disk-only", .type = VMSH_OT_BOOL, \
      .help = "only the disks, not the memory state" }, \
    { .name = "reuse-external", .type = VMSH_OT_BOOL, \
      .help = "use external files that already exist" }, \
    { .name = "quiesce", .type = VMSH_OT_BOOL, .help = "quiesce the guest's file systems" }, \
    { .name = "atomic", .type = VMSH_OT_BOOL, .help = "all disks or none" }, \
    { .name = "live", .type = VMSH_OT_BOOL, .help = "while the domain keeps running" }, \
    { .name = "validate", .type = VMSH_OT_BOOL, .help = "check the XML against the schema" }

/* ---- time (domain-util.c) ---- */

char *vmsh_format_time(time_t when);

/* The "domain" option most commands start with. */
#define VMSH_OPT_DOMAIN(text) \
    { .name = "domain", .type = VMSH_OT_DATA, .flags = VMSH_OF_REQ, .help = text }
#define VMSH_OPT_DOMAIN_ANY VMSH_OPT_DOMAIN("the domain's name, ID or UUID")
bool vmsh_shutdown_modes(vmsh_ctl *ctl, const vmsh_cmd *cmd, bool reboot,
                         unsigned int *ret_flags);
bool vmsh_pass_fds(vmsh_ctl *ctl, const vmsh_cmd *cmd);
bool vmsh_run_console(vmsh_ctl *ctl, virDomainPtr dom);

/* ---- checkpoints (checkpoint-util.c) ---- */

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainCheckpoint, virDomainCheckpointFree)

virDomainCheckpointPtr vmsh_checkpoint_lookup(vmsh_ctl *ctl, const vmsh_cmd *cmd,
                                              const char *arg, virDomainPtr dom,
                                              const char **ret_name);
bool vmsh_checkpoint_create(vmsh_ctl *ctl, virDomainPtr dom, const char *xml,
                            unsigned int flags, const char *from);
int vmsh_checkpoint_parent(vmsh_ctl *ctl, virDomainCheckpointPtr chk, char **ret_parent);

/* ---- jobs and events (job-util.c, event-print.c) ---- */

char *vmsh_typed_param_string(const virTypedParameter *param);
const char *vmsh_job_type_name(int type);
const char *vmsh_job_operation_name(int op);
const char *vmsh_block_job_type_name(int type);
double vmsh_pretty_capacity(unsigned long long value, const char **ret_unit);

/* What a callback of the "event" command knows. */
typedef struct {
    vmsh_ctl *ctl;
    int event_id;     /* VIR_DOMAIN_EVENT_ID_* */
    bool loop;        /* print every event, not only the first */
    bool timestamp;   /* each line starts with the time */
    int *count;       /* events printed so far, shared by all the callbacks */
    int callback_id;  /* from virConnectDomainEventRegisterAny, -1 if none */
    gint released;    /* the library let go of the registration (its free callback ran) */
} vmsh_event_data;

typedef struct {
    const char *name;
    virConnectDomainEventGenericCallback cb;
} vmsh_event_type;

/* The events virsh 9.0 knows (libvirt-domain.h hides its _LAST). */
#define VMSH_EVENT_ID_COUNT (VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE + 1)

extern const vmsh_event_type vmsh_event_types[VMSH_EVENT_ID_COUNT];

/* ---- waiting for a backup job (backup-wait.c) ---- */

typedef struct vmsh_backup_wait vmsh_backup_wait;

vmsh_backup_wait *vmsh_backup_wait_new(vmsh_ctl *ctl, virDomainPtr dom);
bool vmsh_backup_wait_run(vmsh_backup_wait *wait);
void vmsh_backup_wait_free(vmsh_backup_wait *wait);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmsh_backup_wait, vmsh_backup_wait_free)
