/* json-c helpers shared by the QEMU driver. */
#include "drivers/qemu/qemu_json.h"

#include <string.h>

json_object *qemu_json_parse(const char *text, int len)
{
    json_tokener *tok = json_tokener_new_ex(QEMU_JSON_MAX_DEPTH);
    json_object *obj;

    if (!tok)
        return NULL;
    if (len < 0)
        len = (int)strlen(text);
    obj = json_tokener_parse_ex(tok, text, len);
    if (json_tokener_get_error(tok) != json_tokener_success ||
        json_tokener_get_parse_end(tok) != (size_t)len)
        g_clear_pointer(&obj, json_object_put);
    json_tokener_free(tok);
    return obj;
}

json_object *qemu_json_get(json_object *obj, const char *key)
{
    json_object *v = NULL;

    if (!obj || !json_object_is_type(obj, json_type_object))
        return NULL;
    return json_object_object_get_ex(obj, key, &v) ? v : NULL;
}

const char *qemu_json_get_string(json_object *obj, const char *key)
{
    json_object *v = qemu_json_get(obj, key);
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

unsigned long long qemu_json_get_u64(json_object *obj, const char *key)
{
    json_object *v = qemu_json_get(obj, key);
    return v ? (unsigned long long)json_object_get_uint64(v) : 0;
}

bool qemu_json_get_bool(json_object *obj, const char *key)
{
    json_object *v = qemu_json_get(obj, key);
    return v && json_object_get_boolean(v);
}

size_t qemu_json_array_len(json_object *obj)
{
    return obj && json_object_is_type(obj, json_type_array) ? json_object_array_length(obj) : 0;
}
