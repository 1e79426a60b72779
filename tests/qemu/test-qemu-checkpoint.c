/* QEMU checkpoints against real QEMU and real images: created offline (qemu-img) and
 * live (one transaction for every disk), sizes, lookups and lists, redefinition with
 * validation, deletion (the bitmaps leave every image), metadata surviving the
 * process, a QEMU killed behind the driver's back (the checkpoints it held are
 * broken, said so, and deletable), undefine, and what the snapshot code relies on
 * (bitmaps carried to an overlay, internal reverts refused). */
#include "drivers/qemu/qemu_block.h"
#include "drivers/qemu/qemu_checkpoint.h"
#include "backup-test.h"

#define SIZE (16 * MiB)

static char *ckpt_xml(const char *name, const char *disks)
{
    return g_strdup_printf("<domaincheckpoint><name>%s</name>%s</domaincheckpoint>", name, disks ? disks : "");
}

static virDomainCheckpointPtr create(virDomainPtr dom, const char *name, const char *disks, unsigned int flags)
{
    g_autofree char *xml = ckpt_xml(name, disks);
    virDomainCheckpointPtr c = virDomainCheckpointCreateXML(dom, xml, flags);

    if (!c)
        printf("  create %s: %s\n", name, api_error());
    return c;
}

/* Whether image's bitmaps (qemu-img info, -U) are exactly names ("a b"), in any order. */
static bool bitmaps_are(const char *image, const char *names)
{
    g_autoptr(qemu_img_info) info = NULL;
    g_auto(GStrv) want = g_strsplit(names, " ", -1);
    guint n = 0;

    if (qemu_img_get_info(image, "qcow2", QEMU_IMG_FORCE_SHARE, &info) < 0)
        return false;
    for (guint i = 0; want[i]; i++)
        if (*want[i] && !qemu_img_info_find_bitmap(info, want[i]))
            return false;
    for (guint i = 0; want[i]; i++)
        n += *want[i] != '\0';
    if (!info->bitmaps || info->bitmaps->len != n) {
        printf("  %s has %u bitmaps, expected '%s'\n", image, info->bitmaps ? info->bitmaps->len : 0, names);
        return false;
    }
    return true;
}

static gint by_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of the bitmaps QEMU has on the top nodes of vda and sda, sorted. */
static char *node_bitmaps(tvm *t, const char *dst)
{
    g_autoptr(GPtrArray) nodes = NULL;
    g_autofree char *fmt = NULL, *sto = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    const qemu_block_node *n;

    if (qemu_domain_disk_nodes(t->dom, dst, &fmt, &sto) < 0 || qemu_domain_block_nodes(t->dom, &nodes) < 0 ||
        !(n = qemu_block_find_node(nodes, fmt)))
        return g_strdup("?");
    for (guint i = 0; i < n->bitmaps->len; i++)
        g_ptr_array_add(names, ((qemu_block_bitmap *)n->bitmaps->pdata[i])->name);
    g_ptr_array_sort(names, by_name);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(" ", (char **)names->pdata);
}

static bool live_bitmaps(tvm *t, const char *vda, const char *sda)
{
    g_autofree char *a = node_bitmaps(t, "vda"), *b = node_bitmaps(t, "sda");

    return check_str("  vda's bitmaps", a, vda) && check_str("  sda's bitmaps", b, sda);
}

static char *names_of(virDomainPtr dom)
{
    virDomainCheckpointPtr *list = NULL;
    int n = virDomainListAllCheckpoints(dom, &list, VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL);
    GString *s = g_string_new(NULL);

    for (int i = 0; i < n; i++) {
        g_string_append_printf(s, "%s%s", i ? " " : "", virDomainCheckpointGetName(list[i]));
        virDomainCheckpointFree(list[i]);
    }
    g_free(list);
    return g_string_free(s, FALSE);
}

