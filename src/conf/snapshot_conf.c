/* The <domainsnapshot> model and its parser, with libvirt 9.0's rules and errors. */
#include "conf/snapshot_conf.h"

#include <string.h>
#include <libvirt/libvirt.h>
#include "conf/schema.h"
#include "util/error.h"
#include "util/xml.h"

ENUM_IMPL(snapshot_state, SNAPSHOT_STATE_LAST,
          "nostate", "running", "blocked", "paused", "shutdown", "shutoff", "crashed",
          "pmsuspended", "disk-snapshot")

#define ERR_DOMAIN VIR_FROM_DOMAIN_SNAPSHOT

snapshot_def *snapshot_def_new(void)
{
    return g_new0(snapshot_def, 1);
}

void snapshot_disk_def_clear(snapshot_disk_def *disk)
{
    g_clear_pointer(&disk->name, g_free);
    g_clear_pointer(&disk->src, storage_source_free);
}

static void disks_free(snapshot_disk_def *disks, size_t n)
{
    for (size_t i = 0; disks && i < n; i++)
        snapshot_disk_def_clear(&disks[i]);
    g_free(disks);
}

void snapshot_def_free(snapshot_def *def)
{
    if (!def)
        return;
    g_free(def->name);
    g_free(def->description);
    g_free(def->parent_name);
    g_free(def->memory_file);
    disks_free(def->disks, def->ndisks);
    disks_free(def->revert_disks, def->nrevert_disks);
    domain_def_free(def->dom);
    domain_def_free(def->inactive_dom);
    g_free(def->cookie);
    g_free(def);
}

static snapshot_disk_def *disks_copy(const snapshot_disk_def *disks, size_t n)
{
    snapshot_disk_def *copy = n ? g_new0(snapshot_disk_def, n) : NULL;

    for (size_t i = 0; i < n; i++) {
        copy[i] = disks[i];
        copy[i].name = g_strdup(disks[i].name);
        copy[i].src = storage_source_copy(disks[i].src);
    }
    return copy;
}

snapshot_def *snapshot_def_copy(const snapshot_def *def)
{
    snapshot_def *copy = g_new(snapshot_def, 1);

    *copy = *def;
    copy->name = g_strdup(def->name);
    copy->description = g_strdup(def->description);
    copy->parent_name = g_strdup(def->parent_name);
    copy->memory_file = g_strdup(def->memory_file);
    copy->disks = disks_copy(def->disks, def->ndisks);
    copy->revert_disks = disks_copy(def->revert_disks, def->nrevert_disks);
    copy->dom = def->dom ? domain_def_ref(def->dom) : NULL;
    copy->inactive_dom = def->inactive_dom ? domain_def_ref(def->inactive_dom) : NULL;
    copy->cookie = g_strdup(def->cookie);
    return copy;
}

/* Text of the first child called name; NULL when absent or empty, as libvirt's
 * virXPathString("string(./name)") reads it. */
static char *child_string(xmlNodePtr node, const char *name)
{
    char *text = xml_child_text(node, name);

    if (text && !*text)
        g_clear_pointer(&text, g_free);
    return text;
}

/* --- disks ------------------------------------------------------------------------ */

static int disk_parse_type(xmlNodePtr node, storage_source *src)
{
    if (xml_prop_enum_nonzero(node, "type", domain_disk_type_from_string, &src->type) < 0)
        return -1;
    if (src->type == DOMAIN_DISK_TYPE_VOLUME || src->type == DOMAIN_DISK_TYPE_DIR) {
        error_report(ERR_DOMAIN, VIR_ERR_XML_ERROR, "unsupported disk snapshot type '%s'",
                     domain_disk_type_to_string(src->type));
        return -1;
    }
    return 0;
}

