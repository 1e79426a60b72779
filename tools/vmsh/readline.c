/* Reading interactive lines: libedit on a terminal, otherwise plain echoed reads. */
#include "vmsh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef VMSH_WITH_LIBEDIT
# include <editline/readline.h>
#endif

#define HISTORY_MAX 500

#ifdef VMSH_WITH_LIBEDIT
static char *history_file;

/* Completion candidates: command names for the first word, then the options of the
 * command named by the first word. */
static char *complete_word(const char *text, int state)
{
    static size_t index;
    static const vmsh_cmd_def *def;
    size_t len = strlen(text);

    if (state == 0) {
        g_auto(GStrv) words = g_strsplit_set(rl_line_buffer, " \t", -1);
        index = 0;
        def = NULL;
        if (rl_point > (int)strlen(words[0]))
            def = vmsh_cmd_find(words[0]);
    }
    if (!def) {
        while (vmsh_commands[index]) {
            const vmsh_cmd_def *c = vmsh_commands[index++];
            if (!(c->flags & VMSH_CMD_ALIAS) && strncmp(c->name, text, len) == 0)
                return strdup(c->name);
        }
        return NULL;
    }
    while (def->opts && def->opts[index].name) {
        const vmsh_opt_def *o = &def->opts[index++];
        g_autofree char *opt = g_strdup_printf("--%s", o->name);
        if (o->type != VMSH_OT_ALIAS && strncmp(opt, text, len) == 0)
            return strdup(opt);
    }
    return NULL;
}

static char **complete(const char *text, int start, int end)
{
    rl_attempted_completion_over = 1;
    return rl_completion_matches(text, complete_word);
}
#endif

void vmsh_readline_init(vmsh_ctl *ctl)
{
#ifdef VMSH_WITH_LIBEDIT
    if (!ctl->istty)
        return;
    rl_readline_name = "vmsh";
    rl_attempted_completion_function = complete;
    using_history();
    stifle_history(HISTORY_MAX);
    history_file = g_build_filename(g_get_user_cache_dir(), "vmsh", "history", NULL);
    read_history(history_file);
#endif
}

void vmsh_readline_deinit(vmsh_ctl *ctl)
{
#ifdef VMSH_WITH_LIBEDIT
    if (!history_file)
        return;
    g_autofree char *dir = g_path_get_dirname(history_file);
    if (g_mkdir_with_parents(dir, 0755) == 0)
        write_history(history_file);
    g_clear_pointer(&history_file, g_free);
#endif
}

void vmsh_readline_add_history(const char *line)
{
#ifdef VMSH_WITH_LIBEDIT
    if (history_file)
        add_history(line);
#endif
}

/* A line without its newline; shows the prompt and echoes the line when it is read
 * from something other than a terminal. NULL at the end of the input. */
static char *plain_read(vmsh_ctl *ctl, const char *prompt)
{
    char *line = NULL;
    size_t size = 0;
    ssize_t len;

    fputs(prompt, stdout);
    fflush(stdout);
    len = getline(&line, &size, stdin);
    if (len < 0) {
        free(line);
        return NULL;
    }
    if (len > 0 && line[len - 1] == '\n')
        line[--len] = '\0';
    if (!ctl->istty) {
        fputs(line, stdout);
        fputc('\n', stdout);
        fflush(stdout);
    }
    char *copy = g_strdup(line);
    free(line);
    return copy;
}

char *vmsh_readline(vmsh_ctl *ctl, const char *prompt)
{
#ifdef VMSH_WITH_LIBEDIT
    if (history_file) {
        char *line = readline(prompt);
        char *copy = line ? g_strdup(line) : NULL;
        free(line);
        return copy;
    }
#endif
    return plain_read(ctl, prompt);
}
