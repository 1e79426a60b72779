/* Snapshot and checkpoint entry points that need no driver: handle accessors. */
#include "api/api.h"

const char *virDomainSnapshotGetName(virDomainSnapshotPtr snapshot)
{
    error_reset();
    if (!api_check_snapshot(snapshot, VIR_FROM_DOMAIN_SNAPSHOT, __func__))
        return NULL;
    return snapshot->name;
}

virDomainPtr virDomainSnapshotGetDomain(virDomainSnapshotPtr snapshot)
{
    error_reset();
    if (!api_check_snapshot(snapshot, VIR_FROM_DOMAIN_SNAPSHOT, __func__))
        return NULL;
    return snapshot->domain;
}

virConnectPtr virDomainSnapshotGetConnect(virDomainSnapshotPtr snapshot)
{
    error_reset();
    if (!api_check_snapshot(snapshot, VIR_FROM_DOMAIN_SNAPSHOT, __func__))
        return NULL;
    return snapshot->domain->conn;
}

int virDomainSnapshotRef(virDomainSnapshotPtr snapshot)
{
    error_reset();
    if (!api_check_snapshot(snapshot, VIR_FROM_DOMAIN_SNAPSHOT, __func__))
        return -1;
    handle_snapshot_ref(snapshot);
    return 0;
}

int virDomainSnapshotFree(virDomainSnapshotPtr snapshot)
{
    error_reset();
    if (!api_check_snapshot(snapshot, VIR_FROM_DOMAIN_SNAPSHOT, __func__))
        return -1;
    handle_snapshot_unref(snapshot);
    return 0;
}

const char *virDomainCheckpointGetName(virDomainCheckpointPtr checkpoint)
{
    error_reset();
    if (!api_check_checkpoint(checkpoint, VIR_FROM_DOMAIN_CHECKPOINT, __func__))
        return NULL;
    return checkpoint->name;
}

virDomainPtr virDomainCheckpointGetDomain(virDomainCheckpointPtr checkpoint)
{
    error_reset();
    if (!api_check_checkpoint(checkpoint, VIR_FROM_DOMAIN_CHECKPOINT, __func__))
        return NULL;
    return checkpoint->domain;
}

virConnectPtr virDomainCheckpointGetConnect(virDomainCheckpointPtr checkpoint)
{
    error_reset();
    if (!api_check_checkpoint(checkpoint, VIR_FROM_DOMAIN_CHECKPOINT, __func__))
        return NULL;
    return checkpoint->domain->conn;
}

int virDomainCheckpointRef(virDomainCheckpointPtr checkpoint)
{
    error_reset();
    if (!api_check_checkpoint(checkpoint, VIR_FROM_DOMAIN_CHECKPOINT, __func__))
        return -1;
    handle_checkpoint_ref(checkpoint);
    return 0;
}

int virDomainCheckpointFree(virDomainCheckpointPtr checkpoint)
{
    error_reset();
    if (!api_check_checkpoint(checkpoint, VIR_FROM_DOMAIN_CHECKPOINT, __func__))
        return -1;
    handle_checkpoint_unref(checkpoint);
    return 0;
}
