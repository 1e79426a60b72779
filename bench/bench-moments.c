/* The snapshot (and checkpoint) metadata benchmark: the same program is built twice,
 * against libvirt and against virtmoment, and run on test:///default. It prints one
 * line per operation: "kind shape op N total_seconds items". */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static int N;
static virDomainPtr dom;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void quiet(void *data, virErrorPtr err)
{
}

static void die(const char *what)
{
    fprintf(stderr, "bench: %s failed: %s\n", what, virGetLastErrorMessage());
    exit(1);
}

static void emit(const char *kind, const char *shape, const char *op, double seconds, int items)
{
    printf("%s %s %s %d %.9f %d\n", kind, shape, op, N, seconds, items);
    fflush(stdout);
}

#define REPS 5

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of REPS samples of fn, for operations that change nothing. fn times one
 * call (not the freeing of its result); a sample is the mean of as many calls as fit
 * in a millisecond, at least one: a single call of a fraction of a microsecond is
 * below what one clock_gettime pair can resolve. */
static double median(double (*fn)(void *), void *opaque)
{
    double t[REPS];

    for (int i = 0; i < REPS; i++) {
        double start = now(), sum = 0;
        int calls = 0;

        do {
            sum += fn(opaque);
            calls++;
        } while (now() - start < 1e-3);
        t[i] = sum / calls;
    }
    qsort(t, REPS, sizeof(t[0]), cmp_double);
    return t[REPS / 2];
}

/* A tiny deterministic generator, the same on both sides. */
static unsigned long long rnd_state;
static int rnd(int n)
{
    rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)((rnd_state >> 33) % (unsigned long long)n);
}

/* ---- snapshots ---- */

static virDomainSnapshotPtr snap_create(int i)
{
    char xml[96];
    virDomainSnapshotPtr s;

    snprintf(xml, sizeof(xml), "<domainsnapshot><name>s%d</name></domainsnapshot>", i);
    if (!(s = virDomainSnapshotCreateXML(dom, xml, 0)))
        die("snapshot create");
    return s;
}

static void free_snaps(virDomainSnapshotPtr *list, int n)
{
    for (int i = 0; i < n; i++)
        virDomainSnapshotFree(list[i]);
    free(list);
}

struct list_args {
    unsigned int flags;
    int expect;
    virDomainSnapshotPtr from;
};

static double snap_list_once(void *opaque)
{
    struct list_args *a = opaque;
    virDomainSnapshotPtr *list;
    double t = now();
    int n = a->from ? virDomainSnapshotListAllChildren(a->from, &list, a->flags)
                    : virDomainListAllSnapshots(dom, &list, a->flags);

    t = now() - t;
    if (n < 0 || (a->expect >= 0 && n != a->expect))
        die("listAllSnapshots");
    free_snaps(list, n);
    return t;
}

static double snap_list(unsigned int flags, int expect)
{
    struct list_args a = { flags, expect, NULL };
    return median(snap_list_once, &a);
}

static double snap_num_once(void *opaque)
{
    double t = now();
    int n = virDomainSnapshotNum(dom, 0);

    t = now() - t;
    if (n != N)
        die("snapshotNum");
    return t;
}

static double snap_names_once(void *opaque)
{
    char **names = opaque;
    double t = now();
    int n = virDomainSnapshotListNames(dom, names, N, 0);

    t = now() - t;
    for (int i = 0; i < n; i++)
        free(names[i]);
    return t;
}

static void snap_queries(const char *shape)
{
    virDomainSnapshotPtr *objs = calloc((size_t)N, sizeof(*objs));
    char **names = calloc((size_t)N, sizeof(char *));
    char name[32];
    double t;

    emit("snap", shape, "listAllSnapshots(0)", snap_list(0, N), 1);
    emit("snap", shape, "listAllSnapshots(TOPOLOGICAL)",
         snap_list(VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL, N), 1);
    emit("snap", shape, "listAllSnapshots(ROOTS)", snap_list(VIR_DOMAIN_SNAPSHOT_LIST_ROOTS, -1), 1);
    emit("snap", shape, "listAllSnapshots(LEAVES)", snap_list(VIR_DOMAIN_SNAPSHOT_LIST_LEAVES, -1), 1);
    emit("snap", shape, "snapshotNum", median(snap_num_once, NULL), 1);
    emit("snap", shape, "snapshotListNames", median(snap_names_once, names), 1);
    t = now();
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof(name), "s%d", i);
        if (!(objs[i] = virDomainSnapshotLookupByName(dom, name, 0)))
            die("lookup");
    }
    emit("snap", shape, "snapshotLookupByName_xN", now() - t, N);
    t = now();
    for (int i = 0; i < N; i++)
        free(virDomainSnapshotGetXMLDesc(objs[i], 0));
    emit("snap", shape, "getXMLDesc_xN", now() - t, N);
    t = now();
    for (int i = 1; i < N; i++)
        virDomainSnapshotFree(virDomainSnapshotGetParent(objs[i], 0));
    emit("snap", shape, "getParent_xN", now() - t, N - 1);
    {
        struct list_args a = { VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS, N - 1, objs[0] };
        emit("snap", shape, "root.listAllChildren(DESCENDANTS)", median(snap_list_once, &a), 1);
    }
    free_snaps(objs, N);
    free(names);
}

