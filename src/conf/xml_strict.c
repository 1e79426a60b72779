/* Strict checks that reject exactly what a libvirt RelaxNG schema rejects, for hand-written parsers. */
#include "conf/xml_strict.h"

#include <string.h>
#include "util/error.h"

void strict_error(const char *schema, xmlNodePtr node, const char *fmt, ...)
{
    g_autofree char *problem = NULL;
    va_list ap;

    va_start(ap, fmt);
    problem = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_report(VIR_FROM_XML, VIR_ERR_XML_INVALID_SCHEMA, "%s: line %ld: element '%s': %s",
                 schema, node ? xmlGetLineNo(node) : 0L,
                 node && node->name ? (const char *)node->name : "?", problem);
}

bool strict_is(xmlNodePtr node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && !node->ns &&
           strcmp((const char *)node->name, name) == 0;
}

/* "name" or "prefix:name" for messages. */
static char *qualified(const xmlChar *name, xmlNsPtr ns)
{
    if (ns && ns->prefix)
        return g_strdup_printf("%s:%s", (const char *)ns->prefix, (const char *)name);
    if (ns)
        return g_strdup_printf("{%s}%s", (const char *)ns->href, (const char *)name);
    return g_strdup((const char *)name);
}

bool strict_attrs(const char *schema, xmlNodePtr node, const char *const *allowed)
{
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        bool ok = false;

        for (size_t i = 0; !a->ns && allowed && allowed[i]; i++)
            ok = ok || strcmp((const char *)a->name, allowed[i]) == 0;
        if (!ok) {
            g_autofree char *q = qualified(a->name, a->ns);
            strict_error(schema, node, "unexpected attribute '%s'", q);
            return false;
        }
    }
    return true;
}

static bool is_blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* Text-like children: their content (entities expanded), or NULL for others. */
static char *text_of(xmlNodePtr c)
{
    xmlChar *v;
    char *ret;

    if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE &&
        c->type != XML_ENTITY_REF_NODE)
        return NULL;
    v = xmlNodeGetContent(c);
    ret = g_strdup(v ? (const char *)v : "");
    xmlFree(v);
    return ret;
}

bool strict_children(const char *schema, xmlNodePtr node, const strict_child *spec, size_t nspec)
{
    g_autofree unsigned int *count = g_new0(unsigned int, nspec ? nspec : 1);

    for (xmlNodePtr c = node->children; c; c = c->next) {
        size_t i;

        if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
            continue;
        if (c->type != XML_ELEMENT_NODE) {
            g_autofree char *text = text_of(c);

            if (c->type == XML_ENTITY_REF_NODE) {
                strict_error(schema, node, "entity reference '&%s;' in element content",
                             (const char *)c->name);
                return false;
            }
            if (text && is_blank(text))
                continue;
            strict_error(schema, node, "unexpected text '%s'", text ? g_strstrip(text) : "?");
            return false;
        }
        for (i = 0; i < nspec; i++)
            if (!c->ns && strcmp((const char *)c->name, spec[i].name) == 0)
                break;
        if (i == nspec) {
            g_autofree char *q = qualified(c->name, c->ns);
            strict_error(schema, node, "unexpected element '%s'", q);
            return false;
        }
        if (++count[i] > spec[i].max) {
            if (spec[i].max == 0)
                strict_error(schema, node, "unexpected element '%s'", spec[i].name);
            else
                strict_error(schema, node, "element '%s' may appear only %u time%s",
                             spec[i].name, spec[i].max, spec[i].max == 1 ? "" : "s");
            return false;
        }
    }
    for (size_t i = 0; i < nspec; i++) {
        if (count[i] < spec[i].min) {
            strict_error(schema, node, "missing element '%s'", spec[i].name);
            return false;
        }
    }
    return true;
}

bool strict_text(const char *schema, xmlNodePtr node, char **ret_text)
{
    GString *s = g_string_new(NULL);

    for (xmlNodePtr c = node->children; c; c = c->next) {
        g_autofree char *text = NULL;

        if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
            continue;
        if (!(text = text_of(c))) {
            strict_error(schema, node, "unexpected element '%s' in text",
                         c->name ? (const char *)c->name : "?");
            g_string_free(s, TRUE);
            return false;
        }
        g_string_append(s, text);
    }
    if (ret_text)
        *ret_text = g_string_free(s, FALSE);
    else
        g_string_free(s, TRUE);
    return true;
}