static int disk_parse(xmlNodePtr node, snapshot_disk_def *disk, unsigned int flags)
{
    g_autoptr(storage_source) src = storage_source_new(DOMAIN_DISK_TYPE_FILE);
    xmlNodePtr child;

    if (!(disk->name = xml_prop(node, "name"))) {
        error_report(ERR_DOMAIN, VIR_ERR_INTERNAL_ERROR, "missing name from disk snapshot element");
        return -1;
    }
    if (xml_prop_enum_nonzero(node, "snapshot", domain_snapshot_location_from_string,
                              &disk->snapshot) < 0 ||
        disk_parse_type(node, src) < 0)
        return -1;
    if (flags & SNAPSHOT_PARSE_REDEFINE)
        disk->delete_in_progress = xml_child(node, "snapshotDeleteInProgress") != NULL;
    if ((child = xml_child(node, "source")) && storage_source_parse(src, child) < 0)
        return -1;
    if ((child = xml_child(node, "driver")) &&
        storage_source_parse_driver(src, child, "disk snapshot", ERR_DOMAIN) < 0)
        return -1;
    if (storage_source_is_relative(src)) {
        error_report(ERR_DOMAIN, VIR_ERR_XML_ERROR, "disk snapshot image path '%s' must be absolute",
                     src->path);
        return -1;
    }
    if (disk->snapshot == DOMAIN_SNAPSHOT_LOCATION_DEFAULT && (src->path || src->format))
        disk->snapshot = DOMAIN_SNAPSHOT_LOCATION_EXTERNAL;
    disk->src = g_steal_pointer(&src);
    return 0;
}

static size_t count_elements(xmlNodePtr node)
{
    size_t n = 0;

    for (xmlNodePtr c = node->children; c; c = c->next)
        n += c->type == XML_ELEMENT_NODE;
    return n;
}

/* Every element child of every <container> child of root, as "./container/ *". */
static int disks_parse(xmlNodePtr root, const char *container, unsigned int flags,
                       snapshot_disk_def **ret_disks, size_t *ret_n)
{
    size_t n = 0, i = 0;
    snapshot_disk_def *disks;

    for (xmlNodePtr c = xml_child(root, container); c; c = xml_next_named(c, container))
        n += count_elements(c);
    disks = n ? g_new0(snapshot_disk_def, n) : NULL;
    for (xmlNodePtr c = xml_child(root, container); c; c = xml_next_named(c, container)) {
        for (xmlNodePtr d = c->children; d; d = d->next) {
            if (d->type == XML_ELEMENT_NODE && disk_parse(d, &disks[i++], flags) < 0) {
                disks_free(disks, n);
                return -1;
            }
        }
    }
    *ret_disks = disks;
    *ret_n = n;
    return 0;
}

/* --- the redefine-only parts -------------------------------------------------------- */

static int parse_state(xmlNodePtr root, snapshot_def *def)
{
    g_autofree char *state = child_string(root, "state");

    if (!state) {
        error_report(ERR_DOMAIN, VIR_ERR_XML_ERROR, "missing state from existing snapshot");
        return -1;
    }
    def->state = snapshot_state_from_string(state);
    if (def->state <= 0) {
        def->state = SNAPSHOT_STATE_NOSTATE;
        error_report(ERR_DOMAIN, VIR_ERR_CONFIG_UNSUPPORTED,
                     "Invalid state '%s' in domain snapshot XML", state);
        return -1;
    }
    return 0;
}

/* The domain model reads <domain> elements: <inactiveDomain> is read from a renamed
 * copy. */
static domain_def *parse_domain(xmlNodePtr node, const domain_xml_options *opts)
{
    g_autoptr(xmlDoc) doc = NULL;
    xmlNodePtr copy;

    if (xml_is(node, "domain"))
        return domain_def_parse_node(node, opts, 0);
    doc = xmlNewDoc((const xmlChar *)"1.0");
    copy = xmlDocCopyNode(node, doc, 1);
    xmlDocSetRootElement(doc, copy);
    xmlNodeSetName(copy, (const xmlChar *)"domain");
    return domain_def_parse_node(copy, opts, 0);
}

/* <domain type=...> is a full definition; <domain><uuid/></domain> (before 0.9.5) is
 * ignored. <inactiveDomain> is read whenever present. Both are read as persistent
 * definitions, with the domain model's defaults. */
static int parse_domains(xmlNodePtr root, snapshot_def *def, const domain_xml_options *opts)
{
    xmlNodePtr dom = xml_child(root, "domain");
    xmlNodePtr inactive = xml_child(root, "inactiveDomain");
    g_autofree char *type = dom ? xml_prop(dom, "type") : NULL;

    if (type && *type && !(def->dom = parse_domain(dom, opts)))
        return -1;
    if (inactive && !(def->inactive_dom = parse_domain(inactive, opts)))
        return -1;
    return 0;
}

