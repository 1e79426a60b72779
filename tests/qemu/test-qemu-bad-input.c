/* Bad input to the QEMU driver, each a clear error with nothing left behind (no
 * QEMU, no runtime files, no config): a missing disk image, an unknown or
 * unsupported bus, a name with '/', an emulator that does not exist (at define, and
 * gone by the time of the start), and a QEMU that fails to start (an image another
 * domain holds), whose error quotes QEMU's own words from the log. */
#include "qemu-driver-test.h"

static char *dir;
static char *root;
static virConnectPtr conn;

static void quiet(void *data, virErrorPtr err)
{
}

static char *listing(const char *sub)
{
    g_autofree char *path = g_build_filename(root, sub, NULL);
    return dir_list(path);
}

/* Nothing of the failed domain anywhere: runtime dir, configs, domains. */
static void nothing_left(const char *what, const char *expected_run)
{
    g_autofree char *run = listing("run/qemu"), *etc = listing("etc/qemu");
    g_autofree char *label = g_strdup_printf("%s: nothing left in the runtime dir", what);
    g_autofree char *label2 = g_strdup_printf("%s: no config", what);

    check_str(label, run, expected_run);
    check_str(label2, etc, "autostart");
}

/* Processes running QEMU with guest=name. */
static int qemus_named(const char *name)
{
    g_autofree char *needle = g_strdup_printf("guest=%s,", name);
    GDir *proc = g_dir_open("/proc", 0, NULL);
    const char *pid;
    int n = 0;

    while (proc && (pid = g_dir_read_name(proc))) {
        g_autofree char *path = g_strdup_printf("/proc/%s/cmdline", pid);
        g_autofree char *cmd = NULL;
        gsize len = 0;
        if (!g_file_get_contents(path, &cmd, &len, NULL))
            continue;
        for (gsize i = 0; i + 1 < len; i++)
            if (!cmd[i])
                cmd[i] = ' ';
        if (len && strstr(cmd, root) && strstr(cmd, needle))
            n++;
    }
    if (proc)
        g_dir_close(proc);
    return n;
}

static char *one_disk(const char *name, const char *path, const char *dev, const char *bus)
{
    g_autofree char *disk = disk_xml(path, "qcow2", dev, bus);
    return domain_xml(name, disk);
}

static void test_missing_image(void)
{
    g_autofree char *img = path_in(dir, "missing.qcow2");
    g_autofree char *xml = one_disk("missing", img, "vda", "virtio");
    g_autofree char *expected = g_strdup_printf("Cannot access storage file '%s': No such file or directory",
                                                img);
    g_autofree char *logs = NULL;
    virDomainPtr dom = virDomainDefineXML(conn, xml), none;

    check("missing image: define is accepted (as libvirt)", dom != NULL);
    check("missing image: start fails", dom && virDomainCreate(dom) < 0);
    check_api_error("missing image: ... naming the file", VIR_ERR_SYSTEM_ERROR, expected);
    check("missing image: still shut off", dom && wait_state(dom, VIR_DOMAIN_SHUTOFF, -1, 0));
    check("missing image: undefine", dom && virDomainUndefine(dom) == 0);
    if (dom)
        virDomainFree(dom);
    none = virDomainCreateXML(conn, xml, 0);
    check("missing image: create fails", none == NULL);
    check_api_error("missing image: ... naming the file", VIR_ERR_SYSTEM_ERROR, expected);
    none = virDomainLookupByName(conn, "missing");
    check("missing image: no such domain afterwards", none == NULL);
    if (none)
        virDomainFree(none);
    nothing_left("missing image", "driver.pid");
    logs = listing("log/qemu");
    check_str("missing image: QEMU never ran (no log)", logs, "");
}

static void test_bad_bus(void)
{
    g_autofree char *img = path_in(dir, "bus.qcow2");
    g_autofree char *usb = one_disk("usb-disk", img, "sda", "usb");
    g_autofree char *bogus = one_disk("bogus-bus", img, "sda", "bogus");
    g_autofree char *floppy = g_strdup_printf("    <disk type='file' device='floppy'>\n"
                                              "      <source file='%s'/>\n"
                                              "      <target dev='fda' bus='fdc'/>\n"
                                              "    </disk>\n", img);
    g_autofree char *fdc = domain_xml("floppy", floppy);

    qemu_img_create_qcow2(img, MiB, NULL, NULL);
    check("unsupported bus: define fails", virDomainDefineXML(conn, usb) == NULL);
    check_api_error("unsupported bus: ... naming bus and disk", VIR_ERR_CONFIG_UNSUPPORTED,
                    "disk bus 'usb' of disk 'sda' is not supported");
    check("unsupported bus: create fails", virDomainCreateXML(conn, usb, 0) == NULL);
    check_api_error("unsupported bus: ... the same way", VIR_ERR_CONFIG_UNSUPPORTED, "disk bus 'usb'");
    check("floppy bus: define fails", virDomainDefineXML(conn, fdc) == NULL);
    check_api_error("floppy bus: ... naming it", VIR_ERR_CONFIG_UNSUPPORTED, "disk bus 'fdc'");
    check("unknown bus: define fails", virDomainDefineXML(conn, bogus) == NULL);
    check("unknown bus: ... with an error naming it", virGetLastErrorMessage() &&
                                                          strstr(virGetLastErrorMessage(), "bogus"));
    printf("  (%s)\n", api_error());
    check("bad bus: no domain", virConnectNumOfDomains(conn) == 0 &&
                                    virConnectNumOfDefinedDomains(conn) == 0);
    nothing_left("bad bus", "driver.pid");
}

