/* Snapshot XML parsing: every parse error with libvirt 9.0's code, domain and message
 * (measured on its test driver), canonical output of every source form, create
 * defaults and the name check. */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <libvirt/libvirt.h>
#include "conf/moment_name.h"
#include "conf/schema.h"
#include "conf/snapshot_conf.h"
#include "util/error.h"
#include "util/xml.h"
#include <libxml/parser.h>

static int failures, passes;
static const domain_xml_options opts;

static void check(const char *what, bool ok)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (ok)
        passes++;
    else
        failures++;
}

#define R SNAPSHOT_PARSE_REDEFINE
#define SNAP(body) "<domainsnapshot><name>a</name>" body "</domainsnapshot>"
#define RSNAP(state, body) \
    "<domainsnapshot><name>a</name><state>" state "</state><creationTime>12</creationTime>" \
    body "</domainsnapshot>"
#define DISK(attrs, body) SNAP("<disks><disk name='vda'" attrs ">" body "</disk></disks>")
#define SRC(body) DISK(" snapshot='external'", "<source file='/a'>" body "</source>")
#define NET(body) DISK(" type='network' snapshot='external'", body)
#define DS VIR_FROM_DOMAIN_SNAPSHOT
#define XE VIR_ERR_XML_ERROR

typedef struct {
    unsigned int flags;
    const char *xml;
    int code;
    int domain;
    const char *message;
} error_case;

