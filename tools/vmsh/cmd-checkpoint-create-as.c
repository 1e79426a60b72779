/* checkpoint-create-as: a checkpoint from options (name, description, disks). */
#include "vmsh-util.h"

#include <string.h>

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "name", .type = VMSH_OT_STRING,
      .help = "the checkpoint's name (default: the time in seconds)" },
    { .name = "description", .type = VMSH_OT_STRING, .help = "a description" },
    { .name = "print-xml", .type = VMSH_OT_BOOL,
      .help = "print the XML instead of creating the checkpoint" },
    { .name = "quiesce", .type = VMSH_OT_BOOL,
      .help = "freeze the guest's file systems meanwhile (needs its agent)" },
    { .name = "diskspec", .type = VMSH_OT_ARGV,
      .help = "disk[,checkpoint=bitmap|no][,bitmap=NAME]; ',,' is a comma" },
    { .name = NULL },
};

/* One <disk/> line from a --diskspec value; false (reported) if it has unknown keys. */
static bool add_diskspec(vmsh_ctl *ctl, GString *xml, const char *spec)
{
    g_auto(GStrv) parts = vmsh_split_commas(spec);
    const char *checkpoint = NULL, *bitmap = NULL;

    bool ok = parts[0] != NULL;

    for (size_t i = 1; ok && parts[i]; i++) {
        if (!checkpoint && g_str_has_prefix(parts[i], "checkpoint="))
            checkpoint = parts[i] + strlen("checkpoint=");
        else if (!bitmap && g_str_has_prefix(parts[i], "bitmap="))
            bitmap = parts[i] + strlen("bitmap=");
        else
            ok = false;
    }
    if (!ok) {
        vmsh_error(ctl, "unable to parse diskspec: %s", spec);
        return false;
    }
    g_autofree char *name = vmsh_xml_escape(parts[0]);
    /* like virsh, only the disk name is escaped */
    g_string_append_printf(xml, "    <disk name='%s'", name);
    if (checkpoint)
        g_string_append_printf(xml, " checkpoint='%s'", checkpoint);
    if (bitmap)
        g_string_append_printf(xml, " bitmap='%s'", bitmap);
    g_string_append(xml, "/>\n");
    return true;
}

/* The <domaincheckpoint> the options describe; NULL if a diskspec is bad (reported). */
static char *build_xml(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *name,
                       const char *desc)
{
    g_autoptr(GString) xml = g_string_new("<domaincheckpoint>\n");

    if (name) {
        g_autofree char *text = vmsh_xml_escape(name);
        g_string_append_printf(xml, "  <name>%s</name>\n", text);
    }
    if (desc) {
        g_autofree char *text = vmsh_xml_escape(desc);
        g_string_append_printf(xml, "  <description>%s</description>\n", text);
    }
    if (vmsh_opt_argv(cmd, NULL)) {
        g_string_append(xml, "  <disks>\n");
        for (const vmsh_opt *opt = vmsh_opt_argv(cmd, NULL); opt; opt = vmsh_opt_argv(cmd, opt)) {
            if (!add_diskspec(ctl, xml, opt->data))
                return NULL;
        }
        g_string_append(xml, "  </disks>\n");
    }
    g_string_append(xml, "</domaincheckpoint>\n");
    return g_string_free(g_steal_pointer(&xml), FALSE);
}

static bool cmd_checkpoint_create_as(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *name = NULL, *desc = NULL;
    g_autofree char *xml = NULL;
    unsigned int flags = 0;

    if (vmsh_opt_bool(cmd, "quiesce"))
        flags |= VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE;
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    if (vmsh_opt_string_req(ctl, cmd, "name", &name) < 0 ||
        vmsh_opt_string_req(ctl, cmd, "description", &desc) < 0)
        return false;
    if (!(xml = build_xml(ctl, cmd, name, desc)))
        return false;
    if (vmsh_opt_bool(cmd, "print-xml")) {
        vmsh_print(ctl, "%s\n", xml);
        return true;
    }
    return vmsh_checkpoint_create(ctl, dom, xml, flags, NULL);
}

const vmsh_cmd_def vmsh_cmd_checkpoint_create_as = {
    .name = "checkpoint-create-as",
    .group = "checkpoint",
    .summary = "create a checkpoint from options",
    .description = "Creates a checkpoint described by options rather than an XML file: "
                   "its name, description and the disks it tracks; --print-xml shows the "
                   "XML instead.",
    .opts = opts,
    .handler = cmd_checkpoint_create_as,
};
