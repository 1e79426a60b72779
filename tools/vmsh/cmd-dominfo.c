/* dominfo: a domain's identity, state, CPUs, memory, persistence and security label. */
#include "vmsh-util.h"

#include <limits.h>
#include <stdlib.h>

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = NULL },
};

static bool print_info(vmsh_ctl *ctl, virDomainPtr dom)
{
    virDomainInfo info;

    if (virDomainGetInfo(dom, &info) != 0)
        return false;
    vmsh_print(ctl, "%-15s %s\n", "State:", vmsh_domain_state_name(info.state));
    vmsh_print(ctl, "%-15s %d\n", "CPU(s):", info.nrVirtCpu);
    if (info.cpuTime != 0)
        vmsh_print(ctl, "%-15s %.1lfs\n", "CPU time:", (double)info.cpuTime / 1000000000.0);
    if (info.maxMem != UINT_MAX)
        vmsh_print(ctl, "%-15s %lu KiB\n", "Max memory:", info.maxMem);
    else
        vmsh_print(ctl, "%-15s %s\n", "Max memory:", "no limit");
    vmsh_print(ctl, "%-15s %lu KiB\n", "Used memory:", info.memory);
    return true;
}

static void print_flags(vmsh_ctl *ctl, virDomainPtr dom)
{
    int persistent, autostart, managed;

    persistent = virDomainIsPersistent(dom);
    vmsh_debug(ctl, VMSH_ERR_DEBUG, "Domain persistent flag value: %d\n", persistent);
    vmsh_print(ctl, "%-15s %s\n", "Persistent:",
               persistent < 0 ? "unknown" : persistent ? "yes" : "no");
    if (virDomainGetAutostart(dom, &autostart) == 0)
        vmsh_print(ctl, "%-15s %s\n", "Autostart:", autostart ? "enable" : "disable");
    managed = virDomainHasManagedSaveImage(dom, 0);
    vmsh_print(ctl, "%-15s %s\n", "Managed save:",
               managed < 0 ? "unknown" : managed ? "yes" : "no");
}

/* The host's security model and, for a running domain, the domain's label. */
static bool print_security(vmsh_ctl *ctl, virDomainPtr dom)
{
    virSecurityModel model = { 0 };
    virSecurityLabel label = { 0 };

    if (virNodeGetSecurityModel(ctl->conn, &model) == -1) {
        if (vmsh_error_code(ctl) != VIR_ERR_NO_SUPPORT)
            return false;
        vmsh_reset_error(ctl);
        return true;
    }
    if (model.model[0] == '\0')
        return true;
    vmsh_print(ctl, "%-15s %s\n", "Security model:", model.model);
    vmsh_print(ctl, "%-15s %s\n", "Security DOI:", model.doi);
    if (virDomainGetSecurityLabel(dom, &label) == -1)
        return false;
    if (label.label[0] != '\0')
        vmsh_print(ctl, "%-15s %s (%s)\n", "Security label:", label.label,
                   label.enforcing ? "enforcing" : "permissive");
    return true;
}

static bool cmd_dominfo(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    char uuid[VIR_UUID_STRING_BUFLEN];
    unsigned int id;
    bool ok;

    if (!dom)
        return false;
    id = virDomainGetID(dom);
    if (id == (unsigned int)-1)
        vmsh_print(ctl, "%-15s %s\n", "Id:", "-");
    else
        vmsh_print(ctl, "%-15s %d\n", "Id:", (int)id);
    vmsh_print(ctl, "%-15s %s\n", "Name:", virDomainGetName(dom));
    if (virDomainGetUUIDString(dom, uuid) == 0)
        vmsh_print(ctl, "%-15s %s\n", "UUID:", uuid);
    char *ostype = virDomainGetOSType(dom);
    if (ostype) {
        vmsh_print(ctl, "%-15s %s\n", "OS Type:", ostype);
        free(ostype);
    }
    ok = print_info(ctl, dom);
    print_flags(ctl, dom);
    if (!print_security(ctl, dom))
        return false;
    return ok;
}

const vmsh_cmd_def vmsh_cmd_dominfo = {
    .name = "dominfo",
    .group = "monitor",
    .summary = "show a domain's basic facts",
    .description = "Shows a domain's ID, name, UUID, state, CPUs, memory, whether it is "
                   "persistent and starts with the host, and its security label.",
    .opts = opts,
    .handler = cmd_dominfo,
};
