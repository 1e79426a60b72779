/* Unit test of vmsh's parser and option accessors, on a command table of its own. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmsh.h"

static bool no_handler(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    return true;
}

static const vmsh_opt_def cmd_opts[] = {
    { .name = "dom", .type = VMSH_OT_DATA, .flags = VMSH_OF_REQ, .help = "x" },
    { .name = "file", .type = VMSH_OT_STRING, .help = "x" },
    { .name = "fl", .type = VMSH_OT_ALIAS, .help = "flag" },   /* aliases name later options */
    { .name = "five", .type = VMSH_OT_ALIAS, .help = "count=5" },
    { .name = "count", .type = VMSH_OT_INT, .help = "x" },
    { .name = "flag", .type = VMSH_OT_BOOL, .help = "x" },
    { .name = "xp", .type = VMSH_OT_STRING, .flags = VMSH_OF_REQ_OPT, .help = "x" },
    { .name = "empty", .type = VMSH_OT_STRING, .flags = VMSH_OF_REQ_OPT | VMSH_OF_EMPTY_OK,
      .help = "x" },
    { .name = "words", .type = VMSH_OT_ARGV, .help = "x" },
    { .name = NULL },
};
static const vmsh_opt_def two_opts[] = {
    { .name = "a", .type = VMSH_OT_DATA, .flags = VMSH_OF_REQ, .help = "x" },
    { .name = "b", .type = VMSH_OT_STRING, .flags = VMSH_OF_REQ | VMSH_OF_REQ_OPT, .help = "x" },
    { .name = NULL },
};
static const vmsh_opt_def help_opts[] = {
    { .name = "command", .type = VMSH_OT_STRING, .help = "x" },
    { .name = NULL },
};

static const vmsh_cmd_def def_cmd = {
    .name = "cmd", .group = "vmsh", .summary = "x", .opts = cmd_opts, .handler = no_handler,
};
static const vmsh_cmd_def def_two = {
    .name = "two", .group = "vmsh", .summary = "x", .opts = two_opts, .handler = no_handler,
};
static const vmsh_cmd_def def_help = {
    .name = "help", .group = "vmsh", .summary = "x", .opts = help_opts, .handler = no_handler,
};
static const vmsh_cmd_def def_alias = {
    .name = "alias-of-two", .group = "vmsh", .summary = "x", .handler = no_handler,
    .flags = VMSH_CMD_ALIAS, .alias = "two",
};

const vmsh_cmd_def *const vmsh_commands[] = { &def_cmd, &def_two, &def_help, &def_alias, NULL };

static vmsh_ctl ctl = { .progname = "vmsh", .log_fd = -1, .debug = VMSH_ERR_ERROR };

/* Parses TEXT with stderr captured; returns the script and what was printed. */
static GPtrArray *parse(const char *text, char **ret_err)
{
    FILE *tmp = tmpfile();
    int saved = dup(STDERR_FILENO);
    char buf[4096] = "";
    size_t n;

    fflush(stderr);
    dup2(fileno(tmp), STDERR_FILENO);
    GPtrArray *script = vmsh_parse_string(&ctl, text);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(tmp);
    n = fread(buf, 1, sizeof(buf) - 1, tmp);
    buf[n] = '\0';
    fclose(tmp);
    *ret_err = g_strdup(buf);
    return script;
}

static void check_error(const char *text, const char *expected)
{
    g_autofree char *err = NULL;
    GPtrArray *script = parse(text, &err);

    if (script)
        g_ptr_array_unref(script);
    g_assert_null(script);
    g_assert_cmpstr(err, ==, expected);
}

/* The value of option NAME of command I of the script, or "<bool>" / NULL. */
static const char *value(GPtrArray *script, guint i, const char *name)
{
    const vmsh_cmd *cmd = g_ptr_array_index(script, i);

    for (guint j = 0; j < cmd->opts->len; j++) {
        const vmsh_opt *opt = g_ptr_array_index(cmd->opts, j);
        if (strcmp(opt->def->name, name) == 0)
            return opt->data ? opt->data : "<bool>";
    }
    return NULL;
}

static char *argv_words(GPtrArray *script, guint i)
{
    const vmsh_cmd *cmd = g_ptr_array_index(script, i);
    g_autoptr(GString) out = g_string_new(NULL);
    const vmsh_opt *opt = NULL;

    while ((opt = vmsh_opt_argv(cmd, opt)))
        g_string_append_printf(out, "[%s]", opt->data);
    return g_strdup(out->str);
}