static const error_case cases[] = {
    { R, "<domainsnapshot><description>x</description></domainsnapshot>", XE, DS,
      "XML error: a redefined snapshot must have a name" },
    { R, "<domainsnapshot><name></name></domainsnapshot>", XE, DS,
      "XML error: a redefined snapshot must have a name" },
    { R, SNAP(""), VIR_ERR_INTERNAL_ERROR, DS,
      "internal error: missing creationTime from existing snapshot" },
    { R, SNAP("<creationTime>abc</creationTime><state>running</state>"), VIR_ERR_INTERNAL_ERROR,
      DS, "internal error: missing creationTime from existing snapshot" },
    { R, SNAP("<creationTime>12</creationTime>"), XE, DS,
      "XML error: missing state from existing snapshot" },
    { R, RSNAP("nostate", ""), VIR_ERR_CONFIG_UNSUPPORTED, DS,
      "unsupported configuration: Invalid state 'nostate' in domain snapshot XML" },
    { R, RSNAP("bogus", ""), VIR_ERR_CONFIG_UNSUPPORTED, DS,
      "unsupported configuration: Invalid state 'bogus' in domain snapshot XML" },
    { R, RSNAP("shutoff", "<memory snapshot='internal'/>"), XE, DS,
      "XML error: memory state cannot be saved with offline or disk-only snapshot" },
    { R, RSNAP("disk-snapshot", "<memory snapshot='external' file='/m'/>"), XE, DS,
      "XML error: memory state cannot be saved with offline or disk-only snapshot" },
    { SNAPSHOT_PARSE_OFFLINE, SNAP("<memory snapshot='internal'/>"), XE, DS,
      "XML error: memory state cannot be saved with offline or disk-only snapshot" },
    { 0, SNAP("<memory snapshot='manual'/>"), XE, DS,
      "XML error: 'manual' memory snapshot mode not supported" },
    { 0, SNAP("<memory snapshot='default'/>"), XE, VIR_FROM_XML,
      "XML error: Invalid value for attribute 'snapshot' in element 'memory': 'default'." },
    { 0, SNAP("<memory snapshot='bogus'/>"), XE, VIR_FROM_XML,
      "XML error: Invalid value for attribute 'snapshot' in element 'memory': 'bogus'." },
    { 0, SNAP("<memory snapshot='internal' file='/x'/>"), XE, DS,
      "XML error: memory filename '/x' requires external snapshot" },
    { 0, SNAP("<memory snapshot='external'/>"), XE, DS,
      "XML error: external memory snapshots require a filename" },
    { 0, SNAP("<memory file='rel'/>"), XE, DS,
      "XML error: memory snapshot file path (rel) must be absolute" },
    { 0, SNAP("<disks><disk snapshot='no'/></disks>"), VIR_ERR_INTERNAL_ERROR, DS,
      "internal error: missing name from disk snapshot element" },
    { 0, DISK(" snapshot='bogus'", ""), XE, VIR_FROM_XML,
      "XML error: Invalid value for attribute 'snapshot' in element 'disk': 'bogus'." },
    { 0, DISK(" snapshot='default'", ""), XE, VIR_FROM_XML,
      "XML error: Invalid value for attribute 'snapshot' in element 'disk': 'default'." },
    { 0, DISK(" type='volume'", ""), XE, DS, "XML error: unsupported disk snapshot type 'volume'" },
    { 0, DISK(" type='dir'", ""), XE, DS, "XML error: unsupported disk snapshot type 'dir'" },
    { 0, DISK(" type='bogus'", ""), XE, VIR_FROM_XML,
      "XML error: Invalid value for attribute 'type' in element 'disk': 'bogus'." },
    { 0, DISK(" type='none'", ""), XE, VIR_FROM_XML,
      "XML error: Invalid value for attribute 'type' in element 'disk': 'none'." },
    { 0, DISK("", "<driver type='foo'/>"), VIR_ERR_CONFIG_UNSUPPORTED, DS,
      "unsupported configuration: unknown disk snapshot driver 'foo'" },
    { 0, DISK("", "<driver type='none'/>"), VIR_ERR_CONFIG_UNSUPPORTED, DS,
      "unsupported configuration: unknown disk snapshot driver 'none'" },
    { 0, DISK("", "<source file='rel'/>"), XE, DS,
      "XML error: disk snapshot image path 'rel' must be absolute" },
    { 0, DISK(" type='block'", "<source dev='dev/x'/>"), XE, DS,
      "XML error: disk snapshot image path 'dev/x' must be absolute" },
    { 0, DISK("", "<driver><metadata_cache><max_size unit='foo'>1</max_size></metadata_cache></driver>"),
      VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "invalid argument: unknown suffix 'foo'" },
    { 0, DISK("", "<driver><metadata_cache><max_size>abc</max_size></metadata_cache></driver>"),
      XE, VIR_FROM_XML,
      "XML error: Invalid value 'abc' for element or attribute './driver/metadata_cache/max_size'" },
    { 0, DISK("", "<driver><metadata_cache><max_size>-0</max_size></metadata_cache></driver>"),
      XE, VIR_FROM_XML,
      "XML error: Invalid value '-0' for element or attribute './driver/metadata_cache/max_size'" },
    { 0, DISK("", "<driver><metadata_cache><max_size unit='EiB'>100</max_size></metadata_cache></driver>"),
      VIR_ERR_OVERFLOW, VIR_FROM_NONE, "numerical overflow: value too large: 100EiB" },
    { 0, "<notsnapshot/>", XE, VIR_FROM_XML,
      "XML error: expecting root element of 'domainsnapshot', not 'notsnapshot'" },
    { SNAPSHOT_PARSE_INTERNAL, SNAP(""), VIR_ERR_INTERNAL_ERROR, DS,
      "internal error: Could not find 'active' element" },
    { SNAPSHOT_PARSE_INTERNAL, SNAP("<active>yes</active>"), VIR_ERR_INTERNAL_ERROR, DS,
      "internal error: Could not find 'active' element" },
    /* <source> children */
    { 0, SRC("<seclabel model='dac' relabel='no'><label>x</label></seclabel>"), XE, VIR_FROM_DOMAIN,
      "XML error: Cannot specify a label if relabelling is turned off. model=dac" },
    { 0, SRC("<seclabel relabel='no'><label>x</label></seclabel>"), XE, VIR_FROM_DOMAIN,
      "XML error: Cannot specify a label if relabelling is turned off. model=<null>" },
    { 0, SRC("<seclabel model='dac' relabel='maybe'/>"), XE, VIR_FROM_XML,
      "XML error: Invalid value for attribute 'relabel' in element 'seclabel': 'maybe'." },
    { 0, SRC("<seclabel model='dac' labelskip='bad'/>"), XE, VIR_FROM_XML,
      "XML error: Invalid value for attribute 'labelskip' in element 'seclabel': 'bad'." },
    { 0, SRC("<seclabel model='a'/><seclabel model='a'/>"), VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN,
      "seclabel for model a is already provided" },
    { 0, SRC("<encryption format='bogus'/>"), VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_STORAGE,
      "unsupported configuration: unknown volume encryption format type bogus" },
    { 0, SRC("<encryption format='luks-any'/>"), VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_STORAGE,
      "unsupported configuration: unknown volume encryption format type luks-any" },
    { 0, SRC("<encryption/>"), XE, VIR_FROM_STORAGE, "XML error: unknown volume encryption format" },
    { 0, SRC("<encryption format='luks'><secret type='bogus' usage='u'/></encryption>"),
      VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_STORAGE,
      "unsupported configuration: unknown volume encryption secret type bogus" },
    { 0, SRC("<encryption format='luks'><secret usage='u'/></encryption>"), XE, VIR_FROM_STORAGE,
      "XML error: unknown volume encryption secret type" },
    { 0, SRC("<encryption format='luks'><secret type='passphrase'/></encryption>"), XE,
      VIR_FROM_NONE, "XML error: missing secret uuid or usage attribute" },
    { 0, SRC("<encryption format='luks'><secret type='passphrase' uuid='zz'/></encryption>"), XE,
      VIR_FROM_NONE, "XML error: invalid secret uuid 'zz'" },
    { 0, SRC("<encryption format='luks'><secret type='passphrase' usage='x' "
             "uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/></encryption>"), XE, VIR_FROM_NONE,
      "XML error: either secret uuid or usage expected" },
    { 0, SRC("<encryption format='luks' engine='bogus'/>"), XE, VIR_FROM_XML,
      "XML error: Invalid value for attribute 'engine' in element 'encryption': 'bogus'." },
    { 0, SRC("<encryption format='luks'><cipher name='aes' size='x'/></encryption>"), XE,
      VIR_FROM_XML, "XML error: Invalid value for attribute 'size' in element 'cipher': 'x'. "
      "Expected non-negative integer value" },
    { 0, SRC("<encryption format='luks'><cipher size='1'/></encryption>"), XE, VIR_FROM_STORAGE,
      "XML error: cipher info missing 'name' attribute" },
    { 0, SRC("<encryption format='luks'><cipher name='x'/></encryption>"), XE, VIR_FROM_XML,
      "XML error: Missing required attribute 'size' in element 'cipher'" },
    { 0, SRC("<encryption format='luks'><ivgen name='x'/></encryption>"), XE, VIR_FROM_STORAGE,
      "XML error: ivgen element found, but cipher is missing" },
    { 0, SRC("<encryption format='luks'><cipher name='aes' size='256'/><ivgen hash='x'/></encryption>"),
      XE, VIR_FROM_STORAGE, "XML error: missing ivgen info name string" },
    { 0, NET("<source/>"), XE, VIR_FROM_XML,
      "XML error: Missing required attribute 'protocol' in element 'source'" },
    { 0, NET("<source protocol='bogus' name='x'/>"), XE, VIR_FROM_XML,
      "XML error: Invalid value for attribute 'protocol' in element 'source': 'bogus'." },
    { 0, NET("<source protocol='gluster'/>"), XE, VIR_FROM_DOMAIN,
      "XML error: missing name for disk source" },
    { 0, NET("<source protocol='gluster' name='noslash'/>"), XE, VIR_FROM_DOMAIN,
      "XML error: can't split path 'noslash' into pool name and image name" },
    { 0, NET("<source protocol='rbd' name='/lead'/>"), XE, VIR_FROM_DOMAIN,
      "XML error: can't split path '/lead' into pool name and image name" },
    { 0, NET("<source protocol='nbd' name='x'><host/></source>"), XE, VIR_FROM_DOMAIN,
      "XML error: missing name for host" },
    { 0, NET("<source protocol='nbd' name='x'><host name='h' port='abc'/></source>"),
      VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "invalid argument: failed to parse port number 'abc'" },
    { 0, NET("<source protocol='nbd' name='x'><host name='h' port='70000'/></source>"),
      VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "invalid argument: port '70000' out of range" },
    { 0, NET("<source protocol='nbd' name='x'><host transport='unix'/></source>"), XE,
      VIR_FROM_DOMAIN, "XML error: missing socket for unix transport" },
    { 0, NET("<source protocol='nbd' name='x'><host transport='tcp' name='h' socket='/s'/></source>"),
      XE, VIR_FROM_DOMAIN, "XML error: transport 'tcp' does not support socket attribute" },
    { 0, NET("<source protocol='nbd' name='x'><host socket='/s'/></source>"), XE, VIR_FROM_DOMAIN,
      "XML error: transport '(null)' does not support socket attribute" },
    { 0, NET("<source protocol='nbd' name='x'><host transport='bogus' name='h'/></source>"),
      VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
      "unsupported configuration: unknown protocol transport type 'bogus'" },
    { 0, NET("<source protocol='nbd' name='x' tls='maybe'/>"), XE, VIR_FROM_XML,
      "XML error: Invalid value for attribute 'tls' in element 'source': 'maybe'." },
    { 0, NET("<source protocol='iscsi' name='x'><auth><secret type='iscsi' usage='x'/></auth></source>"),
      XE, VIR_FROM_STORAGE, "XML error: missing username for auth" },
    { 0, NET("<source protocol='iscsi' name='x'><auth username='u'/></source>"), XE,
      VIR_FROM_STORAGE, "XML error: Missing <secret> element in auth" },
};

