/* QEMU push backups against real QEMU and real images, two disks cut at one instant:
 * a full backup while the guest keeps writing equals the disks at the job's start; a
 * chain of incrementals (each with the next checkpoint) rebuilt with qemu-img rebase
 * -u / commit equals the disks at each backup's instant, and each incremental holds
 * exactly the clusters written since its checkpoint (qemu-img map); a differential
 * from an older checkpoint; raw and reused targets; progress, events, statistics;
 * abort in the middle (nothing left behind); the errors of bad requests. */
#include "drivers/qemu/qemu_backup.h"
#include "drivers/qemu/qemu_block.h"
#include "backup-test.h"

#define SIZE (16 * MiB)
#define CLUSTER 65536

static tvm t;
/* per disk: the clusters written since the current checkpoint, and since the
 * previous one (what the running incremental must hold) */
static GHashTable *dirty[2], *expected[2];

static int disk_no(const char *dst)
{
    return strcmp(dst, "vda") == 0 ? 0 : 1;
}

/* A guest write at a cluster-aligned offset, recorded as dirty. */
static bool w(const char *dst, const char *op, unsigned long long off, unsigned long long len)
{
    g_autofree char *cmd = g_strdup_printf("write %s %llu %llu", op, off, len);

    for (unsigned long long c = off / CLUSTER; c * CLUSTER < off + len; c++)
        g_hash_table_add(dirty[disk_no(dst)], GSIZE_TO_POINTER(c + 1));
    return gwrite(&t, dst, cmd);
}

/* A new checkpoint starts now: what was dirty is what the incremental must hold. */
static void checkpoint_now(void)
{
    for (int i = 0; i < 2; i++) {
        g_hash_table_unref(expected[i]);
        expected[i] = dirty[i];
        dirty[i] = g_hash_table_new(NULL, NULL);
    }
}

/* Whether the allocated clusters of image (qcow2, no backing) are exactly set. */
static bool holds_exactly(const char *image, GHashTable *set)
{
    g_autoptr(GArray) map = NULL;
    guint n = 0;

    if (qemu_img_map(image, "qcow2", QEMU_IMG_FORCE_SHARE, &map) < 0)
        return false;
    for (guint i = 0; i < map->len; i++) {
        const qemu_img_extent *e = &g_array_index(map, qemu_img_extent, i);
        if (!e->present || e->depth != 0)
            continue;
        for (unsigned long long c = e->start / CLUSTER; c * CLUSTER < e->start + e->length; c++, n++) {
            if (!g_hash_table_contains(set, GSIZE_TO_POINTER(c + 1))) {
                printf("  %s holds cluster %llu, not written since the checkpoint\n", image, c);
                return false;
            }
        }
    }
    if (n != g_hash_table_size(set))
        printf("  %s holds %u clusters, %u were written\n", image, n, g_hash_table_size(set));
    return n == g_hash_table_size(set);
}

/* <domainbackup> for both disks: targets TAG-DST.FMT, incremental from inc. */
static char *push_xml(const char *tag, const char *fmt, const char *inc)
{
    GString *x = g_string_new("<domainbackup mode='push'>");

    if (inc)
        g_string_append_printf(x, "<incremental>%s</incremental>", inc);
    g_string_append(x, "<disks>");
    for (size_t i = 0; i < t.ndisks; i++) {
        g_autofree char *target = in_dir("%s-%s.%s", tag, t.disks[i].dst, fmt);
        g_string_append_printf(x, "<disk name='%s' type='file'><driver type='%s'/><target file='%s'/></disk>",
                               t.disks[i].dst, fmt, target);
    }
    g_string_append(x, "</disks></domainbackup>");
    return g_string_free(x, FALSE);
}

static bool begin(const char *tag, const char *fmt, const char *inc, const char *new_ckpt, unsigned int flags)
{
    g_autofree char *xml = push_xml(tag, fmt, inc);
    g_autofree char *ck = new_ckpt ? g_strdup_printf("<domaincheckpoint><name>%s</name></domaincheckpoint>",
                                                     new_ckpt) : NULL;

    if (!refs_at(&t, tag))
        return false;
    if (virDomainBackupBegin(t.dom, xml, ck, flags) < 0) {
        printf("  backup %s: %s\n", tag, api_error());
        return false;
    }
    if (new_ckpt)
        checkpoint_now();
    return true;
}

