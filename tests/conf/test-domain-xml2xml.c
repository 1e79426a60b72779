/* Domain XML round trips: every domainxml2xml/in/NAME.xml parses and formats to
 * out/NAME.xml byte for byte, the output is a fixed point, copies format the same,
 * and embedding indents it. VIR_TEST_REGENERATE_OUTPUT=1 rewrites the expected files.
 * Inputs named status-* are read as status XML and also written live (NAME.live.xml)
 * and as status (NAME.status.xml); inputs named *-secure are written with secrets. */
#include <stdio.h>
#include <string.h>
#include "conf/domain_conf.h"
#include "util/error.h"
#include "domain-test-opts.h"

static int failures;
static int tests;

static void report(bool ok, const char *what, const char *name)
{
    tests++;
    printf("%s %d - %s %s\n", ok ? "ok" : "not ok", tests, name, what);
    if (!ok)
        failures++;
}

static bool regenerate(void)
{
    const char *v = g_getenv("VIR_TEST_REGENERATE_OUTPUT");
    return v && strcmp(v, "1") == 0;
}

static void show_error(const char *name)
{
    virErrorPtr e = error_last();
    printf("# %s: %s\n", name, e && e->message ? e->message : "(no error)");
}

/* Compare actual with the expected file (or write it when regenerating). */
static bool compare_file(const char *path, const char *actual)
{
    g_autofree char *expected = NULL;

    if (regenerate()) {
        g_file_set_contents(path, actual, -1, NULL);
        return true;
    }
    if (!g_file_get_contents(path, &expected, NULL, NULL)) {
        printf("# missing %s (run with VIR_TEST_REGENERATE_OUTPUT=1)\n", path);
        return false;
    }
    if (strcmp(expected, actual) != 0) {
        printf("# %s differs; actual output:\n", path);
        for (char **l = g_strsplit(actual, "\n", -1), **p = l; *p; p++)
            printf("# | %s\n", *p);
        return false;
    }
    return true;
}

/* The output embedded two spaces deeper: element lines move, text lines do not. */
static bool check_embedded(const domain_def *def, int id, unsigned int flags, const char *plain)
{
    buf b = BUF_INIT;
    g_autofree char *nested = NULL;
    g_auto(GStrv) plain_lines = g_strsplit(plain, "\n", -1);
    g_auto(GStrv) nested_lines = NULL;
    bool in_text = false;

    buf_set_indent(&b, 2);
    domain_def_format_buf(&b, def, id, flags);
    nested = buf_steal(&b);
    nested_lines = g_strsplit(nested, "\n", -1);
    if (g_strv_length(plain_lines) != g_strv_length(nested_lines))
        return false;
    for (size_t i = 0; plain_lines[i]; i++) {
        const char *p = plain_lines[i], *n = nested_lines[i];
        bool structural = !in_text && *p;
        g_autofree char *want = structural ? g_strdup_printf("  %s", p) : g_strdup(p);
        const char *lt = strrchr(p, '<'), *gt = strrchr(p, '>');
        if (strcmp(want, n) != 0)
            return false;
        /* a line ending inside text content: the next line continues the text */
        in_text = *p && !(gt && gt[1] == '\0' && (!lt || lt < gt));
    }
    return true;
}

static unsigned int parse_flags_for(const char *name)
{
    return g_str_has_prefix(name, "status-") ? DOMAIN_PARSE_STATUS : 0;
}

static unsigned int format_flags_for(const char *name)
{
    return DOMAIN_FORMAT_INACTIVE | (g_str_has_suffix(name, "-secure") ? DOMAIN_FORMAT_SECURE : 0);
}

/* One output variant: compare, then check that it reads back to itself. */
static void check_variant(const char *name, const domain_def *def, const char *out_path, int id,
                          unsigned int fmt, unsigned int parse, bool fixed_point)
{
    g_autofree char *actual = domain_def_format(def, id, fmt);
    g_autoptr(domain_def) again = NULL;
    g_autoptr(domain_def) copy = domain_def_copy(def);
    g_autofree char *copied = domain_def_format(copy, id, fmt);
    g_autofree char *label = g_path_get_basename(out_path);

    report(compare_file(out_path, actual), label, "matches");
    again = domain_def_parse(actual, &conf_test_options, parse);
    if (!again)
        show_error(name);
    if (!fixed_point) {
        /* the inactive view of a running domain lacks what the driver assigned */
        report(again != NULL, label, "reads back");
    } else if (again) {
        g_autofree char *second = domain_def_format(again, id, fmt);
        report(strcmp(second, actual) == 0, label, "is a fixed point");
    } else {
        report(false, label, "reads back");
    }
    report(strcmp(copied, actual) == 0, label, "copy formats the same");
    report(check_embedded(def, id, fmt, actual), label, "embeds at +2");
}

static void check_input(const char *dir, const char *file)
{
    g_autofree char *name = g_strndup(file, strlen(file) - 4);
    g_autofree char *in_path = g_build_filename(dir, "in", file, NULL);
    g_autofree char *out_path = g_build_filename(dir, "out", file, NULL);
    g_autofree char *text = NULL;
    g_autoptr(domain_def) def = NULL;
    unsigned int parse = parse_flags_for(name);

    if (!g_file_get_contents(in_path, &text, NULL, NULL)) {
        report(false, "readable", name);
        return;
    }
    if (!(def = domain_def_parse_url(text, in_path, &conf_test_options, parse))) {
        show_error(name);
        report(false, "parses", name);
        return;
    }
    check_variant(name, def, out_path, -1, format_flags_for(name), parse,
                  !(parse & DOMAIN_PARSE_STATUS));
    if (parse & DOMAIN_PARSE_STATUS) {
        g_autofree char *live = g_strdup_printf("%s/out/%s.live.xml", dir, name);
        g_autofree char *status = g_strdup_printf("%s/out/%s.status.xml", dir, name);
        check_variant(name, def, live, 7, 0, DOMAIN_PARSE_STATUS, true);
        check_variant(name, def, status, 7, DOMAIN_FORMAT_STATUS | DOMAIN_FORMAT_SECURE,
                      DOMAIN_PARSE_STATUS, true);
    }
}

static gint by_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "domainxml2xml";
    g_autofree char *in_dir = g_build_filename(dir, "in", NULL);
    g_autoptr(GDir) d = g_dir_open(in_dir, 0, NULL);
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    const char *f;

    if (!d) {
        printf("Bail out! cannot open %s\n", in_dir);
        return 1;
    }
    while ((f = g_dir_read_name(d)))
        if (g_str_has_suffix(f, ".xml"))
            g_ptr_array_add(files, g_strdup(f));
    g_ptr_array_sort(files, by_name);
    for (guint i = 0; i < files->len; i++)
        check_input(dir, files->pdata[i]);
    printf("1..%d\n", tests);
    return failures ? 1 : 0;
}
