/* Parsing a whole script before anything runs: words, then options, the way virsh does. */
#include "vmsh.h"

#include <string.h>

typedef enum { TK_ERROR = -1, TK_ARG, TK_SUBCMD_END, TK_END } token;

typedef struct parser parser;
struct parser {
    token (*next)(vmsh_ctl *ctl, parser *p, char **res, bool report);
    const char *pos;   /* string mode */
    char *const *argv; /* argv mode */
    int argc;
    int argi;
};

static const vmsh_opt_def help_opt = {
    .name = "help", .type = VMSH_OT_BOOL, .help = "show the help of this command",
};

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* The next word of a command string, shell-like: '...' keeps everything, "..." and
 * bare text honour backslash escapes; ';' or a newline ends a command; a word that
 * starts with '#' comments out the rest of the line. */
static token string_next(vmsh_ctl *ctl, parser *ps, char **res, bool report)
{
    const char *p = ps->pos;
    bool single_quote = false, double_quote = false;
    g_autoptr(GString) word = g_string_new(NULL);

    *res = NULL;
    while (is_blank(*p) || (*p == '\\' && p[1] == '\n'))
        p += 1 + (*p == '\\');
    if (*p == '\0')
        return TK_END;
    if (*p == ';' || *p == '\n') {
        ps->pos = p + 1;
        return TK_SUBCMD_END;
    }
    if (*p == '#') {
        while (*p && *p != '\n')
            p++;
        ps->pos = p + (*p != '\0');
        return TK_SUBCMD_END;
    }
    while (*p) {
        if (!single_quote && !double_quote && (is_blank(*p) || *p == ';' || *p == '\n'))
            break;
        if (!double_quote && *p == '\'') {
            single_quote = !single_quote;
            p++;
            continue;
        }
        if (!single_quote && *p == '\\') {
            p++;
            if (*p == '\0') {
                if (report)
                    vmsh_error(ctl, "%s", "dangling \\");
                return TK_ERROR;
            }
            if (*p == '\n') {
                p++;
                continue;
            }
        } else if (!single_quote && *p == '"') {
            double_quote = !double_quote;
            p++;
            continue;
        }
        g_string_append_c(word, *p++);
    }
    if (double_quote) {
        if (report)
            vmsh_error(ctl, "%s", "missing \"");
        return TK_ERROR;
    }
    ps->pos = p;
    *res = g_string_free(g_steal_pointer(&word), FALSE);
    return TK_ARG;
}

/* Words given as separate program arguments are taken verbatim: one command. */
static token argv_next(vmsh_ctl *ctl, parser *ps, char **res, bool report)
{
    if (ps->argi >= ps->argc) {
        *res = NULL;
        return TK_END;
    }
    *res = g_strdup(ps->argv[ps->argi++]);
    return TK_ARG;
}

static void opt_free(gpointer data)
{
    vmsh_opt *opt = data;

    g_free(opt->data);
    g_free(opt);
}

void vmsh_cmd_free(vmsh_cmd *cmd)
{
    if (!cmd)
        return;
    if (cmd->opts)
        g_ptr_array_unref(cmd->opts);
    g_free(cmd);
}

/* The state of the command being parsed. */
typedef struct {
    const vmsh_cmd_def *def;
    GPtrArray *opts;
    uint64_t need_arg;
    uint64_t required;
    uint64_t seen;
    bool data_only;
} pending;

/* The option called NAME (an alias resolved; "name=value" aliases fill *optstr). */
static const vmsh_opt_def *find_option(vmsh_ctl *ctl, pending *pc, const char *name,
                                       size_t *ret_index, char **optstr)
{
    const vmsh_opt_def *opts = pc->def->opts;
    g_autofree char *alias = NULL;

    if (strcmp(name, help_opt.name) == 0)
        return &help_opt;
    for (size_t i = 0; opts && opts[i].name; i++) {
        const vmsh_opt_def *opt = &opts[i];

        if (strcmp(opt->name, name) != 0)
            continue;
        if (opt->type == VMSH_OT_ALIAS) {
            char *value;

            g_free(alias);
            alias = g_strdup(opt->help);
            name = alias;
            if ((value = strchr(alias, '='))) {
                *value = '\0';
                if (*optstr) {
                    vmsh_error(ctl, "invalid '=' after option --%s", opt->name);
                    return NULL;
                }
                *optstr = g_strdup(value + 1);
            }
            continue;
        }
        if ((pc->seen & (1ULL << i)) && opt->type != VMSH_OT_ARGV) {
            vmsh_error(ctl, "option --%s already seen", name);
            return NULL;
        }
        pc->seen |= 1ULL << i;
        *ret_index = i;
        return opt;
    }
    if (strcmp(pc->def->name, "help") != 0)
        vmsh_error(ctl, "command '%s' doesn't support option --%s", pc->def->name, name);
    return NULL;
}

