/* Validating a <domain> against libvirt's RELAX NG schema (VIR_DOMAIN_DEFINE_VALIDATE). */
#include "conf/domain_priv.h"

#include <libxml/relaxng.h>

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

int domain_xml_validate(xmlNodePtr root)
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
        error_report(VIR_FROM_XML, VIR_ERR_XML_INVALID_SCHEMA, "Unable to validate doc against %s\n%s",
                     s->path, msgs->str);
        return -1;
    }
    return 0;
}
