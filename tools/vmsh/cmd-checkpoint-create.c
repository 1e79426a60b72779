/* checkpoint-create: a checkpoint from an XML file, or a default one; --redefine. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "xmlfile", .type = VMSH_OT_STRING,
      .help = "the <domaincheckpoint> XML (default: a checkpoint of every disk)" },
    { .name = "redefine", .type = VMSH_OT_BOOL,
      .help = "redefine the metadata of an existing checkpoint from its XML" },
    { .name = "redefine-validate", .type = VMSH_OT_BOOL,
      .help = "with --redefine: check that the disks' bitmaps match" },
    { .name = "quiesce", .type = VMSH_OT_BOOL,
      .help = "freeze the guest's file systems meanwhile (needs its agent)" },
    { .name = NULL },
};

static bool cmd_checkpoint_create(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *from = NULL;
    g_autofree char *xml = NULL;
    unsigned int flags = 0;

    VMSH_REQUIRES("redefine-validate", "redefine");
    if (vmsh_opt_bool(cmd, "redefine"))
        flags |= VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE;
    if (vmsh_opt_bool(cmd, "redefine-validate"))
        flags |= VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE;
    if (vmsh_opt_bool(cmd, "quiesce"))
        flags |= VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE;

    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    if (!vmsh_opt_xml_file(ctl, cmd, "xmlfile", "<domaincheckpoint/>", &from, &xml))
        return false;
    return vmsh_checkpoint_create(ctl, dom, xml, flags, from);
}

const vmsh_cmd_def vmsh_cmd_checkpoint_create = {
    .name = "checkpoint-create",
    .group = "checkpoint",
    .summary = "create a checkpoint from XML",
    .description = "Creates a checkpoint, the point from which the next incremental "
                   "backup copies what changed, from an XML file or with default "
                   "settings; --redefine restores a checkpoint's metadata instead.",
    .opts = opts,
    .handler = cmd_checkpoint_create,
};
