/* State that survives: a helper process starts domains and goes away; QEMU keeps
 * running; while another process holds the root, opening it fails with a clear
 * error; this process then opens the root, finds the domains running (ids, state,
 * persistence as they were) and controls them (suspend, resume, guest writes that
 * land in the image); after its connection is dropped too, QEMUs killed while
 * nobody owns them are reported shut off (crashed), or gone when transient, with
 * their runtime files cleaned up; a reboot asked for before the connection went away,
 * and a guest's shutdown nobody heard, are carried out by the next owner. */
#include "drivers/qemu/qemu_driver.h"
#include "qemu-driver-test.h"

static const char *helper;
static char *dir;
static char *root;
static char *uri;

static void quiet(void *data, virErrorPtr err)
{
}

/* Run the helper; its stdout in *ret_out. Returns its exit status. */
static int run_helper(const char *const *args, char **ret_out)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    /* the helper leaves on purpose without closing anything */
    g_auto(GStrv) env = g_environ_setenv(g_get_environ(), "ASAN_OPTIONS", "detect_leaks=0", TRUE);
    int status = -1;

    g_ptr_array_add(argv, (gpointer)helper);
    for (size_t i = 0; args[i]; i++)
        g_ptr_array_add(argv, (gpointer)args[i]);
    g_ptr_array_add(argv, NULL);
    if (!g_spawn_sync(NULL, (char **)argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, ret_out, NULL,
                      &status, NULL))
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

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

static bool alive(int pid)
{
    g_autofree char *stat = g_strdup_printf("/proc/%d/stat", pid);
    g_autofree char *text = NULL;
    const char *p;

    return pid > 0 && g_file_get_contents(stat, &text, NULL, NULL) && (p = strrchr(text, ')')) &&
           p[2] != 'Z';
}

static bool wait_dead(int pid)
{
    for (int i = 0; i < 250 && alive(pid); i++)
        g_usleep(20000);
    return !alive(pid);
}

static char *write_xml(const char *name, const char *disks)
{
    g_autofree char *xml = domain_xml(name, disks);
    g_autofree char *base = g_strconcat(name, ".xml", NULL);
    char *path = path_in(dir, base);

    g_file_set_contents(path, xml, -1, NULL);
    return path;
}

static bool same(const char *img, const char *ref)
{
    bool identical = false;

    return qemu_img_compare(img, "qcow2", ref, "qcow2", QEMU_IMG_FORCE_SHARE, &identical, NULL) == 0 &&
           identical;
}

/* Another process holds the root: opening it fails, saying so. */
static void test_lock(void)
{
    const char *argv[] = { helper, "hold", root, NULL };
    g_autoptr(GSubprocess) p = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE, NULL);
    g_autoptr(GDataInputStream) out = NULL;
    g_autofree char *line = NULL, *expected = NULL;
    virConnectPtr conn;

    if (!check("lock: a helper holds the root", p != NULL))
        return;
    out = g_data_input_stream_new(g_subprocess_get_stdout_pipe(p));
    line = g_data_input_stream_read_line(out, NULL, NULL, NULL);
    check_str("lock: the helper opened the root", line, "ready");
    expected = g_strdup_printf("root directory '%s' is in use by another process (pid %s)", root,
                               g_subprocess_get_identifier(p));
    conn = virConnectOpen(uri);
    check("lock: opening it here fails", conn == NULL);
    check_api_error("lock: ... naming the holder", VIR_ERR_OPERATION_FAILED, expected);
    if (conn)
        virConnectClose(conn);
    g_output_stream_close(g_subprocess_get_stdin_pipe(p), NULL, NULL);
    check("lock: the helper lets go", g_subprocess_wait_check(p, NULL, NULL));
}

