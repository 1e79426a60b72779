/* echo: prints its words, optionally escaped for XML or the shell; for testing. */
#include "vmsh-util.h"

#include <string.h>

static const vmsh_opt_def opts[] = {
    { .name = "shell", .type = VMSH_OT_BOOL, .help = "quote each word for a POSIX shell" },
    { .name = "xml", .type = VMSH_OT_BOOL, .help = "escape each word for XML" },
    { .name = "split", .type = VMSH_OT_BOOL,
      .help = "print each comma-separated part on its own line (',,' is a comma)" },
    { .name = "err", .type = VMSH_OT_BOOL, .help = "write to stderr as an error" },
    { .name = "str", .type = VMSH_OT_ALIAS, .help = "string" },
    { .name = "hi", .type = VMSH_OT_ALIAS, .help = "string=hello" },
    { .name = "string", .type = VMSH_OT_ARGV, .flags = VMSH_OF_EMPTY_OK,
      .help = "the words" },
    { .name = NULL },
};

/* WORD quoted for a shell when it holds anything a shell would interpret. */
static char *shell_quote(const char *word)
{
    GString *out;

    if (*word && !strpbrk(word, "\r\t\n !\"#$&'()*;<>?[\\]^`{|}~"))
        return g_strdup(word);
    if (!*word)
        return g_strdup("''");
    out = g_string_new("'");
    for (const char *p = word; *p; p++) {
        if (*p == '\'')
            g_string_append(out, "'\\'");
        g_string_append_c(out, *p);
    }
    g_string_append_c(out, '\'');
    return g_string_free(out, FALSE);
}

static bool cmd_echo(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    bool shell = vmsh_opt_bool(cmd, "shell");
    bool xml = vmsh_opt_bool(cmd, "xml");
    bool err = vmsh_opt_bool(cmd, "err");
    bool split = vmsh_opt_bool(cmd, "split");
    g_autoptr(GString) out = g_string_new(NULL);
    const vmsh_opt *opt = NULL;
    size_t count = 0;
    bool touched = false; /* something, even "", was added */

    VMSH_EXCLUSIVE("shell", "xml");

    while ((opt = vmsh_opt_argv(cmd, opt))) {
        g_autofree char *word = xml ? vmsh_xml_escape(opt->data) : g_strdup(opt->data);

        if (shell) {
            char *quoted = shell_quote(word);
            g_free(word);
            word = quoted;
        }
        if (count++) {
            g_string_append_c(out, ' ');
            touched = true;
        }
        if (split) {
            g_auto(GStrv) parts = vmsh_split_commas(word);
            for (char **p = parts; *p; p++) {
                g_string_append_printf(out, "%s\n", *p);
                touched = true;
            }
        } else {
            g_string_append(out, word);
            touched = true;
        }
    }
    if (touched) {
        if (err)
            vmsh_error(ctl, "%s", out->str);
        else
            vmsh_print(ctl, "%s", out->str);
    }
    return true;
}

const vmsh_cmd_def vmsh_cmd_echo = {
    .name = "echo",
    .group = "vmsh",
    .summary = "print the given words (meant for testing the shell)",
    .description = "Prints its words separated by spaces, after escaping them for XML or "
                   "for a shell if asked to.",
    .opts = opts,
    .handler = cmd_echo,
    .flags = VMSH_CMD_NOCONNECT,
};