static void run_error_cases(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const error_case *c = &cases[i];
        bool cur = false;
        g_autoptr(snapshot_def) def = snapshot_def_parse_string(c->xml, &opts, c->flags, &cur);
        virErrorPtr e = error_last();
        bool ok = !def && e && e->code == c->code && e->domain == c->domain &&
                  g_strcmp0(e->message, c->message) == 0;
        g_autofree char *what = g_strdup_printf("refused: %s", c->message);

        if (!ok)
            printf("     xml %s\n     got %d/%d '%s'\n", c->xml, e ? e->code : 0,
                   e ? e->domain : 0, e ? e->message : "(parsed)");
        check(what, ok);
        error_reset();
    }
}

/* Malformed XML: the first error, with the line and a pointer as libvirt prints them. */
static const char *const malformed[][2] = {
    { "<domainsnapshot",
      "(domain_snapshot):1: Couldn't find end of Start Tag domainsnapshot line 1\n"
      "<domainsnapshot\n---------------^" },
    { "<domainsnapshot><name>a</name>\n  <disks><disk name=\"vda\"></disks>\n</domainsnapshot>",
      "(domain_snapshot):2: Opening and ending tag mismatch: disk line 2 and disks\n"
      "  <disks><disk name=\"vda\"></disks>\n----------------------------------^" },
    { "<domainsnapshot><name>a&foo;</name></domainsnapshot>",
      "(domain_snapshot):1: Entity 'foo' not defined\n"
      "<domainsnapshot><name>a&foo;</name></domainsnapshot>\n----------------------------^" },
};

