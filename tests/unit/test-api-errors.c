/* Every kind of failure at the public entry points: the code, domain and message an
 * application sees, as libvirt reports them. One check per error case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static int failures;
static int handler_calls;

static void quiet(void *data, virErrorPtr err)
{
    handler_calls++;
}

/* The last error must be (code, domain, message). */
static void expect(const char *what, int code, int domain, const char *message)
{
    virErrorPtr err = virGetLastError();

    if (!err) {
        printf("FAIL %s: no error set\n", what);
        failures++;
        return;
    }
    if (err->code != code || err->domain != domain || strcmp(err->message, message) != 0) {
        printf("FAIL %s:\n  got      %d/%d '%s'\n  expected %d/%d '%s'\n", what, err->code,
               err->domain, err->message, code, domain, message);
        failures++;
        return;
    }
    printf("ok   %s\n", what);
}

static void expect_true(const char *what, int cond)
{
    printf("%s %s\n", cond ? "ok  " : "FAIL", what);
    if (!cond)
        failures++;
}

int main(void)
{
    virConnectPtr conn, ro;
    virDomainPtr dom, gone;
    virError copy;
    char *s;

    virSetErrorFunc(NULL, quiet);

    expect_true("open of an unknown scheme fails", !virConnectOpen("foo:///bar"));
    expect("unknown scheme", VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
           "no connection driver available for foo:///bar");
    expect_true("the handler saw it", handler_calls == 1);

    conn = virConnectOpen("test:///default");
    ro = virConnectOpenReadOnly("test:///default");
    expect_true("test:///default opens", conn && ro);
    if (!conn || !ro)
        return 1;
    expect_true("no error after success", virGetLastError() == NULL);
    expect_true("GetLastErrorMessage says 'no error'", strcmp(virGetLastErrorMessage(), "no error") == 0);

    expect_true("GetType(NULL)", !virConnectGetType(NULL));
    expect("invalid connection", VIR_ERR_INVALID_CONN, VIR_FROM_NONE,
           "invalid connection pointer in virConnectGetType");
    expect_true("GetName(NULL)", !virDomainGetName(NULL));
    expect("invalid domain", VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM,
           "invalid domain pointer in virDomainGetName");
    expect_true("SnapshotFree(NULL)", virDomainSnapshotFree(NULL) == -1);
    expect("invalid snapshot", VIR_ERR_INVALID_DOMAIN_SNAPSHOT, VIR_FROM_DOMAIN_SNAPSHOT,
           "Invalid domain snapshot: virDomainSnapshotFree");
    expect_true("CheckpointFree(NULL)", virDomainCheckpointFree(NULL) == -1);
    expect("invalid checkpoint", VIR_ERR_INVALID_DOMAIN_CHECKPOINT, VIR_FROM_DOMAIN_CHECKPOINT,
           "Invalid domain checkpoint: virDomainCheckpointFree");

    expect_true("LookupByName(NULL)", !virDomainLookupByName(conn, NULL));
    expect("NULL name", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
           "name in virDomainLookupByName must not be NULL");
    expect_true("LookupByName(nosuch)", !virDomainLookupByName(conn, "nosuch"));
    expect("unknown domain", VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "Domain not found");
    expect_true("LookupByUUIDString(zz)", !virDomainLookupByUUIDString(conn, "zz"));
    expect("bad UUID", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "Invalid UUID");
    expect_true("LookupByID(-1)", !virDomainLookupByID(conn, -1));
    expect("negative id", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
           "id in virDomainLookupByID must be zero or greater");
    expect_true("ListDomains(NULL, 5)", virConnectListDomains(conn, NULL, 5) == -1);
    expect("NULL ids", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
           "ids in virConnectListDomains must not be NULL");

    dom = virDomainLookupByName(ro, "test");
    expect_true("lookup on a read-only connection works", dom != NULL);
    expect_true("Suspend read-only", virDomainSuspend(dom) == -1);
    expect("read-only", VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
           "operation forbidden: read only access prevents virDomainSuspend");
    expect_true("GetXMLDesc(SECURE) read-only", !virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_SECURE));
    expect("secure read-only", VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
           "operation forbidden: virDomainGetXMLDesc with secure flag");
    expect_true("the connection kept its error", virConnGetLastError(ro) &&
                virConnGetLastError(ro)->code == VIR_ERR_OPERATION_DENIED);
    virConnResetLastError(ro);
    expect_true("virConnResetLastError clears it", virConnGetLastError(ro) == NULL);
    s = virDomainGetXMLDesc(dom, 0);
    expect_true("GetXMLDesc read-only without SECURE works", s != NULL);
    free(s);
    expect_true("SnapshotCreateXML read-only",
                !virDomainSnapshotCreateXML(dom, "<domainsnapshot/>", 0));
    expect("snapshot read-only", VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN_SNAPSHOT,
           "operation forbidden: read only access prevents virDomainSnapshotCreateXML");
    virDomainFree(dom);

    dom = virDomainLookupByName(conn, "test");
    expect_true("GetXMLDesc(0x400)", !virDomainGetXMLDesc(dom, 1 << 10));
    expect("unknown flag", VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
           "unsupported flags (0x400) in function testDomainGetXMLDesc");
    expect_true("SnapshotCreateXML(NULL)", !virDomainSnapshotCreateXML(dom, NULL, 0));
    expect("NULL xmlDesc", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_SNAPSHOT,
           "xmlDesc in virDomainSnapshotCreateXML must not be NULL");
    expect_true("CURRENT without REDEFINE",
                !virDomainSnapshotCreateXML(dom, "<domainsnapshot/>", VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT));
    expect("requires", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_SNAPSHOT,
           "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' is required by flag "
           "'VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT'");
    expect_true("REDEFINE|NO_METADATA",
                !virDomainSnapshotCreateXML(dom, "<domainsnapshot/>",
                                            VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE |
                                            VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA));
    expect("exclusive", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN_SNAPSHOT,
           "Flags 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' and "
           "'VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA' are mutually exclusive");
    expect_true("GetJobStats KEEP_COMPLETED alone", virDomainGetJobStats(dom, &(int){0},
                &(virTypedParameterPtr){NULL}, &(int){0}, VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED) == -1);
    expect("requires (jobs)", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
           "Flag 'VIR_DOMAIN_JOB_STATS_COMPLETED' is required by flag "
           "'VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED'");

    /* A handle outlives its domain; driver calls through it then fail. */
    virDomainDestroy(dom);
    expect_true("undefine", virDomainUndefine(dom) == 0);
    gone = dom;
    expect_true("a stale handle keeps its name", strcmp(virDomainGetName(gone), "test") == 0);
    expect_true("GetState on a stale handle", virDomainGetState(gone, &(int){0}, NULL, 0) == -1);
    expect("stale handle", VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
           "Domain not found: no domain with matching uuid "
           "'6695eb01-f6a4-8304-79aa-97f2502e193f' (test)");

    memset(&copy, 0, sizeof(copy));
    expect_true("virCopyLastError returns the code", virCopyLastError(&copy) == VIR_ERR_NO_DOMAIN);
    expect_true("the copy has the message", copy.message && strstr(copy.message, "(test)"));
    virResetError(&copy);
    virResetLastError();
    expect_true("virResetLastError clears", virGetLastError() == NULL && virGetLastErrorCode() == 0);
    virDomainFree(gone);

    virConnectClose(ro);
    expect_true("last close returns 0", virConnectClose(conn) == 0);
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
