/* Backups when things go wrong, against real QEMU: QEMU killed in the middle of an
 * incremental (the job fails with events, nothing is left behind, the checkpoints of
 * that run are broken: an incremental is refused saying how to recover, a full works);
 * a target on a tiny tmpfs that fills up (the job fails saying why, the source is
 * untouched, the partial target is removed); the process owning the root killed
 * during a pull backup (the next owner re-attaches to it and ends it normally), during
 * a pull whose QEMU job was cancelled meanwhile (cleaned up, said so), and during a
 * push that completes while nobody watches (found completed, target kept). */
#include <sched.h>
#include <sys/mount.h>
#include "drivers/qemu/qemu_backup.h"
#include "drivers/qemu/qemu_block.h"
#include "backup-test.h"

#define SIZE (16 * MiB)

static tvm t;
static const char *helper;
static char *small;          /* a tiny tmpfs, NULL when it cannot be mounted */

static char *push_xml(const char *target_dir, const char *tag, const char *inc)
{
    g_autofree char *target = g_strdup_printf("%s/%s-vda.qcow2", target_dir, tag);

    return g_strdup_printf("<domainbackup>%s%s%s<disks><disk name='vda' type='file'><driver type='qcow2'/>"
                           "<target file='%s'/></disk></disks></domainbackup>", inc ? "<incremental>" : "",
                           inc ? inc : "", inc ? "</incremental>" : "", target);
}

static bool begin(const char *xml, const char *ckpt)
{
    g_autofree char *ck = ckpt ? g_strdup_printf("<domaincheckpoint><name>%s</name></domaincheckpoint>", ckpt) : NULL;

    if (virDomainBackupBegin(t.dom, xml, ck, 0) == 0)
        return true;
    printf("  begin: %s\n", api_error());
    return false;
}

static bool wait_outcome(int want, char **ret_msg)
{
    int type = -1, success = -1;
    bool ok = job_wait(t.dom, 60000, &type, &success, ret_msg) && type == want;

    if (!ok)
        printf("  type %d (want %d) success %d '%s'\n", type, want, success, *ret_msg ? *ret_msg : "");
    return ok;
}

static char *run_dir_list(void)
{
    g_autofree char *run = g_build_filename(root, "run", "qemu", NULL);
    return dir_list(run);
}

static void test_kill_qemu(void)
{
    g_autofree char *xml = push_xml(dir, "k-full", NULL), *inc = push_xml(dir, "k-inc", "c1");
    g_autofree char *msg = NULL, *got = NULL, *target = in_dir("k-inc-vda.qcow2"), *left = NULL;
    g_autofree char *full2 = push_xml(dir, "k-full2", NULL), *ref = NULL, *out = in_dir("k-full2-vda.qcow2");
    virDomainCheckpointPtr c;

    check("kill: data", gwrite(&t, "vda", "write -P 0x21 0 12M"));
    check("kill: a full backup with c1", begin(xml, "c1") && wait_outcome(VIR_DOMAIN_JOB_COMPLETED, &msg));
    g_free(events_take(5000));
    check("kill: writes", gwrite(&t, "vda", "write -P 0x22 0 8M"));
    /* as a guest would before it counts on them: unflushed writes (qcow2's cluster
     * tables still in QEMU's memory) may be lost when QEMU is killed */
    check("kill: the guest flushes", qemu_domain_qemu_io(t.dom, "vda", "flush") == 0);
    qemu_backup_set_initial_speed(MiB);
    check("kill: a slow incremental since c1 with c2", begin(inc, "c2"));
    qemu_backup_set_initial_speed(0);
    check("kill: its target exists", exists(target));
    check("kill: QEMU killed", kill_qemu(&t));
    g_clear_pointer(&msg, g_free);
    check("kill: the job failed", wait_outcome(VIR_DOMAIN_JOB_FAILED, &msg));
    check("kill: ... saying QEMU exited", msg && strstr(msg, "QEMU exited"));
    got = events_take(5000);
    check("kill: events say failed", strstr(got, "block2:vda:5:1") && strstr(got, "done:0:QEMU exited"));
    check("kill: the partial target is gone", !exists(target));
    left = run_dir_list();
    check_str("kill: nothing left in the runtime dir", left, "driver.pid");
    check("kill: start again", virDomainCreate(t.dom) == 0);
    check("kill: an incremental since c1 is refused", virDomainBackupBegin(t.dom, inc, NULL, 0) < 0);
    check_api_error("kill: ... c1's bitmap is gone, and how to recover", VIR_ERR_CHECKPOINT_INCONSISTENT,
                    "missing or broken bitmap 'c1' for disk 'vda': the image");
    check_api_error("kill: ... (the advice)", VIR_ERR_CHECKPOINT_INCONSISTENT, "take a full backup");
    check("kill: nothing was created", !exists(target));
    c = virDomainCheckpointLookupByName(t.dom, "c1", 0);
    check("kill: the broken checkpoints are deleted",
          c && virDomainCheckpointDelete(c, VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN) == 0);
    if (c)
        virDomainCheckpointFree(c);
    g_clear_pointer(&msg, g_free);
    check("kill: a full backup works", refs_at(&t, "k-full2") && begin(full2, "c3") &&
                                            wait_outcome(VIR_DOMAIN_JOB_COMPLETED, &msg));
    ref = ref_at(&t, "vda", "k-full2");
    check("kill: ... and equals the disk", same_as(out, "qcow2", ref));
    g_free(events_take(5000));
}

