/* domstate: a domain's state, optionally with the reason it is in it. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "reason", .type = VMSH_OT_BOOL, .help = "also say why it is in that state" },
    { .name = NULL },
};

static bool cmd_domstate(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    int state, reason;

    if (!dom)
        return false;
    if ((state = vmsh_domain_state(ctl, dom, &reason)) < 0) {
        vmsh_error(ctl, "%s", "Unable to get domain state");
        return false;
    }
    if (vmsh_opt_bool(cmd, "reason"))
        vmsh_print(ctl, "%s (%s)\n", vmsh_domain_state_name(state),
                   vmsh_domain_reason_name(state, reason));
    else
        vmsh_print(ctl, "%s\n", vmsh_domain_state_name(state));
    return true;
}

const vmsh_cmd_def vmsh_cmd_domstate = {
    .name = "domstate",
    .group = "monitor",
    .summary = "show a domain's state",
    .opts = opts,
    .handler = cmd_domstate,
};
