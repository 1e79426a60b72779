/* The moment tree: linking order, reparenting, cycles, removal, listings. */
#include <stdio.h>
#include <string.h>
#include "conf/moment_tree.h"
#include "util/error.h"

static int failures;

static void check(const char *what, bool ok)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok)
        failures++;
}

/* The names of a listing, space separated. */
static char *names(GPtrArray *list)
{
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < list->len; i++)
        g_string_append_printf(s, "%s%s", i ? " " : "", ((moment *)list->pdata[i])->name);
    g_ptr_array_unref(list);
    return g_string_free(s, FALSE);
}

/* The listing in its order, and within moment_tree_bound. */
static void check_list(const char *what, moment_tree *t, const char *from, unsigned int flags,
                       const char *expected)
{
    moment *top = from ? moment_tree_find(t, from) : NULL;
    GPtrArray *list = moment_tree_list(t, top, flags, NULL, NULL);
    bool bounded = list->len <= moment_tree_bound(t, top, flags);
    g_autofree char *got = names(list);
    bool ok = strcmp(got, expected) == 0 && bounded;

    check(what, ok);
    if (!ok)
        printf("  got '%s', expected '%s'%s\n", got, expected, bounded ? "" : ", over the bound");
}

static gint by_name(gconstpointer a, gconstpointer b)
{
    return strcmp((*(moment *const *)a)->name, (*(moment *const *)b)->name);
}

/* A listing without an order: compared as a set (sorted by name). */
static void check_set(const char *what, moment_tree *t, unsigned int flags, const char *expected)
{
    GPtrArray *list = moment_tree_list(t, NULL, flags, NULL, NULL);
    g_autofree char *got = NULL;
    bool ok;

    g_ptr_array_sort(list, by_name);
    got = names(list);
    ok = strcmp(got, expected) == 0;
    check(what, ok);
    if (!ok)
        printf("  got '%s', expected '%s'\n", got, expected);
}

/* The name index through growth and removals in random order: every name found
 * while present, none after, the unordered listing the same set. */
static void check_index(void)
{
    enum { N = 5000 };
    moment_tree *t = moment_tree_new(NULL);
    g_autoptr(GRand) r = g_rand_new_with_seed(7);
    int order[N];
    bool found_all = true, gone_all = true;
    char name[16];

    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof(name), "m%d", i);
        moment_tree_add(t, name, NULL, NULL);
        order[i] = i;
    }
    for (int i = N - 1; i > 0; i--) {
        int j = g_rand_int_range(r, 0, i + 1), tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
    }
    for (int i = 0; i < N / 2; i++) {
        snprintf(name, sizeof(name), "m%d", order[i]);
        moment_tree_remove(t, moment_tree_find(t, name));
    }
    for (int i = 0; i < N; i++) {
        moment *m;
        snprintf(name, sizeof(name), "m%d", order[i]);
        m = moment_tree_find(t, name);
        if (i < N / 2)
            gone_all &= m == NULL;
        else
            found_all &= m && strcmp(m->name, name) == 0;
    }
    check("index: removed names are gone", gone_all);
    check("index: the others are found", found_all);
    {
        GPtrArray *all = moment_tree_list(t, NULL, 0, NULL, NULL);
        check("index: size and unordered listing agree",
              moment_tree_size(t) == N - N / 2 && all->len == N - N / 2);
        g_ptr_array_unref(all);
    }
    /* down to 10: the index shrinks on the way, every survivor still found */
    for (int i = N / 2; i < N - 10; i++) {
        snprintf(name, sizeof(name), "m%d", order[i]);
        moment_tree_remove(t, moment_tree_find(t, name));
    }
    found_all = true;
    for (int i = N / 2; i < N; i++) {
        snprintf(name, sizeof(name), "m%d", order[i]);
        found_all &= (moment_tree_find(t, name) != NULL) == (i >= N - 10);
    }
    check("index: after shrinking, the survivors found and nothing else", found_all);
    {
        GPtrArray *all = moment_tree_list(t, NULL, 0, NULL, NULL);
        check("index: the unordered listing after shrinking", all->len == 10);
        g_ptr_array_unref(all);
    }
    moment_tree_free(t);
}

/* The leaf index agrees with a walk: the same leaves, and the same count. */
static void check_leaves(moment_tree *t)
{
    GPtrArray *walked = moment_tree_list(t, NULL, MOMENT_LIST_LEAVES | MOMENT_LIST_TOPOLOGICAL, NULL, NULL);
    GPtrArray *indexed = moment_tree_list(t, NULL, MOMENT_LIST_LEAVES, NULL, NULL);
    bool same = walked->len == indexed->len &&
                moment_tree_count(t, NULL, MOMENT_LIST_LEAVES, NULL, NULL) == walked->len;

    for (guint i = 0; same && i < walked->len; i++) {
        bool found = false;
        for (guint j = 0; j < indexed->len; j++)
            found |= walked->pdata[i] == indexed->pdata[j];
        same = found;
    }
    check("the leaf index agrees with a walk", same);
    g_ptr_array_unref(walked);
    g_ptr_array_unref(indexed);
}

