/* libvirt's snapshot corpus (qemudomainsnapshotxml2xmltest.c): the same pairings and
 * flags, compared byte for byte; the schema test's verdict on every corpus file; our
 * own output checked by xmllint against domainsnapshot.rng. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "conf/schema.h"
#include "conf/snapshot_conf.h"
#include "util/error.h"
#include "util/xml.h"

#define SKIP 77

enum { TEST_INTERNAL = 1 << 0, TEST_REDEFINE = 1 << 1, TEST_RUNNING = 1 << 2 };

#define UUID_9D "9d37b878-a7cc-9f9a-b78f-49b3abad25a8"
#define UUID_C7 "c7a5fdbd-edaf-9455-926a-d65c16db1809"
#define UUID_14 "14beef2c-8cae-4ea8-bf55-e48fe0cd4b73"

static const char *corpus;      /* .../libvirt-xml */
static bool have_schema, have_xmllint;
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

static char *slurp(const char *dir, const char *name)
{
    g_autofree char *path = g_strdup_printf("%s/qemudomainsnapshotxml2xml%s/%s.xml", corpus, dir, name);
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        printf("     cannot read %s\n", path);
    return text;
}

/* xmllint --relaxng on text; true when valid (or when xmllint is missing). */
static bool xmllint_valid(const char *text)
{
    g_autofree char *tmp = NULL, *rng = NULL, *out = NULL, *err = NULL;
    int fd = g_file_open_tmp("snapxml-XXXXXX.xml", &tmp, NULL);
    int status = -1;

    if (fd < 0)
        return false;
    close(fd);
    g_file_set_contents(tmp, text, -1, NULL);
    rng = g_build_filename(schema_dir(), "domainsnapshot.rng", NULL);
    const char *argv[] = { "xmllint", "--noout", "--relaxng", rng, tmp, NULL };
    g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                 NULL);
    g_unlink(tmp);
    if (status != 0)
        printf("     xmllint: %s", err ? err : "");
    return status == 0;
}

/* One libvirt test: parse in (with mock time), format, compare with out. */
static void run(const char *label, const char *in_dir, const char *in_name, const char *out_dir,
                const char *uuid_text, long long mocktime, unsigned int tflags)
{
    g_autofree char *what = g_strdup_printf("%s %s/%s.xml -> %s/%s.xml", label, in_dir, in_name,
                                            out_dir, in_name);
    g_autofree char *in = slurp(in_dir, in_name), *expected = slurp(out_dir, in_name);
    g_autofree char *got = NULL;
    g_autoptr(snapshot_def) def = NULL;
    unsigned int pflags = 0, fflags = SNAPSHOT_FORMAT_SECURE;
    unsigned char uuid[UUID_LEN];
    bool cur = false;

    if (!in || !expected) {
        check(what, false);
        return;
    }
    if (tflags & TEST_INTERNAL)
        pflags |= SNAPSHOT_PARSE_INTERNAL;
    if (tflags & TEST_REDEFINE)
        pflags |= SNAPSHOT_PARSE_REDEFINE;
    def = snapshot_def_parse_string(in, &opts, pflags, &cur);
    if (!def) {
        printf("     parse failed: %s\n", error_last() ? error_last()->message : "?");
        check(what, false);
        return;
    }
    if (!(tflags & TEST_REDEFINE) && mocktime)
        snapshot_def_set_create_defaults(def, mocktime);
    if (tflags & TEST_RUNNING) {
        g_assert(def->state == SNAPSHOT_STATE_NOSTATE);
        def->state = SNAPSHOT_STATE_RUNNING;
    }
    if (tflags & TEST_INTERNAL) {
        fflags |= SNAPSHOT_FORMAT_INTERNAL;
        if (cur)
            fflags |= SNAPSHOT_FORMAT_CURRENT;
    }
    if (uuid_text)
        g_assert(uuid_parse(uuid_text, uuid));
    got = snapshot_def_format(def, def->parent_name, uuid_text ? uuid : NULL, fflags);
    if (strcmp(got, expected) != 0)
        printf("     got:\n%s     expected:\n%s", got, expected);
    check(what, strcmp(got, expected) == 0);
    {
        g_autoptr(snapshot_def) copy = snapshot_def_copy(def);
        g_autofree char *again = snapshot_def_format(copy, copy->parent_name,
                                                     uuid_text ? uuid : NULL, fflags);
        g_autofree char *w = g_strdup_printf("%s: a copy formats the same", what);
        check(w, strcmp(again, got) == 0);
    }
    if (have_xmllint && have_schema) {
        g_autofree char *w = g_strdup_printf("%s: output validates", what);
        check(w, xmllint_valid(got));
    }
}

