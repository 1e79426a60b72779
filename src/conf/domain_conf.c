/* The domain model's entry points: parse, format, copy and free a whole <domain>. */
#include "conf/domain_priv.h"

#include <string.h>
#include <libxml/relaxng.h>

/* libvirt's order of the children of <domain> and of <devices>. */
static const char *const top_children[] = {
    "name", "uuid", "genid", "title", "description", "metadata", "maxMemory", "memory",
    "currentMemory", "blkiotune", "memtune", "memoryBacking", "vcpu", "vcpus", "iothreads",
    "iothreadids", "cputune", "numatune", "resource", "sysinfo", "bootloader",
    "bootloader_args", "os", "idmap", "features", "cpu", "clock", "on_poweroff", "on_reboot",
    "on_crash", "on_lockfailure", "pm", "perf", "devices", "seclabel", "keywrap",
    "launchSecurity", NULL,
};
const xml_order domain_top_order = { (const char *const[]){ "type", "id", NULL }, top_children };

static const char *const devices_children[] = {
    "emulator", "disk", "controller", "lease", "filesystem", "interface", "smartcard",
    "serial", "parallel", "console", "channel", "input", "tpm", "graphics", "sound", "audio",
    "video", "hostdev", "redirdev", "redirfilter", "hub", "watchdog", "memballoon", "rng",
    "nvram", "panic", "shmem", "memory", "iommu", "vsock", "crypto", NULL,
};
const xml_order domain_devices_order = { NULL, devices_children };


/* Validation against libvirt's RELAX NG schema (VIR_DOMAIN_DEFINE_VALIDATE). */
#define SCHEMA_DIR "/usr/share/libvirt/schemas"

typedef struct {
    char *path;
    xmlRelaxNGPtr schema;     /* NULL when it could not be loaded */
} loaded_schema;

static void ignore_error(void *data, xmlErrorPtr err)
{
}

static gpointer load_schema(gpointer unused)
{
    loaded_schema *s = g_new0(loaded_schema, 1);
    const char *dir = g_getenv("VIRTMOMENT_SCHEMA_DIR");
    xmlRelaxNGParserCtxtPtr pctxt;

    s->path = g_build_filename(dir ? dir : SCHEMA_DIR, "domain.rng", NULL);
    if (!g_file_test(s->path, G_FILE_TEST_IS_REGULAR))
        return s;
    pctxt = xmlRelaxNGNewParserCtxt(s->path);
    xmlRelaxNGSetParserStructuredErrors(pctxt, ignore_error, NULL);
    s->schema = xmlRelaxNGParse(pctxt);
    xmlRelaxNGFreeParserCtxt(pctxt);
    return s;
}

static void collect_error(void *data, xmlErrorPtr err)
{
    GString *msgs = data;

    if (err && err->message)
        g_string_append(msgs, err->message);
}

static int validate_schema(xmlNodePtr root)
{
    static GOnce once = G_ONCE_INIT;
    loaded_schema *s = g_once(&once, load_schema, NULL);
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(GString) msgs = NULL;
    xmlRelaxNGValidCtxtPtr vctxt;
    int rc;

    if (!s->schema) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_INVALID_SCHEMA, "Unable to load schema %s", s->path);
        return -1;
    }
    /* validate a document of its own: the <domain> may sit inside a snapshot */
    doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlDocSetRootElement(doc, xmlDocCopyNode(root, doc, 1));
    msgs = g_string_new(NULL);
    vctxt = xmlRelaxNGNewValidCtxt(s->schema);
    xmlRelaxNGSetValidStructuredErrors(vctxt, collect_error, msgs);
    rc = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    if (rc != 0) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_INVALID_SCHEMA,
                     "Unable to validate doc against %s\n%s", s->path, msgs->str);
        return -1;
    }
    return 0;
}

domain_def *domain_def_new(void)
{
    domain_def *def = g_new0(domain_def, 1);

    def->refs = 1;
    def->vcpus = 1;
    def->on_reboot = DOMAIN_LIFECYCLE_RESTART;
    return def;
}

