/* The moment store's pack: written when asked with enough moments, read instead of
 * the files while the directory is as it was, removed before the first change, and
 * never trusted when out of date, torn or corrupted (the files are read then). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "conf/snapshot_conf.h"
#include "drivers/qemu/qemu_moment_store.h"
#include "drivers/qemu/qemu_snapshot.h"
#include "util/error.h"

#define N 40    /* above the store's threshold for a pack */

static int failures;

static void check(const char *what, bool ok)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok)
        failures++;
}

static const moment_store_ops *const ops = &qemu_snapshot_store_ops;

static domain_def *make_domain(void)
{
    return domain_def_parse("<domain type='qemu'><name>vm</name>"
                            "<uuid>11111111-2222-3333-4444-555555555555</uuid>"
                            "<memory>1024</memory><os><type>hvm</type></os></domain>", NULL, 0);
}

static moment *add(moment_tree *t, moment_store *s, const char *name, moment *parent,
                   domain_def *dom)
{
    snapshot_def *def = snapshot_def_new();
    moment *m;

    def->name = g_strdup(name);
    def->state = SNAPSHOT_STATE_SHUTOFF;
    def->creation_time = 1700000000;
    def->dom = domain_def_ref(dom);
    m = moment_tree_add(t, name, def, parent);
    if (moment_store_save(s, m) < 0)
        check(error_last()->message, false);
    return m;
}

/* A chain m0 <- m1 <- ... of n moments, the last one current. */
static void make_chain(const char *dir, int n, bool pack)
{
    moment_store *s = moment_store_open(dir, ops);
    moment_tree *t = moment_tree_new((GDestroyNotify)snapshot_def_free);
    domain_def *dom = make_domain();
    moment *m = NULL;

    for (int i = 0; i < n; i++) {
        g_autofree char *name = g_strdup_printf("m%d", i);
        m = add(t, s, name, m, dom);
    }
    moment_store_set_current(s, m);
    if (pack)
        check("pack written", moment_store_pack(s) == 0);
    moment_tree_free(t);
    moment_store_free(s);
    domain_def_free(dom);
}

/* What was loaded from dir: "COUNT CURRENT m5|no-m5"; the store kept in *ret_s. */
static char *load(const char *dir, moment_store **ret_s, moment_tree **ret_t)
{
    moment_store *s = moment_store_open(dir, ops);
    moment_tree *t = moment_tree_new((GDestroyNotify)snapshot_def_free);
    moment *cur;
    char *out;

    if (moment_store_load(s, t) < 0)
        return g_strdup("load failed");
    cur = moment_tree_current(t);
    out = g_strdup_printf("%zu %s %s", moment_tree_size(t), cur ? cur->name : "-",
                          moment_tree_find(t, "m5") ? "m5" : "no-m5");
    if (ret_s) {
        *ret_s = s;
        *ret_t = t;
    } else {
        moment_tree_free(t);
        moment_store_free(s);
    }
    return out;
}

static void expect(const char *what, char *got, const char *want)
{
    check(what, strcmp(got, want) == 0);
    if (strcmp(got, want) != 0)
        printf("  got '%s', want '%s'\n", got, want);
    g_free(got);
}

/* Overwrite name in place, or create it in a subdirectory: DIR's times stay as they are. */
static void scribble(const char *dir, const char *name, const char *text)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        check("scribble", false);
    if (fd >= 0)
        close(fd);
}

static char *pack_text(const char *pack)
{
    char *text = NULL;

    g_file_get_contents(pack, &text, NULL, NULL);
    return text;
}

