/* Test helper: parse a domain XML file with the test driver's defaults and print it
 * back (inactive), or the error as "ERR code domain message". */
#include <stdio.h>
#include <string.h>
#include "conf/domain_conf.h"
#include "util/error.h"
#include "domain-test-opts.h"

int main(int argc, char **argv)
{
    unsigned int fmt = DOMAIN_FORMAT_INACTIVE, parse = 0;
    int id = -1;

    if (argc < 2) {
        fprintf(stderr, "usage: domainfmt FILE [--live] [--secure] [--status] [--validate]\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--live")) {
            fmt &= ~DOMAIN_FORMAT_INACTIVE;
            id = 1;
        } else if (!strcmp(argv[i], "--secure")) {
            fmt |= DOMAIN_FORMAT_SECURE;
        } else if (!strcmp(argv[i], "--status")) {
            parse |= DOMAIN_PARSE_STATUS;
        } else if (!strcmp(argv[i], "--validate")) {
            parse |= DOMAIN_PARSE_VALIDATE;
        }
    }
    g_autofree char *text = NULL;
    if (!g_file_get_contents(argv[1], &text, NULL, NULL)) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    g_autoptr(domain_def) def = domain_def_parse(text, &conf_test_options, parse);
    if (!def) {
        virErrorPtr e = error_last();
        printf("ERR %d %d %s\n", e->code, e->domain, e->message);
        return 1;
    }
    g_autofree char *out = domain_def_format(def, id, fmt);
    fputs(out, stdout);
    return 0;
}
