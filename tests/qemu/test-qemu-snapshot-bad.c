/* Snapshots refused with clear errors and nothing changed (no snapshot, no file, the
 * same disks, the same run state): an external snapshot into a file that exists
 * (and the same with REUSE_EXT, which uses it), a memory file in a directory that
 * does not exist, an internal snapshot of a raw disk, flags that conflict, a revert
 * QEMU would only half apply (a disk with a dirty bitmap); QUIESCE without a guest
 * agent channel, with one nobody answers, and with a fake agent (freeze, then thaw,
 * around the cut). */
#include "qemu-snapshot-test.h"

#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>

static char *dir;
static virConnectPtr conn;

static void quiet(void *opaque, virErrorPtr err)
{
}

/* What a refused snapshot must leave as it was. */
typedef struct {
    char *files;
    char *top[NDISKS];
    int state;
    int count;
} snapshot_state;

static void observe(const vm *v, snapshot_state *s)
{
    s->files = vm_files(v, "");
    for (int i = 0; i < NDISKS; i++)
        s->top[i] = vm_disk_path(v, vm_dsts[i]);
    s->state = vm_state(v, NULL);
    s->count = virDomainSnapshotNum(v->dom, 0);
}

static void forget(snapshot_state *s)
{
    g_free(s->files);
    g_free(s->top[0]);
    g_free(s->top[1]);
}

static bool unchanged(const vm *v, const snapshot_state *before)
{
    snapshot_state now;
    bool same;

    observe(v, &now);
    same = g_strcmp0(now.files, before->files) == 0 && now.state == before->state &&
           now.count == before->count && g_strcmp0(now.top[0], before->top[0]) == 0 &&
           g_strcmp0(now.top[1], before->top[1]) == 0;
    if (!same)
        printf("  before: %s | %s %d %d\n  after:  %s | %s %d %d\n", before->files, before->top[0],
               before->state, before->count, now.files, now.top[0], now.state, now.count);
    forget(&now);
    return same;
}

static void refused(const vm *v, const char *what, const char *xml, unsigned int flags, int code,
                    const char *message)
{
    snapshot_state before;
    virDomainSnapshotPtr s;

    observe(v, &before);
    s = virDomainSnapshotCreateXML(v->dom, xml, flags);
    check(what, s == NULL);
    check_api_error("  the error", code, message);
    check("  nothing changed", unchanged(v, &before) && vm_disks_equal(v, "now"));
    if (s)
        virDomainSnapshotFree(s);
    forget(&before);
}

static void test_running(void)
{
    vm *v = vm_new(conn, dir, "bad", false);
    g_autofree char *exists = g_build_filename(v->dir, "exists.qcow2", NULL);
    g_autofree char *ext = NULL, *mem = NULL, *reuse = NULL;

    /* paused: QEMU has flushed, so the images can be compared while it runs */
    check("start, a pattern, pause", virDomainCreate(v->dom) == 0 && vm_pattern(v, 1) &&
                                         vm_save_refs(v, "now") && virDomainSuspend(v->dom) == 0);
    check("a file in the way", qemu_img_create_qcow2(exists, DISK_SIZE, NULL, NULL) == 0);
    ext = g_strdup_printf("<domainsnapshot><name>x</name><disks><disk name='vda'><source file='%s'/></disk>"
                          "</disks></domainsnapshot>", exists);
    refused(v, "external snapshot into an existing file", ext, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY,
            VIR_ERR_CONFIG_UNSUPPORTED, "external snapshot file for disk vda already exists");
    mem = g_strdup_printf("<domainsnapshot><name>x</name><memory snapshot='external' file='%s/no/such/dir/mem'/>"
                          "</domainsnapshot>", v->dir);
    refused(v, "memory file in a directory that does not exist", mem, 0, VIR_ERR_SYSTEM_ERROR,
            "No such file or directory");
    refused(v, "LIVE with an internal snapshot", "<domainsnapshot><name>x</name></domainsnapshot>",
            VIR_DOMAIN_SNAPSHOT_CREATE_LIVE, VIR_ERR_OPERATION_UNSUPPORTED,
            "live snapshot creation is supported only during full system snapshots");
    refused(v, "QUIESCE without DISK_ONLY", "<domainsnapshot/>", VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE,
            VIR_ERR_OPERATION_INVALID, "quiesce requires disk-only");
    refused(v, "QUIESCE without a guest agent channel", "<domainsnapshot/>",
            VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE | VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY,
            VIR_ERR_ARGUMENT_UNSUPPORTED, "QEMU guest agent is not configured");
    refused(v, "internal and external disks in one snapshot",
            "<domainsnapshot><disks><disk name='vda' snapshot='internal'/><disk name='sda' snapshot='external'/>"
            "</disks></domainsnapshot>", VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY, VIR_ERR_CONFIG_UNSUPPORTED,
            "mixing internal and external targets");
    reuse = g_strdup_printf("<disks><disk name='vda'><source file='%s'/></disk>"
                            "</disks>", exists);
    check("with REUSE_EXT the existing file becomes the overlay",
          vm_take(v, "r", reuse, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY |
                                         VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT));
    {
        g_autofree char *top = vm_disk_path(v, "vda");
        check_str("  the domain writes into it", top, exists);
    }
    check("  writes go on, the snapshot reverts exactly",
          vm_save_refs(v, "r") && vm_pattern(v, 2) && vm_revert(v, "r", VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING) &&
              vm_disks_equal(v, "r"));
    virDomainDestroy(v->dom);
    vm_free(v);
}

