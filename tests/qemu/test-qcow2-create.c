/* Images made in-process (qemu_qcow2_create, qemu_raw_create) judged by QEMU's own
 * tools: `qemu-img check` finds no error or leak, `qemu-img info` the size and
 * format, nothing is allocated, written data reads back (against a raw reference),
 * a persistent bitmap can be added; and the errors: a file in the way, a missing
 * directory, a size qcow2 cannot map. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "drivers/qemu/qemu_img.h"
#include "drivers/qemu/qemu_qcow2.h"
#include "qemu-test.h"

#define MiB (1024ULL * 1024)
#define TiB (1024ULL * 1024 * MiB)

static char *dir;

static char *path_of(const char *name)
{
    return g_build_filename(dir, name, NULL);
}

static bool run(const char *const *argv)
{
    int status = -1;

    return g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, &status, NULL) && status == 0;
}

/* qemu-img check: exit 0 means no corruption and no leak. */
static bool clean(const char *path)
{
    return run((const char *const[]){ "qemu-img", "check", "-q", "-f", "qcow2", path, NULL });
}

static bool qemu_io(const char *format, const char *path, const char *cmd)
{
    return run((const char *const[]){ "qemu-io", "-f", format, "-c", cmd, path, NULL });
}

static bool nothing_allocated(const char *path)
{
    g_autoptr(GArray) map = NULL;

    if (qemu_img_map(path, "qcow2", 0, &map) < 0)
        return false;
    for (guint i = 0; i < map->len; i++)
        if (g_array_index(map, qemu_img_extent, i).data)
            return false;
    return true;
}

static void test_sizes(void)
{
    /* one L1 entry, a size that is no multiple of a cluster, 4 entries, an L1 table
     * of two clusters (5 TiB: 10,240 entries) */
    static const unsigned long long sizes[] = { MiB, 64 * MiB + 512, 2048 * MiB, 5 * TiB };

    for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
        g_autofree char *img = g_strdup_printf("%s/size-%zu.qcow2", dir, i);
        g_autoptr(qemu_img_info) info = NULL;
        g_autofree char *what = g_strdup_printf("%llu bytes", sizes[i]);
        struct stat st;

        printf("# %s\n", what);
        check("create", qemu_qcow2_create(img, sizes[i], false) == 0);
        check("qemu-img check: clean", clean(img));
        check("info: qcow2 v3, the size, 64 KiB clusters",
              qemu_img_get_info(img, "qcow2", 0, &info) == 0 && strcmp(info->format, "qcow2") == 0 &&
                  info->virtual_size == sizes[i] && info->cluster_size == 65536 &&
                  g_strcmp0(info->compat, "1.1") == 0 && !info->dirty && !info->corrupt &&
                  !info->backing_filename && info->bitmaps->len == 0 && info->snapshots->len == 0);
        check("nothing allocated", nothing_allocated(img));
        check("private", stat(img, &st) == 0 && (st.st_mode & 0777) == 0600);
    }
}

static void test_data(void)
{
    g_autofree char *img = path_of("data.qcow2"), *ref = path_of("data.raw");
    static const char *const writes[] = { "write -P 0x11 0 64k", "write -P 0x22 1000000 3000",
                                          "write -P 0x33 33554432 8M", "write -P 0x44 67108352 512" };
    bool ok = true, same = false;

    check("data: create", qemu_qcow2_create(img, 64 * MiB, false) == 0 &&
                              qemu_raw_create(ref, 64 * MiB) == 0);
    for (size_t i = 0; i < G_N_ELEMENTS(writes); i++)
        ok = ok && qemu_io("qcow2", img, writes[i]) && qemu_io("raw", ref, writes[i]);
    check("data: written through QEMU, up to the last sector", ok);
    check("data: reads back as the raw reference",
          qemu_img_compare(img, "qcow2", ref, "raw", 0, &same, NULL) == 0 && same);
    check("data: still clean", clean(img));
    check("data: a persistent bitmap can be added", qemu_img_bitmap_add(img, "b0", 0, false) == 0 &&
                                                        clean(img));
}

/* A block device is formatted in place: stand in with a file full of old data. */
static void test_device(void)
{
    g_autofree char *img = path_of("device.img");
    g_autofree guint8 *junk = g_malloc(4 * MiB);
    g_autoptr(qemu_img_info) info = NULL;

    memset(junk, 0xa5, 4 * MiB);
    check("device: old data", g_file_set_contents(img, (const char *)junk, 4 * MiB, NULL));
    check("device: formatted", qemu_qcow2_create(img, 32 * MiB, true) == 0);
    check("device: a clean empty qcow2",
          clean(img) && nothing_allocated(img) &&
              qemu_img_get_info(img, "qcow2", 0, &info) == 0 && info->virtual_size == 32 * MiB);
    check("device: a missing one is refused", qemu_qcow2_create("/nonexistent/dev", MiB, true) < 0);
}

static void test_raw(void)
{
    g_autofree char *raw = path_of("r.raw");
    struct stat st;

    check("raw: created", qemu_raw_create(raw, 100 * MiB + 1) == 0);
    check("raw: the size, sparse, private",
          stat(raw, &st) == 0 && st.st_size == (off_t)(100 * MiB + 1) && st.st_blocks == 0 &&
              (st.st_mode & 0777) == 0600);
    check("raw: a file in the way is refused", qemu_raw_create(raw, MiB) < 0 &&
                                                   strstr(last_message(), "cannot create") &&
                                                   stat(raw, &st) == 0 && st.st_size == (off_t)(100 * MiB + 1));
}

static void test_errors(void)
{
    g_autofree char *img = path_of("in-the-way.qcow2"), *big = path_of("big.qcow2");
    g_autofree char *missing = path_of("no/such/dir.qcow2"), *expected = NULL;
    g_autofree char *content = NULL;

    check("errors: a file in the way", g_file_set_contents(img, "keep", -1, NULL));
    check("errors: ... is refused", qemu_qcow2_create(img, MiB, false) < 0);
    expected = g_strdup_printf("operation failed: cannot create '%s': File exists", img);
    check_error("errors: ... saying so", VIR_ERR_OPERATION_FAILED, expected);
    check("errors: ... and left as it was",
          g_file_get_contents(img, &content, NULL, NULL) && strcmp(content, "keep") == 0);
    check("errors: a missing directory", qemu_qcow2_create(missing, MiB, false) < 0 &&
                                             strstr(last_message(), missing));
    check("errors: a size qcow2 cannot map", qemu_qcow2_create(big, 1ULL << 63, false) < 0 &&
                                                 error_last()->code == VIR_ERR_INVALID_ARG &&
                                                 strstr(last_message(), "too large"));
    check("errors: ... leaves no file", !g_file_test(big, G_FILE_TEST_EXISTS));
}

int main(void)
{
    g_autofree char *img = g_find_program_in_path("qemu-img");
    g_autofree char *io = g_find_program_in_path("qemu-io");

    if (!img || !io) {
        printf("skip: qemu-img or qemu-io not installed\n");
        return 77;
    }
    dir = make_tmpdir("qcow2-create-XXXXXX");
    test_sizes();
    test_data();
    test_device();
    test_raw();
    test_errors();
    remove_tree(dir);
    g_free(dir);
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
