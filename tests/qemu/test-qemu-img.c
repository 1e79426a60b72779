/* The qemu-img helpers against real images in a temporary directory: create, info
 * (backing chains, bitmaps and their flags, force-share on a held image), bitmaps,
 * internal snapshots, commit, rebase, map, compare, and their errors. */
#include <signal.h>
#include <sys/prctl.h>
#include <gio/gio.h>
#include "drivers/qemu/qemu_img.h"
#include "drivers/qemu/qemu_qcow2.h"
#include "qemu-test.h"

#define MiB (1024ULL * 1024)

static char *dir;

static char *path_of(const char *name)
{
    return g_build_filename(dir, name, NULL);
}

/* Write with the qemu-io tool, as a guest would. */
static bool qemu_io(const char *format, const char *path, const char *cmd)
{
    const char *argv[] = { "qemu-io", "-f", format, "-c", cmd, path, NULL };
    int status = -1;

    return g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, &status, NULL) && status == 0;
}

static void test_create_info(void)
{
    g_autofree char *base = path_of("base.qcow2"), *top = path_of("top.qcow2");
    g_autofree char *raw = path_of("disk.raw");
    g_autoptr(qemu_img_info) info = NULL, chain = NULL, rinfo = NULL;

    check("create: qcow2", qemu_img_create_qcow2(base, 64 * MiB, NULL, NULL) == 0);
    check("info: qcow2", qemu_img_get_info(base, "qcow2", 0, &info) == 0);
    check("info: format, sizes, compat", info && strcmp(info->format, "qcow2") == 0 &&
          info->virtual_size == 64 * MiB && info->actual_size > 0 && info->cluster_size == 65536 &&
          g_strcmp0(info->compat, "1.1") == 0 && !info->backing_filename && !info->backing &&
          info->bitmaps->len == 0 && info->snapshots->len == 0 && !info->dirty && !info->corrupt);

    check("create: overlay inheriting the size", qemu_img_create_qcow2(top, 0, base, "qcow2") == 0);
    check("info: backing chain", qemu_img_get_info(top, NULL, QEMU_IMG_BACKING_CHAIN, &chain) == 0);
    check("info: chain of two",
          chain && chain->virtual_size == 64 * MiB &&
              g_strcmp0(chain->backing_filename, base) == 0 &&
              g_strcmp0(chain->backing_format, "qcow2") == 0 && chain->backing &&
              g_strcmp0(chain->backing->filename, base) == 0 && !chain->backing->backing);

    check("create: raw", qemu_img_create_raw(raw, 1 * MiB) == 0);
    check("info: raw", qemu_img_get_info(raw, "raw", 0, &rinfo) == 0 &&
                           strcmp(rinfo->format, "raw") == 0 && rinfo->virtual_size == 1 * MiB &&
                           rinfo->compat == NULL && rinfo->bitmaps->len == 0);
}

static void test_create_errors(void)
{
    g_autofree char *img = path_of("bad.qcow2"), *missing = path_of("missing.qcow2");
    g_autofree char *expected = NULL;
    qemu_img_info *info = NULL;

    check("bad backing: refused", qemu_img_create_qcow2(img, 0, missing, "qcow2") < 0);
    expected = g_strdup_printf("operation failed: qemu-img create failed: %s: Could not open '%s': "
                               "No such file or directory; Could not open backing image.",
                               img, missing);
    check_error("bad backing: qemu-img's words", VIR_ERR_OPERATION_FAILED, expected);
    check("bad backing: no file left", !g_file_test(img, G_FILE_TEST_EXISTS));

    check("missing file: info fails",
          qemu_img_get_info(missing, NULL, 0, &info) < 0 && info == NULL);
    g_free(expected);
    expected = g_strdup_printf("operation failed: qemu-img info failed: Could not open '%s': "
                               "Could not open '%s': No such file or directory", missing, missing);
    check_error("missing file: qemu-img's words", VIR_ERR_OPERATION_FAILED, expected);

    g_autofree char *nodir = g_build_filename(dir, "no", "such", "dir.qcow2", NULL);
    check("missing directory: create fails", qemu_img_create_raw(nodir, 1 * MiB) < 0 &&
          strstr(last_message(), "No such file or directory") != NULL);

    qemu_img_set_binary("/nonexistent/qemu-img");
    check("missing binary: fails",
          qemu_img_create_raw(img, MiB) < 0 &&
              g_str_has_prefix(last_message(),
                               "operation failed: cannot run '/nonexistent/qemu-img': "));
    qemu_img_set_binary(NULL);
}

