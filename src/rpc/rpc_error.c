/* remote_error to and from virError: the daemon sends the error its call left, the
 * client makes it the caller's error unchanged (code, domain, message, extras). */
#include "rpc/rpc_error.h"

#include <string.h>

void rpc_error_from_virerror(const virError *err, remote_error *out)
{
    memset(out, 0, sizeof(*out));
    out->code = err->code;
    out->domain = err->domain;
    out->message = g_strdup(err->message);
    out->level = err->level ? (int32_t)err->level : VIR_ERR_ERROR;
    out->str1 = g_strdup(err->str1);
    out->str2 = g_strdup(err->str2);
    out->str3 = g_strdup(err->str3);
    out->int1 = err->int1;
    out->int2 = err->int2;
}

void rpc_error_to_virerror(const remote_error *e, virErrorPtr out)
{
    memset(out, 0, sizeof(*out));
    out->code = e->code;
    out->domain = e->domain;
    out->message = g_strdup(e->message);
    out->level = e->level;
    out->str1 = g_strdup(e->str1);
    out->str2 = g_strdup(e->str2);
    out->str3 = g_strdup(e->str3);
    out->int1 = e->int1;
    out->int2 = e->int2;
}
