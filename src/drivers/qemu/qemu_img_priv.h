/* Internal to the qemu-img helpers: running qemu-img. */
#pragma once

#include "drivers/qemu/qemu_img.h"

/* Run qemu-img with args (NULL-terminated, args[0] the subcommand). Exit statuses
 * up to ok_max_status count as success and are returned, with stdout in
 * *ret_stdout when not NULL; otherwise -1 with the error reported, quoting
 * qemu-img's stderr. */
int qemu_img_run(const char *const *args, int ok_max_status, char **ret_stdout);
