/* A snapshot delete killed at each of its steps loses no snapshot: another process
 * (qemu-snapshot-helper, public API only) deletes a snapshot of a tree and dies at
 * step N (VIRTMOMENT_SNAPSHOT_CRASH_AFTER); this process then opens the root, reverts
 * to every other snapshot and finds exactly its data, and deleting the snapshot
 * again finishes the job. Shut off: every step of two deletes (a middle snapshot, the
 * root); running (QEMU lives on while the driver dies, a commit job may be in the
 * middle): every step of an active commit's delete, random steps of another. */
#include "qemu-snapshot-test.h"

#include <sys/wait.h>

static char *dir, *root, *uri, *helper;
static virConnectPtr conn;

static const char *const names[] = { "A", "B", "C", "D" };

static void quiet(void *opaque, virErrorPtr err)
{
}

static bool reconnect(vm *v)
{
    if (!(conn = virConnectOpen(uri)))
        return false;
    if (v->dom)
        virDomainFree(v->dom);
    v->dom = virDomainLookupByName(conn, v->name);
    return v->dom != NULL;
}

static void disconnect(vm *v)
{
    virDomainFree(v->dom);
    v->dom = NULL;
    virConnectClose(conn);
    conn = NULL;
}

static bool snap(vm *v, const char *name, int seed, bool running)
{
    virDomainSnapshotPtr s;

    if (!vm_pattern(v, seed) ||
        !(s = vm_snapshot(v, name, NULL, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY)))
        return false;
    virDomainSnapshotFree(s);
    return vm_save_refs(v, name);
}

/* A -> B -> C, A -> D, the domain on D's branch. */
static vm *build(const char *name, bool running)
{
    vm *v = vm_new(conn, dir, name, false);
    unsigned int rf = running ? VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING : 0;

    if (running && virDomainCreate(v->dom) < 0)
        return v;
    check("  tree", snap(v, "A", 1, running) && snap(v, "B", 2, running) && snap(v, "C", 3, running) &&
                        vm_revert(v, "A", rf) && vm_restore_refs(v, "A") && snap(v, "D", 4, running) &&
                        vm_pattern(v, 5));
    return v;
}

/* Every snapshot but target reverts to exactly its data. */
static bool verify(vm *v, const char *target, bool running)
{
    unsigned int rf = running ? VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING : 0;
    bool ok = true;

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        if (strcmp(names[i], target) == 0)
            continue;
        if (!vm_revert(v, names[i], rf) || !vm_disks_equal(v, names[i])) {
            printf("  snapshot %s lost\n", names[i]);
            ok = false;
        }
    }
    return ok;
}