int main(void)
{
    g_autofree char *dir = g_dir_make_tmp("moment-pack-XXXXXX", NULL);
    g_autofree char *pack = g_build_filename(dir, "pack", "moments", NULL);
    g_autofree char *small = g_dir_make_tmp("moment-pack-small-XXXXXX", NULL);
    g_autofree char *small_pack = g_build_filename(small, "pack", "moments", NULL);
    g_autofree char *m5 = g_build_filename(dir, "m5.xml", NULL);
    g_autofree char *m5_text = NULL;
    g_autofree char *text = NULL;
    moment_store *s;
    moment_tree *t;

    /* A store without a pack (as every store before packs) loads from its files. */
    make_chain(dir, N, false);
    check("no pack unless asked", !g_file_test(pack, G_FILE_TEST_EXISTS));
    expect("loaded from the files", load(dir, NULL, NULL), "40 m39 m5");

    /* Packed: loaded from the pack alone. A file scribbled over in place (which no
     * writer of the store does) shows it: the pack still has the moment. */
    make_chain(small, 5, true);
    check("a small store is not packed", !g_file_test(small_pack, G_FILE_TEST_EXISTS));
    s = moment_store_open(dir, ops);
    t = moment_tree_new((GDestroyNotify)snapshot_def_free);
    check("load then pack", moment_store_load(s, t) == 0 && moment_store_pack(s) == 0 &&
                            g_file_test(pack, G_FILE_TEST_EXISTS));
    moment_tree_free(t);
    moment_store_free(s);
    g_file_get_contents(m5, &m5_text, NULL, NULL);
    scribble(dir, "m5.xml", "garbage");
    expect("loaded from the pack", load(dir, &s, &t), "40 m39 m5");
    check("packing an up-to-date pack is a no-op", moment_store_pack(s) == 0);

    /* The first change removes the pack before anything else: the files are read
     * next time (the scribbled one skipped, as any unreadable file). */
    add(t, s, "m40", moment_tree_find(t, "m39"), ((snapshot_def *)moment_tree_find(t, "m39")->def)->dom);
    check("the first change removed the pack", !g_file_test(pack, G_FILE_TEST_EXISTS));
    moment_tree_free(t);
    moment_store_free(s);
    expect("then loaded from the files", load(dir, NULL, NULL), "40 m39 no-m5");

    /* A pack written from what the store holds, after changes. */
    scribble(dir, "m5.xml", m5_text);
    s = moment_store_open(dir, ops);
    t = moment_tree_new((GDestroyNotify)snapshot_def_free);
    moment_store_load(s, t);
    moment_store_set_current(s, moment_tree_find(t, "m40"));
    check("pack after a change", moment_store_pack(s) == 0 && g_file_test(pack, G_FILE_TEST_EXISTS));
    moment_tree_free(t);
    moment_store_free(s);
    scribble(dir, "m5.xml", "garbage");
    expect("the new pack holds the change", load(dir, NULL, NULL), "41 m40 m5");
    scribble(dir, "m5.xml", m5_text);

    /* Out of date: a file removed behind the store's back (an older virtmoment, a
     * person) changes the directory's times. Waiting first puts the removal on
     * another tick of the file system's clock than the pack. */
    g_usleep(50000);
    g_unlink(m5);
    expect("an out-of-date pack is not used", load(dir, NULL, NULL), "40 m40 no-m5");
    check("... and removed", !g_file_test(pack, G_FILE_TEST_EXISTS));

    /* Torn and corrupted packs are not used: the files are read. */
    s = moment_store_open(dir, ops);
    t = moment_tree_new((GDestroyNotify)snapshot_def_free);
    moment_store_load(s, t);
    moment_store_pack(s);
    moment_tree_free(t);
    moment_store_free(s);
    text = pack_text(pack);
    check("pack read back", text != NULL);
    if (!text)
        return 1;
    scribble(dir, "pack/moments", "");
    expect("an empty pack is not used", load(dir, NULL, NULL), "40 m40 no-m5");
    text[strlen(text) / 2] = '\0';
    scribble(dir, "pack/moments", text);
    expect("a torn pack is not used", load(dir, NULL, NULL), "40 m40 no-m5");
    g_free(text);
    s = moment_store_open(dir, ops);
    t = moment_tree_new((GDestroyNotify)snapshot_def_free);
    moment_store_load(s, t);
    moment_store_pack(s);
    moment_tree_free(t);
    moment_store_free(s);
    text = pack_text(pack);
    char *entry = text ? strstr(text, "<name>m7</name>") : NULL;
    check("m7 in the pack", entry != NULL);
    if (entry) {
        memcpy(entry, "<name>m7</nAme>", strlen("<name>m7</nAme>"));
        scribble(dir, "pack/moments", text);
    }
    expect("a pack with a corrupted moment is not used (the moment's file is)",
           load(dir, NULL, NULL), "40 m40 no-m5");

    /* Undefine: everything goes, the pack with it. */
    s = moment_store_open(dir, ops);
    t = moment_tree_new((GDestroyNotify)snapshot_def_free);
    moment_store_load(s, t);
    moment_store_pack(s);
    check("destroy", moment_store_destroy(s) == 0 && !g_file_test(dir, G_FILE_TEST_EXISTS));
    check("a destroyed store is not packed", moment_store_pack(s) == 0 &&
                                             !g_file_test(dir, G_FILE_TEST_EXISTS));
    moment_tree_free(t);
    moment_store_free(s);

    s = moment_store_open(small, ops);
    moment_store_destroy(s);
    moment_store_free(s);
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
