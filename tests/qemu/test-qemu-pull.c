/* QEMU pull backups against real QEMU and real images: full pulls read with nbdcopy
 * while the guest writes equal the disks at the job's start (scratch images in a
 * private directory, gone afterwards); incremental pulls expose exactly the clusters
 * written since the checkpoint (nbdinfo --map of qemu:dirty-bitmap:backup-<disk>),
 * and copying only those extents (libnbd) onto the previous full rebuilds the disk;
 * the teardown cuts off a client still connected; TCP with export and bitmap names
 * of the caller's and a scratch file of the caller's; TLS; refused requests. */
#include "drivers/qemu/qemu_backup.h"
#include "backup-test.h"
#include "nbd-dirty.h"

#include <netinet/in.h>
#include <sys/socket.h>

#define SIZE (16 * MiB)
#define CLUSTER 65536

static tvm t;
static GHashTable *dirty;       /* vda's clusters written since the current checkpoint */
static GHashTable *expected;    /* ... since the previous one */
static char *sock;

static bool w(const char *dst, const char *op, unsigned long long off, unsigned long long len)
{
    g_autofree char *cmd = g_strdup_printf("write %s %llu %llu", op, off, len);

    if (strcmp(dst, "vda") == 0)
        for (unsigned long long c = off / CLUSTER; c * CLUSTER < off + len; c++)
            g_hash_table_add(dirty, GSIZE_TO_POINTER(c + 1));
    return gwrite(&t, dst, cmd);
}

static void checkpoint_now(void)
{
    g_hash_table_unref(expected);
    expected = dirty;
    dirty = g_hash_table_new(NULL, NULL);
}

static bool quiet_run;

static bool run(const char *const *argv, char **ret_out)
{
    int status = -1;
    g_autofree char *err = NULL;
    bool ok = g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, ret_out, &err, &status,
                           NULL) && g_spawn_check_wait_status(status, NULL);

    if (!ok && !quiet_run)
        printf("  %s failed: %s\n", argv[0], err ? err : "");
    return ok;
}

static char *unix_uri(const char *export)
{
    return g_strdup_printf("nbd+unix:///%s?socket=%s", export, sock);
}

static bool nbdcopy(const char *uri, const char *out)
{
    const char *argv[] = { "nbdcopy", uri, out, NULL };
    return run(argv, NULL);
}

/* The clusters nbdinfo --map says context marks dirty equal expected. */
static bool map_is(const char *uri, const char *context, GHashTable *want)
{
    g_autofree char *opt = g_strdup_printf("--map=%s", context), *out = NULL;
    const char *argv[] = { "nbdinfo", opt, uri, NULL };
    g_auto(GStrv) lines = NULL;
    guint n = 0;

    if (!run(argv, &out))
        return false;
    lines = g_strsplit(out, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        unsigned long long off, len;
        unsigned int flags;
        if (sscanf(lines[i], "%llu %llu %u", &off, &len, &flags) != 3 || !(flags & 1))
            continue;
        for (unsigned long long c = off / CLUSTER; c * CLUSTER < off + len; c++, n++) {
            if (!g_hash_table_contains(want, GSIZE_TO_POINTER(c + 1))) {
                printf("  cluster %llu is dirty, but was not written\n", c);
                return false;
            }
        }
    }
    if (n != g_hash_table_size(want))
        printf("  %u dirty clusters, %u written\n", n, g_hash_table_size(want));
    return n == g_hash_table_size(want);
}

static bool begin(const char *xml, const char *ckpt, const char *tag)
{
    g_autofree char *ck = ckpt ? g_strdup_printf("<domaincheckpoint><name>%s</name></domaincheckpoint>", ckpt) : NULL;

    if (!refs_at(&t, tag))
        return false;
    if (virDomainBackupBegin(t.dom, xml, ck, 0) < 0) {
        printf("  %s: %s\n", tag, api_error());
        return false;
    }
    if (ckpt)
        checkpoint_now();
    return true;
}

