/* The table printer of list commands: header, dashes, padded columns, escaped bytes. */
#include "vmsh-util.h"

#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

typedef struct {
    char **cells;   /* printable text */
    size_t *widths; /* display width of each cell */
} row;

struct vmsh_table {
    size_t ncols;
    GPtrArray *rows; /* row *; the first is the header */
};

/* "\xNN" for byte C, as virsh writes it: it formats a (signed) char, and a byte
 * above 0x7f, sign-extended, is cut down to "\xff". */
static void append_hex(GString *out, char c)
{
    if ((unsigned char)c > 0x7f)
        g_string_append(out, "\\xff");
    else
        g_string_append_printf(out, "\\x%02x", (unsigned char)c);
}

/* TEXT as virsh's tables show it, and its width on screen: control characters, a
 * backslash before "x", bytes that are no character of the locale and unprintable
 * characters are written \xNN. */
char *vmsh_table_safe_text(const char *text, size_t *ret_width)
{
    GString *out = g_string_sized_new(strlen(text) * 4 + 1);
    const char *p = text;
    mbstate_t st;
    size_t width = 0;

    memset(&st, 0, sizeof(st));
    while (*p) {
        wchar_t wc;
        size_t len;

        if ((*p == '\\' && p[1] == 'x') || g_ascii_iscntrl(*p)) {
            append_hex(out, *p++);
            width += 4;
            continue;
        }
        len = mbrtowc(&wc, p, MB_CUR_MAX, &st);
        if (len == 0)
            break;
        if (len == (size_t)-1 || len == (size_t)-2) {
            /* not a character of this locale: maybe a printable byte */
            len = 1;
            if (g_ascii_isprint(*p)) {
                g_string_append_c(out, *p);
                width++;
            } else {
                append_hex(out, *p);
                width += 4;
            }
        } else if (!iswprint((wint_t)wc)) {
            for (size_t i = 0; i < len; i++)
                append_hex(out, p[i]);
            width += 4 * len;
        } else {
            g_string_append_len(out, p, (gssize)len);
            width += g_unichar_iszerowidth((gunichar)wc) ? 0
                     : g_unichar_iswide((gunichar)wc) ? 2 : 1;
        }
        p += len;
    }
    *ret_width = width;
    return g_string_free(out, FALSE);
}

static void row_free(gpointer data)
{
    row *r = data;

    g_strfreev(r->cells);
    g_free(r->widths);
    g_free(r);
}

/* A row from NCOLS cells; a NULL cell prints as empty. */
static row *row_new(size_t ncols, const char *const *cells)
{
    row *r = g_new0(row, 1);

    r->cells = g_new0(char *, ncols + 1);
    r->widths = g_new0(size_t, ncols);
    for (size_t i = 0; i < ncols; i++)
        r->cells[i] = vmsh_table_safe_text(cells[i] ? cells[i] : "", &r->widths[i]);
    return r;
}

static GPtrArray *collect(const char *first, va_list ap)
{
    GPtrArray *cells = g_ptr_array_new();

    for (const char *c = first; c; c = va_arg(ap, const char *))
        g_ptr_array_add(cells, (gpointer)c);
    return cells;
}

/* A table with these column titles (NULL-terminated). */
vmsh_table *vmsh_table_new(const char *header, ...)
{
    vmsh_table *table = g_new0(vmsh_table, 1);
    va_list ap;

    va_start(ap, header);
    g_autoptr(GPtrArray) cells = collect(header, ap);
    va_end(ap);
    table->ncols = cells->len;
    table->rows = g_ptr_array_new_with_free_func(row_free);
    g_ptr_array_add(table->rows, row_new(table->ncols, (const char *const *)cells->pdata));
    return table;
}

/* A row of exactly as many cells as the table has columns. */
void vmsh_table_add_row(vmsh_table *table, const char *const *cells)
{
    g_ptr_array_add(table->rows, row_new(table->ncols, cells));
}

/* The same, cells given as arguments (NULL-terminated, so no cell may be NULL). */
void vmsh_table_add(vmsh_table *table, const char *cell, ...)
{
    va_list ap;

    va_start(ap, cell);
    g_autoptr(GPtrArray) cells = collect(cell, ap);
    va_end(ap);
    assert(cells->len == table->ncols);
    vmsh_table_add_row(table, (const char *const *)cells->pdata);
}

static void format_row(GString *out, const row *r, const size_t *widths, size_t ncols)
{
    for (size_t i = 0; i < ncols; i++) {
        g_string_append_printf(out, " %s", r->cells[i]);
        if (i + 1 < ncols) {
            for (size_t j = r->widths[i]; j < widths[i] + 2; j++)
                g_string_append_c(out, ' ');
        }
    }
    g_string_append_c(out, '\n');
}

/* The table as text; without the header the widths come from the data rows only. */
char *vmsh_table_format(const vmsh_table *table, bool header)
{
    g_autofree size_t *widths = g_new0(size_t, table->ncols);
    GString *out = g_string_new(NULL);
    size_t first = header ? 0 : 1;

    for (size_t r = first; r < table->rows->len; r++) {
        const row *rw = g_ptr_array_index(table->rows, r);
        for (size_t i = 0; i < table->ncols; i++)
            widths[i] = MAX(widths[i], rw->widths[i]);
    }
    if (header) {
        format_row(out, g_ptr_array_index(table->rows, 0), widths, table->ncols);
        for (size_t i = 0; i < table->ncols; i++) {
            for (size_t j = 0; j < widths[i] + 3; j++)
                g_string_append_c(out, '-');
        }
        g_string_append_c(out, '\n');
    }
    for (size_t r = 1; r < table->rows->len; r++)
        format_row(out, g_ptr_array_index(table->rows, r), widths, table->ncols);
    return g_string_free(out, FALSE);
}

/* Prints the table; a quiet shell leaves out the header and the dashes. */
void vmsh_table_print(vmsh_table *table, vmsh_ctl *ctl)
{
    g_autofree char *text = vmsh_table_format(table, ctl ? !ctl->quiet : true);

    vmsh_print(ctl, "%s", text);
}

void vmsh_table_free(vmsh_table *table)
{
    if (!table)
        return;
    g_ptr_array_unref(table->rows);
    g_free(table);
}