static const qemu_img_bitmap *bitmap_of(const char *path, qemu_img_info **keep, const char *name)
{
    qemu_img_info_free(*keep);
    *keep = NULL;
    if (qemu_img_get_info(path, "qcow2", 0, keep) < 0)
        return NULL;
    return qemu_img_info_find_bitmap(*keep, name);
}

static void test_bitmaps(void)
{
    g_autofree char *img = path_of("bm.qcow2"), *other = path_of("other.qcow2");
    g_autofree char *raw = path_of("disk.raw");
    qemu_img_info *info = NULL;
    const qemu_img_bitmap *b;

    qemu_img_create_qcow2(img, 8 * MiB, NULL, NULL);
    check("bitmap: add", qemu_img_bitmap_add(img, "c1", 65536, false) == 0);
    check("bitmap: add disabled, granularity", qemu_img_bitmap_add(img, "c2", 4096, true) == 0);
    b = bitmap_of(img, &info, "c1");
    check("bitmap: c1 records",
          b && b->recording && !b->in_use && !b->inconsistent && b->granularity == 65536);
    b = bitmap_of(img, &info, "c2");
    check("bitmap: c2 disabled", b && !b->recording && b->granularity == 4096);
    check("bitmap: disable/enable",
          qemu_img_bitmap_disable(img, "c1") == 0 && qemu_img_bitmap_enable(img, "c2") == 0);
    check("bitmap: states swapped",
          !bitmap_of(img, &info, "c1")->recording && bitmap_of(img, &info, "c2")->recording);
    check("bitmap: merge", qemu_img_bitmap_merge(img, "c2", "c1", NULL, NULL) == 0);
    check("bitmap: clear", qemu_img_bitmap_clear(img, "c2") == 0);
    qemu_img_create_qcow2(other, 8 * MiB, NULL, NULL);
    qemu_img_bitmap_add(other, "x", 0, false);
    check("bitmap: merge from another image",
          qemu_img_bitmap_merge(img, "c1", "x", other, "qcow2") == 0);
    check("bitmap: remove", qemu_img_bitmap_remove(img, "c1") == 0 &&
                                !bitmap_of(img, &info, "c1") && bitmap_of(img, &info, "c2"));
    check("bitmap: a name starting with '-'", qemu_img_bitmap_add(img, "-dash", 0, false) == 0 &&
          bitmap_of(img, &info, "-dash") && qemu_img_bitmap_remove(img, "-dash") == 0);

    check("bitmap: remove a missing one fails", qemu_img_bitmap_remove(img, "nope") < 0);
    check_error("bitmap: missing error", VIR_ERR_OPERATION_FAILED,
                "operation failed: qemu-img bitmap failed: Operation remove on bitmap nope failed: "
                "Dirty bitmap 'nope' not found");
    check("bitmap: a duplicate fails", qemu_img_bitmap_add(img, "c2", 0, false) < 0 &&
          strstr(last_message(), "Bitmap already exists: c2") != NULL);
    check("bitmap: raw refused", qemu_img_bitmap_add(raw, "b", 0, false) < 0 &&
          strstr(last_message(), "Image is not in qcow2 format") != NULL);
    qemu_img_info_free(info);
}

static void kill_child(GSubprocess *p)
{
    g_subprocess_force_exit(p);
    g_subprocess_wait(p, NULL, NULL);
}

static void die_with_parent(gpointer data)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* An image held by a writer (qemu-io), then killed: in-use, then inconsistent. */
static void test_held_image(void)
{
    g_autofree char *img = path_of("held.qcow2");
    g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
    qemu_img_info *info = NULL;
    const qemu_img_bitmap *b = NULL;

    qemu_img_create_qcow2(img, 8 * MiB, NULL, NULL);
    qemu_img_bitmap_add(img, "old", 0, false);
    g_subprocess_launcher_set_child_setup(l, die_with_parent, NULL, NULL);
    g_autoptr(GSubprocess) holder = g_subprocess_launcher_spawn(l, NULL, "qemu-io", "-f", "qcow2",
                                                                 "-c", "sleep 20000", img, NULL);
    for (int i = 0; holder && i < 100 && !(b && b->in_use); i++) {
        g_usleep(50000);
        qemu_img_info_free(info);
        info = NULL;
        if (qemu_img_get_info(img, "qcow2", QEMU_IMG_FORCE_SHARE, &info) == 0)
            b = qemu_img_info_find_bitmap(info, "old");
    }
    check("held: -U reads it, the bitmap is in use", b && b->in_use && !b->inconsistent);
    qemu_img_info *locked = NULL;
    check("held: without -U the lock refuses", qemu_img_get_info(img, "qcow2", 0, &locked) < 0 &&
          strstr(last_message(), "Failed to get shared \"write\" lock") != NULL);
    check("held: writers refused", qemu_img_bitmap_add(img, "new", 0, false) < 0 &&
          strstr(last_message(), "lock") != NULL);
    if (holder)
        kill_child(holder);
    b = bitmap_of(img, &info, "old");
    check("killed: the bitmap is inconsistent", b && b->in_use && b->inconsistent);
    check("killed: removal works", qemu_img_bitmap_remove(img, "old") == 0);
    qemu_img_info_free(info);
}

