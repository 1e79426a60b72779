/* Editing XML in the user's editor and redefining from it, for the *-edit commands. */
#include "vmsh.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define SAFE_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:@/"

/* DOC in a new temporary file; its name, or NULL (reported). */
char *vmsh_edit_write_temp(vmsh_ctl *ctl, const char *doc)
{
    const char *tmpdir = getenv("TMPDIR");
    g_autofree char *path = g_strdup_printf("%s/vmshXXXXXX.xml", tmpdir ? tmpdir : "/tmp");
    size_t left = strlen(doc);
    int fd = g_mkstemp_full(path, O_RDWR | O_CLOEXEC, 0600);

    if (fd < 0) {
        vmsh_error(ctl, "g_mkstemp_full: failed to create temporary file: %s", g_strerror(errno));
        return NULL;
    }
    while (left > 0) {
        ssize_t n = write(fd, doc, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            vmsh_error(ctl, "write: %s: failed to write to temporary file: %s", path,
                       g_strerror(errno));
            close(fd);
            unlink(path);
            return NULL;
        }
        doc += n;
        left -= (size_t)n;
    }
    if (close(fd) < 0) {
        vmsh_error(ctl, "close: %s: failed to write or close temporary file: %s", path,
                   g_strerror(errno));
        unlink(path);
        return NULL;
    }
    return g_steal_pointer(&path);
}

/* "(cmd args)" of an error message: arguments quoted for a shell where needed. */
static char *command_string(char **argv)
{
    GString *out = g_string_new(NULL);

    for (char **a = argv; *a; a++) {
        if (a != argv)
            g_string_append_c(out, ' ');
        if (**a && strspn(*a, SAFE_CHARS "=,+%") == strlen(*a)) {
            g_string_append(out, *a);
            continue;
        }
        g_string_append_c(out, '\'');
        for (const char *p = *a; *p; p++) {
            if (*p == '\'')
                g_string_append(out, "'\\''");
            else
                g_string_append_c(out, *p);
        }
        g_string_append_c(out, '\'');
    }
    return g_string_free(out, FALSE);
}

/* Runs the editor on FILENAME in the foreground; -1 (error kept) if it fails. */
int vmsh_edit_run_editor(vmsh_ctl *ctl, const char *filename)
{
    const char *editor = getenv("VISUAL");
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    int status = 0;

    if (!editor)
        editor = getenv("EDITOR");
    if (!editor)
        editor = "vi";
    if (strspn(editor, SAFE_CHARS) != strlen(editor)) {
        /* options in $EDITOR are the user's business, but not odd file names */
        if (strspn(filename, SAFE_CHARS) != strlen(filename)) {
            vmsh_error(ctl, "%s: temporary filename contains shell meta or other "
                       "unacceptable characters (is $TMPDIR wrong?)", filename);
            return -1;
        }
        g_ptr_array_add(argv, g_strdup("sh"));
        g_ptr_array_add(argv, g_strdup("-c"));
        g_ptr_array_add(argv, g_strdup_printf("%s %s", editor, filename));
    } else {
        g_ptr_array_add(argv, g_strdup(editor));
        g_ptr_array_add(argv, g_strdup(filename));
    }
    g_ptr_array_add(argv, NULL);
    fflush(stdout);
    if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL,
                      NULL, &status, &err)) {
        vmsh_set_error(ctl, "Cannot run %s: %s", (char *)argv->pdata[0], err->message);
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    g_autofree char *cmd = command_string((char **)argv->pdata);
    if (WIFEXITED(status))
        vmsh_set_error(ctl, "internal error: Child process (%s) unexpected exit status %d", cmd,
                       WEXITSTATUS(status));
    else
        vmsh_set_error(ctl, "internal error: Child process (%s) unexpected fatal signal %d", cmd,
                       WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return -1;
}

/* The edited file's content, or NULL (reported). */
char *vmsh_edit_read_back(vmsh_ctl *ctl, const char *filename)
{
    g_autofree char *text = NULL;
    gsize len;
    g_autoptr(GError) err = NULL;

    if (!g_file_get_contents(filename, &text, &len, &err)) {
        int code = err->domain == G_FILE_ERROR ? err->code : G_FILE_ERROR_FAILED;
        const char *why = code == G_FILE_ERROR_NOENT ? g_strerror(ENOENT) : err->message;
        vmsh_error(ctl, "%s: failed to read temporary file: %s", filename, why);
        vmsh_set_error(ctl, "Failed to open file '%s': %s", filename, why);
        return NULL;
    }
    return g_steal_pointer(&text);
}

/* After a failed redefinition: 'y' edit again, 'n' give up, 'f' retry as is, 'i'
 * retry without validation (if RELAX); -1 when not on a terminal. */
int vmsh_edit_ask_again(vmsh_ctl *ctl, const char *msg, bool relax)
{
    struct termios saved, raw;
    int c;

    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) < 0)
        return -1;
    vmsh_report_error(ctl);
    raw = saved;
    cfmakeraw(&raw);
    raw.c_oflag |= OPOST; /* keep "\n" meaning a new line */
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
    for (;;) {
        vmsh_print(ctl, "\r%s %s %s: ", msg, "Try again?", relax ? "[y,n,i,f,?]" : "[y,n,f,?]");
        c = g_ascii_tolower((char)getchar());
        if (c == '?') {
            vmsh_print(ctl, "\r\n%s\r\n%s\r\n", "y - yes, start editor again",
                       "n - no, throw away my changes");
            if (relax)
                vmsh_print(ctl, "%s\r\n", "i - turn off validation and try to redefine again");
            vmsh_print(ctl, "%s\r\n%s\r\n", "f - force, try to redefine again",
                       "? - print this help");
            continue;
        }
        if (c == 'y' || c == 'n' || c == 'f' || (relax && c == 'i'))
            break;
    }
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    vmsh_print(ctl, "\r\n");
    return c;
}

