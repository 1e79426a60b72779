/* The strict parsers accept exactly what xmllint --relaxng accepts with libvirt's schemas, and their output validates. */
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "conf-test.h"
#include "conf/backup_conf.h"
#include "conf/checkpoint_conf.h"
#include "schema-cases.h"
#include "util/error.h"
#include "util/xml.h"

#define SCHEMAS "/usr/share/libvirt/schemas"

typedef struct {
    char *path;              /* file handed to xmllint */
    char *label;             /* for messages */
    const schema_case *c;    /* NULL for corpus files */
    bool corpus_valid;       /* corpus files: the expected verdict (name not ending -invalid) */
    bool xmllint_ok;
} item;

static char *tmpdir;
static unsigned int nfiles;

static char *write_tmp(const char *text)
{
    char *path = g_strdup_printf("%s/case-%04u.xml", tmpdir, nfiles++);

    g_file_set_contents(path, text, -1, NULL);
    return path;
}

/* Run xmllint on every file of items against schema; fill in xmllint_ok. */
static bool run_xmllint(const char *schema, GPtrArray *items)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autofree char *rng = g_strdup_printf("%s/%s", SCHEMAS, schema);
    g_autofree char *err = NULL;
    g_auto(GStrv) lines = NULL;

    g_ptr_array_add(argv, (char *)"xmllint");
    g_ptr_array_add(argv, (char *)"--noout");
    g_ptr_array_add(argv, (char *)"--relaxng");
    g_ptr_array_add(argv, rng);
    for (guint i = 0; i < items->len; i++)
        g_ptr_array_add(argv, ((item *)items->pdata[i])->path);
    g_ptr_array_add(argv, NULL);
    if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                      &err, NULL, NULL))
        return false;
    lines = g_strsplit(err, "\n", -1);
    for (guint i = 0; i < items->len; i++) {
        item *it = items->pdata[i];
        g_autofree char *ok = g_strdup_printf("%s validates", it->path);

        for (size_t l = 0; lines[l]; l++)
            it->xmllint_ok = it->xmllint_ok || strcmp(lines[l], ok) == 0;
    }
    return true;
}

static void item_free(gpointer p)
{
    item *it = p;

    g_free(it->path);
    g_free(it->label);
    g_free(it);
}

static void add_corpus(GPtrArray *items, const char *dir, const char *sub)
{
    g_autofree char *path = g_build_filename(dir, sub, NULL);
    g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        item *it = g_new0(item, 1);

        it->path = g_build_filename(path, name, NULL);
        it->label = g_strdup_printf("%s/%s", sub, name);
        it->corpus_valid = !g_str_has_suffix(name, "-invalid.xml");
        g_ptr_array_add(items, it);
    }
}

static void add_cases(GPtrArray *items, const schema_case *cases, size_t n, const char *kind)
{
    for (size_t i = 0; i < n; i++) {
        item *it = g_new0(item, 1);

        it->c = &cases[i];
        it->path = write_tmp(cases[i].xml);
        it->label = g_strdup_printf("%s case %zu %s", kind, i, cases[i].what);
        g_ptr_array_add(items, it);
    }
}

static bool schema_check(const char *text, bool checkpoint)
{
    g_autoptr(xmlDoc) doc = xml_parse(text, "(case)", NULL, VIR_FROM_XML);

    if (!doc)
        return false;
    return checkpoint ? checkpoint_schema_check(xmlDocGetRootElement(doc), 0)
                      : backup_schema_check(xmlDocGetRootElement(doc));
}

/* The formatted forms of an accepted document, for the output check. */
static void outputs_checkpoint(const char *text, GPtrArray *out)
{
    g_autoptr(checkpoint_def) def = checkpoint_def_parse_string(text, NULL, 0, NULL);

    if (!def)
        return;
    g_ptr_array_add(out, checkpoint_def_format(def, NULL, CHECKPOINT_FORMAT_SECURE));
    checkpoint_def_set_defaults(def, 1525889631);
    checkpoint_def_assign_bitmap_names(def);
    for (size_t i = 0; i < def->ndisks; i++)
        def->disks[i].size_valid = true;
    g_ptr_array_add(out, checkpoint_def_format(def, "parent-1", CHECKPOINT_FORMAT_SIZE));
}

static void outputs_backup(const char *text, GPtrArray *out)
{
    g_autoptr(backup_def) def = backup_def_parse_string(text, 0);
    g_autofree fake_disk *disks = NULL;
    g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(domain_def) dom = NULL;

    if (!def || (def->server && def->server->transport == BACKUP_TRANSPORT_FD))
        return;
    g_ptr_array_add(out, backup_def_format(def, 0));
    disks = g_new0(fake_disk, def->ndisks + 1);
    for (size_t i = 0; i <= def->ndisks; i++) {
        disks[i].dst = i < def->ndisks ? def->disks[i].name : "vdzz";
        disks[i].path = g_strdup_printf("/fake/%s.qcow2", disks[i].dst);
        g_ptr_array_add(paths, (char *)disks[i].path);
    }
    if ((dom = fake_domain(disks, def->ndisks + 1)) &&
        backup_def_align_disks(def, dom, "SUFFIX") == 0)
        g_ptr_array_add(out, backup_def_format(def, 0));
    error_reset();
}

