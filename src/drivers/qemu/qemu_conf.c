/* The domain XML as the QEMU driver takes it: accepted types, defaults (emulator,
 * arch, machine type, balloon, SCSI model) and the checks made at define time. */
#include "drivers/qemu/qemu_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "drivers/qemu/qemu_command.h"
#include "util/error.h"

#define FROM VIR_FROM_QEMU
#define DEFAULT_EMULATOR "qemu-system-x86_64"
#define DEBIAN_EMULATOR "/usr/bin/qemu-system-x86_64"

static const int virt_types[] = { DOMAIN_VIRT_QEMU, DOMAIN_VIRT_KVM, -1 };

bool qemu_kvm_usable(void)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

    if (fd < 0)
        return false;
    close(fd);
    return true;
}

/* ---- machine types, from "EMULATOR -machine help", once per emulator ---- */

typedef struct {
    GHashTable *names;      /* every machine type name -> the canonical one */
    char *default_name;
} machine_table;

static GMutex machines_lock;
static GHashTable *machines;   /* emulator path -> machine_table* (kept for the process) */

static machine_table *machine_table_parse(const char *out)
{
    machine_table *t = g_new0(machine_table, 1);
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);

    t->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    for (size_t i = 1; lines[i]; i++) {   /* the first line is "Supported machines are:" */
        g_auto(GStrv) words = g_strsplit_set(g_strstrip(lines[i]), " \t", 2);
        const char *alias_of;
        if (!words[0] || !*words[0])
            continue;
        alias_of = words[1] ? strstr(words[1], "(alias of ") : NULL;
        if (alias_of) {
            g_autofree char *target = g_strdup(alias_of + strlen("(alias of "));
            *strchrnul(target, ')') = '\0';
            g_hash_table_replace(t->names, g_strdup(words[0]), g_strdup(target));
        } else if (!g_hash_table_contains(t->names, words[0])) {
            g_hash_table_insert(t->names, g_strdup(words[0]), g_strdup(words[0]));
        }
        if (words[1] && strstr(words[1], "(default)") && !t->default_name)
            t->default_name = g_strdup(words[0]);
    }
    return t;
}

/* The machine types of emulator; NULL with an error when it cannot be run. */
static const machine_table *machine_table_get(const char *emulator)
{
    const char *argv[] = { emulator, "-machine", "help", NULL };
    const char *envp[] = { "LC_ALL=C", NULL };
    g_autofree char *out = NULL, *err = NULL;
    g_autoptr(GError) gerr = NULL;
    machine_table *t;
    int status;

    g_mutex_lock(&machines_lock);
    if (!machines)
        machines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    t = g_hash_table_lookup(machines, emulator);
    g_mutex_unlock(&machines_lock);
    if (t)
        return t;
    if (!g_spawn_sync(NULL, (char **)argv, (char **)envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                      &status, &gerr) || !g_spawn_check_wait_status(status, NULL)) {
        error_report(FROM, VIR_ERR_INTERNAL_ERROR, "Failed to probe QEMU binary '%s': %s", emulator,
                     gerr ? gerr->message : g_strstrip(err));
        return NULL;
    }
    t = machine_table_parse(out);
    g_mutex_lock(&machines_lock);
    if (g_hash_table_contains(machines, emulator)) {   /* another thread won */
        g_hash_table_unref(t->names);
        g_free(t->default_name);
        g_free(t);
        t = g_hash_table_lookup(machines, emulator);
    } else {
        g_hash_table_insert(machines, g_strdup(emulator), t);
    }
    g_mutex_unlock(&machines_lock);
    return t;
}

/* ---- post-parse ---- */

static char *default_emulator(void)
{
    char *path = g_find_program_in_path(DEFAULT_EMULATOR);
    return path ? path : g_strdup(DEBIAN_EMULATOR);
}

/* Defaults that need nothing but the XML. */
static void fill_defaults(domain_def *def)
{
    if (!def->emulator)
        def->emulator = default_emulator();
    if (!def->os_machine)
        def->os_machine = g_strdup("pc");
    if (!def->memballoon) {
        def->memballoon = g_new0(domain_memballoon_def, 1);
        def->memballoon->model = g_strdup("virtio");
    }
    for (size_t i = 0; i < def->ncontrollers; i++) {
        domain_controller_def *c = def->controllers[i];
        if (c->type == DOMAIN_CONTROLLER_SCSI && !c->model)
            c->model = g_strdup("virtio-scsi");
    }
}

static int check_emulator(const char *emulator)
{
    if (!g_path_is_absolute(emulator)) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "emulator path '%s' must be absolute",
                     emulator);
        return -1;
    }
    if (access(emulator, X_OK) < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "Cannot check QEMU binary %s",
                           emulator);
        return -1;
    }
    return 0;
}

/* The machine type as QEMU names it ("pc" -> "pc-i440fx-7.2"), checked. */
static int canonical_machine(domain_def *def)
{
    const machine_table *t = machine_table_get(def->emulator);
    const char *canonical;

    if (!t)
        return -1;
    canonical = g_hash_table_lookup(t->names, def->os_machine);
    if (!canonical) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED,
                     "Emulator '%s' does not support machine type '%s'", def->emulator,
                     def->os_machine);
        return -1;
    }
    if (strcmp(canonical, def->os_machine) != 0) {
        g_free(def->os_machine);
        def->os_machine = g_strdup(canonical);
    }
    return 0;
}

/* Define and create: defaults, then every check. */
static int post_parse_new(domain_def *def, unsigned int flags, void *opaque)
{
    fill_defaults(def);
    if (check_emulator(def->emulator) < 0 || canonical_machine(def) < 0)
        return -1;
    return qemu_command_validate(def);
}

/* Configs and status files the driver wrote itself: defaults only (an emulator
 * that went away is reported when the domain starts). */
static int post_parse_load(domain_def *def, unsigned int flags, void *opaque)
{
    fill_defaults(def);
    return 0;
}

void qemu_conf_init_options(qemu_host *h)
{
    domain_xml_options base = {
        .default_arch = "x86_64",
        .virt_types = virt_types,
        .wide_scsi = true,
        .opaque = h,
    };

    h->xmlopt = base;
    h->xmlopt.post_parse = post_parse_new;
    h->xmlopt_load = base;
    h->xmlopt_load.post_parse = post_parse_load;
}

/* Checks repeated at every start: the emulator and the accelerator are there. */
int qemu_conf_check_start(const domain_def *def)
{
    if (check_emulator(def->emulator) < 0)
        return -1;
    if (def->virt_type == DOMAIN_VIRT_KVM && !qemu_kvm_usable()) {
        error_report_errno(FROM, VIR_ERR_CONFIG_UNSUPPORTED, errno,
                           "domain type 'kvm' needs /dev/kvm, which this process cannot use");
        return -1;
    }
    return qemu_command_validate(def);
}
