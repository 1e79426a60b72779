/* Unit test of vmsh's table printer: widths, padding, dashes, quiet mode, escapes. */
#include <locale.h>
#include <string.h>

#include "vmsh-util.h"

const vmsh_cmd_def *const vmsh_commands[] = { NULL };

static void check(vmsh_table *t, bool header, const char *expected)
{
    g_autofree char *text = vmsh_table_format(t, header);

    g_assert_cmpstr(text, ==, expected);
}

static void test_list_table(void)
{
    g_autoptr(vmsh_table) t = vmsh_table_new("Id", "Name", "State", NULL);

    vmsh_table_add(t, "1", "test", "running", NULL);
    vmsh_table_add(t, "-", "t2", "shut off", NULL);
    check(t, true,
          " Id   Name   State\n"
          "-----------------------\n"
          " 1    test   running\n"
          " -    t2     shut off\n");
    check(t, false,
          " 1   test   running\n"
          " -   t2     shut off\n");
}

/* An empty last cell keeps its leading space, after the padding of the cell before. */
static void test_empty_last_cell(void)
{
    g_autoptr(vmsh_table) t = vmsh_table_new("Name", "Creation Time", "State", "Parent", NULL);

    vmsh_table_add(t, "s1", "2026-11-22 04:13:00 +0000", "running", "", NULL);
    vmsh_table_add(t, "s2", "2026-11-22 04:13:00 +0000", "running", "s1", NULL);
    check(t, true,
          " Name   Creation Time               State     Parent\n"
          "------------------------------------------------------\n"
          " s1     2026-11-22 04:13:00 +0000   running   \n"
          " s2     2026-11-22 04:13:00 +0000   running   s1\n");
}

static void test_empty_table(void)
{
    g_autoptr(vmsh_table) t = vmsh_table_new("Name", "Creation Time", "State", NULL);

    check(t, true, " Name   Creation Time   State\n-------------------------------\n");
    check(t, false, "");
}

static void test_escapes(void)
{
    g_autoptr(vmsh_table) t = vmsh_table_new("A", "B", NULL);

    vmsh_table_add(t, "x\ty", "z", NULL);
    vmsh_table_add_row(t, (const char *const[]){ NULL, "w" });
    vmsh_table_add(t, "a\\xb\\y", "v", NULL); /* a backslash before "x" is escaped */
    check(t, true,
          " A           B\n"
          "----------------\n"
          " x\\x09y      z\n"
          "             w\n"
          " a\\x5cxb\\y   v\n");
}

static void test_wide_characters(void)
{
    if (!setlocale(LC_ALL, "C.UTF-8")) {
        g_test_skip("no C.UTF-8 locale");
        return;
    }
    g_autoptr(vmsh_table) t = vmsh_table_new("Name", "X", NULL);

    vmsh_table_add(t, "\xe6\x97\xa5\xe6\x9c\xac", "1", NULL); /* two double-width characters */
    vmsh_table_add(t, "\xc3\xa9t\xc3\xa9", "2", NULL);        /* three single-width ones */
    check(t, true,
          " Name   X\n"
          "-----------\n"
          " \xe6\x97\xa5\xe6\x9c\xac   1\n"
          " \xc3\xa9t\xc3\xa9    2\n");
    setlocale(LC_ALL, "C");
    g_autoptr(vmsh_table) c = vmsh_table_new("N", NULL);
    vmsh_table_add(c, "\xc3\xa9", NULL);
    /* virsh 9.0 formats each such byte as a signed char: "\xff" (checked against it) */
    check(c, true, " N\n-----------\n \\xff\\xff\n");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vmsh/table/list", test_list_table);
    g_test_add_func("/vmsh/table/empty-last-cell", test_empty_last_cell);
    g_test_add_func("/vmsh/table/empty", test_empty_table);
    g_test_add_func("/vmsh/table/escapes", test_escapes);
    g_test_add_func("/vmsh/table/wide-characters", test_wide_characters);
    return g_test_run();
}
