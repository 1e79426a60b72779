/* Writing a snapshot definition as libvirt's canonical <domainsnapshot> XML. */
#include "conf/snapshot_conf.h"

#include <string.h>
#include <libvirt/libvirt.h>
#include "util/uuid.h"

unsigned int snapshot_format_flags_from_public(unsigned int xml_flags)
{
    return (xml_flags & VIR_DOMAIN_SNAPSHOT_XML_SECURE) ? SNAPSHOT_FORMAT_SECURE : 0;
}

/* Written straight into b: formatting thousands of snapshots, temporary buffers per
 * element were most of the cost. Only a disk's children need one (an empty disk
 * closes with "/>"). */
static void disk_format(buf *b, const snapshot_disk_def *disk)
{
    g_auto_buf children = { .indent = b->indent + 2 };
    bool has_source = disk->src->path || disk->src->format != STORAGE_FORMAT_NONE;

    buf_escapef(b, "<disk name='%s'", disk->name);
    if (disk->snapshot > 0)
        buf_addf(b, " snapshot='%s'", domain_snapshot_location_to_string(disk->snapshot));
    if (has_source)
        buf_addf(b, " type='%s'", domain_disk_type_to_string(disk->src->type));
    if (disk->delete_in_progress)
        buf_add(&children, "<snapshotDeleteInProgress/>\n");
    if (has_source) {
        storage_source_format_driver(&children, disk->src);
        storage_source_format(&children, disk->src, "source");
    }
    if (buf_is_empty(&children)) {
        buf_add(b, "/>\n");
        return;
    }
    buf_add(b, ">\n");
    buf_add_raw(b, buf_peek(&children));    /* already indented */
    buf_add(b, "</disk>\n");
}

static void disks_format(buf *b, const char *element, const snapshot_disk_def *disks, size_t n)
{
    size_t named = 0;

    for (size_t i = 0; i < n; i++)
        named += disks[i].name != NULL;
    if (!named)
        return;
    buf_addf(b, "<%s>\n", element);
    buf_adjust_indent(b, 2);
    for (size_t i = 0; i < n; i++)
        if (disks[i].name)
            disk_format(b, &disks[i]);
    buf_adjust_indent(b, -2);
    buf_addf(b, "</%s>\n", element);
}

/* Append text as it is (it carries its own indentation). */
static void add_raw(buf *b, const char *text)
{
    int saved = b->indent;

    b->indent = 0;
    buf_add(b, text);
    b->indent = saved;
}

/* The domain formatter writes <domain ...>...</domain>; <inactiveDomain> is the same
 * with the root renamed. */
static void domain_format(buf *b, const domain_def *dom, const char *root, unsigned int flags)
{
    g_auto_buf tmp = { .indent = b->indent };
    unsigned int dflags = DOMAIN_FORMAT_INACTIVE;
    const char *text;
    g_autofree char *renamed = NULL;
    size_t len, skip;

    if (flags & SNAPSHOT_FORMAT_SECURE)
        dflags |= DOMAIN_FORMAT_SECURE;
    if (strcmp(root, "domain") == 0) {
        domain_def_format_buf(b, dom, -1, dflags);
        return;
    }
    domain_def_format_buf(&tmp, dom, -1, dflags);
    text = buf_peek(&tmp);
    len = strlen(text);
    skip = strspn(text, " ");
    g_assert(g_str_has_prefix(text + skip, "<domain") && g_str_has_suffix(text, "</domain>\n"));
    renamed = g_strdup_printf("%.*s<%s%.*s</%s>\n", (int)skip, text, root,
                              (int)(len - skip - strlen("<domain") - strlen("</domain>\n")),
                              text + skip + strlen("<domain"), root);
    add_raw(b, renamed);
}

static void cookie_format(buf *b, const char *cookie)
{
    buf_add(b, "<cookie>\n");
    buf_adjust_indent(b, 2);
    buf_add(b, cookie);
    buf_adjust_indent(b, -2);
    buf_add(b, "</cookie>\n");
}

static void header_format(buf *b, const snapshot_def *def, const char *parent_name)
{
    if (def->name)
        buf_escapef(b, "<name>%s</name>\n", def->name);
    if (def->description)
        buf_escapef(b, "<description>%s</description>\n", def->description);
    if (def->state)
        buf_addf(b, "<state>%s</state>\n", snapshot_state_to_string(def->state));
    if (parent_name) {
        buf_add(b, "<parent>\n");
        buf_adjust_indent(b, 2);
        buf_escapef(b, "<name>%s</name>\n", parent_name);
        buf_adjust_indent(b, -2);
        buf_add(b, "</parent>\n");
    }
    if (def->creation_time)
        buf_addf(b, "<creationTime>%lld</creationTime>\n", def->creation_time);
    if (def->memory) {
        buf_addf(b, "<memory snapshot='%s'", domain_snapshot_location_to_string(def->memory));
        if (def->memory_file)
            buf_escapef(b, " file='%s'", def->memory_file);
        buf_add(b, "/>\n");
    }
}

void snapshot_def_format_buf(buf *b, const snapshot_def *def, const char *parent_name,
                             const unsigned char *domain_uuid, unsigned int flags)
{
    buf_add(b, "<domainsnapshot>\n");
    buf_adjust_indent(b, 2);
    header_format(b, def, parent_name);
    disks_format(b, "disks", def->disks, def->ndisks);
    disks_format(b, "revertDisks", def->revert_disks, def->nrevert_disks);
    if (def->dom) {
        domain_format(b, def->dom, "domain", flags);
    } else if (domain_uuid) {
        char uuid[UUID_STRING_LEN];

        uuid_format(domain_uuid, uuid);
        buf_addf(b, "<domain>\n  <uuid>%s</uuid>\n</domain>\n", uuid);
    }
    if (def->inactive_dom)
        domain_format(b, def->inactive_dom, "inactiveDomain", flags);
    if (def->cookie)
        cookie_format(b, def->cookie);
    if (flags & SNAPSHOT_FORMAT_INTERNAL)
        buf_addf(b, "<active>%d</active>\n", (flags & SNAPSHOT_FORMAT_CURRENT) ? 1 : 0);
    buf_adjust_indent(b, -2);
    buf_add(b, "</domainsnapshot>\n");
}

char *snapshot_def_format(const snapshot_def *def, const char *parent_name,
                          const unsigned char *domain_uuid, unsigned int flags)
{
    buf b = BUF_INIT;

    if (def->dom)
        buf_reserve(&b, 4096);    /* most with their domain fit: no regrowth */
    snapshot_def_format_buf(&b, def, parent_name, domain_uuid, flags);
    return buf_steal(&b);
}
