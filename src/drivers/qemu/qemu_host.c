/* A root directory as a QEMU host: its layout, the lock that keeps other processes
 * out while this one uses it, loading its configs, taking over the QEMUs its status
 * files describe, the worker thread, and letting go of it all (QEMU keeps running). */
#include "drivers/qemu/qemu_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "drivers/qemu/qemu_backup.h"
#include "drivers/qemu/qemu_procfs.h"
#include "util/error.h"
#include "util/file.h"

#define FROM VIR_FROM_QEMU

/* One host per root and process, shared by the connections to it. */
static GMutex hosts_lock;
static GHashTable *hosts;   /* canonical root -> qemu_host* */

typedef struct {
    qemu_dom *dom;          /* referenced */
    qemu_work_kind kind;
    guint64 generation;
} work_item;

static void work_run(gpointer data, gpointer user_data)
{
    work_item *w = data;

    qemu_events_process(user_data, w->dom, w->kind, w->generation);
    qemu_dom_unref(w->dom);
    g_free(w);
}

void qemu_host_queue_work(qemu_host *h, qemu_dom *d, qemu_work_kind kind)
{
    work_item *w = g_new0(work_item, 1);

    qemu_dom_ref(d);
    w->dom = d;
    w->kind = kind;
    w->generation = d->generation;
    g_thread_pool_push(h->worker, w, NULL);
}

/* ---- the lock ---- */

/* ROOT/run/qemu/driver.pid, flock()ed for as long as this process uses the root;
 * the kernel drops the lock when the process dies. */
static int lock_root(qemu_host *h)
{
    g_autofree char *path = g_build_filename(h->state_dir, "driver.pid", NULL);
    g_autofree char *pid = g_strdup_printf("%d\n", (int)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

    if (fd < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "Failed to open pid file '%s'", path);
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        int e = errno;
        char owner[32] = "";
        ssize_t n = pread(fd, owner, sizeof(owner) - 1, 0);
        owner[n > 0 ? n : 0] = '\0';
        close(fd);
        if (e == EWOULDBLOCK)
            error_report(FROM, VIR_ERR_OPERATION_FAILED,
                         "root directory '%s' is in use by another process (pid %d)", h->root,
                         atoi(owner));
        else
            error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, e, "Failed to acquire pid file '%s'", path);
        return -1;
    }
    if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, strlen(pid), 0) < 0) {
        /* the pid is informative only */
    }
    h->lock_fd = fd;
    return 0;
}

/* ---- layout ---- */

static int make_dirs(qemu_host *h)
{
    const char *dirs[] = { h->config_dir, h->autostart_dir, h->state_dir, h->log_dir, h->lib_dir };

    for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
        if (g_mkdir_with_parents(dirs[i], 0700) < 0) {
            error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot create directory '%s'",
                               dirs[i]);
            return -1;
        }
    }
    return 0;
}

static qemu_host *host_new(const char *root)
{
    qemu_host *h = g_new0(qemu_host, 1);

    h->refs = 1;
    h->root = g_strdup(root);
    h->config_dir = g_build_filename(root, "etc", "qemu", NULL);
    h->autostart_dir = g_build_filename(h->config_dir, "autostart", NULL);
    h->state_dir = g_build_filename(root, "run", "qemu", NULL);
    h->log_dir = g_build_filename(root, "log", "qemu", NULL);
    h->lib_dir = g_build_filename(root, "lib", "qemu", NULL);
    h->lock_fd = -1;
    g_mutex_init(&h->lock);
    g_cond_init(&h->job_cond);
    h->doms = g_ptr_array_new_with_free_func((GDestroyNotify)qemu_dom_unref);
    h->next_id = 1;
    h->events = event_bus_new();
    h->worker = g_thread_pool_new(work_run, h, 1, FALSE, NULL);
    qemu_conf_init_options(h);
    return h;
}

/* The packs that make the next open read each metadata store in one go, while the
 * root is still ours (best effort: without them the next open reads every file). */
static void pack_metadata(qemu_dom *d)
{
    if (d->snapshot_store)
        moment_store_pack(d->snapshot_store);
    if (d->checkpoint_store)
        moment_store_pack(d->checkpoint_store);
    error_reset();
}

/* Let go: no more work is queued once closing is set (the listeners check it);
 * finish the work queued (a guest's shutdown or reboot is carried out), close the
 * monitors (QEMU keeps running), pack the metadata, unlock. */
static void host_free(qemu_host *h)
{
    g_mutex_lock(&h->lock);
    h->closing = true;
    g_cond_broadcast(&h->job_cond);
    g_mutex_unlock(&h->lock);
    g_thread_pool_free(h->worker, FALSE, TRUE);
    qemu_backup_host_closing(h);   /* QEMU keeps the backup jobs: the next owner takes them */
    for (guint i = 0; i < h->doms->len; i++) {
        qemu_dom *d = g_ptr_array_index(h->doms, i);
        g_mutex_lock(&h->lock);
        qmp_client *mon = g_steal_pointer(&d->mon);
        g_mutex_unlock(&h->lock);
        if (mon)
            qmp_client_free(mon);
        pack_metadata(d);
    }
    g_ptr_array_unref(h->doms);
    event_bus_free(h->events);
    if (h->lock_fd >= 0)
        close(h->lock_fd);
    g_mutex_clear(&h->lock);
    g_cond_clear(&h->job_cond);
    g_free(h->root);
    g_free(h->config_dir);
    g_free(h->autostart_dir);
    g_free(h->state_dir);
    g_free(h->log_dir);
    g_free(h->lib_dir);
    g_free(h);
}

/* ---- loading ---- */

