/* help: the commands by group, one group's commands, or one command's synopsis and options. */
#include "vmsh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const vmsh_opt_def opts[] = {
    { .name = "command", .type = VMSH_OT_STRING,
      .help = "a command or a group keyword to describe" },
    { .name = NULL },
};

static int by_name(const void *a, const void *b)
{
    const vmsh_cmd_def *const *x = a, *const *y = b;

    return strcmp((*x)->name, (*y)->name);
}

/* The visible commands of GROUP, sorted by name. */
static GPtrArray *group_commands(const char *group)
{
    GPtrArray *cmds = g_ptr_array_new();

    for (size_t i = 0; vmsh_commands[i]; i++) {
        const vmsh_cmd_def *def = vmsh_commands[i];
        if (strcmp(def->group, group) == 0 && !(def->flags & VMSH_CMD_ALIAS))
            g_ptr_array_add(cmds, (gpointer)def);
    }
    if (cmds->len > 1)
        qsort(cmds->pdata, cmds->len, sizeof(gpointer), by_name);
    return cmds;
}

static void print_group(vmsh_ctl *ctl, const vmsh_group *grp)
{
    g_autoptr(GPtrArray) cmds = group_commands(grp->keyword);

    vmsh_print(ctl, " %s (help keyword '%s'):\n", grp->title, grp->keyword);
    for (size_t i = 0; i < cmds->len; i++) {
        const vmsh_cmd_def *def = g_ptr_array_index(cmds, i);
        vmsh_print(ctl, "    %-30s %s\n", def->name, def->summary);
    }
}

/* How an option shows in the synopsis line. */
static char *synopsis_word(const vmsh_opt_def *opt, bool *shortopt)
{
    bool req = opt->flags & VMSH_OF_REQ, positional = !(opt->flags & VMSH_OF_REQ_OPT);

    switch (opt->type) {
    case VMSH_OT_BOOL:
        return g_strdup_printf("[--%s]", opt->name);
    case VMSH_OT_INT:
        *shortopt |= positional;
        return req ? g_strdup_printf("<%s>", opt->name)
                   : g_strdup_printf("[--%s <number>]", opt->name);
    case VMSH_OT_STRING:
        *shortopt |= positional;
        return g_strdup_printf("[--%s <string>]", opt->name);
    case VMSH_OT_DATA:
        *shortopt |= positional;
        return req ? g_strdup_printf("<%s>", opt->name) : g_strdup_printf("[<%s>]", opt->name);
    case VMSH_OT_ARGV:
        if (*shortopt)
            return req ? g_strdup_printf("{[--%s] <string>}...", opt->name)
                       : g_strdup_printf("[[--%s] <string>]...", opt->name);
        return req ? g_strdup_printf("<%s>...", opt->name) : g_strdup_printf("[<%s>]...", opt->name);
    case VMSH_OT_ALIAS:
    default:
        return NULL;
    }
}

/* How an option shows in the option list. */
static char *option_label(const vmsh_opt_def *opt, bool shortopt)
{
    switch (opt->type) {
    case VMSH_OT_BOOL:
        return g_strdup_printf("--%s", opt->name);
    case VMSH_OT_INT:
        return g_strdup_printf((opt->flags & VMSH_OF_REQ) ? "[--%s] <number>" : "--%s <number>",
                               opt->name);
    case VMSH_OT_STRING:
        return g_strdup_printf("--%s <string>", opt->name);
    case VMSH_OT_DATA:
        return g_strdup_printf("[--%s] <string>", opt->name);
    case VMSH_OT_ARGV:
        return g_strdup_printf(shortopt ? "[--%s] <string>" : "<%s>", opt->name);
    default:
        return NULL;
    }
}

static bool print_command(vmsh_ctl *ctl, const vmsh_cmd_def *def)
{
    uint64_t need_arg, required;
    bool shortopt = false;

    if (def->flags & VMSH_CMD_ALIAS)
        def = vmsh_cmd_find(def->alias);
    if (vmsh_cmd_def_check(def, &need_arg, &required) < 0) {
        vmsh_error(ctl, "internal error: bad options in command: '%s'", def->name);
        return false;
    }
    vmsh_print(ctl, "  NAME\n    %s - %s\n\n  SYNOPSIS\n    %s", def->name, def->summary,
               def->name);
    for (const vmsh_opt_def *opt = def->opts; opt && opt->name; opt++) {
        g_autofree char *word = synopsis_word(opt, &shortopt);
        if (word)
            vmsh_print(ctl, " %s", word);
    }
    vmsh_print(ctl, "\n");
    if (def->description && *def->description)
        vmsh_print(ctl, "\n  DESCRIPTION\n    %s\n", def->description);
    if (def->opts && def->opts->name) {
        vmsh_print(ctl, "\n  OPTIONS\n");
        for (const vmsh_opt_def *opt = def->opts; opt->name; opt++) {
            g_autofree char *label = option_label(opt, shortopt);
            if (label)
                vmsh_print(ctl, "    %-15s  %s\n", label, opt->help);
        }
    }
    vmsh_print(ctl, "\n");
    return true;
}

static bool cmd_help(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *name = NULL;
    const vmsh_cmd_def *def;
    const vmsh_group *grp;

    if (vmsh_opt_string_quiet(cmd, "command", &name) <= 0) {
        vmsh_print(ctl, "%s", "Grouped commands:\n\n");
        for (size_t g = 0; vmsh_groups[g].keyword; g++) {
            g_autoptr(GPtrArray) cmds = group_commands(vmsh_groups[g].keyword);
            if (!cmds->len)
                continue;
            print_group(ctl, &vmsh_groups[g]);
            vmsh_print(ctl, "\n");
        }
        return true;
    }
    if ((def = vmsh_cmd_find(name)))
        return print_command(ctl, def);
    if ((grp = vmsh_group_find(name))) {
        print_group(ctl, grp);
        return true;
    }
    vmsh_error(ctl, "command or command group '%s' doesn't exist", name);
    return false;
}

const vmsh_cmd_def vmsh_cmd_help = {
    .name = "help",
    .group = "vmsh",
    .summary = "describe the commands",
    .description = "Lists the commands by group, or describes one group or one command.",
    .opts = opts,
    .handler = cmd_help,
    .flags = VMSH_CMD_NOCONNECT,
};