static int parse_redefine(xmlNodePtr root, snapshot_def *def, const domain_xml_options *opts,
                          bool *offline)
{
    g_autofree char *ctime = child_string(root, "creationTime");

    if (!ctime || !parse_ll(ctime, &def->creation_time)) {
        def->creation_time = 0;
        error_report(ERR_DOMAIN, VIR_ERR_INTERNAL_ERROR,
                     "missing creationTime from existing snapshot");
        return -1;
    }
    def->parent_name = child_string(xml_child(root, "parent"), "name");
    if (parse_state(root, def) < 0)
        return -1;
    *offline = def->state == SNAPSHOT_STATE_SHUTOFF || def->state == SNAPSHOT_STATE_DISK_SNAPSHOT;
    return parse_domains(root, def, opts);
}

/* --- memory, active, cookie ----------------------------------------------------------- */

static int parse_memory(xmlNodePtr root, snapshot_def *def, unsigned int flags, bool offline)
{
    xmlNodePtr mem = xml_child(root, "memory");

    if (mem) {
        def->memory_file = xml_prop(mem, "file");
        if (xml_prop_enum_nonzero(mem, "snapshot", domain_snapshot_location_from_string,
                                  &def->memory) < 0)
            return -1;
        if (def->memory == DOMAIN_SNAPSHOT_LOCATION_MANUAL) {
            error_report(ERR_DOMAIN, VIR_ERR_XML_ERROR, "'manual' memory snapshot mode not supported");
            return -1;
        }
    }
    if (def->memory == DOMAIN_SNAPSHOT_LOCATION_DEFAULT) {
        if (def->memory_file)
            def->memory = DOMAIN_SNAPSHOT_LOCATION_EXTERNAL;
        else if (flags & SNAPSHOT_PARSE_REDEFINE)
            def->memory = offline ? DOMAIN_SNAPSHOT_LOCATION_NO : DOMAIN_SNAPSHOT_LOCATION_INTERNAL;
    }
    if (def->memory_file && def->memory != DOMAIN_SNAPSHOT_LOCATION_EXTERNAL) {
        error_report(ERR_DOMAIN, VIR_ERR_XML_ERROR, "memory filename '%s' requires external snapshot",
                     def->memory_file);
        return -1;
    }
    if (!def->memory_file && def->memory == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL) {
        error_report(ERR_DOMAIN, VIR_ERR_XML_ERROR, "external memory snapshots require a filename");
        return -1;
    }
    if (offline && def->memory != DOMAIN_SNAPSHOT_LOCATION_DEFAULT && def->memory != DOMAIN_SNAPSHOT_LOCATION_NO) {
        error_report(ERR_DOMAIN, VIR_ERR_XML_ERROR,
                     "memory state cannot be saved with offline or disk-only snapshot");
        return -1;
    }
    if (def->memory_file && !g_path_is_absolute(def->memory_file)) {
        error_report(ERR_DOMAIN, VIR_ERR_XML_ERROR, "memory snapshot file path (%s) must be absolute",
                     def->memory_file);
        return -1;
    }
    return 0;
}

static int parse_active(xmlNodePtr root, bool *ret_active)
{
    g_autofree char *text = child_string(root, "active");
    int active;

    if (!text || !parse_int(text, &active)) {
        error_report(ERR_DOMAIN, VIR_ERR_INTERNAL_ERROR, "Could not find 'active' element");
        return -1;
    }
    *ret_active = active != 0;
    return 0;
}

