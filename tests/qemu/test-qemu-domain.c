/* The QEMU driver against real QEMU under TCG, through the public API on
 * qemu:///embed?root=DIR: a domain with two qcow2 disks through its life cycle
 * (nothing left behind afterwards), simulated guest writes landing in the images,
 * a backing chain opened with a node per layer, lifecycle events from the event
 * loop (with a boot sector that honours the ACPI power button), a guest that panics
 * (with a guest agent channel and a serial port logging to a file), a domain that
 * dies with the connection that started it (AUTODESTROY). Every QEMU dies with the test (guardian process). */
#include "drivers/qemu/qemu_block.h"
#include "drivers/qemu/qemu_driver.h"
#include "qemu-driver-test.h"

static char *dir;           /* images */
static char *root;          /* the driver's root */
static virConnectPtr conn;
static event_recorder rec;

static char *root_path(const char *sub)
{
    return g_build_filename(root, sub, NULL);
}

/* The pid in a running domain's status file, or 0. */
static int status_pid(const char *name)
{
    g_autofree char *base = g_strconcat(name, ".xml", NULL);
    g_autofree char *path = g_build_filename(root, "run", "qemu", base, NULL);
    g_autofree char *text = NULL;
    const char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL) || !(p = strstr(text, " pid='")))
        return 0;
    return atoi(p + 6);
}

static bool pid_gone(int pid, int ms)
{
    for (int waited = 0; waited < ms; waited += 20) {
        g_autofree char *stat = g_strdup_printf("/proc/%d/stat", pid);
        g_autofree char *text = NULL;
        const char *p;
        if (!g_file_get_contents(stat, &text, NULL, NULL) || ((p = strrchr(text, ')')) && p[2] == 'Z'))
            return true;
        g_usleep(20000);
    }
    return false;
}

static bool run_dir_is(const char *expected)
{
    g_autofree char *path = root_path("run/qemu");
    g_autofree char *list = dir_list(path);

    return check_str("runtime dir holds only what is expected", list, expected);
}

static char *two_disk_xml(const char *name, const char *a, const char *b)
{
    g_autofree char *da = disk_xml(a, "qcow2", "vda", "virtio");
    g_autofree char *db = disk_xml(b, "qcow2", "sda", "scsi");
    g_autofree char *devices = g_strconcat(da, db, NULL);

    return domain_xml(name, devices);
}

static void test_lifecycle(void)
{
    g_autofree char *a = path_in(dir, "life-a.qcow2"), *b = path_in(dir, "life-b.qcow2");
    g_autofree char *xml = two_disk_xml("two-disks", a, b);
    g_autofree char *config = root_path("etc/qemu/two-disks.xml");
    g_autofree char *live = NULL;
    virDomainPtr dom;
    virDomainInfo info;
    int pid;

    check("lifecycle: images", qemu_img_create_qcow2(a, 64 * MiB, NULL, NULL) == 0 &&
                                   qemu_img_create_qcow2(b, 32 * MiB, NULL, NULL) == 0);
    dom = virDomainDefineXML(conn, xml);
    if (!check("lifecycle: define", dom != NULL)) {
        printf("  %s\n", api_error());
        return;
    }
    check("lifecycle: config written", g_file_test(config, G_FILE_TEST_EXISTS));
    check("lifecycle: shut off", wait_state(dom, VIR_DOMAIN_SHUTOFF, -1, 0) && virDomainIsActive(dom) == 0);
    if (!check("lifecycle: start", virDomainCreate(dom) == 0))
        printf("  %s\n", api_error());
    check("lifecycle: running (booted)", wait_state(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, 0));
    check("lifecycle: has an id", (int)virDomainGetID(dom) > 0);
    pid = status_pid("two-disks");
    check("lifecycle: status file names the QEMU process", pid > 0 && !pid_gone(pid, 0));
    live = virDomainGetXMLDesc(dom, 0);
    check("lifecycle: live XML with id, node indexes, aliases",
          live && strstr(live, "<domain type='qemu' id='") &&
              strstr(live, "<source file='") && strstr(live, "index='2'/>") &&
              strstr(live, "<alias name='virtio-disk0'/>") && strstr(live, "<alias name='scsi0-0-0-0'/>"));
    check("lifecycle: info", virDomainGetInfo(dom, &info) == 0 && info.state == VIR_DOMAIN_RUNNING &&
                                 info.nrVirtCpu == 1 && info.maxMem == 65536);

    check("lifecycle: suspend", virDomainSuspend(dom) == 0);
    check("lifecycle: paused (user)", wait_state(dom, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, 0));
    check("lifecycle: resume", virDomainResume(dom) == 0);
    check("lifecycle: running (unpaused)",
          wait_state(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED, 0));

    check("lifecycle: destroy", virDomainDestroy(dom) == 0);
    check("lifecycle: shut off (destroyed)",
          wait_state(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED, 0));
    check("lifecycle: the QEMU process is gone", pid > 0 && pid_gone(pid, 5000));
    run_dir_is("driver.pid");
    check("lifecycle: destroy again fails", virDomainDestroy(dom) < 0);
    check_api_error("lifecycle: ... with 'not running'", VIR_ERR_OPERATION_INVALID, "domain is not running");
    check("lifecycle: undefine", virDomainUndefine(dom) == 0);
    check("lifecycle: config removed", !g_file_test(config, G_FILE_TEST_EXISTS));
    virDomainFree(dom);
}

