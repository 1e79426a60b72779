/* The QEMU snapshot benchmark's client: the same program is built against libvirt
 * and against virtmoment (its driver inside, -DVIRTMOMENT_INTERNAL, so that it can
 * also read how long the last snapshot's QMP transaction took). One measurement per
 * run, driven by bench-qemu-snapshot.py, which alternates the two. Modes:
 *
 *   snap URI DOMXML KIND NAME DIR   a transient domain started from DOMXML, one
 *                                   snapshot of KIND (int-mem, int-disk, ext-disk,
 *                                   ext-mem; files DIR/NAME.*), removed again.
 *                                   Prints "total_s pause_s txn_s" (-1: not known;
 *                                   pause: SUSPENDED to RESUMED lifecycle events)
 *   chain URI DOMXML N              a shut-off domain with an N-snapshot chain
 *                                   (REDEFINE); prints the seconds of deleting its
 *                                   root with CHILDREN | METADATA_ONLY
 *   populate URI DOMXML N           a shut-off domain "boot" with an N-snapshot chain
 *   startup URI N                   seconds from opening URI to snapshotNum() == N
 *                                   on domain "boot" */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#ifdef VIRTMOMENT_INTERNAL
#include <glib.h>
extern gint64 qemu_snapshot_last_transaction_us;
#endif

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void quiet(void *data, virErrorPtr err)
{
}

static void die(const char *what)
{
    fprintf(stderr, "bench: %s failed: %s\n", what, virGetLastErrorMessage());
    exit(1);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf;
    long n;

    if (!f || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
        fprintf(stderr, "bench: cannot read %s\n", path);
        exit(1);
    }
    buf = calloc(1, (size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n)
        exit(1);
    fclose(f);
    return buf;
}

/* ---- lifecycle events on a thread ---- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static double suspended_at, resumed_at;

static int on_lifecycle(virConnectPtr c, virDomainPtr d, int event, int detail, void *opaque)
{
    double t = now();

    pthread_mutex_lock(&lock);
    if (event == VIR_DOMAIN_EVENT_SUSPENDED && !suspended_at)
        suspended_at = t;
    else if (event == VIR_DOMAIN_EVENT_RESUMED && suspended_at && !resumed_at)
        resumed_at = t;
    pthread_mutex_unlock(&lock);
    return 0;
}

static void *event_loop(void *opaque)
{
    for (;;)
        virEventRunDefaultImpl();
    return NULL;
}

static void tick(int timer, void *opaque)
{
}

static virConnectPtr open_with_events(const char *uri)
{
    virConnectPtr conn;
    pthread_t th;

    virEventRegisterDefaultImpl();
    if (!(conn = virConnectOpen(uri)))
        die("virConnectOpen");
    virEventAddTimeout(20, tick, NULL, NULL);
    pthread_create(&th, NULL, event_loop, NULL);
    return conn;
}

/* ---- one snapshot ---- */

static char *snapshot_xml(const char *kind, const char *name, const char *dir, unsigned int *flags)
{
    static char buf[4096];

    *flags = 0;
    if (strcmp(kind, "int-mem") == 0)
        snprintf(buf, sizeof(buf), "<domainsnapshot><name>%s</name></domainsnapshot>", name);
    else if (strcmp(kind, "int-disk") == 0)
        snprintf(buf, sizeof(buf), "<domainsnapshot><name>%s</name><memory snapshot='no'/><disks>"
                 "<disk name='vda' snapshot='internal'/></disks></domainsnapshot>", name);
    else if (strcmp(kind, "ext-disk") == 0) {
        snprintf(buf, sizeof(buf), "<domainsnapshot><name>%s</name><disks><disk name='vda' snapshot='external'>"
                 "<source file='%s/%s.qcow2'/></disk></disks></domainsnapshot>", name, dir, name);
        *flags = VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY;
    } else if (strcmp(kind, "ext-mem") == 0)
        snprintf(buf, sizeof(buf), "<domainsnapshot><name>%s</name><memory snapshot='external' file='%s/%s.mem'/>"
                 "<disks><disk name='vda' snapshot='external'><source file='%s/%s.qcow2'/></disk></disks>"
                 "</domainsnapshot>", name, dir, name, dir, name);
    else
        return NULL;
    return buf;
}

static int snap(const char *uri, const char *domxml, const char *kind, const char *name, const char *dir)
{
    virConnectPtr conn = open_with_events(uri);
    char *xml = slurp(domxml);
    unsigned int flags;
    const char *sxml = snapshot_xml(kind, name, dir, &flags);
    virDomainPtr dom;
    virDomainSnapshotPtr s;
    double t0, t1, pause = -1, txn = -1;
    int state = -1, reason;

    if (!sxml || !(dom = virDomainCreateXML(conn, xml, 0)))
        die("virDomainCreateXML");
    for (int i = 0; i < 500 && state != VIR_DOMAIN_RUNNING; i++) {
        usleep(10000);
        virDomainGetState(dom, &state, &reason, 0);
    }
    usleep(300000);
    virConnectDomainEventRegisterAny(conn, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                     VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), NULL, NULL);
    usleep(50000);
    t0 = now();
    s = virDomainSnapshotCreateXML(dom, sxml, flags);
    t1 = now();
    if (!s) {
        fprintf(stderr, "bench: %s: %s\n", kind, virGetLastErrorMessage());
        virDomainDestroy(dom);
        printf("unsupported\n");
        return 0;
    }
#ifdef VIRTMOMENT_INTERNAL
    txn = (double)qemu_snapshot_last_transaction_us / 1e6;
#endif
    for (int i = 0; i < 200; i++) {
        pthread_mutex_lock(&lock);
        if (suspended_at && resumed_at)
            pause = resumed_at - suspended_at;
        bool done = !suspended_at || resumed_at;
        pthread_mutex_unlock(&lock);
        if (done && i >= 10)
            break;
        usleep(10000);
    }
    pthread_mutex_lock(&lock);
    if (!suspended_at)
        pause = 0;
    pthread_mutex_unlock(&lock);
    printf("%.6f %.6f %.6f\n", t1 - t0, pause, txn);
    fflush(stdout);
    if (strncmp(kind, "int", 3) == 0 && virDomainSnapshotDelete(s, 0) < 0)
        fprintf(stderr, "bench: delete: %s\n", virGetLastErrorMessage());
    virDomainSnapshotFree(s);
    virDomainDestroy(dom);
    virDomainFree(dom);
    /* not closed: the event thread may still be inside the loop */
    fflush(stdout);
    _exit(0);
}

