/* vmsh's entry point: program options, the script or the interactive loop, exit status. */
#include "vmsh.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#ifndef VMSH_VERSION
# define VMSH_VERSION "unknown"
#endif
#define VMSH_DEFAULT_URI "test:///default"

static void usage(vmsh_ctl *ctl)
{
    printf("\n"
           "%1$s [options]... [<command_string>]\n"
           "%1$s [options]... <command> [args...]\n"
           "\n"
           "  options:\n"
           "    -c | --connect=URI      the URI of the host to talk to\n"
           "    -d | --debug=NUM        show debug messages of level NUM [0-4] and above\n"
           "    -e | --escape <char>    the console's escape sequence\n"
           "    -h | --help             show this text\n"
           "    -k | --keepalive-interval=NUM\n"
           "                            seconds between keepalive probes, 0 turns them off\n"
           "    -K | --keepalive-count=NUM\n"
           "                            keepalive probes that may go unanswered\n"
           "    -l | --log=FILE         also write messages to FILE\n"
           "    -q | --quiet            leave out headers and informational messages\n"
           "    -r | --readonly         open a read-only connection\n"
           "    -t | --timing           show how long each command took\n"
           "    -v                      the version, short\n"
           "    -V                      the version, long\n"
           "         --version[=TYPE]   the version; TYPE is short (default) or long\n"
           "  commands (when not interactive):\n\n", ctl->progname);
    for (size_t g = 0; vmsh_groups[g].keyword; g++) {
        bool any = false;
        for (size_t i = 0; vmsh_commands[i]; i++) {
            const vmsh_cmd_def *def = vmsh_commands[i];
            if (strcmp(def->group, vmsh_groups[g].keyword) != 0 || (def->flags & VMSH_CMD_ALIAS))
                continue;
            if (!any)
                printf(" %s (help keyword '%s')\n", vmsh_groups[g].title, vmsh_groups[g].keyword);
            any = true;
            printf("    %-30s %s\n", def->name, def->summary);
        }
        if (any)
            printf("\n");
    }
    printf("\n  (\"help <group>\" lists the commands of a group)\n\n"
           "  (\"help <command>\" describes a command)\n\n");
}

static char *library_version(void)
{
    unsigned long ver = 0;

    if (virGetVersion(&ver, NULL, NULL) < 0)
        return g_strdup("unknown");
    return g_strdup_printf("%lu.%lu.%lu", ver / 1000000, (ver / 1000) % 1000, ver % 1000);
}

static void show_version(vmsh_ctl *ctl)
{
    char *lib = library_version();

    printf("%s, the shell of virtmoment %s, compatible with virsh of libvirt %d.%d.%d\n"
           "The library reports libvirt version %s\n\n"
           "Command groups:", ctl->progname, VMSH_VERSION, LIBVIR_VERSION_NUMBER / 1000000,
           LIBVIR_VERSION_NUMBER / 1000 % 1000, LIBVIR_VERSION_NUMBER % 1000, lib);
    for (size_t g = 0; vmsh_groups[g].keyword; g++) {
        for (size_t i = 0; vmsh_commands[i]; i++) {
            if (strcmp(vmsh_commands[i]->group, vmsh_groups[g].keyword) == 0) {
                printf(" %s", vmsh_groups[g].keyword);
                break;
            }
        }
    }
    printf("\n");
    g_free(lib);
    fflush(stdout);
}

/* Ends the program while parsing its options, leaving nothing allocated. */
__attribute__((noreturn)) static void quit_now(vmsh_ctl *ctl, int status)
{
    fflush(stdout);
    vmsh_log_close(ctl);
    g_clear_pointer(&ctl->connname, g_free);
    exit(status);
}

static bool escape_char_allowed(char c)
{
    return ('a' <= c && c <= 'z') || ('@' <= c && c <= '_');
}

/* A whole-string base-10 integer, as virStrToLong_i takes it. */
static bool parse_int(const char *s, int base, int *ret)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, base);
    if (errno || end == s || *end || v < INT_MIN || v > INT_MAX)
        return false;
    *ret = (int)v;
    return true;
}

static void parse_keepalive(vmsh_ctl *ctl, int opt, int longindex, int *ret)
{
    const char *name = longindex == -1 ? (opt == 'k' ? "-k" : "-K")
                                       : (opt == 'k' ? "--keepalive-interval"
                                                     : "--keepalive-count");
    int value;

    if (!parse_int(optarg, 0, &value)) {
        vmsh_error(ctl, "Invalid value for option %s", name);
        quit_now(ctl, EXIT_FAILURE);
    }
    if (value < 0) {
        vmsh_error(ctl, "option %s requires a positive integer argument", name);
        quit_now(ctl, EXIT_FAILURE);
    }
    *ret = value;
}

