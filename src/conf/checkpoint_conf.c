/* <domaincheckpoint> XML: the checkpoint definition, its strict parser, formatter, defaults and disk alignment. */
#include "conf/checkpoint_conf.h"

#include <string.h>
#include "conf/moment_name.h"
#include "conf/xml_strict.h"
#include "util/error.h"
#include "util/uuid.h"
#include "util/xml.h"

#define SCHEMA "domaincheckpoint.rng"

ENUM_IMPL(checkpoint_type, CHECKPOINT_TYPE_LAST, "default", "no", "bitmap");

checkpoint_def *checkpoint_def_new(void)
{
    return g_new0(checkpoint_def, 1);
}

static void disk_clear(checkpoint_disk_def *disk)
{
    g_free(disk->name);
    g_free(disk->bitmap);
}

static void disks_free(checkpoint_disk_def *disks, size_t ndisks)
{
    for (size_t i = 0; i < ndisks; i++)
        disk_clear(&disks[i]);
    g_free(disks);
}

void checkpoint_def_free(checkpoint_def *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->description);
    g_free(def->parent_name);
    disks_free(def->disks, def->ndisks);
    domain_def_free(def->dom);
    g_free(def);
}

/* The schema pattern has already refused empty names, '/', a leading '.' and control
 * characters; moment_name_check adds the length limit (and refuses the rest again). */
static bool checkpoint_name_check(const char *name, int err_domain)
{
    return moment_name_check(name, err_domain);
}

/* -- the strict schema check -------------------------------------------------- */

/* A child holding text that must match pattern. */
static bool check_pattern_text(xmlNodePtr node, strict_pattern pattern)
{
    g_autofree char *text = NULL;
    static const char *const none[] = { NULL };

    if (!strict_attrs(SCHEMA, node, none) || !strict_text(SCHEMA, node, &text))
        return false;
    if (!strict_matches(pattern, text)) {
        strict_error(SCHEMA, node, "invalid value '%s'", text);
        return false;
    }
    return true;
}

static bool check_disk(xmlNodePtr disk)
{
    static const char *const attrs[] = { "name", "checkpoint", "bitmap", "size", NULL };
    g_autofree char *name = strict_prop(disk, "name");
    g_autofree char *type = strict_prop(disk, "checkpoint");
    g_autofree char *size = strict_prop(disk, "size");
    bool has_bitmap = xmlHasProp(disk, (const xmlChar *)"bitmap") != NULL;

    if (!strict_attrs(SCHEMA, disk, attrs) || !strict_children(SCHEMA, disk, NULL, 0))
        return false;
    if (!name) {
        strict_error(SCHEMA, disk, "missing attribute 'name'");
        return false;
    }
    if (!strict_matches(STRICT_PATTERN_DISK_TARGET, name) &&
        !strict_matches(STRICT_PATTERN_ABS_FILE_PATH, name)) {
        strict_error(SCHEMA, disk, "invalid disk name '%s'", name);
        return false;
    }
    if (type && !strict_token_is(type, "no") && !strict_token_is(type, "bitmap")) {
        strict_error(SCHEMA, disk, "invalid value '%s' of attribute 'checkpoint'", type);
        return false;
    }
    if (type && strict_token_is(type, "no") && (has_bitmap || size)) {
        strict_error(SCHEMA, disk, "attribute '%s' not allowed with checkpoint='no'",
                     has_bitmap ? "bitmap" : "size");
        return false;
    }
    if (size && !strict_unsigned(size, G_MAXUINT64, NULL)) {
        strict_error(SCHEMA, disk, "invalid value '%s' of attribute 'size'", size);
        return false;
    }
    return true;
}

static bool check_disks(xmlNodePtr disks)
{
    static const char *const none[] = { NULL };
    static const strict_child spec[] = { { "disk", 1, STRICT_MANY } };

    if (!strict_attrs(SCHEMA, disks, none) || !strict_children(SCHEMA, disks, spec, 1))
        return false;
    for (xmlNodePtr d = xml_child(disks, "disk"); d; d = xml_next_named(d, "disk"))
        if (!check_disk(d))
            return false;
    return true;
}

static bool check_parent(xmlNodePtr parent)
{
    static const char *const none[] = { NULL };
    static const strict_child spec[] = { { "name", 1, 1 } };

    return strict_attrs(SCHEMA, parent, none) && strict_children(SCHEMA, parent, spec, 1) &&
           check_pattern_text(xml_child(parent, "name"), STRICT_PATTERN_CHECKPOINT_NAME);
}

