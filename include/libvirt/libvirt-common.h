/* libvirt-common.h: version macros, attribute helpers and typed parameters shared by every API header. */

#ifndef __VIR_VIRCOMMON_H__
#define __VIR_VIRCOMMON_H__

#if !defined __VIR_LIBVIRT_H_INCLUDES__ && !defined __VIR_ADMIN_H_INCLUDES__
#error "Don't include this file directly, only use libvirt/libvirt.h"
#endif

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks a declaration whose use should warn; applications may predefine it to silence that. */
#ifndef VIR_DEPRECATED
#if defined __GNUC__ && (__GNUC__ > 3 || (__GNUC__ == 3 && __GNUC_MINOR__ >= 1))
#define VIR_DEPRECATED __attribute__((__deprecated__))
#else
#define VIR_DEPRECATED
#endif
#endif

/* Storage class of the few exported variables. */
#ifndef VIR_EXPORT_VAR
#define VIR_EXPORT_VAR extern
#endif

/* The libvirt API level these headers match: major * 1000000 + minor * 1000 + micro. */
#define LIBVIR_VERSION_NUMBER 9000000

/* True when the headers provide at least version major.minor.micro. */
#define LIBVIR_CHECK_VERSION(major, minor, micro) \
    ((major) * 1000000 + (minor) * 1000 + (micro) <= LIBVIR_VERSION_NUMBER)

/* Releases the opaque data handed to a callback registration. */
typedef void (*virFreeCallback)(void *opaque);

/* Why a connection was closed, passed to a virConnectCloseFunc. */
typedef enum {
    VIR_CONNECT_CLOSE_REASON_ERROR = 0,     /* I/O error */
    VIR_CONNECT_CLOSE_REASON_EOF = 1,       /* the server hung up */
    VIR_CONNECT_CLOSE_REASON_KEEPALIVE = 2, /* keepalive timed out */
    VIR_CONNECT_CLOSE_REASON_CLIENT = 3,    /* closed on request of the client */
#ifdef VIR_ENUM_SENTINELS
    VIR_CONNECT_CLOSE_REASON_LAST
#endif
} virConnectCloseReason;

/* Which member of the value union of a typed parameter is valid. */
typedef enum {
    VIR_TYPED_PARAM_INT = 1,     /* value.i */
    VIR_TYPED_PARAM_UINT = 2,    /* value.ui */
    VIR_TYPED_PARAM_LLONG = 3,   /* value.l */
    VIR_TYPED_PARAM_ULLONG = 4,  /* value.ul */
    VIR_TYPED_PARAM_DOUBLE = 5,  /* value.d */
    VIR_TYPED_PARAM_BOOLEAN = 6, /* value.b, 0 or 1 */
    VIR_TYPED_PARAM_STRING = 7,  /* value.s, never NULL */
#ifdef VIR_ENUM_SENTINELS
    VIR_TYPED_PARAM_LAST
#endif
} virTypedParameterType;

/* Flags for APIs taking typed parameters; bits 0 and 1 belong to virDomainModificationImpact. */
typedef enum {
    VIR_TYPED_PARAM_STRING_OKAY = 1 << 2, /* the client understands string parameters */
} virTypedParameterFlags;

/* Size of the name buffer of a typed parameter, terminating NUL included. */
#define VIR_TYPED_PARAM_FIELD_LENGTH 80

/* One named, typed value. */
typedef struct _virTypedParameter virTypedParameter;

struct _virTypedParameter {
    char field[VIR_TYPED_PARAM_FIELD_LENGTH]; /* name, NUL-terminated */
    int type;                                 /* a virTypedParameterType */
    union {
        int i;
        unsigned int ui;
        long long int l;
        unsigned long long int ul;
        double d;
        char b;
        char *s;
    } value;
};

typedef virTypedParameter *virTypedParameterPtr;

/* Lookup helpers: return 1 if found, 0 if absent, -1 on a type mismatch or bad argument. */
virTypedParameterPtr virTypedParamsGet(virTypedParameterPtr params, int nparams, const char *name);
int virTypedParamsGetInt(virTypedParameterPtr params, int nparams, const char *name, int *value);
int virTypedParamsGetUInt(virTypedParameterPtr params, int nparams, const char *name, unsigned int *value);
int virTypedParamsGetLLong(virTypedParameterPtr params, int nparams, const char *name, long long *value);
int virTypedParamsGetULLong(virTypedParameterPtr params, int nparams, const char *name, unsigned long long *value);
int virTypedParamsGetDouble(virTypedParameterPtr params, int nparams, const char *name, double *value);
int virTypedParamsGetBoolean(virTypedParameterPtr params, int nparams, const char *name, int *value);
int virTypedParamsGetString(virTypedParameterPtr params, int nparams, const char *name, const char **value);

/* Append helpers: grow *params (capacity *maxparams) and add one entry; 0 on success, -1 on error. */
int virTypedParamsAddInt(virTypedParameterPtr *params, int *nparams, int *maxparams, const char *name, int value);
int virTypedParamsAddUInt(virTypedParameterPtr *params, int *nparams, int *maxparams, const char *name, unsigned int value);
int virTypedParamsAddLLong(virTypedParameterPtr *params, int *nparams, int *maxparams, const char *name, long long value);
int virTypedParamsAddULLong(virTypedParameterPtr *params, int *nparams, int *maxparams, const char *name, unsigned long long value);
int virTypedParamsAddDouble(virTypedParameterPtr *params, int *nparams, int *maxparams, const char *name, double value);
int virTypedParamsAddBoolean(virTypedParameterPtr *params, int *nparams, int *maxparams, const char *name, int value);
int virTypedParamsAddString(virTypedParameterPtr *params, int *nparams, int *maxparams, const char *name, const char *value);
int virTypedParamsAddStringList(virTypedParameterPtr *params, int *nparams, int *maxparams, const char *name, const char **values);
int virTypedParamsAddFromString(virTypedParameterPtr *params, int *nparams, int *maxparams, const char *name, int type, const char *value);

/* Free the strings held by an array (Clear), or the strings and the array itself (Free). */
void virTypedParamsClear(virTypedParameterPtr params, int nparams);
void virTypedParamsFree(virTypedParameterPtr params, int nparams);

#ifdef __cplusplus
}
#endif

#endif /* __VIR_VIRCOMMON_H__ */
