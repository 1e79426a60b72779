/* What libvirt's QEMU driver fills into a backup definition when the job starts. */
#include "drivers/common/backup_defaults.h"

void backup_def_set_job_defaults(backup_def *def)
{
    for (size_t i = 0; i < def->ndisks; i++) {
        backup_disk_def *d = &def->disks[i];

        if (!d->backup)
            continue;
        if (d->store && d->store->format == STORAGE_FORMAT_NONE)
            d->store->format = STORAGE_FORMAT_QCOW2;
        if (def->type != BACKUP_TYPE_PULL)
            continue;
        if (!d->exportname)
            d->exportname = g_strdup(d->name);
        if (d->incremental && !d->exportbitmap)
            d->exportbitmap = g_strdup_printf("backup-%s", d->name);
    }
}