domain_def *domain_def_ref(domain_def *def)
{
    g_atomic_int_inc(&def->refs);
    return def;
}

/* The text of one format of a def: what was asked (flags, id, indentation) and the
 * result. Filled once and read lock-free while the def is shared. */
struct domain_format_cache {
    unsigned int flags;
    int id;
    int indent;
    char *text;
};

void domain_def_changed(domain_def *def)
{
    for (size_t i = 0; i < G_N_ELEMENTS(def->format_cache); i++) {
        struct domain_format_cache *c = g_atomic_pointer_exchange(&def->format_cache[i], NULL);
        if (c)
            g_free(c->text);
        g_free(c);
    }
}

#define FREE_LIST(list, count, fn) \
    do { \
        for (size_t i_ = 0; i_ < (count); i_++) \
            fn((list)[i_]); \
        g_free(list); \
    } while (0)

void domain_def_free(domain_def *def)
{
    if (!def || !g_atomic_int_dec_and_test(&def->refs))
        return;
    domain_def_changed(def);
    g_free(def->name);
    g_free(def->title);
    g_free(def->description);
    g_free(def->vcpu_cpuset);
    g_free(def->os_arch);
    g_free(def->os_machine);
    g_free(def->emulator);
    FREE_LIST(def->disks, def->ndisks, domain_disk_def_free);
    FREE_LIST(def->controllers, def->ncontrollers, domain_controller_def_free);
    FREE_LIST(def->nets, def->nnets, domain_net_def_free);
    FREE_LIST(def->serials, def->nserials, domain_chr_def_free);
    FREE_LIST(def->consoles, def->nconsoles, domain_chr_def_free);
    FREE_LIST(def->channels, def->nchannels, domain_chr_def_free);
    FREE_LIST(def->parallels, def->nparallels, domain_chr_def_free);
    FREE_LIST(def->graphics, def->ngraphics, domain_graphics_def_free);
    FREE_LIST(def->videos, def->nvideos, domain_video_def_free);
    domain_memballoon_def_free(def->memballoon);
    xml_extra_clear(&def->extra);
    xml_extra_clear(&def->memory_extra);
    xml_extra_clear(&def->vcpu_extra);
    xml_extra_clear(&def->os_extra);
    xml_extra_clear(&def->os_type_extra);
    xml_extra_clear(&def->clock_extra);
    xml_extra_clear(&def->devices_extra);
    g_free(def);
}

static domain_def *parse_root(xmlNodePtr root, const domain_xml_options *opts, unsigned int flags)
{
    g_autoptr(domain_def) def = domain_def_new();
    domain_parse_ctx ctx = { flags, opts ? opts->private_ns : NULL };

    if (!xml_is(root, "domain")) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                     "expecting root element of 'domain', not '%s'",
                     root ? (const char *)root->name : "");
        return NULL;
    }
    if ((flags & DOMAIN_PARSE_VALIDATE) && validate_schema(root) < 0)
        return NULL;
    if (domain_def_parse_element(def, root, &ctx) < 0)
        return NULL;
    if (!(flags & DOMAIN_PARSE_RAW) && domain_def_post_parse(def, opts, flags) < 0)
        return NULL;
    return g_steal_pointer(&def);
}

domain_def *domain_def_parse_node(xmlNodePtr root, const domain_xml_options *opts,
                                  unsigned int flags)
{
    return parse_root(root, opts, flags);
}

domain_def *domain_def_parse_url(const char *xml, const char *url, const domain_xml_options *opts,
                                 unsigned int flags)
{
    g_autoptr(xmlDoc) doc = xml_parse(xml, url ? url : "(domain_definition)", "domain", DOM_FROM);

    if (!doc)
        return NULL;
    return parse_root(xmlDocGetRootElement(doc), opts, flags);
}