/* ---- metadata ---- */

static virDomainPtr define_chain(virConnectPtr conn, const char *domxml, const char *name, int n)
{
    char *xml = slurp(domxml), *p = strstr(xml, "<name>"), *q = p ? strstr(p, "</name>") : NULL;
    char *def, *dxml, *sx;
    virDomainPtr dom;

    if (!q)
        exit(1);
    def = malloc(strlen(xml) + strlen(name) + 16);
    sprintf(def, "%.*s<name>%s%s", (int)(p - xml), xml, name, q);
    if (!(dom = virDomainDefineXML(conn, def)))
        die("virDomainDefineXML");
    dxml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    sx = malloc(strlen(dxml) + 1024);
    for (int i = 0; i < n; i++) {
        char parent[64] = "";
        virDomainSnapshotPtr s;
        if (i)
            snprintf(parent, sizeof(parent), "<parent><name>b%d</name></parent>", i - 1);
        sprintf(sx, "<domainsnapshot><name>b%d</name><state>shutoff</state>%s<creationTime>%d</creationTime>"
                "<memory snapshot='no'/><disks><disk name='vda' snapshot='internal'/></disks>%s"
                "</domainsnapshot>", i, parent, 1700000000 + i, dxml);
        if (!(s = virDomainSnapshotCreateXML(dom, sx, VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE)))
            die("REDEFINE");
        virDomainSnapshotFree(s);
    }
    free(sx);
    free(dxml);
    free(def);
    free(xml);
    return dom;
}

static int chain(const char *uri, const char *domxml, int n)
{
    virConnectPtr conn = virConnectOpen(uri);
    virDomainPtr dom;
    virDomainSnapshotPtr root;
    double t0, t1;

    if (!conn)
        die("virConnectOpen");
    dom = define_chain(conn, domxml, "chain", n);
    root = virDomainSnapshotLookupByName(dom, "b0", 0);
    t0 = now();
    if (!root || virDomainSnapshotDelete(root, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                                                   VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY) < 0)
        die("virDomainSnapshotDelete");
    t1 = now();
    if (virDomainSnapshotNum(dom, 0) != 0)
        die("(snapshots left)");
    printf("%.6f\n", t1 - t0);
    virDomainSnapshotFree(root);
    virDomainUndefine(dom);
    virDomainFree(dom);
    virConnectClose(conn);
    return 0;
}

static int populate(const char *uri, const char *domxml, int n)
{
    virConnectPtr conn = virConnectOpen(uri);

    if (!conn)
        die("virConnectOpen");
    virDomainFree(define_chain(conn, domxml, "boot", n));
    virConnectClose(conn);
    return 0;
}

/* Retried for up to 60 s: a daemon that is starting answers when it is ready. */
static int startup(const char *uri, int n)
{
    double t0 = now(), t1;
    virConnectPtr conn = NULL;
    virDomainPtr dom = NULL;

    while (!dom || virDomainSnapshotNum(dom, 0) != n) {
        if (dom)
            virDomainFree(dom);
        if (conn)
            virConnectClose(conn);
        dom = NULL;
        if (now() - t0 > 60)
            die("startup");
        if (!(conn = virConnectOpen(uri)) || !(dom = virDomainLookupByName(conn, "boot")))
            usleep(2000);
    }
    t1 = now();
    printf("%.6f\n", t1 - t0);
    virDomainFree(dom);
    virConnectClose(conn);
    return 0;
}

int main(int argc, char **argv)
{
    virSetErrorFunc(NULL, quiet);
    if (argc == 7 && strcmp(argv[1], "snap") == 0)
        return snap(argv[2], argv[3], argv[4], argv[5], argv[6]);
    if (argc == 5 && strcmp(argv[1], "chain") == 0)
        return chain(argv[2], argv[3], atoi(argv[4]));
    if (argc == 5 && strcmp(argv[1], "populate") == 0)
        return populate(argv[2], argv[3], atoi(argv[4]));
    if (argc == 4 && strcmp(argv[1], "startup") == 0)
        return startup(argv[2], atoi(argv[3]));
    fprintf(stderr, "usage: see the comment at the top of bench-qemu-snapshot.c\n");
    return 2;
}