static bool check_active(xmlNodePtr active)
{
    static const char *const none[] = { NULL };
    g_autofree char *text = NULL;

    if (!strict_attrs(SCHEMA, active, none) || !strict_text(SCHEMA, active, &text))
        return false;
    if (strcmp(text, "0") != 0 && strcmp(text, "1") != 0) {
        strict_error(SCHEMA, active, "invalid value '%s'", text);
        return false;
    }
    return true;
}

bool checkpoint_schema_check(xmlNodePtr root, unsigned int flags)
{
    static const char *const none[] = { NULL };
    const strict_child spec[] = {
        { "name", 0, 1 }, { "description", 0, 1 }, { "creationTime", 0, 1 },
        { "disks", 0, 1 }, { "domain", 0, 1 }, { "parent", 0, 1 },
        { "active", 0, (flags & CHECKPOINT_PARSE_INTERNAL) ? 1 : 0 },
    };
    xmlNodePtr n;
    g_autofree char *ctime = NULL;

    if (!strict_is(root, "domaincheckpoint")) {
        strict_error(SCHEMA, root, "expecting element 'domaincheckpoint'");
        return false;
    }
    if (!strict_attrs(SCHEMA, root, none) ||
        !strict_children(SCHEMA, root, spec, G_N_ELEMENTS(spec)))
        return false;
    if ((n = xml_child(root, "name")) && !check_pattern_text(n, STRICT_PATTERN_CHECKPOINT_NAME))
        return false;
    if ((n = xml_child(root, "description")) &&
        (!strict_attrs(SCHEMA, n, none) || !strict_text(SCHEMA, n, NULL)))
        return false;
    if ((n = xml_child(root, "creationTime"))) {
        if (!strict_attrs(SCHEMA, n, none) || !strict_text(SCHEMA, n, &ctime))
            return false;
        if (!strict_unsigned(ctime, G_MAXUINT64, NULL)) {
            strict_error(SCHEMA, n, "invalid value '%s'", ctime);
            return false;
        }
    }
    if ((n = xml_child(root, "disks")) && !check_disks(n))
        return false;
    if ((n = xml_child(root, "parent")) && !check_parent(n))
        return false;
    if ((n = xml_child(root, "active")) && !check_active(n))
        return false;
    /* <domain> is checked by the domain model's parser. */
    return true;
}

/* -- parsing -------------------------------------------------------------------- */

/* The text of child name, NULL when absent or empty (libvirt's virXPathString). */
static char *child_string(xmlNodePtr node, const char *name)
{
    g_autofree char *text = xml_child_text(node, name);

    return text && *text ? g_steal_pointer(&text) : NULL;
}

static void disk_parse(xmlNodePtr node, checkpoint_disk_def *disk)
{
    g_autofree char *type = strict_prop(node, "checkpoint");
    g_autofree char *token = type ? strict_token(type) : NULL;

    disk->name = strict_prop(node, "name");
    disk->type = token ? checkpoint_type_from_string(token) : CHECKPOINT_TYPE_BITMAP;
    disk->bitmap = strict_prop(node, "bitmap");
}

static int parse_redefined(xmlNodePtr root, checkpoint_def *def)
{
    g_autofree char *ctime = child_string(root, "creationTime");

    if (!ctime || !parse_ll(ctime, &def->creation_time)) {
        error_report(VIR_FROM_DOMAIN_CHECKPOINT, VIR_ERR_INTERNAL_ERROR,
                     "missing creationTime from existing checkpoint");
        return -1;
    }
    def->parent_name = child_string(xml_child(root, "parent"), "name");
    return 0;
}

