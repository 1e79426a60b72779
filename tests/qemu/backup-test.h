/* Shared by the checkpoint and backup tests of the QEMU driver: a root with a guardian,
 * domains with qcow2 disks whose every guest write is also applied to a raw
 * reference file, copies of those references at an instant, image comparisons,
 * backup events recorded from the event loop, waiting for a job to end, and killing
 * QEMU behind the driver's back. */
#pragma once

#include <errno.h>
#include <sys/stat.h>
#include "drivers/qemu/qemu_block.h"
#include "drivers/qemu/qemu_driver.h"
#include "qemu-driver-test.h"

static char *dir;            /* images, references, backups */
static char *root;           /* the driver's root */
static virConnectPtr conn;

static inline void quiet(void *opaque, virErrorPtr err)
{
}

/* ---- events: block jobs and job completion ---- */

typedef struct {
    GMutex lock;
    GString *log;            /* "block:DISK:STATUS " "block2:DST:STATUS " "done:SUCCESS:ERRMSG " */
    gint stop;
    GThread *thread;
} backup_events;

static backup_events events;

static inline void ev_block(virConnectPtr c, virDomainPtr dom, const char *disk, int type, int status, void *opaque)
{
    g_mutex_lock(&events.lock);
    g_string_append_printf(events.log, "%s:%s:%d:%d ", opaque ? "block2" : "block", disk, type, status);
    g_mutex_unlock(&events.lock);
}

static inline void ev_done(virConnectPtr c, virDomainPtr dom, virTypedParameterPtr params, int nparams, void *opaque)
{
    int success = -1;
    const char *msg = NULL;

    virTypedParamsGetBoolean(params, nparams, VIR_DOMAIN_JOB_SUCCESS, &success);
    virTypedParamsGetString(params, nparams, VIR_DOMAIN_JOB_ERRMSG, &msg);
    g_mutex_lock(&events.lock);
    g_string_append_printf(events.log, "done:%d:%s ", success, msg ? msg : "");
    g_mutex_unlock(&events.lock);
}

static inline void ev_tick(int timer, void *opaque)
{
}

static gpointer ev_loop(gpointer opaque)
{
    while (!g_atomic_int_get(&events.stop))
        virEventRunDefaultImpl();
    return NULL;
}

static inline void events_start(void)
{
    g_mutex_init(&events.lock);
    events.log = g_string_new(NULL);
    virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_BLOCK_JOB,
                                     VIR_DOMAIN_EVENT_CALLBACK(ev_block), NULL, NULL);
    virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2,
                                     VIR_DOMAIN_EVENT_CALLBACK(ev_block), (void *)1, NULL);
    virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
                                     VIR_DOMAIN_EVENT_CALLBACK(ev_done), NULL, NULL);
    virEventAddTimeout(50, ev_tick, NULL, NULL);
    events.thread = g_thread_new("events", ev_loop, NULL);
}

static inline void events_stop(void)
{
    g_atomic_int_set(&events.stop, 1);
    g_thread_join(events.thread);
    g_string_free(events.log, TRUE);
    g_mutex_clear(&events.lock);
}

/* What was recorded once it holds "done:" (up to ms), cleared. */
static inline char *events_take(int ms)
{
    for (int waited = 0;; waited += 20) {
        g_mutex_lock(&events.lock);
        if (strstr(events.log->str, "done:") || waited >= ms) {
            char *out = g_strdup(events.log->str);
            g_string_truncate(events.log, 0);
            g_mutex_unlock(&events.lock);
            return out;
        }
        g_mutex_unlock(&events.lock);
        g_usleep(20000);
    }
}

/* ---- the root ---- */

/* The test's directory (removed, its QEMUs killed, whatever way the test ends). */
static inline void setup_dir(const char *name)
{
    g_autofree char *tmpl = g_strdup_printf("vm-%s-XXXXXX", name);

    setvbuf(stdout, NULL, _IOLBF, 0);
    require_qemu();
    dir = make_tmpdir(tmpl);
    root = g_build_filename(dir, "root", NULL);
    guardian_start(dir);
}

