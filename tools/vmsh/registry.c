/* The command registry: commands and help groups by name, option lists checked. */
#include "vmsh.h"

#include <string.h>

/* The groups in the order "help" lists them. */
const vmsh_group vmsh_groups[] = {
    { "domain", "Domain Management" },
    { "monitor", "Domain Monitoring" },
    { "events", "Domain Events" },
    { "host", "Host and Hypervisor" },
    { "checkpoint", "Checkpoint" },
    { "snapshot", "Snapshot" },
    { "backup", "Backup" },
    { "vmsh", "The shell itself" },
    { NULL, NULL },
};

const vmsh_cmd_def *vmsh_cmd_find(const char *name)
{
    for (size_t i = 0; vmsh_commands[i]; i++) {
        if (strcmp(vmsh_commands[i]->name, name) == 0)
            return vmsh_commands[i];
    }
    return NULL;
}

/* A group by keyword or by title; "virsh" is accepted for the shell's own group. */
const vmsh_group *vmsh_group_find(const char *name)
{
    if (strcmp(name, "virsh") == 0)
        name = "vmsh";
    for (size_t i = 0; vmsh_groups[i].keyword; i++) {
        if (strcmp(vmsh_groups[i].keyword, name) == 0 ||
            strcmp(vmsh_groups[i].title, name) == 0)
            return &vmsh_groups[i];
    }
    return NULL;
}

static int check_alias(const vmsh_opt_def *opts, size_t i)
{
    const vmsh_opt_def *opt = &opts[i];
    g_autofree char *target = NULL;
    const char *eq;
    size_t j;

    if (opt->flags || !opt->help)
        return -1;
    eq = strchr(opt->help, '=');
    target = eq ? g_strndup(opt->help, (size_t)(eq - opt->help)) : g_strdup(opt->help);
    for (j = i + 1; opts[j].name; j++) {
        if (strcmp(target, opts[j].name) == 0 && opts[j].type != VMSH_OT_ALIAS)
            break;
    }
    if (!opts[j].name)
        return -1; /* an alias names a later option */
    if (eq && opts[j].type == VMSH_OT_BOOL)
        return -1; /* "name=value" needs an option with a value */
    return 0;
}

/* Which options take positional words (ret_need_arg) and which must be given
 * (ret_required), one bit per option index; -1 if the list breaks the rules. */
int vmsh_cmd_def_check(const vmsh_cmd_def *def, uint64_t *ret_need_arg, uint64_t *ret_required)
{
    uint64_t need_arg = 0, required = 0;
    bool optional = false;

    for (size_t i = 0; def->opts && def->opts[i].name; i++) {
        const vmsh_opt_def *opt = &def->opts[i];

        if (i > 63)
            return -1;
        if (opt->type == VMSH_OT_BOOL) {
            optional = true;
            if (opt->flags & VMSH_OF_REQ)
                return -1;
            continue;
        }
        if (opt->type == VMSH_OT_ALIAS) {
            if (check_alias(def->opts, i) < 0)
                return -1;
            continue;
        }
        if (opt->flags & VMSH_OF_REQ_OPT) {
            if (opt->flags & VMSH_OF_REQ)
                required |= 1ULL << i;
            else
                optional = true;
            continue;
        }
        need_arg |= 1ULL << i;
        if (opt->flags & VMSH_OF_REQ) {
            if (optional && opt->type != VMSH_OT_ARGV)
                return -1; /* required positionals come first */
            required |= 1ULL << i;
        } else {
            optional = true;
        }
        if (opt->type == VMSH_OT_ARGV && def->opts[i + 1].name)
            return -1; /* the word list comes last */
    }
    *ret_need_arg = need_arg;
    *ret_required = required;
    return 0;
}