domain_def *domain_def_parse(const char *xml, const domain_xml_options *opts, unsigned int flags)
{
    return domain_def_parse_url(xml, NULL, opts, flags);
}

domain_def *domain_def_copy(const domain_def *def)
{
    g_autofree char *xml = domain_def_format(def, -1, DOMAIN_FORMAT_SECURE | DOMAIN_FORMAT_STATUS);
    domain_def *copy = domain_def_parse(xml, NULL, DOMAIN_PARSE_STATUS | DOMAIN_PARSE_RAW);

    g_assert(copy);   /* our own canonical output always parses */
    return copy;
}

/* <metadata> is written as libvirt writes it: libxml2's own indented dump. */
static void strip_blanks(xmlNodePtr node)
{
    xmlNodePtr c = node->children;

    while (c) {
        xmlNodePtr next = c->next;
        if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c) && (c->prev || c->next)) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        } else if (c->type == XML_ELEMENT_NODE) {
            strip_blanks(c);
        }
        c = next;
    }
}

static void format_metadata(buf *b, xmlNodePtr metadata)
{
    xmlNodePtr copy = xmlCopyNode(metadata, 1);
    xmlBufferPtr xbuf = xmlBufferCreate();
    const char *dump, *nl;
    int saved = b->indent;

    strip_blanks(copy);
    xmlNodeDump(xbuf, NULL, copy, b->indent / 2, 1);
    dump = (const char *)xmlBufferContent(xbuf);
    nl = strchr(dump, '\n');
    /* only the first line takes the buffer's indentation: libxml2 indents the rest */
    buf_addf(b, "%.*s", nl ? (int)(nl - dump) : (int)strlen(dump), dump);
    b->indent = 0;
    buf_add(b, nl ? nl : "");
    buf_add(b, "\n");
    b->indent = saved;
    xmlBufferFree(xbuf);
    xmlFreeNode(copy);
}

static void format_memory(buf *b, const domain_def *def)
{
    xml_extra_cursor c = xml_extra_cursor_init(&def->memory_extra, NULL);
    g_auto_buf attrs = BUF_INIT;

    if (def->max_memory_kib)
        buf_addf(b, "<maxMemory slots='%u' unit='KiB'>%llu</maxMemory>\n", def->max_memory_slots,
                 def->max_memory_kib);
    xml_extra_attrs_before(&c, &attrs, NULL);
    buf_addf(b, "<memory%s unit='KiB'>%llu</memory>\n", buf_peek(&attrs), def->memory_kib);
    buf_addf(b, "<currentMemory unit='KiB'>%llu</currentMemory>\n", def->current_memory_kib);
}

static void format_vcpu(buf *b, const domain_def *def)
{
    xml_extra_cursor c = xml_extra_cursor_init(&def->vcpu_extra, NULL);
    g_auto_buf attrs = BUF_INIT;

    buf_addf(&attrs, " placement='%s'", domain_placement_to_string(def->vcpu_placement));
    if (def->vcpu_cpuset)
        buf_escapef(&attrs, " cpuset='%s'", def->vcpu_cpuset);
    if (def->has_vcpus_current && def->vcpus_current != def->vcpus)
        buf_addf(&attrs, " current='%u'", def->vcpus_current);
    xml_extra_attrs_before(&c, &attrs, NULL);
    buf_addf(b, "<vcpu%s>%u</vcpu>\n", buf_peek(&attrs), def->vcpus);
}

