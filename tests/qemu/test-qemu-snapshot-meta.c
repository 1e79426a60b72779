/* Snapshot metadata on real QEMU: it survives closing and reopening the root (the
 * domain running on, taken over), byte for byte; METADATA_ONLY leaves every file
 * alone; REDEFINE brings the snapshots back when their files exist (and refuses
 * when they do not) and they revert exactly; undefine needs SNAPSHOTS_METADATA. */
#include "qemu-snapshot-test.h"

static char *dir, *uri;
static virConnectPtr conn;

static void quiet(void *opaque, virErrorPtr err)
{
}

static const char *const names[] = { "e1", "i1", "e2" };

/* name -> XML of every snapshot, and the current one, as a string. */
static char *dump(const vm *v)
{
    GString *out = g_string_new(NULL);
    virDomainSnapshotPtr cur = virDomainSnapshotCurrent(v->dom, 0);

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        virDomainSnapshotPtr s = virDomainSnapshotLookupByName(v->dom, names[i], 0);
        g_autofree char *xml = s ? virDomainSnapshotGetXMLDesc(s, VIR_DOMAIN_SNAPSHOT_XML_SECURE) : NULL;
        g_string_append_printf(out, "%s\n", xml ? xml : "(none)");
        if (s)
            virDomainSnapshotFree(s);
    }
    g_string_append_printf(out, "current %s\n", cur ? virDomainSnapshotGetName(cur) : "-");
    if (cur)
        virDomainSnapshotFree(cur);
    return g_string_free(out, FALSE);
}

static bool all_exact(const vm *v)
{
    bool ok = true;

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        ok &= vm_revert(v, names[i], VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING) && vm_disks_equal(v, names[i]);
    return ok;
}

static bool reopen(vm *v)
{
    virDomainFree(v->dom);
    virConnectClose(conn);
    if (!(conn = virConnectOpen(uri)))
        return false;
    v->dom = virDomainLookupByName(conn, v->name);
    return v->dom != NULL;
}

int main(int argc, char **argv)
{
    g_autofree char *root = NULL, *before = NULL, *after = NULL, *files = NULL, *files2 = NULL;
    const char *internal = "<disks><disk name='vda' snapshot='internal'/><disk name='sda' snapshot='internal'/></disks>";
    char *xmls[G_N_ELEMENTS(names)] = { NULL };
    virDomainSnapshotPtr s;
    vm *v;

    setvbuf(stdout, NULL, _IOLBF, 0);
    virSetErrorFunc(NULL, quiet);
    require_qemu();
    dir = make_tmpdir("vm-qemu-snapmeta-XXXXXX");
    guardian_start(dir);
    root = g_build_filename(dir, "root", NULL);
    uri = g_strdup_printf("qemu:///embed?root=%s", root);
    if (!(conn = virConnectOpen(uri)))
        return 1;
    v = vm_new(conn, dir, "meta", false);
    check("three snapshots of a running domain, external and internal",
          virDomainCreate(v->dom) == 0 && vm_pattern(v, 1) &&
              vm_take(v, "e1", NULL, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY) && vm_save_refs(v, "e1") &&
              vm_pattern(v, 2) && vm_take(v, "i1", internal, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY) &&
              vm_save_refs(v, "i1") && vm_pattern(v, 3) &&
              vm_take(v, "e2", NULL, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY) && vm_save_refs(v, "e2"));
    before = dump(v);
    check("reopen the root: the domain is taken over", reopen(v) && vm_state(v, NULL) == VIR_DOMAIN_RUNNING);
    after = dump(v);
    check_str("  the same snapshots, XML byte for byte, the same current one", after, before);
    check("  every one reverts exactly", all_exact(v));

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        s = virDomainSnapshotLookupByName(v->dom, names[i], 0);
        xmls[i] = s ? virDomainSnapshotGetXMLDesc(s, VIR_DOMAIN_SNAPSHOT_XML_SECURE) : NULL;
        if (s)
            virDomainSnapshotFree(s);
    }
    files = vm_files(v, "");
    s = virDomainSnapshotLookupByName(v->dom, "e1", 0);
    check("METADATA_ONLY delete of all", s && virDomainSnapshotDelete(s, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                                                                              VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY) == 0 &&
                                             virDomainSnapshotNum(v->dom, 0) == 0);
    if (s)
        virDomainSnapshotFree(s);
    files2 = vm_files(v, "");
    check_str("  every file left alone", files2, files);
    check("  a revert-free restart keeps them", virDomainDestroy(v->dom) == 0 && virDomainCreate(v->dom) == 0);
    g_free(files2);
    files2 = vm_files(v, "");
    check_str("  still every file", files2, files);

    {
        g_autofree char *bad = g_strdup(xmls[0]);
        g_autofree char *moved = NULL;
        char *p = bad ? strstr(bad, "vda.qcow2") : NULL;
        if (p)
            memcpy(p, "vdX", 3);
        moved = g_strdup(bad);
        s = moved ? virDomainSnapshotCreateXML(v->dom, moved, VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE) : NULL;
        check("REDEFINE of a snapshot whose image is missing is refused", s == NULL);
        check_api_error("  the error", VIR_ERR_OPERATION_INVALID, "does not exist");
        if (s)
            virDomainSnapshotFree(s);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        unsigned int flags = VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
        if (i == G_N_ELEMENTS(names) - 1)
            flags |= VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT;
        s = xmls[i] ? virDomainSnapshotCreateXML(v->dom, xmls[i], flags) : NULL;
        if (!check("REDEFINE from the dumped XML", s != NULL))
            printf("  %s\n", api_error());
        if (s)
            virDomainSnapshotFree(s);
    }
    g_free(after);
    after = dump(v);
    check_str("  the same snapshots as before", after, before);
    check("  every one reverts exactly", all_exact(v));
    check("  they survive a reopen", reopen(v) && virDomainSnapshotNum(v->dom, 0) == 3);

    check("undefine with snapshots is refused", virDomainDestroy(v->dom) == 0 && virDomainUndefine(v->dom) < 0);
    check_api_error("  the error", VIR_ERR_OPERATION_INVALID, "cannot delete inactive domain with 3 snapshots");
    check("  with SNAPSHOTS_METADATA it goes, and its metadata", virDomainUndefineFlags(v->dom, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) == 0);
    {
        g_autofree char *snapdir = g_build_filename(root, "lib", "qemu", "snapshot", "meta", NULL);
        check("  the metadata directory is gone", !g_file_test(snapdir, G_FILE_TEST_EXISTS));
    }
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        g_free(xmls[i]);
    vm_free(v);
    virConnectClose(conn);
    check("no QEMU left running", kill_qemus_of(dir) == 0);
    remove_tree(dir);
    return failures ? 1 : 0;
}