static void test_reattach(void)
{
    g_autofree char *a = path_in(dir, "a.qcow2"), *b = path_in(dir, "b.qcow2");
    g_autofree char *ra = path_in(dir, "a.ref"), *t = path_in(dir, "t.qcow2");
    g_autofree char *da = disk_xml(a, "qcow2", "vda", "virtio");
    g_autofree char *db = disk_xml(b, "qcow2", "sdb", "sata");
    g_autofree char *dt = disk_xml(t, "qcow2", "vda", "virtio");
    g_autofree char *both = g_strconcat(da, db, NULL);
    g_autofree char *survivor = write_xml("survivor", both);
    g_autofree char *fleeting = write_xml("fleeting", dt);
    g_autofree char *out1 = NULL, *out2 = NULL, *run = NULL, *runpath = NULL;
    const char *start1[] = { "start", root, survivor, NULL };
    const char *start2[] = { "start", root, fleeting, "transient", NULL };
    virConnectPtr conn;
    virDomainPtr s = NULL, f = NULL, byid = NULL;
    int spid, fpid, state = -1, reason = -1;

    check("images", qemu_img_create_qcow2(a, 32 * MiB, NULL, NULL) == 0 &&
                        qemu_img_create_qcow2(b, 16 * MiB, NULL, NULL) == 0 &&
                        qemu_img_create_qcow2(ra, 32 * MiB, NULL, NULL) == 0 &&
                        qemu_img_create_qcow2(t, 16 * MiB, NULL, NULL) == 0);
    check("a helper starts a persistent domain and exits", run_helper(start1, &out1) == 0);
    check("a helper creates a transient domain and exits", run_helper(start2, &out2) == 0);
    printf("  (%s; %s)\n", out1 ? g_strstrip(out1) : "", out2 ? g_strstrip(out2) : "");
    spid = status_pid("survivor");
    fpid = status_pid("fleeting");
    check("both QEMUs outlive the process that started them", alive(spid) && alive(fpid));

    test_lock();

    conn = virConnectOpen(uri);
    if (!check("open the root again", conn != NULL)) {
        printf("  %s\n", api_error());
        return;
    }
    s = virDomainLookupByName(conn, "survivor");
    f = virDomainLookupByName(conn, "fleeting");
    check("the domains are there", s && f);
    if (!s || !f)
        goto out;
    check("survivor: running (booted), as it was",
          virDomainGetState(s, &state, &reason, 0) == 0 && state == VIR_DOMAIN_RUNNING &&
              reason == VIR_DOMAIN_RUNNING_BOOTED);
    check("survivor: its id, from the other process",
          g_str_has_prefix(out1, "started ") && virDomainGetID(s) == (unsigned int)atoi(out1 + 8));
    byid = virDomainLookupByID(conn, (int)virDomainGetID(s));
    check("survivor: found by id", byid && strcmp(virDomainGetName(byid), "survivor") == 0);
    check("survivor: persistent, fleeting: transient",
          virDomainIsPersistent(s) == 1 && virDomainIsPersistent(f) == 0 && virDomainIsActive(f) == 1);
    check("survivor: suspend", virDomainSuspend(s) == 0 &&
                                   wait_state(s, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, 0));
    check("survivor: resume", virDomainResume(s) == 0 &&
                                  wait_state(s, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED, 0));
    check("survivor: a guest write through the new monitor connection",
          qemu_domain_qemu_io(s, "vda", "write -P 0x5a 64k 128k") == 0 &&
              reference_write(ra, "qcow2", "write -P 0x5a 64k 128k"));
    check("survivor: ... lands in the image", virDomainSuspend(s) == 0 && same(a, ra));
    check("drop this connection too", virDomainFree(s) == 0 && virDomainFree(f) == 0 &&
                                          virDomainFree(byid) == 0 && virConnectClose(conn) == 0);
    s = f = byid = NULL;
    conn = NULL;
    check("the QEMUs still run", alive(spid) && alive(fpid));

    check("kill both QEMUs while nobody owns them",
          kill(spid, SIGKILL) == 0 && kill(fpid, SIGKILL) == 0 && wait_dead(spid) && wait_dead(fpid));
    conn = virConnectOpen(uri);
    if (!check("open the root once more", conn != NULL))
        return;
    s = virDomainLookupByName(conn, "survivor");
    check("survivor: shut off (crashed)",
          s && virDomainGetState(s, &state, &reason, 0) == 0 && state == VIR_DOMAIN_SHUTOFF &&
              reason == VIR_DOMAIN_SHUTOFF_CRASHED);
    f = virDomainLookupByName(conn, "fleeting");
    check("fleeting: a transient domain that died is gone", f == NULL);
    runpath = g_build_filename(root, "run", "qemu", NULL);
    run = dir_list(runpath);
    check_str("status files and runtime dirs cleaned up", run, "driver.pid");
    check("survivor: starts again here", s && virDomainCreate(s) == 0 &&
                                             wait_state(s, VIR_DOMAIN_RUNNING, -1, 0));
    check("survivor: destroy, undefine", s && virDomainDestroy(s) == 0 && virDomainUndefine(s) == 0);
 out:
    if (s)
        virDomainFree(s);
    if (f)
        virDomainFree(f);
    if (byid)
        virDomainFree(byid);
    check("close", virConnectClose(conn) == 0);
}