static void format_os(buf *b, const domain_def *def)
{
    xml_extra_cursor c = xml_extra_cursor_init(&def->os_extra, &domain_os_order);
    xml_extra_cursor tc = xml_extra_cursor_init(&def->os_type_extra, &domain_os_type_order);
    g_auto_buf attrs = BUF_INIT;

    xml_extra_attrs_before(&c, &attrs, NULL);
    buf_addf(b, "<os%s>\n", buf_peek(&attrs));
    buf_adjust_indent(b, 2);
    buf_add(b, "<type");
    if (def->os_arch)
        buf_escapef(b, " arch='%s'", def->os_arch);
    if (def->os_machine)
        buf_escapef(b, " machine='%s'", def->os_machine);
    buf_clear(&attrs);
    xml_extra_attrs_before(&tc, &attrs, NULL);
    buf_addf(b, "%s>%s</type>\n", buf_peek(&attrs), domain_os_to_string(def->os_type));
    xml_extra_children_before(&c, b, "boot");
    for (size_t i = 0; i < def->nboot_devs; i++)
        buf_addf(b, "<boot dev='%s'/>\n", domain_boot_to_string(def->boot_devs[i]));
    xml_extra_children_before(&c, b, NULL);
    buf_adjust_indent(b, -2);
    buf_add(b, "</os>\n");
}

static void format_clock(buf *b, const domain_def *def)
{
    g_auto_buf attrs = BUF_INIT;
    g_auto_buf children = BUF_INIT;
    xml_extra_cursor c = xml_extra_cursor_init(&def->clock_extra, &domain_clock_order);

    buf_addf(&attrs, " offset='%s'", domain_clock_to_string(def->clock_offset));
    xml_extra_attrs_before(&c, &attrs, NULL);
    buf_set_indent(&children, b->indent + 2);
    xml_extra_children_before(&c, &children, NULL);
    buf_element(b, "clock", &attrs, &children);
}

static void format_lifecycle(buf *b, const domain_def *def)
{
    buf_addf(b, "<on_poweroff>%s</on_poweroff>\n", domain_lifecycle_to_string(def->on_poweroff));
    buf_addf(b, "<on_reboot>%s</on_reboot>\n", domain_lifecycle_to_string(def->on_reboot));
    buf_addf(b, "<on_crash>%s</on_crash>\n", domain_lifecycle_to_string(def->on_crash));
}

static bool console_mirrors_serial(const domain_def *def, size_t n)
{
    const char *t = def->consoles[n]->target_type;

    return def->os_type == DOMAIN_OS_HVM && (!t || strcmp(t, "serial") == 0) && n < def->nserials;
}

static void format_chrs(buf *b, const domain_def *def, xml_extra_cursor *c, unsigned int flags)
{
    xml_extra_children_before(c, b, "serial");
    for (size_t i = 0; i < def->nserials; i++)
        domain_chr_format(b, def->serials[i], false, flags);
    xml_extra_children_before(c, b, "parallel");
    for (size_t i = 0; i < def->nparallels; i++)
        domain_chr_format(b, def->parallels[i], false, flags);
    xml_extra_children_before(c, b, "console");
    for (size_t i = 0; i < def->nconsoles; i++) {
        if (console_mirrors_serial(def, i))
            domain_chr_format(b, def->serials[i], true, flags);
        else
            domain_chr_format(b, def->consoles[i], false, flags);
    }
    xml_extra_children_before(c, b, "channel");
    for (size_t i = 0; i < def->nchannels; i++)
        domain_chr_format(b, def->channels[i], false, flags);
}

static void format_devices(buf *b, const domain_def *def, unsigned int flags)
{
    xml_extra_cursor c = xml_extra_cursor_init(&def->devices_extra, &domain_devices_order);

    buf_add(b, "<devices>\n");
    buf_adjust_indent(b, 2);
    dom_format_text_element(b, "emulator", def->emulator);
    xml_extra_children_before(&c, b, "disk");
    for (size_t i = 0; i < def->ndisks; i++)
        domain_disk_format(b, def->disks[i], flags);
    xml_extra_children_before(&c, b, "controller");
    for (size_t i = 0; i < def->ncontrollers; i++)
        domain_controller_format(b, def->controllers[i], flags);
    xml_extra_children_before(&c, b, "interface");
    for (size_t i = 0; i < def->nnets; i++)
        domain_net_format(b, def->nets[i], flags);
    format_chrs(b, def, &c, flags);
    xml_extra_children_before(&c, b, "graphics");
    for (size_t i = 0; i < def->ngraphics; i++)
        domain_graphics_format(b, def->graphics[i], flags);
    xml_extra_children_before(&c, b, "video");
    for (size_t i = 0; i < def->nvideos; i++)
        domain_video_format(b, def->videos[i], flags);
    xml_extra_children_before(&c, b, "memballoon");
    if (def->memballoon)
        domain_memballoon_format(b, def->memballoon, flags);
    xml_extra_children_before(&c, b, NULL);
    buf_adjust_indent(b, -2);
    buf_add(b, "</devices>\n");
}

