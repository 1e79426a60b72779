/* UUIDs: generate, parse the usual textual forms, format. */
#pragma once

#include <stdbool.h>

#define UUID_LEN 16
#define UUID_STRING_LEN 37

void uuid_generate(unsigned char ret_uuid[UUID_LEN]);
/* Accepts 32 hex digits with or without dashes (libvirt accepts dashes or spaces
 * between bytes); false when text is not a UUID. */
bool uuid_parse(const char *text, unsigned char ret_uuid[UUID_LEN]);
/* GHashTable functions for keys that point at UUID_LEN bytes. */
unsigned int uuid_hash(const void *key);
int uuid_equal(const void *a, const void *b);

void uuid_format(const unsigned char uuid[UUID_LEN], char ret_text[UUID_STRING_LEN]);
