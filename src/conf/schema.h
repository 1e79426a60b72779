/* Validating XML documents against libvirt's RelaxNG schemas, each parsed once. */
#pragma once

#include <stdbool.h>
#include <libxml/tree.h>

/* Where the schemas are read from: $VIRTMOMENT_SCHEMA_DIR when set, otherwise
 * /usr/share/libvirt/schemas (installed by Debian's libvirt0 package). */
const char *schema_dir(void);

/* Validate doc against the schema file name ("domainsnapshot.rng") in schema_dir().
 * Invalid documents give libvirt's error: VIR_ERR_XML_INVALID_SCHEMA in VIR_FROM_XML,
 * "XML document failed to validate against schema: Unable to validate doc against
 * PATH\n" followed by libxml2's messages, one a line. A schema that cannot be read or
 * parsed gives VIR_ERR_INTERNAL_ERROR in VIR_FROM_XML naming the file and the reason.
 * The parsed schemas are cached for the life of the process; thread-safe. */
bool schema_validate(xmlDocPtr doc, const char *name);