/* size= of disk dst in the checkpoint's XML with sizes, or -1. */
static long long size_of(virDomainCheckpointPtr c, const char *dst)
{
    g_autofree char *needle = g_strdup_printf("<disk name='%s' checkpoint='bitmap' bitmap='%s' size='", dst,
                                              virDomainCheckpointGetName(c));
    g_autofree char *xml = virDomainCheckpointGetXMLDesc(c, VIR_DOMAIN_CHECKPOINT_XML_SIZE |
                                                            VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN);
    const char *p = xml ? strstr(xml, needle) : NULL;

    return p ? g_ascii_strtoll(p + strlen(needle), NULL, 10) : -1;
}

static void test_create(tvm *t)
{
    virDomainCheckpointPtr c0, c1, c2, parent;
    g_autofree char *names = NULL, *xml = NULL;

    /* a raw disk cannot carry bitmaps */
    check("create: shut off, every disk: refused for the raw one", !create(t->dom, "bad", NULL, 0));
    check_api_error("create: ... saying which", VIR_ERR_OPERATION_UNSUPPORTED,
                    "checkpoint for disk vdc unsupported for storage type raw");
    check("create: no bitmap was left behind", bitmaps_are(t->disks[0].image, "") &&
                                                   bitmaps_are(t->disks[1].image, ""));
    c0 = create(t->dom, "c0", "<disks><disk name='vda'/><disk name='sda'/></disks>", 0);
    check("create: offline (qemu-img) on the qcow2 disks", c0 != NULL);
    check("create: the bitmap is in both images", bitmaps_are(t->disks[0].image, "c0") &&
                                                      bitmaps_are(t->disks[1].image, "c0"));
    check("create: bitmap name must be the checkpoint's",
          !create(t->dom, "c9", "<disks><disk name='vda' checkpoint='bitmap' bitmap='other'/></disks>", 0));
    check_api_error("create: ... saying so", VIR_ERR_CONFIG_UNSUPPORTED, "must match checkpoint name 'c9'");
    check("create: start", virDomainCreate(t->dom) == 0);
    check("create: write after c0", gwrite(t, "vda", "write -P 0x11 0 1M"));
    c1 = create(t->dom, "c1", "<disks><disk name='vda'/><disk name='sda'/></disks>", 0);
    check("create: live, one transaction", c1 != NULL);
    check("create: a name that exists is refused", !create(t->dom, "c1", "<disks><disk name='vda'/></disks>", 0));
    check_api_error("create: ... as libvirt says it", VIR_ERR_OPERATION_FAILED, "domain moment c1 already exists");
    check("create: write after c1", gwrite(t, "vda", "write -P 0x22 2M 512k") &&
                                        gwrite(t, "sda", "write -P 0x33 0 64k"));
    c2 = create(t->dom, "c2", "<disks><disk name='vda'/><disk name='sda' checkpoint='no'/></disks>", 0);
    check("create: one disk only", c2 != NULL);
    names = names_of(t->dom);
    check_str("create: the list, parents first", names, "c0 c1 c2");
    parent = c2 ? virDomainCheckpointGetParent(c2, 0) : NULL;
    check("create: c2's parent is c1", parent && strcmp(virDomainCheckpointGetName(parent), "c1") == 0);
    xml = c2 ? virDomainCheckpointGetXMLDesc(c2, VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN) : NULL;
    check("create: c2's XML", xml && strstr(xml, "<disk name='vda' checkpoint='bitmap' bitmap='c2'/>") &&
                                  strstr(xml, "<disk name='sda' checkpoint='no'/>") &&
                                  strstr(xml, "<parent>\n    <name>c1</name>"));
    check("create: size: c1 saw 512 KiB on vda", c1 && size_of(c1, "vda") == 512 * 1024);
    check("create: size: c1 saw 64 KiB on sda", c1 && size_of(c1, "sda") == 64 * 1024);
    check("create: size: c0 saw 1.5 MiB on vda", c0 && size_of(c0, "vda") == 1536 * 1024);
    check("create: size: c2 saw nothing yet", c2 && size_of(c2, "vda") == 0);
    if (parent)
        virDomainCheckpointFree(parent);
    virDomainCheckpointFree(c0);
    virDomainCheckpointFree(c1);
    virDomainCheckpointFree(c2);
}