static bool end_completed(void)
{
    int type = -1, success = -1;
    g_autofree char *msg = NULL, *got = NULL;

    if (virDomainAbortJob(t.dom) < 0) {
        printf("  abort: %s\n", api_error());
        return false;
    }
    if (!job_wait(t.dom, 10000, &type, &success, &msg) || type != VIR_DOMAIN_JOB_COMPLETED || success != 1) {
        printf("  type %d success %d %s\n", type, success, msg ? msg : "");
        return false;
    }
    got = events_take(5000);
    return strstr(got, "block2:vda:5:0") && strstr(got, "done:1:");
}

static char *private_dir(void)
{
    g_autofree char *run = g_build_filename(root, "run", "qemu", NULL);
    g_autoptr(GDir) d = g_dir_open(run, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d)))
        if (g_str_has_prefix(name, "domain-"))
            return g_build_filename(run, name, "backup", NULL);
    return NULL;
}

static void test_full(void)
{
    g_autofree char *xml = g_strdup_printf("<domainbackup mode='pull'><server transport='unix' socket='%s'/>"
                                           "<disks><disk name='vda' type='file'/><disk name='sda' type='file'/>"
                                           "</disks></domainbackup>", sock);
    g_autofree char *desc = NULL, *priv = NULL, *ua = unix_uri("vda"), *ub = unix_uri("sda");
    g_autofree char *oa = in_dir("p-full-vda.raw"), *ob = in_dir("p-full-sda.raw");
    g_autofree char *ra = ref_at(&t, "vda", "p-full"), *rb = ref_at(&t, "sda", "p-full");
    virTypedParameterPtr params = NULL;
    int nparams = 0, type = 0;
    unsigned long long used = 0;

    check("full: data", w("vda", "-P 0x01", 0, 10 * MiB) && w("sda", "-P 0x02", 2 * MiB, 4 * MiB));
    check("full: begin, with checkpoint c1", begin(xml, "c1", "p-full"));
    desc = virDomainBackupGetXMLDesc(t.dom, 0);
    priv = private_dir();
    check("full: scratch images in the domain's private directory",
          desc && priv && strstr(desc, priv) && strstr(desc, "<scratch file='") && exists(priv));
    check("full: the guest writes over data and holes",
          w("vda", "-P 0xb1", 0, 2 * MiB) && w("vda", "-P 0xb2", 12 * MiB, MiB) && w("sda", "-z", 3 * MiB, MiB));
    check("full: nbdcopy of every export", nbdcopy(ua, oa) && nbdcopy(ub, ob));
    check("full: vda as at the job's start", same_as(oa, "raw", ra));
    check("full: sda as at the job's start", same_as(ob, "raw", rb));
    check("full: statistics: the scratch took the overwritten data",
          virDomainGetJobStats(t.dom, &type, &params, &nparams, 0) == 0 && type == VIR_DOMAIN_JOB_UNBOUNDED &&
              virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_DISK_TEMP_USED, &used) == 1 &&
              used >= 3 * MiB);
    virTypedParamsFree(params, nparams);
    check("full: abort ends it, completed", end_completed());
    check("full: the private directory is gone", priv && !exists(priv));
    quiet_run = true;
    check("full: the export is gone", !nbdcopy(ua, "null:"));
    quiet_run = false;
}

