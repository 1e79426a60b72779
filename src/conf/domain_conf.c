/* TEMPORARY stand-in for the domain model of branch domconf: <domain> kept verbatim, its disks known. */
#include "conf/domain_conf.h"

#include <string.h>
#include "util/error.h"
#include "util/xml.h"

ENUM_IMPL(domain_disk_type, DOMAIN_DISK_TYPE_LAST,
          "none", "file", "block", "dir", "network", "volume", "nvme", "vhostuser");
ENUM_IMPL(domain_disk_device, DOMAIN_DISK_DEVICE_LAST, "disk", "cdrom", "floppy", "lun");

static void disk_free(domain_disk_def *d)
{
    if (!d)
        return;
    g_free(d->src->path);
    g_free(d->src->name);
    g_free(d->src);
    g_free(d->dst);
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
    g_autofree char *device = xml_prop(node, "device");
    xmlNodePtr src = xml_child(node, "source");
    static const char *const path_attr[DOMAIN_DISK_TYPE_LAST] = {
        [DOMAIN_DISK_TYPE_FILE] = "file", [DOMAIN_DISK_TYPE_BLOCK] = "dev",
        [DOMAIN_DISK_TYPE_DIR] = "dir",
    };

    d->src = g_new0(domain_disk_source, 1);
    d->src->type = type ? domain_disk_type_from_string(type) : DOMAIN_DISK_TYPE_FILE;
    if (d->src->type < 0)
        d->src->type = DOMAIN_DISK_TYPE_NONE;
    d->device = device ? domain_disk_device_from_string(device) : DOMAIN_DISK_DEVICE_DISK;
    if (src && path_attr[d->src->type])
        d->src->path = xml_prop(src, path_attr[d->src->type]);
    if (src && d->src->type == DOMAIN_DISK_TYPE_NETWORK) {
        d->src->name = xml_prop(src, "name");
        d->src->protocol = 1;
    }
    d->dst = xml_prop(xml_child(node, "target"), "dev");
    d->readonly = xml_child(node, "readonly") != NULL;
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
    for (xmlNodePtr d = xml_child(devices, "disk"); d; d = xml_next_named(d, "disk"))
        g_ptr_array_add(disks, disk_parse(d));
    def->ndisks = disks->len;
    def->disks = (domain_disk_def **)g_ptr_array_free(disks, FALSE);
    if (uuid && !uuid_parse(uuid, def->uuid)) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_INTERNAL_ERROR, "malformed uuid element");
        return NULL;
    }
    return g_steal_pointer(&def);
}

domain_def *domain_def_parse_node(xmlNodePtr root, const domain_xml_options *opts,
                                  unsigned int flags)
{
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");

    xmlDocSetRootElement(doc, xmlDocCopyNode(root, doc, 1));
    return from_doc(doc);
}

domain_def *domain_def_parse(const char *xml, const domain_xml_options *opts, unsigned int flags)
{
    g_autoptr(xmlDoc) doc = xml_parse(xml, "(domain_definition)", "domain", VIR_FROM_DOMAIN);

    return doc ? domain_def_parse_node(xmlDocGetRootElement(doc), opts, flags) : NULL;
}

void domain_def_format_buf(buf *b, const domain_def *def, int id, unsigned int flags)
{
    xml_format_node(b, xmlDocGetRootElement(def->doc));
}

char *domain_def_format(const domain_def *def, int id, unsigned int flags)
{
    g_auto_buf b = BUF_INIT;

    domain_def_format_buf(&b, def, id, flags);
    return buf_steal(&b);
}

domain_def *domain_def_copy(const domain_def *def)
{
    return from_doc(xmlCopyDoc(def->doc, 1));
}

domain_disk_def *domain_disk_find_by_target(const domain_def *def, const char *dst)
{
    for (size_t i = 0; i < def->ndisks; i++)
        if (g_strcmp0(def->disks[i]->dst, dst) == 0)
            return def->disks[i];
    return NULL;
}

domain_disk_def *domain_disk_find_by_source(const domain_def *def, const char *path)
{
    for (size_t i = 0; i < def->ndisks; i++)
        if (def->disks[i]->src->path && g_strcmp0(def->disks[i]->src->path, path) == 0)
            return def->disks[i];
    return NULL;
}

int domain_disk_index(const domain_def *def, const char *name)
{
    domain_disk_def *disk = domain_disk_find_by_target(def, name);

    if (!disk)
        disk = domain_disk_find_by_source(def, name);
    for (size_t i = 0; disk && i < def->ndisks; i++)
        if (def->disks[i] == disk)
            return (int)i;
    return -1;
}

bool domain_disk_is_empty(const domain_disk_def *disk)
{
    switch (disk->src->type) {
    case DOMAIN_DISK_TYPE_NONE:
        return true;
    case DOMAIN_DISK_TYPE_FILE:
    case DOMAIN_DISK_TYPE_BLOCK:
    case DOMAIN_DISK_TYPE_DIR:
        return !disk->src->path;
    case DOMAIN_DISK_TYPE_NETWORK:
        return !disk->src->protocol;
    default:
        return false;
    }
}
