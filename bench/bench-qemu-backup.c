/* One round of the QEMU checkpoint and backup benchmark, built twice (against
 * virtmoment and against libvirt) so both do exactly the same calls: start the
 * domain, time checkpoint creates, a full push, a full pull read by nbdcopy, and
 * incremental pushes after 1% and 10% of the disk was rewritten by the guest, then
 * clean up (checkpoints deleted, domain destroyed). bench-qemu-backup.py runs the
 * rounds, alternating, and prints the table.
 *
 * usage: bench-qemu-backup-{virtmoment,libvirt} URI DOMAIN WORKDIR SEED
 * prints lines "NAME SECONDS BYTES" (BYTES: the data the step moved, 0 for none). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <glib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#ifdef BENCH_VIRTMOMENT
#include "drivers/qemu/qemu_driver.h"
#else
#include <libvirt/libvirt-qemu.h>
#endif

#define MiB (1024ULL * 1024)
#define CKPT_ROUNDS 5
#define PULL_READS 3

static const char *workdir;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static _Noreturn void die(const char *what)
{
    virErrorPtr e = virGetLastError();

    fprintf(stderr, "bench-qemu-backup: %s: %s\n", what, e && e->message ? e->message : "failed");
    exit(1);
}

static void emit(const char *name, double seconds, unsigned long long bytes)
{
    printf("%s %.6f %llu\n", name, seconds, bytes);
    fflush(stdout);
}

/* A guest write of len bytes of pattern at offset, through the disk's device. */
static void guest_write(virDomainPtr dom, int pattern, unsigned long long offset, unsigned long long len)
{
    g_autofree char *io = g_strdup_printf("write -P 0x%02x %llu %llu", pattern, offset, len);
#ifdef BENCH_VIRTMOMENT
    if (qemu_domain_qemu_io(dom, "vda", io) < 0)
        die("guest write");
#else
    g_autofree char *cmd = g_strdup_printf("qemu-io -d /machine/peripheral/virtio-disk0/virtio-backend \"%s\"", io);
    char *out = NULL;
    if (virDomainQemuMonitorCommand(dom, cmd, &out, VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP) < 0)
        die("guest write");
    free(out);
#endif
}

/* Rewrite `regions` distinct 1 MiB regions of the disk chosen by rng. */
static unsigned long long dirty(virDomainPtr dom, GRand *rng, unsigned long long disk, int regions, int pattern)
{
    guint n = disk / MiB;
    g_autofree gboolean *taken = g_new0(gboolean, n);

    for (int i = 0; i < regions; i++) {
        guint r;
        do
            r = g_rand_int_range(rng, 0, n);
        while (taken[r]);
        taken[r] = TRUE;
        guest_write(dom, pattern, r * MiB, MiB);
    }
    return regions * MiB;
}

static int fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY);
    int rc;

    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

/* Wait until the domain has no job; die unless the last one completed. */
static void wait_job(virDomainPtr dom, const char *what)
{
    virDomainJobInfo info;
    virTypedParameterPtr params = NULL;
    int nparams = 0, type = 0;

    for (;;) {
        if (virDomainGetJobInfo(dom, &info) < 0)
            die(what);
        if (info.type == VIR_DOMAIN_JOB_NONE)
            break;
        g_usleep(5000);
    }
    if (virDomainGetJobStats(dom, &type, &params, &nparams, VIR_DOMAIN_JOB_STATS_COMPLETED) < 0)
        die(what);
    virTypedParamsFree(params, nparams);
    if (type != VIR_DOMAIN_JOB_COMPLETED) {
        fprintf(stderr, "bench-qemu-backup: %s: the job did not complete (type %d)\n", what, type);
        exit(1);
    }
}

/* A push backup of vda to a new qcow2 target, incremental since `since` (or full),
 * with checkpoint `ckpt`; timed from the call until the target is on disk. */
static void push(virDomainPtr dom, const char *name, const char *since, const char *ckpt,
                 unsigned long long bytes)
{
    g_autofree char *target = g_strdup_printf("%s/%s.qcow2", workdir, name);
    g_autofree char *inc = since ? g_strdup_printf("<incremental>%s</incremental>", since) : g_strdup("");
    g_autofree char *xml = g_strdup_printf(
        "<domainbackup mode='push'>%s<disks><disk name='vda' backup='yes' type='file'>"
        "<driver type='qcow2'/><target file='%s'/></disk></disks></domainbackup>", inc, target);
    g_autofree char *ckxml = g_strdup_printf("<domaincheckpoint><name>%s</name></domaincheckpoint>", ckpt);
    double t0;

    unlink(target);
    t0 = now();
    if (virDomainBackupBegin(dom, xml, ckxml, 0) < 0)
        die(name);
    wait_job(dom, name);
    if (fsync_path(target) < 0)
        die(name);
    emit(name, now() - t0, bytes);
    if (!getenv("BENCH_KEEP"))
        unlink(target);
}