static void test_incremental(void)
{
    g_autofree char *xml = g_strdup_printf("<domainbackup mode='pull'><incremental>c1</incremental>"
                                           "<server transport='unix' socket='%s'/>"
                                           "<disks><disk name='vda' type='file'/></disks></domainbackup>", sock);
    g_autofree char *ua = unix_uri("vda"), *full = in_dir("p-full-vda.raw"), *out = in_dir("p-inc1-vda.raw");
    g_autofree char *ref = ref_at(&t, "vda", "p-inc1"), *err = NULL, *desc = NULL;
    unsigned long long bytes = 0;
    unsigned int extents = 0;
    struct nbd_handle *client;
    char data[512];

    check("inc: writes since c1", w("vda", "-P 0xc1", 4 * MiB, 192 * 1024) && w("vda", "-z", 9 * MiB, CLUSTER));
    check("inc: an incremental pull since c1, with c2", begin(xml, "c2", "p-inc1"));
    desc = virDomainBackupGetXMLDesc(t.dom, 0);
    check("inc: the XML names the export and its bitmap",
          desc && strstr(desc, "exportname='vda'") && strstr(desc, "exportbitmap='backup-vda'") &&
              strstr(desc, "<disk name='sda' backup='no'/>"));
    check("inc: the guest writes meanwhile", w("vda", "-P 0xc2", 4 * MiB, MiB) && w("vda", "-P 0xc3", 15 * MiB, MiB));
    check("inc: nbdinfo --map: exactly the clusters written since c1",
          map_is(ua, "qemu:dirty-bitmap:backup-vda", expected));
    check("inc: copy only the dirty extents (libnbd) onto the full",
          copy_file(full, out) && nbd_copy_dirty(ua, "qemu:dirty-bitmap:backup-vda", NULL, out, &bytes, &extents,
                                                 &err) == 0);
    if (err)
        printf("  %s\n", err);
    check("inc: ... which were only the dirty bytes", bytes == g_hash_table_size(expected) * (unsigned long long)CLUSTER);
    check("inc: full + incremental equal vda at the job's start", same_as(out, "raw", ref));
    client = nbd_open_export(ua, NULL, NULL, &err);
    check("inc: a client stays connected", client && nbd_pread(client, data, sizeof(data), 0, 0) == 0);
    check("inc: abort with the client connected: completed", end_completed());
    check("inc: the client was cut off", client && nbd_pread(client, data, sizeof(data), 0, 0) < 0);
    if (client)
        nbd_close(client);
}

static unsigned int free_port(void)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    unsigned int port = 0;

    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

static void test_tcp_names(void)
{
    unsigned int port = free_port();
    g_autofree char *scratch = in_dir("my-scratch.qcow2");
    g_autofree char *xml = g_strdup_printf(
        "<domainbackup mode='pull'><incremental>c2</incremental>"
        "<server transport='tcp' name='127.0.0.1' port='%u'/><disks>"
        "<disk name='vda' type='file' exportname='disk-a' exportbitmap='bm-a'><scratch file='%s'/></disk>"
        "</disks></domainbackup>", port, scratch);
    g_autofree char *uri = g_strdup_printf("nbd://127.0.0.1:%u/disk-a", port);
    g_autofree char *full = in_dir("p-full-vda.raw"), *out = in_dir("p-inc2-vda.raw"), *err = NULL;
    g_autofree char *ref = ref_at(&t, "vda", "p-inc2"), *prev = in_dir("p-inc1-vda.raw");
    unsigned long long bytes = 0;
    unsigned int extents = 0;

    check("tcp: an incremental since c2 over TCP, names of the caller's", port && begin(xml, NULL, "p-inc2"));
    check("tcp: the caller's scratch file is used", exists(scratch));
    check("tcp: the bitmap has the caller's name", map_is(uri, "qemu:dirty-bitmap:bm-a", dirty));
    check("tcp: rebuild on the previous one",
          copy_file(prev, out) && nbd_copy_dirty(uri, "qemu:dirty-bitmap:bm-a", NULL, out, &bytes, &extents, &err) == 0 &&
              same_as(out, "raw", ref));
    if (err)
        printf("  %s\n", err);
    check("tcp: abort", end_completed());
    check("tcp: the scratch file is removed", !exists(scratch));
    (void)full;
}

static bool sh(const char *script)
{
    const char *argv[] = { "sh", "-ec", script, NULL };
    return run(argv, NULL);
}

