/* Helper of the backup fault test: a process that owns a root, begins a backup of a
 * running domain and is then killed (SIGKILL) while the backup runs.
 *   ROOT DOMAIN BACKUPXML [SPEED]   start DOMAIN (defined, shut off), begin the
 *                                   backup (push jobs limited to SPEED bytes/s),
 *                                   print "ready", then wait to be killed
 * Exit status 2 when something failed (the error printed). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include "drivers/qemu/qemu_backup.h"

static void quiet(void *data, virErrorPtr err)
{
}

int main(int argc, char **argv)
{
    char uri[4096];
    virConnectPtr conn;
    virDomainPtr dom;

    if (argc < 4)
        return 2;
    virSetErrorFunc(NULL, quiet);
    snprintf(uri, sizeof(uri), "qemu:///embed?root=%s", argv[1]);
    if (argc > 4)
        qemu_backup_set_initial_speed(strtoull(argv[4], NULL, 10));
    if (!(conn = virConnectOpen(uri)) || !(dom = virDomainLookupByName(conn, argv[2])) ||
        virDomainCreate(dom) < 0 || virDomainBackupBegin(dom, argv[3], NULL, 0) < 0) {
        printf("error %d: %s\n", virGetLastErrorCode(), virGetLastErrorMessage());
        return 2;
    }
    printf("ready\n");
    fflush(stdout);
    for (;;)
        pause();
}
