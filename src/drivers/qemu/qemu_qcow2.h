/* What the QEMU driver reads from qcow2 images itself, without qemu-img. */
#pragma once

#include <stdbool.h>

/* Whether the qcow2 image at path has an internal snapshot named name (its table
 * read directly; the image may be open in a QEMU, the table is only read). -1
 * (VIR_ERR_OPERATION_FAILED) when the file is not a readable qcow2 image;
 * *ret_has is untouched then. */
int qemu_qcow2_has_snapshot(const char *path, const char *name, bool *ret_has);