static bool write_both(virDomainPtr dom, const char *dst, const char *ref, const char *cmd)
{
    bool live = qemu_domain_qemu_io(dom, dst, cmd) == 0;

    if (!live)
        printf("  qemu-io on %s: %s\n", dst, api_error());
    return live && reference_write(ref, "qcow2", cmd);
}

static bool same(const char *img, const char *ref, unsigned int flags)
{
    bool identical = false;

    return qemu_img_compare(img, "qcow2", ref, "qcow2", flags, &identical, NULL) == 0 && identical;
}

static void test_guest_writes(void)
{
    g_autofree char *a = path_in(dir, "io-a.qcow2"), *b = path_in(dir, "io-b.qcow2");
    g_autofree char *ra = path_in(dir, "io-a.ref"), *rb = path_in(dir, "io-b.ref");
    g_autofree char *xml = two_disk_xml("writer", a, b);
    virDomainPtr dom, again;

    check("writes: images", qemu_img_create_qcow2(a, 64 * MiB, NULL, NULL) == 0 &&
                                qemu_img_create_qcow2(b, 32 * MiB, NULL, NULL) == 0 &&
                                qemu_img_create_qcow2(ra, 64 * MiB, NULL, NULL) == 0 &&
                                qemu_img_create_qcow2(rb, 32 * MiB, NULL, NULL) == 0);
    dom = virDomainCreateXML(conn, xml, 0);
    if (!check("writes: start a transient domain", dom != NULL)) {
        printf("  %s\n", api_error());
        return;
    }
    check("writes: transient", virDomainIsPersistent(dom) == 0);
    check("writes: virtio disk", write_both(dom, "vda", ra, "write -P 0xaa 0 64k") &&
                                     write_both(dom, "vda", ra, "write -P 0x55 1M 192k"));
    check("writes: scsi disk", write_both(dom, "sda", rb, "write -P 0x11 4096 8k"));
    check("writes: unknown disk refused", qemu_domain_qemu_io(dom, "vdz", "write 0 512") < 0);
    check("writes: suspend (QEMU flushes)", virDomainSuspend(dom) == 0);
    check("writes: virtio disk equals its reference (live, -U)", same(a, ra, QEMU_IMG_FORCE_SHARE));
    check("writes: scsi disk equals its reference (live, -U)", same(b, rb, QEMU_IMG_FORCE_SHARE));
    check("writes: the references differ from each other's disk", !same(a, rb, QEMU_IMG_FORCE_SHARE));
    check("writes: destroy", virDomainDestroy(dom) == 0);
    again = virDomainLookupByName(conn, "writer");
    check("writes: a destroyed transient domain is gone", again == NULL);
    if (again)
        virDomainFree(again);
    check("writes: images equal their references (offline)", same(a, ra, 0) && same(b, rb, 0));
    virDomainFree(dom);
}

