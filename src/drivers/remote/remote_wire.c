/* The remote driver's handles to and from their wire form: a domain is its name,
 * UUID and id; a snapshot or checkpoint its name and domain. */
#include "drivers/remote/remote_driver.h"

#include <string.h>
#include "util/error.h"

void remote_domain_to_wire(virDomainPtr dom, rpc_domain *ret_wire)
{
    ret_wire->name = dom->name;
    memcpy(ret_wire->uuid, dom->uuid, RPC_UUID_LEN);
    ret_wire->id = dom->id;
}

void remote_moment_to_wire(const char *name, virDomainPtr dom, rpc_moment *ret_wire)
{
    ret_wire->name = (char *)name;
    remote_domain_to_wire(dom, &ret_wire->dom);
}

virDomainPtr remote_domain_from_wire(virConnectPtr conn, const rpc_domain *wire)
{
    return handle_domain_new(conn, wire->name, wire->uuid, wire->id);
}

virDomainSnapshotPtr remote_snapshot_from_wire(virDomainPtr dom, const rpc_moment *wire)
{
    return handle_snapshot_new(dom, wire->name);
}

virDomainCheckpointPtr remote_checkpoint_from_wire(virDomainPtr dom, const rpc_moment *wire)
{
    return handle_checkpoint_new(dom, wire->name);
}

virDomainPtr *remote_domain_list_from_wire(virConnectPtr conn, const rpc_array *list)
{
    virDomainPtr *out = g_new0(virDomainPtr, list->n + 1);
    const rpc_domain *items = list->items;

    for (uint32_t i = 0; i < list->n; i++)
        out[i] = remote_domain_from_wire(conn, &items[i]);
    return out;
}

virDomainSnapshotPtr *remote_snapshot_list_from_wire(virDomainPtr dom, const rpc_array *list)
{
    virDomainSnapshotPtr *out = g_new0(virDomainSnapshotPtr, list->n + 1);
    const rpc_moment *items = list->items;

    for (uint32_t i = 0; i < list->n; i++)
        out[i] = remote_snapshot_from_wire(dom, &items[i]);
    return out;
}

virDomainCheckpointPtr *remote_checkpoint_list_from_wire(virDomainPtr dom, const rpc_array *list)
{
    virDomainCheckpointPtr *out = g_new0(virDomainCheckpointPtr, list->n + 1);
    const rpc_moment *items = list->items;

    for (uint32_t i = 0; i < list->n; i++)
        out[i] = remote_checkpoint_from_wire(dom, &items[i]);
    return out;
}

int remote_names_from_wire(rpc_array *list, char **names, int nameslen)
{
    char **items = list->items;

    if (list->n > (uint32_t)nameslen) {
        error_report(VIR_FROM_REMOTE, VIR_ERR_RPC, "too many names in the reply: %u for %d",
                     list->n, nameslen);
        return -1;
    }
    for (uint32_t i = 0; i < list->n; i++)
        names[i] = g_steal_pointer(&items[i]);
    return (int)list->n;
}
