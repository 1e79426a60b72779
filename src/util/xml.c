/* Reading XML safely (no network, no entities) and writing nodes canonically. */
#include "util/xml.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include "util/error.h"

/* The line the parser is on and a "----^" pointer under its column, as libvirt
 * prints them; an empty line prints as "(null)". */
static char *error_context(xmlParserCtxtPtr ctxt)
{
    const xmlChar *base, *cur, *start, *end;
    GString *s;

    if (!ctxt->input || !ctxt->input->base || !ctxt->input->cur)
        return g_strdup("(null)\n^");
    base = ctxt->input->base;
    cur = ctxt->input->cur;
    start = cur;
    while (start > base && (*start == '\n' || *start == '\r'))
        start--;
    while (start > base && *start != '\n' && *start != '\r')
        start--;
    if (*start == '\n' || *start == '\r')
        start++;
    end = start;
    while (*end && *end != '\n' && *end != '\r')
        end++;
    s = g_string_new(NULL);
    if (end == start)
        g_string_append(s, "(null)");
    else
        g_string_append_len(s, (const char *)start, end - start);
    g_string_append_c(s, '\n');
    for (const xmlChar *p = start; p < cur && p < end; p++)
        g_string_append_c(s, *p == '\t' ? '\t' : '-');
    g_string_append_c(s, '^');
    return g_string_free(s, FALSE);
}

/* libvirt reports the first error the parser meets, with the context at that point. */
typedef struct {
    const char *url;
    char *message;
} first_error;

static void catch_error(void *data, xmlErrorPtr err)
{
    xmlParserCtxtPtr ctxt = data;
    first_error *fe = ctxt ? ctxt->_private : NULL;
    g_autofree char *context = NULL;

    if (!fe || fe->message || !err || err->level < XML_ERR_ERROR)
        return;
    context = error_context(ctxt);
    fe->message = g_strdup_printf("%s:%d: %s%s", err->file ? err->file : fe->url, err->line,
                                  err->message ? err->message : "", context);
}

static xmlDocPtr finish(xmlParserCtxtPtr ctxt, xmlDocPtr doc, const char *url,
                        const char *root, int err_domain)
{
    xmlNodePtr top;
    first_error *fe = ctxt->_private;

    if (!doc || !ctxt->wellFormed) {
        if (fe->message)
            error_report(err_domain, VIR_ERR_XML_DETAIL, "%s", fe->message);
        else
            error_report(err_domain, VIR_ERR_XML_ERROR, "failed to parse xml document '%s'", url);
        xmlFreeDoc(doc);
        return NULL;
    }
    top = xmlDocGetRootElement(doc);
    if (!top) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR, "missing root element");
        xmlFreeDoc(doc);
        return NULL;
    }
    if (root && !xml_is(top, root)) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR, "expecting root element of '%s', not '%s'",
                     root, (const char *)top->name);
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

enum { PARSE_OPTIONS = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR };

struct xml_reader {
    xmlParserCtxtPtr ctxt;
};

xml_reader *xml_reader_new(void)
{
    xml_reader *r = g_new0(xml_reader, 1);

    if (!(r->ctxt = xmlNewParserCtxt())) {
        g_free(r);
        error_report(VIR_FROM_NONE, VIR_ERR_NO_MEMORY, NULL);
        return NULL;
    }
    r->ctxt->sax->serror = catch_error;
    return r;
}

void xml_reader_free(xml_reader *r)
{
    if (!r)
        return;
    xmlFreeParserCtxt(r->ctxt);
    g_free(r);
}

xmlDocPtr xml_reader_parse(xml_reader *r, const char *text, const char *url, const char *root,
                           int err_domain)
{
    first_error fe = { url, NULL };
    xmlDocPtr doc;

    r->ctxt->_private = &fe;
    doc = xmlCtxtReadDoc(r->ctxt, (const xmlChar *)text, url, NULL, PARSE_OPTIONS);
    doc = finish(r->ctxt, doc, url, root, err_domain);
    r->ctxt->_private = NULL;
    g_free(fe.message);
    return doc;
}

xmlDocPtr xml_parse(const char *text, const char *url, const char *root, int err_domain)
{
    g_autoptr(xml_reader) r = xml_reader_new();

    return r ? xml_reader_parse(r, text, url, root, err_domain) : NULL;
}

xmlDocPtr xml_parse_file(const char *path, const char *root, int err_domain)
{
    g_autofree char *text = NULL;
    g_autoptr(GError) gerr = NULL;

    if (!g_file_get_contents(path, &text, NULL, &gerr)) {
        error_report(VIR_FROM_NONE, VIR_ERR_SYSTEM_ERROR, "failed to read file '%s': %s",
                     path, gerr->message);
        return NULL;
    }
    return xml_parse(text, path, root, err_domain);
}

