/* Where one disk's backup goes: the push <target> or pull <scratch>, its <driver>, seclabels and encryption. */
#include "conf/backup_store.h"

#include <string.h>
#include "util/error.h"
#include "util/xml.h"

ENUM_IMPL(backup_encryption_format, BACKUP_ENCRYPTION_FORMAT_LAST, "default", "qcow", "luks");
ENUM_IMPL(backup_encryption_engine, BACKUP_ENCRYPTION_ENGINE_LAST, "default", "qemu", "librbd");

/* libvirt's VIR_SECURITY_LABEL_BUFLEN - 1 */
enum { LABEL_MAX = 4096 };

#define ERR(...) error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR, __VA_ARGS__)

backup_store *backup_store_new(int type)
{
    backup_store *store = g_new0(backup_store, 1);

    store->type = type;
    return store;
}

static void encryption_free(backup_encryption *enc)
{
    if (!enc)
        return;
    for (size_t i = 0; i < enc->nsecrets; i++)
        g_free(enc->secrets[i].usage);
    g_free(enc->secrets);
    g_free(enc->cipher_name);
    g_free(enc->cipher_mode);
    g_free(enc->cipher_hash);
    g_free(enc->ivgen_name);
    g_free(enc->ivgen_hash);
    g_free(enc);
}

void backup_store_free(backup_store *store)
{
    if (!store)
        return;
    g_free(store->path);
    for (size_t i = 0; i < store->nseclabels; i++) {
        g_free(store->seclabels[i].model);
        g_free(store->seclabels[i].label);
    }
    g_free(store->seclabels);
    encryption_free(store->encryption);
    g_free(store);
}

bool backup_store_is_empty(const backup_store *store)
{
    return store->type == DOMAIN_DISK_TYPE_NONE ||
           ((store->type == DOMAIN_DISK_TYPE_FILE || store->type == DOMAIN_DISK_TYPE_BLOCK ||
             store->type == DOMAIN_DISK_TYPE_DIR) && !store->path);
}

backup_store *backup_store_parse_base(const char *type, const char *format, const char *index)
{
    g_autoptr(backup_store) store = backup_store_new(DOMAIN_DISK_TYPE_FILE);

    if (type && (store->type = domain_disk_type_from_string(type)) <= 0) {
        ERR("unknown storage source type '%s'", type);
        return NULL;
    }
    if (format && (store->format = storage_format_from_string(format)) <= 0) {
        ERR("unknown storage source format '%s'", format);
        return NULL;
    }
    if (index && !parse_uint(index, &store->index)) {
        ERR("invalid storage source index '%s'", index);
        return NULL;
    }
    return g_steal_pointer(&store);
}

/* -- <seclabel> -------------------------------------------------------------------- */

static int seclabel_parse(xmlNodePtr node, backup_seclabel *sl, const backup_store *store)
{
    g_autofree char *relabel = xml_prop(node, "relabel");
    g_autofree char *labelskip = xml_prop(node, "labelskip");
    xmlNodePtr label = xml_child(node, "label");

    sl->model = xml_prop(node, "model");
    for (size_t j = 0; sl->model && j < store->nseclabels; j++) {
        if (g_strcmp0(store->seclabels[j].model, sl->model) == 0) {
            error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_DETAIL,
                         "seclabel for model %s is already provided", sl->model);
            return -1;
        }
    }
    sl->relabel = true;
    if (relabel && strcmp(relabel, "yes") != 0 && strcmp(relabel, "no") != 0) {
        ERR("invalid security relabel value %s", relabel);
        return -1;
    }
    if (relabel)
        sl->relabel = strcmp(relabel, "yes") == 0;
    /* libvirt reads labelskip from live (not inactive) definitions, as here */
    sl->labelskip = g_strcmp0(labelskip, "yes") == 0;
    /* An empty <label/> is kept: libvirt drops it and then writes a seclabel its
     * own schema refuses. */
    if (label) {
        sl->label = xml_text(label);
        if (strlen(sl->label) > LABEL_MAX) {
            ERR("'%s' value longer than '%d' bytes", "string(./label)", LABEL_MAX);
            return -1;
        }
    }
    if (sl->label && *sl->label && !sl->relabel) {
        ERR("Cannot specify a label if relabelling is turned off. model=%s",
            sl->model ? sl->model : "<null>");
        return -1;
    }
    return 0;
}

