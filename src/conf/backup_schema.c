/* The strict check of <domainbackup>: rejects exactly what libvirt 9.0's domainbackup.rng rejects. */
#include "conf/backup_conf.h"

#include <string.h>
#include "conf/xml_strict.h"
#include "util/xml.h"

#define SCHEMA "domainbackup.rng"

static const char *const no_attrs[] = { NULL };

/* Report and evaluate to false. */
#define fail(node, ...) (strict_error(SCHEMA, (node), __VA_ARGS__), false)

/* Attribute attr, if present, is one of the tokens (NULL-terminated). */
static bool check_tokens(xmlNodePtr node, const char *attr, const char *const *tokens)
{
    g_autofree char *v = strict_prop(node, attr);

    if (!v)
        return true;
    for (size_t i = 0; tokens[i]; i++)
        if (strict_token_is(v, tokens[i]))
            return true;
    strict_error(SCHEMA, node, "invalid value '%s' of attribute '%s'", v, attr);
    return false;
}

static bool check_pattern(xmlNodePtr node, const char *attr, strict_pattern pattern, bool required)
{
    g_autofree char *v = strict_prop(node, attr);

    if (!v)
        return !required || fail(node, "missing attribute '%s'", attr);
    if (!strict_matches(pattern, v)) {
        strict_error(SCHEMA, node, "invalid value '%s' of attribute '%s'", v, attr);
        return false;
    }
    return true;
}

static bool has(xmlNodePtr node, const char *attr)
{
    return xmlHasProp(node, (const xmlChar *)attr) != NULL;
}

/* devSeclabel: [model] and relabel='no' | labelskip='yes' | [relabel='yes'] <label>+ */
static bool check_seclabel(xmlNodePtr node)
{
    static const char *const attrs[] = { "model", "relabel", "labelskip", NULL };
    static const strict_child spec[] = { { "label", 0, STRICT_MANY } };
    g_autofree char *relabel = strict_prop(node, "relabel");
    g_autofree char *skip = strict_prop(node, "labelskip");
    bool labels = xml_child(node, "label") != NULL;

    if (!strict_attrs(SCHEMA, node, attrs) || !strict_children(SCHEMA, node, spec, 1))
        return false;
    for (xmlNodePtr l = xml_child(node, "label"); l; l = xml_next_named(l, "label"))
        if (!strict_attrs(SCHEMA, l, no_attrs) || !strict_text(SCHEMA, l, NULL))
            return false;
    if (skip && !strict_token_is(skip, "yes"))
        return fail(node, "invalid value '%s' of attribute 'labelskip'", skip);
    if (skip)
        return (!relabel && !labels) || fail(node, "%s", "labelskip='yes' stands alone");
    if (relabel && strict_token_is(relabel, "no"))
        return !labels || fail(node, "%s", "no <label> with relabel='no'");
    if (relabel && !strict_token_is(relabel, "yes"))
        return fail(node, "invalid value '%s' of attribute 'relabel'", relabel);
    return labels || fail(node, "%s", "a <label> is required unless relabel='no' or labelskip='yes'");
}

static bool check_secret(xmlNodePtr node)
{
    static const char *const attrs[] = { "type", "uuid", "usage", NULL };
    static const char *const types[] = { "passphrase", NULL };

    if (!strict_attrs(SCHEMA, node, attrs) || !strict_children(SCHEMA, node, NULL, 0))
        return false;
    if (!has(node, "type"))
        return fail(node, "missing attribute '%s'", "type");
    if (!check_tokens(node, "type", types))
        return false;
    if (has(node, "uuid") == has(node, "usage"))
        return fail(node, "%s", "exactly one of 'uuid' and 'usage' is required");
    return check_pattern(node, "uuid", STRICT_PATTERN_UUID, false);
}

static bool check_cipher(xmlNodePtr node)
{
    static const char *const attrs[] = { "name", "size", "mode", "hash", NULL };
    g_autofree char *size = strict_prop(node, "size");

    if (!strict_attrs(SCHEMA, node, attrs) || !strict_children(SCHEMA, node, NULL, 0))
        return false;
    if (!has(node, "name") || !size)
        return fail(node, "missing attribute '%s'", has(node, "name") ? "size" : "name");
    if (!strict_unsigned(size, G_MAXUINT32, NULL))
        return fail(node, "invalid value '%s' of attribute 'size'", size);
    return has(node, "mode") == has(node, "hash") ||
           fail(node, "%s", "attributes 'mode' and 'hash' go together");
}

static bool check_ivgen(xmlNodePtr node)
{
    static const char *const attrs[] = { "name", "hash", NULL };

    if (!strict_attrs(SCHEMA, node, attrs) || !strict_children(SCHEMA, node, NULL, 0))
        return false;
    return has(node, "name") || fail(node, "missing attribute '%s'", "name");
}