static void test_words(void)
{
    g_autofree char *err = NULL;
    g_autoptr(GPtrArray) s = parse("cmd a 'b c' \"d\\\"e\" f\\ g 'h\\i';cmd x\ncmd y # z; cmd w", &err);

    if (!s)
        g_printerr("%s", err);
    g_assert_nonnull(s);
    g_assert_cmpstr(err, ==, "");
    g_assert_cmpuint(s->len, ==, 3);
    g_assert_cmpstr(value(s, 0, "dom"), ==, "a");
    g_assert_cmpstr(value(s, 0, "file"), ==, "b c");
    g_assert_cmpstr(value(s, 0, "count"), ==, "d\"e");
    g_autofree char *w = argv_words(s, 0);
    g_assert_cmpstr(w, ==, "[f g][h\\i]");
    g_assert_cmpstr(value(s, 1, "dom"), ==, "x");
    g_assert_cmpstr(value(s, 2, "dom"), ==, "y");
}

static void test_named(void)
{
    g_autofree char *err = NULL;
    g_autoptr(GPtrArray) s = parse("cmd --file=F --flag D --xp X --count 7 w1 -- --w2", &err);

    g_assert_nonnull(s);
    g_assert_cmpstr(value(s, 0, "file"), ==, "F");
    g_assert_cmpstr(value(s, 0, "flag"), ==, "<bool>");
    g_assert_cmpstr(value(s, 0, "dom"), ==, "D");
    g_assert_cmpstr(value(s, 0, "xp"), ==, "X");
    g_assert_cmpstr(value(s, 0, "count"), ==, "7");
    g_autofree char *w = argv_words(s, 0);
    g_assert_cmpstr(w, ==, "[w1][--w2]");
}

/* REQ_OPT options are never filled positionally; named positionals are skipped. */
static void test_positional_order(void)
{
    g_autofree char *err = NULL;
    g_autoptr(GPtrArray) s = parse("cmd --file F D 3 X", &err);

    g_assert_nonnull(s);
    g_assert_cmpstr(value(s, 0, "dom"), ==, "D");
    g_assert_cmpstr(value(s, 0, "count"), ==, "3");
    g_assert_null(value(s, 0, "xp"));
    g_autofree char *w = argv_words(s, 0);
    g_assert_cmpstr(w, ==, "[X]");
}

static void test_aliases(void)
{
    g_autofree char *err = NULL;
    g_autoptr(GPtrArray) s = parse("cmd D --fl --five; alias-of-two A --b B", &err);

    g_assert_nonnull(s);
    g_assert_cmpstr(value(s, 0, "flag"), ==, "<bool>");
    g_assert_cmpstr(value(s, 0, "count"), ==, "5");
    const vmsh_cmd *two = g_ptr_array_index(s, 1);
    g_assert_cmpstr(two->def->name, ==, "two");
    check_error("cmd D --five=6", "error: invalid '=' after option --five\n");
}

static void test_help_option(void)
{
    g_autofree char *err = NULL;
    g_autoptr(GPtrArray) s = parse("cmd --help --flag; help cmd --nonsense extra", &err);

    g_assert_nonnull(s);
    g_assert_cmpstr(err, ==, "");
    const vmsh_cmd *c = g_ptr_array_index(s, 0);
    g_assert_cmpstr(c->def->name, ==, "help");
    g_assert_cmpstr(value(s, 0, "command"), ==, "cmd");
    g_assert_cmpstr(value(s, 1, "command"), ==, "cmd");
}

static void test_errors(void)
{
    check_error("cmd D; nosuch", "error: unknown command: 'nosuch'\n");
    check_error("cmd D --nosuch", "error: command 'cmd' doesn't support option --nosuch\n");
    check_error("cmd", "error: command 'cmd' requires <dom> option\n");
    check_error("two", "error: command 'two' requires <a> option\n"
                       "error: command 'two' requires --b option\n");
    check_error("cmd D --file", "error: expected syntax: --file <string>\n");
    check_error("cmd D --count", "error: expected syntax: --count <number>\n");
    check_error("cmd D --flag=1", "error: invalid '=' after option --flag\n");
    check_error("cmd D --dom E", "error: option --dom already seen\n");
    check_error("two A B", "error: unexpected data 'B'\n");
    check_error("cmd D\\", "error: dangling \\\n");
    check_error("cmd \"D", "error: missing \"\n");
    check_error("", "");
}