static void run_malformed(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(malformed); i++) {
        g_autoptr(snapshot_def) def = snapshot_def_parse_string(malformed[i][0], &opts, 0, NULL);
        virErrorPtr e = error_last();
        g_autofree char *what = g_strdup_printf("malformed XML %zu: libvirt's message", i + 1);
        bool ok = !def && e->code == VIR_ERR_XML_DETAIL && e->domain == DS &&
                  strcmp(e->message, malformed[i][1]) == 0;

        if (!ok)
            printf("     got %d/%d '%s'\n", e->code, e->domain, e->message);
        check(what, ok);
    }
}

static void run_schema_errors(void)
{
    g_autofree char *rng = g_build_filename(schema_dir(), "domainsnapshot.rng", NULL);
    g_autofree char *extra = g_strdup_printf(
        "XML document failed to validate against schema: Unable to validate doc against %s\n"
        "Element domainsnapshot has extra content: foo\n", rng);
    g_autofree char *memory = g_strdup_printf(
        "XML document failed to validate against schema: Unable to validate doc against %s\n"
        "Extra element memory in interleave\nElement domainsnapshot failed to validate content\n",
        rng);
    snapshot_def *def;

    if (!g_file_test(rng, G_FILE_TEST_EXISTS)) {
        printf("skip schema errors: %s missing\n", rng);
        return;
    }
    def = snapshot_def_parse_string(SNAP("<foo/>"), &opts, SNAPSHOT_PARSE_VALIDATE, NULL);
    check("VALIDATE: unknown element, libvirt's message",
          !def && error_last()->code == VIR_ERR_XML_INVALID_SCHEMA &&
          error_last()->domain == VIR_FROM_XML && strcmp(error_last()->message, extra) == 0);
    def = snapshot_def_parse_string(SNAP("<memory snapshot='bogus'/>"), &opts,
                                    SNAPSHOT_PARSE_VALIDATE, NULL);
    check("VALIDATE: bad value, libvirt's message",
          !def && strcmp(error_last()->message, memory) == 0);
    def = snapshot_def_parse_string(SNAP("<foo/>"), &opts, 0, NULL);
    check("without VALIDATE unknown elements are ignored", def != NULL);
    snapshot_def_free(def);
}

