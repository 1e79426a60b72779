/* snapshot-create-as: a snapshot from options (name, description, memory and disk specs). */
#include "vmsh-util.h"

#include <string.h>

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "name", .type = VMSH_OT_STRING, .help = "the snapshot's name" },
    { .name = "description", .type = VMSH_OT_STRING, .help = "the snapshot's description" },
    { .name = "print-xml", .type = VMSH_OT_BOOL,
      .help = "print the XML that would be used instead of creating anything" },
    VMSH_SNAPSHOT_CREATE_OPTS,
    { .name = "memspec", .type = VMSH_OT_STRING, .flags = VMSH_OF_REQ_OPT,
      .help = "the memory: [file=]PATH[,snapshot=TYPE]" },
    { .name = "diskspec", .type = VMSH_OT_ARGV,
      .help = "a disk: DISK[,snapshot=TYPE][,driver=FORMAT][,stype=file|block][,file=PATH]" },
    { .name = NULL },
};

/* BEFORE, VALUE escaped for XML, AFTER; nothing if VALUE is NULL. */
static void append_escaped(GString *buf, const char *before, const char *value,
                           const char *after)
{
    if (!value)
        return;
    g_autofree char *esc = vmsh_xml_escape(value);
    g_string_append_printf(buf, "%s%s%s", before, esc, after);
}

/* "KEY=VALUE" words: *slot takes the value of the first one with this key. */
static bool take(const char *word, const char *key, const char **slot)
{
    size_t len = strlen(key);

    if (*slot || strncmp(word, key, len) != 0 || word[len] != '=')
        return false;
    *slot = word + len + 1;
    return true;
}

/* "<memory .../>" from --memspec [file=]PATH[,snapshot=TYPE]. */
static bool parse_memspec(vmsh_ctl *ctl, GString *buf, const char *spec)
{
    g_auto(GStrv) words = vmsh_split_commas(spec);
    const char *snapshot = NULL, *file = NULL;

    for (char **w = words; *w; w++) {
        if (take(*w, "snapshot", &snapshot) || take(*w, "file", &file))
            continue;
        if (!file && **w == '/') {
            file = *w;
            continue;
        }
        vmsh_error(ctl, "unable to parse memspec: %s", spec);
        return false;
    }
    g_string_append(buf, "  <memory");
    append_escaped(buf, " snapshot='", snapshot, "'");
    append_escaped(buf, " file='", file, "'");
    g_string_append(buf, "/>\n");
    return true;
}

/* A <disk> element from --diskspec DISK[,snapshot=..][,driver=..][,stype=..][,file=..]. */
static bool parse_diskspec(vmsh_ctl *ctl, GString *buf, const char *spec)
{
    g_auto(GStrv) words = vmsh_split_commas(spec);
    const char *snapshot = NULL, *driver = NULL, *stype = NULL, *file = NULL;

    /* an empty spec has no name at all, and virsh writes what follows regardless */
    for (char **w = words[0] ? words + 1 : words; *w; w++) {
        if (!(take(*w, "snapshot", &snapshot) || take(*w, "driver", &driver) ||
              take(*w, "stype", &stype) || take(*w, "file", &file)))
            goto error;
    }
    g_string_append(buf, "    ");
    append_escaped(buf, "<disk name='", words[0], "'");
    if (snapshot)
        g_string_append_printf(buf, " snapshot='%s'", snapshot);
    if (stype) {
        if (strcmp(stype, "file") != 0 && strcmp(stype, "block") != 0) {
            vmsh_error(ctl, "Unknown storage type: '%s'", stype);
            goto error;
        }
        g_string_append_printf(buf, " type='%s'", stype);
    }
    if (!driver && !file) {
        g_string_append(buf, "/>\n");
        return true;
    }
    g_string_append(buf, ">\n");
    if (driver)
        g_string_append_printf(buf, "      <driver type='%s'/>\n", driver);
    if (stype && strcmp(stype, "block") == 0)
        append_escaped(buf, "      <source dev='", file, "'/>\n");
    else
        append_escaped(buf, "      <source file='", file, "'/>\n");
    g_string_append(buf, "    </disk>\n");
    return true;

 error:
    vmsh_error(ctl, "unable to parse diskspec: %s", spec);
    return false;
}

/* The <domainsnapshot> document the options describe; NULL on error (reported). */
static char *build_xml(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *name = NULL, *desc = NULL, *memspec = NULL;
    g_autoptr(GString) buf = g_string_new("<domainsnapshot>\n");

    if (vmsh_opt_string_req(ctl, cmd, "name", &name) < 0 ||
        vmsh_opt_string_req(ctl, cmd, "description", &desc) < 0)
        return NULL;
    append_escaped(buf, "  <name>", name, "</name>\n");
    append_escaped(buf, "  <description>", desc, "</description>\n");
    if (vmsh_opt_string_req(ctl, cmd, "memspec", &memspec) < 0)
        return NULL;
    if (memspec && !parse_memspec(ctl, buf, memspec))
        return NULL;
    if (vmsh_opt_bool(cmd, "diskspec")) {
        g_string_append(buf, "  <disks>\n");
        for (const vmsh_opt *opt = vmsh_opt_argv(cmd, NULL); opt; opt = vmsh_opt_argv(cmd, opt)) {
            if (!parse_diskspec(ctl, buf, opt->data))
                return NULL;
        }
        g_string_append(buf, "  </disks>\n");
    }
    g_string_append(buf, "</domainsnapshot>\n");
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

static bool cmd_snapshot_create_as(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    unsigned int flags = vmsh_snapshot_create_flags(cmd);

    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    g_autofree char *xml = build_xml(ctl, cmd);
    if (!xml)
        return false;
    if (vmsh_opt_bool(cmd, "print-xml")) {
        vmsh_print(ctl, "%s\n", xml);
        return true;
    }
    return vmsh_snapshot_create(ctl, dom, xml, flags, NULL);
}

const vmsh_cmd_def vmsh_cmd_snapshot_create_as = {
    .name = "snapshot-create-as",
    .group = "snapshot",
    .summary = "create a snapshot from options",
    .description = "Takes a snapshot of the domain described by the options instead of "
                   "an XML file; with --print-xml, only prints that XML.",
    .opts = opts,
    .handler = cmd_snapshot_create_as,
};
