/* Validating XML documents against libvirt's RelaxNG schemas, each parsed once. */
#include "conf/schema.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <libxml/relaxng.h>
#include "util/error.h"

static GMutex cache_lock;
static GHashTable *cache;   /* file name -> xmlRelaxNGPtr; never freed */

const char *schema_dir(void)
{
    const char *dir = g_getenv("VIRTMOMENT_SCHEMA_DIR");

    return dir && *dir ? dir : "/usr/share/libvirt/schemas";
}

/* libxml2's error callbacks: collect the errors into the GString opaque; warnings
 * are dropped, as libvirt drops them. */
static void G_GNUC_PRINTF(2, 3) collect(void *opaque, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_string_append_vprintf(opaque, fmt, ap);
    va_end(ap);
}

static void G_GNUC_PRINTF(2, 3) ignore(void *opaque, const char *fmt, ...)
{
}

static xmlRelaxNGPtr schema_load(const char *path)
{
    xmlRelaxNGParserCtxtPtr ctxt;
    xmlRelaxNGPtr rng;
    g_autoptr(GString) msgs = g_string_new(NULL);

    if (access(path, R_OK) < 0) {
        int err = errno;
        error_report(VIR_FROM_XML, VIR_ERR_INTERNAL_ERROR,
                     "Unable to validate against RNG schema '%s': %s (libvirt's schemas are "
                     "needed for validation; on Debian they come with the libvirt0 package)",
                     path, g_strerror(err));
        return NULL;
    }
    ctxt = xmlRelaxNGNewParserCtxt(path);
    xmlRelaxNGSetParserErrors(ctxt, collect, ignore, msgs);
    rng = xmlRelaxNGParse(ctxt);
    xmlRelaxNGFreeParserCtxt(ctxt);
    if (!rng) {
        g_strchomp(msgs->str);
        error_report(VIR_FROM_XML, VIR_ERR_INTERNAL_ERROR, "Unable to parse RNG %s: %s", path,
                     msgs->len ? msgs->str : "unknown error");
    }
    return rng;
}

/* The parsed schema for path, loading it on first use. */
static xmlRelaxNGPtr schema_get(const char *path)
{
    xmlRelaxNGPtr rng;

    g_mutex_lock(&cache_lock);
    if (!cache)
        cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    rng = g_hash_table_lookup(cache, path);
    if (!rng && (rng = schema_load(path)))
        g_hash_table_insert(cache, g_strdup(path), rng);
    g_mutex_unlock(&cache_lock);
    return rng;
}

bool schema_validate(xmlDocPtr doc, const char *name)
{
    g_autofree char *path = g_build_filename(schema_dir(), name, NULL);
    g_autoptr(GString) msgs = g_string_new(NULL);
    xmlRelaxNGPtr rng = schema_get(path);
    xmlRelaxNGValidCtxtPtr ctxt;
    int rc;

    if (!rng)
        return false;
    ctxt = xmlRelaxNGNewValidCtxt(rng);
    xmlRelaxNGSetValidErrors(ctxt, collect, ignore, msgs);
    rc = xmlRelaxNGValidateDoc(ctxt, doc);
    xmlRelaxNGFreeValidCtxt(ctxt);
    if (rc != 0) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_INVALID_SCHEMA, "Unable to validate doc against %s\n%s",
                     path, msgs->str);
        return false;
    }
    return true;
}