static void test_accessors(void)
{
    g_autofree char *err = NULL;
    g_autoptr(GPtrArray) s = parse("cmd '' --count 12x --file '' --empty ''", &err);
    const vmsh_cmd *c = g_ptr_array_index(s, 0);
    const char *v = NULL;
    int n = 0;

    g_assert_cmpint(vmsh_opt_string_quiet(c, "dom", &v), ==, -1);
    g_assert_cmpint(vmsh_opt_string_quiet(c, "empty", &v), ==, 1);
    g_assert_cmpstr(v, ==, "");
    g_assert_cmpint(vmsh_opt_string_quiet(c, "xp", &v), ==, 0);
    g_assert_true(vmsh_opt_bool(c, "count"));
    g_assert_false(vmsh_opt_bool(c, "flag"));

    g_autofree char *err2 = NULL;
    g_autoptr(GPtrArray) s2 = parse("cmd D --count 12 --file ' 7'", &err2);
    c = g_ptr_array_index(s2, 0);
    g_assert_cmpint(vmsh_opt_int(&ctl, c, "count", &n), ==, 1);
    g_assert_cmpint(n, ==, 12);
}

static void test_split_commas(void)
{
    g_auto(GStrv) a = vmsh_split_commas("a,,b,c,");
    g_auto(GStrv) b = vmsh_split_commas("");
    g_auto(GStrv) c = vmsh_split_commas(",,,");

    g_assert_cmpuint(g_strv_length(a), ==, 3);
    g_assert_cmpstr(a[0], ==, "a,b");
    g_assert_cmpstr(a[1], ==, "c");
    g_assert_cmpstr(a[2], ==, "");
    g_assert_cmpuint(g_strv_length(b), ==, 0);
    g_assert_cmpuint(g_strv_length(c), ==, 2);
    g_assert_cmpstr(c[0], ==, ",");
}

/* Option lists the parser can't work with are refused. */
static void test_bad_definitions(void)
{
    static const vmsh_opt_def req_after_optional[] = {
        { .name = "a", .type = VMSH_OT_STRING, .help = "x" },
        { .name = "b", .type = VMSH_OT_DATA, .flags = VMSH_OF_REQ, .help = "x" },
        { .name = NULL },
    };
    static const vmsh_opt_def argv_not_last[] = {
        { .name = "a", .type = VMSH_OT_ARGV, .help = "x" },
        { .name = "b", .type = VMSH_OT_BOOL, .help = "x" },
        { .name = NULL },
    };
    static const vmsh_opt_def dangling_alias[] = {
        { .name = "a", .type = VMSH_OT_ALIAS, .help = "nowhere" },
        { .name = NULL },
    };
    static const vmsh_opt_def required_bool[] = {
        { .name = "a", .type = VMSH_OT_BOOL, .flags = VMSH_OF_REQ, .help = "x" },
        { .name = NULL },
    };
    const vmsh_opt_def *bad[] = { req_after_optional, argv_not_last, dangling_alias, required_bool };
    uint64_t need, req;

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        vmsh_cmd_def def = { .name = "bad", .opts = bad[i] };
        g_assert_cmpint(vmsh_cmd_def_check(&def, &need, &req), ==, -1);
    }
    g_assert_cmpint(vmsh_cmd_def_check(&def_cmd, &need, &req), ==, 0);
    g_assert_cmpuint(req, ==, 1);                                  /* dom */
    g_assert_cmpuint(need, ==, (1u << 0) | (1u << 1) | (1u << 4) | (1u << 8));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vmsh/parse/words", test_words);
    g_test_add_func("/vmsh/parse/named", test_named);
    g_test_add_func("/vmsh/parse/positional-order", test_positional_order);
    g_test_add_func("/vmsh/parse/aliases", test_aliases);
    g_test_add_func("/vmsh/parse/help-option", test_help_option);
    g_test_add_func("/vmsh/parse/errors", test_errors);
    g_test_add_func("/vmsh/parse/accessors", test_accessors);
    g_test_add_func("/vmsh/parse/split-commas", test_split_commas);
    g_test_add_func("/vmsh/parse/bad-definitions", test_bad_definitions);
    return g_test_run();
}
