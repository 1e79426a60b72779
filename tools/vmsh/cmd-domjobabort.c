/* domjobabort: ends the job running on a domain (a pull backup ends this way). */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "postcopy", .type = VMSH_OT_BOOL, .help = "interrupt a post-copy migration" },
    { .name = NULL },
};

static bool cmd_domjobabort(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);

    if (!dom)
        return false;
    if (vmsh_opt_bool(cmd, "postcopy"))
        return virDomainAbortJobFlags(dom, VIR_DOMAIN_ABORT_JOB_POSTCOPY) == 0;
    return virDomainAbortJob(dom) == 0;
}

const vmsh_cmd_def vmsh_cmd_domjobabort = {
    .name = "domjobabort",
    .group = "domain",
    .summary = "abort a domain's job",
    .description = "Aborts the job running on a domain. A push backup ends cancelled; a "
                   "pull backup ends this way once its client has read the data.",
    .opts = opts,
    .handler = cmd_domjobabort,
};
