/* Helpers shared by the conf tests: checks, files, the libvirt corpus, fake domains. */
#include "conf-test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/error.h"

static int failures;
static GPtrArray *said;

const char *say(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (!said)
        said = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(said, s);
    return s;
}

void check(const char *what, bool ok)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok)
        failures++;
}

bool check_error(const char *what, int code, int domain, const char *message)
{
    virErrorPtr err = error_last();
    bool ok = err && err->code == code && err->domain == domain &&
              (!message || g_strcmp0(err->message, message) == 0);

    check(what, ok);
    if (!ok)
        printf("  got code %d domain %d '%s'\n  expected code %d domain %d '%s'\n",
               err ? err->code : -1, err ? err->domain : -1, err ? err->message : "(no error)",
               code, domain, message ? message : "*");
    error_reset();
    return ok;
}

bool check_text(const char *what, const char *got, const char *expected)
{
    bool ok = got && expected && strcmp(got, expected) == 0;

    check(what, ok);
    if (!ok && got && expected) {
        g_auto(GStrv) a = g_strsplit(got, "\n", -1);
        g_auto(GStrv) b = g_strsplit(expected, "\n", -1);
        size_t i = 0;

        while (a[i] && b[i] && strcmp(a[i], b[i]) == 0)
            i++;
        printf("  line %zu\n  got:      '%s'\n  expected: '%s'\n", i + 1,
               a[i] ? a[i] : "(end)", b[i] ? b[i] : "(end)");
    } else if (!ok) {
        virErrorPtr err = error_last();
        printf("  got %s%s\n", got ? "text" : "nothing: ", got ? "" : err ? err->message : "");
    }
    return ok;
}

int test_result(void)
{
    printf("%d failure%s\n", failures, failures == 1 ? "" : "s");
    g_clear_pointer(&said, g_ptr_array_unref);
    return failures ? 1 : 0;
}

char *read_text(const char *path)
{
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    return text;
}

const char *corpus_dir(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : g_getenv("VIRTMOMENT_CONFORMANCE");

    if (!dir || !g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        printf("libvirt corpus not found (%s): skipped\n", dir ? dir : "VIRTMOMENT_CONFORMANCE unset");
        exit(77);
    }
    return dir;
}

domain_def *fake_domain(const fake_disk *disks, size_t ndisks)
{
    GString *xml = g_string_new("<domain type='qemu'>\n"
                                "  <name>fake</name>\n"
                                "  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>\n"
                                "  <memory unit='KiB'>219136</memory>\n"
                                "  <vcpu placement='static'>1</vcpu>\n"
                                "  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n  </os>\n"
                                "  <devices>\n");
    domain_def *def;

    for (size_t i = 0; i < ndisks; i++) {
        const fake_disk *d = &disks[i];
        const char *type = d->type ? d->type : "file";
        const char *bus = g_str_has_prefix(d->dst, "hd") ? "ide" :
                          g_str_has_prefix(d->dst, "sd") ? "scsi" : "virtio";

        g_string_append_printf(xml, "    <disk type='%s' device='%s'>\n"
                               "      <driver name='qemu' type='qcow2'/>\n",
                               type, d->cdrom ? "cdrom" : "disk");
        if (d->path && strcmp(type, "network") == 0)
            g_string_append_printf(xml, "      <source protocol='nbd' name='%s'>\n"
                                   "        <host name='example.org'/>\n      </source>\n",
                                   d->path);
        else if (d->path)
            g_string_append_printf(xml, "      <source %s='%s'/>\n",
                                   strcmp(type, "block") == 0 ? "dev" : "file", d->path);
        g_string_append_printf(xml, "      <target dev='%s' bus='%s'/>\n%s    </disk>\n",
                               d->dst, bus, d->readonly ? "      <readonly/>\n" : "");
    }
    g_string_append(xml, "  </devices>\n</domain>\n");
    /* RAW: as libvirt's tests build it, without the post-parse checks that would
     * refuse names like vdextradisk */
    def = domain_def_parse(xml->str, NULL, DOMAIN_PARSE_RAW);
    if (!def)
        printf("fake domain not parsed: %s\n%s", error_last() ? error_last()->message : "?",
               xml->str);
    g_string_free(xml, TRUE);
    return def;
}