static void run_nbdcopy(const char *name, const char *uri, const char *to, unsigned long long bytes)
{
    const char *argv[] = { "nbdcopy", "--flush", uri, to, NULL };
    gint status = -1;
    double t0 = now();

    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL) ||
        !g_spawn_check_wait_status(status, NULL)) {
        fprintf(stderr, "bench-qemu-backup: %s: nbdcopy failed\n", name);
        exit(1);
    }
    emit(name, now() - t0, bytes);
}

/* A full pull backup over a UNIX socket, read whole by nbdcopy into null: (PULL_READS
 * times) and into a raw file beside the image (fsynced), then aborted. */
static void pull(virDomainPtr dom, unsigned long long disk)
{
    g_autofree char *sock = g_strdup_printf("%s/nbd.sock", workdir);
    g_autofree char *scratch = g_strdup_printf("%s/scratch.qcow2", workdir);
    g_autofree char *raw = g_strdup_printf("%s/pull.raw", workdir);
    g_autofree char *uri = g_strdup_printf("nbd+unix:///vda?socket=%s", sock);
    g_autofree char *xml = g_strdup_printf(
        "<domainbackup mode='pull'><server transport='unix' socket='%s'/><disks>"
        "<disk name='vda' backup='yes' type='file'><scratch file='%s'/></disk></disks></domainbackup>",
        sock, scratch);
    double t0 = now();

    if (virDomainBackupBegin(dom, xml, NULL, 0) < 0)
        die("pull begin");
    emit("pull_begin", now() - t0, 0);
    for (int i = 0; i < PULL_READS; i++)   /* single reads swing 1.5x: the round takes the median */
        run_nbdcopy("pull_null", uri, "null:", disk);
    unlink(raw);
    run_nbdcopy("pull_raw", uri, raw, disk);
    unlink(raw);
    t0 = now();
    if (virDomainAbortJob(dom) < 0)
        die("pull abort");
    emit("pull_end", now() - t0, 0);
    unlink(scratch);
}

static void checkpoints(virDomainPtr dom)
{
    virDomainCheckpointPtr root = NULL;

    for (int i = 0; i < CKPT_ROUNDS; i++) {
        g_autofree char *xml = g_strdup_printf("<domaincheckpoint><name>k%d</name></domaincheckpoint>", i);
        double t0 = now();
        virDomainCheckpointPtr c = virDomainCheckpointCreateXML(dom, xml, 0);
        if (!c)
            die("checkpoint create");
        emit("checkpoint_create", now() - t0, 0);
        if (i == 0)
            root = c;
        else
            virDomainCheckpointFree(c);
    }
    if (virDomainCheckpointDelete(root, VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN) < 0)
        die("checkpoint delete");
    virDomainCheckpointFree(root);
}

int main(int argc, char **argv)
{
    virConnectPtr conn;
    virDomainPtr dom;
    virDomainCheckpointPtr b0;
    g_autoptr(GRand) rng = NULL;
    unsigned long long disk = 2048 * MiB, n;
    double t0;

    if (argc != 5) {
        fprintf(stderr, "usage: %s URI DOMAIN WORKDIR SEED\n", argv[0]);
        return 2;
    }
    workdir = argv[3];
    rng = g_rand_new_with_seed(atoi(argv[4]));
    if (!(conn = virConnectOpen(argv[1])))
        die("connect");
    if (!(dom = virDomainLookupByName(conn, argv[2])))
        die("lookup");
    t0 = now();
    if (virDomainCreate(dom) < 0)
        die("start");
    emit("start", now() - t0, 0);

    checkpoints(dom);
    push(dom, "push_full", NULL, "b0", disk);
    pull(dom, disk);
    n = dirty(dom, rng, disk, 20, 0x11);
    push(dom, "push_inc_1pct", "b0", "b1", n);
    n = dirty(dom, rng, disk, 205, 0x22);
    push(dom, "push_inc_10pct", "b1", "b2", n);

    if (!(b0 = virDomainCheckpointLookupByName(dom, "b0", 0)) ||
        virDomainCheckpointDelete(b0, VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN) < 0)
        die("checkpoint delete");
    virDomainCheckpointFree(b0);
    if (virDomainDestroy(dom) < 0)
        die("destroy");
    virDomainFree(dom);
    virConnectClose(conn);
    return 0;
}
