/* list: the domains as a table or as bare UUIDs, IDs or names, with virsh's filters. */
#include "vmsh-util.h"

#include <stdlib.h>
#include <string.h>

static const vmsh_opt_def opts[] = {
    { .name = "inactive", .type = VMSH_OT_BOOL, .help = "only the domains that are not running" },
    { .name = "all", .type = VMSH_OT_BOOL, .help = "running and inactive domains" },
    { .name = "transient", .type = VMSH_OT_BOOL, .help = "only transient domains" },
    { .name = "persistent", .type = VMSH_OT_BOOL, .help = "only persistent domains" },
    { .name = "with-snapshot", .type = VMSH_OT_BOOL, .help = "only domains with snapshots" },
    { .name = "without-snapshot", .type = VMSH_OT_BOOL, .help = "only domains without snapshots" },
    { .name = "with-checkpoint", .type = VMSH_OT_BOOL, .help = "only domains with checkpoints" },
    { .name = "without-checkpoint", .type = VMSH_OT_BOOL,
      .help = "only domains without checkpoints" },
    { .name = "state-running", .type = VMSH_OT_BOOL, .help = "only running domains" },
    { .name = "state-paused", .type = VMSH_OT_BOOL, .help = "only paused domains" },
    { .name = "state-shutoff", .type = VMSH_OT_BOOL, .help = "only shut-off domains" },
    { .name = "state-other", .type = VMSH_OT_BOOL, .help = "only domains in any other state" },
    { .name = "autostart", .type = VMSH_OT_BOOL, .help = "only domains started with the host" },
    { .name = "no-autostart", .type = VMSH_OT_BOOL,
      .help = "only domains not started with the host" },
    { .name = "with-managed-save", .type = VMSH_OT_BOOL,
      .help = "only domains with a managed save image" },
    { .name = "without-managed-save", .type = VMSH_OT_BOOL,
      .help = "only domains without a managed save image" },
    { .name = "uuid", .type = VMSH_OT_BOOL, .help = "print UUIDs instead of a table" },
    { .name = "name", .type = VMSH_OT_BOOL, .help = "print names instead of a table" },
    { .name = "id", .type = VMSH_OT_BOOL, .help = "print the IDs of running domains" },
    { .name = "table", .type = VMSH_OT_BOOL, .help = "print a table (the default)" },
    { .name = "managed-save", .type = VMSH_OT_BOOL,
      .help = "show \"saved\" as the state of domains with a managed save image" },
    { .name = "title", .type = VMSH_OT_BOOL, .help = "add a column with each domain's title" },
    { .name = NULL },
};

static const struct { const char *opt; unsigned int flag; } filters[] = {
    { "persistent", VIR_CONNECT_LIST_DOMAINS_PERSISTENT },
    { "transient", VIR_CONNECT_LIST_DOMAINS_TRANSIENT },
    { "with-managed-save", VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE },
    { "without-managed-save", VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE },
    { "autostart", VIR_CONNECT_LIST_DOMAINS_AUTOSTART },
    { "no-autostart", VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART },
    { "with-snapshot", VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT },
    { "without-snapshot", VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT },
    { "with-checkpoint", VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT },
    { "without-checkpoint", VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT },
    { "state-running", VIR_CONNECT_LIST_DOMAINS_RUNNING },
    { "state-paused", VIR_CONNECT_LIST_DOMAINS_PAUSED },
    { "state-shutoff", VIR_CONNECT_LIST_DOMAINS_SHUTOFF },
    { "state-other", VIR_CONNECT_LIST_DOMAINS_OTHER },
};

static unsigned int list_flags(const vmsh_cmd *cmd)
{
    unsigned int flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE;

    if (vmsh_opt_bool(cmd, "inactive") || vmsh_opt_bool(cmd, "state-shutoff"))
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    if (vmsh_opt_bool(cmd, "all"))
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE | VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    for (size_t i = 0; i < G_N_ELEMENTS(filters); i++) {
        if (vmsh_opt_bool(cmd, filters[i].opt))
            flags |= filters[i].flag;
    }
    return flags;
}