checkpoint_def *checkpoint_def_parse_node(xmlNodePtr root, const domain_xml_options *xmlopt,
                                          unsigned int flags, bool *ret_current)
{
    g_autoptr(checkpoint_def) def = checkpoint_def_new();
    xmlNodePtr disks = xml_child(root, "disks");
    xmlNodePtr dom = xml_child(root, "domain");
    size_t n = 0;

    g_return_val_if_fail(!(flags & ~(CHECKPOINT_PARSE_REDEFINE | CHECKPOINT_PARSE_INTERNAL)),
                         NULL);
    if (!checkpoint_schema_check(root, flags))
        return NULL;

    def->name = child_string(root, "name");
    if (!def->name && (flags & CHECKPOINT_PARSE_REDEFINE)) {
        error_report(VIR_FROM_DOMAIN_CHECKPOINT, VIR_ERR_XML_ERROR,
                     "a redefined checkpoint must have a name");
        return NULL;
    }
    if (def->name && !checkpoint_name_check(def->name, VIR_FROM_DOMAIN_CHECKPOINT))
        return NULL;
    def->description = child_string(root, "description");
    if ((flags & CHECKPOINT_PARSE_REDEFINE) && parse_redefined(root, def) < 0)
        return NULL;
    /* Parsed in every mode, as the schema checks it; kept only when redefining. */
    if (dom && !(def->dom = domain_def_parse_node(dom, xmlopt, 0)))
        return NULL;
    if (!(flags & CHECKPOINT_PARSE_REDEFINE))
        g_clear_pointer(&def->dom, domain_def_free);

    for (xmlNodePtr d = xml_child(disks, "disk"); d; d = xml_next_named(d, "disk"))
        n++;
    def->disks = g_new0(checkpoint_disk_def, n);
    for (xmlNodePtr d = xml_child(disks, "disk"); d; d = xml_next_named(d, "disk"))
        disk_parse(d, &def->disks[def->ndisks++]);

    if (ret_current && (flags & CHECKPOINT_PARSE_INTERNAL)) {
        g_autofree char *active = child_string(root, "active");
        *ret_current = g_strcmp0(active, "1") == 0;
    }
    return g_steal_pointer(&def);
}

checkpoint_def *checkpoint_def_parse_string(const char *xml, const domain_xml_options *xmlopt,
                                            unsigned int flags, bool *ret_current)
{
    g_autoptr(xmlDoc) doc = xml_parse(xml, "(domain_checkpoint)", "domaincheckpoint",
                                      VIR_FROM_DOMAIN_CHECKPOINT);

    if (!doc)
        return NULL;
    return checkpoint_def_parse_node(xmlDocGetRootElement(doc), xmlopt, flags, ret_current);
}

/* -- defaults and alignment -------------------------------------------------------- */

void checkpoint_def_set_defaults(checkpoint_def *def, long long now)
{
    def->creation_time = now;
    if (!def->name)
        def->name = g_strdup_printf("%lld", now);
}

void checkpoint_def_assign_bitmap_names(checkpoint_def *def)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        checkpoint_disk_def *disk = &def->disks[i];

        if (disk->type == CHECKPOINT_TYPE_BITMAP && !disk->bitmap)
            disk->bitmap = g_strdup(def->name);
    }
}

/* Empty (no media) or read-only: no bitmap possible. */
static bool disk_unusable(const domain_disk_def *disk)
{
    return domain_disk_is_empty(disk) || disk->readonly;
}

/* For each domain disk, the requested entry naming it (or NULL). */
static const checkpoint_disk_def **match_requests(const checkpoint_def *def,
                                                  const domain_def *dom)
{
    g_autofree const checkpoint_disk_def **req = g_new0(const checkpoint_disk_def *,
                                                        dom->ndisks);

    for (size_t i = 0; i < def->ndisks; i++) {
        const checkpoint_disk_def *disk = &def->disks[i];
        int at = domain_disk_index(dom, disk->name);

        if (at < 0) {
            error_report(VIR_FROM_DOMAIN_CHECKPOINT, VIR_ERR_CONFIG_UNSUPPORTED,
                         "no disk named '%s'", disk->name);
            return NULL;
        }
        if (req[at]) {
            error_report(VIR_FROM_DOMAIN_CHECKPOINT, VIR_ERR_CONFIG_UNSUPPORTED,
                         "disk '%s' specified twice", disk->name);
            return NULL;
        }
        if (disk_unusable(dom->disks[at]) && disk->type != CHECKPOINT_TYPE_NO) {
            error_report(VIR_FROM_DOMAIN_CHECKPOINT, VIR_ERR_CONFIG_UNSUPPORTED,
                         "disk '%s' is empty or readonly", disk->name);
            return NULL;
        }
        req[at] = disk;
    }
    return g_steal_pointer(&req);
}