static void run_missing_schema(void)
{
    snapshot_def *def;

    g_setenv("VIRTMOMENT_SCHEMA_DIR", "/nonexistent/schemas", TRUE);
    def = snapshot_def_parse_string(SNAP(""), &opts, SNAPSHOT_PARSE_VALIDATE, NULL);
    check("VALIDATE without the schema says which file is missing",
          !def && error_last()->code == VIR_ERR_INTERNAL_ERROR &&
          strstr(error_last()->message, "/nonexistent/schemas/domainsnapshot.rng") &&
          strstr(error_last()->message, "No such file or directory"));
    g_unsetenv("VIRTMOMENT_SCHEMA_DIR");
}

static char *read_data(const char *name)
{
    g_autofree char *path = g_build_filename(g_getenv("VIRTMOMENT_TEST_DATA"), name, NULL);
    char *text = NULL;

    g_file_get_contents(path, &text, NULL, NULL);
    return text;
}

/* Every source form comes back as libvirt 9.0 writes it (the expected file is the
 * test driver's snapshot-dumpxml of the input, without its <domain>). */
static void run_sources(void)
{
    g_autofree char *in = read_data("snapshot-sources.in.xml");
    g_autofree char *expected = read_data("snapshot-sources.out.xml");
    g_autoptr(snapshot_def) def = in ? snapshot_def_parse_string(in, &opts, R, NULL) : NULL;
    g_autoptr(snapshot_def) copy = def ? snapshot_def_copy(def) : NULL;
    g_autofree char *got = copy ? snapshot_def_format(copy, NULL, NULL, 0) : NULL;

    if (got && expected && strcmp(got, expected) != 0)
        printf("     got:\n%s", got);
    check("sources: canonical output as libvirt's (through a copy)",
          got && expected && strcmp(got, expected) == 0);
}

static char *round_trip(const char *xml, unsigned int pflags, unsigned int fflags)
{
    bool cur = false;
    g_autoptr(snapshot_def) def = snapshot_def_parse_string(xml, &opts, pflags, &cur);

    if (!def)
        return g_strdup(error_last()->message);
    return snapshot_def_format(def, def->parent_name, NULL, fflags | (cur ? SNAPSHOT_FORMAT_CURRENT : 0));
}

static void expect_output(const char *what, const char *xml, unsigned int pflags,
                          unsigned int fflags, const char *expected)
{
    g_autofree char *got = round_trip(xml, pflags, fflags);

    if (strcmp(got, expected) != 0)
        printf("     got:\n%s     expected:\n%s", got, expected);
    check(what, strcmp(got, expected) == 0);
}

