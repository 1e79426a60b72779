/* Domains as commands see them: lookup, state and reason names, listing order, times. */
#include "vmsh-util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool parse_id(const char *s, int *ret)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < INT_MIN || v > INT_MAX)
        return false;
    *ret = (int)v;
    return true;
}

/* The domain NAME names, trying an ID, then a UUID, then a name, as BY allows. */
virDomainPtr vmsh_lookup_domain(vmsh_ctl *ctl, const char *cmdname, const char *name,
                                unsigned int by)
{
    virDomainPtr dom = NULL;
    int id;

    if ((by & VMSH_BY_ID) && parse_id(name, &id) && id >= 0) {
        vmsh_debug(ctl, VMSH_ERR_DEBUG, "%s: <domain> looks like ID\n", cmdname);
        dom = virDomainLookupByID(ctl->conn, id);
    }
    if (!dom && (by & VMSH_BY_UUID) && strlen(name) == VIR_UUID_STRING_BUFLEN - 1) {
        vmsh_debug(ctl, VMSH_ERR_DEBUG, "%s: <domain> trying as domain UUID\n", cmdname);
        dom = virDomainLookupByUUIDString(ctl->conn, name);
    }
    if (!dom && (by & VMSH_BY_NAME)) {
        vmsh_debug(ctl, VMSH_ERR_DEBUG, "%s: <domain> trying as domain NAME\n", cmdname);
        dom = virDomainLookupByName(ctl->conn, name);
    }
    vmsh_reset_error(ctl);
    if (!dom)
        vmsh_error(ctl, "failed to get domain '%s'", name);
    return dom;
}

/* The domain of the command's "domain" option. */
virDomainPtr vmsh_opt_domain_by(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char **ret_name,
                                unsigned int by)
{
    const char *name = NULL;

    if (vmsh_opt_string_req(ctl, cmd, "domain", &name) < 0)
        return NULL;
    vmsh_debug(ctl, VMSH_ERR_INFO, "%s: found option <%s>: %s\n", cmd->def->name, "domain",
               name);
    if (ret_name)
        *ret_name = name;
    return vmsh_lookup_domain(ctl, cmd->def->name, name, by);
}

virDomainPtr vmsh_opt_domain(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char **ret_name)
{
    return vmsh_opt_domain_by(ctl, cmd, ret_name, VMSH_BY_ANY);
}

/* The domain's state (and reason), falling back on virDomainGetInfo for drivers
 * without virDomainGetState; -1 on error. */
int vmsh_domain_state(vmsh_ctl *ctl, virDomainPtr dom, int *ret_reason)
{
    virDomainInfo info;
    int state;

    if (ret_reason)
        *ret_reason = -1;
    if (!ctl->use_get_info) {
        if (virDomainGetState(dom, &state, ret_reason, 0) == 0)
            return state;
        if (virGetLastErrorCode() != VIR_ERR_NO_SUPPORT)
            return -1;
        ctl->use_get_info = true;
    }
    if (virDomainGetInfo(dom, &info) < 0)
        return -1;
    return info.state;
}

static const char *const state_names[] = {
    "no state", "running", "idle", "paused", "in shutdown", "shut off", "crashed",
    "pmsuspended",
};

const char *vmsh_domain_state_name(int state)
{
    if (state < 0 || state >= (int)G_N_ELEMENTS(state_names))
        return "no state";
    return state_names[state];
}

static const char *const running_reasons[] = {
    "unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
    "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy",
    "post-copy failed", NULL,
};
static const char *const paused_reasons[] = {
    "unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog",
    "from snapshot", "shutting down", "creating snapshot", "crashed", "starting up",
    "post-copy", "post-copy failed", "api error", NULL,
};
static const char *const shutdown_reasons[] = { "unknown", "user", NULL };
static const char *const shutoff_reasons[] = {
    "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
    "from snapshot", "daemon", NULL,
};
static const char *const crashed_reasons[] = { "unknown", "panicked", NULL };
static const char *const unknown_only[] = { "unknown", NULL };

static const char *const *reasons_of(int state)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING:
        return running_reasons;
    case VIR_DOMAIN_PAUSED:
        return paused_reasons;
    case VIR_DOMAIN_SHUTDOWN:
        return shutdown_reasons;
    case VIR_DOMAIN_SHUTOFF:
        return shutoff_reasons;
    case VIR_DOMAIN_CRASHED:
        return crashed_reasons;
    case VIR_DOMAIN_NOSTATE:
    case VIR_DOMAIN_BLOCKED:
    case VIR_DOMAIN_PMSUSPENDED:
        return unknown_only;
    default:
        return NULL;
    }
}

