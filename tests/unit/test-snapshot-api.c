/* The snapshot API on the test driver: semantics (current, reparenting, reverts and
 * their lifecycle events) and one check per error case (code, domain, message). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include "api-test.h"

static virDomainSnapshotPtr create(virDomainPtr dom, const char *name, unsigned int flags)
{
    char xml[256];

    snprintf(xml, sizeof(xml), "<domainsnapshot><name>%s</name></domainsnapshot>", name);
    return virDomainSnapshotCreateXML(dom, xml, flags);
}

static void create_free(virDomainPtr dom, const char *name)
{
    virDomainSnapshotPtr s = create(dom, name, 0);
    check(name, s != NULL);
    virDomainSnapshotFree(s);
}

static int is_current(virDomainPtr dom, const char *name)
{
    virDomainSnapshotPtr s = virDomainSnapshotLookupByName(dom, name, 0);
    int ret = s ? virDomainSnapshotIsCurrent(s, 0) : -1;
    virDomainSnapshotFree(s);
    return ret;
}

/* Names of a listing, joined by spaces, in the driver's order. */
static void check_list(const char *what, virDomainPtr dom, const char *from, unsigned int flags,
                       const char *expected)
{
    virDomainSnapshotPtr *list = NULL, start = NULL;
    char got[512] = "";
    int n;

    if (from) {
        start = virDomainSnapshotLookupByName(dom, from, 0);
        n = virDomainSnapshotListAllChildren(start, &list, flags);
    } else {
        n = virDomainListAllSnapshots(dom, &list, flags);
    }
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(got, " ");
        strcat(got, virDomainSnapshotGetName(list[i]));
        virDomainSnapshotFree(list[i]);
    }
    free(list);
    virDomainSnapshotFree(start);
    check(what, n >= 0 && strcmp(got, expected) == 0);
    if (n < 0 || strcmp(got, expected) != 0)
        printf("  got '%s' (%d), expected '%s'\n", got, n, expected);
}

static char events[256];

static int on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    char one[16];

    snprintf(one, sizeof(one), "%s%d/%d", *events ? " " : "", event, detail);
    strcat(events, one);
    return 0;
}

static void drain_events(void)
{
    /* A timer that fires at once makes the last iteration return. */
    for (int i = 0; i < 5; i++) {
        int t = virEventAddTimeout(0, (virEventTimeoutCallback)(void (*)(void))quiet, NULL, NULL);
        virEventRunDefaultImpl();
        virEventRemoveTimeout(t);
    }
}

