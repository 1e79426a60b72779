/* The moment tree: a domain's snapshots (or checkpoints) by name, their parent/child
 * links, the current one, and listings with libvirt's filters. Lookups cost O(1),
 * adding and removing O(1) plus the children moved, listings O(result) (the whole
 * tree's unordered listings O(size)). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

typedef struct moment moment;

struct moment {
    void *def;               /* the snapshot or checkpoint definition, owned by the tree */
    moment *first_child;     /* newest first, as libvirt links them */
    moment *last_child;
    moment *prev;            /* siblings */
    moment *next;
    size_t nchildren;
    moment *leaf_prev;       /* the tree's list of childless moments */
    moment *leaf_next;
    moment *parent;          /* NULL for a root */
    char name[];             /* last, beside parent: a lookup and a step up touch one line */
};

typedef struct moment_tree moment_tree;

/* free_def releases a moment's def when the moment is removed or the tree freed. */
moment_tree *moment_tree_new(GDestroyNotify free_def);
void moment_tree_free(moment_tree *tree);

moment *moment_tree_find(const moment_tree *tree, const char *name);
size_t moment_tree_size(const moment_tree *tree);
/* The roots, newest first; iterate with m->next. */
moment *moment_tree_first_root(const moment_tree *tree);

/* Add a moment named name under parent (NULL: a root), taking def. Fails with
 * "domain moment NAME already exists" (VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN)
 * and leaves def with the caller. */
moment *moment_tree_add(moment_tree *tree, const char *name, void *def, moment *parent);

/* Replace m's def (the old one is freed). */
void moment_tree_set_def(moment_tree *tree, moment *m, void *def);

/* Whether parent can become m's parent: not m itself, not one of its descendants.
 * Reports libvirt's VIR_ERR_INVALID_ARG errors otherwise. */
bool moment_tree_check_parent(const moment *m, const moment *parent);
/* Move m (with its subtree) under parent (NULL: make it a root). */
void moment_tree_set_parent(moment_tree *tree, moment *m, moment *parent);

/* Remove m; its children move to m's parent (before that parent's own children,
 * in their order). If m was current, nothing is current afterwards. */
void moment_tree_remove(moment_tree *tree, moment *m);
/* Remove every descendant of m (m stays). */
void moment_tree_remove_descendants(moment_tree *tree, moment *m);

moment *moment_tree_current(const moment_tree *tree);
void moment_tree_set_current(moment_tree *tree, moment *m);

/* Whether m is a strict descendant of ancestor. */
bool moment_is_descendant(const moment *m, const moment *ancestor);
/* The number of m's descendants. */
size_t moment_count_descendants(const moment *m);

/* Listing flags, with the values of libvirt's checkpoint list flags. */
enum {
    MOMENT_LIST_ROOTS = 1 << 0,        /* from the domain: only roots */
    MOMENT_LIST_DESCENDANTS = 1 << 0,  /* from a moment: all descendants, not just children */
    MOMENT_LIST_TOPOLOGICAL = 1 << 1,  /* parents before children (always true here) */
    MOMENT_LIST_LEAVES = 1 << 2,
    MOMENT_LIST_NO_LEAVES = 1 << 3,
};

/* A per-kind filter (snapshot state, location, ...); NULL accepts everything. */
typedef bool (*moment_filter)(const moment *m, void *opaque);

/* The moments under from (NULL: the whole tree) that pass flags and filter. Under a
 * moment, or with TOPOLOGICAL or ROOTS, the order is parents before children, each
 * parent's children newest first; for the whole tree without them there is no
 * particular order (straight from the name index, as libvirt's hash order). Returns
 * a GPtrArray of moment* (borrowed). */
GPtrArray *moment_tree_list(const moment_tree *tree, const moment *from, unsigned int flags,
                            moment_filter filter, void *opaque);

/* Call fn on each moment moment_tree_list would return, in its order, until fn
 * returns false; fn must not change the tree. */
typedef bool (*moment_visitor)(moment *m, void *data);
void moment_tree_visit(const moment_tree *tree, const moment *from, unsigned int flags,
                       moment_filter filter, void *opaque, moment_visitor fn, void *data);

/* At most how many moments moment_tree_list would return, in O(1). */
size_t moment_tree_bound(const moment_tree *tree, const moment *from, unsigned int flags);

/* How many moments moment_tree_list would return, without listing them. */
size_t moment_tree_count(const moment_tree *tree, const moment *from, unsigned int flags,
                         moment_filter filter, void *opaque);

/* Visit every moment of the tree, parents first; fn must not change the tree. */
void moment_tree_foreach(const moment_tree *tree, void (*fn)(moment *m, void *opaque),
                         void *opaque);
