/* Reading XML safely (no network, no entities) and writing nodes canonically. */
#pragma once

#include <stdbool.h>
#include <libxml/tree.h>
#include "util/buf.h"

/* Parse text into a document whose root element must be called root (any root when
 * NULL). url names the text in error messages, e.g. "(domain_definition)".
 * Syntax errors are VIR_ERR_XML_DETAIL in err_domain with libxml2's message and the
 * offending line; a wrong root is VIR_ERR_XML_ERROR in VIR_FROM_XML. */
xmlDocPtr xml_parse(const char *text, const char *url, const char *root, int err_domain);

/* A parser for many documents in a row: one libxml2 context and one dictionary of
 * names for all of them, instead of setting both up for each. The documents it
 * returns are independent (each is freed alone, before or after the reader). */
typedef struct xml_reader xml_reader;
xml_reader *xml_reader_new(void);
void xml_reader_free(xml_reader *r);
/* As xml_parse. */
xmlDocPtr xml_reader_parse(xml_reader *r, const char *text, const char *url, const char *root,
                           int err_domain);

/* Same, for a file; a missing file is VIR_ERR_SYSTEM_ERROR. */
xmlDocPtr xml_parse_file(const char *path, const char *root, int err_domain);

/* First element child of node called name, or NULL. */
xmlNodePtr xml_child(xmlNodePtr node, const char *name);
/* Next element sibling (any name / called name). */
xmlNodePtr xml_next(xmlNodePtr node);
xmlNodePtr xml_next_named(xmlNodePtr node, const char *name);
bool xml_is(xmlNodePtr node, const char *name);

/* Attribute value (g_free it), or NULL when absent. */
char *xml_prop(xmlNodePtr node, const char *name);
/* Text content of node / of its first child called name, or NULL. */
char *xml_text(xmlNodePtr node);
char *xml_child_text(xmlNodePtr node, const char *name);

/* Convert attribute attr of node with from_string (an enum table lookup). Absent:
 * returns 0 and leaves *ret. Invalid: "Invalid value for attribute 'A' in element
 * 'E': 'V'." (VIR_ERR_XML_ERROR, VIR_FROM_XML), returns -1. Present: 1. */
int xml_prop_enum(xmlNodePtr node, const char *attr, int (*from_string)(const char *),
                  int *ret);

/* As xml_prop_enum, but the table's value 0 ("default", "none") is refused with the
 * same error, as libvirt's VIR_XML_PROP_NONZERO does. */
int xml_prop_enum_nonzero(xmlNodePtr node, const char *attr, int (*from_string)(const char *),
                          int *ret);

/* Attribute attr of node (g_free it), or NULL after reporting "Missing required
 * attribute 'A' in element 'E'" (VIR_ERR_XML_ERROR, VIR_FROM_XML). */
char *xml_prop_required(xmlNodePtr node, const char *attr);

/* Unsigned decimal attribute. Absent: 0 (or the missing-attribute error and -1 when
 * required). Invalid: "Invalid value for attribute 'A' in element 'E': 'V'. Expected
 * non-negative integer value" (VIR_ERR_XML_ERROR, VIR_FROM_XML), -1. Present: 1. */
int xml_prop_uint(xmlNodePtr node, const char *attr, bool required, unsigned int *ret);

/* Write node (an element and everything below it) in libvirt's layout: single
 * quotes, one element per line, 2-space indentation, comments dropped. */
void xml_format_node(buf *b, xmlNodePtr node);

/* Parse a number; false on junk, overflow or an empty string. */
bool parse_ull(const char *text, unsigned long long *ret);
bool parse_ll(const char *text, long long *ret);
bool parse_uint(const char *text, unsigned int *ret);
bool parse_int(const char *text, int *ret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(xml_reader, xml_reader_free)
