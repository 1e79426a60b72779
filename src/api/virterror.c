/* The public error API: the thread's last error, the connection's last error,
 * error handlers. */
#include <stdlib.h>
#include <string.h>
#include "api/api.h"

/* Copies handed to the caller are malloc()ed so that plain free() works too. */
static virErrorPtr copy_out(const virError *from)
{
    virErrorPtr to = calloc(1, sizeof(*to));

    if (!to)
        return NULL;
    to->code = from->code;
    to->domain = from->domain;
    to->level = from->level;
    to->message = from->message ? strdup(from->message) : NULL;
    to->str1 = from->str1 ? strdup(from->str1) : NULL;
    to->str2 = from->str2 ? strdup(from->str2) : NULL;
    to->str3 = from->str3 ? strdup(from->str3) : NULL;
    to->int1 = from->int1;
    to->int2 = from->int2;
    return to;
}

virErrorPtr virGetLastError(void)
{
    return error_last();
}

virErrorPtr virSaveLastError(void)
{
    virErrorPtr err = error_last();
    virError none = { 0 };

    return copy_out(err ? err : &none);
}

const char *virGetLastErrorMessage(void)
{
    virErrorPtr err = error_last();

    if (!err)
        return "no error";
    return err->message ? err->message : "unknown error";
}

int virGetLastErrorCode(void)
{
    virErrorPtr err = error_last();
    return err ? err->code : VIR_ERR_OK;
}

int virGetLastErrorDomain(void)
{
    virErrorPtr err = error_last();
    return err ? err->domain : VIR_FROM_NONE;
}

void virResetLastError(void)
{
    error_reset();
}

/* Errors given to callers may have been built by copy_out (malloc) or by
 * virCopyLastError into their own struct (strings malloc()ed as well). */
void virResetError(virErrorPtr err)
{
    if (!err)
        return;
    free(err->message);
    free(err->str1);
    free(err->str2);
    free(err->str3);
    memset(err, 0, sizeof(*err));
}

void virFreeError(virErrorPtr err)
{
    virResetError(err);
    free(err);
}

static int copy_into(virErrorPtr to, const virError *from)
{
    virErrorPtr tmp;

    if (!to)
        return -1;
    virResetError(to);
    if (!from)
        return 0;
    tmp = copy_out(from);
    if (!tmp)
        return -1;
    *to = *tmp;
    free(tmp);
    return to->code;
}

int virCopyLastError(virErrorPtr to)
{
    return copy_into(to, error_last());
}

void virDefaultErrorFunc(virErrorPtr err)
{
    error_print(err);
}

void virSetErrorFunc(void *userData, virErrorFunc handler)
{
    error_set_global_handler(handler, userData);
}

void virConnSetErrorFunc(virConnectPtr conn, void *userData, virErrorFunc handler)
{
    if (!handle_connect_valid(conn))
        return;
    g_mutex_lock(&conn->lock);
    conn->handler = handler;
    conn->handler_data = userData;
    g_mutex_unlock(&conn->lock);
}

virErrorPtr virConnGetLastError(virConnectPtr conn)
{
    if (!handle_connect_valid(conn))
        return NULL;
    return conn->error.code != VIR_ERR_OK ? &conn->error : NULL;
}

void virConnResetLastError(virConnectPtr conn)
{
    if (!handle_connect_valid(conn))
        return;
    g_mutex_lock(&conn->lock);
    error_clear(&conn->error);
    g_mutex_unlock(&conn->lock);
}

int virConnCopyLastError(virConnectPtr conn, virErrorPtr to)
{
    int ret;

    if (!handle_connect_valid(conn))
        return -1;
    g_mutex_lock(&conn->lock);
    ret = copy_into(to, conn->error.code != VIR_ERR_OK ? &conn->error : NULL);
    g_mutex_unlock(&conn->lock);
    return ret;
}