static bool snapshot_names(const char *img, const char *expected)
{
    g_autoptr(GPtrArray) list = NULL;
    GString *s = g_string_new(NULL);

    if (qemu_img_snapshot_list(img, 0, &list) == 0)
        for (guint i = 0; i < list->len; i++)
            g_string_append_printf(s, "%s%s", i ? " " : "",
                                   ((qemu_img_snapshot *)list->pdata[i])->name);
    bool ok = strcmp(s->str, expected) == 0;
    if (!ok)
        printf("  snapshots '%s', expected '%s'\n", s->str, expected);
    g_string_free(s, TRUE);
    return ok;
}

static void test_snapshots(void)
{
    g_autofree char *img = path_of("snap,shot.qcow2"), *ref = path_of("snap-ref.raw");
    bool same = false;

    qemu_img_create_qcow2(img, 4 * MiB, NULL, NULL);
    qemu_img_create_raw(ref, 4 * MiB);
    qemu_io("qcow2", img, "write -P 0x11 0 64k");
    qemu_io("raw", ref, "write -P 0x11 0 64k");
    check("snapshot: create s1", qemu_img_snapshot_create(img, "s1") == 0);
    qemu_io("qcow2", img, "write -P 0x22 0 128k");
    check("snapshot: create s2", qemu_img_snapshot_create(img, "s2") == 0);
    check("snapshot: listed", snapshot_names(img, "s1 s2"));
    check("snapshot: a duplicate name is refused", qemu_img_snapshot_create(img, "s1") < 0);
    g_autofree char *dup =
        g_strdup_printf("operation failed: qemu-img snapshot failed: snapshot 's1' "
                        "already exists in '%s'",
                        img);
    check_error("snapshot: duplicate error", VIR_ERR_OPERATION_FAILED, dup);
    check("snapshot: apply s1", qemu_img_snapshot_apply(img, "s1") == 0);
    check("snapshot: the data is s1's",
          qemu_img_compare(ref, "raw", img, "qcow2", 0, &same, NULL) == 0 && same);
    check("snapshot: delete s1",
          qemu_img_snapshot_delete(img, "s1") == 0 && snapshot_names(img, "s2"));
    check("snapshot: delete a missing one fails", qemu_img_snapshot_delete(img, "nope") < 0);
    check_error("snapshot: missing error", VIR_ERR_OPERATION_FAILED,
                "operation failed: qemu-img snapshot failed: Could not delete snapshot 'nope': "
                "snapshot not found");
    check("snapshot: apply a missing one fails", qemu_img_snapshot_apply(img, "nope") < 0 &&
          strstr(last_message(), "Could not apply snapshot 'nope'") != NULL);
}

/* The snapshot table read without qemu-img: names of every length (the entries'
 * padding), a prefix, a missing name, after a delete, and what is not qcow2. */
static void test_qcow2_table(void)
{
    g_autofree char *img = path_of("table.qcow2"), *raw = path_of("table.raw");
    static const char *const names[] = { "a", "bb", "ccc", "dddd", "eeeee", "ffffff",
                                         "ggggggg", "hhhhhhhh", "with space", "é" };
    bool has = true, all = true;

    qemu_img_create_qcow2(img, 1 * MiB, NULL, NULL);
    check("qcow2 table: none yet", qemu_qcow2_has_snapshot(img, "a", &has) == 0 && !has);
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        qemu_img_snapshot_create(img, names[i]);
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        all = all && qemu_qcow2_has_snapshot(img, names[i], &has) == 0 && has;
    check("qcow2 table: every name found", all);
    check("qcow2 table: a prefix is not a name", qemu_qcow2_has_snapshot(img, "cc", &has) == 0 && !has);
    check("qcow2 table: a longer name is not", qemu_qcow2_has_snapshot(img, "aa", &has) == 0 && !has);
    qemu_img_snapshot_delete(img, "dddd");
    check("qcow2 table: gone after a delete",
          qemu_qcow2_has_snapshot(img, "dddd", &has) == 0 && !has &&
          qemu_qcow2_has_snapshot(img, "é", &has) == 0 && has);
    qemu_img_create_raw(raw, 1 * MiB);
    has = true;
    check("qcow2 table: a raw image is refused",
          qemu_qcow2_has_snapshot(raw, "a", &has) < 0 && has);
    check("qcow2 table: ... saying so",
          strstr(last_message(), "not a readable qcow2 image") != NULL);
    check("qcow2 table: a missing file is refused",
          qemu_qcow2_has_snapshot("/nonexistent/x.qcow2", "a", &has) < 0);
}