static void run_semantics(void)
{
    bool cur = true;
    g_autoptr(snapshot_def) def = NULL;

    expect_output("create ignores state, parent, creationTime and <domain>",
                  SNAP("<state>running</state><parent><name>p</name></parent>"
                       "<creationTime>5</creationTime><domain type='kvm'><name>x</name></domain>"),
                  0, 0, "<domainsnapshot>\n  <name>a</name>\n</domainsnapshot>\n");
    expect_output("redefine defaults memory to internal when online",
                  RSNAP("paused", ""), R, 0,
                  "<domainsnapshot>\n  <name>a</name>\n  <state>paused</state>\n"
                  "  <creationTime>12</creationTime>\n  <memory snapshot='internal'/>\n"
                  "</domainsnapshot>\n");
    expect_output("escaping, whitespace kept, empty description dropped",
                  "<domainsnapshot><name> a&amp;b&lt;'\" </name><description></description>"
                  "</domainsnapshot>", 0, 0,
                  "<domainsnapshot>\n  <name> a&amp;b&lt;&apos;&quot; </name>\n</domainsnapshot>\n");
    expect_output("snapshotDeleteInProgress and revertDisks on redefine, printed in place",
                  RSNAP("disk-snapshot", "<disks><disk name='vda' snapshot='external'>"
                        "<snapshotDeleteInProgress/><source file='/a'/></disk></disks>"
                        "<revertDisks><disk name='vda'><source file='/r'/></disk></revertDisks>"
                        "<active>1</active>"),
                  R | SNAPSHOT_PARSE_INTERNAL, SNAPSHOT_FORMAT_INTERNAL,
                  "<domainsnapshot>\n  <name>a</name>\n  <state>disk-snapshot</state>\n"
                  "  <creationTime>12</creationTime>\n  <memory snapshot='no'/>\n  <disks>\n"
                  "    <disk name='vda' snapshot='external' type='file'>\n"
                  "      <snapshotDeleteInProgress/>\n      <source file='/a'/>\n"
                  "    </disk>\n  </disks>\n  <revertDisks>\n"
                  "    <disk name='vda' snapshot='external' type='file'>\n"
                  "      <source file='/r'/>\n    </disk>\n  </revertDisks>\n"
                  "  <active>1</active>\n</domainsnapshot>\n");
    expect_output("a create reads neither snapshotDeleteInProgress nor revertDisks",
                  SNAP("<disks><disk name='vda' snapshot='no'><snapshotDeleteInProgress/></disk>"
                       "</disks><revertDisks><disk name='vda'/></revertDisks>"), 0, 0,
                  "<domainsnapshot>\n  <name>a</name>\n  <disks>\n"
                  "    <disk name='vda' snapshot='no'/>\n  </disks>\n</domainsnapshot>\n");
    expect_output("cookie kept in canonical layout",
                  SNAP("<cookie>\n<cpu mode=\"custom\"><model fallback='forbid'>qemu64</model>"
                       "</cpu><!-- c --><slirpHelper/></cookie>"), 0, 0,
                  "<domainsnapshot>\n  <name>a</name>\n  <cookie>\n"
                  "    <cpu mode='custom'>\n      <model fallback='forbid'>qemu64</model>\n"
                  "    </cpu>\n    <slirpHelper/>\n  </cookie>\n</domainsnapshot>\n");
    expect_output("no cookie for an offline snapshot",
                  RSNAP("shutoff", "<cookie><cpu/></cookie>"), R, 0,
                  "<domainsnapshot>\n  <name>a</name>\n  <state>shutoff</state>\n"
                  "  <creationTime>12</creationTime>\n  <memory snapshot='no'/>\n"
                  "</domainsnapshot>\n");

    def = snapshot_def_parse_string(SNAP("<active>0</active>"), &opts, SNAPSHOT_PARSE_INTERNAL, &cur);
    check("<active>0</active>: not current", def && !cur);
    g_clear_pointer(&def, snapshot_def_free);
    cur = true;
    def = snapshot_def_parse_string(SNAP(""), &opts, SNAPSHOT_PARSE_INTERNAL, &cur);
    check("ret_current untouched on failure", !def && cur);

    def = snapshot_def_parse_string("<domainsnapshot/>", &opts, 0, NULL);
    snapshot_def_set_create_defaults(def, 1700000001);
    check("create defaults: name and creation time from the clock",
          g_strcmp0(def->name, "1700000001") == 0 && def->creation_time == 1700000001);
    g_clear_pointer(&def, snapshot_def_free);
    def = snapshot_def_parse_string(SNAP(""), &opts, 0, NULL);
    snapshot_def_set_create_defaults(def, 7);
    check("create defaults keep a given name", g_strcmp0(def->name, "a") == 0 &&
          def->creation_time == 7);
    check("not external", !snapshot_def_is_external(def));
    g_clear_pointer(&def, snapshot_def_free);
    def = snapshot_def_parse_string(DISK("", "<source file='/n'/>"), &opts, 0, NULL);
    check("a disk with a path is external", def && def->disks[0].snapshot ==
          DOMAIN_SNAPSHOT_LOCATION_EXTERNAL && snapshot_def_is_external(def));
    check("list filter: location group (a disk is external)",
          snapshot_def_matches_list_flags(def, VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL) &&
          !snapshot_def_matches_list_flags(def, VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL) &&
          snapshot_def_matches_list_flags(def, VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL |
                                               VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL));
    def->state = SNAPSHOT_STATE_SHUTOFF;
    check("list filter: status group",
          snapshot_def_matches_list_flags(def, VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE) &&
          !snapshot_def_matches_list_flags(def, VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE |
                                                VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY) &&
          snapshot_def_matches_list_flags(def, VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE |
                                               VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY |
                                               VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE) &&
          snapshot_def_matches_list_flags(def, VIR_DOMAIN_SNAPSHOT_LIST_ROOTS));
    check("public XML_SECURE flag", snapshot_format_flags_from_public(1 | 8) == SNAPSHOT_FORMAT_SECURE);
}