static void test_raw(void)
{
    g_autofree char *d = g_build_filename(dir, "raw", NULL), *raw = NULL, *xml = NULL;
    g_autofree char *a = NULL, *b = NULL, *qcow = NULL, *devices = NULL;
    g_autoptr(GPtrArray) tags = NULL;
    virDomainSnapshotPtr s;
    virDomainPtr dom;

    g_mkdir_with_parents(d, 0700);
    raw = g_build_filename(d, "b.raw", NULL);
    qcow = g_build_filename(d, "a.qcow2", NULL);
    a = disk_xml(qcow, "qcow2", "vda", "virtio");
    b = disk_xml(raw, "raw", "vdb", "virtio");
    devices = g_strconcat(a, b, NULL);
    xml = domain_xml("rawvm", devices);
    check("raw: a domain with a qcow2 and a raw disk", qemu_img_create_qcow2(qcow, DISK_SIZE, NULL, NULL) == 0 &&
                                                           qemu_img_create_raw(raw, DISK_SIZE) == 0 &&
                                                           (dom = virDomainCreateXML(conn, xml, 0)));
    s = virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>x</name></domainsnapshot>", 0);
    check("raw: an internal snapshot is refused", s == NULL);
    check_api_error("  the error", VIR_ERR_OPERATION_UNSUPPORTED,
                    "internal snapshot for disk vdb unsupported for storage type raw");
    check("  no tag on the qcow2 disk either", qemu_img_snapshot_list(qcow, QEMU_IMG_FORCE_SHARE, &tags) == 0 &&
                                                   tags->len == 0);
    check("  no snapshot, still running", virDomainSnapshotNum(dom, 0) == 0 && virDomainIsActive(dom) == 1);
    s = virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>e</name></domainsnapshot>",
                                   VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    if (!check("raw: an external one of it works (a qcow2 overlay on the raw image)", s != NULL))
        printf("  %s\n", api_error());
    if (s)
        virDomainSnapshotFree(s);
    virDomainDestroy(dom);
    virDomainFree(dom);
}

/* QEMU 7.2 half-applies an internal revert of an image with bitmaps: refused first. */
static void test_bitmap_trap(void)
{
    vm *v = vm_new(conn, dir, "trap", false);
    g_autofree char *vda = g_build_filename(v->dir, "vda.qcow2", NULL);
    snapshot_state before;
    virDomainSnapshotPtr s;

    check("bitmaps: an internal snapshot, a pattern", vm_pattern(v, 3) && vm_take(v, "i1", NULL, 0) &&
                                                          vm_pattern(v, 4) && vm_save_refs(v, "now"));
    check("bitmaps: a checkpoint's bitmap on vda", qemu_img_bitmap_add(vda, "c1", 0, false) == 0);
    observe(v, &before);
    s = virDomainSnapshotLookupByName(v->dom, "i1", 0);
    check("bitmaps: the revert is refused (shut off)", s && virDomainRevertToSnapshot(s, 0) < 0);
    check_api_error("  the error", VIR_ERR_OPERATION_UNSUPPORTED, "carries dirty bitmap 'c1'");
    check("  nothing changed", unchanged(v, &before) && vm_disks_equal(v, "now"));
    check("bitmaps: running (QEMU loaded the bitmap)", virDomainCreate(v->dom) == 0);
    check("bitmaps: the revert is refused (running)", virDomainRevertToSnapshot(s, 0) < 0);
    check_api_error("  the error", VIR_ERR_OPERATION_UNSUPPORTED, "carries dirty bitmap 'c1'");
    check("  still running", vm_state(v, NULL) == VIR_DOMAIN_RUNNING);
    forget(&before);
    virDomainDestroy(v->dom);
    check("bitmaps: without the bitmap the revert works", qemu_img_bitmap_remove(vda, "c1") == 0 &&
                                                              virDomainRevertToSnapshot(s, 0) == 0);
    if (s)
        virDomainSnapshotFree(s);
    vm_free(v);
}