/* Whether DOM passes the filters of FLAGS: 1 yes, 0 no, -1 error (reported). */
static int keep_domain(vmsh_ctl *ctl, virDomainPtr dom, unsigned int flags)
{
    int v, state;

#define HAS(f) ((flags & (f)) != 0)
    if (HAS(VIR_CONNECT_LIST_DOMAINS_PERSISTENT | VIR_CONNECT_LIST_DOMAINS_TRANSIENT)) {
        if ((v = virDomainIsPersistent(dom)) < 0)
            return -1;
        if (!((HAS(VIR_CONNECT_LIST_DOMAINS_PERSISTENT) && v) ||
              (HAS(VIR_CONNECT_LIST_DOMAINS_TRANSIENT) && !v)))
            return 0;
    }
    if (HAS(VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED |
            VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER)) {
        if (virDomainGetState(dom, &state, NULL, 0) < 0)
            return -1;
        bool other = state != VIR_DOMAIN_RUNNING && state != VIR_DOMAIN_PAUSED &&
                     state != VIR_DOMAIN_SHUTOFF;
        if (!((HAS(VIR_CONNECT_LIST_DOMAINS_RUNNING) && state == VIR_DOMAIN_RUNNING) ||
              (HAS(VIR_CONNECT_LIST_DOMAINS_PAUSED) && state == VIR_DOMAIN_PAUSED) ||
              (HAS(VIR_CONNECT_LIST_DOMAINS_SHUTOFF) && state == VIR_DOMAIN_SHUTOFF) ||
              (HAS(VIR_CONNECT_LIST_DOMAINS_OTHER) && other)))
            return 0;
    }
    if (HAS(VIR_CONNECT_LIST_DOMAINS_AUTOSTART | VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART)) {
        if (virDomainGetAutostart(dom, &v) < 0) {
            vmsh_error(ctl, "%s", "Failed to get domain autostart state");
            return -1;
        }
        if (!((HAS(VIR_CONNECT_LIST_DOMAINS_AUTOSTART) && v) ||
              (HAS(VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART) && !v)))
            return 0;
    }
    if (HAS(VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE | VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE)) {
        if ((v = virDomainHasManagedSaveImage(dom, 0)) < 0) {
            vmsh_error(ctl, "%s", "Failed to check for managed save image");
            return -1;
        }
        if (!((HAS(VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE) && v) ||
              (HAS(VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE) && !v)))
            return 0;
    }
    if (HAS(VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT | VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT)) {
        if ((v = virDomainSnapshotNum(dom, 0)) < 0) {
            vmsh_error(ctl, "%s", "Failed to get snapshot count");
            return -1;
        }
        if (!((HAS(VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT) && v > 0) ||
              (HAS(VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT) && v == 0)))
            return 0;
    }
    if (HAS(VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT | VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT)) {
        if ((v = virDomainListAllCheckpoints(dom, NULL, 0)) < 0) {
            vmsh_error(ctl, "%s", "Failed to get checkpoint count");
            return -1;
        }
        if (!((HAS(VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT) && v > 0) ||
              (HAS(VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT) && v == 0)))
            return 0;
    }
#undef HAS
    return 1;
}

static void free_domains(GPtrArray *doms)
{
    for (size_t i = 0; i < doms->len; i++) {
        if (g_ptr_array_index(doms, i))
            virDomainFree(g_ptr_array_index(doms, i));
    }
    g_ptr_array_unref(doms);
}

/* The domains FLAGS select, running ones by ID and then the others by name. A
 * server that rejects some filter flags is asked for active/inactive only, and the
 * other filters are applied here. */
static GPtrArray *collect(vmsh_ctl *ctl, unsigned int flags)
{
    virDomainPtr *list = NULL;
    bool filter = false;
    int n = virConnectListAllDomains(ctl->conn, &list, flags);

    if (n < 0 && vmsh_error_code(ctl) == VIR_ERR_INVALID_ARG) {
        vmsh_reset_error(ctl);
        n = virConnectListAllDomains(ctl->conn, &list, flags & (VIR_CONNECT_LIST_DOMAINS_ACTIVE |
                                                                VIR_CONNECT_LIST_DOMAINS_INACTIVE));
        filter = true;
    }
    if (n < 0) {
        vmsh_error(ctl, "%s", "Failed to list domains");
        return NULL;
    }
    GPtrArray *doms = g_ptr_array_new();
    for (int i = 0; i < n; i++)
        g_ptr_array_add(doms, list[i]);
    free(list);
    for (size_t i = 0; filter && i < doms->len; i++) {
        int keep = keep_domain(ctl, g_ptr_array_index(doms, i), flags);
        if (keep < 0) {
            free_domains(doms);
            return NULL;
        }
        if (!keep) {
            virDomainFree(g_ptr_array_index(doms, i));
            g_ptr_array_remove_index(doms, i--);
        }
    }
    if (doms->len > 1)
        qsort(doms->pdata, doms->len, sizeof(gpointer), vmsh_domain_sort);
    return doms;
}

