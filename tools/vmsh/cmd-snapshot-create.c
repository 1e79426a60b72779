/* snapshot-create: a snapshot from an XML file, or a default one, with the create flags. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "xmlfile", .type = VMSH_OT_STRING, .help = "the <domainsnapshot> XML" },
    { .name = "redefine", .type = VMSH_OT_BOOL,
      .help = "redefine the metadata of a snapshot that exists" },
    { .name = "current", .type = VMSH_OT_BOOL,
      .help = "with --redefine, make it the current snapshot" },
    { .name = "no-metadata", .type = VMSH_OT_BOOL,
      .help = "take the snapshot but keep no metadata for it" },
    { .name = "halt", .type = VMSH_OT_BOOL, .help = "stop the domain after the snapshot" },
    { .name = "disk-only", .type = VMSH_OT_BOOL,
      .help = "only the disks, not the memory state" },
    { .name = "reuse-external", .type = VMSH_OT_BOOL,
      .help = "use external files that already exist" },
    { .name = "quiesce", .type = VMSH_OT_BOOL, .help = "quiesce the guest's file systems" },
    { .name = "atomic", .type = VMSH_OT_BOOL, .help = "all disks or none" },
    { .name = "live", .type = VMSH_OT_BOOL, .help = "while the domain keeps running" },
    { .name = "validate", .type = VMSH_OT_BOOL, .help = "check the XML against the schema" },
    { .name = NULL },
};

static const struct { const char *opt; unsigned int flag; } flag_opts[] = {
    { "redefine", VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE },
    { "current", VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT },
    { "no-metadata", VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA },
    { "halt", VIR_DOMAIN_SNAPSHOT_CREATE_HALT },
    { "disk-only", VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY },
    { "reuse-external", VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT },
    { "quiesce", VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE },
    { "atomic", VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC },
    { "live", VIR_DOMAIN_SNAPSHOT_CREATE_LIVE },
    { "validate", VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE },
};

static bool cmd_snapshot_create(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    unsigned int flags = 0;
    const char *from = NULL;
    g_autofree char *xml = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(flag_opts); i++) {
        if (vmsh_opt_bool(cmd, flag_opts[i].opt))
            flags |= flag_opts[i].flag;
    }
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    if (vmsh_opt_string_req(ctl, cmd, "xmlfile", &from) < 0)
        return false;
    if (!from)
        xml = g_strdup("<domainsnapshot/>");
    else if (vmsh_read_file(ctl, from, &xml) < 0)
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