/* A qcow2 overlay on a qcow2 base and a raw disk: every layer gets its own pair of
 * nodes with libvirt's names, shown in the live XML; QEMU names no node itself. */
static void test_backing_chain(void)
{
    g_autofree char *base = path_in(dir, "chain-base.qcow2"), *top = path_in(dir, "chain-top.qcow2");
    g_autofree char *raw = path_in(dir, "chain.raw");
    g_autofree char *dtop = disk_xml(top, "qcow2", "vda", "virtio");
    g_autofree char *draw = disk_xml(raw, "raw", "vdb", "virtio");
    g_autofree char *devices = g_strconcat(dtop, draw, NULL);
    g_autofree char *xml = domain_xml("chain", devices);
    g_autofree char *live = NULL, *layer = NULL, *fmt = NULL, *sto = NULL;
    g_autoptr(GPtrArray) nodes = NULL;
    const qemu_block_node *n2, *n3, *n1;
    bool named = true;
    virDomainPtr dom;

    check("chain: images", qemu_img_create_qcow2(base, 32 * MiB, NULL, NULL) == 0 &&
                               qemu_img_create_qcow2(top, 0, base, "qcow2") == 0 &&
                               qemu_img_create_raw(raw, MiB) == 0);
    dom = virDomainCreateXML(conn, xml, 0);
    if (!check("chain: start", dom != NULL)) {
        printf("  %s\n", api_error());
        return;
    }
    live = virDomainGetXMLDesc(dom, 0);
    layer = g_strdup_printf("<source file='%s' index='2'/>\n"
                            "      <backingStore type='file' index='3'>\n"
                            "        <format type='qcow2'/>\n"
                            "        <source file='%s'/>\n"
                            "        <backingStore/>\n"
                            "      </backingStore>", top, base);
    check("chain: the live XML shows the chain with indexes", live && strstr(live, layer));
    if (live && !strstr(live, layer))
        printf("%s\n", live);
    check("chain: the disk's nodes", qemu_domain_disk_nodes(dom, "vda", &fmt, &sto) == 0 &&
                                         g_strcmp0(fmt, "libvirt-2-format") == 0 &&
                                         g_strcmp0(sto, "libvirt-2-storage") == 0);
    check("chain: query the block nodes", qemu_domain_block_nodes(dom, &nodes) == 0);
    n2 = qemu_block_find_node(nodes, "libvirt-2-format");
    n3 = qemu_block_find_node(nodes, "libvirt-3-format");
    n1 = qemu_block_find_node(nodes, "libvirt-1-format");
    check("chain: the overlay's format node", n2 && g_strcmp0(n2->driver, "qcow2") == 0 &&
                                                  !n2->read_only && g_strcmp0(n2->backing_file, base) == 0);
    check("chain: the base's format node, read-only", n3 && g_strcmp0(n3->driver, "qcow2") == 0 &&
                                                          n3->read_only);
    check("chain: the raw disk's format node", n1 && g_strcmp0(n1->driver, "raw") == 0 &&
                                                   n1->virtual_size == MiB);
    for (guint i = 0; nodes && i < nodes->len; i++)
        named &= g_str_has_prefix(((qemu_block_node *)g_ptr_array_index(nodes, i))->node_name, "libvirt-");
    check("chain: every node has a libvirt name", nodes && nodes->len == 6 && named);
    check("chain: destroy", virDomainDestroy(dom) == 0);
    virDomainFree(dom);
}

/* ---- events, with a guest that honours the power button ---- */

static bool repeat_until(int (*op)(virDomainPtr, unsigned int), virDomainPtr dom, const char *event,
                         int state)
{
    for (int i = 0; i < 40; i++) {
        int s = -1;
        bool done;
        g_mutex_lock(&rec.lock);
        done = event && strstr(rec.log->str, event);
        g_mutex_unlock(&rec.lock);
        if (done || (state >= 0 && virDomainGetState(dom, &s, NULL, 0) == 0 && s == state))
            return true;
        op(dom, 0);   /* the guest listens once its boot sector runs */
        g_usleep(250000);
    }
    return false;
}