static bool wait_success(const char *what)
{
    int type = -1, success = -1;
    g_autofree char *msg = NULL;
    bool ok = job_wait(t.dom, 60000, &type, &success, &msg) && type == VIR_DOMAIN_JOB_COMPLETED && success == 1;

    if (!ok)
        printf("  %s: type %d success %d '%s'\n", what, type, success, msg ? msg : "");
    return ok;
}

static bool target_same(const char *tag, const char *dst, const char *fmt)
{
    g_autofree char *target = in_dir("%s-%s.%s", tag, dst, fmt);
    g_autofree char *ref = ref_at(&t, dst, tag);

    return same_as(target, fmt, ref);
}

static void test_full(void)
{
    g_autofree char *got = NULL, *xml = NULL, *expect = NULL;
    virDomainJobInfo info;

    check("full: data on the disks", w("vda", "-P 0x01", 0, 12 * MiB) && w("sda", "-P 0x02", 0, 8 * MiB));
    qemu_backup_set_initial_speed(4 * MiB);
    check("full: begin, with checkpoint c1", begin("full", "qcow2", NULL, "c1", 0));
    qemu_backup_set_initial_speed(0);
    check("full: a job runs", virDomainGetJobInfo(t.dom, &info) == 0 && info.type == VIR_DOMAIN_JOB_UNBOUNDED &&
                                  info.fileTotal == 2 * SIZE && info.fileProcessed < info.fileTotal);
    xml = virDomainBackupGetXMLDesc(t.dom, 0);
    g_autofree char *target = in_dir("full-vda.qcow2");
    check("full: the backup's XML names the targets and nodes",
          xml && strstr(xml, target) && strstr(xml, "backupmode='full'") && strstr(xml, "index='"));
    check("full: a second backup is refused", virDomainBackupBegin(t.dom, "<domainbackup/>", NULL, 0) < 0);
    check_api_error("full: ... as libvirt says it", VIR_ERR_OPERATION_INVALID, "another backup job is already running");
    /* the guest writes during the job: what was copied, what was not yet, a hole */
    check("full: writes during the job", w("vda", "-P 0xa1", 0, 64 * 1024) && w("vda", "-P 0xa2", 11 * MiB, MiB) &&
                                             w("vda", "-P 0xa3", 14 * MiB, 128 * 1024) &&
                                             w("sda", "-P 0xa4", 4 * MiB, 64 * 1024) &&
                                             w("sda", "-z", 0, 64 * 1024));
    check("full: the job was still running", virDomainGetJobInfo(t.dom, &info) == 0 &&
                                                 info.type == VIR_DOMAIN_JOB_UNBOUNDED);
    qemu_domain_backup_set_speed(t.dom, 0);
    check("full: completed", wait_success("full"));
    got = events_take(5000);
    expect = g_strdup_printf("block:%s:5:0 block2:vda:5:0 block:%s:5:0 block2:sda:5:0 done:1: ",
                             t.disks[0].image, t.disks[1].image);
    check_str("full: events per disk, then the job's", got, expect);
    check("full: vda's backup is vda at the job's start", target_same("full", "vda", "qcow2"));
    check("full: sda's backup is sda at the job's start", target_same("full", "sda", "qcow2"));
    check("full: no job left", virDomainGetJobInfo(t.dom, &info) == 0 && info.type == VIR_DOMAIN_JOB_NONE);
}

static bool rebuild_and_compare(int rounds)
{
    bool ok = true;

    for (size_t i = 0; i < t.ndisks; i++) {
        const char *dst = t.disks[i].dst;
        g_autofree char *prev = in_dir("r-full-%s.qcow2", dst);
        g_autofree char *full = in_dir("full-%s.qcow2", dst);
        ok &= copy_file(full, prev);
        for (int k = 1; k <= rounds; k++) {
            g_autofree char *tag = g_strdup_printf("inc%d", k);
            g_autofree char *src = in_dir("%s-%s.qcow2", tag, dst);
            g_autofree char *copy = in_dir("r-%s-%s.qcow2", tag, dst);
            g_autofree char *ref = ref_at(&t, dst, tag);
            ok &= copy_file(src, copy) && qemu_img_rebase_unsafe(copy, prev, "qcow2") == 0 && same_as(copy, "qcow2", ref);
            g_free(prev);
            prev = g_steal_pointer(&copy);
        }
    }
    return ok;
}