char *strict_prop(xmlNodePtr node, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)name);
    char *ret;

    if (!v)
        return NULL;
    ret = g_strdup((const char *)v);
    xmlFree(v);
    return ret;
}

char *strict_token(const char *value)
{
    GString *s = g_string_new(NULL);
    bool pending = false;

    for (const char *p = value ? value : ""; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            pending = s->len > 0;
            continue;
        }
        if (pending)
            g_string_append_c(s, ' ');
        pending = false;
        g_string_append_c(s, *p);
    }
    return g_string_free(s, FALSE);
}

bool strict_token_is(const char *value, const char *token)
{
    g_autofree char *t = strict_token(value);

    return value && strcmp(t, token) == 0;
}

#define IPV4_OCTET "((25[0-5])|(2[0-4][0-9])|(1[0-9]{2})|([1-9][0-9])|([0-9]))"
#define IPV4 "(" IPV4_OCTET "\\.){3}" IPV4_OCTET
#define H4 "[0-9A-Fa-f]{1,4}"

/* The patterns of basictypes.rng, domaincommon.rng and domaincheckpoint.rng. XSD
 * '.' is any character but newline and carriage return. */
static const char *const patterns[STRICT_PATTERN_LAST] = {
    [STRICT_PATTERN_CHECKPOINT_NAME] = "[a-zA-Z0-9_\\-][a-zA-Z0-9_\\-.]*",
    [STRICT_PATTERN_DISK_TARGET] = "(ioemu:)?(fd|hd|sd|vd|xvd|ubd)[a-zA-Z0-9_]+",
    [STRICT_PATTERN_ABS_FILE_PATH] = "(/|[a-zA-Z]:\\\\)[^\\n\\r]+",
    [STRICT_PATTERN_DNS_NAME] = "[a-zA-Z0-9\\.\\-]+",
    [STRICT_PATTERN_IPV4] = IPV4,
    [STRICT_PATTERN_IPV6] =
        "((" H4 ":){7}" H4 ")|((" H4 ":){6}:" H4 ")|((" H4 ":){5}:(" H4 ":)?" H4 ")|"
        "((" H4 ":){4}:(" H4 ":){0,2}" H4 ")|((" H4 ":){3}:(" H4 ":){0,3}" H4 ")|"
        "((" H4 ":){2}:(" H4 ":){0,4}" H4 ")|((" H4 ":){6}" IPV4 ")|"
        "((" H4 ":){0,5}:" IPV4 ")|(::(" H4 ":){0,5}" IPV4 ")|"
        "(" H4 "::(" H4 ":){0,5}" H4 ")|(::(" H4 ":){0,6}" H4 ")|((" H4 ":){1,7}:)|(::)",
    [STRICT_PATTERN_UUID] =
        "([a-fA-F0-9]{32})|([a-fA-F0-9]{8}\\-([a-fA-F0-9]{4}\\-){3}[a-fA-F0-9]{12})",
};

static GRegex *compiled(strict_pattern pattern)
{
    static gsize ready[STRICT_PATTERN_LAST];
    static GRegex *regex[STRICT_PATTERN_LAST];

    if (g_once_init_enter(&ready[pattern])) {
        g_autofree char *anchored = g_strdup_printf("\\A(?:%s)\\z", patterns[pattern]);
        regex[pattern] = g_regex_new(anchored, G_REGEX_OPTIMIZE, 0, NULL);
        g_assert(regex[pattern]);
        g_once_init_leave(&ready[pattern], 1);
    }
    return regex[pattern];
}

bool strict_matches(strict_pattern pattern, const char *value)
{
    g_assert(pattern >= 0 && pattern < STRICT_PATTERN_LAST);
    if (!value || !g_utf8_validate(value, -1, NULL))
        return false;
    return g_regex_match(compiled(pattern), value, 0, NULL);
}

bool strict_unsigned(const char *value, unsigned long long max, unsigned long long *ret)
{
    unsigned long long v = 0;

    if (!value || !*value)
        return false;
    for (const char *p = value; *p; p++) {
        unsigned int digit;

        if (*p < '0' || *p > '9')
            return false;
        digit = (unsigned int)(*p - '0');
        if (digit > max || v > (max - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    if (ret)
        *ret = v;
    return true;
}
