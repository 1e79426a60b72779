/* The listing snapshot-list and checkpoint-list share, told apart by a table of the kind. */
#pragma once

#include "vmsh-util.h"

/* An option that adds a list flag. */
typedef struct {
    const char *opt;
    unsigned int flag;
} vmsh_moment_flag;

/* A kind of moment (snapshot or checkpoint): its options, XML and functions. A moment
 * is a virDomainSnapshotPtr or a virDomainCheckpointPtr, handled as a void *. */
typedef struct {
    const char *const *start_opts;        /* "from" and its like, NULL-terminated */
    const char *descendants_error;        /* --descendants without any of them */
    const vmsh_moment_flag *filters;      /* refused with --tree, in virsh's order */
    const vmsh_moment_flag *flags;        /* the other options that are list flags */
    unsigned int topological;             /* the kind's LIST_TOPOLOGICAL */
    const char *xml_url;                  /* the name XML errors give the document */
    const char *parent_xpath, *time_xpath;
    const char *state_xpath;              /* NULL: no State column */

    const char *(*name)(void *moment);
    void (*ref)(void *moment);
    void (*free)(void *moment);
    char *(*xml)(void *moment);
    int (*parent)(vmsh_ctl *ctl, void *moment, char **ret_parent);
    /* FROM's children (without FROM, DOM's moments) appended to LIST; -1 on failure */
    int (*list)(vmsh_ctl *ctl, virDomainPtr dom, void *from, unsigned int flags,
                GPtrArray *list);
    /* the moment the start options name; NULL on failure (reported) */
    void *(*start)(vmsh_ctl *ctl, const vmsh_cmd *cmd, virDomainPtr dom);
} vmsh_moment_kind;

bool vmsh_moment_list(vmsh_ctl *ctl, const vmsh_cmd *cmd, const vmsh_moment_kind *kind);