const char *vmsh_domain_reason_name(int state, int reason)
{
    const char *const *names = reasons_of(state);

    if (!names || reason < 0)
        return "unknown";
    for (int i = 0; names[i]; i++) {
        if (i == reason)
            return names[i];
    }
    return "unknown";
}

/* qsort order of domain listings: running domains by ID, then the others by name
 * (ignoring case). */
int vmsh_domain_sort(const void *a, const void *b)
{
    virDomainPtr da = *(virDomainPtr const *)a;
    virDomainPtr db = *(virDomainPtr const *)b;
    unsigned int inactive = (unsigned int)-1;

    if (da && !db)
        return -1;
    if (!da)
        return db != NULL;
    unsigned int ida = virDomainGetID(da);
    unsigned int idb = virDomainGetID(db);
    if (ida == inactive && idb == inactive)
        return g_ascii_strcasecmp(virDomainGetName(da), virDomainGetName(db));
    if (ida != inactive && idb != inactive) {
        if (ida != idb)
            return ida > idb ? 1 : -1;
    }
    return ida != inactive ? -1 : 1;
}

/* "2026-11-22 04:13:00 +0000": local time, as snapshot and checkpoint tables show it. */
char *vmsh_format_time(time_t when)
{
    struct tm tm;
    char buf[64];

    if (!localtime_r(&when, &tm) || strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %z", &tm) == 0)
        return g_strdup("");
    return g_strdup(buf);
}

/* The flags of --mode "acpi,agent,...", which shutdown and reboot share (their flag
 * values are the same). */
bool vmsh_shutdown_modes(vmsh_ctl *ctl, const vmsh_cmd *cmd, bool reboot,
                         unsigned int *ret_flags)
{
    static const struct { const char *name; unsigned int flag; } modes[] = {
        { "acpi", VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN },
        { "agent", VIR_DOMAIN_SHUTDOWN_GUEST_AGENT },
        { "initctl", VIR_DOMAIN_SHUTDOWN_INITCTL },
        { "signal", VIR_DOMAIN_SHUTDOWN_SIGNAL },
        { "paravirt", VIR_DOMAIN_SHUTDOWN_PARAVIRT },
    };
    const char *mode = NULL;
    unsigned int flags = 0;

    *ret_flags = 0;
    if (vmsh_opt_string_req(ctl, cmd, "mode", &mode) < 0)
        return false;
    if (!mode)
        return true;
    g_auto(GStrv) words = g_strsplit(mode, ",", 0);
    for (char **w = words; *w; w++) {
        size_t i;
        for (i = 0; i < G_N_ELEMENTS(modes) && strcmp(modes[i].name, *w) != 0; i++)
            ;
        if (i == G_N_ELEMENTS(modes)) {
            vmsh_error(ctl, "Unknown mode %s value, expecting 'acpi', 'agent', 'initctl', "
                       "'signal'%s or 'paravirt'", *w, reboot ? "" : ",");
            return false;
        }
        flags |= modes[i].flag;
    }
    *ret_flags = flags;
    return true;
}

/* --pass-fds N,M,...: checked like virsh checks it, but the library has no API to
 * hand descriptors to a domain, so any list is refused. */
bool vmsh_pass_fds(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *list = NULL;
    int fd;

    if (vmsh_opt_string_quiet(cmd, "pass-fds", &list) <= 0)
        return true;
    g_auto(GStrv) words = g_strsplit(list, ",", -1);
    for (char **w = words; *w; w++) {
        if (!parse_id(*w, &fd)) {
            vmsh_error(ctl, "Unable to parse FD number '%s'", *w);
            return false;
        }
    }
    vmsh_error(ctl, "%s", "passing file descriptors to a domain is not supported");
    return false;
}

/* --console after starting a domain: there is no console API, so this only
 * reports why it can't attach. */
bool vmsh_run_console(vmsh_ctl *ctl, virDomainPtr dom)
{
    int state = vmsh_domain_state(ctl, dom, NULL);

    if (state < 0) {
        vmsh_error(ctl, "%s", "Unable to get domain status");
        return false;
    }
    if (state == VIR_DOMAIN_SHUTOFF) {
        vmsh_error(ctl, "%s", "The domain is not running");
        return false;
    }
    if (!isatty(STDIN_FILENO)) {
        vmsh_error(ctl, "%s", "Cannot run interactive console without a controlling TTY");
        return false;
    }
    vmsh_error(ctl, "%s", "the console is not supported by this shell");
    return false;
}
