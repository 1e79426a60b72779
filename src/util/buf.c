/* A growing text buffer with automatic indentation and libvirt's XML escaping. */
#include "util/buf.h"

#include <string.h>

static GString *ensure(buf *b)
{
    if (!b->str)
        b->str = g_string_sized_new(256);
    return b->str;
}

void buf_add(buf *b, const char *text)
{
    GString *s = ensure(b);

    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) + 1 : strlen(text);

        if (b->indent > 0 && (s->len == 0 || s->str[s->len - 1] == '\n') && *text != '\n')
            for (int i = 0; i < b->indent; i++)
                g_string_append_c(s, ' ');
        g_string_append_len(s, text, len);
        text += len;
    }
}

void buf_addf(buf *b, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *text = NULL;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    buf_add(b, text);
}

char *xml_escape(const char *text)
{
    GString *s = g_string_sized_new(strlen(text) + 8);

    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        switch (*p) {
        case '&': g_string_append(s, "&amp;"); break;
        case '<': g_string_append(s, "&lt;"); break;
        case '>': g_string_append(s, "&gt;"); break;
        case '"': g_string_append(s, "&quot;"); break;
        case '\'': g_string_append(s, "&apos;"); break;
        case '\t': case '\n': case '\r': g_string_append_c(s, (char)*p); break;
        default:
            if (*p >= 0x20)
                g_string_append_c(s, (char)*p);
        }
    }
    return g_string_free(s, FALSE);
}

void buf_escapef(buf *b, const char *fmt, ...)
{
    /* Walk the format; escape each %s argument, pass other conversions through. */
    va_list ap;
    GString *out = g_string_new(NULL);
    const char *p = fmt;

    va_start(ap, fmt);
    while (*p) {
        if (p[0] == '%' && p[1] == 's') {
            g_autofree char *esc = xml_escape(va_arg(ap, const char *));
            g_string_append(out, esc);
            p += 2;
        } else if (p[0] == '%' && p[1] == '%') {
            g_string_append_c(out, '%');
            p += 2;
        } else if (p[0] == '%') {
            /* Integer conversions only: d, u, x with an optional l or ll. */
            int longs = 0;
            p++;
            while (*p == 'l') {
                longs++;
                p++;
            }
            g_assert(*p == 'd' || *p == 'u' || *p == 'x');
            if (longs >= 2) {
                long long v = va_arg(ap, long long);
                if (*p == 'd')
                    g_string_append_printf(out, "%lld", v);
                else
                    g_string_append_printf(out, *p == 'u' ? "%llu" : "%llx", (unsigned long long)v);
            } else if (longs == 1) {
                long v = va_arg(ap, long);
                if (*p == 'd')
                    g_string_append_printf(out, "%ld", v);
                else
                    g_string_append_printf(out, *p == 'u' ? "%lu" : "%lx", (unsigned long)v);
            } else {
                int v = va_arg(ap, int);
                if (*p == 'd')
                    g_string_append_printf(out, "%d", v);
                else
                    g_string_append_printf(out, *p == 'u' ? "%u" : "%x", (unsigned int)v);
            }
            p++;
        } else {
            g_string_append_c(out, *p++);
        }
    }
    va_end(ap);
    buf_add(b, out->str);
    g_string_free(out, TRUE);
}

void buf_adjust_indent(buf *b, int delta)
{
    b->indent += delta;
    if (b->indent < 0)
        b->indent = 0;
}

void buf_set_indent(buf *b, int indent)
{
    b->indent = indent < 0 ? 0 : indent;
}

bool buf_is_empty(const buf *b)
{
    return !b->str || b->str->len == 0;
}

const char *buf_peek(const buf *b)
{
    return b->str ? b->str->str : "";
}

char *buf_steal(buf *b)
{
    char *s = b->str ? g_string_free(b->str, FALSE) : g_strdup("");
    b->str = NULL;
    return s;
}

void buf_clear(buf *b)
{
    if (b->str)
        g_string_free(b->str, TRUE);
    b->str = NULL;
}

void buf_element(buf *b, const char *name, buf *attrs, buf *children)
{
    bool no_attrs = !attrs || buf_is_empty(attrs);
    bool no_children = !children || buf_is_empty(children);

    if (no_attrs && no_children)
        goto out;
    buf_addf(b, "<%s%s", name, no_attrs ? "" : buf_peek(attrs));
    if (no_children) {
        buf_add(b, "/>\n");
    } else {
        int saved = b->indent;
        buf_add(b, ">\n");
        b->indent = 0;      /* the children carry their own indentation */
        buf_add(b, buf_peek(children));
        b->indent = saved;
        buf_addf(b, "</%s>\n", name);
    }
out:
    if (attrs)
        buf_clear(attrs);
    if (children)
        buf_clear(children);
}
