/* qemu-img: running it, and the commands that change images (create, bitmap,
 * snapshot, commit, rebase) or compare them. */
#include "drivers/qemu/qemu_img_priv.h"
#include "drivers/qemu/qemu_qcow2.h"

#include <gio/gio.h>
#include <stdlib.h>
#include "util/error.h"

static GMutex binary_lock;
static char *binary_override;

void qemu_img_set_binary(const char *path)
{
    g_mutex_lock(&binary_lock);
    g_free(binary_override);
    binary_override = g_strdup(path);
    g_mutex_unlock(&binary_lock);
}

static char *find_binary(void)
{
    g_mutex_lock(&binary_lock);
    char *bin = g_strdup(binary_override);
    g_mutex_unlock(&binary_lock);
    if (!bin)
        bin = g_find_program_in_path("qemu-img");
    if (!bin)
        error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED, "cannot find 'qemu-img' on PATH");
    return bin;
}

/* What qemu-img said on stderr, on one line: its lines without the "qemu-img: "
 * prefix, joined by "; ". */
static char *stderr_summary(GBytes *err, int status)
{
    gsize len = 0;
    const char *data = err ? g_bytes_get_data(err, &len) : NULL;
    g_autofree char *text = g_strndup(data ? data : "", len);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    GString *out = g_string_new(NULL);

    for (guint i = 0; lines[i]; i++) {
        char *line = g_strstrip(lines[i]);
        if (g_str_has_prefix(line, "qemu-img: "))
            line += strlen("qemu-img: ");
        if (*line)
            g_string_append_printf(out, "%s%s", out->len ? "; " : "", line);
    }
    if (!out->len)
        g_string_append_printf(out, "exit status %d", status);
    return g_string_free(out, FALSE);
}

static int exit_status(GSubprocess *proc)
{
    if (g_subprocess_get_if_exited(proc))
        return g_subprocess_get_exit_status(proc);
    return 128 + g_subprocess_get_term_sig(proc);
}

int qemu_img_run(const char *const *args, int ok_max_status, char **ret_stdout)
{
    g_autofree char *bin = find_binary();
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GBytes) out = NULL, err = NULL;

    if (!bin)
        return -1;
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, bin);
    for (guint i = 0; args[i]; i++)
        g_ptr_array_add(argv, (gpointer)args[i]);
    g_ptr_array_add(argv, NULL);

    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new(
        G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);   /* stdin: /dev/null */
    g_subprocess_launcher_setenv(launcher, "LC_ALL", "C", TRUE);
    g_autoptr(GSubprocess) proc = g_subprocess_launcher_spawnv(
        launcher, (const char *const *)argv->pdata, &gerr);
    if (!proc || !g_subprocess_communicate(proc, NULL, NULL, &out, &err, &gerr)) {
        error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED, "cannot run '%s': %s",
                     bin, gerr->message);
        return -1;
    }
    int status = exit_status(proc);
    if (status > ok_max_status) {
        g_autofree char *why = stderr_summary(err, status);
        error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED, "qemu-img %s failed: %s",
                     args[0], why);
        return -1;
    }
    if (ret_stdout) {
        gsize len = 0;
        const char *data = g_bytes_get_data(out, &len);
        *ret_stdout = g_strndup(data ? data : "", len);
    }
    return status;
}

/* Run a fixed command line given as a NULL-terminated list. */
#define RUN(...) (qemu_img_run((const char *const[]){ __VA_ARGS__, NULL }, 0, NULL) < 0 ? -1 : 0)

int qemu_img_create_qcow2(const char *path, unsigned long long size, const char *backing,
                          const char *backing_format)
{
    g_autofree char *sz = g_strdup_printf("%llu", size);

    if (!backing)
        return RUN("create", "-q", "-f", "qcow2", "-o", "compat=1.1", "--", path, sz);
    if (size == 0)
        return RUN("create", "-q", "-f", "qcow2", "-o", "compat=1.1", "-b", backing,
                   "-F", backing_format ? backing_format : "qcow2", "--", path);
    return RUN("create", "-q", "-f", "qcow2", "-o", "compat=1.1", "-b", backing,
               "-F", backing_format ? backing_format : "qcow2", "--", path, sz);
}

int qemu_img_create_overlay(const char *path, unsigned long long size, const char *backing,
                            const char *backing_format)
{
    g_autofree char *sz = g_strdup_printf("%llu", size);

    return RUN("create", "-q", "-f", "qcow2", "-o", "compat=1.1", "-u", "-b", backing, "-F",
               backing_format, "--", path, sz);
}

int qemu_img_snapshot_copy(const char *path, const char *name, const char *backing,
                           const char *backing_format, const char *out)
{
    g_autofree char *opt = g_strdup_printf("snapshot.name=%s", name);

    if (!backing)
        return RUN("convert", "-q", "-l", opt, "-f", "qcow2", "-O", "qcow2", "-o", "compat=1.1", "--",
                   path, out);
    return RUN("convert", "-q", "-l", opt, "-f", "qcow2", "-O", "qcow2", "-o", "compat=1.1", "-B",
               backing, "-F", backing_format, "--", path, out);
}

int qemu_img_create_raw(const char *path, unsigned long long size)
{
    g_autofree char *sz = g_strdup_printf("%llu", size);
    return RUN("create", "-q", "-f", "raw", "--", path, sz);
}

