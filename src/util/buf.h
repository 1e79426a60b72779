/* A growing text buffer with automatic indentation and libvirt's XML escaping. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

typedef struct {
    char *data;     /* NUL-terminated; NULL until something is added */
    size_t len;
    size_t cap;
    int indent;     /* spaces put at the start of each new line */
} buf;

#define BUF_INIT { NULL, 0, 0, 0 }

/* Append formatted text; every line start gets the current indentation. */
void buf_addf(buf *b, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void buf_add(buf *b, const char *text);
/* Append text as it is, without indenting its lines. */
void buf_add_raw(buf *b, const char *text);
/* Append formatted text with every %s argument XML-escaped (quotes included).
 * Besides %s only integer conversions (d, u, x with l or ll) and %% are allowed. */
void buf_escapef(buf *b, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void buf_adjust_indent(buf *b, int delta);
void buf_set_indent(buf *b, int indent);

/* Make room for n more bytes at once (a size known ahead saves the regrowth). */
void buf_reserve(buf *b, size_t n);
bool buf_is_empty(const buf *b);
const char *buf_peek(const buf *b);          /* "" when empty */
char *buf_steal(buf *b);                     /* "" when empty; the buffer is reset */
void buf_clear(buf *b);

/* <name ATTRS/> or <name ATTRS>\n CHILDREN </name>\n; nothing when both are empty.
 * childbuf must have been written with indentation (its indent + 2 relative to b).
 * Both buffers are cleared. */
void buf_element(buf *b, const char *name, buf *attrs, buf *children);

/* XML-escape text the way libvirt does: & < > " ' become entities and control
 * characters other than tab, newline and carriage return are dropped. */
char *xml_escape(const char *text);

static inline void buf_cleanup(buf *b) { buf_clear(b); }
#define g_auto_buf __attribute__((cleanup(buf_cleanup))) buf