static void test_commit_rebase(void)
{
    g_autofree char *base = path_of("cb.qcow2"), *top = path_of("ct.qcow2");
    g_autofree char *base2 = path_of("cb2.qcow2"), *ref = path_of("cref.raw");
    g_autoptr(qemu_img_info) info = NULL, info2 = NULL;
    bool same = false;
    long long at = -2;

    qemu_img_create_qcow2(base, 4 * MiB, NULL, NULL);
    qemu_img_create_raw(ref, 4 * MiB);
    qemu_io("qcow2", base, "write -P 0x01 0 1M");
    qemu_io("raw", ref, "write -P 0x01 0 1M");
    qemu_img_create_qcow2(top, 0, base, NULL);
    qemu_io("qcow2", top, "write -P 0x02 64k 64k");
    qemu_io("raw", ref, "write -P 0x02 64k 64k");
    check("compare: base differs from the expected data",
          qemu_img_compare(ref, "raw", base, "qcow2", 0, &same, &at) == 0 && !same && at == 65536);
    check("commit: top into base", qemu_img_commit(top, NULL, false) == 0);
    check("commit: base has the data",
          qemu_img_compare(ref, "raw", base, "qcow2", 0, &same, NULL) == 0 && same);

    qemu_img_create_qcow2(base2, 4 * MiB, NULL, NULL);
    check("rebase -u: onto another base", qemu_img_rebase_unsafe(top, base2, "qcow2") == 0 &&
                                              qemu_img_get_info(top, "qcow2", 0, &info) == 0 &&
                                              g_strcmp0(info->backing_filename, base2) == 0);
    check("rebase -u: drop the backing file", qemu_img_rebase_unsafe(top, NULL, NULL) == 0 &&
          qemu_img_get_info(top, "qcow2", 0, &info2) == 0 && info2->backing_filename == NULL);
    check("commit: without backing fails", qemu_img_commit(top, NULL, false) < 0);
    check_error("commit: error", VIR_ERR_OPERATION_FAILED,
                "operation failed: qemu-img commit failed: Image does not have a backing file");
}

static void test_map_compare(void)
{
    g_autofree char *img = path_of("map.qcow2"), *img2 = path_of("map2.qcow2");
    g_autofree char *missing = path_of("nothere.qcow2");
    g_autoptr(GArray) ext = NULL;
    bool same = false;

    qemu_img_create_qcow2(img, 4 * MiB, NULL, NULL);
    qemu_io("qcow2", img, "write -P 0x33 1M 128k");
    check("map: succeeds", qemu_img_map(img, "qcow2", 0, &ext) == 0);
    bool found = false;
    unsigned long long covered = 0;
    for (guint i = 0; ext && i < ext->len; i++) {
        qemu_img_extent *e = &g_array_index(ext, qemu_img_extent, i);
        covered += e->length;
        if (e->start == 1 * MiB && e->length == 128 * 1024 && e->data && e->present &&
            e->offset >= 0)
            found = true;
    }
    check("map: the written extent, the whole disk covered", found && covered == 4 * MiB);

    qemu_img_create_qcow2(img2, 4 * MiB, NULL, NULL);
    check("compare: differ", qemu_img_compare(img, NULL, img2, NULL, 0, &same, NULL) == 0 && !same);
    qemu_io("qcow2", img2, "write -P 0x33 1M 128k");
    check("compare: identical", qemu_img_compare(img, "qcow2", img2, "qcow2", QEMU_IMG_FORCE_SHARE,
                                                 &same, NULL) == 0 && same);
    check("compare: a missing file is an error",
          qemu_img_compare(img, NULL, missing, NULL, 0, &same, NULL) < 0 &&
              strstr(last_message(), "qemu-img compare failed: Could not open") != NULL);
}

int main(void)
{
    g_autofree char *bin = g_find_program_in_path("qemu-img");
    g_autofree char *io = g_find_program_in_path("qemu-io");

    if (!bin || !io) {
        printf("skip: qemu-img or qemu-io not installed\n");
        return 77;
    }
    dir = make_tmpdir("qemu-img-XXXXXX");
    test_create_info();
    test_create_errors();
    test_bitmaps();
    test_held_image();
    test_snapshots();
    test_qcow2_table();
    test_commit_rebase();
    test_map_compare();
    remove_tree(dir);
    g_free(dir);
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
