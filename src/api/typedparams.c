/* Typed parameter arrays (job statistics, event details): lookup, build, free. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "api/api.h"
#include "util/typedparam.h"

#define FROM VIR_FROM_NONE

/* The parameter called name, checked to have type; NULL with no error when
 * absent; NULL with an error on a type mismatch (*bad set). */
static virTypedParameterPtr find(virTypedParameterPtr params, int nparams, const char *name,
                                 int type, bool *bad)
{
    *bad = false;
    for (int i = 0; params && i < nparams; i++) {
        if (strcmp(params[i].field, name) != 0)
            continue;
        if (params[i].type != type) {
            error_report(FROM, VIR_ERR_INVALID_ARG,
                         "Invalid type '%s' requested for parameter '%s', actual type is '%s'",
                         typed_param_type_name(type), name, typed_param_type_name(params[i].type));
            *bad = true;
            return NULL;
        }
        return &params[i];
    }
    return NULL;
}

virTypedParameterPtr virTypedParamsGet(virTypedParameterPtr params, int nparams, const char *name)
{
    error_reset();
    for (int i = 0; params && name && i < nparams; i++)
        if (strcmp(params[i].field, name) == 0)
            return &params[i];
    return NULL;
}

#define GETTER(fn, ctype, typecode, member) \
    int fn(virTypedParameterPtr params, int nparams, const char *name, ctype *value) \
    { \
        bool bad; \
        virTypedParameterPtr p; \
        error_reset(); \
        if (!name || !value) { \
            api_report_null(FROM, #fn, !name ? "name" : "value"); \
            api_dispatch_error(NULL); \
            return -1; \
        } \
        p = find(params, nparams, name, typecode, &bad); \
        if (bad) { \
            api_dispatch_error(NULL); \
            return -1; \
        } \
        if (!p) \
            return 0; \
        *value = p->value.member; \
        return 1; \
    }

GETTER(virTypedParamsGetInt, int, VIR_TYPED_PARAM_INT, i)
GETTER(virTypedParamsGetUInt, unsigned int, VIR_TYPED_PARAM_UINT, ui)
GETTER(virTypedParamsGetLLong, long long, VIR_TYPED_PARAM_LLONG, l)
GETTER(virTypedParamsGetULLong, unsigned long long, VIR_TYPED_PARAM_ULLONG, ul)
GETTER(virTypedParamsGetDouble, double, VIR_TYPED_PARAM_DOUBLE, d)
GETTER(virTypedParamsGetBoolean, int, VIR_TYPED_PARAM_BOOLEAN, b)
GETTER(virTypedParamsGetString, const char *, VIR_TYPED_PARAM_STRING, s)

/* Append an empty slot called name to *params, growing it as needed. */
static virTypedParameterPtr add(virTypedParameterPtr *params, int *nparams, int *maxparams,
                                const char *name, int type, const char *func)
{
    virTypedParameterPtr p;

    error_reset();
    if (!params || !nparams || !maxparams || !name) {
        api_report_null(FROM, func, !name ? "name" : "params");
        api_dispatch_error(NULL);
        return NULL;
    }
    if (strlen(name) >= VIR_TYPED_PARAM_FIELD_LENGTH) {
        error_report(FROM, VIR_ERR_INVALID_ARG, "Field name '%s' too long", name);
        api_dispatch_error(NULL);
        return NULL;
    }
    if (*nparams >= *maxparams) {
        int grow = *maxparams < 8 ? 8 : *maxparams;
        *params = g_renew(virTypedParameter, *params, (size_t)(*maxparams + grow));
        memset(*params + *maxparams, 0, sizeof(**params) * (size_t)grow);
        *maxparams += grow;
    }
    p = &(*params)[(*nparams)++];
    memset(p, 0, sizeof(*p));
    g_strlcpy(p->field, name, sizeof(p->field));
    p->type = type;
    return p;
}

#define ADDER(fn, ctype, typecode, member) \
    int fn(virTypedParameterPtr *params, int *nparams, int *maxparams, const char *name, \
           ctype value) \
    { \
        virTypedParameterPtr p = add(params, nparams, maxparams, name, typecode, #fn); \
        if (!p) \
            return -1; \
        p->value.member = value; \
        return 0; \
    }

ADDER(virTypedParamsAddInt, int, VIR_TYPED_PARAM_INT, i)
ADDER(virTypedParamsAddUInt, unsigned int, VIR_TYPED_PARAM_UINT, ui)
ADDER(virTypedParamsAddLLong, long long, VIR_TYPED_PARAM_LLONG, l)
ADDER(virTypedParamsAddULLong, unsigned long long, VIR_TYPED_PARAM_ULLONG, ul)
ADDER(virTypedParamsAddDouble, double, VIR_TYPED_PARAM_DOUBLE, d)

int virTypedParamsAddBoolean(virTypedParameterPtr *params, int *nparams, int *maxparams,
                             const char *name, int value)
{
    virTypedParameterPtr p = add(params, nparams, maxparams, name, VIR_TYPED_PARAM_BOOLEAN,
                                 __func__);
    if (!p)
        return -1;
    p->value.b = value ? 1 : 0;
    return 0;
}

int virTypedParamsAddString(virTypedParameterPtr *params, int *nparams, int *maxparams,
                            const char *name, const char *value)
{
    virTypedParameterPtr p = add(params, nparams, maxparams, name, VIR_TYPED_PARAM_STRING,
                                 __func__);
    if (!p)
        return -1;
    p->value.s = g_strdup(value);
    return 0;
}

int virTypedParamsAddStringList(virTypedParameterPtr *params, int *nparams, int *maxparams,
                                const char *name, const char **values)
{
    for (size_t i = 0; values && values[i]; i++)
        if (virTypedParamsAddString(params, nparams, maxparams, name, values[i]) < 0)
            return -1;
    return 0;
}

int virTypedParamsAddFromString(virTypedParameterPtr *params, int *nparams, int *maxparams,
                                const char *name, int type, const char *value)
{
    char *end = NULL;

    errno = 0;
    switch (type) {
    case VIR_TYPED_PARAM_INT: {
        long v = value ? strtol(value, &end, 10) : 0;
        if (value && !errno && !*end && v >= INT_MIN && v <= INT_MAX)
            return virTypedParamsAddInt(params, nparams, maxparams, name, (int)v);
        break;
    }
    case VIR_TYPED_PARAM_UINT: {
        unsigned long v = value ? strtoul(value, &end, 10) : 0;
        if (value && !errno && !*end && v <= UINT_MAX)
            return virTypedParamsAddUInt(params, nparams, maxparams, name, (unsigned int)v);
        break;
    }
    case VIR_TYPED_PARAM_LLONG: {
        long long v = value ? strtoll(value, &end, 10) : 0;
        if (value && !errno && !*end)
            return virTypedParamsAddLLong(params, nparams, maxparams, name, v);
        break;
    }
    case VIR_TYPED_PARAM_ULLONG: {
        unsigned long long v = value ? strtoull(value, &end, 10) : 0;
        if (value && !errno && !*end)
            return virTypedParamsAddULLong(params, nparams, maxparams, name, v);
        break;
    }
    case VIR_TYPED_PARAM_DOUBLE: {
        double v = value ? strtod(value, &end) : 0;
        if (value && !errno && !*end)
            return virTypedParamsAddDouble(params, nparams, maxparams, name, v);
        break;
    }
    case VIR_TYPED_PARAM_BOOLEAN:
        if (value && (g_ascii_strcasecmp(value, "true") == 0 || g_ascii_strcasecmp(value, "yes") == 0 ||
                      strcmp(value, "1") == 0))
            return virTypedParamsAddBoolean(params, nparams, maxparams, name, 1);
        if (value && (g_ascii_strcasecmp(value, "false") == 0 || g_ascii_strcasecmp(value, "no") == 0 ||
                      strcmp(value, "0") == 0))
            return virTypedParamsAddBoolean(params, nparams, maxparams, name, 0);
        break;
    case VIR_TYPED_PARAM_STRING:
        return virTypedParamsAddString(params, nparams, maxparams, name, value);
    default:
        error_reset();
        error_report(FROM, VIR_ERR_INTERNAL_ERROR, "unexpected type %d for field %s", type, name);
        api_dispatch_error(NULL);
        return -1;
    }
    error_reset();
    error_report(FROM, VIR_ERR_INVALID_ARG, "Invalid value for field '%s': expected %s", name,
                 typed_param_type_name(type));
    api_dispatch_error(NULL);
    return -1;
}

void virTypedParamsClear(virTypedParameterPtr params, int nparams)
{
    for (int i = 0; params && i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            g_free(params[i].value.s);
        params[i].value.s = NULL;
    }
}

void virTypedParamsFree(virTypedParameterPtr params, int nparams)
{
    typed_params_free(params, nparams);
}
