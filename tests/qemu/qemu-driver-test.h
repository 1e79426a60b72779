/* Shared by the QEMU driver's tests (real QEMU under TCG, no guest OS): a guardian
 * process that kills every QEMU of the test's root whatever way the test ends,
 * domain XML, images, a tiny boot sector that powers off on the ACPI power button,
 * waiting for states, and recording lifecycle events from the event loop. */
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <libvirt/libvirt.h>
#include "drivers/qemu/qemu_img.h"
#include "qemu-test.h"

#define MiB (1024ULL * 1024)

/* Skip (77) when QEMU or its tools are missing. */
static inline void require_qemu(void)
{
    const char *need[] = { "qemu-system-x86_64", "qemu-img", "qemu-io" };

    for (size_t i = 0; i < G_N_ELEMENTS(need); i++) {
        g_autofree char *p = g_find_program_in_path(need[i]);
        if (!p) {
            printf("skip: %s not installed\n", need[i]);
            exit(77);
        }
    }
}

/* Kill every process whose command line mentions root (QEMUs run in their own
 * sessions and outlive the processes that start them). */
static inline int kill_qemus_of(const char *root)
{
    GDir *proc = g_dir_open("/proc", 0, NULL);
    const char *name;
    int killed = 0;

    while (proc && (name = g_dir_read_name(proc))) {
        g_autofree char *path = g_strdup_printf("/proc/%s/cmdline", name);
        g_autofree char *cmd = NULL;
        gsize len = 0;
        int pid = atoi(name);
        if (pid <= 1 || pid == getpid() || !g_file_get_contents(path, &cmd, &len, NULL))
            continue;
        for (gsize i = 0; i + 1 < len; i++)
            if (!cmd[i])
                cmd[i] = ' ';
        if (len && strstr(cmd, "qemu-system") && strstr(cmd, root)) {
            kill(pid, SIGKILL);
            killed++;
        }
    }
    if (proc)
        g_dir_close(proc);
    return killed;
}

/* Fork, before any thread exists, a process that waits for this one to end (its
 * pipe closes however this process dies), then kills the QEMUs of root and removes
 * root. It leaves the test's process group, so a test runner killing the group on
 * timeout does not kill it too. */
static inline void guardian_start(const char *root)
{
    int fds[2];
    pid_t pid;

    if (pipe(fds) < 0)
        return;
    pid = fork();
    if (pid == 0) {
        char c;
        setsid();
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        close(fds[1]);
        while (read(fds[0], &c, 1) > 0) {
        }
        kill_qemus_of(root);
        remove_tree(root);
        _exit(0);
    }
    close(fds[0]);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);   /* only this process keeps it open */
}

static inline char *path_in(const char *dir, const char *name)
{
    return g_build_filename(dir, name, NULL);
}

/* The names in dir, sorted, separated by spaces ("" when empty or missing). */
static inline char *dir_list(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    while (d && (name = g_dir_read_name(d)))
        g_ptr_array_add(names, g_strdup(name));
    if (d)
        g_dir_close(d);
    g_ptr_array_sort(names, (GCompareFunc)g_ascii_strcasecmp);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(" ", (char **)names->pdata);
}

/* A domain of type qemu (TCG) with 64 MiB, ACPI, and the given devices. */
static inline char *domain_xml(const char *name, const char *devices)
{
    return g_strdup_printf(
        "<domain type='qemu'>\n"
        "  <name>%s</name>\n"
        "  <memory unit='MiB'>64</memory>\n"
        "  <vcpu>1</vcpu>\n"
        "  <os><type arch='x86_64'>hvm</type></os>\n"
        "  <features><acpi/></features>\n"
        "  <devices>\n%s  </devices>\n"
        "</domain>\n", name, devices);
}

static inline char *disk_xml(const char *path, const char *format, const char *dev, const char *bus)
{
    return g_strdup_printf(
        "    <disk type='file' device='disk'>\n"
        "      <driver name='qemu' type='%s'/>\n"
        "      <source file='%s'/>\n"
        "      <target dev='%s' bus='%s'/>\n"
        "    </disk>\n", format, path, dev, bus);
}

/* A raw disk of 1 MiB whose boot sector is code. */
static inline bool write_boot_disk(const char *path, const unsigned char *code, size_t len)
{
    g_autofree char *img = g_malloc0(MiB);

    memcpy(img, code, len);
    img[510] = 0x55;
    img[511] = (char)0xAA;
    return g_file_set_contents(path, img, MiB, NULL);
}

/* A guest that enables the ACPI power button, waits for it and then powers the
 * machine off (PM base 0x600 on pc and q35 with SeaBIOS). */
