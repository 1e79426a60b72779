/* Unit test of the lines vmsh's "event" command prints for every kind of event (the
 * test driver emits only a few of them), of --loop and --timestamp, and of the
 * capacities and typed parameters domjobinfo and the events show. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmsh-util.h"

const vmsh_cmd_def *const vmsh_commands[] = { NULL };

static vmsh_ctl ctl = { .event_pipe = { -1, -1 }, .event_timer = -1, .log_fd = -1 };
static virDomainPtr dom;

/* What calling FN printed on stdout. */
static char *capture(void (*fn)(void *), void *arg)
{
    FILE *tmp = tmpfile();
    int saved = dup(STDOUT_FILENO);
    char buf[4096];
    size_t n;

    g_assert_nonnull(tmp);
    fflush(stdout);
    dup2(fileno(tmp), STDOUT_FILENO);
    fn(arg);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    rewind(tmp);
    n = fread(buf, 1, sizeof(buf) - 1, tmp);
    buf[n] = '\0';
    fclose(tmp);
    return g_strdup(buf);
}

typedef struct {
    int id;
    void (*call)(virConnectDomainEventGenericCallback cb, vmsh_event_data *data);
    const char *expected;
} event_case;

#define CB(type) ((type)(void (*)(void))cb)

static void lifecycle(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventCallback)(NULL, dom, VIR_DOMAIN_EVENT_STOPPED,
                                      VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT, d);
}

static void lifecycle_unknown(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventCallback)(NULL, dom, 42, 0, d);
}

static void generic(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    cb(NULL, dom, d);
}

static void rtc(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventRTCChangeCallback)(NULL, dom, -3600, d);
}

static void watchdog(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventWatchdogCallback)(NULL, dom, 6, d);
}

static void io_error(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventIOErrorCallback)(NULL, dom, "/img/a", "virtio-disk0", 1, d);
}

static void graphics(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    virDomainEventGraphicsAddress local = { 0, (char *)"127.0.0.1", (char *)"5900" };
    virDomainEventGraphicsAddress remote = { 1, (char *)"::1", (char *)"41000" };
    virDomainEventGraphicsSubjectIdentity ids[] = { { (char *)"x509dname", (char *)"CN=me" } };
    virDomainEventGraphicsSubject subject = { 1, ids };

    CB(virConnectDomainEventGraphicsCallback)(NULL, dom, 0, &local, &remote, "vnc", &subject, d);
}

static void io_error_reason(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventIOErrorReasonCallback)(NULL, dom, "/img/a", "virtio-disk0", 2,
                                                   "enospc", d);
}

static void block_job(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventBlockJobCallback)(NULL, dom, "/img/a.qcow2",
                                              VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP,
                                              VIR_DOMAIN_BLOCK_JOB_FAILED, d);
}

static void block_job_2(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventBlockJobCallback)(NULL, dom, "vda", 9, 7, d);
}

static void disk_change(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventDiskChangeCallback)(NULL, dom, NULL, "/new.iso", "ide0-1-0", 1, d);
}

static void tray_change(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventTrayChangeCallback)(NULL, dom, "ide0-1-0", 0, d);
}

static void pm(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventPMWakeupCallback)(NULL, dom, 0, d);
}

static void balloon(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventBalloonChangeCallback)(NULL, dom, 1048576, d);
}

static void device(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventDeviceRemovedCallback)(NULL, dom, "net0", d);
}

static void params(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    virTypedParameter p[4] = { 0 };

    g_strlcpy(p[0].field, "operation", sizeof(p[0].field));
    p[0].type = VIR_TYPED_PARAM_INT;
    p[0].value.i = 9;
    g_strlcpy(p[1].field, "success", sizeof(p[1].field));
    p[1].type = VIR_TYPED_PARAM_BOOLEAN;
    p[1].value.b = 1;
    g_strlcpy(p[2].field, "ratio", sizeof(p[2].field));
    p[2].type = VIR_TYPED_PARAM_DOUBLE;
    p[2].value.d = 1.5;
    g_strlcpy(p[3].field, "errmsg", sizeof(p[3].field));
    p[3].type = VIR_TYPED_PARAM_STRING;
    p[3].value.s = (char *)"oops";
    CB(virConnectDomainEventJobCompletedCallback)(NULL, dom, p, 4, d);
}

static void agent(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventAgentLifecycleCallback)(NULL, dom, 1, 9, d);
}

static void migration(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventMigrationIterationCallback)(NULL, dom, 3, d);
}

