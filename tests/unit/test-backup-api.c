/* Simulated backup jobs on the test driver: push and pull, progress, abort, a failing
 * disk, completed statistics, the block-job and job-completed events delivered in the
 * event loop with their typed parameters, and the error cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include "api-test.h"

/* What the callbacks saw. */
static struct {
    int completed;
    int success;
    int operation;
    unsigned long long disk_total;
    char errmsg[128];
    char block_jobs[256];
} seen;

static void on_job_completed(virConnectPtr conn, virDomainPtr dom, virTypedParameterPtr params,
                             int nparams, void *opaque)
{
    const char *msg = NULL;

    seen.completed++;
    virTypedParamsGetBoolean(params, nparams, VIR_DOMAIN_JOB_SUCCESS, &seen.success);
    virTypedParamsGetInt(params, nparams, VIR_DOMAIN_JOB_OPERATION, &seen.operation);
    virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_DISK_TOTAL, &seen.disk_total);
    if (virTypedParamsGetString(params, nparams, VIR_DOMAIN_JOB_ERRMSG, &msg) == 1)
        snprintf(seen.errmsg, sizeof(seen.errmsg), "%s", msg);
}

static void on_block_job(virConnectPtr conn, virDomainPtr dom, const char *disk, int type, int status,
                         void *opaque)
{
    char one[64];

    snprintf(one, sizeof(one), "%s%s:%d:%d", *seen.block_jobs ? " " : "", disk, type, status);
    strcat(seen.block_jobs, one);
}

static void tick(int timer, void *opaque)
{
}

/* Run the event loop until a job-completed event arrived (at most ~5 s). */
static int wait_completed(void)
{
    int t = virEventAddTimeout(50, tick, NULL, NULL);

    for (int i = 0; i < 100 && !seen.completed; i++)
        virEventRunDefaultImpl();
    virEventRemoveTimeout(t);
    return seen.completed;
}

static const char node_xml[] =
    "<node>\n"
    "  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
    "    <name>vm</name><memory>1024</memory><os><type>hvm</type></os>\n"
    "    <devices>\n"
    "      <disk type='file' device='disk'><source file='/img/a.qcow2'/><target dev='vda'/></disk>\n"
    "      <disk type='file' device='disk'><source file='/img/b.qcow2'/><target dev='vdb'/></disk>\n"
    "    </devices>\n"
    "    <test:disk dev='vda' size='30000000'/>\n"
    "    <test:disk dev='vdb' size='10000000'/>\n"
    "    <test:backuprate>100000000</test:backuprate>\n"
    "  </domain>\n"
    "  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
    "    <name>bad</name><memory>1024</memory><os><type>hvm</type></os>\n"
    "    <devices>\n"
    "      <disk type='file' device='disk'><source file='/img/c.qcow2'/><target dev='vda'/></disk>\n"
    "    </devices>\n"
    "    <test:disk dev='vda' size='20000000' fail='yes'/>\n"
    "    <test:backuprate>100000000</test:backuprate>\n"
    "  </domain>\n"
    "</node>\n";