static void test_incrementals(void)
{
    g_autofree char *got = NULL, *ref = NULL, *flat = NULL, *name = NULL;

    for (int k = 1; k <= 3; k++) {
        g_autofree char *tag = g_strdup_printf("inc%d", k);
        g_autofree char *from = g_strdup_printf("c%d", k), *next = g_strdup_printf("c%d", k + 1);
        g_autofree char *what = g_strdup_printf("inc%d: writes, then an incremental since %s with %s", k, from, next);
        bool writes = w("vda", k == 2 ? "-z" : "-P 0x5a", (unsigned long long)k * MiB, 192 * 1024) &&
                      w("vda", "-P 0x6b", 13 * MiB + (unsigned long long)k * CLUSTER, CLUSTER) &&
                      w("sda", "-P 0x7c", (unsigned long long)(3 * k) * MiB, 320 * 1024);
        check(what, writes && begin(tag, "qcow2", from, next, 0) && wait_success(tag));
        g_free(got);
        got = events_take(5000);
        check("  ... completed events", strstr(got, "done:1:") != NULL);
        for (size_t i = 0; i < t.ndisks; i++) {
            g_autofree char *target = in_dir("%s-%s.qcow2", tag, t.disks[i].dst);
            g_autofree char *m = g_strdup_printf("  ... %s holds exactly the clusters written since %s",
                                                 t.disks[i].dst, from);
            check(m, holds_exactly(target, expected[i]));
        }
    }
    check("chain: full + incrementals rebuilt (rebase -u) equal each instant", rebuild_and_compare(3));
    /* flatten one chain with commit: the full becomes the disk at inc3's instant */
    flat = in_dir("r-full-vda.qcow2");
    ref = ref_at(&t, "vda", "inc3");
    name = in_dir("r-inc3-vda.qcow2");
    g_autofree char *n2 = in_dir("r-inc2-vda.qcow2"), *n1 = in_dir("r-inc1-vda.qcow2");
    check("chain: qemu-img commit down to the full",
          qemu_img_commit(name, NULL, false) == 0 && qemu_img_commit(n2, NULL, false) == 0 &&
              qemu_img_commit(n1, NULL, false) == 0 && same_as(flat, "qcow2", ref));
}

static void test_differential_raw_reuse(void)
{
    g_autofree char *reuse = in_dir("reuse-vda.qcow2"), *reuse2 = in_dir("reuse-sda.qcow2");
    g_autofree char *xml = NULL, *got = NULL;

    check("diff: a write", w("vda", "-P 0x3c", 5 * MiB, MiB));
    check("diff: since c1 (older), no new checkpoint", begin("diff", "qcow2", "c1", NULL, 0) && wait_success("diff"));
    g_free(events_take(5000));
    g_autofree char *full = in_dir("full-vda.qcow2"), *copy = in_dir("r-diff-vda.qcow2"), *src = in_dir("diff-vda.qcow2");
    g_autofree char *base = in_dir("r-diff-base.qcow2");
    g_autofree char *ref = ref_at(&t, "vda", "diff");
    check("diff: full + differential equal the disk at its instant",
          copy_file(full, base) && copy_file(src, copy) && qemu_img_rebase_unsafe(copy, base, "qcow2") == 0 &&
              same_as(copy, "qcow2", ref));

    check("raw: a full backup to raw targets", begin("raw", "raw", NULL, NULL, 0) && wait_success("raw"));
    g_free(events_take(5000));
    check("raw: equal", target_same("raw", "vda", "raw") && target_same("raw", "sda", "raw"));

    xml = g_strdup_printf("<domainbackup><disks><disk name='vda' type='file'><target file='%s'/>"
                          "<driver type='qcow2'/></disk></disks></domainbackup>", reuse);
    check("reuse: a target that exists is refused", qemu_img_create_qcow2(reuse, SIZE, NULL, NULL) == 0 &&
                                                        virDomainBackupBegin(t.dom, xml, NULL, 0) < 0);
    check_api_error("reuse: ... as libvirt says it", VIR_ERR_INVALID_ARG, "exists");
    check("reuse: refs", refs_at(&t, "reuse"));
    check("reuse: REUSE_EXTERNAL uses it",
          virDomainBackupBegin(t.dom, xml, NULL, VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL) == 0 && wait_success("reuse"));
    got = events_take(5000);
    g_autofree char *expect = g_strdup_printf("block:%s:5:0 block2:vda:5:0 done:1: ", t.disks[0].image);
    check_str("reuse: one disk's events", got, expect);
    g_autofree char *r = ref_at(&t, "vda", "reuse");
    check("reuse: equal, and kept", same_as(reuse, "qcow2", r));
    g_free(xml);
    xml = g_strdup_printf("<domainbackup><disks><disk name='vda' type='file'><target file='%s'/>"
                          "<driver type='qcow2'/></disk></disks></domainbackup>", reuse2);
    check("reuse: a missing target is refused with REUSE_EXTERNAL",
          virDomainBackupBegin(t.dom, xml, NULL, VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL) < 0);
    check_api_error("reuse: ... saying so", VIR_ERR_INVALID_ARG, "does not exist");
}