#define DO_TEST_OUT(name, uuid, flags) \
    run("out", "out", name, "out", uuid, 0, (flags) | TEST_REDEFINE)
#define DO_TEST_INOUT(name, uuid, time, flags) \
    run("inout", "in", name, "out", uuid, time, flags)
#define DO_TEST_IN(name, uuid) \
    run("in", "in", name, "in", uuid, 0, 0)

/* virschematest: each corpus file fails the RNG exactly when its name ends in
 * -invalid.xml; the invalid inputs are also refused by a VALIDATE parse. */
static void schema_test(const char *dir)
{
    g_autofree char *path = g_strdup_printf("%s/qemudomainsnapshotxml2xml%s", corpus, dir);
    g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *file = g_build_filename(path, name, NULL);
        g_autofree char *text = NULL, *what = NULL;
        g_autoptr(xmlDoc) doc = NULL;
        bool invalid = g_str_has_suffix(name, "-invalid.xml"), valid;

        if (!g_file_get_contents(file, &text, NULL, NULL))
            continue;
        doc = xml_parse(text, file, NULL, VIR_FROM_XML);
        valid = doc && schema_validate(doc, "domainsnapshot.rng");
        what = g_strdup_printf("schema: %s/%s %s", dir, name, invalid ? "is refused" : "validates");
        check(what, valid != invalid);
        if (invalid) {
            g_autoptr(snapshot_def) def = snapshot_def_parse_string(text, &opts,
                                                                    SNAPSHOT_PARSE_VALIDATE, NULL);
            g_free(what);
            what = g_strdup_printf("validating parse refuses %s/%s", dir, name);
            check(what, !def && error_last()->code == VIR_ERR_XML_INVALID_SCHEMA &&
                  error_last()->domain == VIR_FROM_XML &&
                  g_str_has_prefix(error_last()->message,
                                   "XML document failed to validate against schema: Unable to "
                                   "validate doc against "));
        }
    }
}

int main(void)
{
    g_autofree char *rng = NULL, *xmllint = g_find_program_in_path("xmllint");

    corpus = g_getenv("VIRTMOMENT_CONFORMANCE");
    if (!corpus || !g_file_test(corpus, G_FILE_TEST_IS_DIR)) {
        printf("skip: libvirt's corpus not found (VIRTMOMENT_CONFORMANCE=%s)\n",
               corpus ? corpus : "");
        return SKIP;
    }
    rng = g_build_filename(schema_dir(), "domainsnapshot.rng", NULL);
    have_schema = g_file_test(rng, G_FILE_TEST_EXISTS);
    have_xmllint = xmllint != NULL;
    if (!have_schema || !have_xmllint)
        printf("note: %s or xmllint missing: schema checks skipped\n", rng);

    DO_TEST_OUT("all_parameters", UUID_9D, TEST_INTERNAL);
    DO_TEST_OUT("disk_snapshot_redefine", UUID_C7, TEST_INTERNAL);
    DO_TEST_OUT("full_domain", UUID_C7, TEST_INTERNAL);
    DO_TEST_OUT("noparent_nodescription_noactive", NULL, 0);
    DO_TEST_OUT("noparent_nodescription", NULL, TEST_INTERNAL);
    DO_TEST_OUT("noparent", UUID_9D, 0);
    DO_TEST_OUT("metadata", UUID_C7, 0);
    DO_TEST_OUT("external_vm_redefine", UUID_C7, 0);
    DO_TEST_OUT("memory-snapshot-inactivedomain", UUID_14, 0);

    DO_TEST_INOUT("empty", UUID_9D, 1386166249, 0);
    DO_TEST_INOUT("noparent", UUID_9D, 1272917631, TEST_RUNNING);
    DO_TEST_INOUT("external_vm", NULL, 1555419243, 0);
    DO_TEST_INOUT("disk_snapshot", NULL, 1555419243, 0);
    DO_TEST_INOUT("disk_driver_name_null", NULL, 1555419243, 0);
    DO_TEST_INOUT("disk-seclabel", UUID_9D, 581484660, 0);
    DO_TEST_INOUT("qcow2-metadata-cache", UUID_9D, 1386166249, 0);

    DO_TEST_IN("name_and_description", NULL);
    DO_TEST_IN("description_only", NULL);
    DO_TEST_IN("name_only", NULL);

    if (have_schema) {
        schema_test("in");
        schema_test("out");
    }
    printf("%d passed, %d failed\n", passes, failures);
    return failures ? 1 : 0;
}
