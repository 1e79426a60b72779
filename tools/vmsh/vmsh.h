/* The shell's framework: descriptors, the parsed script, shell state and common helpers. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

/* ---- descriptors: what a command accepts ---- */

typedef enum {
    VMSH_OT_BOOL,   /* --name, no value */
    VMSH_OT_STRING, /* --name VALUE, or positionally in declared order */
    VMSH_OT_INT,    /* like STRING; the value is checked when the command reads it */
    VMSH_OT_DATA,   /* a required value, usually given positionally */
    VMSH_OT_ARGV,   /* every remaining positional word; must be the last option */
    VMSH_OT_ALIAS,  /* another name for the option in .help ("name" or "name=value") */
} vmsh_opt_type;

enum {
    VMSH_OF_REQ = 1 << 0,      /* must be given */
    VMSH_OF_REQ_OPT = 1 << 1,  /* only as --name VALUE, never positionally */
    VMSH_OF_EMPTY_OK = 1 << 2, /* an empty value is acceptable */
};

typedef struct {
    const char *name;
    vmsh_opt_type type;
    unsigned int flags;
    const char *help;
} vmsh_opt_def;

typedef struct vmsh_ctl vmsh_ctl;
typedef struct vmsh_cmd vmsh_cmd;

enum {
    VMSH_CMD_NOCONNECT = 1 << 0, /* runs without a connection */
    VMSH_CMD_ALIAS = 1 << 1,     /* another name for .alias; hidden from help */
};

typedef struct {
    const char *name;
    const char *group;       /* keyword of its group in help (see registry.c) */
    const char *summary;     /* one line for the command list */
    const char *description; /* a paragraph for "help NAME"; may be NULL */
    const vmsh_opt_def *opts; /* terminated by an entry with a NULL name */
    bool (*handler)(vmsh_ctl *ctl, const vmsh_cmd *cmd);
    unsigned int flags;
    const char *alias;
} vmsh_cmd_def;

/* Every command, from the generated table (cmd-table.c), NULL-terminated. */
extern const vmsh_cmd_def *const vmsh_commands[];

/* ---- the parsed script ---- */

typedef struct {
    const vmsh_opt_def *def;
    char *data; /* NULL for booleans */
} vmsh_opt;

struct vmsh_cmd {
    const vmsh_cmd_def *def;
    GPtrArray *opts; /* vmsh_opt *, in the order given */
};

/* ---- shell state ---- */

enum { VMSH_ERR_DEBUG, VMSH_ERR_INFO, VMSH_ERR_NOTICE, VMSH_ERR_WARNING, VMSH_ERR_ERROR };

struct vmsh_ctl {
    const char *progname;   /* how the shell was invoked, for its banner and prompt */
    char *connname;         /* URI to connect to; NULL = the default */
    virConnectPtr conn;
    bool readonly;
    bool quiet;
    bool timing;
    bool imode;             /* the interactive loop is running */
    bool istty;             /* stdin is a terminal */
    bool disconnected;      /* the last command found the connection dead */
    bool use_get_info;      /* the driver lacks virDomainGetState */
    int debug;              /* debug messages at this level and above are shown */
    char *logfile;
    int log_fd;
    int keepalive_interval; /* -1 = not given */
    int keepalive_count;    /* -1 = not given */
    const char *escape_char;
    virErrorPtr last_error; /* the libvirt error saved for the end of the command */
    char *own_error;        /* or the shell's own, e.g. a file that could not be read */
    GThread *event_thread;  /* runs libvirt's default event loop */
    gint quit_event_loop;
    int event_pipe[2];      /* a command waiting for events (events.c); -1 if none */
    int event_timer;
};

/* ---- output (output.c) ---- */