static void push(virConnectPtr conn, virDomainPtr dom)
{
    virDomainJobInfo info;
    virTypedParameterPtr params = NULL;
    int nparams = 0, type = -1;
    char *xml;

    memset(&seen, 0, sizeof(seen));
    check("push backup with a checkpoint starts",
          virDomainBackupBegin(dom, "<domainbackup/>", "<domaincheckpoint><name>c1</name></domaincheckpoint>", 0) == 0);
    check("the checkpoint exists at once", virDomainListAllCheckpoints(dom, NULL, 0) == 1);
    xml = virDomainBackupGetXMLDesc(dom, 0);
    check("BackupGetXMLDesc shows generated targets",
          xml && strstr(xml, "<domainbackup mode='push'>") && strstr(xml, "/img/a.qcow2.c1"));
    free(xml);
    check("job info while running", virDomainGetJobInfo(dom, &info) == 0 &&
          info.type == VIR_DOMAIN_JOB_UNBOUNDED && info.fileTotal == 40000000 &&
          info.fileProcessed <= info.fileTotal && info.dataTotal == info.fileTotal);
    check("job stats while running", virDomainGetJobStats(dom, &type, &params, &nparams, 0) == 0 &&
          type == VIR_DOMAIN_JOB_UNBOUNDED && virTypedParamsGet(params, nparams, VIR_DOMAIN_JOB_DISK_PROCESSED));
    virTypedParamsFree(params, nparams);
    check("a second backup is refused", virDomainBackupBegin(dom, "<domainbackup/>", NULL, 0) == -1);
    expect_error("second job", VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                 "Requested operation is not valid: another backup job is already running");
    check("the job completes and the event arrives", wait_completed());
    check("event: success, operation backup, 40 MB", seen.success == 1 && seen.operation == 9 &&
          seen.disk_total == 40000000);
    check("block-job events for both disks (BLOCK_JOB_2, backup, completed)",
          strcmp(seen.block_jobs, "vda:5:0 vdb:5:0") == 0);
    if (strcmp(seen.block_jobs, "vda:5:0 vdb:5:0") != 0)
        printf("  got '%s'\n", seen.block_jobs);
    check("no job any more", virDomainGetJobInfo(dom, &info) == 0 && info.type == VIR_DOMAIN_JOB_NONE);
    check("completed stats, kept", virDomainGetJobStats(dom, &type, &params, &nparams,
          VIR_DOMAIN_JOB_STATS_COMPLETED | VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED) == 0 &&
          type == VIR_DOMAIN_JOB_COMPLETED);
    virTypedParamsFree(params, nparams);
    check("completed stats, read and dropped", virDomainGetJobStats(dom, &type, &params, &nparams,
          VIR_DOMAIN_JOB_STATS_COMPLETED) == 0 && type == VIR_DOMAIN_JOB_COMPLETED);
    virTypedParamsFree(params, nparams);
    check("completed stats gone", virDomainGetJobStats(dom, &type, &params, &nparams,
          VIR_DOMAIN_JOB_STATS_COMPLETED) == 0 && type == VIR_DOMAIN_JOB_NONE && nparams == 0);
    check("BackupGetXMLDesc without a job", !virDomainBackupGetXMLDesc(dom, 0));
    expect_error("no job", VIR_ERR_NO_DOMAIN_BACKUP, VIR_FROM_TEST,
                 "Domain backup job id not found: no domain backup job present");
}

static void abort_and_pull(virDomainPtr dom)
{
    memset(&seen, 0, sizeof(seen));
    check("incremental push from c1", virDomainBackupBegin(dom,
          "<domainbackup><incremental>c1</incremental></domainbackup>",
          "<domaincheckpoint><name>c2</name></domaincheckpoint>", 0) == 0);
    check("abort the push", virDomainAbortJob(dom) == 0 && wait_completed());
    check("aborted push: success=0 (an incremental copies nothing here, but it was cut short)",
          seen.success == 0 && strstr(seen.block_jobs, "vda:5:2") != NULL);

    memset(&seen, 0, sizeof(seen));
    check("pull without a server is refused", virDomainBackupBegin(dom, "<domainbackup mode='pull'/>", NULL, 0) == -1);
    expect_error("pull server", VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
                 "XML document failed to validate against schema: domainbackup.rng: line 1: "
                 "element 'domainbackup': missing element 'server'");
    check("pull without a port is refused", virDomainBackupBegin(dom,
          "<domainbackup mode='pull'><server name='localhost'/></domainbackup>", NULL, 0) == -1);
    expect_error("pull port", VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_TEST,
                 "Operation not supported: <domainbackup> must specify TCP port for now");
    check("pull backup", virDomainBackupBegin(dom,
          "<domainbackup mode='pull'><server name='localhost' port='10809'/></domainbackup>", NULL, 0) == 0);
    usleep(100000);
    check("a pull job stays", virDomainGetJobInfo(dom, &(virDomainJobInfo){0}) == 0);
    check("abort ends the pull", virDomainAbortJob(dom) == 0 && wait_completed());
    check("ended pull: success=1", seen.success == 1);
    check("abort without a job", virDomainAbortJob(dom) == -1);
    expect_error("no job to abort", VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                 "Requested operation is not valid: no job is active on the domain");
}

