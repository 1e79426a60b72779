/* dumpxml: a domain's XML, or the parts of it an XPath expression selects. */
#include "vmsh-util.h"

#include <stdlib.h>

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "inactive", .type = VMSH_OT_BOOL,
      .help = "the definition used at the next start" },
    { .name = "security-info", .type = VMSH_OT_BOOL,
      .help = "include security-sensitive values such as passwords" },
    { .name = "update-cpu", .type = VMSH_OT_BOOL,
      .help = "describe the CPU as the host would provide it" },
    { .name = "migratable", .type = VMSH_OT_BOOL,
      .help = "XML fit for migrating the domain" },
    { .name = "xpath", .type = VMSH_OT_STRING, .flags = VMSH_OF_REQ_OPT,
      .help = "print only the nodes this XPath expression selects" },
    { .name = "wrap", .type = VMSH_OT_BOOL,
      .help = "put the selected nodes in one <nodes> element" },
    { .name = NULL },
};

static bool cmd_dumpxml(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    unsigned int flags = 0;
    const char *xpath = NULL;
    char *xml;
    bool ok;

    if (vmsh_opt_bool(cmd, "inactive"))
        flags |= VIR_DOMAIN_XML_INACTIVE;
    if (vmsh_opt_bool(cmd, "security-info"))
        flags |= VIR_DOMAIN_XML_SECURE;
    if (vmsh_opt_bool(cmd, "update-cpu"))
        flags |= VIR_DOMAIN_XML_UPDATE_CPU;
    if (vmsh_opt_bool(cmd, "migratable"))
        flags |= VIR_DOMAIN_XML_MIGRATABLE;

    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    if (vmsh_opt_string_quiet(cmd, "xpath", &xpath) < 0)
        return false;
    if (!(xml = virDomainGetXMLDesc(dom, flags)))
        return false;
    ok = vmsh_dump_xml(ctl, xml, "domain", xpath, vmsh_opt_bool(cmd, "wrap"));
    free(xml);
    return ok;
}

const vmsh_cmd_def vmsh_cmd_dumpxml = {
    .name = "dumpxml",
    .group = "domain",
    .summary = "print a domain's XML",
    .description = "Prints the XML description of a domain, or with --xpath only the "
                   "nodes an XPath expression selects.",
    .opts = opts,
    .handler = cmd_dumpxml,
};