/* The tree of libvirt's T1 transcript: create s1..s8 with reverts in between. */
static moment_tree *t1_tree(void)
{
    moment_tree *t = moment_tree_new(g_free);
    static const char *const spec[][2] = {
        { "s1", NULL }, { "s3", "s1" }, { "s2", "s3" }, { "s6", "s3" },
        { "s5", "s6" }, { "s4", "s6" }, { "s7", "s1" }, { "s8", "s7" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(spec); i++)
        moment_tree_add(t, spec[i][0], g_strdup("def"), moment_tree_find(t, spec[i][1]));
    return t;
}

int main(void)
{
    moment_tree *t = t1_tree();
    moment *s1 = moment_tree_find(t, "s1"), *s3 = moment_tree_find(t, "s3");
    moment *s6 = moment_tree_find(t, "s6");

    check("size", moment_tree_size(t) == 8);
    check_list("topological order as libvirt's", t, NULL, MOMENT_LIST_TOPOLOGICAL,
               "s1 s7 s8 s3 s6 s4 s5 s2");
    check_list("roots", t, NULL, MOMENT_LIST_ROOTS, "s1");
    check_list("leaves, topological", t, NULL, MOMENT_LIST_LEAVES | MOMENT_LIST_TOPOLOGICAL,
               "s8 s4 s5 s2");
    check_leaves(t);
    check_list("no leaves, topological", t, NULL, MOMENT_LIST_NO_LEAVES | MOMENT_LIST_TOPOLOGICAL,
               "s1 s7 s3 s6");
    check_set("no leaves", t, MOMENT_LIST_NO_LEAVES, "s1 s3 s6 s7");
    check_set("leaves and no leaves: everything", t, MOMENT_LIST_LEAVES | MOMENT_LIST_NO_LEAVES,
              "s1 s2 s3 s4 s5 s6 s7 s8");
    check_list("children of s3", t, "s3", 0, "s6 s2");
    check_list("descendants of s3", t, "s3", MOMENT_LIST_DESCENDANTS, "s6 s4 s5 s2");
    check_list("leaf descendants of s1", t, "s1", MOMENT_LIST_DESCENDANTS | MOMENT_LIST_LEAVES,
               "s8 s4 s5 s2");
    check("descendant count", moment_count_descendants(s1) == 7);
    check("s4 descends from s1", moment_is_descendant(moment_tree_find(t, "s4"), s1));
    check("s1 does not descend from s4", !moment_is_descendant(s1, moment_tree_find(t, "s4")));

    check("duplicate name refused", !moment_tree_add(t, "s2", NULL, NULL) &&
          error_last()->code == VIR_ERR_OPERATION_FAILED &&
          strcmp(error_last()->message, "operation failed: domain moment s2 already exists") == 0);
    check("own parent refused", !moment_tree_check_parent(s3, s3) &&
          strcmp(error_last()->message, "invalid argument: cannot set moment s3 as its own parent") == 0);
    check("cycle refused", !moment_tree_check_parent(s3, s6) &&
          strcmp(error_last()->message, "invalid argument: parent s6 would create cycle to s3") == 0);
    check("deep cycle names the child on the path", !moment_tree_check_parent(s1, s6) &&
          strcmp(error_last()->message, "invalid argument: parent s3 would create cycle to s1") == 0);
    check("other parent accepted", moment_tree_check_parent(s6, moment_tree_find(t, "s8")));

    moment_tree_set_current(t, s3);
    moment_tree_remove(t, s3);
    check("removing current clears it", moment_tree_current(t) == NULL);
    check_list("children move up in order", t, "s1", 0, "s6 s2 s7");
    check_leaves(t);
    check_list("whole tree after removal", t, NULL, MOMENT_LIST_TOPOLOGICAL, "s1 s6 s4 s5 s2 s7 s8");
    check_set("whole tree after removal, unordered", t, 0, "s1 s2 s4 s5 s6 s7 s8");

    moment_tree_set_parent(t, s6, NULL);
    check_list("s6 made a root", t, NULL, MOMENT_LIST_ROOTS, "s6 s1");
    moment_tree_set_current(t, moment_tree_find(t, "s5"));
    moment_tree_remove_descendants(t, s6);
    check("descendants removed", moment_tree_size(t) == 5 && !moment_tree_find(t, "s4"));
    check_leaves(t);
    check("current among them cleared", moment_tree_current(t) == NULL);
    check_list("what is left", t, NULL, MOMENT_LIST_TOPOLOGICAL, "s6 s1 s2 s7 s8");
    moment_tree_remove(t, s1);
    check_list("root removed, children become roots", t, NULL, MOMENT_LIST_ROOTS, "s2 s7 s6");
    check_leaves(t);
    moment_tree_free(t);

    /* A long chain: walks are iterative, removal of the root keeps the rest. */
    t = moment_tree_new(NULL);
    moment *prev = NULL;
    char name[16];
    for (int i = 0; i < 100000; i++) {
        snprintf(name, sizeof(name), "c%d", i);
        prev = moment_tree_add(t, name, NULL, prev);
    }
    GPtrArray *all = moment_tree_list(t, NULL, 0, NULL, NULL);
    check("100000-chain listing", all->len == 100000);
    g_ptr_array_unref(all);
    moment_tree_remove_descendants(t, moment_tree_find(t, "c0"));
    check("100000-chain removal", moment_tree_size(t) == 1);
    moment_tree_free(t);
    check_index();

    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
