/* Snapshot disk alignment (libvirt's virDomainSnapshotAlignDisks) with real image
 * files for the generated external names, and the redefine checks. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include "conf/snapshot_conf.h"
#include "util/error.h"

#define DS VIR_FROM_DOMAIN_SNAPSHOT
#define UUID "c7a5fdbd-edaf-9455-926a-d65c16db1809"

static int failures, passes;
static const domain_xml_options opts;
static char *dir;   /* temporary directory holding the images */

static void check(const char *what, bool ok)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (ok)
        passes++;
    else
        failures++;
}

/* A domain with the given <disk> elements; @ in them stands for the image directory. */
static domain_def *make_domain(const char *disks)
{
    g_autofree char *body = NULL;
    g_autofree char *xml = NULL;
    g_auto(GStrv) parts = g_strsplit(disks, "@", -1);
    domain_def *def;

    body = g_strjoinv(dir, parts);
    xml = g_strdup_printf("<domain type='qemu'><name>d</name><uuid>" UUID "</uuid>"
                          "<memory unit='KiB'>1024</memory><os><type arch='x86_64'>hvm</type></os>"
                          "<devices>%s</devices></domain>", body);
    def = domain_def_parse(xml, &opts, 0);
    g_assert(def);
    return def;
}

#define FILEDISK(dev, file, extra) \
    "<disk type='file' device='disk'" extra "><source file='@/" file "'/><target dev='" dev "'/></disk>"
#define BLOCKDISK(dev, path) \
    "<disk type='block' device='disk'><source dev='" path "'/><target dev='" dev "'/></disk>"
#define CDROM(dev) "<disk type='file' device='cdrom'><target dev='" dev "'/><readonly/></disk>"

static snapshot_def *make_snapshot(const char *disks_xml)
{
    g_autofree char *xml = g_strdup_printf("<domainsnapshot><name>s1</name><disks>%s</disks>"
                                           "</domainsnapshot>", disks_xml);
    g_auto(GStrv) parts = g_strsplit(xml, "@", -1);
    g_autofree char *text = g_strjoinv(dir, parts);
    snapshot_def *def = snapshot_def_parse_string(text, &opts, 0, NULL);

    g_assert(def);
    return def;
}

/* The aligned disks as "name:location[:path]" joined by spaces, with dir shown as @. */
static char *summary(const snapshot_def *def)
{
    GString *s = g_string_new(NULL);

    for (size_t i = 0; i < def->ndisks; i++) {
        const snapshot_disk_def *d = &def->disks[i];
        g_string_append_printf(s, "%s%s:%s", i ? " " : "", d->name,
                               domain_snapshot_location_to_string(d->snapshot));
        if (d->src->path) {
            const char *p = d->src->path;
            bool in_dir = g_str_has_prefix(p, dir);
            g_string_append_printf(s, ":%s%s", in_dir ? "@" : "", in_dir ? p + strlen(dir) : p);
        }
    }
    return g_string_free(s, FALSE);
}

typedef struct {
    const char *what;
    const char *domain_disks;
    const char *snap_disks;
    int location;
    bool uniform;
    bool force;
    const char *expected;       /* summary, or the error message */
} align_case;