static bool status_has(const char *name, const char *text)
{
    g_autofree char *base = g_strconcat(name, ".xml", NULL);
    g_autofree char *path = g_build_filename(root, "run", "qemu", base, NULL);
    g_autofree char *content = NULL;

    return g_file_get_contents(path, &content, NULL, NULL) && strstr(content, text);
}

/* What the guest does while nobody owns the root is carried out by the next owner:
 * a reboot asked for before the connection went away, a shutdown. The guest is the
 * boot sector that powers off on the ACPI power button. */
static void test_unowned_guest(void)
{
    g_autofree char *boot = path_in(dir, "acpi.raw");
    g_autofree char *disk = disk_xml(boot, "raw", "vda", "virtio");
    g_autofree char *xml = write_xml("acpi", disk);
    const char *start[] = { "start", root, xml, NULL };
    g_autofree char *out = NULL;
    virConnectPtr conn;
    virDomainPtr dom;
    bool rebooted = false, asked = true, shut = false;
    int pid;

    check("unowned: a helper starts the ACPI guest", write_acpi_guest(boot) && run_helper(start, &out) == 0);
    pid = status_pid("acpi");
    g_usleep(1500 * 1000);   /* the guest boots and waits for the power button */
    conn = virConnectOpen(uri);
    dom = conn ? virDomainLookupByName(conn, "acpi") : NULL;
    check("unowned: pause, ask for a reboot, drop the connection",
          dom && virDomainSuspend(dom) == 0 && virDomainReboot(dom, 0) == 0 &&
              status_has("acpi", "<fakereboot/>") && virDomainFree(dom) == 0 && virConnectClose(conn) == 0);
    conn = virConnectOpen(uri);
    dom = conn ? virDomainLookupByName(conn, "acpi") : NULL;
    check("unowned: the next owner finds it paused", dom && wait_state(dom, VIR_DOMAIN_PAUSED, -1, 0));
    check("unowned: resume: the guest powers off", dom && virDomainResume(dom) == 0);
    for (int i = 0; i < 500 && !rebooted; i++, g_usleep(20000))
        rebooted = !status_has("acpi", "<fakereboot/>");
    check("unowned: ... and the reboot asked for by the last owner is done", rebooted);
    check("unowned: running, same QEMU", dom && wait_state(dom, VIR_DOMAIN_RUNNING, -1, 0) &&
                                             status_pid("acpi") == pid && alive(pid));
    /* the rebooted guest listens again once its boot sector runs: until then the
     * button is lost, so ask again (each time dropping the connection at once) */
    for (int i = 0; i < 10 && !shut; i++) {
        int state = -1;
        asked &= dom && virDomainShutdown(dom) == 0 && virDomainFree(dom) == 0 &&
                 virConnectClose(conn) == 0;
        g_usleep(500 * 1000);
        conn = virConnectOpen(uri);
        dom = conn ? virDomainLookupByName(conn, "acpi") : NULL;
        shut = dom && virDomainGetState(dom, &state, NULL, 0) == 0 && state != VIR_DOMAIN_RUNNING;
    }
    check("unowned: ask for a shutdown, drop the connection at once", asked);
    /* reason shutdown when this process stopped QEMU, unknown when the last owner
     * did it as it let go (the reason of a shut-off domain is not kept) */
    if (!check("unowned: the guest's shutdown is carried out: shut off",
               dom && wait_state(dom, VIR_DOMAIN_SHUTOFF, -1, 5000) && wait_dead(pid) &&
                   (wait_state(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, 0) ||
                    wait_state(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN, 0)))) {
        int state = -1, reason = -1;
        if (dom)
            virDomainGetState(dom, &state, &reason, 0);
        printf("  state %d reason %d, QEMU %s\n", state, reason, alive(pid) ? "alive" : "gone");
    }
    check("unowned: undefine", dom && virDomainUndefine(dom) == 0);
    if (dom)
        virDomainFree(dom);
    check("unowned: close", conn && virConnectClose(conn) == 0);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) {
        printf("usage: %s HELPER\n", argv[0]);
        return 1;
    }
    helper = argv[1];
    require_qemu();
    dir = make_tmpdir("vm-qemu-reattach-XXXXXX");
    root = g_build_filename(dir, "root", NULL);
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    guardian_start(dir);
    virSetErrorFunc(NULL, quiet);
    test_reattach();
    test_unowned_guest();
    check("no QEMU left running", kill_qemus_of(dir) == 0);
    remove_tree(dir);
    return failures ? 1 : 0;
}
