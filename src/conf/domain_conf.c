/* TEMPORARY stand-in for the domain model of branch domconf: <domain> kept verbatim, its disks known. */
#include "conf/domain_conf.h"

#include <string.h>
#include "util/enum.h"
#include "util/error.h"
#include "util/uuid.h"
#include "util/xml.h"

ENUM_DECL(domain_disk_type);
ENUM_IMPL(domain_disk_type, DOMAIN_DISK_TYPE_LAST,
          "none", "file", "block", "dir", "network", "volume");

static void disk_free(domain_disk_def *d)
{
    if (!d)
        return;
    g_free(d->device);
    g_free(d->src_path);
    g_free(d->dst);
    g_free(d->format);
    g_free(d);
}

void domain_def_free(domain_def *def)
{
    if (!def)
        return;
    for (size_t i = 0; i < def->ndisks; i++)
        disk_free(def->disks[i]);
    g_free(def->disks);
    g_free(def->name);
    xmlFreeDoc(def->doc);
    g_free(def);
}

static domain_disk_def *disk_parse(xmlNodePtr node)
{
    domain_disk_def *d = g_new0(domain_disk_def, 1);
    g_autofree char *type = xml_prop(node, "type");
    xmlNodePtr src = xml_child(node, "source");

    d->type = type ? domain_disk_type_from_string(type) : DOMAIN_DISK_TYPE_FILE;
    if (d->type < 0)
        d->type = DOMAIN_DISK_TYPE_NONE;
    d->device = xml_prop(node, "device");
    if (!d->device)
        d->device = g_strdup("disk");
    if (src)
        d->src_path = xml_prop(src, d->type == DOMAIN_DISK_TYPE_BLOCK ? "dev" : "file");
    d->dst = xml_prop(xml_child(node, "target"), "dev");
    d->format = xml_prop(xml_child(node, "driver"), "type");
    d->readonly = xml_child(node, "readonly") != NULL || strcmp(d->device, "cdrom") == 0;
    return d;
}

static domain_def *from_doc(xmlDocPtr doc)
{
    g_autoptr(domain_def) def = g_new0(domain_def, 1);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    g_autofree char *uuid = xml_child_text(root, "uuid");
    xmlNodePtr devices = xml_child(root, "devices");
    GPtrArray *disks = g_ptr_array_new();

    def->doc = doc;
    def->name = xml_child_text(root, "name");
    if (uuid && !uuid_parse(uuid, def->uuid)) {
        g_ptr_array_free(disks, TRUE);
        error_report(VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR, "malformed uuid element");
        return NULL;
    }
    for (xmlNodePtr d = xml_child(devices, "disk"); d; d = xml_next_named(d, "disk"))
        g_ptr_array_add(disks, disk_parse(d));
    def->ndisks = disks->len;
    def->disks = (domain_disk_def **)g_ptr_array_free(disks, FALSE);
    return g_steal_pointer(&def);
}

domain_def *domain_def_parse_node(xmlNodePtr node, const domain_xml_options *xmlopt,
                                  unsigned int flags)
{
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");

    xmlDocSetRootElement(doc, xmlDocCopyNode(node, doc, 1));
    return from_doc(doc);
}

int domain_def_format_buf(buf *b, const domain_def *def, int id, unsigned int flags)
{
    xml_format_node(b, xmlDocGetRootElement(def->doc));
    return 0;
}

domain_def *domain_def_copy(const domain_def *def)
{
    return from_doc(xmlCopyDoc(def->doc, 1));
}

domain_disk_def *domain_disk_by_target(const domain_def *def, const char *dst)
{
    for (size_t i = 0; i < def->ndisks; i++)
        if (g_strcmp0(def->disks[i]->dst, dst) == 0)
            return def->disks[i];
    return NULL;
}

domain_disk_def *domain_disk_by_name(const domain_def *def, const char *name)
{
    domain_disk_def *d = domain_disk_by_target(def, name);

    for (size_t i = 0; !d && i < def->ndisks; i++)
        if (g_strcmp0(def->disks[i]->src_path, name) == 0)
            d = def->disks[i];
    return d;
}

domain_def *domain_def_parse(const char *xml, const domain_xml_options *xmlopt, unsigned int flags)
{
    g_autoptr(xmlDoc) doc = xml_parse(xml, "(domain_definition)", "domain", VIR_FROM_DOMAIN);

    return doc ? domain_def_parse_node(xmlDocGetRootElement(doc), xmlopt, flags) : NULL;
}

char *domain_def_format(const domain_def *def, int id, unsigned int flags)
{
    g_auto_buf b = BUF_INIT;

    domain_def_format_buf(&b, def, id, flags);
    return buf_steal(&b);
}