/* The next option that takes a positional word, or NULL. */
static const vmsh_opt_def *next_positional(pending *pc)
{
    if (!pc->need_arg)
        return NULL;
    size_t i = (size_t)__builtin_ctzll(pc->need_arg);
    const vmsh_opt_def *opt = &pc->def->opts[i];
    if (opt->type != VMSH_OT_ARGV)
        pc->need_arg &= ~(1ULL << i);
    pc->seen |= 1ULL << i;
    return opt;
}

static void add_option(vmsh_ctl *ctl, pending *pc, const vmsh_opt_def *def, char *data)
{
    vmsh_opt *opt = g_new0(vmsh_opt, 1);

    opt->def = def;
    opt->data = data;
    g_ptr_array_add(pc->opts, opt);
    vmsh_debug(ctl, VMSH_ERR_INFO, "%s: %s(%s): %s\n", pc->def->name, def->name,
               def->type != VMSH_OT_BOOL ? "optdata" : "bool",
               def->type != VMSH_OT_BOOL ? data : "(none)");
}

/* "--name" or "--name=value": find the option and take its value. */
static bool parse_named(vmsh_ctl *ctl, parser *ps, pending *pc, char *word)
{
    char *optstr = NULL;
    char *eq = strchr(word + 2, '=');
    size_t index = 0;
    const vmsh_opt_def *opt;

    if (eq) {
        *eq = '\0';
        optstr = g_strdup(eq + 1);
    }
    opt = find_option(ctl, pc, word + 2, &index, &optstr);
    if (!opt) {
        g_free(optstr);
        return strcmp(pc->def->name, "help") == 0; /* help ignores what it doesn't know */
    }
    if (opt->type == VMSH_OT_BOOL) {
        if (optstr) {
            vmsh_error(ctl, "invalid '=' after option --%s", opt->name);
            g_free(optstr);
            return false;
        }
        add_option(ctl, pc, opt, NULL);
        return true;
    }
    char *value = optstr;
    if (!value) {
        token tk = ps->next(ctl, ps, &value, true);
        if (tk == TK_ERROR)
            return false;
        if (tk != TK_ARG) {
            g_free(value);
            vmsh_error(ctl, "expected syntax: --%s <%s>", opt->name,
                       opt->type == VMSH_OT_INT ? "number" : "string");
            return false;
        }
    }
    if (opt->type != VMSH_OT_ARGV)
        pc->need_arg &= ~(1ULL << index);
    add_option(ctl, pc, opt, value);
    return true;
}

static bool parse_positional(vmsh_ctl *ctl, pending *pc, char *word)
{
    const vmsh_opt_def *opt = next_positional(pc);

    if (!opt) {
        if (strcmp(pc->def->name, "help") == 0) {
            g_free(word);
            return true;
        }
        vmsh_error(ctl, "unexpected data '%s'", word);
        g_free(word);
        return false;
    }
    add_option(ctl, pc, opt, word);
    return true;
}

/* The first word names the command. */
static bool start_command(vmsh_ctl *ctl, pending *pc, const char *word)
{
    const vmsh_cmd_def *def = vmsh_cmd_find(word);

    if (!def) {
        vmsh_error(ctl, "unknown command: '%s'", word);
        return false;
    }
    if ((def->flags & VMSH_CMD_ALIAS) && !(def = vmsh_cmd_find(def->alias))) {
        vmsh_error(ctl, "unknown command: '%s'", word);
        return false;
    }
    if (vmsh_cmd_def_check(def, &pc->need_arg, &pc->required) < 0) {
        vmsh_error(ctl, "internal error: bad options in command: '%s'", word);
        return false;
    }
    pc->def = def;
    pc->opts = g_ptr_array_new_with_free_func(opt_free);
    return true;
}