int qemu_img_bitmap_add(const char *path, const char *name, unsigned long long granularity,
                        bool disabled)
{
    g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func(g_free);
    static const char *const head[] = { "bitmap", "--add", "-f", "qcow2" };

    for (guint i = 0; i < G_N_ELEMENTS(head); i++)
        g_ptr_array_add(a, g_strdup(head[i]));
    if (granularity) {
        g_ptr_array_add(a, g_strdup("-g"));
        g_ptr_array_add(a, g_strdup_printf("%llu", granularity));
    }
    if (disabled)
        g_ptr_array_add(a, g_strdup("--disable"));
    g_ptr_array_add(a, g_strdup("--"));
    g_ptr_array_add(a, g_strdup(path));
    g_ptr_array_add(a, g_strdup(name));
    g_ptr_array_add(a, NULL);
    return qemu_img_run((const char *const *)a->pdata, 0, NULL) < 0 ? -1 : 0;
}

int qemu_img_bitmap_remove(const char *path, const char *name)
{
    return RUN("bitmap", "--remove", "-f", "qcow2", "--", path, name);
}

int qemu_img_bitmap_enable(const char *path, const char *name)
{
    return RUN("bitmap", "--enable", "-f", "qcow2", "--", path, name);
}

int qemu_img_bitmap_disable(const char *path, const char *name)
{
    return RUN("bitmap", "--disable", "-f", "qcow2", "--", path, name);
}

int qemu_img_bitmap_clear(const char *path, const char *name)
{
    return RUN("bitmap", "--clear", "-f", "qcow2", "--", path, name);
}

int qemu_img_bitmap_merge(const char *path, const char *target, const char *source,
                          const char *source_image, const char *source_format)
{
    if (!source_image)
        return RUN("bitmap", "--merge", source, "-f", "qcow2", "--", path, target);
    return RUN("bitmap", "--merge", source, "-b", source_image,
               "-F", source_format ? source_format : "qcow2", "-f", "qcow2", "--", path, target);
}

/* The --image-opts spelling of a qcow2 file (qemu-img snapshot has no -f, and
 * probing a format is never done on purpose): commas in path doubled. */
static char *qcow2_image_opts(const char *path)
{
    g_autofree char *abs = g_canonicalize_filename(path, NULL);
    g_auto(GStrv) parts = g_strsplit(abs, ",", -1);
    g_autofree char *escaped = g_strjoinv(",,", parts);

    return g_strdup_printf("driver=qcow2,file.driver=file,file.filename=%s", escaped);
}

static int snapshot_op(const char *op, const char *name, const char *path)
{
    g_autofree char *opts = qcow2_image_opts(path);
    return RUN("snapshot", "--image-opts", op, name, "--", opts);
}

int qemu_img_snapshot_create(const char *path, const char *name)
{
    bool exists;

    /* qemu-img would add a second snapshot of the same name. */
    if (qemu_qcow2_has_snapshot(path, name, &exists) < 0)
        return -1;
    if (exists) {
        error_report(VIR_FROM_QEMU, VIR_ERR_OPERATION_FAILED,
                     "qemu-img snapshot failed: snapshot '%s' already exists in '%s'",
                     name, path);
        return -1;
    }
    return snapshot_op("-c", name, path);
}

int qemu_img_snapshot_apply(const char *path, const char *name)
{
    return snapshot_op("-a", name, path);
}

int qemu_img_snapshot_delete(const char *path, const char *name)
{
    return snapshot_op("-d", name, path);
}

int qemu_img_commit(const char *path, const char *base, bool drop)
{
    const char *args[10] = { "commit", "-q", "-f", "qcow2" };
    guint n = 4;

    if (drop)
        args[n++] = "-d";
    if (base) {
        args[n++] = "-b";
        args[n++] = base;
    }
    args[n++] = "--";
    args[n++] = path;
    return qemu_img_run(args, 0, NULL) < 0 ? -1 : 0;
}

int qemu_img_rebase_unsafe(const char *path, const char *backing, const char *backing_format)
{
    if (!backing)
        return RUN("rebase", "-u", "-f", "qcow2", "-b", "", "--", path);
    return RUN("rebase", "-u", "-f", "qcow2", "-b", backing,
               "-F", backing_format ? backing_format : "qcow2", "--", path);
}

/* "Content mismatch at offset 1234!" -> 1234; -1 when absent. */
static long long mismatch_offset(const char *out)
{
    const char *p = strstr(out, "mismatch at offset ");
    return p ? strtoll(p + strlen("mismatch at offset "), NULL, 10) : -1;
}

int qemu_img_compare(const char *path1, const char *format1, const char *path2,
                     const char *format2, unsigned int flags, bool *ret_identical,
                     long long *ret_mismatch)
{
    const char *args[12];
    guint n = 0;
    g_autofree char *out = NULL;

    args[n++] = "compare";
    if (flags & QEMU_IMG_FORCE_SHARE)
        args[n++] = "-U";
    if (format1) {
        args[n++] = "-f";
        args[n++] = format1;
    }
    if (format2) {
        args[n++] = "-F";
        args[n++] = format2;
    }
    args[n++] = "--";
    args[n++] = path1;
    args[n++] = path2;
    args[n] = NULL;
    int status = qemu_img_run(args, 1, &out);
    if (status < 0)
        return -1;
    *ret_identical = status == 0;
    if (status == 1 && ret_mismatch)
        *ret_mismatch = mismatch_offset(out);
    return 0;
}
