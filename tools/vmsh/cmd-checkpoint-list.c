/* checkpoint-list: a domain's checkpoints as a table, names or a tree, with virsh's filters. */
#include "moment-list.h"

#include <stdlib.h>

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "parent", .type = VMSH_OT_BOOL, .help = "add a column with each parent" },
    { .name = "roots", .type = VMSH_OT_BOOL, .help = "only checkpoints without a parent" },
    { .name = "leaves", .type = VMSH_OT_BOOL, .help = "only checkpoints without children" },
    { .name = "no-leaves", .type = VMSH_OT_BOOL, .help = "only checkpoints with children" },
    { .name = "tree", .type = VMSH_OT_BOOL, .help = "draw the checkpoints as a tree" },
    { .name = "from", .type = VMSH_OT_STRING, .help = "only the children of this checkpoint" },
    { .name = "descendants", .type = VMSH_OT_BOOL,
      .help = "with --from: all descendants, not only children" },
    { .name = "name", .type = VMSH_OT_BOOL, .help = "print only the names" },
    { .name = "topological", .type = VMSH_OT_BOOL,
      .help = "parents before children instead of by name" },
    { .name = NULL },
};

/* ---- the kind's functions, for moment-list.c ---- */

static const char *chk_name(void *chk)
{
    return virDomainCheckpointGetName(chk);
}

static void chk_ref(void *chk)
{
    virDomainCheckpointRef(chk);
}

static void chk_free(void *chk)
{
    virDomainCheckpointFree(chk);
}

static char *chk_xml(void *chk)
{
    return virDomainCheckpointGetXMLDesc(chk, 0);
}

static int chk_parent(vmsh_ctl *ctl, void *chk, char **ret_parent)
{
    return vmsh_checkpoint_parent(ctl, chk, ret_parent);
}

static int chk_list(vmsh_ctl *ctl, virDomainPtr dom, void *from, unsigned int flags,
                    GPtrArray *list)
{
    virDomainCheckpointPtr *chks = NULL;
    int count = from ? virDomainCheckpointListAllChildren(from, &chks, flags)
                     : virDomainListAllCheckpoints(dom, &chks, flags);

    if (count < 0) {
        vmsh_error(ctl, "%s", "unexpected problem querying checkpoints");
        return -1;
    }
    for (int i = 0; i < count; i++)
        g_ptr_array_add(list, chks[i]);
    free(chks);
    return 0;
}

static void *chk_start(vmsh_ctl *ctl, const vmsh_cmd *cmd, virDomainPtr dom)
{
    const char *name;

    return vmsh_checkpoint_lookup(ctl, cmd, "from", dom, &name);
}

static const vmsh_moment_kind checkpoints = {
    .start_opts = (const char *const[]){ "from", NULL },
    .descendants_error = "--descendants requires --from",
    .filters = (const vmsh_moment_flag[]){
        { "leaves", VIR_DOMAIN_CHECKPOINT_LIST_LEAVES },
        { "no-leaves", VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES },
        { NULL },
    },
    .flags = (const vmsh_moment_flag[]){
        { "topological", VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL },
        { "roots", VIR_DOMAIN_CHECKPOINT_LIST_ROOTS },
        { "descendants", VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS },
        { NULL },
    },
    .topological = VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL,
    .xml_url = "(domain_checkpoint)",
    .parent_xpath = "string(/domaincheckpoint/parent/name)",
    .time_xpath = "string(/domaincheckpoint/creationTime)",
    .name = chk_name,
    .ref = chk_ref,
    .free = chk_free,
    .xml = chk_xml,
    .parent = chk_parent,
    .list = chk_list,
    .start = chk_start,
};

static bool cmd_checkpoint_list(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    return vmsh_moment_list(ctl, cmd, &checkpoints);
}

const vmsh_cmd_def vmsh_cmd_checkpoint_list = {
    .name = "checkpoint-list",
    .group = "checkpoint",
    .summary = "list a domain's checkpoints",
    .description = "Lists the checkpoints of a domain by name (or parents first with "
                   "--topological) as a table, as names only, or as a tree; the options "
                   "select which.",
    .opts = opts,
    .handler = cmd_checkpoint_list,
};
