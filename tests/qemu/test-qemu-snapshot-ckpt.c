/* Snapshots meet checkpoints, on real QEMU and real images, two disks: incremental
 * push backups since a checkpoint older than an external snapshot, taken while the
 * domain runs and while it is shut off, rebuilt (full + incrementals, qemu-img
 * rebase -u) equal the disks exactly; so they do after the snapshot is deleted (its
 * overlay merged down: block-commit running, qemu-img commit shut off) and after a
 * revert to an external snapshot (where a checkpoint younger than the snapshot is
 * refused as broken) and after a snapshot whose overlay is not the top is deleted
 * (intermediate commit); an internal revert while checkpoints exist is refused before
 * anything changes; no snapshot while a backup runs. */
#include "drivers/qemu/qemu_backup.h"
#include "drivers/qemu/qemu_img.h"
#include "backup-test.h"

#define SIZE (16 * MiB)
#define CLUSTER 65536

static tvm t;
static char *top[2];             /* each disk's current top image */
static GHashTable *dirty[2];     /* clusters written since the newest checkpoint */
static GHashTable *expected[2];  /* ... and since the one before: what an incremental holds */
static GPtrArray *chain;         /* backup tags: "full", then the incrementals */

/* A write, through QEMU when the domain runs, else with qemu-io on the top image;
 * and on the reference. */
static bool w(int i, const char *op, unsigned long long off, unsigned long long len)
{
    g_autofree char *cmd = g_strdup_printf("write %s %llu %llu", op, off, len);

    for (unsigned long long c = off / CLUSTER; c * CLUSTER < off + len; c++)
        g_hash_table_add(dirty[i], GSIZE_TO_POINTER(c + 1));
    if (virDomainIsActive(t.dom) == 1)
        return gwrite(&t, t.disks[i].dst, cmd);
    return reference_write(top[i], "qcow2", cmd) && reference_write(t.disks[i].ref, "raw", cmd);
}

static bool writes(int seed)
{
    unsigned long long off = (unsigned long long)seed * 3 * CLUSTER;
    g_autofree char *p1 = g_strdup_printf("-P 0x%02x", 0x10 + seed), *p2 = g_strdup_printf("-P 0x%02x", 0x80 + seed);

    return w(0, p1, off, 2 * CLUSTER) && w(0, "-z", 12 * MiB + off, CLUSTER) &&
           w(1, p2, 2 * MiB + off, 3 * CLUSTER);
}

static char *push_xml(const char *tag, const char *inc)
{
    GString *x = g_string_new("<domainbackup mode='push'>");

    if (inc)
        g_string_append_printf(x, "<incremental>%s</incremental>", inc);
    g_string_append(x, "<disks>");
    for (size_t i = 0; i < t.ndisks; i++) {
        g_autofree char *target = in_dir("%s-%s.qcow2", tag, t.disks[i].dst);
        g_string_append_printf(x, "<disk name='%s' type='file'><driver type='qcow2'/><target file='%s'/></disk>",
                               t.disks[i].dst, target);
    }
    g_string_append(x, "</disks></domainbackup>");
    return g_string_free(x, FALSE);
}

/* A push backup (incremental since inc unless NULL) creating checkpoint ckpt,
 * waited for; its tag joins the chain. */
static bool backup(const char *tag, const char *inc, const char *ckpt)
{
    g_autofree char *xml = push_xml(tag, inc);
    g_autofree char *ck = g_strdup_printf("<domaincheckpoint><name>%s</name></domaincheckpoint>", ckpt);
    int type = -1, success = -1;
    g_autofree char *msg = NULL;

    if (!refs_at(&t, tag))
        return false;
    if (virDomainBackupBegin(t.dom, xml, ck, 0) < 0) {
        printf("  backup %s: %s\n", tag, api_error());
        return false;
    }
    for (int i = 0; i < 2; i++) {
        g_hash_table_unref(expected[i]);
        expected[i] = dirty[i];
        dirty[i] = g_hash_table_new(NULL, NULL);
    }
    if (!job_wait(t.dom, 60000, &type, &success, &msg) || type != VIR_DOMAIN_JOB_COMPLETED || success != 1) {
        printf("  backup %s: type %d success %d '%s'\n", tag, type, success, msg ? msg : "");
        return false;
    }
    g_free(events_take(5000));
    g_ptr_array_add(chain, g_strdup(tag));
    return true;
}