static void semantics(virConnectPtr conn)
{
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainSnapshotPtr s;
    int state, reason, cb;

    /* The T1 tree: s1 -> s3 -> {s2, s6 -> {s5, s4}}, s1 -> s7 -> s8 */
    create_free(dom, "s1");
    create_free(dom, "s3");
    create_free(dom, "s2");
    s = virDomainSnapshotLookupByName(dom, "s3", 0);
    check("revert to s3", virDomainRevertToSnapshot(s, 0) == 0);
    virDomainSnapshotFree(s);
    create_free(dom, "s6");
    create_free(dom, "s5");
    s = virDomainSnapshotLookupByName(dom, "s6", 0);
    virDomainRevertToSnapshot(s, 0);
    virDomainSnapshotFree(s);
    create_free(dom, "s4");
    s = virDomainSnapshotLookupByName(dom, "s1", 0);
    virDomainRevertToSnapshot(s, 0);
    virDomainSnapshotFree(s);
    create_free(dom, "s7");
    create_free(dom, "s8");
    check_list("topological, as libvirt's", dom, NULL, VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL,
               "s1 s7 s8 s3 s6 s4 s5 s2");
    check("Num", virDomainSnapshotNum(dom, 0) == 8);
    check("Num roots", virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_ROOTS) == 1);
    check("Num leaves", virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_LEAVES) == 4);
    check("NO_METADATA selects none", virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA) == 0);
    check("INACTIVE selects none", virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE) == 0);
    check("ACTIVE selects all", virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE) == 8);
    check_list("children of s3", dom, "s3", 0, "s6 s2");
    check_list("descendants of s3", dom, "s3", VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS, "s6 s4 s5 s2");
    check("s8 is current", is_current(dom, "s8") == 1);

    /* Delete without flags: children move up; deleting current makes its parent current. */
    s = virDomainSnapshotLookupByName(dom, "s3", 0);
    check("delete s3", virDomainSnapshotDelete(s, 0) == 0);
    virDomainSnapshotFree(s);
    check_list("s3's children now under s1", dom, "s1", 0, "s6 s2 s7");
    s = virDomainSnapshotLookupByName(dom, "s8", 0);
    virDomainSnapshotDelete(s, 0);
    virDomainSnapshotFree(s);
    check("deleting current s8 made s7 current", is_current(dom, "s7") == 1);
    s = virDomainSnapshotLookupByName(dom, "s6", 0);
    check("delete s6 children only", virDomainSnapshotDelete(s, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY) == 0);
    check("s6 is childless", virDomainSnapshotNumChildren(s, 0) == 0);
    check("metadata-only delete works", virDomainSnapshotDelete(s, VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY) == 0);
    virDomainSnapshotFree(s);
    check_list("what is left", dom, NULL, VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL, "s1 s2 s7");

    /* Reverts and their events, delivered through the event loop. */
    cb = virConnectDomainEventRegisterAny(conn, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), NULL, NULL);
    check("register lifecycle callback", cb >= 0);
    virDomainSuspend(dom);
    create_free(dom, "paused");
    virDomainDestroy(dom);
    create_free(dom, "off");
    drain_events();
    events[0] = '\0';
    s = virDomainSnapshotLookupByName(dom, "off", 0);
    check("revert inactive snapshot with RUNNING", virDomainRevertToSnapshot(s, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING) == 0);
    virDomainSnapshotFree(s);
    virDomainGetState(dom, &state, &reason, 0);
    check("the domain really runs (libvirt's test driver leaves it off)",
          state == VIR_DOMAIN_RUNNING && reason == VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
    s = virDomainSnapshotLookupByName(dom, "paused", 0);
    check("revert to the paused snapshot", virDomainRevertToSnapshot(s, 0) == 0);
    virDomainSnapshotFree(s);
    virDomainGetState(dom, &state, &reason, 0);
    check("paused from snapshot", state == VIR_DOMAIN_PAUSED && reason == VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
    drain_events();
    check("events: started; stopped, started, suspended (all from snapshot)",
          strcmp(events, "2/3 5/6 2/3 3/5") == 0);
    if (strcmp(events, "2/3 5/6 2/3 3/5") != 0)
        printf("  got '%s'\n", events);
    virConnectDomainEventDeregisterAny(conn, cb);

    s = create(dom, "halted", VIR_DOMAIN_SNAPSHOT_CREATE_HALT);
    virDomainGetState(dom, &state, &reason, 0);
    check("HALT shuts the domain off from snapshot", s && state == VIR_DOMAIN_SHUTOFF &&
          reason == VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
    virDomainSnapshotFree(s);
    check("undefine refused while snapshots exist", virDomainUndefine(dom) == -1);
    expect_error("undefine with snapshots", VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                 "Requested operation is not valid: cannot delete inactive domain with 6 snapshots");
    check("undefine with SNAPSHOTS_METADATA", virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) == 0);
    virDomainFree(dom);
}

static void errors(virConnectPtr conn)
{
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainSnapshotPtr a, b;

    a = create(dom, "a", 0);
    check("duplicate name refused", create(dom, "a", 0) == NULL);
    expect_error("duplicate", VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN,
                 "operation failed: domain moment a already exists");
    check("lookup of an unknown snapshot", !virDomainSnapshotLookupByName(dom, "nosuch", 0));
    expect_error("unknown snapshot", VIR_ERR_NO_DOMAIN_SNAPSHOT, VIR_FROM_TEST,
                 "Domain snapshot not found: no domain snapshot with matching name 'nosuch'");
    check("parent of a root", !virDomainSnapshotGetParent(a, 0));
    expect_error("root's parent", VIR_ERR_NO_DOMAIN_SNAPSHOT, VIR_FROM_TEST,
                 "Domain snapshot not found: snapshot 'a' does not have a parent");
    b = create(dom, "b", 0);
    check("redefine a under b (a cycle)", !virDomainSnapshotCreateXML(dom,
          "<domainsnapshot><name>a</name><state>running</state><parent><name>b</name></parent>"
          "<creationTime>1</creationTime></domainsnapshot>", VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE));
    expect_error("cycle", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                 "invalid argument: parent b would create cycle to a");
    check("redefine with an unknown parent", !virDomainSnapshotCreateXML(dom,
          "<domainsnapshot><name>c</name><state>running</state><parent><name>zz</name></parent>"
          "<creationTime>1</creationTime></domainsnapshot>", VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE));
    expect_error("unknown parent", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                 "invalid argument: parent zz for moment c not found");
    check("redefine as its own parent", !virDomainSnapshotCreateXML(dom,
          "<domainsnapshot><name>c</name><state>running</state><parent><name>c</name></parent>"
          "<creationTime>1</creationTime></domainsnapshot>", VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE));
    expect_error("own parent", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                 "invalid argument: cannot set moment c as its own parent");
    check("redefine without a name", !virDomainSnapshotCreateXML(dom,
          "<domainsnapshot><state>running</state></domainsnapshot>", VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE));
    expect_error("nameless redefine", VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN_SNAPSHOT,
                 "XML error: a redefined snapshot must have a name");
    check("malformed XML", !virDomainSnapshotCreateXML(dom, "<domainsnapshot>", 0));
    check("  reported as an XML detail error", virGetLastError() &&
          virGetLastError()->code == VIR_ERR_XML_DETAIL);
    check("wrong root", !virDomainSnapshotCreateXML(dom, "<notsnapshot/>", 0));
    expect_error("wrong root", VIR_ERR_XML_ERROR, VIR_FROM_XML,
                 "XML error: expecting root element of 'domainsnapshot', not 'notsnapshot'");
    check("bad memory location", !virDomainSnapshotCreateXML(dom,
          "<domainsnapshot><memory snapshot='bogus'/></domainsnapshot>", 0));
    expect_error("bad memory location", VIR_ERR_XML_ERROR, VIR_FROM_XML,
                 "XML error: Invalid value for attribute 'snapshot' in element 'memory': 'bogus'.");
    check("a name with '/'", !create(dom, "x/y", 0));
    check("  refused as an invalid argument", virGetLastError() &&
          virGetLastError()->code == VIR_ERR_INVALID_ARG &&
          virGetLastError()->domain == VIR_FROM_DOMAIN_SNAPSHOT);
    check("an empty name", !virDomainSnapshotCreateXML(dom,
          "<domainsnapshot><name></name></domainsnapshot>", VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE));
    check("an unknown flag", !create(dom, "z", 1u << 20));
    expect_error("unknown flag", VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                 "unsupported flags (0x100000) in function testDomainSnapshotCreateXML");
    check("RUNNING|PAUSED", virDomainRevertToSnapshot(a, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING |
                                                      VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED) == -1);
    expect_error("revert flags", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_SNAPSHOT,
                 "Flags 'VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING' and "
                 "'VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED' are mutually exclusive");
    check("CHILDREN|CHILDREN_ONLY", virDomainSnapshotDelete(a, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                                                            VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY) == -1);
    expect_error("delete flags", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_SNAPSHOT,
                 "Flags 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN' and "
                 "'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY' are mutually exclusive");
    check("'manual' disk mode", !virDomainSnapshotCreateXML(dom,
          "<domainsnapshot><disks><disk name='vda' snapshot='manual'/></disks></domainsnapshot>", 0));
    expect_error("manual", VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_TEST,
                 "Operation not supported: 'manual' snapshot mode is not supported by the test driver");
    check("'manual' for a disk the domain lacks", !virDomainSnapshotCreateXML(dom,
          "<domainsnapshot><disks><disk name='vdz' snapshot='manual'/></disks></domainsnapshot>", 0));
    expect_error("manual before alignment", VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_TEST,
                 "Operation not supported: 'manual' snapshot mode is not supported by the test driver");
    check("a failed create changed nothing", virDomainSnapshotNum(dom, 0) == 2);
    {
        virDomainSnapshotPtr c = virDomainSnapshotCreateXML(dom,
            "<domainsnapshot><name>ck</name><state>running</state><creationTime>1</creationTime>"
            "<cookie><foo/></cookie><domain type='test'><name>test</name>"
            "<uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid><memory>8388608</memory>"
            "<os><type>hvm</type></os></domain></domainsnapshot>",
            VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE);
        char *xml = c ? virDomainSnapshotGetXMLDesc(c, 0) : NULL;
        check("a redefinition's <cookie> is dropped, as libvirt's test driver drops it",
              xml && !strstr(xml, "cookie"));
        free(xml);
        check("  (then deleted)", c && virDomainSnapshotDelete(c, 0) == 0);
        virDomainSnapshotFree(c);
    }

    check("delete a with children", virDomainSnapshotDelete(a, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN) == 0);
    check("the stale handle keeps its name", strcmp(virDomainSnapshotGetName(b), "b") == 0);
    check("driver calls on a deleted snapshot fail", virDomainSnapshotIsCurrent(b, 0) == -1);
    expect_error("deleted snapshot", VIR_ERR_NO_DOMAIN_SNAPSHOT, VIR_FROM_TEST,
                 "Domain snapshot not found: no domain snapshot with matching name 'b'");
    check("no current snapshot left", virDomainHasCurrentSnapshot(dom, 0) == 0);
    check("Current without one", !virDomainSnapshotCurrent(dom, 0));
    expect_error("no current", VIR_ERR_NO_DOMAIN_SNAPSHOT, VIR_FROM_TEST,
                 "Domain snapshot not found: the domain does not have a current snapshot");
    virDomainSnapshotFree(a);
    virDomainSnapshotFree(b);
    virDomainFree(dom);
}

int main(void)
{
    virConnectPtr conn;

    virSetErrorFunc(NULL, quiet);
    virEventRegisterDefaultImpl();
    conn = virConnectOpen("test:///default");
    errors(conn);
    semantics(conn);
    virConnectClose(conn);
    return finish();
}
