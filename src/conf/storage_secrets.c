/* The security parts of a storage source: seclabels, auth secrets and encryption. */
#include "conf/storage_source.h"

#include <string.h>
#include "util/error.h"
#include "util/xml.h"

ENUM_IMPL(encryption_format, ENCRYPTION_FORMAT_LAST, "default", "qcow", "luks", "luks2")
ENUM_IMPL(encryption_engine, ENCRYPTION_ENGINE_LAST, "default", "qemu", "librbd")

/* Text of node's first child called name, NULL when absent or empty (as libvirt's
 * virXPathString). */
static char *child_text(xmlNodePtr node, const char *name)
{
    char *text = xml_child_text(node, name);

    if (text && !*text)
        g_clear_pointer(&text, g_free);
    return text;
}

/* --- seclabels --------------------------------------------------------------- */

static int seclabel_parse(xmlNodePtr node, seclabel_def *label)
{
    int relabel = STORAGE_TRISTATE_ABSENT, labelskip = STORAGE_TRISTATE_ABSENT;

    label->model = xml_prop(node, "model");
    if (xml_prop_enum_nonzero(node, "relabel", storage_tristate_from_string, &relabel) < 0 ||
        xml_prop_enum_nonzero(node, "labelskip", storage_tristate_from_string, &labelskip) < 0)
        return -1;
    label->relabel = relabel != STORAGE_TRISTATE_NO;
    label->labelskip = labelskip == STORAGE_TRISTATE_YES;
    label->label = child_text(node, "label");
    if (label->label && !label->relabel) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_ERROR,
                     "Cannot specify a label if relabelling is turned off. model=%s",
                     label->model ? label->model : "<null>");
        return -1;
    }
    return 0;
}

/* A second seclabel for the same model is refused. */
static int seclabel_check_unique(const seclabel_def *labels, size_t n)
{
    const char *model = labels[n].model;

    for (size_t i = 0; model && i < n; i++) {
        if (labels[i].model && strcmp(labels[i].model, model) == 0) {
            error_report(VIR_FROM_DOMAIN, VIR_ERR_XML_DETAIL,
                         "seclabel for model %s is already provided", model);
            return -1;
        }
    }
    return 0;
}

int seclabels_parse(xmlNodePtr parent, seclabel_def **ret_labels, size_t *ret_n)
{
    seclabel_def *labels;
    size_t n = 0, i = 0;

    for (xmlNodePtr c = xml_child(parent, "seclabel"); c; c = xml_next_named(c, "seclabel"))
        n++;
    if (n == 0) {
        *ret_labels = NULL;
        *ret_n = 0;
        return 0;
    }
    labels = g_new0(seclabel_def, n);
    for (xmlNodePtr c = xml_child(parent, "seclabel"); c; c = xml_next_named(c, "seclabel"), i++) {
        if (seclabel_parse(c, &labels[i]) < 0 || seclabel_check_unique(labels, i) < 0) {
            seclabels_free(labels, n);
            return -1;
        }
    }
    *ret_labels = labels;
    *ret_n = n;
    return 0;
}

void seclabels_format(buf *b, const seclabel_def *labels, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const seclabel_def *l = &labels[i];

        buf_add(b, "<seclabel");
        if (l->model)
            buf_escapef(b, " model='%s'", l->model);
        if (l->labelskip)
            buf_add(b, " labelskip='yes'");
        else
            buf_addf(b, " relabel='%s'", l->relabel ? "yes" : "no");
        if (!l->label) {
            buf_add(b, "/>\n");
            continue;
        }
        buf_add(b, ">\n");
        buf_adjust_indent(b, 2);
        buf_escapef(b, "<label>%s</label>\n", l->label);
        buf_adjust_indent(b, -2);
        buf_add(b, "</seclabel>\n");
    }
}

void seclabels_free(seclabel_def *labels, size_t n)
{
    for (size_t i = 0; labels && i < n; i++) {
        g_free(labels[i].model);
        g_free(labels[i].label);
    }
    g_free(labels);
}

seclabel_def *seclabels_copy(const seclabel_def *labels, size_t n)
{
    seclabel_def *copy = n ? g_new0(seclabel_def, n) : NULL;

    for (size_t i = 0; i < n; i++) {
        copy[i] = labels[i];
        copy[i].model = g_strdup(labels[i].model);
        copy[i].label = g_strdup(labels[i].label);
    }
    return copy;
}

/* --- secrets ------------------------------------------------------------------ */

