/* define: makes a persistent domain from an XML file, without starting it. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    { .name = "file", .type = VMSH_OT_DATA, .flags = VMSH_OF_REQ,
      .help = "the file holding the domain's XML" },
    { .name = "validate", .type = VMSH_OT_BOOL,
      .help = "check the XML against the schema first" },
    { .name = NULL },
};

static bool cmd_define(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *from = NULL;
    g_autofree char *xml = NULL;
    unsigned int flags = 0;
    virDomainPtr dom;

    if (vmsh_opt_string_req(ctl, cmd, "file", &from) < 0)
        return false;
    if (vmsh_opt_bool(cmd, "validate"))
        flags |= VIR_DOMAIN_DEFINE_VALIDATE;
    if (vmsh_read_file(ctl, from, &xml) < 0)
        return false;
    if (flags)
        dom = virDomainDefineXMLFlags(ctl->conn, xml, flags);
    else
        dom = virDomainDefineXML(ctl->conn, xml);
    if (!dom) {
        vmsh_error(ctl, "Failed to define domain from %s", from);
        return false;
    }
    vmsh_print_extra(ctl, "Domain '%s' defined from %s\n", virDomainGetName(dom), from);
    virDomainFree(dom);
    return true;
}

const vmsh_cmd_def vmsh_cmd_define = {
    .name = "define",
    .group = "domain",
    .summary = "define a domain from an XML file, without starting it",
    .description = "Makes a persistent domain from the XML description in a file, or "
                   "updates the definition of the domain with that name or UUID.",
    .opts = opts,
    .handler = cmd_define,
};