static void test_redefine_and_delete(tvm *t)
{
    virDomainCheckpointPtr c1 = virDomainCheckpointLookupByName(t->dom, "c1", 0), c, c2;
    g_autofree char *xml = c1 ? virDomainCheckpointGetXMLDesc(c1, 0) : NULL;
    g_autofree char *names = NULL, *ghost = NULL;

    check("redefine: c1's XML", xml != NULL);
    check("redefine: forget c1's metadata only",
          c1 && virDomainCheckpointDelete(c1, VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY) == 0);
    names = names_of(t->dom);
    check_str("redefine: c2 moved under c0", names, "c0 c2");
    c = xml ? virDomainCheckpointCreateXML(t->dom, xml, VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE |
                                                            VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE) : NULL;
    check("redefine: c1 again, validated against its bitmaps", c != NULL);
    if (!c)
        printf("  %s\n", api_error());
    ghost = g_strdup_printf("<domaincheckpoint><name>ghost</name><creationTime>1</creationTime>"
                            "<disks><disk name='vda' checkpoint='bitmap' bitmap='ghost'/></disks>"
                            "</domaincheckpoint>");
    check("redefine: a checkpoint without its bitmap fails validation",
          !virDomainCheckpointCreateXML(t->dom, ghost, VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE |
                                                           VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE));
    check_api_error("redefine: ... inconsistent", VIR_ERR_CHECKPOINT_INCONSISTENT,
                    "missing or broken bitmap 'ghost' for disk 'vda'");
    g_free(names);
    names = names_of(t->dom);
    check_str("redefine: nothing changed by the failure", names, "c0 c1 c2");

    c2 = virDomainCheckpointLookupByName(t->dom, "c2", 0);
    check("delete: c1 (its bitmaps go)", c && virDomainCheckpointDelete(c, 0) == 0);
    check("delete: QEMU's nodes lost c1's bitmaps", live_bitmaps(t, "c0 c2", "c0"));
    check("delete: c2's size is still exact", c2 && size_of(c2, "vda") == 0);
    check("delete: a write shows in c2 and c0", gwrite(t, "vda", "write -P 0x44 8M 64k") &&
                                                     c2 && size_of(c2, "vda") == 65536);
    g_free(names);
    names = names_of(t->dom);
    check_str("delete: c0 c2 remain", names, "c0 c2");
    if (c)
        virDomainCheckpointFree(c);
    if (c2)
        virDomainCheckpointFree(c2);
    if (c1)
        virDomainCheckpointFree(c1);
}

/* The process lets go of the root and takes it again: the metadata comes back. */
static void test_reopen(tvm *t)
{
    g_autofree char *names = NULL;
    virDomainCheckpointPtr c2;

    close_conn();
    open_conn();
    virDomainFree(t->dom);
    t->dom = conn ? virDomainLookupByName(conn, t->name) : NULL;
    check("reopen: the domain is back, running", t->dom && virDomainIsActive(t->dom) == 1);
    names = t->dom ? names_of(t->dom) : NULL;
    check_str("reopen: the checkpoints are back", names, "c0 c2");
    c2 = t->dom ? virDomainCheckpointLookupByName(t->dom, "c2", 0) : NULL;
    check("reopen: c2 is still exact", c2 && size_of(c2, "vda") == 65536);
    if (c2)
        virDomainCheckpointFree(c2);
}

/* QEMU killed: c0 was in the image when QEMU started (now inconsistent), c2 was made
 * in that run (never written). */
