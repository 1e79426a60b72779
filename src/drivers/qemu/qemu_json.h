/* json-c helpers shared by the QEMU driver: cleanup, tolerant member access and
 * parsing that allows QEMU's deep nesting. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>
#include <json-c/json.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_object, json_object_put)

/* json-c's default depth limit (32) is too small for QEMU's replies: a backing
 * chain nests two levels per layer in query-named-block-nodes. */
#define QEMU_JSON_MAX_DEPTH 1024

/* Parse exactly len bytes (-1: up to the NUL) as one JSON value; NULL when that is
 * not valid JSON. No error is reported. */
json_object *qemu_json_parse(const char *text, int len);

/* obj[key] (borrowed), or NULL when obj is not an object or lacks key. */
json_object *qemu_json_get(json_object *obj, const char *key);
/* obj[key] as a string when it is one, else NULL. */
const char *qemu_json_get_string(json_object *obj, const char *key);
/* obj[key] as an unsigned number / boolean; 0 / false when absent. */
unsigned long long qemu_json_get_u64(json_object *obj, const char *key);
bool qemu_json_get_bool(json_object *obj, const char *key);
/* Elements of obj when it is an array, else 0. */
size_t qemu_json_array_len(json_object *obj);