void vmsh_print(vmsh_ctl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void vmsh_print_extra(vmsh_ctl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void vmsh_error(vmsh_ctl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void vmsh_debug(vmsh_ctl *ctl, int level, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void vmsh_log_open(vmsh_ctl *ctl);
void vmsh_log_close(vmsh_ctl *ctl);

void vmsh_errors_capture(vmsh_ctl *ctl);  /* route libvirt errors to ctl->last_error */
void vmsh_save_error(vmsh_ctl *ctl);      /* keep the thread's current libvirt error */
void vmsh_reset_error(vmsh_ctl *ctl);     /* forget it (graceful fallbacks) */
void vmsh_report_error(vmsh_ctl *ctl);    /* print it as "error: ..." and forget it */
int vmsh_error_code(vmsh_ctl *ctl);       /* its code, VIR_ERR_OK if none */
void vmsh_set_error(vmsh_ctl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* ---- parsing (parse.c) ---- */

GPtrArray *vmsh_parse_string(vmsh_ctl *ctl, const char *text);
GPtrArray *vmsh_parse_argv(vmsh_ctl *ctl, int argc, char *const *argv);
void vmsh_cmd_free(vmsh_cmd *cmd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vmsh_cmd, vmsh_cmd_free)

/* ---- commands and groups (registry.c) ---- */

typedef struct {
    const char *keyword;
    const char *title;
} vmsh_group;

extern const vmsh_group vmsh_groups[];
const vmsh_cmd_def *vmsh_cmd_find(const char *name);
const vmsh_group *vmsh_group_find(const char *name);
int vmsh_cmd_def_check(const vmsh_cmd_def *def, uint64_t *ret_need_arg, uint64_t *ret_required);

/* ---- options of a parsed command (opts.c) ---- */

bool vmsh_opt_bool(const vmsh_cmd *cmd, const char *name);
int vmsh_opt_string_req(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *name, const char **value);
int vmsh_opt_string_quiet(const vmsh_cmd *cmd, const char *name, const char **value);
int vmsh_opt_int(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *name, int *value);
int vmsh_opt_uint(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *name, unsigned int *value);
int vmsh_opt_ullong(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *name,
                    unsigned long long *value);
const vmsh_opt *vmsh_opt_argv(const vmsh_cmd *cmd, const vmsh_opt *prev);
bool vmsh_opts_exclusive(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *a, const char *b);
bool vmsh_opts_require(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *opt, const char *needed);
bool vmsh_exclusive_vars(vmsh_ctl *ctl, bool a, const char *a_name, bool b, const char *b_name);
bool vmsh_require_vars(vmsh_ctl *ctl, bool opt, const char *opt_name, bool needed,
                       const char *needed_name);
char **vmsh_split_commas(const char *text);

/* Options excluding or requiring each other: return false from the handler. */
#define VMSH_EXCLUSIVE(a, b) \
    do { if (!vmsh_opts_exclusive(ctl, cmd, a, b)) return false; } while (0)
#define VMSH_REQUIRES(opt, needed) \
    do { if (!vmsh_opts_require(ctl, cmd, opt, needed)) return false; } while (0)

/* ---- running (run.c) ---- */

bool vmsh_run(vmsh_ctl *ctl, GPtrArray *script);
int vmsh_connect(vmsh_ctl *ctl, const char *name, bool readonly, bool force);
void vmsh_disconnect(vmsh_ctl *ctl);

/* ---- waiting for events (events.c) ---- */

enum { VMSH_EVENT_INTERRUPT = 1, VMSH_EVENT_TIMEOUT, VMSH_EVENT_DONE };

int vmsh_event_start(vmsh_ctl *ctl, int timeout_ms);
void vmsh_event_done(vmsh_ctl *ctl);
int vmsh_event_wait(vmsh_ctl *ctl);
void vmsh_event_cleanup(vmsh_ctl *ctl);

/* ---- editing XML in the user's editor (edit.c) ---- */

typedef struct {
    char *(*get_xml)(vmsh_ctl *ctl, void *opaque);                  /* NULL on error */
    bool (*define)(vmsh_ctl *ctl, const char *xml, void *opaque);   /* from the edited XML */
    void (*relax)(void *opaque); /* drop validation; NULL if there is none to drop */
    bool (*define_unchanged)(void *opaque); /* redefine from an unchanged file too; may be NULL */
} vmsh_edit_ops;

int vmsh_edit(vmsh_ctl *ctl, const vmsh_edit_ops *ops, void *opaque);
char *vmsh_edit_write_temp(vmsh_ctl *ctl, const char *doc);
int vmsh_edit_run_editor(vmsh_ctl *ctl, const char *filename);
char *vmsh_edit_read_back(vmsh_ctl *ctl, const char *filename);
int vmsh_edit_ask_again(vmsh_ctl *ctl, const char *msg, bool relax);

/* ---- line input (readline.c) ---- */

void vmsh_readline_init(vmsh_ctl *ctl);
char *vmsh_readline(vmsh_ctl *ctl, const char *prompt);
void vmsh_readline_add_history(const char *line);
void vmsh_readline_deinit(vmsh_ctl *ctl);