/* The domain's title from its XML ("" if it has none); NULL on error. */
static char *domain_title(vmsh_ctl *ctl, virDomainPtr dom)
{
    g_autofree char *xml = virDomainGetXMLDesc(dom, 0);
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;
    char *title;

    if (!xml || !(doc = vmsh_xml_parse(ctl, xml, "(domain_definition)", &ctxt)))
        return NULL;
    title = vmsh_xpath_string(ctxt, "string(./title[1])");
    return title ? title : g_strdup("");
}

static bool add_table_row(vmsh_ctl *ctl, vmsh_table *table, virDomainPtr dom, const char *id,
                          bool managed, bool title)
{
    int state = vmsh_domain_state(ctl, dom, NULL);
    const char *state_name;

    if (state < 0)
        return true; /* the domain went away meanwhile */
    if (managed && state == VIR_DOMAIN_SHUTOFF && virDomainHasManagedSaveImage(dom, 0) > 0)
        state_name = "saved";
    else
        state_name = vmsh_domain_state_name(state);
    if (!title) {
        vmsh_table_add(table, id, virDomainGetName(dom), state_name, NULL);
        return true;
    }
    g_autofree char *text = domain_title(ctl, dom);
    if (!text)
        return false;
    vmsh_table_add(table, id, virDomainGetName(dom), state_name, text, NULL);
    return true;
}

/* "UUID ID NAME" with only the parts asked for; IDs alone skip inactive domains. */
static bool print_plain(vmsh_ctl *ctl, const vmsh_cmd *cmd, virDomainPtr dom, const char *id)
{
    bool uuid = vmsh_opt_bool(cmd, "uuid"), name = vmsh_opt_bool(cmd, "name");
    const char *sep = "";
    char buf[VIR_UUID_STRING_BUFLEN];

    if (uuid) {
        if (virDomainGetUUIDString(dom, buf) < 0) {
            vmsh_error(ctl, "%s", "Failed to get domain's UUID");
            return false;
        }
        vmsh_print(ctl, "%s", buf);
        sep = " ";
    }
    if (vmsh_opt_bool(cmd, "id")) {
        if (strcmp(id, "-") == 0 && !uuid && !name)
            return true;
        vmsh_print(ctl, "%s%s", sep, id);
        sep = " ";
    }
    if (name)
        vmsh_print(ctl, "%s%s", sep, virDomainGetName(dom));
    vmsh_print(ctl, "\n");
    return true;
}

static bool cmd_list(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    bool table = vmsh_opt_bool(cmd, "table"), title = vmsh_opt_bool(cmd, "title");
    bool managed = vmsh_opt_bool(cmd, "managed-save");
    unsigned int flags = list_flags(cmd);
    g_autoptr(vmsh_table) tbl = NULL;
    GPtrArray *doms;
    bool ok = true;

    VMSH_EXCLUSIVE("table", "name");
    VMSH_EXCLUSIVE("table", "uuid");
    VMSH_EXCLUSIVE("table", "id");
    if (!vmsh_opt_bool(cmd, "uuid") && !vmsh_opt_bool(cmd, "name") && !vmsh_opt_bool(cmd, "id"))
        table = true;
    if (!(doms = collect(ctl, flags)))
        return false;
    if (table)
        tbl = title ? vmsh_table_new("Id", "Name", "State", "Title", NULL)
                    : vmsh_table_new("Id", "Name", "State", NULL);
    for (size_t i = 0; ok && i < doms->len; i++) {
        virDomainPtr dom = g_ptr_array_index(doms, i);
        unsigned int id = virDomainGetID(dom);
        g_autofree char *idstr = id == (unsigned int)-1 ? g_strdup("-")
                                                         : g_strdup_printf("%d", (int)id);
        ok = table ? add_table_row(ctl, tbl, dom, idstr, managed, title)
                   : print_plain(ctl, cmd, dom, idstr);
    }
    if (ok && table)
        vmsh_table_print(tbl, ctl);
    free_domains(doms);
    return ok;
}

const vmsh_cmd_def vmsh_cmd_list = {
    .name = "list",
    .group = "monitor",
    .summary = "list the domains",
    .description = "Lists the running domains, or those the options select, as a table "
                   "or as bare names, UUIDs or IDs.",
    .opts = opts,
    .handler = cmd_list,
};