static void seclabel_format(buf *b, const backup_seclabel *sl)
{
    buf_add(b, "<seclabel");
    if (sl->model)
        buf_escapef(b, " model='%s'", sl->model);
    if (sl->labelskip)
        buf_add(b, " labelskip='yes'");
    else
        buf_addf(b, " relabel='%s'", sl->relabel ? "yes" : "no");
    if (sl->label)
        buf_escapef(b, ">\n  <label>%s</label>\n</seclabel>\n", sl->label);
    else
        buf_add(b, "/>\n");
}

/* -- <encryption> ------------------------------------------------------------------ */

static int secret_parse(xmlNodePtr node, backup_secret *secret)
{
    g_autofree char *type = xml_prop(node, "type");
    g_autofree char *uuid = xml_prop(node, "uuid");

    if (!type) {
        ERR("unknown volume encryption secret type");
        return -1;
    }
    if (strcmp(type, "passphrase") != 0) {
        ERR("unknown volume encryption secret type %s", type);
        return -1;
    }
    secret->usage = xml_prop(node, "usage");
    if (!uuid && !secret->usage) {
        ERR("missing secret uuid or usage attribute");
        return -1;
    }
    if (uuid && secret->usage) {
        ERR("either secret uuid or usage expected");
        return -1;
    }
    if (uuid && !uuid_parse(uuid, secret->uuid)) {
        ERR("invalid secret uuid '%s'", uuid);
        return -1;
    }
    secret->has_uuid = uuid != NULL;
    return 0;
}

static int cipher_parse(xmlNodePtr cipher, xmlNodePtr ivgen, backup_encryption *enc)
{
    g_autofree char *size = NULL;

    if (cipher) {
        if (!(enc->cipher_name = xml_prop(cipher, "name"))) {
            ERR("cipher info missing 'name' attribute");
            return -1;
        }
        if (!(size = xml_prop(cipher, "size"))) {
            ERR("cipher info missing 'size' attribute");
            return -1;
        }
        if (!parse_uint(size, &enc->cipher_size)) {
            ERR("cannot parse cipher size: '%s'", size);
            return -1;
        }
        enc->cipher_mode = xml_prop(cipher, "mode");
        enc->cipher_hash = xml_prop(cipher, "hash");
    }
    if (ivgen) {
        if (!(enc->ivgen_name = xml_prop(ivgen, "name"))) {
            ERR("missing ivgen info name string");
            return -1;
        }
        enc->ivgen_hash = xml_prop(ivgen, "hash");
    }
    return 0;
}

static backup_encryption *encryption_parse(xmlNodePtr node)
{
    backup_encryption *enc = g_new0(backup_encryption, 1);
    g_autofree char *format = xml_prop(node, "format");
    g_autofree char *engine = xml_prop(node, "engine");
    size_t n = 0;

    if (!format || (enc->format = backup_encryption_format_from_string(format)) < 0) {
        if (format)
            ERR("unknown volume encryption format type %s", format);
        else
            ERR("unknown volume encryption format");
        goto error;
    }
    if (engine && (enc->engine = backup_encryption_engine_from_string(engine)) <= 0) {
        ERR("Invalid value for attribute 'engine' in element 'encryption': '%s'.", engine);
        goto error;
    }
    for (xmlNodePtr s = xml_child(node, "secret"); s; s = xml_next_named(s, "secret"))
        n++;
    enc->secrets = g_new0(backup_secret, n);
    for (xmlNodePtr s = xml_child(node, "secret"); s; s = xml_next_named(s, "secret"))
        if (secret_parse(s, &enc->secrets[enc->nsecrets++]) < 0)
            goto error;
    if (enc->format == BACKUP_ENCRYPTION_FORMAT_LUKS &&
        cipher_parse(xml_child(node, "cipher"), xml_child(node, "ivgen"), enc) < 0)
        goto error;
    return enc;

 error:
    encryption_free(enc);
    return NULL;
}