/* The children of <cookie>, kept as canonical text (indentation relative to them). */
static char *parse_cookie(xmlNodePtr root)
{
    xmlNodePtr cookie = xml_child(root, "cookie");
    buf b = BUF_INIT;

    if (!cookie)
        return NULL;
    for (xmlNodePtr c = cookie->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            xml_format_node(&b, c);
    return buf_steal(&b);
}

/* --- entry points -------------------------------------------------------------------- */

static snapshot_def *parse(xmlNodePtr root, const domain_xml_options *opts, unsigned int flags,
                           bool *active)
{
    g_autoptr(snapshot_def) def = snapshot_def_new();
    bool offline = flags & SNAPSHOT_PARSE_OFFLINE;

    def->name = child_string(root, "name");
    if (!def->name && (flags & SNAPSHOT_PARSE_REDEFINE)) {
        error_report(ERR_DOMAIN, VIR_ERR_XML_ERROR, "a redefined snapshot must have a name");
        return NULL;
    }
    def->description = child_string(root, "description");
    if ((flags & SNAPSHOT_PARSE_REDEFINE) && parse_redefine(root, def, opts, &offline) < 0)
        return NULL;
    if (parse_memory(root, def, flags, offline) < 0)
        return NULL;
    if (disks_parse(root, "disks", flags, &def->disks, &def->ndisks) < 0)
        return NULL;
    if ((flags & SNAPSHOT_PARSE_REDEFINE) &&
        disks_parse(root, "revertDisks", flags, &def->revert_disks, &def->nrevert_disks) < 0)
        return NULL;
    if ((flags & SNAPSHOT_PARSE_INTERNAL) && parse_active(root, active) < 0)
        return NULL;
    if (!offline)
        def->cookie = parse_cookie(root);
    return g_steal_pointer(&def);
}

/* Validate root, alone in a document of its own when it is not its document's root. */
static bool validate(xmlNodePtr root)
{
    g_autoptr(xmlDoc) doc = NULL;

    if (root == xmlDocGetRootElement(root->doc))
        return schema_validate(root->doc, "domainsnapshot.rng");
    doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlDocSetRootElement(doc, xmlDocCopyNode(root, doc, 1));
    return schema_validate(doc, "domainsnapshot.rng");
}

snapshot_def *snapshot_def_parse_node(xmlNodePtr root, const domain_xml_options *opts,
                                      unsigned int flags, bool *ret_current)
{
    bool active = false;
    snapshot_def *def;

    g_assert(!(flags & SNAPSHOT_PARSE_INTERNAL) || ret_current);
    if (!xml_is(root, "domainsnapshot")) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR, "expecting root element of '%s', not '%s'",
                     "domainsnapshot", (const char *)root->name);
        return NULL;
    }
    if ((flags & SNAPSHOT_PARSE_VALIDATE) && !validate(root))
        return NULL;
    if (!(def = parse(root, opts, flags, &active)))
        return NULL;
    if (flags & SNAPSHOT_PARSE_INTERNAL)
        *ret_current = active;
    return def;
}

snapshot_def *snapshot_def_parse_string(const char *xml, const domain_xml_options *opts,
                                        unsigned int flags, bool *ret_current)
{
    g_autoptr(xmlDoc) doc = xml_parse(xml, "(domain_snapshot)", "domainsnapshot", ERR_DOMAIN);

    if (!doc)
        return NULL;
    return snapshot_def_parse_node(xmlDocGetRootElement(doc), opts, flags, ret_current);
}

void snapshot_def_set_create_defaults(snapshot_def *def, long long now)
{
    def->creation_time = now;
    if (!def->name)
        def->name = g_strdup_printf("%lld", now);
}

bool snapshot_def_is_external(const snapshot_def *def)
{
    if (def->memory == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
        return true;
    for (size_t i = 0; i < def->ndisks; i++)
        if (def->disks[i].snapshot == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
            return true;
    return false;
}

bool snapshot_def_matches_list_flags(const snapshot_def *def, unsigned int list_flags)
{
    const unsigned int status = VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE | VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE |
                                VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY;
    const unsigned int location = VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL |
                                  VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL;
    unsigned int f = list_flags;

    if ((f & status) == status)
        f &= ~status;
    if ((f & location) == location)
        f &= ~location;
    if (f & status) {
        bool shutoff = def->state == SNAPSHOT_STATE_SHUTOFF;
        bool disk_only = def->state == SNAPSHOT_STATE_DISK_SNAPSHOT;

        if ((shutoff && !(f & VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE)) ||
            (disk_only && !(f & VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY)) ||
            (!shutoff && !disk_only && !(f & VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE)))
            return false;
    }
    if ((f & VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL) && snapshot_def_is_external(def))
        return false;
    if ((f & VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL) && !snapshot_def_is_external(def))
        return false;
    return true;
}