static void test_tls(void)
{
    g_autofree char *pki = g_build_filename(root, "etc", "pki", "libvirt-backup", NULL);
    g_autofree char *cli = in_dir("client-pki");
    g_autofree char *script = NULL, *xml = NULL, *uri = NULL, *out = in_dir("p-tls-vda.raw"), *err = NULL;
    g_autofree char *ref = ref_at(&t, "vda", "p-tls");
    g_autofree char *certtool = g_find_program_in_path("certtool");
    struct nbd_handle *h;

    if (!certtool) {
        printf("skip: certtool not installed, TLS not tested\n");
        return;
    }
    script = g_strdup_printf(
        "mkdir -p %1$s %2$s; cd %1$s\n"
        "certtool --generate-privkey --outfile ca-key.pem 2>/dev/null\n"
        "printf 'cn = test CA\\nca\\ncert_signing_key\\nexpiration_days = 2\\n' > ca.info\n"
        "certtool --generate-self-signed --load-privkey ca-key.pem --template ca.info --outfile ca-cert.pem 2>/dev/null\n"
        "certtool --generate-privkey --outfile server-key.pem 2>/dev/null\n"
        "printf 'cn = localhost\\ndns_name = localhost\\nip_address = 127.0.0.1\\ntls_www_server\\n"
        "encryption_key\\nsigning_key\\nexpiration_days = 2\\n' > server.info\n"
        "certtool --generate-certificate --load-ca-certificate ca-cert.pem --load-ca-privkey ca-key.pem "
        "--load-privkey server-key.pem --template server.info --outfile server-cert.pem 2>/dev/null\n"
        "certtool --generate-privkey --outfile %2$s/client-key.pem 2>/dev/null\n"
        "printf 'cn = client\\ntls_www_client\\nencryption_key\\nsigning_key\\nexpiration_days = 2\\n' > client.info\n"
        "certtool --generate-certificate --load-ca-certificate ca-cert.pem --load-ca-privkey ca-key.pem "
        "--load-privkey %2$s/client-key.pem --template client.info --outfile %2$s/client-cert.pem 2>/dev/null\n"
        "cp ca-cert.pem %2$s/\n", pki, cli);
    if (!check("tls: certificates", sh(script)))
        return;
    xml = g_strdup_printf("<domainbackup mode='pull'><server transport='unix' socket='%s' tls='yes'/>"
                          "<disks><disk name='vda' type='file'/></disks></domainbackup>", sock);
    check("tls: a full pull over TLS", begin(xml, NULL, "p-tls"));
    uri = g_strdup_printf("nbds+unix:///vda?socket=%s&tls-certificates=%s", sock, cli);
    check("tls: nbdcopy with the client's certificate", nbdcopy(uri, out) && same_as(out, "raw", ref));
    g_autofree char *plain = unix_uri("vda");
    h = nbd_open_export(plain, NULL, NULL, &err);
    check("tls: without TLS the export is refused", h == NULL);
    if (h)
        nbd_close(h);
    check("tls: abort", end_completed());
}

static void test_refused(void)
{
    g_autofree char *scratch = in_dir("raw-scratch");
    g_autofree char *raw = g_strdup_printf("<domainbackup mode='pull'><server transport='unix' socket='%s'/><disks>"
                                           "<disk name='vda' type='file'><driver type='raw'/><scratch file='%s'/>"
                                           "</disk></disks></domainbackup>", sock, scratch);

    check("refused: a raw scratch", virDomainBackupBegin(t.dom, raw, NULL, 0) < 0);
    check_api_error("refused: ... by the schema, as libvirt's", VIR_ERR_XML_INVALID_SCHEMA,
                    "invalid value 'raw' of attribute 'type'");
    check("refused: TCP without a port",
          virDomainBackupBegin(t.dom, "<domainbackup mode='pull'><server name='localhost'/></domainbackup>", NULL, 0) < 0);
    check_api_error("refused: ... as libvirt says it", VIR_ERR_OPERATION_UNSUPPORTED,
                    "<domainbackup> must specify TCP port for now");
}

int main(void)
{
    const char *dsts[] = { "vda", "sda", NULL };
    const char *tools[] = { "nbdcopy", "nbdinfo" };

    for (size_t i = 0; i < G_N_ELEMENTS(tools); i++) {
        g_autofree char *p = g_find_program_in_path(tools[i]);
        if (!p) {
            printf("skip: %s not installed\n", tools[i]);
            return 77;
        }
    }
    setup("pull");
    sock = in_dir("nbd.sock");
    dirty = g_hash_table_new(NULL, NULL);
    expected = g_hash_table_new(NULL, NULL);
    if (check("a domain with two qcow2 disks", dom_make(&t, "pl", dsts, SIZE, false))) {
        test_full();
        test_incremental();
        test_tcp_names();
        test_tls();
        test_refused();
        check("destroy", virDomainDestroy(t.dom) == 0);
    }
    dom_release(&t);
    g_hash_table_unref(dirty);
    g_hash_table_unref(expected);
    g_free(sock);
    return finish();
}