bool xml_is(xmlNodePtr node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

xmlNodePtr xml_next(xmlNodePtr node)
{
    for (node = node ? node->next : NULL; node; node = node->next)
        if (node->type == XML_ELEMENT_NODE)
            return node;
    return NULL;
}

xmlNodePtr xml_next_named(xmlNodePtr node, const char *name)
{
    for (node = xml_next(node); node; node = xml_next(node))
        if (xml_is(node, name))
            return node;
    return NULL;
}

xmlNodePtr xml_child(xmlNodePtr node, const char *name)
{
    if (!node)
        return NULL;
    for (xmlNodePtr c = node->children; c; c = c->next)
        if (xml_is(c, name))
            return c;
    return NULL;
}

char *xml_prop(xmlNodePtr node, const char *name)
{
    xmlChar *v;
    char *ret;

    if (!node)
        return NULL;
    v = xmlGetNoNsProp(node, (const xmlChar *)name);
    if (!v)
        return NULL;
    ret = g_strdup((const char *)v);
    xmlFree(v);
    return ret;
}

char *xml_text(xmlNodePtr node)
{
    xmlChar *v;
    char *ret;

    if (!node)
        return NULL;
    v = xmlNodeGetContent(node);
    ret = g_strdup(v ? (const char *)v : "");
    xmlFree(v);
    return ret;
}

char *xml_child_text(xmlNodePtr node, const char *name)
{
    return xml_text(xml_child(node, name));
}

int xml_prop_enum(xmlNodePtr node, const char *attr, int (*from_string)(const char *), int *ret)
{
    g_autofree char *v = xml_prop(node, attr);
    int val;

    if (!v)
        return 0;
    val = from_string(v);
    if (val < 0) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                     "Invalid value for attribute '%s' in element '%s': '%s'.", attr,
                     (const char *)node->name, v);
        return -1;
    }
    *ret = val;
    return 1;
}

int xml_prop_enum_nonzero(xmlNodePtr node, const char *attr, int (*from_string)(const char *),
                          int *ret)
{
    int val = 0;
    int rc = xml_prop_enum(node, attr, from_string, &val);

    if (rc == 1 && val == 0) {
        g_autofree char *v = xml_prop(node, attr);
        error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                     "Invalid value for attribute '%s' in element '%s': '%s'.", attr,
                     (const char *)node->name, v);
        return -1;
    }
    if (rc == 1)
        *ret = val;
    return rc;
}

char *xml_prop_required(xmlNodePtr node, const char *attr)
{
    char *v = xml_prop(node, attr);

    if (!v)
        error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                     "Missing required attribute '%s' in element '%s'", attr,
                     (const char *)node->name);
    return v;
}

int xml_prop_uint(xmlNodePtr node, const char *attr, bool required, unsigned int *ret)
{
    g_autofree char *v = required ? xml_prop_required(node, attr) : xml_prop(node, attr);
    unsigned int val;

    if (!v)
        return required ? -1 : 0;
    if (!parse_uint(v, &val)) {
        error_report(VIR_FROM_XML, VIR_ERR_XML_ERROR,
                     "Invalid value for attribute '%s' in element '%s': '%s'. "
                     "Expected non-negative integer value", attr, (const char *)node->name, v);
        return -1;
    }
    *ret = val;
    return 1;
}

static void format_name(buf *b, xmlNodePtr node)
{
    if (node->ns && node->ns->prefix)
        buf_addf(b, "%s:%s", (const char *)node->ns->prefix, (const char *)node->name);
    else
        buf_add(b, (const char *)node->name);
}

static bool has_element_children(xmlNodePtr node)
{
    for (xmlNodePtr c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return true;
    return false;
}

void xml_format_node(buf *b, xmlNodePtr node)
{
    buf_add(b, "<");
    format_name(b, node);
    for (xmlNsPtr ns = node->nsDef; ns; ns = ns->next) {
        if (ns->prefix)
            buf_escapef(b, " xmlns:%s='%s'", (const char *)ns->prefix, (const char *)ns->href);
        else
            buf_escapef(b, " xmlns='%s'", (const char *)ns->href);
    }
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        xmlChar *v = xmlNodeListGetString(node->doc, a->children, 1);
        if (a->ns && a->ns->prefix)
            buf_escapef(b, " %s:%s='%s'", (const char *)a->ns->prefix, (const char *)a->name,
                        v ? (const char *)v : "");
        else
            buf_escapef(b, " %s='%s'", (const char *)a->name, v ? (const char *)v : "");
        xmlFree(v);
    }
    if (has_element_children(node)) {
        buf_add(b, ">\n");
        buf_adjust_indent(b, 2);
        for (xmlNodePtr c = node->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE)
                xml_format_node(b, c);
        buf_adjust_indent(b, -2);
    } else {
        g_autofree char *text = xml_text(node);
        int saved = b->indent;
        if (!*text) {
            buf_add(b, "/>\n");
            return;
        }
        /* text is written as it is: lines inside it are never indented */
        b->indent = 0;
        buf_escapef(b, ">%s</", text);
        format_name(b, node);
        buf_add(b, ">\n");
        b->indent = saved;
        return;
    }
    buf_add(b, "</");
    format_name(b, node);
    buf_add(b, ">\n");
}

bool parse_ull(const char *text, unsigned long long *ret)
{
    char *end;
    unsigned long long v;

    if (!text || !*text || *text == '-')
        return false;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno || *end)
        return false;
    *ret = v;
    return true;
}

bool parse_ll(const char *text, long long *ret)
{
    char *end;
    long long v;

    if (!text || !*text)
        return false;
    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno || *end)
        return false;
    *ret = v;
    return true;
}

bool parse_uint(const char *text, unsigned int *ret)
{
    unsigned long long v;

    if (!parse_ull(text, &v) || v > G_MAXUINT)
        return false;
    *ret = (unsigned int)v;
    return true;
}

bool parse_int(const char *text, int *ret)
{
    long long v;

    if (!parse_ll(text, &v) || v < G_MININT || v > G_MAXINT)
        return false;
    *ret = (int)v;
    return true;
}