static inline bool write_acpi_guest(const char *path)
{
    static const unsigned char code[] = {
        0xFA,                                      /* cli */
        0xBA, 0x02, 0x06, 0xB8, 0x00, 0x01, 0xEF,  /* out 0x602, PWRBTN_EN */
        0xBA, 0x00, 0x06, 0xED,                    /* in ax, 0x600 */
        0xA9, 0x00, 0x01, 0x74, 0xF7,              /* until PWRBTN_STS */
        0xBA, 0x04, 0x06, 0xB8, 0x00, 0x20, 0xEF,  /* out 0x604, SLP_EN: power off */
        0xF4, 0xEB, 0xFD,                          /* hlt */
    };
    return write_boot_disk(path, code, sizeof(code));
}

/* A guest that panics at once through the ISA pvpanic device (port 0x505). */
static inline bool write_panic_guest(const char *path)
{
    static const unsigned char code[] = {
        0xFA,                                      /* cli */
        0xBA, 0x05, 0x05, 0xB0, 0x01, 0xEE,        /* out 0x505, PANICKED */
        0xF4, 0xEB, 0xFD,                          /* hlt */
    };
    return write_boot_disk(path, code, sizeof(code));
}

/* Write to an image with the qemu-io tool, as the guest writes to the live one. */
static inline bool reference_write(const char *path, const char *format, const char *cmd)
{
    const char *argv[] = { "qemu-io", "-f", format, "-c", cmd, path, NULL };
    int status = -1;

    return g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, &status, NULL) && status == 0;
}

/* Wait up to ms for dom to reach state (and reason, unless -1). */
static inline bool wait_state(virDomainPtr dom, int state, int reason, int ms)
{
    for (int waited = 0;; waited += 20) {
        int s = -1, r = -1;
        if (virDomainGetState(dom, &s, &r, 0) == 0 && s == state && (reason < 0 || r == reason))
            return true;
        if (waited >= ms)
            return false;
        g_usleep(20000);
    }
}

static inline const char *api_error(void)
{
    const char *msg = virGetLastErrorMessage();
    return msg ? msg : "(no error)";
}

/* The error of the last failed call: its code and a substring of its message. */
static inline bool check_api_error(const char *what, int code, const char *part)
{
    virErrorPtr err = virGetLastError();
    bool ok = err && err->code == code && err->message && strstr(err->message, part);

    check(what, ok);
    if (!ok)
        printf("  got code %d '%s', expected code %d with '%s'\n", err ? err->code : 0, api_error(),
               code, part);
    return ok;
}

/* ---- lifecycle events, delivered by the default event loop in a thread ---- */

typedef struct {
    GMutex lock;
    GString *log;          /* "event/detail " for each lifecycle event, "reboot " */
    gint stop;
    GThread *thread;
} event_recorder;

static int rec_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    event_recorder *r = opaque;

    g_mutex_lock(&r->lock);
    g_string_append_printf(r->log, "%d/%d ", event, detail);
    g_mutex_unlock(&r->lock);
    return 0;
}

static void rec_reboot(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    event_recorder *r = opaque;

    g_mutex_lock(&r->lock);
    g_string_append(r->log, "reboot ");
    g_mutex_unlock(&r->lock);
}

static void rec_tick(int timer, void *opaque)
{
}

static gpointer rec_loop(gpointer opaque)
{
    event_recorder *r = opaque;

    while (!g_atomic_int_get(&r->stop))
        virEventRunDefaultImpl();
    return NULL;
}

/* Call virEventRegisterDefaultImpl() before opening the connection. */
static inline void recorder_start(event_recorder *r, virConnectPtr conn)
{
    g_mutex_init(&r->lock);
    r->log = g_string_new(NULL);
    virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                     VIR_DOMAIN_EVENT_CALLBACK(rec_lifecycle), r, NULL);
    virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                     VIR_DOMAIN_EVENT_CALLBACK(rec_reboot), r, NULL);
    virEventAddTimeout(50, rec_tick, NULL, NULL);   /* wakes the loop to see stop */
    r->thread = g_thread_new("events", rec_loop, r);
}

static inline void recorder_stop(event_recorder *r)
{
    g_atomic_int_set(&r->stop, 1);
    g_thread_join(r->thread);
    g_string_free(r->log, TRUE);
    g_mutex_clear(&r->lock);
}

/* Forget what was recorded, once nothing more has come for 200 ms. */
static inline void recorder_drain(event_recorder *r)
{
    for (bool quiet = false; !quiet;) {
        g_usleep(200000);
        g_mutex_lock(&r->lock);
        quiet = r->log->len == 0;
        g_string_truncate(r->log, 0);
        g_mutex_unlock(&r->lock);
    }
}

/* Take what was recorded so far, waiting up to ms for it to contain expected. */
static inline char *recorder_take(event_recorder *r, const char *expected, int ms)
{
    for (int waited = 0;; waited += 20) {
        g_mutex_lock(&r->lock);
        if (strstr(r->log->str, expected) || waited >= ms) {
            char *out = g_strdup(r->log->str);
            g_string_truncate(r->log, 0);
            g_mutex_unlock(&r->lock);
            return out;
        }
        g_mutex_unlock(&r->lock);
        g_usleep(20000);
    }
}
