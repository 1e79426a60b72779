/* Building and freeing typed parameter arrays (job statistics, event details). */
#include <stdbool.h>
#include <string.h>
#include <glib.h>
#include "util/typedparam.h"

static virTypedParameterPtr add(typed_params *tp, const char *name, int type)
{
    virTypedParameterPtr p;

    g_assert(strlen(name) < VIR_TYPED_PARAM_FIELD_LENGTH);
    if (tp->nparams >= tp->maxparams) {
        tp->maxparams = tp->maxparams ? tp->maxparams * 2 : 8;
        tp->params = g_renew(virTypedParameter, tp->params, (size_t)tp->maxparams);
    }
    p = &tp->params[tp->nparams++];
    memset(p, 0, sizeof(*p));
    g_strlcpy(p->field, name, sizeof(p->field));
    p->type = type;
    return p;
}

void typed_params_add_int(typed_params *tp, const char *name, int value)
{
    add(tp, name, VIR_TYPED_PARAM_INT)->value.i = value;
}

void typed_params_add_uint(typed_params *tp, const char *name, unsigned int value)
{
    add(tp, name, VIR_TYPED_PARAM_UINT)->value.ui = value;
}

void typed_params_add_llong(typed_params *tp, const char *name, long long value)
{
    add(tp, name, VIR_TYPED_PARAM_LLONG)->value.l = value;
}

void typed_params_add_ullong(typed_params *tp, const char *name, unsigned long long value)
{
    add(tp, name, VIR_TYPED_PARAM_ULLONG)->value.ul = value;
}

void typed_params_add_double(typed_params *tp, const char *name, double value)
{
    add(tp, name, VIR_TYPED_PARAM_DOUBLE)->value.d = value;
}

void typed_params_add_boolean(typed_params *tp, const char *name, bool value)
{
    add(tp, name, VIR_TYPED_PARAM_BOOLEAN)->value.b = value ? 1 : 0;
}

void typed_params_add_string(typed_params *tp, const char *name, const char *value)
{
    add(tp, name, VIR_TYPED_PARAM_STRING)->value.s = g_strdup(value);
}

virTypedParameterPtr typed_params_copy(const virTypedParameter *params, int nparams)
{
    virTypedParameterPtr copy = g_new0(virTypedParameter, nparams > 0 ? (size_t)nparams : 1);

    for (int i = 0; i < nparams; i++) {
        copy[i] = params[i];
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            copy[i].value.s = g_strdup(params[i].value.s);
    }
    return copy;
}

void typed_params_free(virTypedParameterPtr params, int nparams)
{
    for (int i = 0; params && i < nparams; i++)
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            g_free(params[i].value.s);
    g_free(params);
}

static const char *const type_names[] = {
    [VIR_TYPED_PARAM_INT] = "int",
    [VIR_TYPED_PARAM_UINT] = "uint",
    [VIR_TYPED_PARAM_LLONG] = "llong",
    [VIR_TYPED_PARAM_ULLONG] = "ullong",
    [VIR_TYPED_PARAM_DOUBLE] = "double",
    [VIR_TYPED_PARAM_BOOLEAN] = "boolean",
    [VIR_TYPED_PARAM_STRING] = "string",
};

const char *typed_param_type_name(int type)
{
    return type > 0 && type < (int)G_N_ELEMENTS(type_names) ? type_names[type] : "unknown";
}
