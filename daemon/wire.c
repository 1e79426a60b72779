/* virtmomentd's handles to and from the wire: a handle is built from what the
 * client sent (name, UUID, id) without a lookup, as libvirtd does; the driver
 * reports a missing domain when it is used. */
#include "daemon/dispatch.h"

#include <string.h>
#include "util/error.h"

virDomainPtr daemon_domain_from_wire(virConnectPtr conn, const rpc_domain *wire)
{
    return handle_domain_new(conn, wire->name, wire->uuid, wire->id);
}

virDomainSnapshotPtr daemon_snapshot_from_wire(virConnectPtr conn, const rpc_moment *wire)
{
    virDomainPtr dom = daemon_domain_from_wire(conn, &wire->dom);
    virDomainSnapshotPtr s = handle_snapshot_new(dom, wire->name);

    handle_domain_unref(dom);
    return s;
}

virDomainCheckpointPtr daemon_checkpoint_from_wire(virConnectPtr conn, const rpc_moment *wire)
{
    virDomainPtr dom = daemon_domain_from_wire(conn, &wire->dom);
    virDomainCheckpointPtr c = handle_checkpoint_new(dom, wire->name);

    handle_domain_unref(dom);
    return c;
}

void daemon_domain_to_wire(virDomainPtr dom, rpc_domain *ret_wire)
{
    ret_wire->name = g_strdup(dom->name);
    memcpy(ret_wire->uuid, dom->uuid, RPC_UUID_LEN);
    ret_wire->id = dom->id;
}

void daemon_moment_to_wire(const char *name, virDomainPtr dom, rpc_moment *ret_wire)
{
    ret_wire->name = g_strdup(name);
    daemon_domain_to_wire(dom, &ret_wire->dom);
}

void daemon_domain_list_to_wire(virDomainPtr *list, int n, rpc_array *ret_wire)
{
    rpc_domain *items;

    if (!list)
        return;
    items = g_new0(rpc_domain, n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        daemon_domain_to_wire(list[i], &items[i]);
    ret_wire->items = items;
    ret_wire->n = (uint32_t)n;
    handle_domain_list_free(list);
}

void daemon_snapshot_list_to_wire(virDomainSnapshotPtr *list, int n, rpc_array *ret_wire)
{
    rpc_moment *items;

    if (!list)
        return;
    items = g_new0(rpc_moment, n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        daemon_moment_to_wire(list[i]->name, list[i]->domain, &items[i]);
    ret_wire->items = items;
    ret_wire->n = (uint32_t)n;
    handle_snapshot_list_free(list);
}

void daemon_checkpoint_list_to_wire(virDomainCheckpointPtr *list, int n, rpc_array *ret_wire)
{
    rpc_moment *items;

    if (!list)
        return;
    items = g_new0(rpc_moment, n > 0 ? n : 1);
    for (int i = 0; i < n; i++)
        daemon_moment_to_wire(list[i]->name, list[i]->domain, &items[i]);
    ret_wire->items = items;
    ret_wire->n = (uint32_t)n;
    handle_checkpoint_list_free(list);
}

bool daemon_names_alloc(int maxnames, int limit, char ***ret_names)
{
    if (maxnames < 0 || maxnames > limit) {
        error_report(VIR_FROM_RPC, VIR_ERR_RPC, "maxnames > %d", limit);
        return false;
    }
    *ret_names = g_new0(char *, maxnames > 0 ? maxnames : 1);
    return true;
}

void daemon_names_free(char **names, int n)
{
    for (int i = 0; names && i < n; i++)
        free(names[i]);
    g_free(names);
}

void daemon_chars_to_wire(const char *s, rpc_chars *ret_wire)
{
    ret_wire->n = (uint32_t)strlen(s) + 1;
    ret_wire->data = g_strdup(s);
}