static void test_events(void)
{
    g_autofree char *boot = path_in(dir, "acpi-guest.raw");
    g_autofree char *disk = disk_xml(boot, "raw", "vda", "virtio");
    g_autofree char *xml = domain_xml("acpi-guest", disk);
    g_autofree char *got = NULL;
    virDomainPtr dom;
    int pid;

    check("events: boot sector", write_acpi_guest(boot));
    recorder_drain(&rec);   /* what the other tests caused */
    dom = virDomainDefineXML(conn, xml);
    if (!check("events: define", dom != NULL)) {
        printf("  %s\n", api_error());
        return;
    }
    got = recorder_take(&rec, "0/0", 5000);
    check_str("events: defined (added)", got, "0/0 ");
    g_clear_pointer(&got, g_free);
    check("events: start", virDomainCreate(dom) == 0);
    got = recorder_take(&rec, "2/0", 5000);
    check_str("events: started (booted)", got, "2/0 ");
    g_clear_pointer(&got, g_free);
    check("events: suspend, resume", virDomainSuspend(dom) == 0 && virDomainResume(dom) == 0);
    got = recorder_take(&rec, "4/0", 5000);
    check_str("events: suspended (paused), resumed (unpaused)", got, "3/0 4/0 ");
    g_clear_pointer(&got, g_free);

    check("events: reboot (the guest powers off, QEMU is reset)",
          repeat_until(virDomainReboot, dom, "reboot", -1));
    got = recorder_take(&rec, "4/0", 5000);
    check("events: reboot, resumed", strstr(got, "reboot ") && strstr(got, "4/0 ") && !strstr(got, "5/"));
    g_clear_pointer(&got, g_free);
    check("events: running after the reboot", wait_state(dom, VIR_DOMAIN_RUNNING, -1, 0));

    check("events: shutdown (the guest powers off)",
          repeat_until(virDomainShutdownFlags, dom, NULL, VIR_DOMAIN_SHUTOFF));
    check("events: shut off (shutdown)", wait_state(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, 5000));
    got = recorder_take(&rec, "5/0", 5000);
    check("events: shutdown (guest), stopped (shutdown)", strstr(got, "6/1 5/0 ") != NULL);
    g_clear_pointer(&got, g_free);

    check("events: start again", virDomainCreate(dom) == 0);
    pid = status_pid("acpi-guest");
    check("events: QEMU killed behind the driver's back", pid > 0 && kill(pid, SIGKILL) == 0);
    check("events: shut off (crashed)", wait_state(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_CRASHED, 5000));
    got = recorder_take(&rec, "5/5", 5000);
    check_str("events: started, stopped (failed)", got, "2/0 5/5 ");
    g_clear_pointer(&got, g_free);
    run_dir_is("driver.pid");

    check("events: start paused", virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED) == 0);
    check("events: paused (user)", wait_state(dom, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, 0));
    check("events: destroy", virDomainDestroy(dom) == 0);
    check("events: undefine", virDomainUndefine(dom) == 0);
    got = recorder_take(&rec, "1/0", 5000);
    check_str("events: started, suspended, stopped (destroyed), undefined", got, "2/0 3/0 5/1 1/0 ");
    g_clear_pointer(&got, g_free);
    virDomainFree(dom);
}

/* A guest that panics through pvpanic, with a guest agent channel and a serial
 * port logging to a file: CRASHED (panicked), then <on_crash> destroy. */