/* The chain's backups of each disk stacked (copies, rebase -u) equal the disk at
 * each backup's instant. */
static bool chain_rebuilds(void)
{
    bool ok = true;

    for (size_t i = 0; i < t.ndisks; i++) {
        g_autofree char *prev = NULL;
        for (guint k = 0; k < chain->len; k++) {
            const char *tag = chain->pdata[k];
            g_autofree char *src = in_dir("%s-%s.qcow2", tag, t.disks[i].dst);
            g_autofree char *copy = in_dir("r-%s-%s.qcow2", tag, t.disks[i].dst);
            g_autofree char *ref = ref_at(&t, t.disks[i].dst, tag);
            ok &= copy_file(src, copy) && (!prev || qemu_img_rebase_unsafe(copy, prev, "qcow2") == 0) &&
                  same_as(copy, "qcow2", ref);
            g_free(prev);
            prev = g_steal_pointer(&copy);
        }
    }
    return ok;
}

/* Whether the incremental tag of disk i holds exactly the clusters written between
 * its checkpoint and its start. */
static bool holds_exactly(const char *tag, int i)
{
    GHashTable *set = expected[i];
    g_autofree char *image = in_dir("%s-%s.qcow2", tag, t.disks[i].dst);
    g_autoptr(GArray) map = NULL;
    guint n = 0;

    if (qemu_img_map(image, "qcow2", QEMU_IMG_FORCE_SHARE, &map) < 0)
        return false;
    for (guint k = 0; k < map->len; k++) {
        const qemu_img_extent *e = &g_array_index(map, qemu_img_extent, k);
        for (unsigned long long c = e->start / CLUSTER; e->present && e->depth == 0 && c * CLUSTER < e->start + e->length;
             c++, n++) {
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

/* An external disk-only snapshot of both disks onto NAME-DST.qcow2. */
static bool external(const char *name)
{
    GString *x = g_string_new(NULL);
    virDomainSnapshotPtr s;

    g_string_append_printf(x, "<domainsnapshot><name>%s</name><disks>", name);
    for (int i = 0; i < 2; i++) {
        g_autofree char *overlay = in_dir("%s-%s.qcow2", name, t.disks[i].dst);
        g_string_append_printf(x, "<disk name='%s' snapshot='external'><source file='%s'/></disk>",
                               t.disks[i].dst, overlay);
        g_free(top[i]);
        top[i] = g_steal_pointer(&overlay);
    }
    g_string_append(x, "</disks></domainsnapshot>");
    s = virDomainSnapshotCreateXML(t.dom, x->str, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    g_string_free(x, TRUE);
    if (!s) {
        printf("  snapshot %s: %s\n", name, api_error());
        return false;
    }
    virDomainSnapshotFree(s);
    return true;
}

static bool snapshot_op(const char *name, bool del, unsigned int flags)
{
    virDomainSnapshotPtr s = virDomainSnapshotLookupByName(t.dom, name, 0);
    int rc = !s ? -1 : del ? virDomainSnapshotDelete(s, flags) : virDomainRevertToSnapshot(s, flags);

    if (rc < 0)
        printf("  %s %s: %s\n", del ? "delete" : "revert", name, api_error());
    if (s)
        virDomainSnapshotFree(s);
    return rc == 0;
}

static gint cmp_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The bitmaps of image (shut off), sorted, comma-separated. */
static char *bitmaps_of(const char *image)
{
    g_autoptr(qemu_img_info) info = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new();

    if (qemu_img_get_info(image, "qcow2", 0, &info) < 0)
        return g_strdup("(error)");
    for (guint i = 0; info->bitmaps && i < info->bitmaps->len; i++)
        g_ptr_array_add(names, ((qemu_img_bitmap *)info->bitmaps->pdata[i])->name);
    g_ptr_array_sort(names, cmp_names);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(",", (char **)names->pdata);
}

/* A slow full backup is running: a snapshot is refused; the backup aborted. */
static bool refused_during_backup(void)
{
    g_autofree char *xml = push_xml("busy", NULL);
    virDomainSnapshotPtr s;
    int type = -1, success = -1;
    bool begun;

    qemu_backup_set_initial_speed(MiB);
    begun = virDomainBackupBegin(t.dom, xml, NULL, 0) == 0;
    qemu_backup_set_initial_speed(0);
    if (!begun)
        return false;
    s = virDomainSnapshotCreateXML(t.dom, "<domainsnapshot><name>busy</name></domainsnapshot>",
                                   VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    check_api_error("running: a snapshot is refused while a backup runs", VIR_ERR_OPERATION_INVALID,
                    "cannot create snapshot 'busy' while a backup job is running");
    if (s)
        virDomainSnapshotFree(s);
    return !s && virDomainAbortJob(t.dom) == 0 && job_wait(t.dom, 10000, &type, &success, NULL) &&
           type == VIR_DOMAIN_JOB_CANCELLED;
}

/* The top images equal the references (the domain paused meanwhile: stop flushes). */
static bool tops_equal(void)
{
    bool ok = virDomainIsActive(t.dom) != 1 || virDomainSuspend(t.dom) == 0;

    for (int i = 0; ok && i < 2; i++)
        ok &= same_as(top[i], "qcow2", t.disks[i].ref);
    if (virDomainIsActive(t.dom) == 1 && virDomainResume(t.dom) < 0)
        ok = false;
    return ok;
}

static char *checkpoint_xml(const char *name)
{
    virDomainCheckpointPtr c = virDomainCheckpointLookupByName(t.dom, name, 0);
    char *xml = c ? virDomainCheckpointGetXMLDesc(c, 0) : NULL;

    if (c)
        virDomainCheckpointFree(c);
    return xml;
}

/* Running: checkpoint c1 (with the full backup), an external snapshot, the
 * incremental since c1; the snapshot deleted (active commit), since c2. */
static void test_running(void)
{
    g_autofree char *o0 = in_dir("s1-vda.qcow2"), *o1 = in_dir("s1-sda.qcow2");

    check("running: data, full backup with checkpoint c1", writes(1) && backup("full", NULL, "c1"));
    check("running: writes, external snapshot s1, writes", writes(2) && external("s1") && writes(3));
    check("running: incremental since c1 with c2", backup("inc1", "c1", "c2"));
    /* dirty since c1: the writes of rounds 2 and 3 (the set was emptied at c1) */
    check("running: full + inc1 rebuilt equal the disks", chain_rebuilds());
    check("running: ... holds exactly the clusters written since c1",
          holds_exactly("inc1", 0) && holds_exactly("inc1", 1));
    check("running: no snapshot while a backup runs; abort it", refused_during_backup());
    g_free(events_take(2000));
    check("running: writes, delete s1 (its overlays merge down, bitmaps with them)",
          writes(4) && snapshot_op("s1", true, 0) && !exists(o0) && !exists(o1));
    g_free(top[0]), top[0] = g_strdup(t.disks[0].image);
    g_free(top[1]), top[1] = g_strdup(t.disks[1].image);
    check("running: writes, incremental since c2 (created in the overlay) with c3",
          writes(5) && backup("inc2", "c2", "c3"));
    check("running: full + inc1 + inc2 rebuilt equal the disks", chain_rebuilds());
}

/* Shut off: an external snapshot carries the bitmaps with qemu-img; after it, the
 * incremental since c3; the snapshot deleted shut off (qemu-img commit). */
static void test_shut_off(void)
{
    g_autofree char *bm = NULL, *bm2 = NULL;

    check("shut off: destroy, writes, external snapshot s2, writes",
          virDomainDestroy(t.dom) == 0 && writes(6) && external("s2") && writes(7));
    bm = bitmaps_of(top[0]);
    check_str("shut off: the overlay carries the checkpoints' bitmaps", bm, "c1,c2,c3");
    check("shut off: start, writes, incremental since c3 with c4",
          virDomainCreate(t.dom) == 0 && writes(8) && backup("inc3", "c3", "c4"));
    check("shut off: ... holds exactly the clusters written since c3 (offline ones too)",
          holds_exactly("inc3", 0) && holds_exactly("inc3", 1));
    check("shut off: full + inc1..inc3 rebuilt equal the disks", chain_rebuilds());
    check("shut off: destroy, writes, delete s2 (qemu-img commit)",
          virDomainDestroy(t.dom) == 0 && writes(9) && snapshot_op("s2", true, 0) && !exists(top[0]));
    g_free(top[0]), top[0] = g_strdup(t.disks[0].image);
    g_free(top[1]), top[1] = g_strdup(t.disks[1].image);
    bm2 = bitmaps_of(top[1]);
    check_str("shut off: the base holds the checkpoints' bitmaps", bm2, "c1,c2,c3,c4");
    check("shut off: writes, start, writes, incremental since c4 with c5",
          writes(10) && virDomainCreate(t.dom) == 0 && writes(11) && backup("inc4", "c4", "c5"));
    check("shut off: full + inc1..inc4 rebuilt equal the disks", chain_rebuilds());
}

/* Revert to an external snapshot: the checkpoints older than it continue, younger
 * ones are refused as broken. */
static void test_revert_external(void)
{
    virDomainCheckpointPtr c6 = NULL;
    g_autofree char *xml = push_xml("bad", "c6");
    bool ok;

    check("revert: writes, external snapshot s3", writes(12) && refs_at(&t, "s3") && external("s3"));
    check("revert: writes, checkpoint c6 (younger than s3), writes",
          writes(13) &&
              (c6 = virDomainCheckpointCreateXML(t.dom, "<domaincheckpoint><name>c6</name></domaincheckpoint>", 0)) &&
              writes(14));
    check("revert: to s3", snapshot_op("s3", false, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING));
    ok = true;
    for (int i = 0; i < 2; i++) {
        g_autofree char *saved = ref_at(&t, t.disks[i].dst, "s3");
        ok &= copy_file(saved, t.disks[i].ref);
    }
    for (int i = 0; i < 2; i++) {
        g_free(top[i]);
        top[i] = in_dir("s3-%s.qcow2.1", t.disks[i].dst);
    }
    check("revert: the disks are back at s3, on new overlays", ok && tops_equal());
    check("revert: a backup since c6 is refused", virDomainBackupBegin(t.dom, xml, NULL, 0) < 0);
    check_api_error("revert: ... c6's bitmap is not on the reverted disks", VIR_ERR_CHECKPOINT_INCONSISTENT,
                    "c6");
    check("revert: writes, incremental since c5 (older than s3) with c7", writes(15) && backup("inc5", "c5", "c7"));
    check("revert: full + inc1..inc5 rebuilt equal the disks", chain_rebuilds());
    if (c6)
        virDomainCheckpointFree(c6);
}

/* An internal revert while checkpoints exist: refused up front, nothing changed. */
static void test_internal_refused(void)
{
    virDomainSnapshotPtr i1 = NULL, cur = NULL;
    g_autofree char *before = NULL, *after = NULL;
    unsigned int id;

    i1 = virDomainSnapshotCreateXML(t.dom, "<domainsnapshot><name>i1</name></domainsnapshot>", 0);
    check("internal: a snapshot with memory (checkpoints present)", i1 != NULL);
    check("internal: writes", writes(16));
    before = checkpoint_xml("c7");
    id = virDomainGetID(t.dom);
    check("internal: revert to i1 is refused", i1 && virDomainRevertToSnapshot(i1, 0) < 0);
    check_api_error("internal: ... saying why and what to do", VIR_ERR_OPERATION_UNSUPPORTED,
                    "cannot revert to internal snapshot 'i1' while the domain has 7 checkpoint(s): a revert would "
                    "make them wrong, and QEMU cannot load internal snapshots of disks carrying dirty bitmaps; "
                    "delete the checkpoints first");
    check("internal: the domain runs on, same QEMU", virDomainIsActive(t.dom) == 1 && virDomainGetID(t.dom) == id &&
                                                         wait_state(t.dom, VIR_DOMAIN_RUNNING, -1, 1000));
    check("internal: the disks are unchanged", tops_equal());
    cur = virDomainSnapshotCurrent(t.dom, 0);
    check("internal: i1 is still the current snapshot",
          cur && strcmp(virDomainSnapshotGetName(cur), "i1") == 0);
    after = checkpoint_xml("c7");
    check("internal: the checkpoints are unchanged", before && after && strcmp(before, after) == 0 &&
                                                         virDomainListAllCheckpoints(t.dom, NULL, 0) == 7);
    check("internal: the checkpoints still work", writes(17) && backup("inc6", "c7", "c8") && chain_rebuilds());
    if (cur)
        virDomainSnapshotFree(cur);
    if (i1)
        virDomainSnapshotFree(i1);
}

/* A layer merged while it is not the top (intermediate commit, running): the bitmap
 * of a checkpoint younger than the deleted snapshot is added below while the job
 * waits at PENDING. */
static void test_intermediate(void)
{
    virDomainSnapshotPtr i1 = virDomainSnapshotLookupByName(t.dom, "i1", 0);
    g_autofree char *m1_0 = in_dir("m1-vda.qcow2"), *m1_1 = in_dir("m1-sda.qcow2");

    check("intermediate: delete i1 (nothing pins the reverted overlay but m1 soon)",
          i1 && virDomainSnapshotDelete(i1, 0) == 0);
    check("intermediate: external snapshot m1, writes, incremental since c8 with cm (in m1's overlays only)",
          external("m1") && writes(18) && backup("incm1", "c8", "cm"));
    check("intermediate: writes, external snapshot m2, writes", writes(19) && external("m2") && writes(20));
    check("intermediate: delete m1 (its overlays merge down below m2's)",
          snapshot_op("m1", true, 0) && !exists(m1_0) && !exists(m1_1));
    check("intermediate: writes, incremental since cm with c9", writes(21) && backup("incm2", "cm", "c9"));
    check("intermediate: full + every incremental rebuilt equal the disks", chain_rebuilds());
    if (i1)
        virDomainSnapshotFree(i1);
}

int main(void)
{
    const char *dsts[] = { "vda", "sda", NULL };

    setup("snapckpt");
    chain = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < 2; i++) {
        dirty[i] = g_hash_table_new(NULL, NULL);
        expected[i] = g_hash_table_new(NULL, NULL);
    }
    if (check("a domain with two qcow2 disks", dom_make(&t, "sc", dsts, SIZE, false))) {
        top[0] = g_strdup(t.disks[0].image);
        top[1] = g_strdup(t.disks[1].image);
        test_running();
        test_shut_off();
        test_revert_external();
        test_internal_refused();
        test_intermediate();
        check("destroy", virDomainDestroy(t.dom) == 0);
    }
    dom_release(&t);
    for (int i = 0; i < 2; i++) {
        g_hash_table_unref(dirty[i]);
        g_hash_table_unref(expected[i]);
        g_free(top[i]);
    }
    g_ptr_array_unref(chain);
    return finish();
}