static const struct option long_options[] = {
    { "connect", required_argument, NULL, 'c' },
    { "debug", required_argument, NULL, 'd' },
    { "escape", required_argument, NULL, 'e' },
    { "help", no_argument, NULL, 'h' },
    { "keepalive-interval", required_argument, NULL, 'k' },
    { "keepalive-count", required_argument, NULL, 'K' },
    { "log", required_argument, NULL, 'l' },
    { "quiet", no_argument, NULL, 'q' },
    { "readonly", no_argument, NULL, 'r' },
    { "timing", no_argument, NULL, 't' },
    { "version", optional_argument, NULL, 'v' },
    { NULL, 0, NULL, 0 },
};

static void missing_argument(vmsh_ctl *ctl)
{
    for (size_t i = 0; long_options[i].name; i++) {
        if (long_options[i].val == optopt) {
            vmsh_error(ctl, "option '-%c'/'--%s' requires an argument", optopt,
                       long_options[i].name);
            quit_now(ctl, EXIT_FAILURE);
        }
    }
    vmsh_error(ctl, "option '-%c' requires an argument", optopt);
    quit_now(ctl, EXIT_FAILURE);
}

static void handle_option(vmsh_ctl *ctl, int opt, int longindex, char **argv)
{
    int n;

    switch (opt) {
    case 'c':
        g_free(ctl->connname);
        ctl->connname = g_strdup(optarg);
        break;
    case 'd':
        if (!parse_int(optarg, 10, &n)) {
            vmsh_error(ctl, "option %s takes a numeric argument", longindex == -1 ? "-d" : "--debug");
            quit_now(ctl, EXIT_FAILURE);
        }
        if (n < VMSH_ERR_DEBUG || n > VMSH_ERR_ERROR)
            vmsh_error(ctl, "ignoring debug level %d out of range [%d-%d]", n, VMSH_ERR_DEBUG,
                       VMSH_ERR_ERROR);
        else
            ctl->debug = n;
        break;
    case 'e':
        if ((strlen(optarg) == 2 && optarg[0] == '^' && escape_char_allowed(optarg[1])) ||
            (strlen(optarg) == 1 && optarg[0] != '^')) {
            ctl->escape_char = optarg;
        } else {
            vmsh_error(ctl, "Invalid string '%s' for escape sequence", optarg);
            quit_now(ctl, EXIT_FAILURE);
        }
        break;
    case 'h':
        usage(ctl);
        quit_now(ctl, EXIT_SUCCESS);
    case 'k':
        parse_keepalive(ctl, opt, longindex, &ctl->keepalive_interval);
        break;
    case 'K':
        parse_keepalive(ctl, opt, longindex, &ctl->keepalive_count);
        break;
    case 'l':
        vmsh_log_close(ctl);
        ctl->logfile = g_strdup(optarg);
        vmsh_log_open(ctl);
        break;
    case 'q':
        ctl->quiet = true;
        break;
    case 'r':
        ctl->readonly = true;
        break;
    case 't':
        ctl->timing = true;
        break;
    case 'v':
        if (!optarg || strcmp(optarg, "long") != 0) {
            char *lib = library_version();
            puts(lib);
            g_free(lib);
            fflush(stdout);
            quit_now(ctl, EXIT_SUCCESS);
        }
        G_GNUC_FALLTHROUGH;
    case 'V':
        show_version(ctl);
        quit_now(ctl, EXIT_SUCCESS);
    case ':':
        missing_argument(ctl);
        break;
    default:
        if (optopt)
            vmsh_error(ctl, "unsupported option '-%c'. See --help.", optopt);
        else
            vmsh_error(ctl, "unsupported option '%s'. See --help.", argv[optind - 1]);
        quit_now(ctl, EXIT_FAILURE);
    }
}

/* The program options, then the script: one argument is a command string, several
 * are the words of one command, none means interactive. */
static bool parse_args(vmsh_ctl *ctl, int argc, char **argv, GPtrArray **ret_script)
{
    int opt, longindex = -1;

    while ((opt = getopt_long(argc, argv, "+:c:d:e:hk:K:l:qrtvV", long_options,
                              &longindex)) != -1) {
        handle_option(ctl, opt, longindex, argv);
        longindex = -1;
    }
    if (optind == argc) {
        ctl->imode = true;
        return true;
    }
    if (argc - optind == 1) {
        vmsh_debug(ctl, VMSH_ERR_INFO, "commands: \"%s\"\n", argv[optind]);
        *ret_script = vmsh_parse_string(ctl, argv[optind]);
    } else {
        *ret_script = vmsh_parse_argv(ctl, argc - optind, argv + optind);
    }
    return *ret_script != NULL;
}

/* ---- start-up and shut-down ---- */

/* VIRSH_DEBUG and VIRSH_LOG_FILE, unless set by options; like virsh, this is read
 * before the options and again after them. */