static void snap_delete_root_children(const char *shape)
{
    virDomainSnapshotPtr root = virDomainSnapshotLookupByName(dom, "s0", 0);
    double t = now();

    if (virDomainSnapshotDelete(root, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN) < 0)
        die("delete children");
    emit("snap", shape, "delete(root,CHILDREN)", now() - t, 1);
    virDomainSnapshotFree(root);
    if (virDomainSnapshotNum(dom, 0) != 0)
        die("everything deleted");
}

static void snap_delete_each(const char *shape, const char *order)
{
    virDomainSnapshotPtr *objs = calloc((size_t)N, sizeof(*objs));
    char name[32], op[64];
    double t;

    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof(name), "s%d", i);
        objs[i] = virDomainSnapshotLookupByName(dom, name, 0);
    }
    if (strcmp(order, "newest-first") == 0) {
        for (int i = 0; i < N / 2; i++) {
            virDomainSnapshotPtr tmp = objs[i];
            objs[i] = objs[N - 1 - i];
            objs[N - 1 - i] = tmp;
        }
    } else if (strcmp(order, "random") == 0) {
        rnd_state = 7;
        for (int i = N - 1; i > 0; i--) {
            int j = rnd(i + 1);
            virDomainSnapshotPtr tmp = objs[i];
            objs[i] = objs[j];
            objs[j] = tmp;
        }
    }
    t = now();
    for (int i = 0; i < N; i++)
        if (virDomainSnapshotDelete(objs[i], 0) < 0)
            die("delete");
    snprintf(op, sizeof(op), "delete_each_%s", order);
    emit("snap", shape, op, now() - t, N);
    free_snaps(objs, N);
}

static void snap_chain(void)
{
    double t = now();
    for (int i = 0; i < N; i++)
        virDomainSnapshotFree(snap_create(i));
    emit("snap", "chain", "snapshotCreateXML_xN", now() - t, N);
}

static void snap_wide(void)
{
    virDomainSnapshotPtr *objs = calloc((size_t)N, sizeof(*objs));
    double t_create = 0, t_revert = 0, t;

    rnd_state = 1;
    for (int i = 0; i < N; i++) {
        if (i >= 2) {
            t = now();
            if (virDomainRevertToSnapshot(objs[rnd(i)], 0) < 0)
                die("revert");
            t_revert += now() - t;
        }
        t = now();
        objs[i] = snap_create(i);
        t_create += now() - t;
    }
    emit("snap", "wide", "snapshotCreateXML_xN", t_create, N);
    emit("snap", "wide", "revertToSnapshot_xN", t_revert, N > 2 ? N - 2 : 0);
    free_snaps(objs, N);
}

static void snapshots(void)
{
    snap_chain();
    snap_queries("chain");
    snap_delete_root_children("chain");
    snap_chain();
    snap_delete_each("chain", "newest-first");
    snap_chain();
    snap_delete_each("chain", "oldest-first");
    snap_wide();
    snap_queries("wide");
    snap_delete_root_children("wide");
    snap_wide();
    snap_delete_each("wide", "random");
}

/* ---- checkpoints ---- */

static virDomainCheckpointPtr ckpt_create(int i, int parent)
{
    char xml[256];
    virDomainCheckpointPtr c;

    if (parent < 0) {
        snprintf(xml, sizeof(xml), "<domaincheckpoint><name>c%d</name></domaincheckpoint>", i);
        c = virDomainCheckpointCreateXML(dom, xml, 0);
    } else {
        /* A wide tree needs REDEFINE: checkpoints have no revert. */
        snprintf(xml, sizeof(xml),
                 "<domaincheckpoint><name>c%d</name><parent><name>c%d</name></parent>"
                 "<creationTime>%d</creationTime></domaincheckpoint>", i, parent, 1000 + i);
        c = virDomainCheckpointCreateXML(dom, xml, VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE);
    }
    if (!c)
        die("checkpoint create");
    return c;
}

static void free_ckpts(virDomainCheckpointPtr *list, int n)
{
    for (int i = 0; i < n; i++)
        virDomainCheckpointFree(list[i]);
    free(list);
}

struct ckpt_list_args {
    unsigned int flags;
    int expect;
    virDomainCheckpointPtr from;
};

