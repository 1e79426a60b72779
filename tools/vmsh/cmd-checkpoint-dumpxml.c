/* checkpoint-dumpxml: a checkpoint's XML, or the parts of it an XPath expression selects. */
#include "vmsh-util.h"

#include <stdlib.h>

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "checkpointname", .type = VMSH_OT_STRING, .help = "the checkpoint" },
    { .name = "security-info", .type = VMSH_OT_BOOL,
      .help = "include security-sensitive values such as passwords" },
    { .name = "no-domain", .type = VMSH_OT_BOOL, .help = "leave out the <domain> element" },
    { .name = "size", .type = VMSH_OT_BOOL,
      .help = "add each disk's size of changes since the checkpoint (running domains)" },
    { .name = "xpath", .type = VMSH_OT_STRING, .flags = VMSH_OF_REQ_OPT,
      .help = "print only the nodes this XPath expression selects" },
    { .name = "wrap", .type = VMSH_OT_BOOL,
      .help = "put the selected nodes in one <nodes> element" },
    { .name = NULL },
};

static bool cmd_checkpoint_dumpxml(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    g_autoptr(virDomainCheckpoint) chk = NULL;
    const char *name = NULL, *xpath = NULL;
    unsigned int flags = 0;
    char *xml;
    bool ok;

    if (vmsh_opt_bool(cmd, "security-info"))
        flags |= VIR_DOMAIN_CHECKPOINT_XML_SECURE;
    if (vmsh_opt_bool(cmd, "no-domain"))
        flags |= VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN;
    if (vmsh_opt_bool(cmd, "size"))
        flags |= VIR_DOMAIN_CHECKPOINT_XML_SIZE;
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    if (vmsh_opt_string_quiet(cmd, "xpath", &xpath) < 0)
        return false;
    if (!(chk = vmsh_checkpoint_lookup(ctl, cmd, "checkpointname", dom, &name)))
        return false;
    if (!(xml = virDomainCheckpointGetXMLDesc(chk, flags)))
        return false;
    ok = vmsh_dump_xml(ctl, xml, "domain-checkpoint", xpath, vmsh_opt_bool(cmd, "wrap"));
    free(xml);
    return ok;
}

const vmsh_cmd_def vmsh_cmd_checkpoint_dumpxml = {
    .name = "checkpoint-dumpxml",
    .group = "checkpoint",
    .summary = "print a checkpoint's XML",
    .description = "Prints the XML description of a checkpoint, or with --xpath only the "
                   "nodes an XPath expression selects.",
    .opts = opts,
    .handler = cmd_checkpoint_dumpxml,
};