static void metadata(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventMetadataChangeCallback)(NULL, dom, 2, NULL, d);
}

static void threshold(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventBlockThresholdCallback)(NULL, dom, "vda", "/img/a", 100, 5, d);
}

static void memory_failure(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventMemoryFailureCallback)(NULL, dom, 1, 2,
                                                   VIR_DOMAIN_MEMORY_FAILURE_RECURSIVE, d);
}

static void memory_size(virConnectDomainEventGenericCallback cb, vmsh_event_data *d)
{
    CB(virConnectDomainEventMemoryDeviceSizeChangeCallback)(NULL, dom, "dimm0", 524288, d);
}

/* The expected lines are virsh 9.0's formats (tools/virsh-domain-event.c). */
static const event_case cases[] = {
    { 0, lifecycle, "event 'lifecycle' for domain 'test': Stopped Snapshot\n" },
    { 0, lifecycle_unknown, "event 'lifecycle' for domain 'test': unknown unknown\n" },
    { 1, generic, "event 'reboot' for domain 'test'\n" },
    { 2, rtc, "event 'rtc-change' for domain 'test': -3600\n" },
    { 3, watchdog, "event 'watchdog' for domain 'test': inject-nmi\n" },
    { 4, io_error, "event 'io-error' for domain 'test': /img/a (virtio-disk0) pause\n" },
    { 5, graphics, "event 'graphics' for domain 'test': connect local[IPv4 127.0.0.1 5900] "
                   "remote[IPv6 ::1 41000] vnc\n\tx509dname=CN=me\n" },
    { 6, io_error_reason, "event 'io-error-reason' for domain 'test': /img/a (virtio-disk0) "
                          "report due to enospc\n" },
    { 7, generic, "event 'control-error' for domain 'test'\n" },
    { 8, block_job, "event 'block-job' for domain 'test': Backup for /img/a.qcow2 failed\n" },
    { 9, disk_change, "event 'disk-change' for domain 'test' disk ide0-1-0: <null> -> /new.iso: "
                      "dropped\n" },
    { 10, tray_change, "event 'tray-change' for domain 'test' disk ide0-1-0: opened\n" },
    { 11, pm, "event 'pm-wakeup' for domain 'test'\n" },
    { 12, pm, "event 'pm-suspend' for domain 'test'\n" },
    { 13, balloon, "event 'balloon-change' for domain 'test': 1048576KiB\n" },
    { 14, pm, "event 'pm-suspend-disk' for domain 'test'\n" },
    { 15, device, "event 'device-removed' for domain 'test': net0\n" },
    { 16, block_job_2, "event 'block-job-2' for domain 'test': Unknown job for vda unknown\n" },
    { 17, params, "event 'tunable' for domain 'test':\n\toperation: 9\n\tsuccess: 1\n"
                  "\tratio: 1.5\n\terrmsg: oops\n" },
    { 18, agent, "event 'agent-lifecycle' for domain 'test': state: 'connected' reason: "
                 "'unsupported value'\n" },
    { 19, device, "event 'device-added' for domain 'test': net0\n" },
    { 20, migration, "event 'migration-iteration' for domain 'test': iteration: '3'\n" },
    { 21, params, "event 'job-completed' for domain 'test':\n\toperation: 9\n\tsuccess: 1\n"
                  "\tratio: 1.5\n\terrmsg: oops\n" },
    { 22, device, "event 'device-removal-failed' for domain 'test': net0\n" },
    { 23, metadata, "event 'metadata-change' for domain 'test': type element, uri <null>\n" },
    { 24, threshold, "event 'block-threshold' for domain 'test': dev: vda(/img/a) 100 5\n" },
    { 25, memory_failure, "event 'memory-failure' for domain 'test':\nrecipient: guest\n"
                          "action: fatal\nflags:\n\taction required: 0\n\trecursive: 1\n" },
    { 26, memory_size, "event 'memory-device-size-change' for domain 'test':\nalias: dimm0\n"
                       "size: 524288\n" },
};

typedef struct {
    const event_case *c;
    vmsh_event_data *data;
} call_args;

static void call(void *opaque)
{
    call_args *a = opaque;

    a->c->call(vmsh_event_types[a->c->id].cb, a->data);
}

static void test_every_event(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        int count = 0;
        vmsh_event_data data = { &ctl, cases[i].id, true, false, &count, -1, 0 };
        call_args a = { &cases[i], &data };
        g_autofree char *out = capture(call, &a);

        g_assert_cmpstr(out, ==, cases[i].expected);
        g_assert_cmpint(count, ==, 1);
    }
    g_assert_cmpint(G_N_ELEMENTS(cases), ==, VMSH_EVENT_ID_COUNT + 1);
}

