/* create: starts a transient domain from an XML file. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    { .name = "file", .type = VMSH_OT_DATA, .flags = VMSH_OF_REQ,
      .help = "the file holding the domain's XML" },
    { .name = "console", .type = VMSH_OT_BOOL, .help = "attach to its console once started" },
    { .name = "paused", .type = VMSH_OT_BOOL, .help = "leave its CPUs paused" },
    { .name = "autodestroy", .type = VMSH_OT_BOOL,
      .help = "destroy it when this connection closes" },
    { .name = "pass-fds", .type = VMSH_OT_STRING,
      .help = "file descriptors N,M,... to hand to the domain" },
    { .name = "validate", .type = VMSH_OT_BOOL,
      .help = "check the XML against the schema first" },
    { .name = "reset-nvram", .type = VMSH_OT_BOOL,
      .help = "recreate its NVRAM from the template" },
    { .name = NULL },
};

static bool cmd_create(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *from = NULL;
    g_autofree char *xml = NULL;
    unsigned int flags = 0;

    if (vmsh_opt_string_req(ctl, cmd, "file", &from) < 0)
        return false;
    if (vmsh_read_file(ctl, from, &xml) < 0)
        return false;
    if (!vmsh_pass_fds(ctl, cmd))
        return false;
    if (vmsh_opt_bool(cmd, "paused"))
        flags |= VIR_DOMAIN_START_PAUSED;
    if (vmsh_opt_bool(cmd, "autodestroy"))
        flags |= VIR_DOMAIN_START_AUTODESTROY;
    if (vmsh_opt_bool(cmd, "validate"))
        flags |= VIR_DOMAIN_START_VALIDATE;
    if (vmsh_opt_bool(cmd, "reset-nvram"))
        flags |= VIR_DOMAIN_START_RESET_NVRAM;

    g_autoptr(virDomain) dom = virDomainCreateXML(ctl->conn, xml, flags);
    if (!dom) {
        vmsh_error(ctl, "Failed to create domain from %s", from);
        return false;
    }
    vmsh_print_extra(ctl, "Domain '%s' created from %s\n", virDomainGetName(dom), from);
    if (vmsh_opt_bool(cmd, "console"))
        vmsh_run_console(ctl, dom);
    return true;
}

const vmsh_cmd_def vmsh_cmd_create = {
    .name = "create",
    .group = "domain",
    .summary = "start a transient domain from an XML file",
    .description = "Starts a domain from the XML description in a file without defining "
                   "it; it disappears when it stops.",
    .opts = opts,
    .handler = cmd_create,
};