int checkpoint_def_align_disks(checkpoint_def *def, const domain_def *dom)
{
    g_autofree const checkpoint_disk_def **req = NULL;
    checkpoint_disk_def *disks;
    int fallback = def->ndisks ? CHECKPOINT_TYPE_NO : CHECKPOINT_TYPE_BITMAP;

    if (def->ndisks > dom->ndisks) {
        error_report(VIR_FROM_DOMAIN_CHECKPOINT, VIR_ERR_CONFIG_UNSUPPORTED,
                     "too many disk checkpoint requests for domain");
        return -1;
    }
    if (!dom->ndisks) {
        error_report(VIR_FROM_DOMAIN_CHECKPOINT, VIR_ERR_CONFIG_UNSUPPORTED,
                     "domain must have at least one disk to perform checkpoints");
        return -1;
    }
    if (!(req = match_requests(def, dom)))
        return -1;

    disks = g_new0(checkpoint_disk_def, dom->ndisks);
    for (size_t i = 0; i < dom->ndisks; i++) {
        const domain_disk_def *domdisk = dom->disks[i];

        disks[i].name = g_strdup(domdisk->dst);
        if (req[i]) {
            disks[i].type = req[i]->type;
            disks[i].bitmap = g_strdup(req[i]->bitmap);
            disks[i].size = req[i]->size;
            disks[i].size_valid = req[i]->size_valid;
        } else {
            disks[i].type = disk_unusable(domdisk) ? CHECKPOINT_TYPE_NO : fallback;
        }
    }
    disks_free(def->disks, def->ndisks);
    def->disks = disks;
    def->ndisks = dom->ndisks;
    checkpoint_def_assign_bitmap_names(def);
    return 0;
}

int checkpoint_def_redefine_prep(checkpoint_def *def, const domain_def *live)
{
    char uuid[UUID_STRING_LEN];

    if (!def->dom) {
        checkpoint_def_assign_bitmap_names(def);
        return 0;
    }
    if (memcmp(def->dom->uuid, live->uuid, UUID_LEN) != 0) {
        uuid_format(live->uuid, uuid);
        error_report(VIR_FROM_DOMAIN_CHECKPOINT, VIR_ERR_INVALID_ARG,
                     "definition for checkpoint %s must use uuid %s", def->name, uuid);
        return -1;
    }
    return checkpoint_def_align_disks(def, def->dom);
}

/* -- formatting ------------------------------------------------------------------ */

static void disk_format(buf *b, const checkpoint_disk_def *disk, unsigned int flags)
{
    if (!disk->name)
        return;
    buf_escapef(b, "<disk name='%s'", disk->name);
    if (disk->type != CHECKPOINT_TYPE_DEFAULT)
        buf_addf(b, " checkpoint='%s'", checkpoint_type_to_string(disk->type));
    if (disk->bitmap) {
        buf_escapef(b, " bitmap='%s'", disk->bitmap);
        if ((flags & CHECKPOINT_FORMAT_SIZE) && disk->size_valid)
            buf_addf(b, " size='%llu'", disk->size);
    }
    buf_add(b, "/>\n");
}

void checkpoint_def_format_buf(buf *b, const checkpoint_def *def, const char *parent,
                              unsigned int flags)
{
    unsigned int domflags = DOMAIN_FORMAT_INACTIVE;

    if (flags & CHECKPOINT_FORMAT_SECURE)
        domflags |= DOMAIN_FORMAT_SECURE;

    buf_add(b, "<domaincheckpoint>\n");
    buf_adjust_indent(b, 2);
    if (def->name)
        buf_escapef(b, "<name>%s</name>\n", def->name);
    if (def->description)
        buf_escapef(b, "<description>%s</description>\n", def->description);
    if (parent) {
        buf_add(b, "<parent>\n");
        buf_escapef(b, "  <name>%s</name>\n", parent);
        buf_add(b, "</parent>\n");
    }
    if (def->creation_time)
        buf_addf(b, "<creationTime>%lld</creationTime>\n", def->creation_time);
    if (def->ndisks) {
        buf_add(b, "<disks>\n");
        buf_adjust_indent(b, 2);
        for (size_t i = 0; i < def->ndisks; i++)
            disk_format(b, &def->disks[i], flags);
        buf_adjust_indent(b, -2);
        buf_add(b, "</disks>\n");
    }
    if (def->dom && !(flags & CHECKPOINT_FORMAT_NO_DOMAIN))
        domain_def_format_buf(b, def->dom, -1, domflags);
    if (flags & CHECKPOINT_FORMAT_INTERNAL)
        buf_addf(b, "<active>%d</active>\n", (flags & CHECKPOINT_FORMAT_CURRENT) ? 1 : 0);
    buf_adjust_indent(b, -2);
    buf_add(b, "</domaincheckpoint>\n");
}

char *checkpoint_def_format(const checkpoint_def *def, const char *parent, unsigned int flags)
{
    g_auto_buf b = BUF_INIT;

    if (def->dom && !(flags & CHECKPOINT_FORMAT_NO_DOMAIN))
        buf_reserve(&b, 4096);    /* most with their domain fit: no regrowth */
    checkpoint_def_format_buf(&b, def, parent, flags);
    return buf_steal(&b);
}