static const align_case cases[] = {
    { "unlisted disks appended in domain order (libvirt sorts a bus's disks by target), "
      "empty cdrom gets 'no'",
      FILEDISK("vda", "a.qcow2", "") CDROM("hdc") FILEDISK("vdb", "b.qcow2", ""),
      "<disk name='vdb' snapshot='no'/>", DOMAIN_SNAPSHOT_LOCATION_INTERNAL, false, false,
      "vda:internal vdb:no hdc:no" },
    { "a disk named by its source path gets its target name",
      FILEDISK("vda", "a.qcow2", "") FILEDISK("vdb", "b.qcow2", ""),
      "<disk name='@/b.qcow2' snapshot='no'/>", DOMAIN_SNAPSHOT_LOCATION_INTERNAL, false, false,
      "vda:internal vdb:no" },
    { "the domain disk's snapshot= attribute is the default",
      FILEDISK("vda", "a.qcow2", " snapshot='no'") FILEDISK("vdb", "b.qcow2", " snapshot='external'"),
      "<disk name='vda'/>", DOMAIN_SNAPSHOT_LOCATION_INTERNAL, false, false,
      "vda:no vdb:external:@/b.s1" },
    { "uniform internal: a listed disk ignores the domain's external attribute",
      FILEDISK("vda", "a.qcow2", " snapshot='external'") FILEDISK("vdb", "b.qcow2", " snapshot='no'"),
      "<disk name='vda'/><disk name='vdb'/>",
      DOMAIN_SNAPSHOT_LOCATION_INTERNAL, true, false, "vda:internal vdb:no" },
    { "force_default: unlisted disks take the default whatever the domain says",
      FILEDISK("vda", "a.qcow2", " snapshot='internal'") FILEDISK("vdb", "b.qcow2", ""),
      "", DOMAIN_SNAPSHOT_LOCATION_EXTERNAL, false, true, "vda:external:@/a.s1 vdb:external:@/b.s1" },
    { "external names: last suffix dropped, directories with dots kept",
      FILEDISK("vda", "a.qcow2", "") FILEDISK("vdb", "d.dir/img", "") FILEDISK("vdc", "c.tar.gz", ""),
      "<disk name='vdc' snapshot='external'><source file='/given/path'/></disk>",
      DOMAIN_SNAPSHOT_LOCATION_EXTERNAL, true, false,
      "vda:external:@/a.s1 vdb:external:@/d.dir/img.s1 vdc:external:/given/path" },
    { "an internal default with uniform internal keeps a listed 'no' on a 'no' disk",
      FILEDISK("vda", "a.qcow2", " snapshot='no'"), "<disk name='vda' snapshot='no'/>",
      DOMAIN_SNAPSHOT_LOCATION_INTERNAL, true, false, "vda:no" },
    { "too many disks", FILEDISK("vda", "a.qcow2", ""),
      "<disk name='vda'/><disk name='vdb'/>", DOMAIN_SNAPSHOT_LOCATION_INTERNAL, true, false,
      "unsupported configuration: too many disk snapshot requests for domain" },
    { "unknown disk", FILEDISK("vda", "a.qcow2", ""), "<disk name='vdz'/>",
      DOMAIN_SNAPSHOT_LOCATION_INTERNAL, true, false, "unsupported configuration: no disk named 'vdz'" },
    { "unknown source path", FILEDISK("vda", "a.qcow2", ""), "<disk name='/no/such'/>",
      DOMAIN_SNAPSHOT_LOCATION_INTERNAL, true, false,
      "unsupported configuration: no disk named '/no/such'" },
    { "an ambiguous source path names no disk",
      FILEDISK("vda", "a.qcow2", "") FILEDISK("vdb", "a.qcow2", ""), "<disk name='@/a.qcow2'/>",
      DOMAIN_SNAPSHOT_LOCATION_INTERNAL, true, false, "unsupported configuration: no disk named '@/a.qcow2'" },
    { "a disk listed twice", FILEDISK("vda", "a.qcow2", "") FILEDISK("vdb", "b.qcow2", ""),
      "<disk name='vda'/><disk name='@/a.qcow2'/>", DOMAIN_SNAPSHOT_LOCATION_INTERNAL, true, false,
      "unsupported configuration: disk '@/a.qcow2' specified twice" },
    { "uniform internal refuses external", FILEDISK("vda", "a.qcow2", ""),
      "<disk name='vda' snapshot='external'/>", DOMAIN_SNAPSHOT_LOCATION_INTERNAL, true, false,
      "unsupported configuration: disk 'vda' must use snapshot mode 'internal'" },
    { "uniform internal refuses 'no' where the domain does not say 'no'",
      FILEDISK("vda", "a.qcow2", ""), "<disk name='vda' snapshot='no'/>",
      DOMAIN_SNAPSHOT_LOCATION_INTERNAL, true, false,
      "unsupported configuration: disk 'vda' must use snapshot mode 'internal'" },
    { "a file for a non-external disk", FILEDISK("vda", "a.qcow2", ""),
      "<disk name='vda' snapshot='internal'><source file='/x'/></disk>",
      DOMAIN_SNAPSHOT_LOCATION_INTERNAL, false, false,
      "unsupported configuration: file '/x' for disk 'vda' requires use of external snapshot mode" },
    { "no generated name for a block device", BLOCKDISK("vda", "/dev/null"), "",
      DOMAIN_SNAPSHOT_LOCATION_EXTERNAL, false, false,
      "unsupported configuration: source for disk 'vda' is not a regular file; refusing to "
      "generate external snapshot name" },
    { "no generated name for a missing image", FILEDISK("vda", "missing.qcow2", ""), "",
      DOMAIN_SNAPSHOT_LOCATION_EXTERNAL, false, false,
      "unsupported configuration: source for disk 'vda' is not a regular file; refusing to "
      "generate external snapshot name" },
    { "no generated name for a network target",
      FILEDISK("vda", "a.qcow2", ""),
      "<disk name='vda' snapshot='external' type='network'><source protocol='nbd'/></disk>",
      DOMAIN_SNAPSHOT_LOCATION_EXTERNAL, false, false,
      "unsupported configuration: cannot generate external snapshot name for disk 'vda' on a "
      "'network' device" },
    { "no generated name without a source", CDROM("hdc"), "<disk name='hdc' snapshot='external'/>",
      DOMAIN_SNAPSHOT_LOCATION_EXTERNAL, false, false,
      "unsupported configuration: cannot generate external snapshot name for disk 'hdc' without "
      "source" },
    { "generated names that collide",
      FILEDISK("vda", "a.qcow2", "") FILEDISK("vdb", "a.raw", ""), "",
      DOMAIN_SNAPSHOT_LOCATION_EXTERNAL, false, false,
      "unsupported configuration: cannot generate external snapshot name for disk 'vdb': "
      "collision with disk 'vda'" },
};

