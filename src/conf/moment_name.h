/* Checking snapshot and checkpoint names before they are stored: names are not paths. */
#pragma once

#include <stdbool.h>

/* The longest name accepted, in bytes. */
#define MOMENT_NAME_MAX 255

/* Whether name may name a snapshot (err_domain VIR_FROM_DOMAIN_SNAPSHOT) or a
 * checkpoint (VIR_FROM_DOMAIN_CHECKPOINT). Refused with VIR_ERR_INVALID_ARG in
 * err_domain: NULL or empty names, names that are not UTF-8, longer than
 * MOMENT_NAME_MAX bytes, containing '/' or a control character, and "." and "..".
 * libvirt 9.0 accepts all of these except the empty name (virsh refuses it, and an
 * empty <name> counts as no name); a name accepted here is accepted by libvirt. */
bool moment_name_check(const char *name, int err_domain);