/* Compare one item's verdicts; collect its outputs. */
static void judge(item *it, bool checkpoint, GPtrArray *outputs)
{
    g_autofree char *text = read_text(it->path);
    bool expected = it->xmllint_ok;
    bool ours = schema_check(text, checkpoint);
    bool ext = it->c && it->c->extension;
    const char *what = say("%s: schema check %s", it->label,
                           ext ? "accepts (newer upstream)" : expected ? "accepts" : "refuses");
    void *def;

    if (!it->c)
        check(say("%s: xmllint agrees with the corpus name", it->label),
              it->xmllint_ok == it->corpus_valid);
    else
        check(say("%s: xmllint verdict as documented", it->label),
              it->xmllint_ok == it->c->valid);
    check(what, ours == (ext ? true : expected));
    if (ours != (ext ? true : expected) && error_last())
        printf("  %s\n", error_last()->message);
    if (ext)
        check(say("%s: 9.0 xmllint refuses", it->label), !it->xmllint_ok);
    error_reset();

    def = checkpoint ? (void *)checkpoint_def_parse_string(text, NULL, 0, NULL)
                     : (void *)backup_def_parse_string(text, 0);
    if (it->c && it->c->code) {
        check(say("%s: refused by libvirt's own checks", it->label), !def);
        check_error(say("%s: libvirt's error", it->label), it->c->code,
                    it->c->domain, it->c->message);
    } else if (ours) {
        check(say("%s: parser accepts", it->label), def != NULL);
        if (!def && error_last())
            printf("  %s\n", error_last()->message);
        if (checkpoint)
            outputs_checkpoint(text, outputs);
        else
            outputs_backup(text, outputs);
    } else {
        check(say("%s: parser refuses", it->label), !def);
        if (!def && !(it->c && it->c->any_error))
            check_error(say("%s: schema error", it->label),
                        VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML, NULL);
    }
    if (checkpoint)
        checkpoint_def_free(def);
    else
        backup_def_free(def);
    error_reset();
}

static void run_schema(const char *schema, bool checkpoint, GPtrArray *items)
{
    g_autoptr(GPtrArray) outputs = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) out_items = g_ptr_array_new_with_free_func(item_free);

    check(say("xmllint runs with %s", schema), run_xmllint(schema, items));
    for (guint i = 0; i < items->len; i++)
        judge(items->pdata[i], checkpoint, outputs);
    for (guint i = 0; i < outputs->len; i++) {
        item *it = g_new0(item, 1);

        it->path = write_tmp(outputs->pdata[i]);
        it->label = g_strdup(outputs->pdata[i]);
        g_ptr_array_add(out_items, it);
    }
    run_xmllint(schema, out_items);
    for (guint i = 0; i < out_items->len; i++) {
        item *it = out_items->pdata[i];

        check(say("%s output %u validates", schema, i), it->xmllint_ok);
        if (!it->xmllint_ok)
            printf("%s", it->label);
    }
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : g_getenv("VIRTMOMENT_CONFORMANCE");
    g_autoptr(GPtrArray) ckpt = g_ptr_array_new_with_free_func(item_free);
    g_autoptr(GPtrArray) backup = g_ptr_array_new_with_free_func(item_free);
    g_autofree char *xmllint = g_find_program_in_path("xmllint");
    int ret;

    if (!xmllint || !g_file_test(SCHEMAS "/domaincheckpoint.rng", G_FILE_TEST_EXISTS) ||
        !g_file_test(SCHEMAS "/domainbackup.rng", G_FILE_TEST_EXISTS)) {
        printf("xmllint or libvirt's schemas missing: skipped\n");
        return 77;
    }
    tmpdir = g_dir_make_tmp("vmconf-schema-XXXXXX", NULL);
    if (!dir || !g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        printf("libvirt corpus not found: only the hand-written cases\n");
        dir = NULL;
    }

    add_cases(ckpt, checkpoint_cases, n_checkpoint_cases, "checkpoint");
    add_cases(backup, backup_cases, n_backup_cases, "backup");
    if (dir) {
        add_corpus(ckpt, dir, "qemudomaincheckpointxml2xmlin");
        add_corpus(ckpt, dir, "qemudomaincheckpointxml2xmlout");
        add_corpus(backup, dir, "domainbackupxml2xmlin");
        add_corpus(backup, dir, "domainbackupxml2xmlout");
    }
    /* newer upstream files: judged by 9.0's xmllint like the cases */
    for (size_t i = 0; dir && i < n_newer_cases; i++) {
        item *it = g_new0(item, 1);

        it->c = &newer_cases[i];
        it->path = g_build_filename(dir, newer_cases[i].file, NULL);
        it->label = g_strdup(newer_cases[i].file);
        g_ptr_array_add(backup, it);
    }

    run_schema("domaincheckpoint.rng", true, ckpt);
    run_schema("domainbackup.rng", false, backup);

    ret = test_result();
    for (unsigned int i = 0; i < nfiles; i++) {
        g_autofree char *path = g_strdup_printf("%s/case-%04u.xml", tmpdir, i);
        g_unlink(path);
    }
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return ret;
}
