/* The on-disk moment store: what is saved comes back (names, parents, order, current,
 * shared domains), removals, and what a crash can leave behind. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "conf/snapshot_conf.h"
#include "drivers/qemu/qemu_moment_store.h"
#include "drivers/qemu/qemu_snapshot.h"
#include "util/error.h"

static int failures;

static void check(const char *what, bool ok)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok)
        failures++;
}

/* The snapshot kind, as the QEMU driver defines it. */
static const moment_store_ops *const ops = &qemu_snapshot_store_ops;

static domain_def *make_domain(const char *name)
{
    g_autofree char *xml = g_strdup_printf(
        "<domain type='qemu'><name>%s</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
        "<memory>1024</memory><os><type>hvm</type></os></domain>", name);
    return domain_def_parse(xml, NULL, 0);
}

static moment *add_unsaved(moment_tree *t, const char *name, moment *parent, domain_def *dom)
{
    snapshot_def *def = snapshot_def_new();

    def->name = g_strdup(name);
    def->state = SNAPSHOT_STATE_RUNNING;
    def->creation_time = 1700000000;
    def->dom = domain_def_ref(dom);
    return moment_tree_add(t, name, def, parent);
}

static moment *add(moment_tree *t, moment_store *s, const char *name, moment *parent, domain_def *dom)
{
    moment *m = add_unsaved(t, name, parent, dom);

    moment_store_save(s, m);
    return m;
}

static char *order(moment_tree *t)
{
    GPtrArray *list = moment_tree_list(t, NULL, 0, NULL, NULL);
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < list->len; i++) {
        moment *m = list->pdata[i];
        g_string_append_printf(out, "%s%s<%s", i ? " " : "", m->name, m->parent ? m->parent->name : "-");
    }
    g_ptr_array_unref(list);
    return g_string_free(out, FALSE);
}

static size_t count_files(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    size_t n = 0;

    while (d && g_dir_read_name(d))
        n++;
    return n;
}

int main(void)
{
    g_autofree char *dir = g_dir_make_tmp("moment-store-XXXXXX", NULL);
    g_autofree char *domains = g_build_filename(dir, "domains", NULL);
    moment_store *s = moment_store_open(dir, ops);
    moment_tree *t = moment_tree_new((GDestroyNotify)snapshot_def_free);
    domain_def *dom1 = make_domain("vm"), *dom2 = make_domain("vm2");
    moment *a, *b, *c;
    g_autofree char *before = NULL, *after = NULL;

    a = add(t, s, "a", NULL, dom1);
    b = add(t, s, "b/with slash", a, dom1);
    add(t, s, "c", b, dom1);
    c = add(t, s, "d", a, dom2);
    moment_store_set_current(s, c);
    check("two distinct domains stored once each", count_files(domains) == 2);
    before = order(t);

    moment_tree_free(t);
    moment_store_free(s);
    s = moment_store_open(dir, ops);
    t = moment_tree_new((GDestroyNotify)snapshot_def_free);
    check("load", moment_store_load(s, t) == 0);
    after = order(t);
    check("the same tree, in the same order", strcmp(before, after) == 0);
    if (strcmp(before, after) != 0)
        printf("  before '%s'\n  after  '%s'\n", before, after);
    check("the current one", moment_tree_current(t) && strcmp(moment_tree_current(t)->name, "d") == 0);
    check("domains shared after loading",
          ((snapshot_def *)moment_tree_find(t, "a")->def)->dom ==
          ((snapshot_def *)moment_tree_find(t, "c")->def)->dom);

    /* Delete b: its child moves to a, is written, then b's file goes. */
    b = moment_tree_find(t, "b/with slash");
    c = moment_tree_find(t, "c");
    moment_tree_remove(t, b);
    moment_store_save(s, c);
    moment_store_remove(s, (const char *[]){ "b/with slash" }, 1);
    /* A crash leaves a temporary file and a moment whose parent file is gone. */
    g_autofree char *junk = g_build_filename(dir, "x.xml.ABC123", NULL);
    g_file_set_contents(junk, "<moment", -1, NULL);
    moment_store_remove(s, (const char *[]){ "a" }, 1);
    moment_store_set_current(s, NULL);
    g_autofree char *stray = g_build_filename(domains, "0000.xml", NULL);
    g_file_set_contents(stray, "<domain/>", -1, NULL);

    moment_tree_free(t);
    moment_store_free(s);
    s = moment_store_open(dir, ops);
    t = moment_tree_new((GDestroyNotify)snapshot_def_free);
    check("load after a crash", moment_store_load(s, t) == 0);
    g_free(after);
    after = order(t);
    check("the orphans became roots, the torn file was ignored", strcmp(after, "d<- c<-") == 0);
    if (strcmp(after, "d<- c<-") != 0)
        printf("  got '%s'\n", after);
    check("no current", moment_tree_current(t) == NULL);
    check("the unreferenced domain file was removed", !g_file_test(stray, G_FILE_TEST_EXISTS));

    /* Corrupted files: x's parent is y, y's parent is x: the link closing the cycle
     * (y's, found walking up from x, the older) is cut. */
    moment *x = add(t, s, "x", NULL, dom1);
    add(t, s, "y", x, dom1);
    x->parent = moment_tree_find(t, "y");
    moment_store_save(s, x);
    x->parent = NULL;
    moment_tree_free(t);
    moment_store_free(s);
    s = moment_store_open(dir, ops);
    t = moment_tree_new((GDestroyNotify)snapshot_def_free);
    check("load with a cycle", moment_store_load(s, t) == 0);
    g_free(after);
    after = order(t);
    check("the cycle was cut once: y a root, x below it", strcmp(after, "y<- x<y d<- c<-") == 0);
    if (strcmp(after, "y<- x<y d<- c<-") != 0)
        printf("  got '%s'\n", after);

    /* A new moment and the current one written together; "current" is a link to
     * the name. An older store's plain file holding the name is read as well. */
    g_autofree char *current = g_build_filename(dir, "current", NULL);
    g_autofree char *target = NULL;
    moment *z = add_unsaved(t, "z/new", moment_tree_find(t, "y"), dom1);
    check("save a moment and make it current", moment_store_save_current(s, z, z) == 0);
    target = g_file_read_link(current, NULL);
    check("current links to the name", target && strcmp(target, "z/new") == 0);
    moment_tree_free(t);
    moment_store_free(s);
    s = moment_store_open(dir, ops);
    t = moment_tree_new((GDestroyNotify)snapshot_def_free);
    check("load with the new one", moment_store_load(s, t) == 0 && moment_tree_find(t, "z/new") &&
          moment_tree_find(t, "z/new")->parent == moment_tree_find(t, "y"));
    check("... and it is current", moment_tree_current(t) == moment_tree_find(t, "z/new"));
    unlink(current);
    g_file_set_contents(current, "x", -1, NULL);
    moment_tree_free(t);
    moment_store_free(s);
    s = moment_store_open(dir, ops);
    t = moment_tree_new((GDestroyNotify)snapshot_def_free);
    check("an older store's current file is read",
          moment_store_load(s, t) == 0 && moment_tree_current(t) == moment_tree_find(t, "x"));

    check("destroy", moment_store_destroy(s) == 0 && !g_file_test(dir, G_FILE_TEST_EXISTS));
    moment_tree_free(t);
    moment_store_free(s);
    domain_def_free(dom1);
    domain_def_free(dom2);
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
