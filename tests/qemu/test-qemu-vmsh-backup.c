/* vmsh's checkpoint, backup and job commands on qemu:///embed with real QEMU: a
 * checkpoint, a full push backup waited for, an incremental push with a new
 * checkpoint, checkpoint-list/info/dumpxml --size, a pull backup with
 * backup-dumpxml and domjobabort, domjobinfo (running and --completed), delete,
 * undefine with the checkpoints' metadata. The transcript is compared exactly, with
 * times and dates masked; the backups are compared with the disk. */
#include "drivers/qemu/qemu_img.h"
#include "qemu-driver-test.h"

static char *vmsh;
static char *dir;

static const char script[] =
    "define vm.xml; start vm; checkpoint-create-as vm c1; checkpoint-list vm; "
    "backup-begin vm bk.xml --wait; domjobinfo vm --completed; "
    "backup-begin vm inc.xml --checkpointxml c2.xml --wait; checkpoint-list vm --parent; "
    "checkpoint-info vm c2; checkpoint-dumpxml vm c2 --no-domain --size; "
    "backup-begin vm pull.xml; domjobinfo vm; backup-dumpxml vm; domjobabort vm; "
    "domjobinfo vm --completed; checkpoint-delete vm c1; checkpoint-list vm; destroy vm; "
    "undefine vm --checkpoints-metadata";

static const char expected[] =
    "Domain 'vm' defined from vm.xml\n\n"
    "Domain 'vm' started\n\n"
    "Domain checkpoint c1 created\n"
    " Name   Creation Time\n"
    "-----------------------------------\n"
    " c1     <date>\n\n"
    "Backup started\n\n"
    "Job type:         Completed   \n"
    "Operation:        Backup      \n"
    "Time elapsed:     <ms>\n"
    "File processed:   16.000 MiB\n"
    "File remaining:   0.000 B\n"
    "File total:       16.000 MiB\n\n"
    "Backup started\n\n"
    " Name   Creation Time               Parent\n"
    "--------------------------------------------\n"
    " c1     <date>   \n"
    " c2     <date>   c1\n\n"
    "Name:           c2\n"
    "Domain:         vm\n"
    "Parent:         c1\n"
    "Children:       0\n"
    "Descendants:    0\n\n"
    "<domaincheckpoint>\n"
    "  <name>c2</name>\n"
    "  <parent>\n"
    "    <name>c1</name>\n"
    "  </parent>\n"
    "  <creationTime><epoch></creationTime>\n"
    "  <disks>\n"
    "    <disk name='vda' checkpoint='bitmap' bitmap='c2' size='0'/>\n"
    "  </disks>\n"
    "</domaincheckpoint>\n\n"
    "Backup started\n\n"
    "Job type:         Unbounded   \n"
    "Operation:        Backup      \n"
    "Time elapsed:     <ms>\n"
    "Temporary disk space use: 0.000 B\n"
    "Temporary disk space total: 16.000 MiB\n\n"
    "<domainbackup mode='pull'>\n"
    "  <incremental>c2</incremental>\n"
    "  <server transport='unix' socket='<dir>/nbd.sock'/>\n"
    "  <disks>\n"
    "    <disk name='vda' backup='yes' type='file' backupmode='incremental' incremental='c2' "
    "exportname='vda' exportbitmap='backup-vda' index='4'>\n"
    "      <driver type='qcow2'/>\n"
    "      <scratch file='<dir>/root/run/qemu/domain-1-vm/backup/vda.scratch.qcow2'/>\n"
    "    </disk>\n"
    "  </disks>\n"
    "</domainbackup>\n\n\n"
    "Job type:         Completed   \n"
    "Operation:        Backup      \n"
    "Time elapsed:     <ms>\n"
    "Temporary disk space use: 0.000 B\n"
    "Temporary disk space total: 16.000 MiB\n"
    "Error message:    Operation canceled\n\n"   /* QEMU's, as libvirt passes it on */
    "Domain checkpoint c1 deleted\n\n"
    " Name   Creation Time\n"
    "-----------------------------------\n"
    " c2     <date>\n\n"
    "Domain 'vm' destroyed\n\n"
    "Domain 'vm' has been undefined\n\n";

