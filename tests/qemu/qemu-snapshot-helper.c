/* Helper of the snapshot crash test: another process deleting a snapshot through
 * the public API only, so that it can die in the middle (the driver's
 * VIRTMOMENT_SNAPSHOT_CRASH_AFTER makes it exit with status 99 at that step).
 *   delete ROOT DOMAIN SNAPSHOT FLAGS
 * Exit status: 0 when the delete succeeded, 2 when it failed (the error printed),
 * 99 when it died on purpose. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static void quiet(void *data, virErrorPtr err)
{
}

int main(int argc, char **argv)
{
    char uri[4096];
    virConnectPtr conn;
    virDomainPtr dom = NULL;
    virDomainSnapshotPtr snap = NULL;

    virSetErrorFunc(NULL, quiet);
    if (argc != 6 || strcmp(argv[1], "delete") != 0) {
        fprintf(stderr, "usage: %s delete ROOT DOMAIN SNAPSHOT FLAGS\n", argv[0]);
        return 1;
    }
    snprintf(uri, sizeof(uri), "qemu:///embed?root=%s", argv[2]);
    if (!(conn = virConnectOpen(uri)) || !(dom = virDomainLookupByName(conn, argv[3])) ||
        !(snap = virDomainSnapshotLookupByName(dom, argv[4], 0)) ||
        virDomainSnapshotDelete(snap, (unsigned int)strtoul(argv[5], NULL, 0)) < 0) {
        printf("error %d: %s\n", virGetLastErrorCode(), virGetLastErrorMessage());
        return 2;
    }
    virDomainSnapshotFree(snap);
    virDomainFree(dom);
    virConnectClose(conn);
    return 0;
}
