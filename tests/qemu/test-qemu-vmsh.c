/* vmsh on qemu:///embed?root=DIR with real QEMU: define, list, start, dominfo,
 * domstate, suspend, resume, shutdown (a guest without an OS ignores it, as with
 * virsh), dumpxml, destroy, undefine; a domain left running by one vmsh and taken
 * over by the next; qemu:///session's error without a daemon. Transcripts are compared exactly,
 * with the UUID and the CPU time masked. */
#include "qemu-driver-test.h"

static char *vmsh;
static char *dir;
static char *uri;

/* Run vmsh -c URI SCRIPT; stdout with masks applied in *ret_out, stderr in
 * *ret_err. Returns the exit status. */
static int run_vmsh(const char *connect, const char *script, char **ret_out, char **ret_err)
{
    const char *argv[] = { vmsh, "-c", connect, script, NULL };
    g_autofree char *out = NULL;
    g_autoptr(GRegex) uuid = g_regex_new("^UUID: .*$", G_REGEX_MULTILINE, 0, NULL);
    g_autoptr(GRegex) cpu = g_regex_new("^CPU time: .*$", G_REGEX_MULTILINE, 0, NULL);
    g_autofree char *masked = NULL;
    int status = -1;

    if (!g_spawn_sync(dir, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, ret_err, &status,
                      NULL))
        return -1;
    masked = g_regex_replace_literal(uuid, out, -1, 0, "UUID: <uuid>", 0, NULL);
    *ret_out = g_regex_replace_literal(cpu, masked, -1, 0, "CPU time: <time>", 0, NULL);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char session_script[] =
    "define vm.xml; list --all; start vm; list; dominfo vm; domstate vm; domstate --reason vm; "
    "suspend vm; domstate --reason vm; list --all; resume vm; domstate --reason vm; "
    "shutdown vm; domstate --reason vm; destroy vm; domstate --reason vm; list --all";

static const char session_expected[] =
    "Domain 'vm' defined from vm.xml\n\n"
    " Id   Name   State\n"
    "-----------------------\n"
    " -    vm     shut off\n\n"
    "Domain 'vm' started\n\n"
    " Id   Name   State\n"
    "----------------------\n"
    " 1    vm     running\n\n"
    "Id:             1\n"
    "Name:           vm\n"
    "UUID: <uuid>\n"
    "OS Type:        hvm\n"
    "State:          running\n"
    "CPU(s):         1\n"
    "CPU time: <time>\n"
    "Max memory:     65536 KiB\n"
    "Used memory:    65536 KiB\n"
    "Persistent:     yes\n"
    "Autostart:      disable\n"
    "Managed save:   no\n\n"
    "running\n\n"
    "running (booted)\n\n"
    "Domain 'vm' suspended\n\n"
    "paused (user)\n\n"
    " Id   Name   State\n"
    "---------------------\n"
    " 1    vm     paused\n\n"
    "Domain 'vm' resumed\n\n"
    "running (unpaused)\n\n"
    "Domain 'vm' is being shutdown\n\n"
    "running (unpaused)\n\n"
    "Domain 'vm' destroyed\n\n"
    "shut off (destroyed)\n\n"
    " Id   Name   State\n"
    "-----------------------\n"
    " -    vm     shut off\n\n";

static void test_session(void)
{
    g_autofree char *out = NULL, *err = NULL;
    int rc = run_vmsh(uri, session_script, &out, &err);

    check("session: exit status 0", rc == 0);
    check_str("session: transcript", out, session_expected);
    check_str("session: nothing on stderr", err, "");
}

static void test_dumpxml(void)
{
    g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;

    check("dumpxml: start and dump", run_vmsh(uri, "start vm; dumpxml vm", &out, &err) == 0);
    check("dumpxml: the live XML", strstr(out, "<domain type='qemu' id='1'>") &&
                                       strstr(out, "machine='pc-i440fx-7.2'") &&
                                       strstr(out, "index='2'/>") &&
                                       strstr(out, "<alias name='virtio-disk0'/>") &&
                                       strstr(out, "<alias name='sata0-0-1'/>"));
    check("dumpxml: --inactive has no runtime details",
          run_vmsh(uri, "dumpxml --inactive vm", &out2, &err2) == 0 &&
              !strstr(out2, "<domain type='qemu' id=") && !strstr(out2, "index='2'") &&
              !strstr(out2, "<alias"));
}

/* The previous vmsh left the domain running: this one takes it over. */
static void test_next_process(void)
{
    g_autofree char *out = NULL, *err = NULL;
    static const char expected[] =
        " Id   Name   State\n"
        "----------------------\n"
        " 1    vm     running\n\n"
        "running (booted)\n\n"
        "Domain 'vm' destroyed\n\n"
        "Domain 'vm' has been undefined\n\n";

    check("next vmsh: exit status 0",
          run_vmsh(uri, "list; domstate --reason vm; destroy vm; undefine vm", &out, &err) == 0);
    check_str("next vmsh: the domain it finds running", out, expected);
}

static void test_session_uri(void)
{
    g_autofree char *out = NULL, *err = NULL;

    /* qemu:///session is the daemon's: the remote driver takes it (tests/wire runs it). */
    check("qemu:///session: exit status 1",
          run_vmsh("qemu:///session?socket=/nonexistent/sock", "list", &out, &err) == 1);
    check_str("qemu:///session: the error", err,
              "error: failed to connect to the hypervisor\n"
              "error: Failed to connect socket to '/nonexistent/sock': No such file or directory\n");
}

int main(int argc, char **argv)
{
    g_autofree char *a = NULL, *b = NULL, *xml = NULL, *da = NULL, *db = NULL, *disks = NULL;
    g_autofree char *xml_path = NULL, *root = NULL;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) {
        printf("usage: %s VMSH\n", argv[0]);
        return 1;
    }
    vmsh = g_canonicalize_filename(argv[1], NULL);   /* vmsh runs in the test dir */
    require_qemu();
    dir = make_tmpdir("vm-qemu-vmsh-XXXXXX");
    guardian_start(dir);
    root = g_build_filename(dir, "root", NULL);
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    a = path_in(dir, "a.qcow2");
    b = path_in(dir, "b.qcow2");
    da = disk_xml(a, "qcow2", "vda", "virtio");
    db = disk_xml(b, "qcow2", "sdb", "sata");
    disks = g_strconcat(da, db, NULL);
    xml = domain_xml("vm", disks);
    xml_path = path_in(dir, "vm.xml");
    check("setup", qemu_img_create_qcow2(a, 16 * MiB, NULL, NULL) == 0 &&
                       qemu_img_create_qcow2(b, 16 * MiB, NULL, NULL) == 0 &&
                       g_file_set_contents(xml_path, xml, -1, NULL));
    test_session();
    test_dumpxml();
    test_next_process();
    test_session_uri();
    check("no QEMU left running", kill_qemus_of(dir) == 0);
    remove_tree(dir);
    return failures ? 1 : 0;
}