static void init_from_env(vmsh_ctl *ctl)
{
    const char *env = getenv("VIRSH_DEBUG");
    int n;

    if (env && ctl->debug == VMSH_ERR_ERROR) {
        if (!parse_int(env, 10, &n) || n < VMSH_ERR_DEBUG || n > VMSH_ERR_ERROR)
            vmsh_error(ctl, "%s", "VIRSH_DEBUG not set with a valid numeric value");
        else
            ctl->debug = n;
    }
    env = getenv("VIRSH_LOG_FILE");
    if (env && *env && !ctl->logfile) {
        ctl->logfile = g_strdup(env);
        vmsh_log_open(ctl);
    }
}

static gpointer event_loop(gpointer opaque)
{
    vmsh_ctl *ctl = opaque;

    while (!g_atomic_int_get(&ctl->quit_event_loop)) {
        if (virEventRunDefaultImpl() < 0)
            vmsh_report_error(ctl);
    }
    return NULL;
}

static void wake_up(int timer, void *opaque)
{
}

static bool shell_init(vmsh_ctl *ctl)
{
    init_from_env(ctl);
    if (virEventRegisterDefaultImpl() < 0) {
        vmsh_report_error(ctl);
        return false;
    }
    ctl->event_thread = g_thread_new("vmsh-events", event_loop, ctl);
    /* a URI given with -c must work; the default one is opened on first use */
    if (ctl->connname && vmsh_connect(ctl, NULL, false, false) < 0) {
        vmsh_report_error(ctl);
        return false;
    }
    return true;
}

static void shell_deinit(vmsh_ctl *ctl)
{
    vmsh_readline_deinit(ctl);
    vmsh_disconnect(ctl);
    vmsh_reset_error(ctl);
    if (ctl->event_thread) {
        /* a timer that fires at once gets the loop to notice it should end */
        g_atomic_int_set(&ctl->quit_event_loop, 1);
        int timer = virEventAddTimeout(0, wake_up, NULL, NULL);
        g_thread_join(ctl->event_thread);
        ctl->event_thread = NULL;
        if (timer >= 0)
            virEventRemoveTimeout(timer);
    }
    vmsh_log_close(ctl);
    g_clear_pointer(&ctl->connname, g_free);
}

/* The interactive loop; its status is always success, as virsh's is. */
static void interactive(vmsh_ctl *ctl)
{
    vmsh_readline_init(ctl);
    if (!ctl->quiet) {
        vmsh_print(ctl, "Welcome to %s, the virtualization interactive terminal.\n\n",
                   ctl->progname);
        vmsh_print(ctl, "%s", "Type:  'help' for help with commands\n       'quit' to quit\n\n");
    }
    do {
        g_autofree char *prompt = g_strdup_printf("%s %c ", ctl->progname,
                                                  ctl->readonly ? '>' : '#');
        g_autofree char *line = vmsh_readline(ctl, prompt);
        if (!line)
            break;
        if (*line) {
            vmsh_readline_add_history(line);
            g_autoptr(GPtrArray) script = vmsh_parse_string(ctl, line);
            if (script)
                vmsh_run(ctl, script);
        }
    } while (ctl->imode);
    /* ends the line of the last prompt at the end of input; virsh prints it after
     * "quit" too */
    vmsh_print(ctl, "\n");
}

int main(int argc, char **argv)
{
    vmsh_ctl ctl = {
        .log_fd = -1,
        .debug = VMSH_ERR_ERROR,
        .keepalive_interval = -1,
        .keepalive_count = -1,
        .escape_char = "^]",
        .event_pipe = { -1, -1 },
        .event_timer = -1,
    };
    g_autoptr(GPtrArray) script = NULL;
    struct termios attrs;
    bool ok = true;

    ctl.progname = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    setlocale(LC_ALL, "");
    signal(SIGPIPE, SIG_IGN);
    ctl.istty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &attrs) == 0;
    if (virInitialize() < 0) {
        vmsh_error(&ctl, "%s", "Failed to initialize libvirt");
        return EXIT_FAILURE;
    }
    vmsh_errors_capture(&ctl);
    init_from_env(&ctl);

    if (!parse_args(&ctl, argc, argv, &script) || !shell_init(&ctl)) {
        shell_deinit(&ctl);
        return EXIT_FAILURE;
    }
    if (!ctl.connname)
        ctl.connname = g_strdup(getenv("VIRSH_DEFAULT_CONNECT_URI"));
    if (!ctl.connname && !getenv("LIBVIRT_DEFAULT_URI"))
        ctl.connname = g_strdup(VMSH_DEFAULT_URI);

    if (ctl.imode)
        interactive(&ctl);
    else
        ok = vmsh_run(&ctl, script);
    shell_deinit(&ctl);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