/* Open the root and record its events. */
static inline bool open_conn(void)
{
    g_autofree char *uri = g_strdup_printf("qemu:///embed?root=%s", root);

    conn = virConnectOpen(uri);
    if (!check("open the root", conn != NULL)) {
        printf("  %s\n", api_error());
        return false;
    }
    g_atomic_int_set(&events.stop, 0);
    events_start();
    return true;
}

static inline void close_conn(void)
{
    events_stop();
    virConnectClose(conn);
    conn = NULL;
}

static inline void setup(const char *name)
{
    setup_dir(name);
    virSetErrorFunc(NULL, quiet);
    virEventRegisterDefaultImpl();
    if (!open_conn()) {
        remove_tree(dir);
        exit(1);
    }
}

static inline int finish(void)
{
    if (conn) {
        events_stop();
        check("close the connection", virConnectClose(conn) == 0);
    }
    check("no QEMU left running", kill_qemus_of(dir) == 0);
    remove_tree(dir);
    return failures ? 1 : 0;
}

static inline char *in_dir(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static inline char *in_dir(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *name = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return g_build_filename(dir, name, NULL);
}

/* ---- domains with referenced disks ---- */

typedef struct {
    const char *dst;
    char *image;             /* qcow2 */
    char *ref;               /* raw: every write applied here too */
} tdisk;

typedef struct {
    virDomainPtr dom;
    const char *name;
    size_t ndisks;
    tdisk disks[4];
} tvm;

/* A domain (persistent when define, started unless shut_off) with disks dsts (vda,
 * vdb: virtio; sda: scsi) of size bytes each. */
static inline bool dom_make(tvm *t, const char *name, const char *const *dsts, unsigned long long size,
                     bool shut_off)
{
    GString *devices = g_string_new(NULL);
    g_autofree char *xml = NULL;

    memset(t, 0, sizeof(*t));
    t->name = name;
    for (size_t i = 0; dsts[i]; i++) {
        tdisk *td = &t->disks[t->ndisks++];
        g_autofree char *dx = NULL;
        td->dst = dsts[i];
        td->image = in_dir("%s-%s.qcow2", name, td->dst);
        td->ref = in_dir("%s-%s.ref", name, td->dst);
        if (qemu_img_create_qcow2(td->image, size, NULL, NULL) < 0 || qemu_img_create_raw(td->ref, size) < 0)
            return false;
        dx = disk_xml(td->image, "qcow2", td->dst, g_str_has_prefix(td->dst, "sd") ? "scsi" : "virtio");
        g_string_append(devices, dx);
    }
    xml = domain_xml(name, devices->str);
    g_string_free(devices, TRUE);
    t->dom = virDomainDefineXML(conn, xml);
    if (!t->dom || (!shut_off && virDomainCreate(t->dom) < 0)) {
        printf("  %s: %s\n", name, api_error());
        return false;
    }
    return true;
}

/* Release what dom_make allocated (the domain handle too). */
static inline void dom_release(tvm *t)
{
    for (size_t i = 0; i < t->ndisks; i++) {
        g_free(t->disks[i].image);
        g_free(t->disks[i].ref);
    }
    if (t->dom)
        virDomainFree(t->dom);
    memset(t, 0, sizeof(*t));
}

static inline tdisk *dom_disk(tvm *t, const char *dst)
{
    for (size_t i = 0; i < t->ndisks; i++)
        if (strcmp(t->disks[i].dst, dst) == 0)
            return &t->disks[i];
    return NULL;
}

/* A guest write (HMP qemu-io) and the same write on the reference. */
static inline bool gwrite(tvm *t, const char *dst, const char *cmd)
{
    tdisk *td = dom_disk(t, dst);

    if (qemu_domain_qemu_io(t->dom, dst, cmd) < 0) {
        printf("  qemu-io %s '%s': %s\n", dst, cmd, api_error());
        return false;
    }
    return reference_write(td->ref, "raw", cmd);
}

/* Copy src to dst (sparse), as the expected content at an instant. */
static inline bool copy_file(const char *src, const char *dst)
{
    const char *argv[] = { "cp", "--sparse=always", src, dst, NULL };
    int status = -1;

    return g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status,
                        NULL) && status == 0;
}

