/* The checkpoint API on the test driver: creation defaults, trees, redefine, delete,
 * coexistence with snapshots, and one check per error case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include "api-test.h"

static virDomainCheckpointPtr create(virDomainPtr dom, const char *name)
{
    char xml[256];

    snprintf(xml, sizeof(xml), "<domaincheckpoint><name>%s</name></domaincheckpoint>", name);
    return virDomainCheckpointCreateXML(dom, xml, 0);
}

static void check_list(const char *what, virDomainPtr dom, const char *from, unsigned int flags,
                       const char *expected)
{
    virDomainCheckpointPtr *list = NULL, start = NULL;
    char got[512] = "";
    int n;

    if (from) {
        start = virDomainCheckpointLookupByName(dom, from, 0);
        n = virDomainCheckpointListAllChildren(start, &list, flags);
    } else {
        n = virDomainListAllCheckpoints(dom, &list, flags);
    }
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(got, " ");
        strcat(got, virDomainCheckpointGetName(list[i]));
        virDomainCheckpointFree(list[i]);
    }
    free(list);
    virDomainCheckpointFree(start);
    check(what, n >= 0 && strcmp(got, expected) == 0);
    if (n < 0 || strcmp(got, expected) != 0)
        printf("  got '%s' (%d), expected '%s'\n", got, n, expected);
}

int main(void)
{
    virConnectPtr conn;
    virDomainPtr dom;
    virDomainCheckpointPtr c1, c2, c3, p;
    virDomainSnapshotPtr snap;
    char *xml;

    virSetErrorFunc(NULL, quiet);
    conn = virConnectOpen("test:///default");
    dom = virDomainLookupByName(conn, "test");

    snap = virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>before</name></domainsnapshot>", 0);
    check("a snapshot first", snap != NULL);
    c1 = create(dom, "c1");
    check("a checkpoint while a snapshot exists (libvirt's test driver refuses)", c1 != NULL);
    c2 = create(dom, "c2");
    c3 = create(dom, "c3");
    check_list("a chain, newest last", dom, NULL, VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL, "c1 c2 c3");
    p = virDomainCheckpointGetParent(c3, 0);
    check("c3's parent is c2", p && strcmp(virDomainCheckpointGetName(p), "c2") == 0);
    virDomainCheckpointFree(p);
    xml = virDomainCheckpointGetXMLDesc(c2, VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN);
    check("XML: parent and a bitmap named after the checkpoint",
          xml && strstr(xml, "<parent>\n    <name>c1</name>\n  </parent>") &&
          strstr(xml, "<disk name='vda' checkpoint='bitmap' bitmap='c2'/>") && !strstr(xml, "<domain "));
    free(xml);
    xml = virDomainCheckpointGetXMLDesc(c2, VIR_DOMAIN_CHECKPOINT_XML_SIZE);
    check("SIZE prints size= (nothing is written on a mock host)",
          xml && strstr(xml, "bitmap='c2' size='0'/>") && strstr(xml, "<domain type='test'>"));
    free(xml);

    check("delete c2: c3 moves up", virDomainCheckpointDelete(c2, 0) == 0);
    virDomainCheckpointFree(c2);
    check_list("after the delete", dom, "c1", 0, "c3");
    c2 = virDomainCheckpointCreateXML(dom, "<domaincheckpoint><name>c2</name><parent><name>c3</name>"
                                      "</parent><creationTime>5</creationTime></domaincheckpoint>",
                                      VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE);
    check("redefine c2 under c3 (metadata only)", c2 != NULL);
    virDomainCheckpointFree(c2);
    check_list("descendants of c1", dom, "c1", VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS, "c3 c2");
    check_list("leaves", dom, NULL, VIR_DOMAIN_CHECKPOINT_LIST_LEAVES, "c2");
    check("redefine c1 under c2 is a cycle", !virDomainCheckpointCreateXML(dom,
          "<domaincheckpoint><name>c1</name><parent><name>c2</name></parent>"
          "<creationTime>5</creationTime></domaincheckpoint>", VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE));
    expect_error("cycle", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                 "invalid argument: parent c3 would create cycle to c1");
    check("duplicate name", create(dom, "c1") == NULL);
    expect_error("duplicate", VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN,
                 "operation failed: domain moment c1 already exists");
    check("unknown checkpoint", !virDomainCheckpointLookupByName(dom, "nosuch", 0));
    expect_error("unknown", VIR_ERR_NO_DOMAIN_CHECKPOINT, VIR_FROM_TEST,
                 "Domain checkpoint not found: no domain checkpoint with matching name 'nosuch'");
    check("parent of a root", !virDomainCheckpointGetParent(c1, 0));
    expect_error("root's parent", VIR_ERR_NO_DOMAIN_CHECKPOINT, VIR_FROM_TEST,
                 "Domain checkpoint not found: checkpoint 'c1' does not have a parent");
    check("an unknown element is refused (schema)", !virDomainCheckpointCreateXML(dom,
          "<domaincheckpoint><bogus/></domaincheckpoint>", 0));
    check("  as XML_INVALID_SCHEMA", virGetLastError() &&
          virGetLastError()->code == VIR_ERR_XML_INVALID_SCHEMA);
    check("a disk that does not exist", !virDomainCheckpointCreateXML(dom,
          "<domaincheckpoint><disks><disk name='vdz'/></disks></domaincheckpoint>", 0));
    expect_error("unknown disk", VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN_CHECKPOINT,
                 "unsupported configuration: no disk named 'vdz'");
    check("REDEFINE|QUIESCE", !virDomainCheckpointCreateXML(dom, "<domaincheckpoint/>",
          VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE | VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE));
    expect_error("exclusive", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_CHECKPOINT,
                 "Flags 'VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE' and "
                 "'VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE' are mutually exclusive");
    check("REDEFINE_VALIDATE without REDEFINE", !virDomainCheckpointCreateXML(dom, "<domaincheckpoint/>",
          VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE));
    expect_error("requires", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_CHECKPOINT,
                 "Flag 'VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE' is required by flag "
                 "'VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE'");

    check("revert to the snapshot keeps the checkpoints", virDomainRevertToSnapshot(snap, 0) == 0 &&
          virDomainListAllCheckpoints(dom, NULL, 0) == 3);
    virDomainDestroy(dom);
    check("SIZE needs a running domain", !virDomainCheckpointGetXMLDesc(c1, VIR_DOMAIN_CHECKPOINT_XML_SIZE));
    expect_error("size offline", VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                 "Requested operation is not valid: domain is not running");
    c2 = create(dom, "offline");
    check("a checkpoint of a shut-off domain (libvirt refuses)", c2 != NULL);
    virDomainCheckpointFree(c2);
    check("undefine refused with checkpoints", virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) == -1);
    expect_error("undefine", VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                 "Requested operation is not valid: cannot delete inactive domain with 4 checkpoints");
    check("delete c1's children only", virDomainCheckpointDelete(c1, VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY) == 0);
    check("only c1 is left", virDomainListAllCheckpoints(dom, NULL, 0) == 1);
    check("undefine with both metadata flags", virDomainUndefineFlags(dom,
          VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA) == 0);

    virDomainCheckpointFree(c1);
    virDomainCheckpointFree(c3);
    virDomainSnapshotFree(snap);
    virDomainFree(dom);
    virConnectClose(conn);
    return finish();
}