static void run_case(const align_case *c)
{
    g_autoptr(domain_def) dom = make_domain(c->domain_disks);
    g_autoptr(snapshot_def) def = make_snapshot(c->snap_disks);
    g_autofree char *before = summary(def);
    g_autofree char *got = NULL;
    g_auto(GStrv) parts = g_strsplit(c->expected, "@", -1);
    g_autofree char *expected = g_strjoinv(dir, parts);
    int rc = snapshot_def_align_disks(def, dom, c->location, c->uniform, c->force);

    if (rc == 0) {
        got = summary(def);
        g_free(expected);
        expected = g_strdup(c->expected);
    } else {
        g_autofree char *after = summary(def);
        bool unchanged = strcmp(before, after) == 0;

        got = g_strdup_printf("%s%s", error_last()->domain == DS ? "" : "(wrong domain) ",
                              unchanged ? error_last()->message : "(def changed)");
    }
    if (strcmp(got, expected) != 0)
        printf("     got      %s\n     expected %s\n", got, expected);
    check(c->what, strcmp(got, expected) == 0);
}

static void run_domain_sources(void)
{
    g_autoptr(domain_def) dom = make_domain(FILEDISK("vda", "a.qcow2", ""));
    g_autoptr(snapshot_def) def = make_snapshot("");
    g_autofree char *got = NULL;

    check("no domain at all", snapshot_def_align_disks(def, NULL, DOMAIN_SNAPSHOT_LOCATION_INTERNAL,
                                                       true, false) < 0 &&
          error_last()->code == VIR_ERR_INTERNAL_ERROR &&
          strcmp(error_last()->message, "internal error: missing domain in snapshot") == 0);
    check("the existing snapshot's domain is used when the snapshot has none",
          snapshot_def_align_disks(def, dom, DOMAIN_SNAPSHOT_LOCATION_INTERNAL, true, false) == 0 &&
          (got = summary(def)) && strcmp(got, "vda:internal") == 0);
}