static void twice(void *opaque)
{
    call_args *a = opaque;

    call(a);
    call(a);
}

/* Without --loop only the first event is printed; with --timestamp each starts with
 * the UTC time to the millisecond. */
static void test_once_and_timestamp(void)
{
    int count = 0;
    vmsh_event_data data = { &ctl, 11, false, true, &count, -1, 0 };
    call_args a = { &cases[12], &data };
    g_autofree char *out = capture(twice, &a);
    g_autoptr(GRegex) rx = g_regex_new("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000: "
                                       "event 'pm-wakeup' for domain 'test'\n$", 0, 0, NULL);

    g_assert_true(g_regex_match(rx, out, 0, NULL));
    g_assert_cmpint(count, ==, 1);
}

static void test_names(void)
{
    g_assert_cmpint(VMSH_EVENT_ID_COUNT, ==, 27);
    g_assert_cmpstr(vmsh_event_types[VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2].name, ==, "block-job-2");
    g_assert_cmpstr(vmsh_event_types[VIR_DOMAIN_EVENT_ID_JOB_COMPLETED].name, ==, "job-completed");
    g_assert_cmpstr(vmsh_event_types[26].name, ==, "memory-device-size-change");
    g_assert_cmpstr(vmsh_job_type_name(VIR_DOMAIN_JOB_CANCELLED), ==, "Cancelled");
    g_assert_cmpstr(vmsh_job_type_name(6), ==, "unknown");
    g_assert_cmpstr(vmsh_job_operation_name(VIR_DOMAIN_JOB_OPERATION_BACKUP), ==, "Backup");
    g_assert_cmpstr(vmsh_job_operation_name(10), ==, "Snapshot delete");
    g_assert_cmpstr(vmsh_job_operation_name(-1), ==, "unknown");
    g_assert_cmpstr(vmsh_block_job_type_name(4), ==, "Active Block Commit");
    g_assert_cmpstr(vmsh_block_job_type_name(6), ==, "Unknown job");
}

static void check_size(unsigned long long value, const char *expected)
{
    const char *unit;
    double v = vmsh_pretty_capacity(value, &unit);
    g_autofree char *text = g_strdup_printf("%-.3lf %s", v, unit);

    g_assert_cmpstr(text, ==, expected);
}

/* virsh's vshPrettyCapacity: the largest 1024-based unit that keeps the value >= 1. */
static void test_capacity(void)
{
    check_size(0, "0.000 B");
    check_size(1023, "1023.000 B");
    check_size(1024, "1.000 KiB");
    check_size(4089, "3.993 KiB");
    check_size(31457280, "30.000 MiB");
    check_size(1073741824000ULL, "1000.000 GiB");
    check_size(1ULL << 50, "1.000 PiB");
    check_size(1ULL << 60, "1.000 EiB");
    check_size(G_MAXUINT64, "16.000 EiB");
}

static void test_typed_params(void)
{
    virTypedParameter p = { .type = VIR_TYPED_PARAM_ULLONG, .value.ul = G_MAXUINT64 };
    g_autofree char *ul = vmsh_typed_param_string(&p);

    g_assert_cmpstr(ul, ==, "18446744073709551615");
    p.type = VIR_TYPED_PARAM_BOOLEAN;
    p.value.b = 0;
    g_autofree char *b = vmsh_typed_param_string(&p);
    g_assert_cmpstr(b, ==, "0");
    p.type = 99;
    g_assert_null(vmsh_typed_param_string(&p));
}

int main(int argc, char **argv)
{
    virConnectPtr conn;
    int rc;

    g_test_init(&argc, &argv, NULL);
    conn = virConnectOpen("test:///default");
    g_assert_nonnull(conn);
    dom = virDomainLookupByName(conn, "test");
    g_assert_nonnull(dom);
    ctl.conn = conn;
    g_test_add_func("/vmsh/events/every", test_every_event);
    g_test_add_func("/vmsh/events/once-timestamp", test_once_and_timestamp);
    g_test_add_func("/vmsh/events/names", test_names);
    g_test_add_func("/vmsh/jobs/capacity", test_capacity);
    g_test_add_func("/vmsh/jobs/typed-params", test_typed_params);
    rc = g_test_run();
    virDomainFree(dom);
    virConnectClose(conn);
    return rc;
}
