/* Strict checks that reject exactly what a libvirt RelaxNG schema rejects, for hand-written parsers. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>
#include <libxml/tree.h>

/* Problems are reported as VIR_ERR_XML_INVALID_SCHEMA in VIR_FROM_XML (as libvirt's
 * schema validation does), the message naming the schema, the line and the problem:
 * "XML document failed to validate against schema: domainbackup.rng: line 4:
 * element 'disk' lacks attribute 'name'". Every function returns false after
 * reporting, true when the node conforms. */

void strict_error(const char *schema, xmlNodePtr node, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* node is an element called name in no namespace. */
bool strict_is(xmlNodePtr node, const char *name);

/* Every attribute of node is in allowed (NULL-terminated) and in no namespace. */
bool strict_attrs(const char *schema, xmlNodePtr node, const char *const *allowed);

/* One allowed child element: it may appear between min and max times, in any
 * order (RelaxNG <interleave> of optional / oneOrMore / zeroOrMore patterns). */
typedef struct {
    const char *name;
    unsigned int min;
    unsigned int max;
} strict_child;

#define STRICT_MANY G_MAXUINT

/* node's children are elements listed in spec within their counts, whitespace,
 * comments and processing instructions. */
bool strict_children(const char *schema, xmlNodePtr node, const strict_child *spec, size_t nspec);

/* node holds only text (comments and processing instructions are skipped): its
 * concatenation is put in *ret_text when ret_text is not NULL. */
bool strict_text(const char *schema, xmlNodePtr node, char **ret_text);

/* The value of attribute name, or NULL (g_free it). */
char *strict_prop(xmlNodePtr node, const char *name);

/* RelaxNG <value> comparison (the built-in token type): value equals token once
 * leading and trailing whitespace is dropped and inner runs are collapsed. */
bool strict_token_is(const char *value, const char *token);
/* The collapsed form of value (g_free it). */
char *strict_token(const char *value);

/* The schema datatypes these parsers meet, patterns anchored at both ends. */
typedef enum {
    STRICT_PATTERN_CHECKPOINT_NAME,  /* checkpointName */
    STRICT_PATTERN_DISK_TARGET,      /* diskTargetDev */
    STRICT_PATTERN_ABS_FILE_PATH,    /* absFilePath */
    STRICT_PATTERN_DNS_NAME,         /* dnsName */
    STRICT_PATTERN_IPV4,             /* ipv4Addr */
    STRICT_PATTERN_IPV6,             /* ipv6Addr */
    STRICT_PATTERN_UUID,             /* UUID */
    STRICT_PATTERN_LAST
} strict_pattern;

bool strict_matches(strict_pattern pattern, const char *value);

/* XSD unsignedInt / unsignedLong restricted to [0-9]+ as basictypes.rng does: no
 * sign, no whitespace, value at most max. */
bool strict_unsigned(const char *value, unsigned long long max, unsigned long long *ret);
