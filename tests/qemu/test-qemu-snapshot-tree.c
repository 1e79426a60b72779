/* Snapshot trees on real QEMU: a branching tree (snapshot, revert to an older one,
 * snapshot again), then deletes in every position — a leaf, a snapshot with one
 * child, one with two, the root, a subtree with CHILDREN, the descendants with
 * CHILDREN_ONLY — with the domain running and shut off, external and internal
 * and both mixed. After each delete every remaining snapshot is reverted to and
 * its disks compared with the references saved when it was taken; files nothing
 * needs are gone. */
#include "qemu-snapshot-test.h"

static char *dir;
static virConnectPtr conn;

typedef struct {
    const char *name;       /* domain name */
    bool running;           /* snapshots of the running domain */
    const char *extra[2];   /* XML inside <domainsnapshot> for even / odd snapshots */
    unsigned int flags[2];
} kind;

static const char *internal = "<disks><disk name='vda' snapshot='internal'/><disk name='sda' snapshot='internal'/></disks>";

static const char *const all_names[] = { "A", "B", "C", "D", "E", "F", "G", "H" };

static bool alive[G_N_ELEMENTS(all_names)];

static int index_of(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(all_names); i++)
        if (strcmp(all_names[i], name) == 0)
            return (int)i;
    return -1;
}

static unsigned int revert_flags(const kind *k)
{
    return k->running ? VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING : 0;
}

static bool snap(const vm *v, const kind *k, const char *name, int seed)
{
    int i = index_of(name);
    virDomainSnapshotPtr s;

    if (!vm_pattern(v, seed) || !(s = vm_snapshot(v, name, k->extra[i % 2], k->flags[i % 2])))
        return false;
    virDomainSnapshotFree(s);
    alive[i] = true;
    return vm_save_refs(v, name);
}

static bool go(const vm *v, const kind *k, const char *name)
{
    return vm_revert(v, name, revert_flags(k)) && vm_disks_equal(v, name) && vm_restore_refs(v, name);
}

/* Every remaining snapshot, reverted to: exact contents; then back to last. */
static bool verify_all(const vm *v, const kind *k, const char *last)
{
    bool ok = true;
    int n = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(all_names); i++) {
        if (!alive[i])
            continue;
        n++;
        if (!go(v, k, all_names[i])) {
            printf("  snapshot %s is not as it was\n", all_names[i]);
            ok = false;
        }
    }
    ok = ok && virDomainSnapshotNum(v->dom, 0) == n;
    return ok && (!last || go(v, k, last));
}

static bool del(const vm *v, const char *name, unsigned int flags)
{
    if (!vm_delete(v, name, flags))
        return false;
    if (!(flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY))
        alive[index_of(name)] = false;
    for (size_t i = 0; i < G_N_ELEMENTS(all_names); i++) {
        virDomainSnapshotPtr s = alive[i] ? virDomainSnapshotLookupByName(v->dom, all_names[i], 0) : NULL;
        if (alive[i] && !s)
            alive[i] = false;   /* a descendant deleted with it */
        if (s)
            virDomainSnapshotFree(s);
    }
    return true;
}

static char *parent_of(const vm *v, const char *name)
{
    virDomainSnapshotPtr s = virDomainSnapshotLookupByName(v->dom, name, 0), p = NULL;
    char *ret = NULL;

    if (s && (p = virDomainSnapshotGetParent(s, 0)))
        ret = g_strdup(virDomainSnapshotGetName(p));
    if (p)
        virDomainSnapshotFree(p);
    if (s)
        virDomainSnapshotFree(s);
    return ret ? ret : g_strdup("-");
}

static void run(const kind *k)
{
    vm *v = vm_new(conn, dir, k->name, false);
    g_autofree char *pc = NULL, *files = NULL;

    memset(alive, 0, sizeof(alive));
    printf("# %s\n", k->name);
    if (k->running)
        check("start", virDomainCreate(v->dom) == 0);
    /* A -> B -> C; A -> D -> E; B -> F */
    check("tree: A, B, C", snap(v, k, "A", 1) && snap(v, k, "B", 2) && snap(v, k, "C", 3));
    check("tree: back to A, D, E", go(v, k, "A") && snap(v, k, "D", 4) && snap(v, k, "E", 5));
    check("tree: back to B, F", go(v, k, "B") && snap(v, k, "F", 6));
    check("tree: the parents", (pc = parent_of(v, "F")) && strcmp(pc, "B") == 0);
    check("tree: a pattern nobody keeps", vm_pattern(v, 7));
    check("tree: every snapshot revertible", verify_all(v, k, "F"));

    check("delete a leaf (C)", del(v, "C", 0) && verify_all(v, k, "E"));
    check("delete one with a child (D)", del(v, "D", 0) && verify_all(v, k, "F"));
    g_free(pc);
    check("  E's parent is A now", (pc = parent_of(v, "E")) && strcmp(pc, "A") == 0);
    check("a branch point, G, H: A -> {B -> {F, G -> H}, E}",
          go(v, k, "B") && snap(v, k, "G", 8) && snap(v, k, "H", 9) && verify_all(v, k, "H"));
    check("delete one with two children (B)", del(v, "B", 0) && verify_all(v, k, "E"));
    check("delete the root (A) with children", del(v, "A", 0) && verify_all(v, k, "G"));
    check("delete G's descendants (CHILDREN_ONLY)",
          del(v, "G", VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY) && !alive[index_of("H")] &&
              verify_all(v, k, "F"));
    check("delete G with CHILDREN", del(v, "G", VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN) && verify_all(v, k, "E"));
    check("delete E, the current one", del(v, "E", 0) && vm_pattern(v, 10) && verify_all(v, k, NULL));
    check("delete F, the last", del(v, "F", 0) && virDomainSnapshotNum(v->dom, 0) == 0);
    files = vm_files(v, "vda.");
    check_str("everything merged back into the original images", files,
              "vda.qcow2 vda.ref vda.ref.A vda.ref.B vda.ref.C vda.ref.D vda.ref.E vda.ref.F vda.ref.G "
              "vda.ref.H");
    if (k->running)
        virDomainDestroy(v->dom);
    vm_free(v);
}

static void quiet(void *opaque, virErrorPtr err)
{
}

int main(int argc, char **argv)
{
    g_autofree char *root = NULL, *uri = NULL;
    const kind kinds[] = {
        { "ext-running", true, { NULL, NULL },
          { VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY } },
        { "ext-off", false, { NULL, NULL },
          { VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY } },
        { "int-running", true, { internal, internal },
          { VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY } },
        { "int-off", false, { NULL, NULL }, { 0, 0 } },
        { "mixed-off", false, { NULL, NULL }, { VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY, 0 } },
        { "mixed-running", true, { NULL, internal },
          { VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY } },
    };

    setvbuf(stdout, NULL, _IOLBF, 0);
    virSetErrorFunc(NULL, quiet);
    require_qemu();
    dir = make_tmpdir("vm-qemu-tree-XXXXXX");
    guardian_start(dir);
    root = g_build_filename(dir, "root", NULL);
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    if (!(conn = virConnectOpen(uri))) {
        printf("FAIL open: %s\n", api_error());
        return 1;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
        if (argc < 2 || strcmp(argv[1], kinds[i].name) == 0)
            run(&kinds[i]);
    virConnectClose(conn);
    check("no QEMU left running", kill_qemus_of(dir) == 0);
    remove_tree(dir);
    return failures ? 1 : 0;
}
