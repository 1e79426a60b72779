/* What libvirt's QEMU driver fills into a backup definition when the job starts. */
#pragma once

#include "conf/backup_conf.h"

/* For every disk backed up: the image format qcow2 when none was given; in pull
 * mode, the export named after the disk and, for an incremental, the exported
 * bitmap "backup-<disk>". def must be aligned (backup_def_align_disks). */
void backup_def_set_job_defaults(backup_def *def);
