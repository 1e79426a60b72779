/* The <domain> elements libvirt itself wrote into the snapshot and checkpoint XML of
 * the shared conformance corpus (../shared/conformance) read and write back byte for
 * byte, at their indentation. Skipped (77) when the corpus is absent. */
#include <stdio.h>
#include <string.h>
#include "conf/domain_conf.h"
#include "util/error.h"
#include "util/xml.h"

static int failures;
static int tests;

static void report(bool ok, const char *name)
{
    tests++;
    printf("%s %d - %s\n", ok ? "ok" : "not ok", tests, name);
    if (!ok)
        failures++;
}

/* The text of the first "<domain " element of text, whole lines, or NULL. */
static char *domain_text(const char *text)
{
    const char *start = strstr(text, "<domain ");
    const char *end = strstr(text, "</domain>\n");

    if (!start || !end || end < start)
        return NULL;
    while (start > text && start[-1] == ' ')
        start--;
    return g_strndup(start, (size_t)(end + strlen("</domain>\n") - start));
}

static void check_file(const char *path)
{
    g_autofree char *text = NULL;
    g_autofree char *expected = NULL;
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(domain_def) def = NULL;
    g_autofree char *name = g_path_get_basename(path);
    xmlNodePtr dom;
    buf b = BUF_INIT;
    g_autofree char *actual = NULL;
    int indent;

    if (!g_file_get_contents(path, &text, NULL, NULL) || !(expected = domain_text(text)))
        return;
    indent = (int)strspn(expected, " ");
    if (!(doc = xml_parse(text, path, NULL, VIR_FROM_DOMAIN)) ||
        !(dom = xml_child(xmlDocGetRootElement(doc), "domain")) ||
        !(def = domain_def_parse_node(dom, NULL, 0))) {
        printf("# %s: %s\n", path, error_last() ? error_last()->message : "no <domain>");
        report(false, name);
        return;
    }
    buf_set_indent(&b, indent);
    domain_def_format_buf(&b, def, -1, DOMAIN_FORMAT_INACTIVE | DOMAIN_FORMAT_SECURE);
    actual = buf_steal(&b);
    if (strcmp(actual, expected) != 0) {
        printf("# %s: written back as\n", path);
        for (char **l = g_strsplit(actual, "\n", -1), **p = l; *p; p++)
            printf("# | %s\n", *p);
    }
    report(strcmp(actual, expected) == 0, name);
}

static gint by_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *root = argc > 1 ? argv[1] : "../shared/conformance/libvirt-xml";
    const char *dirs[] = { "qemudomainsnapshotxml2xmlout", "qemudomaincheckpointxml2xmlout" };

    if (!g_file_test(root, G_FILE_TEST_IS_DIR)) {
        printf("1..0 # SKIP %s is absent\n", root);
        return 77;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
        g_autofree char *dir = g_build_filename(root, dirs[i], NULL);
        g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
        g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
        const char *f;

        while (d && (f = g_dir_read_name(d)))
            if (g_str_has_suffix(f, ".xml"))
                g_ptr_array_add(files, g_build_filename(dir, f, NULL));
        g_ptr_array_sort(files, by_name);
        for (guint j = 0; j < files->len; j++)
            check_file(files->pdata[j]);
    }
    printf("1..%d\n", tests);
    return failures ? 1 : 0;
}
