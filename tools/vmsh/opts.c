/* Reading a parsed command's options: presence, strings, numbers, word lists, exclusions. */
#include "vmsh.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The option's given value: 1 if given, 0 if not, -1 if required and missing. */
static int find(const vmsh_cmd *cmd, const char *name, bool need_data, const vmsh_opt **ret)
{
    const vmsh_opt_def *valid = cmd->def->opts;
    int rc = 0;

    *ret = NULL;
    while (valid && valid->name && strcmp(valid->name, name) != 0)
        valid++;
    /* asking for an option the command doesn't declare is a programming error */
    assert(valid && valid->name && (!need_data || valid->type != VMSH_OT_BOOL));
    if (valid->flags & VMSH_OF_REQ)
        rc = -1;
    for (size_t i = 0; i < cmd->opts->len; i++) {
        const vmsh_opt *opt = g_ptr_array_index(cmd->opts, i);
        if (strcmp(opt->def->name, name) == 0) {
            *ret = opt;
            return 1;
        }
    }
    return rc;
}

bool vmsh_opt_bool(const vmsh_cmd *cmd, const char *name)
{
    const vmsh_opt *opt;

    return find(cmd, name, false, &opt) == 1;
}

/* 1 with *value set, 0 if absent, -1 (silently) if empty where empty isn't allowed. */
int vmsh_opt_string_quiet(const vmsh_cmd *cmd, const char *name, const char **value)
{
    const vmsh_opt *opt;
    int rc = find(cmd, name, true, &opt);

    if (rc <= 0)
        return rc;
    if (!*opt->data && !(opt->def->flags & VMSH_OF_EMPTY_OK))
        return -1;
    *value = opt->data;
    return 1;
}

/* Like vmsh_opt_string_quiet, but an error is printed. */
int vmsh_opt_string_req(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *name, const char **value)
{
    const vmsh_opt *opt;
    const char *why = NULL;
    int rc = find(cmd, name, true, &opt);

    if (rc == 0)
        return 0;
    if (rc == -1)
        why = "Mandatory option not present";
    else if (!*opt->data && !(opt->def->flags & VMSH_OF_EMPTY_OK))
        why = "Option argument is empty";
    if (why) {
        vmsh_error(ctl, "Failed to get option '%s': %s", name, why);
        return -1;
    }
    *value = opt->data;
    return 1;
}

static int number_error(vmsh_ctl *ctl, const vmsh_opt *opt, const char *name)
{
    vmsh_error(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
               opt->data, name);
    return -1;
}

/* Whole-string integer conversions in the manner of libvirt's virStrToLong_*. */
static bool parse_ll(const char *s, long long *ret)
{
    char *end;

    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return false;
    *ret = v;
    return true;
}

static bool parse_ull(const char *s, unsigned long long *ret)
{
    char *end;

    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    /* a negative number would wrap around: refuse it */
    if (errno || end == s || *end || strchr(s, '-'))
        return false;
    *ret = v;
    return true;
}

int vmsh_opt_int(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *name, int *value)
{
    const vmsh_opt *opt;
    long long v;
    int rc = find(cmd, name, true, &opt);

    if (rc <= 0)
        return rc;
    if (!parse_ll(opt->data, &v) || v < INT_MIN || v > INT_MAX)
        return number_error(ctl, opt, name);
    *value = (int)v;
    return 1;
}

int vmsh_opt_uint(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *name, unsigned int *value)
{
    const vmsh_opt *opt;
    unsigned long long v;
    int rc = find(cmd, name, true, &opt);

    if (rc <= 0)
        return rc;
    if (!parse_ull(opt->data, &v) || v > UINT_MAX)
        return number_error(ctl, opt, name);
    *value = (unsigned int)v;
    return 1;
}

int vmsh_opt_ullong(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *name,
                    unsigned long long *value)
{
    const vmsh_opt *opt;
    unsigned long long v;
    int rc = find(cmd, name, true, &opt);

    if (rc <= 0)
        return rc;
    if (!parse_ull(opt->data, &v))
        return number_error(ctl, opt, name);
    *value = v;
    return 1;
}

/* The words of the command's ARGV option, one after the other: pass NULL first. */
const vmsh_opt *vmsh_opt_argv(const vmsh_cmd *cmd, const vmsh_opt *prev)
{
    size_t i = 0;

    if (prev) {
        while (i < cmd->opts->len && g_ptr_array_index(cmd->opts, i) != prev)
            i++;
        i++;
    }
    for (; i < cmd->opts->len; i++) {
        const vmsh_opt *opt = g_ptr_array_index(cmd->opts, i);
        if (opt->def->type == VMSH_OT_ARGV)
            return opt;
    }
    return NULL;
}

bool vmsh_exclusive_vars(vmsh_ctl *ctl, bool a, const char *a_name, bool b, const char *b_name)
{
    if (a && b) {
        vmsh_error(ctl, "Options --%s and --%s are mutually exclusive", a_name, b_name);
        return false;
    }
    return true;
}

bool vmsh_require_vars(vmsh_ctl *ctl, bool opt, const char *opt_name, bool needed,
                       const char *needed_name)
{
    if (opt && !needed) {
        vmsh_error(ctl, "Option --%s is required by option --%s", needed_name, opt_name);
        return false;
    }
    return true;
}

bool vmsh_opts_exclusive(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *a, const char *b)
{
    return vmsh_exclusive_vars(ctl, vmsh_opt_bool(cmd, a), a, vmsh_opt_bool(cmd, b), b);
}

bool vmsh_opts_require(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *opt, const char *needed)
{
    return vmsh_require_vars(ctl, vmsh_opt_bool(cmd, opt), opt, vmsh_opt_bool(cmd, needed),
                             needed);
}

/* "a,b,,c" -> {"a", "b,c", NULL}: ',,' stands for a literal comma; "" -> {NULL}. */
char **vmsh_split_commas(const char *text)
{
    g_autoptr(GPtrArray) parts = g_ptr_array_new();
    g_autoptr(GString) cur = g_string_new(NULL);

    if (!*text) {
        g_ptr_array_add(parts, NULL);
        return (char **)g_ptr_array_free(g_steal_pointer(&parts), FALSE);
    }
    for (const char *p = text; *p; p++) {
        if (*p != ',') {
            g_string_append_c(cur, *p);
        } else if (p[1] == ',') {
            g_string_append_c(cur, ',');
            p++;
        } else {
            g_ptr_array_add(parts, g_strdup(cur->str));
            g_string_truncate(cur, 0);
        }
    }
    g_ptr_array_add(parts, g_strdup(cur->str));
    g_ptr_array_add(parts, NULL);
    return (char **)g_ptr_array_free(g_steal_pointer(&parts), FALSE);
}