/* One round of "edit, then redefine": whether the object was changed by someone else
 * meanwhile or its definition failed, the user may edit again or force it. */
static int redefine(vmsh_ctl *ctl, const vmsh_edit_ops *ops, void *opaque, char **doc,
                    const char *edited, bool *relax)
{
    for (;;) {
        const char *msg = NULL;
        g_autofree char *reread = ops->get_xml(ctl, opaque);

        if (!reread)
            return -1;
        if (strcmp(*doc, reread) != 0) {
            msg = "The XML configuration was changed by another user.";
            g_free(*doc);
            *doc = g_steal_pointer(&reread);
        }
        if (!msg && !ops->define(ctl, edited, opaque))
            msg = "Failed.";
        if (!msg)
            return 1;
        int c = vmsh_edit_ask_again(ctl, msg, *relax);
        if (c == 'y')
            return 0; /* edit again */
        if (c == 'n')
            return -1;
        if (c == 'i' && *relax) {
            ops->relax(opaque);
            *relax = false;
        }
        if (c != 'f' && c != 'i') {
            vmsh_error(ctl, "%s", msg);
            return -1;
        }
    }
}

/* Edits the object's XML and redefines it: 1 if it was redefined, 0 if the user left
 * it as it was, -1 on failure (reported, or kept for the report). */
int vmsh_edit(vmsh_ctl *ctl, const vmsh_edit_ops *ops, void *opaque)
{
    g_autofree char *doc = ops->get_xml(ctl, opaque);
    g_autofree char *tmp = NULL;
    bool relax = ops->relax != NULL;
    int rc = -1;

    if (!doc || !(tmp = vmsh_edit_write_temp(ctl, doc)))
        return -1;
    for (;;) {
        g_autofree char *edited = NULL;

        if (vmsh_edit_run_editor(ctl, tmp) < 0) {
            vmsh_report_error(ctl); /* at once, as virsh does: before the command's own */
            break;
        }
        if (!(edited = vmsh_edit_read_back(ctl, tmp)))
            break;
        if (strcmp(doc, edited) == 0 &&
            !(ops->define_unchanged && ops->define_unchanged(opaque))) {
            rc = 0;
            break;
        }
        if ((rc = redefine(ctl, ops, opaque, &doc, edited, &relax)) != 0)
            break;
        rc = -1;
    }
    unlink(tmp);
    return rc;
}