/* backupEncryption: format='luks' [engine='qemu'], <secret> interleaved with an
 * optional <cipher> followed (not necessarily at once) by <ivgen>. */
static bool check_encryption(xmlNodePtr node)
{
    static const char *const attrs[] = { "format", "engine", NULL };
    static const char *const formats[] = { "luks", NULL };
    static const char *const engines[] = { "qemu", NULL };
    static const strict_child spec[] = {
        { "secret", 1, 1 }, { "cipher", 0, 1 }, { "ivgen", 0, 1 },
    };
    xmlNodePtr cipher = xml_child(node, "cipher");
    xmlNodePtr ivgen = xml_child(node, "ivgen");

    if (!strict_attrs(SCHEMA, node, attrs) || !strict_children(SCHEMA, node, spec, 3))
        return false;
    if (!has(node, "format"))
        return fail(node, "missing attribute '%s'", "format");
    if (!check_tokens(node, "format", formats) || !check_tokens(node, "engine", engines))
        return false;
    if (!cipher != !ivgen)
        return fail(node, "%s", "<cipher> and <ivgen> go together");
    if (cipher) {
        bool ordered = false;

        for (xmlNodePtr c = cipher; c; c = c->next)
            ordered = ordered || c == ivgen;
        if (!ordered)
            return fail(node, "%s", "<ivgen> must follow <cipher>");
        if (!check_cipher(cipher) || !check_ivgen(ivgen))
            return false;
    }
    return check_secret(xml_child(node, "secret"));
}

/* <target> or <scratch>: the path attribute, seclabels and an optional encryption. */
static bool check_store(xmlNodePtr node, const char *path_attr)
{
    const char *attrs[] = { path_attr, NULL };
    static const strict_child spec[] = { { "seclabel", 0, STRICT_MANY }, { "encryption", 0, 1 } };

    if (!strict_attrs(SCHEMA, node, attrs) || !strict_children(SCHEMA, node, spec, 2) ||
        !check_pattern(node, path_attr, STRICT_PATTERN_ABS_FILE_PATH, true))
        return false;
    for (xmlNodePtr s = xml_child(node, "seclabel"); s; s = xml_next_named(s, "seclabel"))
        if (!check_seclabel(s))
            return false;
    return !xml_child(node, "encryption") || check_encryption(xml_child(node, "encryption"));
}

static bool check_driver(xmlNodePtr node, bool pull)
{
    static const char *const attrs[] = { "type", NULL };
    static const char *const push_formats[] = {
        "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat", "vhd", "ploop",
        "luks", "cow", "qcow", "qcow2", "qed", "vmdk", NULL,
    };
    static const char *const pull_formats[] = { "qcow2", NULL };

    if (!strict_attrs(SCHEMA, node, attrs) || !strict_children(SCHEMA, node, NULL, 0))
        return false;
    if (!has(node, "type"))
        return fail(node, "missing attribute '%s'", "type");
    return check_tokens(node, "type", pull ? pull_formats : push_formats);
}

/* backupDiskMode: backupmode='full' alone, or [backupmode='incremental'] [incremental]. */
static bool check_disk_mode(xmlNodePtr disk)
{
    static const char *const modes[] = { "full", "incremental", NULL };
    g_autofree char *mode = strict_prop(disk, "backupmode");

    if (!check_tokens(disk, "backupmode", modes))
        return false;
    return !(mode && strict_token_is(mode, "full") && has(disk, "incremental")) ||
           fail(disk, "%s", "attribute 'incremental' not allowed with backupmode='full'");
}

static bool check_disk(xmlNodePtr disk, bool pull)
{
    static const char *const push_attrs[] = {
        "name", "backupmode", "incremental", "backup", "type", NULL,
    };
    static const char *const pull_attrs[] = {
        "name", "backupmode", "incremental", "backup", "type", "exportname", "exportbitmap", NULL,
    };
    static const char *const backups[] = { "yes", "no", NULL };
    static const char *const types[] = { "file", "block", NULL };
    static const strict_child spec[] = { { "target", 0, 1 }, { "scratch", 0, 1 }, { "driver", 0, 1 } };
    g_autofree char *backup = strict_prop(disk, "backup");
    g_autofree char *type = strict_prop(disk, "type");
    const char *store_name = pull ? "scratch" : "target";
    xmlNodePtr store = xml_child(disk, store_name);
    xmlNodePtr driver = xml_child(disk, "driver");
    bool block;

    if (!strict_attrs(SCHEMA, disk, pull ? pull_attrs : push_attrs) ||
        !strict_children(SCHEMA, disk, spec, 3) ||
        !check_pattern(disk, "name", STRICT_PATTERN_DISK_TARGET, true) ||
        !check_disk_mode(disk) || !check_tokens(disk, "backup", backups) ||
        !check_tokens(disk, "type", types))
        return false;
    if (xml_child(disk, pull ? "target" : "scratch"))
        return fail(disk, "unexpected element '%s'", pull ? "target" : "scratch");
    if (backup && strict_token_is(backup, "no"))
        return (!type && !store && !driver) ||
               fail(disk, "%s", "a disk with backup='no' takes no type, target or driver");
    if (!type && (!pull || backup))
        return fail(disk, "missing attribute '%s'", "type");
    block = type && strict_token_is(type, "block");
    if (pull && !store && (block || driver))
        return fail(disk, "missing element '%s'", "scratch");
    if (driver && !check_driver(driver, pull))
        return false;
    return !store || check_store(store, block ? "dev" : "file");
}

