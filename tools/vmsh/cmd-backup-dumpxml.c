/* backup-dumpxml: the XML of a domain's running backup job, with the values chosen for it. */
#include "vmsh-util.h"

#include <stdlib.h>

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "xpath", .type = VMSH_OT_STRING, .flags = VMSH_OF_REQ_OPT,
      .help = "print only the nodes this XPath expression selects" },
    { .name = "wrap", .type = VMSH_OT_BOOL,
      .help = "put the selected nodes in one <nodes> element" },
    { .name = NULL },
};

static bool cmd_backup_dumpxml(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *xpath = NULL;
    char *xml;
    bool ok;

    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    if (vmsh_opt_string_quiet(cmd, "xpath", &xpath) < 0)
        return false;
    if (!(xml = virDomainBackupGetXMLDesc(dom, 0)))
        return false;
    ok = vmsh_dump_xml(ctl, xml, "domain-backup", xpath, vmsh_opt_bool(cmd, "wrap"));
    free(xml);
    return ok;
}

const vmsh_cmd_def vmsh_cmd_backup_dumpxml = {
    .name = "backup-dumpxml",
    .group = "backup",
    .summary = "print the XML of a running backup",
    .description = "Prints the <domainbackup> XML of the backup job running on a domain, "
                   "with the values chosen for it (targets, export names, port), or with "
                   "--xpath only the nodes an XPath expression selects.",
    .opts = opts,
    .handler = cmd_backup_dumpxml,
};
