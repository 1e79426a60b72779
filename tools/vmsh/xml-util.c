/* XML for commands: parsing, XPath, --xpath/--wrap output, reading files, escaping. */
#include "vmsh-util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/xpathInternals.h>

#define MAX_XML_FILE (10 * 1024 * 1024)

/* The line the parser stopped in, and a pointer line under the failing column. */
static void report_parse_error(vmsh_ctl *ctl, xmlParserCtxtPtr pctxt, const char *url)
{
    const xmlError *err = xmlCtxtGetLastError(pctxt);
    g_autoptr(GString) context = g_string_new(NULL);
    g_autoptr(GString) pointer = g_string_new(NULL);

    if (!err || !err->message) {
        vmsh_set_error(ctl, "XML error: failed to parse xml document '%s'", url);
        return;
    }
    if (pctxt->input && pctxt->input->base) {
        const xmlChar *base = pctxt->input->base, *cur = pctxt->input->cur;
        while (cur > base && (*cur == '\n' || *cur == '\r'))
            cur--;
        while (cur > base && *cur != '\n' && *cur != '\r')
            cur--;
        if (*cur == '\n' || *cur == '\r')
            cur++;
        size_t col = (size_t)(pctxt->input->cur - cur);
        while (*cur && *cur != '\n' && *cur != '\r')
            g_string_append_c(context, (char)*cur++);
        for (size_t n = 0; n < col && n < context->len; n++)
            g_string_append_c(pointer, context->str[n] == '\t' ? '\t' : '-');
    }
    g_string_append_c(pointer, '^');
    vmsh_set_error(ctl, "XML error: %s:%d: %s%s\n%s", url, err->line, err->message,
                   context->str, pointer->str);
}

/* A document from XML text, blank text nodes left out so that it re-indents; with
 * ret_ctxt, an XPath context on its root element. NULL (error kept) on failure. */
xmlDocPtr vmsh_xml_parse(vmsh_ctl *ctl, const char *xml, const char *url,
                         xmlXPathContextPtr *ret_ctxt)
{
    xmlParserCtxtPtr pctxt = xmlNewParserCtxt();
    xmlDocPtr doc;

    if (!pctxt)
        g_error("out of memory");
    doc = xmlCtxtReadDoc(pctxt, (const xmlChar *)xml, url, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS |
                         XML_PARSE_NOERROR);
    if (!doc) {
        report_parse_error(ctl, pctxt, url);
        xmlFreeParserCtxt(pctxt);
        return NULL;
    }
    xmlFreeParserCtxt(pctxt);
    if (!xmlDocGetRootElement(doc)) {
        vmsh_set_error(ctl, "%s", "internal error: missing root element");
        xmlFreeDoc(doc);
        return NULL;
    }
    if (ret_ctxt) {
        *ret_ctxt = xmlXPathNewContext(doc);
        (*ret_ctxt)->node = xmlDocGetRootElement(doc);
    }
    return doc;
}

/* The nodes EXPR selects (a copy of the list in *ret_nodes, to g_free); 0 also for an
 * expression libxml2 can't evaluate, -1 (error kept) if the result isn't a node set. */
int vmsh_xpath_nodes(vmsh_ctl *ctl, xmlXPathContextPtr xpath, const char *expr,
                     xmlNodePtr **ret_nodes)
{
    xmlNodePtr relnode = xpath->node;
    g_autoptr(xmlXPathObject) obj = NULL;
    int n;

    if (ret_nodes)
        *ret_nodes = NULL;
    obj = xmlXPathEval((const xmlChar *)expr, xpath);
    xpath->node = relnode;
    if (!obj)
        return 0;
    if (obj->type != XPATH_NODESET) {
        vmsh_set_error(ctl, "internal error: Incorrect xpath '%s'", expr);
        return -1;
    }
    if (!obj->nodesetval || obj->nodesetval->nodeNr <= 0)
        return 0;
    n = obj->nodesetval->nodeNr;
    if (ret_nodes)
        *ret_nodes = g_memdup2(obj->nodesetval->nodeTab, sizeof(xmlNodePtr) * (size_t)n);
    return n;
}

/* The string value of EXPR (e.g. "string(./title[1])"), NULL if empty or not a string. */
char *vmsh_xpath_string(xmlXPathContextPtr xpath, const char *expr)
{
    xmlNodePtr relnode = xpath->node;
    g_autoptr(xmlXPathObject) obj = xmlXPathEval((const xmlChar *)expr, xpath);

    xpath->node = relnode;
    if (!obj || obj->type != XPATH_STRING || !obj->stringval || !obj->stringval[0])
        return NULL;
    return g_strdup((const char *)obj->stringval);
}

/* NODE serialised with indentation; NULL if that gives nothing. */
char *vmsh_xml_node_string(xmlDocPtr doc, xmlNodePtr node)
{
    xmlBufferPtr buf = xmlBufferCreate();
    char *text = NULL;

    if (xmlNodeDump(buf, doc, node, 0, 1) > 0)
        text = g_strdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    return text;
}

