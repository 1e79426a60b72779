/* XML the model does not interpret, kept and written back unchanged in libvirt's order. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <libxml/tree.h>
#include "util/buf.h"

/* libvirt's order of the attributes and of the child elements of one element.
 * Both lists are NULL-terminated; a name absent from a list sorts after all others. */
typedef struct {
    const char *const *attrs;
    const char *const *children;
} xml_order;

typedef struct {
    char *name;     /* as written, with its prefix: "slots", "xsi:type" */
    char *value;
    int rank;
} xml_extra_attr;

typedef struct {
    xmlNodePtr node;    /* a private deep copy, owned */
    int rank;
} xml_extra_node;

/* The unmodelled attributes and child elements of one element, sorted by rank
 * (input order among equals). The nodes are copies that do not depend on the parsed
 * document. A copy keeps the namespace declarations it carried itself; those it
 * needed from an ancestor are parked in held_ns (still referenced by the copy, never
 * printed on it) because that ancestor is written with them: xml_extra_collect keeps
 * the declarations of modelled elements as "xmlns:p" attributes. */
typedef struct {
    xml_extra_attr *attrs;
    size_t nattrs;
    xml_extra_node *nodes;
    size_t nnodes;
    xmlNsPtr held_ns;
} xml_extra;

/* Names the model interprets itself; NULL-terminated. */
typedef const char *const xml_names[];

/* Keep the attributes of node not in skip_attrs and its element children not in
 * skip_children (either list may be NULL). Children in namespace skip_ns (an href,
 * may be NULL) are left out too. Appends to x. */
void xml_extra_collect(xml_extra *x, xmlNodePtr node, const xml_order *order,
                       const char *const *skip_attrs, const char *const *skip_children,
                       const char *skip_ns);

/* Keep one element (a deep copy) as a child extra of x. */
void xml_extra_add_node(xml_extra *x, xmlNodePtr node, const xml_order *order);
/* Keep or replace one attribute. */
void xml_extra_set_attr(xml_extra *x, const char *name, const char *value, const xml_order *order);
/* Value of a kept attribute, or NULL. */
const char *xml_extra_get_attr(const xml_extra *x, const char *name);
/* Forget a kept attribute; true if there was one. */
bool xml_extra_remove_attr(xml_extra *x, const char *name);
/* Forget the first kept child element called name; true if there was one. */
bool xml_extra_remove_node(xml_extra *x, const char *name);
/* First kept child element called name, or NULL. */
xmlNodePtr xml_extra_find_node(const xml_extra *x, const char *name);

bool xml_extra_is_empty(const xml_extra *x);
void xml_extra_clear(xml_extra *x);
void xml_extra_copy(xml_extra *to, const xml_extra *from);

/* Writing: a cursor walks the sorted extras while the caller writes its modelled
 * attributes and children in libvirt's order. */
typedef struct {
    const xml_extra *x;
    const xml_order *order;
    size_t attr_pos;
    size_t node_pos;
} xml_extra_cursor;

xml_extra_cursor xml_extra_cursor_init(const xml_extra *x, const xml_order *order);
/* Write the kept attributes (" name='value'") ranked before name into attrs; with
 * name NULL, all that remain. */
void xml_extra_attrs_before(xml_extra_cursor *c, buf *attrs, const char *name);
/* Write the kept children ranked before name into b (at its indentation); with name
 * NULL, all that remain. Children with name's own rank come after it: call this
 * again with the next name. */
void xml_extra_children_before(xml_extra_cursor *c, buf *b, const char *name);
/* As children_before, but including the children that have name's rank. */
void xml_extra_children_through(xml_extra_cursor *c, buf *b, const char *name);

/* Rank of name in list (position; the list length when absent). */
int xml_rank(const char *const *list, const char *name);