/* ---- a fake guest agent on the channel's socket ---- */

typedef struct {
    int listen_fd;
    GString *log;
} fake_agent;

/* One connection: answer until it closes. */
static void agent_serve(fake_agent *a, int fd)
{
    GString *in = g_string_new(NULL);
    char chunk[4096];
    ssize_t n;

    while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
        char *nl;
        g_string_append_len(in, chunk, n);
        while ((nl = strchr(in->str, '\n'))) {
            g_autofree char *line = g_strndup(in->str, (gsize)(nl - in->str));
            const char *id = strstr(line, "\"id\":");
            g_autofree char *reply = NULL;
            g_string_erase(in, 0, nl - in->str + 1);
            if (strstr(line, "guest-sync")) {
                g_string_append(a->log, "sync ");
                reply = g_strdup_printf("{\"return\": %lld}\n", id ? atoll(id + 5) : 0);
            } else if (strstr(line, "fsfreeze-freeze")) {
                g_string_append(a->log, "freeze ");
                reply = g_strdup("{\"return\": 2}\n");
            } else {
                g_string_append(a->log, "thaw ");
                reply = g_strdup("{\"return\": 2}\n");
            }
            if (write(fd, reply, strlen(reply)) < 0)
                break;
        }
    }
    close(fd);
    g_string_free(in, TRUE);
}

/* Connections until one thaws. */
static gpointer agent_main(gpointer opaque)
{
    fake_agent *a = opaque;

    while (!strstr(a->log->str, "thaw")) {
        int fd = accept(a->listen_fd, NULL, NULL);
        if (fd < 0)
            break;
        agent_serve(a, fd);
    }
    return NULL;
}

/* The agent's socket (QEMU's end) replaced by ours. */
static int fake_agent_listen(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    unlink(path);
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0)
        return -1;
    return fd;
}

static void test_quiesce(void)
{
    vm *v = vm_new(conn, dir, "agent", true);
    g_autofree char *xml = NULL, *path = NULL;
    fake_agent a = { -1, g_string_new(NULL) };
    const char *p;
    GThread *t;

    check("quiesce: start with an agent channel", virDomainCreate(v->dom) == 0 && vm_pattern(v, 8) &&
                                                      vm_save_refs(v, "now") && virDomainSuspend(v->dom) == 0);
    g_setenv("VIRTMOMENT_AGENT_TIMEOUT_MS", "500", TRUE);
    refused(v, "quiesce: nobody answers on the channel", "<domainsnapshot/>",
            VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE | VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY,
            VIR_ERR_AGENT_UNRESPONSIVE, "QEMU guest agent is not connected");
    xml = virDomainGetXMLDesc(v->dom, 0);
    if ((p = xml ? strstr(xml, "org.qemu.guest_agent.0") : NULL) && (p = strstr(xml, "<source mode='bind' path='")))
        path = g_strndup(p + strlen("<source mode='bind' path='"), strcspn(p + strlen("<source mode='bind' path='"), "'"));
    check("quiesce: a fake agent on the channel's socket", path && (a.listen_fd = fake_agent_listen(path)) >= 0);
    t = g_thread_new("agent", agent_main, &a);
    check("quiesce: the snapshot is taken", vm_take(v, "q", NULL, VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE |
                                                                          VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY));
    g_thread_join(t);
    check_str("quiesce: frozen before the cut, thawed after", a.log->str, "sync freeze sync thaw ");
    check("quiesce: the snapshot reverts exactly", vm_save_refs(v, "q") && vm_pattern(v, 9) &&
                                                       vm_revert(v, "q", 0) && vm_disks_equal(v, "q"));
    close(a.listen_fd);
    g_string_free(a.log, TRUE);
    vm_free(v);
}

int main(int argc, char **argv)
{
    g_autofree char *root = NULL, *uri = NULL;

    setvbuf(stdout, NULL, _IOLBF, 0);
    virSetErrorFunc(NULL, quiet);
    require_qemu();
    dir = make_tmpdir("vm-qemu-snapbad-XXXXXX");
    guardian_start(dir);
    root = g_build_filename(dir, "root", NULL);
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    if (!(conn = virConnectOpen(uri))) {
        printf("FAIL open: %s\n", api_error());
        return 1;
    }
    test_running();
    test_raw();
    test_bitmap_trap();
    test_quiesce();
    virConnectClose(conn);
    check("no QEMU left running", kill_qemus_of(dir) == 0);
    remove_tree(dir);
    return failures ? 1 : 0;
}
