/* Domain entry points that need no driver (handle accessors) or that are built on
 * another driver call (the legacy id/name listings, lookup by UUID string). */
#include <stdlib.h>
#include <string.h>
#include "api/api.h"

#define FROM VIR_FROM_DOMAIN

virConnectPtr virDomainGetConnect(virDomainPtr dom)
{
    error_reset();
    if (!api_check_domain(dom, FROM, __func__))
        return NULL;
    return dom->conn;
}

int virDomainRef(virDomainPtr domain)
{
    error_reset();
    if (!api_check_domain(domain, FROM, __func__))
        return -1;
    handle_domain_ref(domain);
    return 0;
}

int virDomainFree(virDomainPtr domain)
{
    error_reset();
    if (!api_check_domain(domain, FROM, __func__))
        return -1;
    handle_domain_unref(domain);
    return 0;
}

const char *virDomainGetName(virDomainPtr domain)
{
    error_reset();
    if (!api_check_domain(domain, FROM, __func__))
        return NULL;
    return domain->name;
}

unsigned int virDomainGetID(virDomainPtr domain)
{
    error_reset();
    if (!api_check_domain(domain, FROM, __func__))
        return (unsigned int)-1;
    return (unsigned int)domain->id;
}

int virDomainGetUUID(virDomainPtr domain, unsigned char *uuid)
{
    error_reset();
    if (!api_check_domain(domain, FROM, __func__))
        return -1;
    if (!uuid) {
        api_report_null(FROM, __func__, "uuid");
        api_dispatch_error(domain->conn);
        return -1;
    }
    memcpy(uuid, domain->uuid, VIR_UUID_BUFLEN);
    return 0;
}

int virDomainGetUUIDString(virDomainPtr domain, char *buf)
{
    error_reset();
    if (!api_check_domain(domain, FROM, __func__))
        return -1;
    if (!buf) {
        api_report_null(FROM, __func__, "buf");
        api_dispatch_error(domain->conn);
        return -1;
    }
    uuid_format(domain->uuid, buf);
    return 0;
}

virDomainPtr virDomainLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    error_reset();
    if (!api_check_conn(conn, FROM, __func__))
        return NULL;
    if (!uuidstr) {
        api_report_null(FROM, __func__, "uuidstr");
        goto error;
    }
    if (!uuid_parse(uuidstr, uuid)) {
        error_report_arg(FROM, __func__, "uuidstr", "Invalid UUID");
        goto error;
    }
    return virDomainLookupByUUID(conn, uuid);

 error:
    api_dispatch_error(conn);
    return NULL;
}

/* The domains matching flags, through the driver's ListAllDomains. */
static int list_domains(virConnectPtr conn, unsigned int flags, virDomainPtr **ret_list,
                        const char *func)
{
    int n;

    error_reset();
    if (!api_check_conn(conn, FROM, func))
        return -1;
    if (!conn->driver->connect_list_all_domains) {
        api_report_unsupported(FROM, func);
        goto error;
    }
    n = conn->driver->connect_list_all_domains(conn, ret_list, flags);
    if (n < 0)
        goto error;
    return n;

 error:
    api_dispatch_error(conn);
    return -1;
}

int virConnectNumOfDomains(virConnectPtr conn)
{
    return list_domains(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE, NULL, __func__);
}

int virConnectNumOfDefinedDomains(virConnectPtr conn)
{
    return list_domains(conn, VIR_CONNECT_LIST_DOMAINS_INACTIVE, NULL, __func__);
}

static int by_id(const void *a, const void *b)
{
    const virDomain *x = *(virDomainPtr const *)a, *y = *(virDomainPtr const *)b;
    return (x->id > y->id) - (x->id < y->id);
}

int virConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    virDomainPtr *list = NULL;
    int n, i;

    if (handle_connect_valid(conn) && (!ids || maxids < 0)) {
        error_reset();
        if (!ids && maxids > 0)
            api_report_null(FROM, __func__, "ids");
        else
            api_report_negative(FROM, __func__, "maxids");
        api_dispatch_error(conn);
        return -1;
    }
    n = list_domains(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE, &list, __func__);
    if (n < 0)
        return -1;
    qsort(list, (size_t)n, sizeof(*list), by_id);
    for (i = 0; i < n && i < maxids; i++)
        ids[i] = list[i]->id;
    handle_domain_list_free(list);
    return i;
}

int virConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    virDomainPtr *list = NULL;
    int n, i;

    if (handle_connect_valid(conn) && ((!names && maxnames > 0) || maxnames < 0)) {
        error_reset();
        if (!names)
            api_report_null(FROM, __func__, "names");
        else
            api_report_negative(FROM, __func__, "maxnames");
        api_dispatch_error(conn);
        return -1;
    }
    n = list_domains(conn, VIR_CONNECT_LIST_DOMAINS_INACTIVE, &list, __func__);
    if (n < 0)
        return -1;
    for (i = 0; i < n && i < maxnames; i++)
        names[i] = strdup(list[i]->name);
    handle_domain_list_free(list);
    return i;
}