/* uuid= or usage= of a <secret> (libvirt's virSecretLookupParseSecret). */
static int secret_ref_parse(xmlNodePtr node, secret_ref *ref)
{
    g_autofree char *uuid = xml_prop(node, "uuid");
    g_autofree char *usage = xml_prop(node, "usage");

    if (!uuid && !usage) {
        error_report(VIR_FROM_NONE, VIR_ERR_XML_ERROR, "missing secret uuid or usage attribute");
        return -1;
    }
    if (uuid && usage) {
        error_report(VIR_FROM_NONE, VIR_ERR_XML_ERROR, "either secret uuid or usage expected");
        return -1;
    }
    if (uuid) {
        if (!uuid_parse(uuid, ref->uuid)) {
            error_report(VIR_FROM_NONE, VIR_ERR_XML_ERROR, "invalid secret uuid '%s'", uuid);
            return -1;
        }
        ref->has_uuid = true;
    } else {
        ref->usage = g_steal_pointer(&usage);
    }
    return 0;
}

static void secret_ref_format(buf *b, const secret_ref *ref)
{
    if (ref->has_uuid) {
        char text[UUID_STRING_LEN];
        uuid_format(ref->uuid, text);
        buf_addf(b, " uuid='%s'", text);
    } else if (ref->usage) {
        buf_escapef(b, " usage='%s'", ref->usage);
    }
}

/* --- auth ---------------------------------------------------------------------- */

storage_auth *storage_auth_parse(xmlNodePtr node)
{
    storage_auth *auth = g_new0(storage_auth, 1);
    xmlNodePtr secret;

    if (!(auth->username = xml_prop(node, "username"))) {
        error_report(VIR_FROM_STORAGE, VIR_ERR_XML_ERROR, "missing username for auth");
        goto error;
    }
    if (!(secret = xml_child(node, "secret"))) {
        error_report(VIR_FROM_STORAGE, VIR_ERR_XML_ERROR, "Missing <secret> element in auth");
        goto error;
    }
    auth->secret_type = xml_prop(secret, "type");
    if (secret_ref_parse(secret, &auth->secret) < 0)
        goto error;
    return auth;

 error:
    storage_auth_free(auth);
    return NULL;
}

void storage_auth_format(buf *b, const storage_auth *auth)
{
    buf_escapef(b, "<auth username='%s'>\n", auth->username);
    buf_adjust_indent(b, 2);
    buf_add(b, "<secret");
    if (auth->secret_type)
        buf_escapef(b, " type='%s'", auth->secret_type);
    secret_ref_format(b, &auth->secret);
    buf_add(b, "/>\n");
    buf_adjust_indent(b, -2);
    buf_add(b, "</auth>\n");
}

void storage_auth_free(storage_auth *auth)
{
    if (!auth)
        return;
    g_free(auth->username);
    g_free(auth->secret_type);
    g_free(auth->secret.usage);
    g_free(auth);
}

storage_auth *storage_auth_copy(const storage_auth *auth)
{
    storage_auth *copy;

    if (!auth)
        return NULL;
    copy = g_new(storage_auth, 1);
    *copy = *auth;
    copy->username = g_strdup(auth->username);
    copy->secret_type = g_strdup(auth->secret_type);
    copy->secret.usage = g_strdup(auth->secret.usage);
    return copy;
}

/* --- encryption ------------------------------------------------------------------ */

static int encryption_secret_parse(xmlNodePtr node, secret_ref *ref)
{
    g_autofree char *type = xml_prop(node, "type");

    if (!type) {
        error_report(VIR_FROM_STORAGE, VIR_ERR_XML_ERROR, "unknown volume encryption secret type");
        return -1;
    }
    if (strcmp(type, "passphrase") != 0) {
        error_report(VIR_FROM_STORAGE, VIR_ERR_CONFIG_UNSUPPORTED,
                     "unknown volume encryption secret type %s", type);
        return -1;
    }
    return secret_ref_parse(node, ref);
}