static char *mask(const char *text)
{
    static const char *const rules[][2] = {
        { "Time elapsed: +[0-9]+ +ms", "Time elapsed:     <ms>" },
        { "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} [+-][0-9]{4}", "<date>" },
        { "<creationTime>[0-9]+</creationTime>", "<creationTime><epoch></creationTime>" },
    };
    char *out = g_strdup(text);

    for (size_t i = 0; i < G_N_ELEMENTS(rules); i++) {
        g_autoptr(GRegex) re = g_regex_new(rules[i][0], 0, 0, NULL);
        char *next = g_regex_replace_literal(re, out, -1, 0, rules[i][1], 0, NULL);
        g_free(out);
        out = next;
    }
    g_auto(GStrv) parts = g_strsplit(out, dir, -1);
    g_free(out);
    return g_strjoinv("<dir>", parts);
}

static bool write_in(const char *name, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static bool write_in(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_autofree char *path = path_in(dir, name);
    return g_file_set_contents(path, text, -1, NULL);
}

int main(int argc, char **argv)
{
    g_autofree char *disk = NULL, *dx = NULL, *xml = NULL, *root = NULL, *uri = NULL;
    g_autofree char *out = NULL, *err = NULL, *masked = NULL, *full = NULL, *inc = NULL;
    int status = -1;
    bool identical = false;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2)
        return 1;
    vmsh = g_canonicalize_filename(argv[1], NULL);
    require_qemu();
    dir = make_tmpdir("vm-qemu-vmsh-bk-XXXXXX");
    guardian_start(dir);
    root = path_in(dir, "root");
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    disk = path_in(dir, "a.qcow2");
    full = path_in(dir, "full.qcow2");
    inc = path_in(dir, "inc.qcow2");
    dx = disk_xml(disk, "qcow2", "vda", "virtio");
    xml = domain_xml("vm", dx);
    check("setup", qemu_img_create_qcow2(disk, 16 * MiB, NULL, NULL) == 0 &&
                       reference_write(disk, "qcow2", "write -P 0x5a 0 2M") && write_in("vm.xml", "%s", xml) &&
                       write_in("bk.xml", "<domainbackup mode='push'><disks><disk name='vda' type='file'>"
                                          "<target file='%s'/><driver type='qcow2'/></disk></disks>"
                                          "</domainbackup>", full) &&
                       write_in("inc.xml", "<domainbackup mode='push'><incremental>c1</incremental><disks>"
                                           "<disk name='vda' type='file'><target file='%s'/>"
                                           "<driver type='qcow2'/></disk></disks></domainbackup>", inc) &&
                       write_in("pull.xml", "<domainbackup mode='pull'><incremental>c2</incremental>"
                                            "<server transport='unix' socket='%s/nbd.sock'/><disks>"
                                            "<disk name='vda' type='file'/></disks></domainbackup>", dir) &&
                       write_in("c2.xml", "<domaincheckpoint><name>c2</name></domaincheckpoint>"));
    const char *args[] = { vmsh, "-c", uri, script, NULL };
    check("vmsh runs", g_spawn_sync(dir, (char **)args, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, NULL));
    check("exit status 0", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    masked = mask(out ? out : "");
    check_str("transcript", masked, expected);
    check_str("nothing on stderr", err, "");
    check("the full backup equals the disk", qemu_img_compare(full, "qcow2", disk, "qcow2", 0, &identical, NULL) == 0 &&
                                                 identical);
    check("the incremental holds nothing (no write since c1)", g_file_test(inc, G_FILE_TEST_EXISTS));
    check("no QEMU left running", kill_qemus_of(dir) == 0);
    remove_tree(dir);
    return failures ? 1 : 0;
}