/* Each ROOT/etc/qemu/NAME.xml; one that cannot be read is skipped. */
static void load_configs(qemu_host *h)
{
    g_autoptr(GDir) dir = g_dir_open(h->config_dir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *path = g_build_filename(h->config_dir, name, NULL);
        g_autofree char *xml = NULL, *expected = NULL, *link = NULL;
        domain_def *def;
        qemu_dom *d;

        if (!g_str_has_suffix(name, ".xml") || !g_file_get_contents(path, &xml, NULL, NULL))
            continue;
        def = domain_def_parse(xml, &h->xmlopt_load, 0);
        if (!def) {
            error_reset();
            continue;
        }
        expected = qemu_dom_config_path(h, def->name);
        if (strcmp(expected, path) != 0 || qemu_dom_find_name(h, def->name) ||
            qemu_dom_find_uuid(h, def->uuid)) {
            domain_def_free(def);
            continue;
        }
        d = qemu_dom_new(h, def, true);
        link = qemu_dom_autostart_path(h, def->name);
        d->autostart = g_file_test(link, G_FILE_TEST_EXISTS);
        qemu_dom_add(h, d);
    }
}

/* The domain a status file describes joins its config (or stays transient). */
static qemu_dom *merge_status(qemu_host *h, qemu_dom *live)
{
    qemu_dom *cfg = qemu_dom_find_uuid(h, live->def->uuid);

    if (cfg && strcmp(cfg->def->name, live->def->name) == 0) {
        live->persistent = true;
        live->autostart = cfg->autostart;
        live->new_def = domain_def_copy(cfg->def);
        qemu_dom_remove(h, cfg);
    } else if (cfg || qemu_dom_find_name(h, live->def->name)) {
        return NULL;   /* a config with the same name or UUID but another domain */
    }
    qemu_dom_add(h, live);
    return live;
}

static void load_status(qemu_host *h, const char *path)
{
    qemu_dom *d = qemu_status_load(h, path);
    guint64 generation;
    int work = -1;

    if (!d) {
        error_reset();
        return;
    }
    g_mutex_lock(&h->lock);
    if (!merge_status(h, d)) {
        g_mutex_unlock(&h->lock);
        qemu_dom_unref(d);
        return;
    }
    qemu_dom_ref(d);   /* a transient domain found dead leaves the list */
    d->job = true;
    if (d->id >= h->next_id)
        h->next_id = d->id + 1;
    g_mutex_unlock(&h->lock);
    if (qemu_process_reattach(h, d, &work) != 0)
        work = -1;
    else
        qemu_snapshot_reattach(h, d);
    qemu_backup_reattach(h, d);
    error_reset();
    g_mutex_lock(&h->lock);
    qemu_dom_end_job(d);
    generation = d->generation;
    g_mutex_unlock(&h->lock);
    /* what happened while nobody watched is dealt with before anyone looks */
    if (work >= 0)
        qemu_events_process(h, d, work, generation);
    qemu_dom_unref(d);
}

/* Runtime dirs no running domain owns: left by a process that died mid-start. */
static void remove_stale_dirs(qemu_host *h)
{
    g_autoptr(GDir) dir = g_dir_open(h->state_dir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *path = g_build_filename(h->state_dir, name, NULL);
        bool owned = false;
        if (!g_str_has_prefix(name, "domain-") || !g_file_test(path, G_FILE_TEST_IS_DIR))
            continue;
        g_mutex_lock(&h->lock);
        for (guint i = 0; i < h->doms->len && !owned; i++) {
            qemu_dom *d = g_ptr_array_index(h->doms, i);
            owned = d->run && strcmp(d->run->dir, path) == 0;
        }
        g_mutex_unlock(&h->lock);
        if (!owned)
            qemu_remove_tree(path);
    }
}

static void load(qemu_host *h)
{
    g_autoptr(GDir) dir = NULL;
    const char *name;

    load_configs(h);
    dir = g_dir_open(h->state_dir, 0, NULL);
    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *path = g_build_filename(h->state_dir, name, NULL);
        if (g_str_has_suffix(name, ".xml"))
            load_status(h, path);
    }
    remove_stale_dirs(h);
    qemu_snapshot_load_all(h);
    qemu_checkpoint_load_all(h);
}

static char *canonical_root(const char *root)
{
    char *real;

    if (!g_path_is_absolute(root)) {
        error_report(FROM, VIR_ERR_INVALID_ARG, "root path '%s' must be absolute", root);
        return NULL;
    }
    if (g_mkdir_with_parents(root, 0700) < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot create root directory '%s'", root);
        return NULL;
    }
    real = realpath(root, NULL);
    if (!real)
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot resolve root directory '%s'", root);
    return real;
}

qemu_host *qemu_host_open(const char *root)
{
    g_autofree char *real = canonical_root(root);
    qemu_host *h;

    if (!real)
        return NULL;
    g_mutex_lock(&hosts_lock);
    if (!hosts)
        hosts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    h = g_hash_table_lookup(hosts, real);
    if (h) {
        g_atomic_int_inc(&h->refs);
        g_mutex_unlock(&hosts_lock);
        return h;
    }
    h = host_new(real);
    if (make_dirs(h) < 0 || lock_root(h) < 0) {
        g_mutex_unlock(&hosts_lock);
        host_free(h);
        return NULL;
    }
    load(h);
    g_hash_table_insert(hosts, g_strdup(real), h);
    g_mutex_unlock(&hosts_lock);
    return h;
}

void qemu_host_unref(qemu_host *h)
{
    if (!h)
        return;
    g_mutex_lock(&hosts_lock);
    if (!g_atomic_int_dec_and_test(&h->refs)) {
        g_mutex_unlock(&hosts_lock);
        return;
    }
    g_hash_table_remove(hosts, h->root);
    g_mutex_unlock(&hosts_lock);
    host_free(h);
}