static bool check_disks(xmlNodePtr disks, bool pull)
{
    static const strict_child spec[] = { { "disk", 1, STRICT_MANY } };

    if (!strict_attrs(SCHEMA, disks, no_attrs) || !strict_children(SCHEMA, disks, spec, 1))
        return false;
    for (xmlNodePtr d = xml_child(disks, "disk"); d; d = xml_next_named(d, "disk"))
        if (!check_disk(d, pull))
            return false;
    return true;
}

/* <server>: [tls] with tcp name [port] | unix socket | (newer upstream) fd fdgroup. */
static bool check_server(xmlNodePtr node)
{
    static const char *const attrs[] = {
        "tls", "transport", "name", "port", "socket", "fdgroup", NULL,
    };
    static const char *const yesno[] = { "yes", "no", NULL };
    static const char *const transports[] = { "tcp", "unix", "fd", NULL };
    g_autofree char *transport = strict_prop(node, "transport");
    g_autofree char *name = strict_prop(node, "name");
    g_autofree char *port = strict_prop(node, "port");

    if (!strict_attrs(SCHEMA, node, attrs) || !strict_children(SCHEMA, node, NULL, 0) ||
        !check_tokens(node, "tls", yesno) || !check_tokens(node, "transport", transports))
        return false;
    if (transport && strict_token_is(transport, "unix"))
        return ((!name && !port && !has(node, "fdgroup")) ||
                fail(node, "%s", "transport 'unix' takes only 'socket' and 'tls'")) &&
               check_pattern(node, "socket", STRICT_PATTERN_ABS_FILE_PATH, true);
    if (transport && strict_token_is(transport, "fd"))
        return ((!name && !port && !has(node, "socket")) ||
                fail(node, "%s", "transport 'fd' takes only 'fdgroup' and 'tls'")) &&
               (has(node, "fdgroup") || fail(node, "missing attribute '%s'", "fdgroup"));
    if (has(node, "socket") || has(node, "fdgroup"))
        return fail(node, "attribute '%s' needs another transport",
                    has(node, "socket") ? "socket" : "fdgroup");
    if (!name)
        return fail(node, "missing attribute '%s'", "name");
    if (!strict_matches(STRICT_PATTERN_DNS_NAME, name) && !strict_matches(STRICT_PATTERN_IPV4, name) &&
        !strict_matches(STRICT_PATTERN_IPV6, name))
        return fail(node, "invalid host name '%s'", name);
    return !port || strict_unsigned(port, G_MAXUINT32, NULL) ||
           fail(node, "invalid value '%s' of attribute 'port'", port);
}

bool backup_schema_check(xmlNodePtr root)
{
    static const char *const attrs[] = { "mode", NULL };
    static const char *const modes[] = { "push", "pull", NULL };
    g_autofree char *mode = NULL;
    bool pull;
    strict_child spec[] = { { "incremental", 0, 1 }, { "disks", 0, 1 }, { "server", 0, 0 } };
    xmlNodePtr n;

    if (!strict_is(root, "domainbackup"))
        return fail(root, "%s", "expecting element 'domainbackup'");
    if (!strict_attrs(SCHEMA, root, attrs) || !check_tokens(root, "mode", modes))
        return false;
    mode = strict_prop(root, "mode");
    pull = mode && strict_token_is(mode, "pull");
    spec[2].min = spec[2].max = pull ? 1 : 0;
    if (!pull && xml_child(root, "server"))
        return fail(root, "%s", "element 'server' requires mode='pull'");
    if (!strict_children(SCHEMA, root, spec, G_N_ELEMENTS(spec)))
        return false;
    if ((n = xml_child(root, "incremental")) &&
        (!strict_attrs(SCHEMA, n, no_attrs) || !strict_text(SCHEMA, n, NULL)))
        return false;
    if ((n = xml_child(root, "server")) && !check_server(n))
        return false;
    return !(n = xml_child(root, "disks")) || check_disks(n, pull);
}