static void test_bad_name(void)
{
    g_autofree char *img = path_in(dir, "name.qcow2");
    g_autofree char *xml = one_disk("../evil/name", img, "vda", "virtio");

    qemu_img_create_qcow2(img, MiB, NULL, NULL);
    check("name with '/': define fails", virDomainDefineXML(conn, xml) == NULL);
    check_api_error("name with '/': ... saying why", VIR_ERR_XML_ERROR, "cannot contain '/'");
    check("name with '/': create fails", virDomainCreateXML(conn, xml, 0) == NULL);
    check_api_error("name with '/': ... the same way", VIR_ERR_XML_ERROR, "cannot contain '/'");
    nothing_left("name with '/'", "driver.pid");
}

static char *with_emulator(const char *name, const char *img, const char *emulator)
{
    g_autofree char *disk = disk_xml(img, "qcow2", "vda", "virtio");
    g_autofree char *devices = g_strdup_printf("    <emulator>%s</emulator>\n%s", emulator, disk);
    return domain_xml(name, devices);
}

static void test_missing_emulator(void)
{
    g_autofree char *img = path_in(dir, "emu.qcow2");
    g_autofree char *link = path_in(dir, "qemu-that-goes-away");
    g_autofree char *real = g_find_program_in_path("qemu-system-x86_64");
    g_autofree char *bad = with_emulator("no-emulator", img, "/nonexistent/qemu-system-x86_64");
    g_autofree char *gone = with_emulator("emulator-gone", img, link);
    g_autofree char *expected = g_strdup_printf("Cannot check QEMU binary %s: No such file or directory",
                                                link);
    virDomainPtr dom;

    qemu_img_create_qcow2(img, MiB, NULL, NULL);
    check("missing emulator: define fails", virDomainDefineXML(conn, bad) == NULL);
    check_api_error("missing emulator: ... naming it", VIR_ERR_SYSTEM_ERROR,
                    "Cannot check QEMU binary /nonexistent/qemu-system-x86_64: No such file or directory");
    check("missing emulator: create fails", virDomainCreateXML(conn, bad, 0) == NULL);
    check_api_error("missing emulator: ... the same way", VIR_ERR_SYSTEM_ERROR, "/nonexistent/");

    check("emulator gone: define with a link to QEMU", symlink(real, link) == 0 &&
                                                          (dom = virDomainDefineXML(conn, gone)) != NULL);
    unlink(link);
    check("emulator gone: start fails", dom && virDomainCreate(dom) < 0);
    check_api_error("emulator gone: ... naming it", VIR_ERR_SYSTEM_ERROR, expected);
    check("emulator gone: undefine", dom && virDomainUndefine(dom) == 0);
    if (dom)
        virDomainFree(dom);
    nothing_left("missing emulator", "driver.pid");
}

/* QEMU itself refuses to start: the image is held (locked) by another domain. */
static void test_qemu_fails(void)
{
    g_autofree char *img = path_in(dir, "shared.qcow2");
    g_autofree char *holder_xml = one_disk("holder", img, "vda", "virtio");
    g_autofree char *intruder_xml = one_disk("intruder", img, "vda", "virtio");
    g_autofree char *run = NULL;
    virDomainPtr holder, intruder;

    qemu_img_create_qcow2(img, 16 * MiB, NULL, NULL);
    holder = virDomainCreateXML(conn, holder_xml, 0);
    check("failing QEMU: the holder runs", holder != NULL);
    intruder = virDomainDefineXML(conn, intruder_xml);
    check("failing QEMU: the intruder is defined", intruder != NULL);
    check("failing QEMU: its start fails", intruder && virDomainCreate(intruder) < 0);
    check_api_error("failing QEMU: ... quoting QEMU's log", VIR_ERR_INTERNAL_ERROR,
                    "Failed to get \"write\" lock");
    printf("  (%s)\n", api_error());
    check("failing QEMU: shut off (failed)",
          intruder && wait_state(intruder, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_FAILED, 0));
    check("failing QEMU: no QEMU of the intruder", qemus_named("intruder") == 0);
    run = listing("run/qemu");
    check("failing QEMU: only the holder's runtime files", !strstr(run, "intruder") &&
                                                              strstr(run, "holder.xml"));
    check("failing QEMU: destroy the holder", holder && virDomainDestroy(holder) == 0);
    check("failing QEMU: undefine the intruder", intruder && virDomainUndefine(intruder) == 0);
    nothing_left("failing QEMU", "driver.pid");
    if (holder)
        virDomainFree(holder);
    if (intruder)
        virDomainFree(intruder);
}

int main(int argc, char **argv)
{
    g_autofree char *uri = NULL;

    setvbuf(stdout, NULL, _IOLBF, 0);
    require_qemu();
    dir = make_tmpdir("vm-qemu-bad-XXXXXX");
    root = g_build_filename(dir, "root", NULL);
    guardian_start(dir);
    virSetErrorFunc(NULL, quiet);
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    conn = virConnectOpen(uri);
    if (!check("open the root", conn != NULL)) {
        printf("  %s\n", api_error());
        remove_tree(dir);
        return 1;
    }
    test_missing_image();
    test_bad_bus();
    test_bad_name();
    test_missing_emulator();
    test_qemu_fails();
    check("close the connection", virConnectClose(conn) == 0);
    check("no QEMU left running", kill_qemus_of(dir) == 0);
    remove_tree(dir);
    return failures ? 1 : 0;
}
