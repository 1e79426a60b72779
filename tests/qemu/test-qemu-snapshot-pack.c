/* The snapshot metadata's pack through the driver (no QEMU process): letting go of a
 * root packs a store of 40 snapshots; the next open loads it (a snapshot file
 * scribbled over in place, which nothing in virtmoment does, shows that the pack was
 * read); the first change removes the pack, the next close writes it again. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define N 40

static int failures;

static void check(const char *what, bool ok)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok)
        failures++;
}

static void quiet(void *data, virErrorPtr err)
{
}

static const char domxml[] =
    "<domain type='qemu'><name>packed</name><uuid>5a1f0c2e-6b7d-4e8f-9a0b-1c2d3e4f5a6b</uuid>"
    "<memory unit='MiB'>64</memory>"
    "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>";

static virDomainSnapshotPtr redefine(virDomainPtr dom, int i)
{
    g_autofree char *parent = i ? g_strdup_printf("<parent><name>s%d</name></parent>", i - 1)
                                : g_strdup("");
    g_autofree char *xml = g_strdup_printf(
        "<domainsnapshot><name>s%d</name><state>shutoff</state>%s"
        "<creationTime>%d</creationTime><memory snapshot='no'/>%s</domainsnapshot>",
        i, parent, 1700000000 + i, domxml);

    return virDomainSnapshotCreateXML(dom, xml, VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE |
                                                (i == N - 1 ? VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT : 0));
}

static void scribble(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_TRUNC);

    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        check("scribble", false);
    if (fd >= 0)
        close(fd);
}

int main(void)
{
    g_autofree char *root = g_dir_make_tmp("qemu-pack-XXXXXX", NULL);
    g_autofree char *uri = g_strdup_printf("qemu:///embed?root=%s", root);
    g_autofree char *store = g_build_filename(root, "lib", "qemu", "snapshot", "packed", NULL);
    g_autofree char *pack = g_build_filename(store, "pack", "moments", NULL);
    g_autofree char *s3 = g_build_filename(store, "s3.xml", NULL);
    g_autofree char *s3_text = NULL;
    virConnectPtr conn;
    virDomainPtr dom;
    virDomainSnapshotPtr snap;
    bool made = true;

    virSetErrorFunc(NULL, quiet);
    if (!(conn = virConnectOpen(uri)) || !(dom = virDomainDefineXML(conn, domxml))) {
        printf("skip: cannot define a domain: %s\n", virGetLastErrorMessage());
        return 77;
    }
    for (int i = 0; i < N; i++) {
        if (!(snap = redefine(dom, i))) {
            if (made)
                printf("  s%d: %s\n", i, virGetLastErrorMessage());
            made = false;
        }
        else
            virDomainSnapshotFree(snap);
    }
    check("40 snapshots redefined", made && virDomainSnapshotNum(dom, 0) == N);
    check("no pack while the root is open", !g_file_test(pack, G_FILE_TEST_EXISTS));
    virDomainFree(dom);
    virConnectClose(conn);
    check("letting go of the root wrote the pack", g_file_test(pack, G_FILE_TEST_EXISTS));

    g_file_get_contents(s3, &s3_text, NULL, NULL);
    scribble(s3, "garbage");
    conn = virConnectOpen(uri);
    dom = conn ? virDomainLookupByName(conn, "packed") : NULL;
    snap = dom ? virDomainSnapshotCurrent(dom, 0) : NULL;
    check("reopened: every snapshot, from the pack", dom && virDomainSnapshotNum(dom, 0) == N);
    check("... the current one", snap && strcmp(virDomainSnapshotGetName(snap), "s39") == 0);
    if (snap)
        virDomainSnapshotFree(snap);
    scribble(s3, s3_text);

    snap = dom ? redefine(dom, N) : NULL;
    check("a new snapshot", snap != NULL);
    check("... removed the pack first", !g_file_test(pack, G_FILE_TEST_EXISTS));
    if (snap)
        virDomainSnapshotFree(snap);
    if (dom)
        virDomainFree(dom);
    if (conn)
        virConnectClose(conn);
    check("letting go wrote it again", g_file_test(pack, G_FILE_TEST_EXISTS));

    conn = virConnectOpen(uri);
    dom = conn ? virDomainLookupByName(conn, "packed") : NULL;
    check("reopened: 41 snapshots", dom && virDomainSnapshotNum(dom, 0) == N + 1);
    check("undefine with the metadata", dom && virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) == 0);
    if (dom)
        virDomainFree(dom);
    if (conn)
        virConnectClose(conn);
    check("the store is gone, pack and all", !g_file_test(store, G_FILE_TEST_EXISTS));

    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", root);
    if (system(cmd) != 0)
        check("cleanup", false);
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