static double ckpt_list_once(void *opaque)
{
    struct ckpt_list_args *a = opaque;
    virDomainCheckpointPtr *list;
    double t = now();
    int n = a->from ? virDomainCheckpointListAllChildren(a->from, &list, a->flags)
                    : virDomainListAllCheckpoints(dom, &list, a->flags);

    t = now() - t;
    if (n < 0 || (a->expect >= 0 && n != a->expect))
        die("listAllCheckpoints");
    free_ckpts(list, n);
    return t;
}

static void ckpt_list(const char *shape, const char *op, unsigned int flags, int expect)
{
    struct ckpt_list_args a = { flags, expect, NULL };
    emit("ckpt", shape, op, median(ckpt_list_once, &a), 1);
}

static void ckpt_queries(const char *shape)
{
    virDomainCheckpointPtr *objs = calloc((size_t)N, sizeof(*objs));
    char name[32];
    double t;

    ckpt_list(shape, "listAllCheckpoints(0)", 0, N);
    ckpt_list(shape, "listAllCheckpoints(TOPOLOGICAL)", VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL, N);
    ckpt_list(shape, "listAllCheckpoints(ROOTS)", VIR_DOMAIN_CHECKPOINT_LIST_ROOTS, -1);
    ckpt_list(shape, "listAllCheckpoints(LEAVES)", VIR_DOMAIN_CHECKPOINT_LIST_LEAVES, -1);
    t = now();
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof(name), "c%d", i);
        if (!(objs[i] = virDomainCheckpointLookupByName(dom, name, 0)))
            die("checkpoint lookup");
    }
    emit("ckpt", shape, "checkpointLookupByName_xN", now() - t, N);
    t = now();
    for (int i = 0; i < N; i++)
        free(virDomainCheckpointGetXMLDesc(objs[i], 0));
    emit("ckpt", shape, "getXMLDesc_xN", now() - t, N);
    t = now();
    for (int i = 1; i < N; i++)
        virDomainCheckpointFree(virDomainCheckpointGetParent(objs[i], 0));
    emit("ckpt", shape, "getParent_xN", now() - t, N - 1);
    {
        struct ckpt_list_args a = { VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS, N - 1, objs[0] };
        emit("ckpt", shape, "root.listAllChildren(DESCENDANTS)", median(ckpt_list_once, &a), 1);
    }
    free_ckpts(objs, N);
}

static void ckpt_build(const char *shape, bool wide)
{
    double t = now();

    rnd_state = 3;
    for (int i = 0; i < N; i++)
        virDomainCheckpointFree(ckpt_create(i, wide && i > 0 ? rnd(i) : -1));
    emit("ckpt", shape, "checkpointCreateXML_xN", now() - t, N);
}

static void ckpt_delete_root_children(const char *shape)
{
    virDomainCheckpointPtr root = virDomainCheckpointLookupByName(dom, "c0", 0);
    double t = now();

    if (virDomainCheckpointDelete(root, VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN) < 0)
        die("checkpoint delete children");
    emit("ckpt", shape, "delete(root,CHILDREN)", now() - t, 1);
    virDomainCheckpointFree(root);
    if (virDomainListAllCheckpoints(dom, NULL, 0) != 0)
        die("every checkpoint deleted");
}

static void ckpt_delete_each(const char *shape)
{
    virDomainCheckpointPtr *objs = calloc((size_t)N, sizeof(*objs));
    char name[32];
    double t;

    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof(name), "c%d", i);
        objs[i] = virDomainCheckpointLookupByName(dom, name, 0);
    }
    t = now();
    for (int i = 0; i < N; i++)
        if (virDomainCheckpointDelete(objs[i], 0) < 0)
            die("checkpoint delete");
    emit("ckpt", shape, "delete_each_oldest-first", now() - t, N);
    free_ckpts(objs, N);
}

static void checkpoints(void)
{
    ckpt_build("chain", false);
    ckpt_queries("chain");
    ckpt_delete_root_children("chain");
    ckpt_build("chain", false);
    ckpt_delete_each("chain");
    ckpt_build("wide", true);
    ckpt_queries("wide");
    ckpt_delete_root_children("wide");
}

int main(int argc, char **argv)
{
    virConnectPtr conn;

    const char *kinds = argc > 2 ? argv[2] : "snap,ckpt";

    if (argc < 2) {
        fprintf(stderr, "usage: %s N [snap,ckpt]\n", argv[0]);
        return 2;
    }
    N = atoi(argv[1]);
    virSetErrorFunc(NULL, quiet);
    if (!(conn = virConnectOpen("test:///default")) || !(dom = virDomainLookupByName(conn, "test")))
        die("open");
    /* libvirt's test driver refuses checkpoints while snapshots exist; the snapshot
     * phase leaves none. */
    if (strstr(kinds, "snap"))
        snapshots();
    if (strstr(kinds, "ckpt"))
        checkpoints();
    virDomainFree(dom);
    virConnectClose(conn);
    return 0;
}