/* A private mount namespace with a 4 MiB tmpfs (root only); QEMU inherits it. */
static void mount_small(void)
{
    g_autofree char *path = in_dir("small");

    g_mkdir(path, 0700);
    if (unshare(CLONE_NEWNS) < 0 || mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
        mount("tmpfs", path, "tmpfs", 0, "size=4m") < 0) {
        printf("note: cannot mount a tmpfs here (%s): the full-disk case is not tested\n", g_strerror(errno));
        return;
    }
    small = g_steal_pointer(&path);
}

static void test_full_disk(void)
{
    g_autofree char *xml = NULL, *msg = NULL, *got = NULL, *target = NULL;
    tdisk *d = dom_disk(&t, "vda");
    int state = -1;

    if (!small) {
        printf("skip: full disk (no tmpfs)\n");
        return;
    }
    xml = push_xml(small, "fill", NULL);
    target = g_strdup_printf("%s/fill-vda.qcow2", small);
    check("full disk: 12 MiB of data to back up onto 4 MiB", gwrite(&t, "vda", "write -P 0x31 0 12M") &&
                                                               begin(xml, NULL));
    check("full disk: the job failed", wait_outcome(VIR_DOMAIN_JOB_FAILED, &msg));
    check("full disk: ... saying why", msg && strstr(msg, "No space left on device"));
    got = events_take(5000);
    check("full disk: events say failed, and why", strstr(got, "block2:vda:5:1") &&
                                                       strstr(got, "No space left on device"));
    check("full disk: the partial target is removed", !exists(target));
    check("full disk: the domain still runs", virDomainGetState(t.dom, &state, NULL, 0) == 0 &&
                                                  state == VIR_DOMAIN_RUNNING);
    check("full disk: the source is untouched", virDomainSuspend(t.dom) == 0 && same_as(d->image, "qcow2", d->ref) &&
                                                    virDomainResume(t.dom) == 0);
    check("full disk: no node or temporary bitmap left", nothing_left_in(t.dom, 2));
}

/* ---- the process owning the root killed ---- */

static GPid helper_start(const char *xml, unsigned long long speed)
{
    g_autofree char *sp = g_strdup_printf("%llu", speed);
    const char *argv[] = { helper, root, t.name, xml, sp, NULL };
    GPid pid = 0;
    int out = -1;
    char line[256] = "";

    if (!g_spawn_async_with_pipes(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL,
                                  &out, NULL, NULL))
        return 0;
    FILE *f = fdopen(out, "r");
    if (!fgets(line, sizeof(line), f) || strcmp(line, "ready\n") != 0) {
        printf("  helper: %s\n", line);
        kill(pid, SIGKILL);
        pid = 0;
    }
    fclose(f);
    return pid;
}