static bool print_node(vmsh_ctl *ctl, xmlDocPtr doc, xmlNodePtr node)
{
    g_autofree char *text = vmsh_xml_node_string(doc, node);

    if (!text) {
        vmsh_set_error(ctl, "%s", "internal error: failed to convert the XML node tree");
        return false;
    }
    vmsh_print(ctl, "%s\n", text);
    return true;
}

/* Prints XML as it is, or only what XPATH selects; WRAP puts the selection in one
 * <nodes> element. URL names the document in parse errors. */
bool vmsh_dump_xml(vmsh_ctl *ctl, const char *xml, const char *url, const char *xpath, bool wrap)
{
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autofree xmlNodePtr *nodes = NULL;
    int n;

    if (!xpath) {
        vmsh_print(ctl, "%s", xml);
        return true;
    }
    if (!(doc = vmsh_xml_parse(ctl, xml, url, &ctxt)))
        return false;
    /* libxml2 prints its own complaint about a bad expression, as it does for virsh;
     * whatever handlers the library installed are put back afterwards */
    xmlGenericErrorFunc generic = xmlGenericError;
    void *generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc structured = xmlStructuredError;
    void *structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, NULL);
    xmlSetStructuredErrorFunc(NULL, NULL);
    n = vmsh_xpath_nodes(ctl, ctxt, xpath, &nodes);
    xmlSetGenericErrorFunc(generic_ctx, generic);
    xmlSetStructuredErrorFunc(structured_ctx, structured);
    if (n < 0)
        return false;
    if (!wrap) {
        for (int i = 0; i < n; i++) {
            if (!print_node(ctl, doc, nodes[i]))
                return false;
        }
        return true;
    }
    g_autoptr(xmlDoc) newdoc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNodePtr root = xmlNewNode(NULL, (const xmlChar *)"nodes");
    xmlDocSetRootElement(newdoc, root);
    for (int i = 0; i < n; i++) {
        xmlNodePtr copy = xmlDocCopyNode(nodes[i], newdoc, 1);
        if (!copy || !xmlAddChild(root, copy)) {
            xmlFreeNode(copy);
            return false;
        }
    }
    return print_node(ctl, doc, root);
}

/* vmsh_dump_xml with the command's --xpath and --wrap options. */
bool vmsh_dump_xml_opts(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *xml, const char *url)
{
    const char *xpath = NULL;

    if (vmsh_opt_string_quiet(cmd, "xpath", &xpath) < 0)
        return false;
    return vmsh_dump_xml(ctl, xml, url, xpath, vmsh_opt_bool(cmd, "wrap"));
}

/* The XML of the file option NAME names (its path in *ret_path, if wanted), or
 * DEFAULT_XML without the option; false if unreadable (kept). */
bool vmsh_opt_xml_file(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *name,
                       const char *default_xml, const char **ret_path, char **ret_xml)
{
    const char *path = NULL;

    if (vmsh_opt_string_req(ctl, cmd, name, &path) < 0)
        return false;
    if (!path)
        *ret_xml = g_strdup(default_xml);
    else if (vmsh_read_file(ctl, path, ret_xml) < 0)
        return false;
    if (ret_path)
        *ret_path = path;
    return true;
}

/* The whole of a (reasonably small) file; -1 with the error kept for the report. */
int vmsh_read_file(vmsh_ctl *ctl, const char *path, char **ret_text)
{
    g_autoptr(GString) text = g_string_new(NULL);
    char chunk[65536];
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        vmsh_set_error(ctl, "Failed to open file '%s': %s", path, g_strerror(errno));
        return -1;
    }
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            close(fd);
            vmsh_set_error(ctl, "Failed to read file '%s': %s", path, g_strerror(err));
            return -1;
        }
        if (n == 0)
            break;
        g_string_append_len(text, chunk, n);
        if (text->len > MAX_XML_FILE) {
            close(fd);
            vmsh_set_error(ctl, "Failed to read file '%s': %s", path, g_strerror(EOVERFLOW));
            return -1;
        }
    }
    close(fd);
    int len = (int)text->len;
    *ret_text = g_string_free(g_steal_pointer(&text), FALSE);
    return len;
}

/* TEXT with &, <, >, ' and " written as XML entities and control characters other
 * than tab, newline and carriage return left out. */
char *vmsh_xml_escape(const char *text)
{
    GString *out = g_string_new(NULL);

    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '\'': g_string_append(out, "&apos;"); break;
        case '"': g_string_append(out, "&quot;"); break;
        default:
            if ((unsigned char)*p >= 0x20 || *p == '\n' || *p == '\t' || *p == '\r')
                g_string_append_c(out, *p);
            break;
        }
    }
    return g_string_free(out, FALSE);
}
