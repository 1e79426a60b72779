/* Building and freeing typed parameter arrays (job statistics, event details). */
#pragma once

#include <libvirt/libvirt.h>

/* A growable list; params/nparams are what gets handed out. */
typedef struct {
    virTypedParameterPtr params;
    int nparams;
    int maxparams;
} typed_params;

/* Append one parameter; names longer than VIR_TYPED_PARAM_FIELD_LENGTH - 1 are a
 * programming error. */
void typed_params_add_int(typed_params *tp, const char *name, int value);
void typed_params_add_uint(typed_params *tp, const char *name, unsigned int value);
void typed_params_add_llong(typed_params *tp, const char *name, long long value);
void typed_params_add_ullong(typed_params *tp, const char *name, unsigned long long value);
void typed_params_add_double(typed_params *tp, const char *name, double value);
void typed_params_add_boolean(typed_params *tp, const char *name, bool value);
void typed_params_add_string(typed_params *tp, const char *name, const char *value);

/* A deep copy of params. */
virTypedParameterPtr typed_params_copy(const virTypedParameter *params, int nparams);
void typed_params_free(virTypedParameterPtr params, int nparams);

const char *typed_param_type_name(int type);