static void run_redefine_checks(void)
{
    unsigned char uuid[UUID_LEN], other[UUID_LEN];
    g_autoptr(snapshot_def) def = snapshot_def_new();
    g_autoptr(snapshot_def) old = snapshot_def_new();

    uuid_parse(UUID, uuid);
    uuid_parse("9d37b878-a7cc-9f9a-b78f-49b3abad25a8", other);
    def->name = g_strdup("s");
    def->state = SNAPSHOT_STATE_RUNNING;
    old->state = SNAPSHOT_STATE_PAUSED;
    check("redefine: same kind of state passes", snapshot_def_redefine_validate(def, uuid, old, 0) == 0);
    check("redefine: DISK_ONLY needs disk-snapshot state",
          snapshot_def_redefine_validate(def, uuid, NULL, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY) < 0 &&
          strcmp(error_last()->message, "invalid argument: disk-only flag for snapshot s requires "
                                        "disk-snapshot state") == 0);
    old->state = SNAPSHOT_STATE_SHUTOFF;
    check("redefine: online/offline switch refused",
          snapshot_def_redefine_validate(def, uuid, old, 0) < 0 && error_last()->domain == DS &&
          strcmp(error_last()->message, "invalid argument: cannot change between online and offline "
                                        "snapshot state in snapshot s") == 0);
    def->state = SNAPSHOT_STATE_DISK_SNAPSHOT;
    check("redefine: disk-only/full switch refused",
          snapshot_def_redefine_validate(def, uuid, old, 0) < 0 &&
          strcmp(error_last()->message, "invalid argument: cannot change between disk only and "
                                        "full system in snapshot s") == 0);
    def->dom = make_domain("");
    check("redefine: the domain's uuid is required",
          snapshot_def_redefine_validate(def, other, NULL, 0) < 0 &&
          error_last()->code == VIR_ERR_INVALID_ARG &&
          strcmp(error_last()->message, "invalid argument: definition for snapshot s must use uuid "
                                        "9d37b878-a7cc-9f9a-b78f-49b3abad25a8") == 0);
    check("redefine location: external for disk-snapshot",
          snapshot_def_redefine_location(def) == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL);
    def->state = SNAPSHOT_STATE_RUNNING;
    check("redefine location: internal for a running internal snapshot",
          snapshot_def_redefine_location(def) == DOMAIN_SNAPSHOT_LOCATION_INTERNAL);
}

/* A redefinition with a full domain, aligned as libvirt's test driver aligns it
 * (redefine location, uniform internal); the expected file is its snapshot-dumpxml. */
static void run_redefine_end_to_end(void)
{
    const char *data = g_getenv("VIRTMOMENT_TEST_DATA");
    g_autofree char *in_path = g_build_filename(data ? data : ".", "snapshot-redefine-align.in.xml", NULL);
    g_autofree char *out_path = g_build_filename(data ? data : ".", "snapshot-redefine-align.out.xml", NULL);
    g_autofree char *in = NULL, *expected = NULL, *got = NULL;
    g_autoptr(snapshot_def) def = NULL;

    if (!g_file_get_contents(in_path, &in, NULL, NULL) ||
        !g_file_get_contents(out_path, &expected, NULL, NULL)) {
        check("redefine end to end: data files", false);
        return;
    }
    def = snapshot_def_parse_string(in, &opts, SNAPSHOT_PARSE_REDEFINE, NULL);
    if (def && snapshot_def_align_disks(def, NULL, snapshot_def_redefine_location(def), true,
                                        false) == 0)
        got = snapshot_def_format(def, def->parent_name, def->dom->uuid, 0);
    if (got && strcmp(got, expected) != 0)
        printf("     got:\n%s", got);
    check("redefine end to end: libvirt's test driver output",
          got && strcmp(got, expected) == 0);
}

static void make_images(void)
{
    static const char *const files[] = { "a.qcow2", "b.qcow2", "c.tar.gz", "a.raw", "d.dir/img" };
    g_autofree char *sub = g_build_filename(dir, "d.dir", NULL);

    g_mkdir(sub, 0700);
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        g_autofree char *path = g_build_filename(dir, files[i], NULL);
        g_assert(g_file_set_contents(path, "", 0, NULL));
    }
}

static void remove_tree(const char *path)
{
    g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *child = g_build_filename(path, name, NULL);
        if (g_file_test(child, G_FILE_TEST_IS_DIR))
            remove_tree(child);
        else
            g_unlink(child);
    }
    g_rmdir(path);
}

int main(void)
{
    dir = g_dir_make_tmp("snapalign-XXXXXX", NULL);
    g_assert(dir);
    make_images();
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
        run_case(&cases[i]);
    run_domain_sources();
    run_redefine_checks();
    run_redefine_end_to_end();
    remove_tree(dir);
    g_free(dir);
    printf("%d passed, %d failed\n", passes, failures);
    return failures ? 1 : 0;
}