/* Snapshot every disk's reference as "<ref>.<tag>". */
static inline bool refs_at(tvm *t, const char *tag)
{
    for (size_t i = 0; i < t->ndisks; i++) {
        g_autofree char *copy = g_strdup_printf("%s.%s", t->disks[i].ref, tag);
        if (!copy_file(t->disks[i].ref, copy))
            return false;
    }
    return true;
}

static inline char *ref_at(tvm *t, const char *dst, const char *tag)
{
    return g_strdup_printf("%s.%s", dom_disk(t, dst)->ref, tag);
}

/* Whether image (format fmt, NULL: probe) has the same content as reference (raw). */
static inline bool same_as(const char *image, const char *fmt, const char *ref)
{
    bool identical = false;
    long long at = -1;

    if (qemu_img_compare(image, fmt, ref, "raw", QEMU_IMG_FORCE_SHARE, &identical, &at) < 0) {
        printf("  compare %s: %s\n", image, last_message());
        return false;
    }
    if (!identical)
        printf("  %s differs from %s at %lld\n", image, ref, at);
    return identical;
}

/* ---- jobs ---- */

/* Wait until the domain has no job (up to ms); then the completed statistics. */
static inline bool job_wait(virDomainPtr dom, int ms, int *ret_type, int *ret_success, char **ret_errmsg)
{
    virTypedParameterPtr params = NULL;
    int nparams = 0, type = -1, success = -1;
    const char *msg = NULL;

    for (int waited = 0;; waited += 10) {
        virDomainJobInfo info;
        int rc = virDomainGetJobInfo(dom, &info);
        if ((rc == 0 && info.type == VIR_DOMAIN_JOB_NONE) || (rc < 0 && virDomainIsActive(dom) == 0))
            break;     /* done, or the domain stopped (no job info then) */
        if (waited >= ms)
            return false;
        g_usleep(10000);
    }
    if (virDomainGetJobStats(dom, &type, &params, &nparams, VIR_DOMAIN_JOB_STATS_COMPLETED) < 0)
        return false;
    virTypedParamsGetBoolean(params, nparams, VIR_DOMAIN_JOB_SUCCESS, &success);
    virTypedParamsGetString(params, nparams, VIR_DOMAIN_JOB_ERRMSG, &msg);
    *ret_type = type;
    *ret_success = success;
    if (ret_errmsg)
        *ret_errmsg = g_strdup(msg);
    virTypedParamsFree(params, nparams);
    return true;
}

/* The QEMU pid of a running domain, from its status file. */
static inline int qemu_pid(const char *name)
{
    g_autofree char *base = g_strconcat(name, ".xml", NULL);
    g_autofree char *path = g_build_filename(root, "run", "qemu", base, NULL);
    g_autofree char *text = NULL;
    const char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL) || !(p = strstr(text, " pid='")))
        return 0;
    return atoi(p + 6);
}

static inline bool kill_qemu(tvm *t)
{
    int pid = qemu_pid(t->name);

    if (pid <= 0 || kill(pid, SIGKILL) < 0)
        return false;
    return wait_state(t->dom, VIR_DOMAIN_SHUTOFF, -1, 10000);
}

static inline bool exists(const char *path)
{
    return g_file_test(path, G_FILE_TEST_EXISTS);
}

/* QEMU has only the disks' nodes (nnodes) and no bitmap but the checkpoints' (named
 * "c..."): no target or scratch node, no temporary bitmap left behind. */
static inline bool nothing_left_in(virDomainPtr dom, guint nnodes)
{
    g_autoptr(GPtrArray) nodes = NULL;
    bool ok = qemu_domain_block_nodes(dom, &nodes) == 0;

    for (guint i = 0; ok && i < nodes->len; i++) {
        const qemu_block_node *n = g_ptr_array_index(nodes, i);
        for (guint j = 0; j < n->bitmaps->len; j++) {
            const char *name = ((qemu_block_bitmap *)n->bitmaps->pdata[j])->name;
            if (!name || !g_str_has_prefix(name, "c")) {
                printf("  bitmap '%s' left on %s\n", name ? name : "(anonymous)", n->node_name);
                ok = false;
            }
        }
    }
    if (nodes && nodes->len != nnodes)
        printf("  %u nodes, expected %u\n", nodes->len, nnodes);
    return ok && nodes->len == nnodes;
}
