/* Snapshots of every kind on real QEMU under TCG (qemu:///embed): internal with
 * memory, internal disk-only, external disk-only and external with memory, of
 * running domains, and internal and external of shut-off ones. Each: a pattern,
 * the snapshot, another pattern, the revert; the disks then hold exactly the
 * snapshot's data (qemu-img compare against raw references), and for memory
 * snapshots the guest's RAM is the snapshot's (pmemsave, byte for byte) and the
 * run state and lifecycle events are libvirt's. */
#include "qemu-snapshot-test.h"

static char *dir;
static virConnectPtr conn;
static event_recorder rec;

static const char *both_internal =
    "<disks><disk name='vda' snapshot='internal'/><disk name='sda' snapshot='internal'/></disks>";

static bool wait_counter_moves(const vm *v)
{
    long long a = vm_counter(v);

    for (int i = 0; i < 100; i++) {
        g_usleep(10000);
        if (vm_counter(v) != a)
            return true;
    }
    return false;
}

/* Paused at the snapshot, reverted later: the RAM is the snapshot's byte for byte. */
static void exact_ram(const vm *v, const char *name, const char *memory, unsigned int flags)
{
    g_autofree char *before = NULL, *after = NULL, *what = NULL;
    virDomainSnapshotPtr s;
    long long counter = -2;

    what = g_strdup_printf("%s: %s", v->name, name);
    check(what, virDomainSuspend(v->dom) == 0 && (counter = vm_counter(v)) >= 0 &&
                    (before = vm_ram(v, "before")) != NULL);
    s = vm_snapshot(v, name, memory, flags);
    check("  taken while paused, state paused", s && vm_save_refs(v, name) && vm_state(v, NULL) == VIR_DOMAIN_PAUSED);
    check("  resume, the guest runs, a new pattern", virDomainResume(v->dom) == 0 && wait_counter_moves(v) &&
                                                         vm_pattern(v, 77));
    recorder_drain(&rec);
    check("  revert", vm_revert(v, name, 0));
    {
        g_autofree char *events = recorder_take(&rec, "3/5", 2000);
        check_str("  events: stopped, started, suspended (from snapshot)", events, "5/6 2/3 3/5 ");
    }
    {
        int reason = -1;
        check("  paused (from snapshot), as it was", vm_state(v, &reason) == VIR_DOMAIN_PAUSED &&
                                                     reason == VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
    }
    check("  the counter is the snapshot's", vm_counter(v) == counter);
    check("  the RAM is the snapshot's, byte for byte", (after = vm_ram(v, "after")) && same_file(before, after));
    check("  the disks are the snapshot's", vm_disks_equal(v, name) && vm_restore_refs(v, name));
    if (s)
        virDomainSnapshotFree(s);
}

/* Taken while running, reverted twice: the same RAM both times, the run state back. */
static void running_ram(const vm *v, const char *name, const char *memory, unsigned int flags)
{
    g_autofree char *one = NULL, *two = NULL, *what = g_strdup_printf("%s: %s", v->name, name);
    virDomainSnapshotPtr s;
    int reason = -1;

    check(what, virDomainResume(v->dom) == 0 && vm_pattern(v, 5));
    s = vm_snapshot(v, name, memory, flags);
    check("  taken while running, still running", s && vm_save_refs(v, name) &&
                                                     vm_state(v, NULL) == VIR_DOMAIN_RUNNING);
    check("  a new pattern", vm_pattern(v, 6));
    check("  revert, paused", vm_revert(v, name, VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED) &&
                                  vm_state(v, &reason) == VIR_DOMAIN_PAUSED);
    check("  the disks are the snapshot's", vm_disks_equal(v, name));
    one = vm_ram(v, "one");
    check("  resume, the guest runs", virDomainResume(v->dom) == 0 && wait_counter_moves(v));
    check("  revert again", vm_revert(v, name, VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED));
    two = vm_ram(v, "two");
    check("  the same RAM both times", one && two && same_file(one, two));
    check("  revert without flags: running (from snapshot)",
          vm_revert(v, name, 0) && vm_state(v, &reason) == VIR_DOMAIN_RUNNING &&
              reason == VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
    check("  the disks are the snapshot's", vm_disks_equal(v, name) && vm_restore_refs(v, name));
    if (s)
        virDomainSnapshotFree(s);
}

static void test_internal_memory(void)
{
    vm *v = vm_new(conn, dir, "int-mem", false);

    check("internal+memory: start, a pattern", virDomainCreate(v->dom) == 0 && vm_pattern(v, 1));
    running_ram(v, "s1", NULL, 0);
    exact_ram(v, "s2", NULL, 0);
    check("internal+memory: destroy, the disks are still the snapshot's",
          virDomainDestroy(v->dom) == 0 && vm_disks_equal(v, "s2"));
    vm_free(v);
}

/* Disk-only (running) or shut off: the revert leaves the domain shut off. */
static void disks_only(const vm *v, const char *kind, const char *extra, unsigned int flags)
{
    g_autofree char *what = g_strdup_printf("%s: a pattern, the snapshot", kind);
    int reason = -1;

    check(what, vm_pattern(v, 11) && vm_take(v, "d1", extra, flags) && vm_save_refs(v, "d1"));
    check("  another pattern, another snapshot", vm_pattern(v, 12) && vm_take(v, "d2", extra, flags) &&
                                                     vm_save_refs(v, "d2"));
    check("  a third pattern", vm_pattern(v, 13));
    check("  revert to the first: shut off (from snapshot)",
          vm_revert(v, "d1", 0) && vm_state(v, &reason) == VIR_DOMAIN_SHUTOFF &&
              reason == VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
    check("  the disks are the first snapshot's", vm_disks_equal(v, "d1"));
    check("  revert to the second, running", vm_revert(v, "d2", VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING) &&
                                                 vm_state(v, &reason) == VIR_DOMAIN_RUNNING &&
                                                 reason == VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
    check("  the disks are the second snapshot's", vm_disks_equal(v, "d2") && vm_restore_refs(v, "d2"));
    check("  writes go on", vm_pattern(v, 14));
    check("  revert to the first again, paused", vm_revert(v, "d1", VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED) &&
                                                     vm_state(v, NULL) == VIR_DOMAIN_PAUSED);
    check("  the disks are the first snapshot's", vm_disks_equal(v, "d1") && vm_restore_refs(v, "d1"));
    virDomainDestroy(v->dom);
}

static void test_internal_disk_only(void)
{
    vm *v = vm_new(conn, dir, "int-disk", false);

    check("internal disk-only: start", virDomainCreate(v->dom) == 0);
    disks_only(v, "internal disk-only (running)", both_internal, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    {
        g_autofree char *files = vm_files(v, "vda.qcow2.");
        check_str("  no file was made", files, "");
    }
    vm_free(v);
}

static void test_internal_offline(void)
{
    vm *v = vm_new(conn, dir, "int-off", false);

    disks_only(v, "internal (shut off)", NULL, 0);
    vm_free(v);
}

static void test_external_disk_only(void)
{
    vm *v = vm_new(conn, dir, "ext-disk", false);
    g_autofree char *files = NULL;

    check("external disk-only: start", virDomainCreate(v->dom) == 0);
    disks_only(v, "external disk-only (running)", NULL, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    files = vm_files(v, "vda.");
    /* vda.d1: d1's overlay, now d2's image; vda.d1.1: the overlay the domain went on
     * at the last revert; d2's own overlays went when nothing needed them any more */
    check_str("  overlays named as libvirt names them, the unneeded ones removed", files,
              "vda.d1 vda.d1.1 vda.qcow2 vda.ref vda.ref.d1 vda.ref.d2");
    vm_free(v);
}

static void test_external_offline(void)
{
    vm *v = vm_new(conn, dir, "ext-off", false);

    disks_only(v, "external (shut off)", NULL, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    vm_free(v);
}

static void test_external_memory(void)
{
    vm *v = vm_new(conn, dir, "ext-mem", false);
    g_autofree char *m1 = g_strdup_printf("<memory snapshot='external' file='%s/mem.e1'/>", v->dir);
    g_autofree char *m2 = g_strdup_printf("<memory snapshot='external' file='%s/mem.e2'/>", v->dir);
    g_autofree char *m3 = g_strdup_printf("<memory snapshot='external' file='%s/mem.e3'/>", v->dir);

    check("external+memory: start, a pattern", virDomainCreate(v->dom) == 0 && vm_pattern(v, 21));
    running_ram(v, "e1", m1, 0);
    running_ram(v, "e2", m2, VIR_DOMAIN_SNAPSHOT_CREATE_LIVE);
    exact_ram(v, "e3", m3, 0);
    {
        g_autofree char *files = vm_files(v, "mem.");
        check_str("external+memory: the memory files", files, "mem.e1 mem.e2 mem.e3");
    }
    check("external+memory: destroy", virDomainDestroy(v->dom) == 0);
    vm_free(v);
}

int main(int argc, char **argv)
{
    g_autofree char *root = NULL, *uri = NULL;

    setvbuf(stdout, NULL, _IOLBF, 0);
    require_qemu();
    dir = make_tmpdir("vm-qemu-snap-XXXXXX");
    guardian_start(dir);
    root = g_build_filename(dir, "root", NULL);
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    virEventRegisterDefaultImpl();
    if (!(conn = virConnectOpen(uri))) {
        printf("FAIL open: %s\n", api_error());
        return 1;
    }
    recorder_start(&rec, conn);
    test_internal_memory();
    test_internal_disk_only();
    test_internal_offline();
    test_external_disk_only();
    test_external_offline();
    test_external_memory();
    recorder_stop(&rec);
    virConnectClose(conn);
    check("no QEMU left running", kill_qemus_of(dir) == 0);
    remove_tree(dir);
    return failures ? 1 : 0;
}