static void test_crash(void)
{
    g_autofree char *boot = path_in(dir, "panic-guest.raw");
    g_autofree char *serial = path_in(dir, "panic-serial.log");
    g_autofree char *disk = disk_xml(boot, "raw", "vda", "virtio");
    g_autofree char *devices = g_strdup_printf(
        "%s"
        "    <serial type='file'><source path='%s'/></serial>\n"
        "    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>\n"
        "    <panic model='isa'/>\n", disk, serial);
    g_autofree char *xml = domain_xml("panicker", devices);
    g_autofree char *live = NULL, *got = NULL, *agent = NULL, *rundir = root_path("run/qemu/domain-");
    const char *p;
    virDomainPtr dom;

    check("crash: boot sector", write_panic_guest(boot));
    recorder_drain(&rec);
    dom = virDomainCreateXML(conn, xml, VIR_DOMAIN_START_PAUSED);
    if (!check("crash: start paused", dom != NULL)) {
        printf("  %s\n", api_error());
        return;
    }
    live = virDomainGetXMLDesc(dom, 0);
    p = live ? strstr(live, "<source mode='bind' path='") : NULL;
    if (p) {
        p += strlen("<source mode='bind' path='");
        agent = g_strndup(p, strcspn(p, "'"));
    }
    check("crash: the agent's socket is in the runtime dir",
          agent && g_str_has_prefix(agent, rundir) && g_str_has_suffix(agent, "/org.qemu.guest_agent.0") &&
              g_file_test(agent, G_FILE_TEST_EXISTS));
    check("crash: the agent channel in the live XML",
          live && strstr(live, "<target type='virtio' name='org.qemu.guest_agent.0' state='disconnected'/>"));
    check("crash: the serial port logs to its file", g_file_test(serial, G_FILE_TEST_EXISTS));
    check("crash: resume: the guest panics", virDomainResume(dom) == 0);
    got = recorder_take(&rec, "5/2", 10000);
    check_str("crash: started, suspended, resumed, crashed (panicked), stopped (crashed)", got,
              "2/0 3/0 4/0 8/0 5/2 ");
    check("crash: a crashed transient domain is gone", virDomainIsActive(dom) < 0);
    check("crash: the agent's socket is gone", agent && !g_file_test(agent, G_FILE_TEST_EXISTS));
    run_dir_is("driver.pid");
    virDomainFree(dom);
}

/* A domain started with AUTODESTROY dies with the connection that started it;
 * another connection of the process shares the host meanwhile. */
static void test_autodestroy(void)
{
    g_autofree char *img = path_in(dir, "auto.qcow2");
    g_autofree char *disk = disk_xml(img, "qcow2", "vda", "virtio");
    g_autofree char *xml = domain_xml("short-lived", disk);
    g_autofree char *uri = g_strdup_printf("qemu:///embed?root=%s", root);
    virConnectPtr other = virConnectOpen(uri);
    virDomainPtr dom = NULL, seen;
    int pid = 0;

    check("autodestroy: a second connection to the root", other != NULL);
    check("autodestroy: image", qemu_img_create_qcow2(img, MiB, NULL, NULL) == 0);
    if (other)
        dom = virDomainCreateXML(other, xml, VIR_DOMAIN_START_AUTODESTROY);
    check("autodestroy: start on it", dom != NULL);
    pid = status_pid("short-lived");
    seen = virDomainLookupByName(conn, "short-lived");
    check("autodestroy: the first connection sees the domain", seen && virDomainIsActive(seen) == 1);
    if (seen)
        virDomainFree(seen);
    if (dom)
        virDomainFree(dom);
    check("autodestroy: close the second connection", other && virConnectClose(other) == 0);
    seen = virDomainLookupByName(conn, "short-lived");
    check("autodestroy: the domain went with it", seen == NULL && pid > 0 && pid_gone(pid, 5000));
    if (seen)
        virDomainFree(seen);
    run_dir_is("driver.pid");
}

static void quiet(void *data, virErrorPtr err)
{
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    require_qemu();
    dir = make_tmpdir("vm-qemu-domain-XXXXXX");
    root = g_build_filename(dir, "root", NULL);
    guardian_start(dir);
    g_autofree char *uri = g_strdup_printf("qemu:///embed?root=%s", root);

    virSetErrorFunc(NULL, quiet);
    virEventRegisterDefaultImpl();
    conn = virConnectOpen(uri);
    if (!check("open the root", conn != NULL)) {
        printf("  %s\n", api_error());
        remove_tree(dir);
        return 1;
    }
    recorder_start(&rec, conn);
    test_lifecycle();
    test_guest_writes();
    test_backing_chain();
    test_events();
    test_crash();
    test_autodestroy();
    recorder_stop(&rec);
    check("close the connection", virConnectClose(conn) == 0);
    check("no QEMU left running", kill_qemus_of(dir) == 0);
    remove_tree(dir);
    return failures ? 1 : 0;
}