/* The test driver's node files carry snapshots as <test:domainsnapshot> elements. */
static void run_fixture_node(void)
{
    static const char xml[] =
        "<node><domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"
        "<test:domainsnapshot><name>child</name><state>running</state>"
        "<parent><name>base</name></parent><creationTime>1700000100</creationTime>"
        "<active>1</active></test:domainsnapshot></domain></node>";
    g_autoptr(xmlDoc) doc = xmlReadDoc((const xmlChar *)xml, NULL, NULL, XML_PARSE_NONET);
    xmlNodePtr snap = xmlDocGetRootElement(doc)->children->children;
    bool cur = false;
    g_autoptr(snapshot_def) def = snapshot_def_parse_node(snap, &opts, R | SNAPSHOT_PARSE_INTERNAL,
                                                          &cur);
    g_autofree char *got = def ? snapshot_def_format(def, def->parent_name, NULL, 0) : NULL;

    check("a <test:domainsnapshot> fixture parses as REDEFINE|INTERNAL",
          def && cur && g_strcmp0(def->parent_name, "base") == 0 &&
          g_strcmp0(got, "<domainsnapshot>\n  <name>child</name>\n  <state>running</state>\n"
                         "  <parent>\n    <name>base</name>\n  </parent>\n"
                         "  <creationTime>1700000100</creationTime>\n"
                         "  <memory snapshot='internal'/>\n</domainsnapshot>\n") == 0);
}

static void run_names(void)
{
    g_autofree char *long_name = g_strnfill(MOMENT_NAME_MAX + 1, 'x');
    g_autofree char *max_name = g_strnfill(MOMENT_NAME_MAX, 'x');
    static const char *const bad[] = { "", "a/b", "/", ".", "..", "a\tb", "a\nb", "\x7f", "\xff" };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *escaped = g_strescape(bad[i], NULL);
        g_autofree char *what = g_strdup_printf("name check refuses \"%s\"", escaped);
        check(what, !moment_name_check(bad[i], DS) && error_last()->code == VIR_ERR_INVALID_ARG &&
              error_last()->domain == DS && g_str_has_prefix(error_last()->message,
                                                             "invalid argument: snapshot name"));
    }
    check("name check refuses NULL", !moment_name_check(NULL, VIR_FROM_DOMAIN_CHECKPOINT) &&
          strcmp(error_last()->message, "invalid argument: checkpoint name must not be empty") == 0);
    check("name check refuses 256 bytes", !moment_name_check(long_name, DS));
    check("name check: message for '/'", !moment_name_check("a/b", DS) &&
          strcmp(error_last()->message, "invalid argument: snapshot name 'a/b' must not contain '/'") == 0);
    check("name check accepts 255 bytes", moment_name_check(max_name, DS));
    check("name check accepts libvirt's usual names",
          moment_name_check("my snap name", DS) && moment_name_check("1700000000", DS) &&
          moment_name_check("..a", DS) && moment_name_check("snäp", DS));
}

int main(void)
{
    run_error_cases();
    run_malformed();
    run_missing_schema();
    run_schema_errors();
    run_sources();
    run_semantics();
    run_fixture_node();
    run_names();
    printf("%d passed, %d failed\n", passes, failures);
    return failures ? 1 : 0;
}
