/* snapshot-create: a snapshot from an XML file, or a default one, with the create flags. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "xmlfile", .type = VMSH_OT_STRING, .help = "the <domainsnapshot> XML" },
    { .name = "redefine", .type = VMSH_OT_BOOL,
      .help = "redefine the metadata of a snapshot that exists" },
    { .name = "current", .type = VMSH_OT_BOOL,
      .help = "with --redefine, make it the current snapshot" },
    VMSH_SNAPSHOT_CREATE_OPTS,
    { .name = NULL },
};

static bool cmd_snapshot_create(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    unsigned int flags = vmsh_snapshot_create_flags(cmd);
    const char *from = NULL;
    g_autofree char *xml = NULL;

    if (vmsh_opt_bool(cmd, "redefine"))
        flags |= VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
    if (vmsh_opt_bool(cmd, "current"))
        flags |= VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT;
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    if (!vmsh_opt_xml_file(ctl, cmd, "xmlfile", "<domainsnapshot/>", &from, &xml))
        return false;
    return vmsh_snapshot_create(ctl, dom, xml, flags, from);
}

const vmsh_cmd_def vmsh_cmd_snapshot_create = {
    .name = "snapshot-create",
    .group = "snapshot",
    .summary = "create a snapshot from XML",
    .description = "Takes a snapshot of the domain (disks and memory) as the XML file "
                   "describes it, or a default one without a file.",
    .opts = opts,
    .handler = cmd_snapshot_create,
};
