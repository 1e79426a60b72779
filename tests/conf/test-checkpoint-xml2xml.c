/* libvirt's qemudomaincheckpointxml2xmltest over its corpus, byte for byte, with a mock clock. */
#include <stdio.h>
#include <string.h>
#include "conf-test.h"
#include "conf/checkpoint_conf.h"
#include "util/error.h"

enum {
    TEST_REDEFINE = 1 << 0,     /* parse with REDEFINE */
    TEST_PARENT = 1 << 1,       /* no parent parsed; give it 1525111885 */
    TEST_VDA_BITMAP = 1 << 2,   /* first disk is vda, with the checkpoint's name as bitmap */
    TEST_SIZE = 1 << 3,         /* first disk's size is 1048576, formatted with SIZE */
    TEST_INVALID = 1 << 4,      /* the parse must fail (schema) */
    TEST_INTERNAL = 1 << 5,     /* virtmoment's metadata: <active> parsed and formatted */
};

static const char *dir;

/* The libvirt test's adjustments after parsing; false when its preconditions fail. */
static bool adjust(checkpoint_def *def, long long mocktime, unsigned int flags)
{
    if (mocktime)
        checkpoint_def_set_defaults(def, mocktime);
    if (flags & TEST_PARENT) {
        if (def->parent_name)
            return false;
        def->parent_name = g_strdup("1525111885");
    }
    if (flags & TEST_VDA_BITMAP) {
        if (!def->ndisks) {
            def->disks = g_new0(checkpoint_disk_def, 1);
            def->ndisks = 1;
            def->disks[0].name = g_strdup("vda");
            def->disks[0].type = CHECKPOINT_TYPE_BITMAP;
        }
        if (def->disks[0].bitmap || g_strcmp0(def->disks[0].name, "vda") != 0)
            return false;
        def->disks[0].bitmap = g_strdup(def->name);
    }
    if (flags & TEST_SIZE) {
        def->disks[0].size = 1048576;
        def->disks[0].size_valid = true;
    }
    return true;
}

static void run(const char *in_dir, const char *name, const char *out_dir, long long mocktime,
                unsigned int flags)
{
    g_autofree char *what = g_strdup_printf("%s/%s.xml%s", in_dir, name,
                                            out_dir ? "" : " is refused");
    g_autofree char *in_path = g_strdup_printf("%s/%s/%s.xml", dir, in_dir, name);
    g_autofree char *out_path = out_dir ? g_strdup_printf("%s/%s/%s.xml", dir, out_dir, name) : NULL;
    g_autofree char *in = read_text(in_path);
    g_autofree char *expected = out_path ? read_text(out_path) : NULL;
    g_autofree char *got = NULL;
    g_autoptr(checkpoint_def) def = NULL;
    unsigned int parse = ((flags & TEST_REDEFINE) ? CHECKPOINT_PARSE_REDEFINE : 0) |
                         ((flags & TEST_INTERNAL) ? CHECKPOINT_PARSE_INTERNAL : 0);
    unsigned int format = CHECKPOINT_FORMAT_SECURE;
    bool current = false;

    if (!in || (out_dir && !expected)) {
        check(what, false);
        printf("  cannot read %s\n", in ? out_path : in_path);
        return;
    }
    def = checkpoint_def_parse_string(in, NULL, parse, &current);
    if (flags & TEST_INVALID) {
        check_error(what, VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML, NULL);
        return;
    }
    if (!def || !adjust(def, mocktime, flags)) {
        check_text(what, NULL, expected);
        return;
    }
    if (flags & TEST_SIZE)
        format |= CHECKPOINT_FORMAT_SIZE;
    if (flags & TEST_INTERNAL)
        format |= CHECKPOINT_FORMAT_INTERNAL | (current ? CHECKPOINT_FORMAT_CURRENT : 0);
    got = checkpoint_def_format(def, def->parent_name, format);
    check_text(what, got, expected);
}

int main(int argc, char **argv)
{
    dir = corpus_dir(argc, argv);

    /* out -> out */
    run("qemudomaincheckpointxml2xmlout", "redefine", "qemudomaincheckpointxml2xmlout", 0,
        TEST_REDEFINE);
    /* in -> out, created at the mock time */
    run("qemudomaincheckpointxml2xmlin", "empty", "qemudomaincheckpointxml2xmlout", 1525889631,
        TEST_VDA_BITMAP);
    run("qemudomaincheckpointxml2xmlin", "disk-default", "qemudomaincheckpointxml2xmlout",
        1525889631, TEST_PARENT | TEST_VDA_BITMAP);
    run("qemudomaincheckpointxml2xmlin", "sample", "qemudomaincheckpointxml2xmlout", 1525889631,
        TEST_PARENT | TEST_VDA_BITMAP);
    run("qemudomaincheckpointxml2xmlin", "size", "qemudomaincheckpointxml2xmlout", 1553648510,
        TEST_PARENT | TEST_VDA_BITMAP | TEST_SIZE);
    /* refused by the schema */
    run("qemudomaincheckpointxml2xmlin", "disk-invalid", NULL, 0, TEST_INVALID);
    run("qemudomaincheckpointxml2xmlin", "name-invalid", NULL, 0, TEST_INVALID);
    run("qemudomaincheckpointxml2xmlout", "internal-active-invalid", NULL, 0,
        TEST_REDEFINE | TEST_INVALID);
    run("qemudomaincheckpointxml2xmlout", "internal-inactive-invalid", NULL, 0,
        TEST_REDEFINE | TEST_INVALID);
    /* virtmoment's metadata keeps the legacy <active> element */
    run("qemudomaincheckpointxml2xmlout", "internal-active-invalid",
        "qemudomaincheckpointxml2xmlout", 0, TEST_REDEFINE | TEST_INTERNAL);
    run("qemudomaincheckpointxml2xmlout", "internal-inactive-invalid",
        "qemudomaincheckpointxml2xmlout", 0, TEST_REDEFINE | TEST_INTERNAL);
    return test_result();
}