static int encryption_cipher_parse(xmlNodePtr enc_node, storage_encryption *enc)
{
    xmlNodePtr cipher = xml_child(enc_node, "cipher");
    xmlNodePtr ivgen = xml_child(enc_node, "ivgen");

    if (cipher) {
        if (!(enc->cipher_name = xml_prop(cipher, "name"))) {
            error_report(VIR_FROM_STORAGE, VIR_ERR_XML_ERROR,
                         "cipher info missing 'name' attribute");
            return -1;
        }
        if (xml_prop_uint(cipher, "size", true, &enc->cipher_size) < 0)
            return -1;
        enc->cipher_mode = xml_prop(cipher, "mode");
        enc->cipher_hash = xml_prop(cipher, "hash");
    }
    if (ivgen) {
        if (!cipher) {
            error_report(VIR_FROM_STORAGE, VIR_ERR_XML_ERROR,
                         "ivgen element found, but cipher is missing");
            return -1;
        }
        if (!(enc->ivgen_name = xml_prop(ivgen, "name"))) {
            error_report(VIR_FROM_STORAGE, VIR_ERR_XML_ERROR, "missing ivgen info name string");
            return -1;
        }
        enc->ivgen_hash = xml_prop(ivgen, "hash");
    }
    return 0;
}

static int encryption_parse_into(xmlNodePtr node, storage_encryption *enc)
{
    g_autofree char *format = xml_prop(node, "format");
    size_t n = 0;

    if (!format || !*format) {
        error_report(VIR_FROM_STORAGE, VIR_ERR_XML_ERROR, "unknown volume encryption format");
        return -1;
    }
    if ((enc->format = encryption_format_from_string(format)) < 0) {
        error_report(VIR_FROM_STORAGE, VIR_ERR_CONFIG_UNSUPPORTED,
                     "unknown volume encryption format type %s", format);
        return -1;
    }
    if (xml_prop_enum_nonzero(node, "engine", encryption_engine_from_string, &enc->engine) < 0)
        return -1;
    for (xmlNodePtr s = xml_child(node, "secret"); s; s = xml_next_named(s, "secret"))
        n++;
    enc->secrets = n ? g_new0(secret_ref, n) : NULL;
    for (xmlNodePtr s = xml_child(node, "secret"); s; s = xml_next_named(s, "secret"))
        if (encryption_secret_parse(s, &enc->secrets[enc->nsecrets++]) < 0)
            return -1;
    return encryption_cipher_parse(node, enc);
}

storage_encryption *storage_encryption_parse(xmlNodePtr node)
{
    storage_encryption *enc = g_new0(storage_encryption, 1);

    if (encryption_parse_into(node, enc) < 0) {
        storage_encryption_free(enc);
        return NULL;
    }
    return enc;
}

void storage_encryption_format(buf *b, const storage_encryption *enc)
{
    buf_addf(b, "<encryption format='%s'", encryption_format_to_string(enc->format));
    if (enc->engine != ENCRYPTION_ENGINE_DEFAULT)
        buf_addf(b, " engine='%s'", encryption_engine_to_string(enc->engine));
    buf_add(b, ">\n");
    buf_adjust_indent(b, 2);
    for (size_t i = 0; i < enc->nsecrets; i++) {
        buf_add(b, "<secret type='passphrase'");
        secret_ref_format(b, &enc->secrets[i]);
        buf_add(b, "/>\n");
    }
    if (enc->cipher_name) {
        buf_escapef(b, "<cipher name='%s' size='%u'", enc->cipher_name, enc->cipher_size);
        if (enc->cipher_mode)
            buf_escapef(b, " mode='%s'", enc->cipher_mode);
        if (enc->cipher_hash)
            buf_escapef(b, " hash='%s'", enc->cipher_hash);
        buf_add(b, "/>\n");
    }
    if (enc->ivgen_name) {
        buf_escapef(b, "<ivgen name='%s'", enc->ivgen_name);
        if (enc->ivgen_hash)
            buf_escapef(b, " hash='%s'", enc->ivgen_hash);
        buf_add(b, "/>\n");
    }
    buf_adjust_indent(b, -2);
    buf_add(b, "</encryption>\n");
}

void storage_encryption_free(storage_encryption *enc)
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

storage_encryption *storage_encryption_copy(const storage_encryption *enc)
{
    storage_encryption *copy;

    if (!enc)
        return NULL;
    copy = g_new(storage_encryption, 1);
    *copy = *enc;
    copy->secrets = enc->nsecrets ? g_new(secret_ref, enc->nsecrets) : NULL;
    for (size_t i = 0; i < enc->nsecrets; i++) {
        copy->secrets[i] = enc->secrets[i];
        copy->secrets[i].usage = g_strdup(enc->secrets[i].usage);
    }
    copy->cipher_name = g_strdup(enc->cipher_name);
    copy->cipher_mode = g_strdup(enc->cipher_mode);
    copy->cipher_hash = g_strdup(enc->cipher_hash);
    copy->ivgen_name = g_strdup(enc->ivgen_name);
    copy->ivgen_hash = g_strdup(enc->ivgen_hash);
    return copy;
}