static void encryption_format(buf *b, const backup_encryption *enc)
{
    buf_addf(b, "<encryption format='%s'", backup_encryption_format_to_string(enc->format));
    if (enc->engine != BACKUP_ENCRYPTION_ENGINE_DEFAULT)
        buf_addf(b, " engine='%s'", backup_encryption_engine_to_string(enc->engine));
    buf_add(b, ">\n");
    buf_adjust_indent(b, 2);
    for (size_t i = 0; i < enc->nsecrets; i++) {
        char uuid[UUID_STRING_LEN];

        buf_add(b, "<secret type='passphrase'");
        if (enc->secrets[i].has_uuid) {
            uuid_format(enc->secrets[i].uuid, uuid);
            buf_addf(b, " uuid='%s'", uuid);
        } else if (enc->secrets[i].usage) {
            buf_escapef(b, " usage='%s'", enc->secrets[i].usage);
        }
        buf_add(b, "/>\n");
    }
    if (enc->cipher_name) {
        buf_escapef(b, "<cipher name='%s' size='%u'", enc->cipher_name, enc->cipher_size);
        if (enc->cipher_mode)
            buf_escapef(b, " mode='%s'", enc->cipher_mode);
        if (enc->cipher_hash)
            buf_escapef(b, " hash='%s'", enc->cipher_hash);
        buf_add(b, "/>\n");
        if (enc->ivgen_name) {
            buf_escapef(b, "<ivgen name='%s'", enc->ivgen_name);
            if (enc->ivgen_hash)
                buf_escapef(b, " hash='%s'", enc->ivgen_hash);
            buf_add(b, "/>\n");
        }
    }
    buf_adjust_indent(b, -2);
    buf_add(b, "</encryption>\n");
}

/* -- the source element ------------------------------------------------------------ */

int backup_store_parse_source(backup_store *store, xmlNodePtr node)
{
    xmlNodePtr enc = xml_child(node, "encryption");
    size_t n = 0;

    if (store->type == DOMAIN_DISK_TYPE_FILE)
        store->path = xml_prop(node, "file");
    else if (store->type == DOMAIN_DISK_TYPE_BLOCK)
        store->path = xml_prop(node, "dev");

    for (xmlNodePtr s = xml_child(node, "seclabel"); s; s = xml_next_named(s, "seclabel"))
        n++;
    store->seclabels = g_new0(backup_seclabel, n);
    for (xmlNodePtr s = xml_child(node, "seclabel"); s; s = xml_next_named(s, "seclabel")) {
        if (seclabel_parse(s, &store->seclabels[store->nseclabels], store) < 0) {
            store->nseclabels++;
            return -1;
        }
        store->nseclabels++;
    }
    if (enc && !(store->encryption = encryption_parse(enc)))
        return -1;
    return 0;
}

void backup_store_format_source(buf *b, const backup_store *store, const char *element)
{
    g_auto_buf attrs = BUF_INIT;
    g_auto_buf children = BUF_INIT;

    if (store->type == DOMAIN_DISK_TYPE_FILE && store->path)
        buf_escapef(&attrs, " file='%s'", store->path);
    else if (store->type == DOMAIN_DISK_TYPE_BLOCK && store->path)
        buf_escapef(&attrs, " dev='%s'", store->path);

    buf_set_indent(&children, b->indent + 2);
    for (size_t i = 0; i < store->nseclabels; i++)
        seclabel_format(&children, &store->seclabels[i]);
    if (store->encryption)
        encryption_format(&children, store->encryption);
    buf_element(b, element, &attrs, &children);
}