static void errors(virConnectPtr conn, virDomainPtr dom)
{
    virDomainPtr bad = virDomainLookupByName(conn, "bad");

    check("unknown incremental checkpoint", virDomainBackupBegin(dom,
          "<domainbackup><incremental>nosuch</incremental></domainbackup>", NULL, 0) == -1);
    expect_error("unknown checkpoint", VIR_ERR_NO_DOMAIN_CHECKPOINT, VIR_FROM_TEST,
                 "Domain checkpoint not found: Checkpoint 'nosuch' for incremental backup of disk 'vda' not found");
    check("no disk selected", virDomainBackupBegin(dom,
          "<domainbackup><disks><disk name='vda' backup='no'/><disk name='vdb' backup='no'/></disks></domainbackup>",
          NULL, 0) == -1);
    expect_error("no disks", VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_TEST,
                 "unsupported configuration: no disks selected for backup");
    check("a checkpoint name that exists already", virDomainBackupBegin(dom, "<domainbackup/>",
          "<domaincheckpoint><name>c1</name></domaincheckpoint>", 0) == -1);
    check("  nothing started", virDomainBackupGetXMLDesc(dom, 0) == NULL);
    check("backupXML NULL", virDomainBackupBegin(dom, NULL, NULL, 0) == -1);
    expect_error("NULL xml", VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                 "backupXML in virDomainBackupBegin must not be NULL");

    memset(&seen, 0, sizeof(seen));
    check("a backup of a failing disk starts", virDomainBackupBegin(bad, "<domainbackup/>", NULL, 0) == 0);
    check("it fails", wait_completed() && seen.success == 0 &&
          strcmp(seen.errmsg, "simulated failure of disk 'vda'") == 0);
    virDomainDestroy(bad);
    check("backup of an inactive domain", virDomainBackupBegin(bad, "<domainbackup/>", NULL, 0) == -1);
    expect_error("inactive", VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_TEST,
                 "Operation not supported: cannot perform disk backup for inactive domain");
    virDomainFree(bad);
}

int main(void)
{
    char path[] = "/tmp/vm-backup-node-XXXXXX";
    int fd = mkstemp(path);
    char uri[128];
    virConnectPtr conn;
    virDomainPtr dom;

    if (fd < 0 || write(fd, node_xml, sizeof(node_xml) - 1) != (ssize_t)sizeof(node_xml) - 1)
        return 1;
    close(fd);
    snprintf(uri, sizeof(uri), "test://%s", path);
    virSetErrorFunc(NULL, quiet);
    virEventRegisterDefaultImpl();
    conn = virConnectOpen(uri);
    unlink(path);
    check("open the node file", conn != NULL);
    if (!conn)
        return 1;
    dom = virDomainLookupByName(conn, "vm");
    check("job-completed callback", virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
          VIR_DOMAIN_EVENT_CALLBACK(on_job_completed), NULL, NULL) >= 0);
    check("block-job-2 callback", virConnectDomainEventRegisterAny(conn, dom, VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2,
          VIR_DOMAIN_EVENT_CALLBACK(on_block_job), NULL, NULL) >= 0);
    push(conn, dom);
    abort_and_pull(dom);
    errors(conn, dom);
    check("a job still running when the connection closes is ended",
          virDomainBackupBegin(dom, "<domainbackup mode='pull'><server name='h' port='1'/></domainbackup>",
                               NULL, 0) == 0);
    virDomainFree(dom);
    check("close", virConnectClose(conn) == 0);
    return finish();
}