static void test_crash(tvm *t)
{
    virDomainCheckpointPtr c0, c2, c3;

    check("crash: kill QEMU", kill_qemu(t));
    check("crash: start again", virDomainCreate(t->dom) == 0);
    c0 = virDomainCheckpointLookupByName(t->dom, "c0", 0);
    c2 = virDomainCheckpointLookupByName(t->dom, "c2", 0);
    check("crash: c0's size cannot be known", c0 && size_of(c0, "vda") < 0);
    check_api_error("crash: ... it is inconsistent, and what to do", VIR_ERR_CHECKPOINT_INCONSISTENT,
                    "is inconsistent (QEMU did not close the image cleanly); checkpoint 'c0' cannot be used: "
                    "delete it");
    check("crash: c2's neither", c2 && size_of(c2, "vda") < 0);
    check_api_error("crash: ... its bitmap is gone", VIR_ERR_CHECKPOINT_INCONSISTENT, "has no such bitmap");
    check("crash: the broken checkpoints can be deleted", c2 && virDomainCheckpointDelete(c2, 0) == 0 &&
                                                              c0 && virDomainCheckpointDelete(c0, 0) == 0);
    c3 = create(t->dom, "c3", "<disks><disk name='vda'/></disks>", 0);
    check("crash: a new checkpoint works", c3 != NULL);
    check("crash: destroy", virDomainDestroy(t->dom) == 0);
    check("crash: the images hold only c3's bitmap (c0's inconsistent one was removed)",
          bitmaps_are(t->disks[0].image, "c3") && bitmaps_are(t->disks[1].image, ""));
    if (c0)
        virDomainCheckpointFree(c0);
    if (c2)
        virDomainCheckpointFree(c2);
    if (c3)
        virDomainCheckpointFree(c3);
}

/* What the snapshot code calls. */
static void test_snapshot_helpers(tvm *t)
{
    g_autofree char *overlay = in_dir("overlay.qcow2");
    qemu_dom *d;

    check("snap: an overlay", qemu_img_create_qcow2(overlay, 0, t->disks[0].image, "qcow2") == 0);
    check("snap: the top's bitmaps are carried to the overlay (offline)",
          qemu_checkpoint_overlay_offline(t->disks[0].image, overlay) == 0 && bitmaps_are(overlay, "c3"));
    d = qemu_dom_acquire(t->dom);
    check("snap: an internal revert is refused while checkpoints exist",
          d && qemu_checkpoint_check_internal_revert(d, "s1", NULL) < 0 &&
              error_last()->code == VIR_ERR_OPERATION_UNSUPPORTED &&
              strstr(error_last()->message, "delete the checkpoints first"));
    if (d)
        qemu_dom_release(d);
}

static void test_undefine(tvm *t)
{
    g_autofree char *store = g_build_filename(root, "lib", "qemu", "checkpoint", t->name, NULL);

    check("undefine: the store exists", exists(store));
    check("undefine: refused with checkpoints", virDomainUndefine(t->dom) < 0);
    check_api_error("undefine: ... as libvirt says it", VIR_ERR_OPERATION_INVALID,
                    "cannot delete inactive domain with 1 checkpoints");
    check("undefine: with CHECKPOINTS_METADATA",
          virDomainUndefineFlags(t->dom, VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA) == 0);
    check("undefine: the store is gone", !exists(store));
}

int main(void)
{
    const char *dsts[] = { "vda", "sda", NULL };
    g_autofree char *raw = NULL, *rawxml = NULL, *xml = NULL;
    tvm t;

    setup("checkpoint");
    if (!check("a domain with two qcow2 disks", dom_make(&t, "ck", dsts, SIZE, true))) {
        dom_release(&t);
        return finish();
    }
    /* and a raw disk, which cannot carry bitmaps */
    raw = in_dir("ck-vdc.raw");
    qemu_img_create_raw(raw, MiB);
    rawxml = disk_xml(raw, "raw", "vdc", "virtio");
    xml = virDomainGetXMLDesc(t.dom, VIR_DOMAIN_XML_INACTIVE);
    {
        g_autofree char *with = g_strdup(xml);
        char *at = strstr(with, "  </devices>");
        g_autofree char *full = g_strdup_printf("%.*s%s%s", (int)(at - with), with, rawxml, at);
        virDomainFree(t.dom);
        t.dom = virDomainDefineXML(conn, full);
    }
    check("the raw disk is added", t.dom != NULL);
    test_create(&t);
    test_redefine_and_delete(&t);
    test_reopen(&t);
    test_crash(&t);
    test_snapshot_helpers(&t);
    test_undefine(&t);
    dom_release(&t);
    return finish();
}
