/* libvirt's backup xml2xml tests (genericxml2xmltest) over its corpus and newer upstream's, byte for byte. */
#include <stdio.h>
#include <string.h>
#include "conf-test.h"
#include "conf/backup_conf.h"
#include "util/error.h"

static const char *dir;

/* The test domain: one file disk per requested disk, in order, then vdextradisk,
 * each at /fake/<dst>.qcow2 in qcow2. */
static domain_def *fake_for(const backup_def *def)
{
    g_autofree fake_disk *disks = g_new0(fake_disk, def->ndisks + 1);
    g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);

    for (size_t i = 0; i <= def->ndisks; i++) {
        disks[i].dst = i < def->ndisks ? def->disks[i].name : "vdextradisk";
        disks[i].path = g_strdup_printf("/fake/%s.qcow2", disks[i].dst);
        g_ptr_array_add(paths, (char *)disks[i].path);
    }
    return fake_domain(disks, def->ndisks + 1);
}

static void run(const char *subdir, const char *name, bool internal)
{
    g_autofree char *what = g_strdup_printf("%sdomainbackupxml2xml %s", subdir, name);
    g_autofree char *in_path = g_strdup_printf("%s/%sdomainbackupxml2xmlin/%s.xml", dir, subdir,
                                               name);
    g_autofree char *out_path = g_strdup_printf("%s/%sdomainbackupxml2xmlout/%s.xml", dir,
                                                subdir, name);
    g_autofree char *in = read_text(in_path);
    g_autofree char *expected = read_text(out_path);
    g_autofree char *got = NULL;
    g_autoptr(backup_def) def = NULL;
    g_autoptr(domain_def) dom = NULL;

    if (!in || !expected) {
        check(what, false);
        printf("  cannot read %s\n", in ? out_path : in_path);
        return;
    }
    if (!(def = backup_def_parse_string(in, internal ? BACKUP_PARSE_INTERNAL : 0)) ||
        !(dom = fake_for(def)) || backup_def_align_disks(def, dom, "SUFFIX") < 0) {
        check_text(what, NULL, expected);
        return;
    }
    got = backup_def_format(def, internal ? BACKUP_FORMAT_INTERNAL : 0);
    check_text(what, got, expected);
}

int main(int argc, char **argv)
{
    static const char *const names[] = {
        "empty", "backup-pull", "backup-pull-seclabel", "backup-pull-encrypted",
        "backup-push", "backup-push-seclabel", "backup-push-encrypted",
    };
    g_autofree char *newer_push = NULL;
    g_autofree char *newer_push_path = NULL;

    dir = corpus_dir(argc, argv);
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        run("", names[i], false);
    run("", "backup-pull-internal-invalid", true);

    /* Newer upstream: a unix socket server (valid in 9.0 too) and the fd transport
     * (newer upstream only; virtmoment accepts it). */
    run("upstream-newer/", "backup-pull-unix", false);
    run("upstream-newer/", "backup-pull-fd", false);

    /* Skipped: newer upstream's backup-push.xml has push disks without type= (<disk
     * name='vdc'/>), which libvirt 9.0's schema refuses, and so does virtmoment. */
    newer_push_path = g_strdup_printf("%s/upstream-newer/domainbackupxml2xmlin/backup-push.xml", dir);
    newer_push = read_text(newer_push_path);
    if (newer_push) {
        g_autoptr(backup_def) def = backup_def_parse_string(newer_push, 0);
        check("newer backup-push.xml refused as by 9.0's schema", !def);
        check_error("... with a schema error", VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML, NULL);
    }
    return test_result();
}