static void format_head(buf *b, const domain_def *def, xml_extra_cursor *c, int id,
                        unsigned int flags)
{
    g_auto_buf attrs = BUF_INIT;
    char uuid[UUID_STRING_LEN];

    buf_addf(&attrs, " type='%s'", domain_virt_to_string(def->virt_type));
    if (id >= 0 && !(flags & DOMAIN_FORMAT_INACTIVE))
        buf_addf(&attrs, " id='%d'", id);
    xml_extra_attrs_before(c, &attrs, NULL);
    buf_addf(b, "<domain%s>\n", buf_peek(&attrs));
    buf_adjust_indent(b, 2);
    dom_format_text_element(b, "name", def->name);
    uuid_format(def->uuid, uuid);
    buf_addf(b, "<uuid>%s</uuid>\n", uuid);
    xml_extra_children_before(c, b, "title");
    dom_format_text_element(b, "title", def->title);
    dom_format_text_element(b, "description", def->description);
    xml_extra_children_before(c, b, "metadata");
    while (c->node_pos < c->x->nnodes && xml_is(c->x->nodes[c->node_pos].node, "metadata") &&
           !c->x->nodes[c->node_pos].node->ns)
        format_metadata(b, c->x->nodes[c->node_pos++].node);
    xml_extra_children_before(c, b, "maxMemory");
}

static void format_uncached(buf *b, const domain_def *def, int id, unsigned int flags)
{
    xml_extra_cursor c = xml_extra_cursor_init(&def->extra, &domain_top_order);

    format_head(b, def, &c, id, flags);
    format_memory(b, def);
    xml_extra_children_before(&c, b, "vcpu");
    format_vcpu(b, def);
    xml_extra_children_before(&c, b, "os");
    format_os(b, def);
    xml_extra_children_before(&c, b, "clock");
    format_clock(b, def);
    format_lifecycle(b, def);
    xml_extra_children_before(&c, b, "devices");
    format_devices(b, def, flags);
    xml_extra_children_before(&c, b, NULL);
    buf_adjust_indent(b, -2);
    buf_add(b, "</domain>\n");
}

/* Formats are cached per (flags, id, indentation): a domain shared by thousands of
 * snapshots is formatted once. The slot for SECURE and the one without are kept. */
void domain_def_format_buf(buf *b, const domain_def *def, int id, unsigned int flags)
{
    domain_def *mut = (domain_def *)def;     /* the cache is not part of the value */
    size_t slot = (flags & DOMAIN_FORMAT_SECURE) ? 1 : 0;
    struct domain_format_cache *c = g_atomic_pointer_get(&mut->format_cache[slot]);
    buf text = BUF_INIT;

    if (c && c->flags == flags && c->id == id && c->indent == b->indent) {
        buf_add_raw(b, c->text);
        return;
    }
    buf_set_indent(&text, b->indent);
    format_uncached(&text, def, id, flags);
    c = g_new0(struct domain_format_cache, 1);
    c->flags = flags;
    c->id = id;
    c->indent = b->indent;
    c->text = buf_steal(&text);
    buf_add_raw(b, c->text);
    c = g_atomic_pointer_exchange(&mut->format_cache[slot], c);
    if (c)
        g_free(c->text);
    g_free(c);
}

char *domain_def_format(const domain_def *def, int id, unsigned int flags)
{
    buf b = BUF_INIT;

    domain_def_format_buf(&b, def, id, flags);
    return buf_steal(&b);
}
