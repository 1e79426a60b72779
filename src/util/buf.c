/* A growing text buffer with automatic indentation and libvirt's XML escaping. */
#include "util/buf.h"

#include <stdio.h>
#include <string.h>

/* Make room for n more bytes and the terminating NUL. */
static void reserve(buf *b, size_t n)
{
    if (b->len + n + 1 <= b->cap)
        return;
    b->cap = MAX(b->cap * 2, b->len + n + 1);
    b->cap = MAX(b->cap, 512);
    b->data = g_realloc(b->data, b->cap);
}

static void append(buf *b, const char *text, size_t n)
{
    reserve(b, n);
    memcpy(b->data + b->len, text, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void append_c(buf *b, char c)
{
    reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

static void truncate_to(buf *b, size_t len)
{
    b->len = len;
    if (b->data)
        b->data[len] = '\0';
}

static void add_indent(buf *b, int n)
{
    reserve(b, (size_t)n);
    memset(b->data + b->len, ' ', (size_t)n);
    b->len += (size_t)n;
    b->data[b->len] = '\0';
}

static bool at_line_start(const buf *b)
{
    return b->len == 0 || b->data[b->len - 1] == '\n';
}

/* Append len bytes of text, indenting each line that starts inside it. */
static void add_len(buf *b, const char *text, size_t len)
{
    const char *end = text + len;

    if (b->indent == 0) {
        append(b, text, len);
        return;
    }
    while (text < end) {
        const char *nl = memchr(text, '\n', (size_t)(end - text));
        size_t n = nl ? (size_t)(nl - text) + 1 : (size_t)(end - text);

        if (*text != '\n' && at_line_start(b))
            add_indent(b, b->indent);
        append(b, text, n);
        text += n;
    }
}

void buf_add(buf *b, const char *text)
{
    add_len(b, text, strlen(text));
}

void buf_add_raw(buf *b, const char *text)
{
    append(b, text, strlen(text));
}

/* Start printing straight into b: indent first if at a line start. Returns where the
 * printed text will begin; *ret_mark is where the indentation began. */
static size_t begin_append(buf *b, size_t *ret_mark)
{
    *ret_mark = b->len;
    if (b->indent > 0 && at_line_start(b))
        add_indent(b, b->indent);
    return b->len;
}

/* The text printed from start on must look as if added with buf_add: fine as it is
 * unless it is empty or has line breaks before its end (rare), which are redone. */
static void end_append(buf *b, size_t mark, size_t start)
{
    size_t len = b->len - start;
    const char *region = b->data ? b->data + start : NULL;
    const char *nl;

    if (b->indent == 0)
        return;
    nl = len ? memchr(region, '\n', len) : NULL;
    if (len == 0) {
        truncate_to(b, mark);
    } else if (region[0] == '\n' || (nl && nl != region + len - 1)) {
        g_autofree char *text = g_strndup(region, len);
        truncate_to(b, mark);
        add_len(b, text, len);
    }
}

static void escape_into(buf *b, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;

    while (*p) {
        const unsigned char *run = p;

        /* Copy the longest stretch that needs no escaping in one go. */
        while (*p >= 0x20 && *p != '&' && *p != '<' && *p != '>' && *p != '"' && *p != '\'')
            p++;
        append(b, (const char *)run, (size_t)(p - run));
        switch (*p) {
        case '\0': return;
        case '&': append(b, "&amp;", 5); break;
        case '<': append(b, "&lt;", 4); break;
        case '>': append(b, "&gt;", 4); break;
        case '"': append(b, "&quot;", 6); break;
        case '\'': append(b, "&apos;", 6); break;
        case '\t': case '\n': case '\r': append_c(b, (char)*p); break;
        default: break;    /* other control characters are dropped */
        }
        p++;
    }
}

char *xml_escape(const char *text)
{
    buf b = BUF_INIT;

    escape_into(&b, text);
    return buf_steal(&b);
}

/* Decimal or hex digits of v, written backwards ending at end; returns the start. */
static char *format_unsigned(char *end, unsigned long long v, unsigned int base)
{
    do {
        *--end = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    return end;
}

static void append_integer(buf *b, char conv, int longs, va_list *ap)
{
    char tmp[24], *end = tmp + sizeof(tmp), *start;
    unsigned long long v;
    bool negative = false;

    if (conv == 'd') {
        long long sv = longs >= 2 ? va_arg(*ap, long long)
                     : longs == 1 ? va_arg(*ap, long) : va_arg(*ap, int);
        negative = sv < 0;
        v = negative ? 0ULL - (unsigned long long)sv : (unsigned long long)sv;
    } else {
        v = longs >= 2 ? va_arg(*ap, unsigned long long)
          : longs == 1 ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
    }
    start = format_unsigned(end, v, conv == 'x' ? 16 : 10);
    if (negative)
        *--start = '-';
    append(b, start, (size_t)(end - start));
}

static void append_vprintf(buf *b, const char *fmt, va_list *ap)
{
    va_list copy;
    int n;

    va_copy(copy, *ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, *ap);
    b->len += (size_t)n;
}

/* Append fmt with its arguments, XML-escaping %s arguments when escape is set. The
 * common conversions (%s, %d, %u, %x with l or ll, %%) are done here without
 * allocating; a format with any other goes to vsnprintf whole. */
static void append_format(buf *b, bool escape, const char *fmt, va_list *ap)
{
    size_t start = b->len;
    const char *p = fmt;
    va_list orig;

    va_copy(orig, *ap);
    while (*p) {
        const char *pct = strchr(p, '%');
        int longs = 0;

        if (!pct) {
            append(b, p, strlen(p));
            break;
        }
        append(b, p, (size_t)(pct - p));
        p = pct + 1;
        if (*p == 's') {
            const char *arg = va_arg(*ap, const char *);
            if (escape)
                escape_into(b, arg);
            else
                append(b, arg, strlen(arg));
        } else if (*p == '%') {
            append_c(b, '%');
        } else {
            for (; *p == 'l'; p++)
                longs++;
            if (*p != 'd' && *p != 'u' && *p != 'x') {
                g_assert(!escape);    /* buf_escapef's formats must be simple */
                truncate_to(b, start);
                append_vprintf(b, fmt, &orig);
                break;
            }
            append_integer(b, *p, longs, ap);
        }
        p++;
    }
    va_end(orig);
}

void buf_addf(buf *b, const char *fmt, ...)
{
    size_t mark, start = begin_append(b, &mark);
    va_list ap;

    va_start(ap, fmt);
    append_format(b, false, fmt, &ap);
    va_end(ap);
    end_append(b, mark, start);
}

void buf_escapef(buf *b, const char *fmt, ...)
{
    size_t mark, start = begin_append(b, &mark);
    va_list ap;

    va_start(ap, fmt);
    append_format(b, true, fmt, &ap);
    va_end(ap);
    end_append(b, mark, start);
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

void buf_reserve(buf *b, size_t n)
{
    reserve(b, n);
}

bool buf_is_empty(const buf *b)
{
    return b->len == 0;
}

const char *buf_peek(const buf *b)
{
    return b->data ? b->data : "";
}

char *buf_steal(buf *b)
{
    char *s = b->data ? b->data : g_strdup("");

    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void buf_clear(buf *b)
{
    g_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void buf_element(buf *b, const char *name, buf *attrs, buf *children)
{
    bool no_attrs = !attrs || buf_is_empty(attrs);
    bool no_children = !children || buf_is_empty(children);

    if (no_attrs && no_children)
        goto out;
    buf_addf(b, "<%s%s", name, no_attrs ? "" : buf_peek(attrs));
    if (no_children) {
        append(b, "/>\n", 3);
    } else {
        append(b, ">\n", 2);
        append(b, children->data, children->len);  /* already indented */
        buf_addf(b, "</%s>\n", name);
    }
out:
    if (attrs)
        buf_clear(attrs);
    if (children)
        buf_clear(children);
}