/* Run the helper; its exit status. steps: a file where the driver logs its steps. */
static int run_helper(const vm *v, const char *target, unsigned int flags, int crash_after,
                      const char *steps)
{
    g_autofree char *f = g_strdup_printf("%u", flags), *n = g_strdup_printf("%d", crash_after);
    const char *argv[] = { helper, "delete", root, v->name, target, f, NULL };
    g_auto(GStrv) env = g_get_environ();
    g_autofree char *out = NULL;
    int status = -1;

    if (crash_after > 0)
        env = g_environ_setenv(env, "VIRTMOMENT_SNAPSHOT_CRASH_AFTER", n, TRUE);
    if (steps)
        env = g_environ_setenv(env, "VIRTMOMENT_SNAPSHOT_STEPS", steps, TRUE);
    if (!g_spawn_sync(NULL, (char **)argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, NULL))
        return -1;
    if (out && *out)
        printf("  helper: %s", out);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int count_lines(const char *path)
{
    g_autofree char *text = NULL;
    int n = 0;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

/* After the crash: nothing lost; the delete finishes when asked again. */
static void after_crash(vm *v, const char *target, unsigned int flags, int n, bool running)
{
    g_autofree char *what = g_strdup_printf("  killed at step %d: reopen", n);
    virDomainSnapshotPtr s;

    if (!check(what, reconnect(v)))
        return;
    check("    every other snapshot is there and exact", virDomainSnapshotNum(v->dom, 0) >= 3 &&
                                                           verify(v, target, running));
    s = virDomainSnapshotLookupByName(v->dom, target, 0);
    if (s) {
        g_autofree char *xml = virDomainSnapshotGetXMLDesc(s, 0);
        check("    the target is still listed: deleting it again finishes",
              virDomainSnapshotDelete(s, flags) == 0 && verify(v, target, running));
        if (n > 1 && xml && !strstr(xml, "snapshotDeleteInProgress"))
            printf("    (the crash came before the delete began)\n");
        virDomainSnapshotFree(s);
    }
    check("    the target is gone, the others remain", virDomainSnapshotNum(v->dom, 0) == 3);
}

static void restore(const char *from, const char *to)
{
    const char *rm[] = { "rm", "-rf", to, NULL }, *cp[] = { "cp", "-a", from, to, NULL };

    run_tool(rm);
    run_tool(cp);
}

static void offline(const char *target, unsigned int flags)
{
    g_autofree char *name = g_strdup_printf("off-%s", target);
    g_autofree char *vdir = g_build_filename(dir, name, NULL);
    g_autofree char *vtpl = g_strconcat(vdir, ".tpl", NULL), *rtpl = g_strconcat(root, ".tpl", NULL);
    g_autofree char *steps = g_build_filename(dir, "steps.log", NULL);
    vm *v;
    int total;

    printf("# shut off, delete %s (flags %u), killed at every step\n", target, flags);
    conn = virConnectOpen(uri);
    v = build(name, false);
    disconnect(v);
    restore(vdir, vtpl);
    restore(root, rtpl);
    unlink(steps);
    check("  a delete without a crash", run_helper(v, target, flags, 0, steps) == 0);
    total = count_lines(steps);
    check("  it has steps", total > 3);
    for (int n = 1; n <= total; n++) {
        restore(vtpl, vdir);
        restore(rtpl, root);
        if (!check("  the helper dies at its step", run_helper(v, target, flags, n, NULL) == 99))
            continue;
        after_crash(v, target, flags, n, false);
        disconnect(v);
    }
    vm_free(v);
}

static void online(const char *target, unsigned int flags, int tries)
{
    g_autofree char *steps = g_build_filename(dir, "steps-on.log", NULL), *text = NULL;
    g_autofree char *first = g_strdup_printf("on-%s-0", target);
    g_auto(GStrv) lines = NULL;
    int total, ready = 0;
    vm *v;

    printf("# running, delete %s (flags %u), killed at %s\n", target, flags,
           tries < 0 ? "every step" : "random steps");
    conn = virConnectOpen(uri);
    v = build(first, true);
    disconnect(v);
    unlink(steps);
    check("  a delete without a crash", run_helper(v, target, flags, 0, steps) == 0);
    total = count_lines(steps);
    g_file_get_contents(steps, &text, NULL, NULL);
    lines = g_strsplit(text ? text : "", "\n", -1);
    for (int i = 0; lines[i]; i++)
        if (strstr(lines[i], " job-ready"))
            ready = i + 1;
    reconnect(v);
    virDomainDestroy(v->dom);
    disconnect(v);
    vm_free(v);
    if (tries < 0)
        tries = total;
    for (int t = 0; t < tries && total > 0; t++) {
        int n = tries == total ? t + 1 : t == 0 && ready ? ready : g_random_int_range(1, total + 1);
        g_autofree char *name = g_strdup_printf("on-%s-%d", target, t + 1);
        conn = virConnectOpen(uri);
        v = build(name, true);
        disconnect(v);
        if (check("  the helper dies at its step", run_helper(v, target, flags, n, NULL) == 99))
            after_crash(v, target, flags, n, true);
        if (v->dom)
            virDomainDestroy(v->dom);
        disconnect(v);
        vm_free(v);
    }
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) {
        printf("usage: %s HELPER\n", argv[0]);
        return 1;
    }
    helper = argv[1];
    virSetErrorFunc(NULL, quiet);
    require_qemu();
    dir = make_tmpdir("vm-qemu-crash-XXXXXX");
    guardian_start(dir);
    root = g_build_filename(dir, "root", NULL);
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    offline("B", 0);
    offline("A", 0);
    online("B", 0, 4);
    online("D", 0, -1);
    check("no QEMU left running", kill_qemus_of(dir) == 0);
    remove_tree(dir);
    return failures ? 1 : 0;
}