static void helper_kill(GPid pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

static char *domain_log(void)
{
    g_autofree char *path = g_build_filename(root, "log", "qemu", "bk.log", NULL);
    char *text = NULL;

    g_file_get_contents(path, &text, NULL, NULL);
    return text;
}

static bool cancel_behind_the_driver(const char *job)
{
    g_autofree char *run = g_build_filename(root, "run", "qemu", NULL);
    g_autoptr(GDir) dd = g_dir_open(run, 0, NULL);
    g_autofree char *mon_path = NULL;
    g_autoptr(json_object) args = json_object_new_object();
    const char *name;
    qmp_client *mon;
    int rc;

    while (dd && (name = g_dir_read_name(dd)))
        if (g_str_has_prefix(name, "domain-"))
            mon_path = g_build_filename(run, name, "monitor.sock", NULL);
    if (!mon_path || !(mon = qmp_client_open(mon_path, NULL)))
        return false;
    json_object_object_add(args, "id", json_object_new_string(job));
    rc = qmp_call(mon, "job-cancel", args, QMP_TIMEOUT_DEFAULT, NULL);
    g_usleep(200000);
    qmp_client_free(mon);
    return rc == 0;
}

static void test_driver_killed(void)
{
    g_autofree char *sock = in_dir("nbd.sock"), *uri = NULL, *out = in_dir("re-vda.raw"), *msg = NULL;
    g_autofree char *xml = NULL, *log = NULL, *ref = NULL, *push = push_xml(dir, "unwatched", NULL);
    g_autofree char *pushed = in_dir("unwatched-vda.qcow2");
    const char *argv[3] = { "nbdcopy", NULL, NULL };
    virDomainJobInfo info;
    int status = -1;
    GPid pid = 0;

    xml = g_strdup_printf("<domainbackup mode='pull'><server transport='unix' socket='%s'/>"
                          "<disks><disk name='vda' type='file'/></disks></domainbackup>", sock);
    uri = g_strdup_printf("nbd+unix:///vda?socket=%s", sock);
    check("restart: destroy, let go of the root", virDomainDestroy(t.dom) == 0);
    virDomainFree(t.dom);
    close_conn();

    /* 1: re-attached */
    check("restart: a helper starts a pull backup", refs_at(&t, "re") && (pid = helper_start(xml, 0)) > 0);
    helper_kill(pid);
    check("restart: the helper was killed; the root is taken again", open_conn());
    t.dom = virDomainLookupByName(conn, t.name);
    check("restart: the backup job is still there", t.dom && virDomainGetJobInfo(t.dom, &info) == 0 &&
                                                        info.type == VIR_DOMAIN_JOB_UNBOUNDED);
    log = domain_log();
    check("restart: the log says it was re-attached", log && strstr(log, "backup job re-attached"));
    argv[1] = uri;
    argv[2] = out;
    ref = ref_at(&t, "vda", "re");
    check("restart: the export still serves the disk as at the job's start",
          gwrite(&t, "vda", "write -P 0x41 0 1M") &&
              g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL) &&
              status == 0 && same_as(out, "raw", ref));
    check("restart: abort ends it normally", virDomainAbortJob(t.dom) == 0 &&
                                                 wait_outcome(VIR_DOMAIN_JOB_COMPLETED, &msg));
    check("restart: nothing left", nothing_left_in(t.dom, 2));
    check("restart: destroy, let go", virDomainDestroy(t.dom) == 0);
    virDomainFree(t.dom);
    close_conn();

    /* 2: QEMU's job cancelled while nobody owned the root */
    check("restart: a helper starts a pull backup again", (pid = helper_start(xml, 0)) > 0);
    helper_kill(pid);
    check("restart: its QEMU job is cancelled behind the driver's back",
          cancel_behind_the_driver("backup-vda-libvirt-2-format"));
    check("restart: the root is taken again", open_conn());
    t.dom = virDomainLookupByName(conn, t.name);
    g_clear_pointer(&msg, g_free);
    check("restart: the job was ended and cleaned up", t.dom && wait_outcome(VIR_DOMAIN_JOB_FAILED, &msg));
    g_free(log);
    log = domain_log();
    check("restart: the log says it was taken over after it ended",
          log && strstr(log, "backup job taken over after it ended or broke"));
    check("restart: no node, export or scratch left", nothing_left_in(t.dom, 2));
    check("restart: destroy, let go", virDomainDestroy(t.dom) == 0);
    virDomainFree(t.dom);
    close_conn();

    /* 3: a push that completes while nobody watches */
    check("restart: a helper starts a slow push", refs_at(&t, "unwatched") && (pid = helper_start(push, 8 * MiB)) > 0);
    helper_kill(pid);
    g_usleep(3000000);   /* 16 MiB at 8 MiB/s */
    check("restart: the root is taken again", open_conn());
    t.dom = virDomainLookupByName(conn, t.name);
    g_clear_pointer(&msg, g_free);
    check("restart: the push was found completed", t.dom && wait_outcome(VIR_DOMAIN_JOB_COMPLETED, &msg));
    g_free(ref);
    ref = ref_at(&t, "vda", "unwatched");
    check("restart: its target is kept, and right", same_as(pushed, "qcow2", ref));
    check("restart: destroy", virDomainDestroy(t.dom) == 0);
}

int main(int argc, char **argv)
{
    const char *dsts[] = { "vda", NULL };

    helper = argv[1];
    setup_dir("faults");
    mount_small();
    virSetErrorFunc(NULL, quiet);
    virEventRegisterDefaultImpl();
    if (!open_conn())
        return 1;
    if (check("a domain", dom_make(&t, "bk", dsts, SIZE, false))) {
        test_kill_qemu();
        test_full_disk();
        test_driver_killed();
    }
    dom_release(&t);
    if (small)
        umount2(small, MNT_DETACH);
    g_free(small);
    return finish();
}