/* Each missing required option gets its own message. */
static bool check_required(vmsh_ctl *ctl, const vmsh_cmd *cmd, uint64_t required, uint64_t seen)
{
    required &= ~seen;
    if (!required)
        return true;
    for (size_t i = 0; cmd->def->opts[i].name; i++) {
        const vmsh_opt_def *opt = &cmd->def->opts[i];

        if (!(required & (1ULL << i)))
            continue;
        if (opt->type == VMSH_OT_DATA || opt->type == VMSH_OT_ARGV)
            vmsh_error(ctl, "command '%s' requires <%s> option", cmd->def->name, opt->name);
        else
            vmsh_error(ctl, "command '%s' requires --%s option", cmd->def->name, opt->name);
    }
    return false;
}

/* A finished command, or "help CMD" if --help was among its options. */
static vmsh_cmd *finish_command(vmsh_ctl *ctl, pending *pc)
{
    vmsh_cmd *cmd = g_new0(vmsh_cmd, 1);

    for (size_t i = 0; i < pc->opts->len; i++) {
        const vmsh_opt *o = g_ptr_array_index(pc->opts, i);
        const vmsh_cmd_def *help = vmsh_cmd_find("help");

        if (o->def != &help_opt || !help)
            continue;
        vmsh_opt *topic = g_new0(vmsh_opt, 1);
        topic->def = &help->opts[0];
        topic->data = g_strdup(pc->def->name);
        g_ptr_array_set_size(pc->opts, 0);
        g_ptr_array_add(pc->opts, topic);
        pc->def = help;
        pc->required = pc->seen = 0;
        break;
    }
    cmd->def = pc->def;
    cmd->opts = g_steal_pointer(&pc->opts);
    if (!check_required(ctl, cmd, pc->required, pc->seen)) {
        vmsh_cmd_free(cmd);
        return NULL;
    }
    return cmd;
}

/* One word of the current command; false on a syntax error. */
static bool parse_word(vmsh_ctl *ctl, parser *ps, pending *pc, char *word)
{
    if (!pc->def) {
        if (word[0] == '#') {
            /* a comment where a command would start: skip to the end of the command */
            char *rest = NULL;
            while (ps->next(ctl, ps, &rest, false) == TK_ARG)
                g_clear_pointer(&rest, g_free);
            g_free(rest);
            g_free(word);
            return true;
        }
        bool ok = start_command(ctl, pc, word);
        g_free(word);
        return ok;
    }
    if (pc->data_only)
        return parse_positional(ctl, pc, word);
    if (word[0] == '-' && word[1] == '-' && g_ascii_isalnum(word[2])) {
        bool ok = parse_named(ctl, ps, pc, word);
        g_free(word);
        return ok;
    }
    if (strcmp(word, "--") == 0) {
        pc->data_only = true;
        g_free(word);
        return true;
    }
    return parse_positional(ctl, pc, word);
}

static GPtrArray *parse_script(vmsh_ctl *ctl, parser *ps)
{
    g_autoptr(GPtrArray) script = g_ptr_array_new_with_free_func((GDestroyNotify)vmsh_cmd_free);
    token tk;

    do {
        pending pc = { 0 };
        char *word = NULL;

        while ((tk = ps->next(ctl, ps, &word, true)) == TK_ARG) {
            if (!parse_word(ctl, ps, &pc, g_steal_pointer(&word))) {
                tk = TK_ERROR;
                break;
            }
        }
        g_free(word);
        if (tk == TK_ERROR) {
            if (pc.opts)
                g_ptr_array_unref(pc.opts);
            return NULL;
        }
        if (pc.def) {
            vmsh_cmd *cmd = finish_command(ctl, &pc);
            if (!cmd)
                return NULL;
            g_ptr_array_add(script, cmd);
        }
    } while (tk != TK_END);
    return g_steal_pointer(&script);
}

/* A command string, e.g. "list --all; dominfo test"; NULL (reported) on error. */
GPtrArray *vmsh_parse_string(vmsh_ctl *ctl, const char *text)
{
    parser ps = { .next = string_next, .pos = text };

    if (!text || !*text)
        return NULL;
    return parse_script(ctl, &ps);
}

/* One command given as separate words. */
GPtrArray *vmsh_parse_argv(vmsh_ctl *ctl, int argc, char *const *argv)
{
    parser ps = { .next = argv_next, .argv = argv, .argc = argc };

    return parse_script(ctl, &ps);
}