static void test_abort(void)
{
    g_autofree char *got = NULL, *msg = NULL, *t1 = in_dir("abort-vda.qcow2"), *t2 = in_dir("abort-sda.qcow2");
    int type = -1, success = -1;

    qemu_backup_set_initial_speed(MiB);
    check("abort: an incremental since c4, slowed down", w("vda", "-P 0x99", 0, 4 * MiB) &&
                                                          begin("abort", "qcow2", "c4", NULL, 0));
    qemu_backup_set_initial_speed(0);
    check("abort: the targets exist meanwhile", exists(t1) && exists(t2));
    check("abort: abort", virDomainAbortJob(t.dom) == 0);
    check("abort: cancelled", job_wait(t.dom, 10000, &type, &success, &msg) && type == VIR_DOMAIN_JOB_CANCELLED &&
                                  success == 0);
    got = events_take(5000);
    check("abort: events say cancelled", strstr(got, "block2:vda:5:2") && strstr(got, "block2:sda:5:2") &&
                                             strstr(got, "done:0:"));
    check("abort: the targets are gone", !exists(t1) && !exists(t2));
    check("abort: no node or temporary bitmap left", nothing_left_in(t.dom, 4));
    check("abort: abort again: no job", virDomainAbortJob(t.dom) < 0);
    check_api_error("abort: ... as libvirt says it", VIR_ERR_OPERATION_INVALID, "no job is active on the domain");
}

static void test_errors(void)
{
    g_autofree char *xml = push_xml("err", "qcow2", "nope");

    check("errors: unknown checkpoint", virDomainBackupBegin(t.dom, xml, NULL, 0) < 0);
    check_api_error("errors: ... as libvirt says it", VIR_ERR_NO_DOMAIN_CHECKPOINT,
                    "Checkpoint 'nope' for incremental backup of disk 'vda' not found");
    g_autofree char *target = in_dir("err-vda.qcow2");
    check("errors: nothing was created", !exists(target));
    check("errors: destroy", virDomainDestroy(t.dom) == 0);
    check("errors: a shut-off domain", virDomainBackupBegin(t.dom, "<domainbackup/>", NULL, 0) < 0);
    check_api_error("errors: ... as libvirt says it", VIR_ERR_OPERATION_UNSUPPORTED,
                    "cannot perform disk backup for inactive domain");
}

int main(void)
{
    const char *dsts[] = { "vda", "sda", NULL };

    setup("backup");
    for (int i = 0; i < 2; i++) {
        dirty[i] = g_hash_table_new(NULL, NULL);
        expected[i] = g_hash_table_new(NULL, NULL);
    }
    if (check("a domain with two qcow2 disks", dom_make(&t, "bk", dsts, SIZE, false))) {
        test_full();
        test_incrementals();
        test_differential_raw_reuse();
        test_abort();
        test_errors();
    }
    dom_release(&t);
    for (int i = 0; i < 2; i++) {
        g_hash_table_unref(dirty[i]);
        g_hash_table_unref(expected[i]);
    }
    return finish();
}
