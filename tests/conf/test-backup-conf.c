/* Backup XML: one case per reported error (strict and internal parsing), status XML, disk alignment. */
#include <stdio.h>
#include <string.h>
#include "conf-test.h"
#include "conf/backup_conf.h"
#include "util/error.h"

#define SCHEMA_ERR "XML document failed to validate against schema: domainbackup.rng: line 1: "
#define INTERNAL BACKUP_PARSE_INTERNAL
#define PULL(disks) "<domainbackup mode='pull'><server name='h'/><disks>" disks "</disks></domainbackup>"
#define PUSH(disks) "<domainbackup><disks>" disks "</disks></domainbackup>"
#define SCRATCH(inner) PULL("<disk name='vda' state='running'><scratch file='/s'>" inner "</scratch></disk>")
#define SECRET "<secret type='passphrase' usage='u'/>"

static void refused(const char *what, const char *xml, unsigned int flags, int code, int domain,
                    const char *message)
{
    g_autoptr(backup_def) def = backup_def_parse_string(xml, flags);

    check(say("%s: refused", what), def == NULL);
    check_error(say("%s: error", what), code, domain, message);
}

static void strict_errors(void)
{
    refused("malformed", "<domainbackup", 0, VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN, NULL);
    refused("wrong root", "<domaincheckpoint/>", 0, VIR_ERR_XML_ERROR, VIR_FROM_XML,
            "XML error: expecting root element of 'domainbackup', not 'domaincheckpoint'");
    refused("server in push mode", "<domainbackup><server name='h'/></domainbackup>", 0,
            VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
            SCHEMA_ERR "element 'domainbackup': element 'server' requires mode='pull'");
    refused("pull without server", "<domainbackup mode='pull'/>", 0, VIR_ERR_XML_INVALID_SCHEMA,
            VIR_FROM_XML, SCHEMA_ERR "element 'domainbackup': missing element 'server'");
    refused("push disk without type", PUSH("<disk name='vda'/>"), 0, VIR_ERR_XML_INVALID_SCHEMA,
            VIR_FROM_XML, SCHEMA_ERR "element 'disk': missing attribute 'type'");
    refused("internal state", PUSH("<disk name='vda' type='file' state='running'/>"), 0,
            VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
            SCHEMA_ERR "element 'disk': unexpected attribute 'state'");
    refused("bad target", PUSH("<disk name='vda' type='file'><target file='rel'/></disk>"), 0,
            VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
            SCHEMA_ERR "element 'target': invalid value 'rel' of attribute 'file'");
    refused("pull driver", PULL("<disk name='vda' type='file'><scratch file='/s'/>"
            "<driver type='raw'/></disk>"), 0, VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
            SCHEMA_ERR "element 'driver': invalid value 'raw' of attribute 'type'");
    refused("port out of range", "<domainbackup mode='pull'><server name='h' port='65536'/>"
            "</domainbackup>", 0, VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE,
            "internal error: port '65536' out of range");
    refused("socket not absolute", "<domainbackup mode='pull'><server transport='unix' "
            "socket='c:\\x'/></domainbackup>", 0, VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
            "XML error: backup socket path 'c:\\x' must be absolute");
    refused("luks driver", PUSH("<disk name='vda' type='file'><driver type='luks'/></disk>"), 0,
            VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "XML error: unknown storage source format 'luks'");
}

/* Without the schema (status XML), libvirt's own parser errors show. */
static void internal_errors(void)
{
    static const struct {
        const char *what, *xml;
        int code, domain;
        const char *message;
    } cases[] = {
        { "unknown mode", "<domainbackup mode='bogus'/>", VIR_ERR_CONFIG_UNSUPPORTED,
          VIR_FROM_DOMAIN, "unsupported configuration: unknown backup mode 'bogus'" },
        { "default mode", "<domainbackup mode='default'/>", VIR_ERR_CONFIG_UNSUPPORTED,
          VIR_FROM_DOMAIN, "unsupported configuration: unknown backup mode 'default'" },
        { "server in push", "<domainbackup><server name='h'/></domainbackup>",
          VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
          "unsupported configuration: use of <server> requires pull mode backup" },
        { "rdma", "<domainbackup mode='pull'><server transport='rdma' name='h'/></domainbackup>",
          VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
          "unsupported configuration: transport rdma is not supported for <server>" },
        { "relative socket", "<domainbackup mode='pull'><server transport='unix' socket='s'/>"
          "</domainbackup>", VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
          "XML error: backup socket path 's' must be absolute" },
        { "unix without socket", "<domainbackup mode='pull'><server transport='unix'/></domainbackup>",
          VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "XML error: missing socket for unix transport" },
        { "tcp with socket", "<domainbackup mode='pull'><server name='h' socket='/s'/></domainbackup>",
          VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
          "XML error: transport 'tcp' does not support socket attribute" },
        { "fd without group", "<domainbackup mode='pull'><server transport='fd'/></domainbackup>",
          VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "XML error: missing 'fdgroup' for 'fd' transport" },
        { "no host name", "<domainbackup mode='pull'><server/></domainbackup>", VIR_ERR_XML_ERROR,
          VIR_FROM_DOMAIN, "XML error: missing name for host" },
        { "unknown transport", "<domainbackup mode='pull'><server transport='x'/></domainbackup>",
          VIR_ERR_XML_ERROR, VIR_FROM_XML,
          "XML error: Invalid value for attribute 'transport' in element 'server': 'x'." },
        { "bad port", "<domainbackup mode='pull'><server name='h' port='p'/></domainbackup>",
          VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE, "internal error: failed to parse port number 'p'" },
        { "bad tls", "<domainbackup mode='pull'><server name='h' tls='default'/></domainbackup>",
          VIR_ERR_XML_ERROR, VIR_FROM_XML,
          "XML error: Invalid value for attribute 'tls' in element 'server': 'default'." },
        { "disk without name", PUSH("<disk/>"), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
          "XML error: missing name from disk backup element" },
        { "bad backup", PUSH("<disk name='vda' backup='absent'/>"), VIR_ERR_XML_ERROR,
          VIR_FROM_XML, "XML error: Invalid value for attribute 'backup' in element 'disk': 'absent'." },
        { "bad backupmode", PUSH("<disk name='vda' backupmode='x' state='running'/>"),
          VIR_ERR_XML_ERROR, VIR_FROM_XML,
          "XML error: Invalid value for attribute 'backupmode' in element 'disk': 'x'." },
        { "no state", PUSH("<disk name='vda'/>"), VIR_ERR_XML_ERROR, VIR_FROM_XML,
          "XML error: Missing required attribute 'state' in element 'disk'" },
        { "bad state", PUSH("<disk name='vda' state='x'/>"), VIR_ERR_XML_ERROR, VIR_FROM_XML,
          "XML error: Invalid value for attribute 'state' in element 'disk': 'x'." },
        { "dir type", PUSH("<disk name='vda' state='running' type='dir'/>"), VIR_ERR_XML_ERROR,
          VIR_FROM_DOMAIN, "XML error: unsupported disk backup type 'dir'" },
        { "unknown type", PUSH("<disk name='vda' state='running' type='x'/>"), VIR_ERR_XML_ERROR,
          VIR_FROM_DOMAIN, "XML error: unknown storage source type 'x'" },
        { "bad index", PUSH("<disk name='vda' state='running' index='-1'/>"), VIR_ERR_XML_ERROR,
          VIR_FROM_DOMAIN, "XML error: invalid storage source index '-1'" },
        { "duplicate seclabel", SCRATCH("<seclabel model='dac' relabel='no'/>"
          "<seclabel model='dac' relabel='no'/>"), VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN,
          "seclabel for model dac is already provided" },
        { "bad relabel", SCRATCH("<seclabel relabel='x'/>"), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
          "XML error: invalid security relabel value x" },
        { "label without relabel", SCRATCH("<seclabel relabel='no'><label>l</label></seclabel>"),
          VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
          "XML error: Cannot specify a label if relabelling is turned off. model=<null>" },
        { "encryption format", SCRATCH("<encryption format='x'/>"), VIR_ERR_XML_ERROR,
          VIR_FROM_DOMAIN, "XML error: unknown volume encryption format type x" },
        { "encryption no format", SCRATCH("<encryption/>"), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
          "XML error: unknown volume encryption format" },
        { "encryption engine", SCRATCH("<encryption format='luks' engine='x'/>"), VIR_ERR_XML_ERROR,
          VIR_FROM_DOMAIN,
          "XML error: Invalid value for attribute 'engine' in element 'encryption': 'x'." },
        { "secret type", SCRATCH("<encryption format='luks'><secret type='x'/></encryption>"),
          VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "XML error: unknown volume encryption secret type x" },
        { "secret without type", SCRATCH("<encryption format='luks'><secret/></encryption>"),
          VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "XML error: unknown volume encryption secret type" },
        { "secret without lookup", SCRATCH("<encryption format='luks'><secret type='passphrase'/>"
          "</encryption>"), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
          "XML error: missing secret uuid or usage attribute" },
        { "secret with both", SCRATCH("<encryption format='luks'><secret type='passphrase' usage='u'"
          " uuid='0a81f5b284037b23c8d621ccc2f80d6f'/></encryption>"), VIR_ERR_XML_ERROR,
          VIR_FROM_DOMAIN, "XML error: either secret uuid or usage expected" },
        { "secret bad uuid", SCRATCH("<encryption format='luks'><secret type='passphrase' uuid='u'/>"
          "</encryption>"), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "XML error: invalid secret uuid 'u'" },
        { "cipher name", SCRATCH("<encryption format='luks'>" SECRET "<cipher/></encryption>"),
          VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "XML error: cipher info missing 'name' attribute" },
        { "cipher size", SCRATCH("<encryption format='luks'>" SECRET "<cipher name='a'/></encryption>"),
          VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "XML error: cipher info missing 'size' attribute" },
        { "cipher bad size", SCRATCH("<encryption format='luks'>" SECRET
          "<cipher name='a' size='x'/></encryption>"), VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
          "XML error: cannot parse cipher size: 'x'" },
        { "ivgen name", SCRATCH("<encryption format='luks'>" SECRET "<ivgen/></encryption>"),
          VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "XML error: missing ivgen info name string" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
        refused(say("internal: %s", cases[i].what), cases[i].xml, INTERNAL, cases[i].code,
                cases[i].domain, cases[i].message);
}

static void status_xml(void)
{
    const char *xml =
        "<domainbackup mode='pull'>\n"
        "  <server transport='unix' tls='no' socket='/run/nbd'/>\n"
        "  <disks>\n"
        "    <disk name='vda' backup='yes' state='cancelling' type='block' backupmode='full' "
        "exportname='e' index='7'>\n"
        "      <driver type='qcow2'/>\n"
        "      <scratch dev='/dev/s'>\n"
        "        <seclabel model='selinux' relabel='yes'>\n"
        "          <label>a &amp; b</label>\n"
        "        </seclabel>\n"
        "        <seclabel labelskip='yes'/>\n"
        "        <encryption format='luks' engine='qemu'>\n"
        "          <secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/>\n"
        "          <cipher name='aes' size='256' mode='xts' hash='sha256'/>\n"
        "          <ivgen name='plain64' hash='sha256'/>\n"
        "        </encryption>\n"
        "      </scratch>\n"
        "    </disk>\n"
        "    <disk name='vdb' backup='no'/>\n"
        "  </disks>\n"
        "  <privateData>\n"
        "    <objects>\n"
        "      <secret type='tlskey' alias='k'/>\n"
        "      <TLSx509 alias='t'/>\n"
        "    </objects>\n"
        "  </privateData>\n"
        "</domainbackup>\n";
    g_autoptr(backup_def) def = backup_def_parse_string(xml, INTERNAL);
    g_autofree char *internal = def ? backup_def_format(def, BACKUP_FORMAT_INTERNAL) : NULL;
    g_autofree char *public = def ? backup_def_format(def, 0) : NULL;

    check_text("status XML round trip", internal, xml);
    check("public XML has no state nor privateData, but the index", public &&
          !strstr(public, "state=") && strstr(public, "index='7'") &&
          !strstr(public, "privateData"));
}

/* One bus, in target order, so that every domain model keeps this order. */
static const fake_disk dom_disks[] = {
    { .dst = "vda", .path = "/img/a.qcow2" },
    { .dst = "vdb", .path = "/img/b.qcow2", .readonly = true },
    { .dst = "vdc", .cdrom = true, .readonly = true },
    { .dst = "vdd", .path = "/img/d.qcow2" },
    { .dst = "vde", .path = "/dev/sda", .type = "block" },
    { .dst = "vdf", .path = "pool/img", .type = "network" },
};

static void align(const char *what, const char *xml, size_t ndisks, const char *expected,
                  const char *message)
{
    g_autoptr(domain_def) dom = fake_domain(dom_disks, ndisks);
    g_autoptr(backup_def) def = backup_def_parse_string(xml, 0);
    g_autofree char *before = def ? backup_def_format(def, 0) : NULL;
    int rc = def && dom ? backup_def_align_disks(def, dom, "S") : -2;

    check(say("align %s: the fake domain parses", what), dom != NULL);
    g_autofree char *after = def ? backup_def_format(def, 0) : NULL;

    if (expected) {
        check(say("align %s", what), rc == 0);
        check_text(say("align %s: result", what), after, expected);
    } else {
        check(say("align %s: refused", what), rc == -1);
        check_error(say("align %s: error", what), VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN,
                    message);
        check_text(say("align %s: unchanged", what), after, before);
    }
}

#define UNSUP "unsupported configuration: "

static void alignment(void)
{
    align("everything writable by default", "<domainbackup/>", 4,
          "<domainbackup mode='push'>\n  <disks>\n"
          "    <disk name='vda' backup='yes' type='file' backupmode='full'>\n"
          "      <target file='/img/a.qcow2.S'/>\n    </disk>\n"
          "    <disk name='vdb' backup='no'/>\n    <disk name='vdc' backup='no'/>\n"
          "    <disk name='vdd' backup='yes' type='file' backupmode='full'>\n"
          "      <target file='/img/d.qcow2.S'/>\n    </disk>\n"
          "  </disks>\n</domainbackup>\n", NULL);
    align("pull: generated scratch, inherited checkpoint",
          "<domainbackup mode='pull'><incremental>c1</incremental><server name='h' port='1'/>"
          "</domainbackup>", 1,
          "<domainbackup mode='pull'>\n  <incremental>c1</incremental>\n"
          "  <server transport='tcp' name='h' port='1'/>\n  <disks>\n"
          "    <disk name='vda' backup='yes' type='file' backupmode='incremental' incremental='c1'>\n"
          "      <scratch file='/img/a.qcow2.S'/>\n    </disk>\n"
          "  </disks>\n</domainbackup>\n", NULL);
    align("requested first, then the others; given targets kept; missing ones generated",
          "<domainbackup><disks><disk name='vde' type='block'><target dev='/dev/t'/></disk>"
          "<disk name='vdd' type='file' incremental='c2'/></disks></domainbackup>", 6,
          "<domainbackup mode='push'>\n  <disks>\n"
          "    <disk name='vde' backup='yes' type='block' backupmode='full'>\n"
          "      <target dev='/dev/t'/>\n    </disk>\n"
          "    <disk name='vdd' backup='yes' type='file' backupmode='incremental' incremental='c2'>\n"
          "      <target file='/img/d.qcow2.S'/>\n    </disk>\n"
          "    <disk name='vda' backup='no'/>\n    <disk name='vdb' backup='no'/>\n"
          "    <disk name='vdc' backup='no'/>\n    <disk name='vdf' backup='no'/>\n"
          "  </disks>\n</domainbackup>\n", NULL);
    align("no disks", "<domainbackup/>", 0, NULL,
          UNSUP "domain must have at least one disk to perform backup");
    align("unknown disk", PUSH("<disk name='vdz' type='file'/>"), 4, NULL,
          UNSUP "no disk named 'vdz'");
    align("twice", PUSH("<disk name='vda' type='file'/><disk name='vda' backup='no'/>"), 4, NULL,
          UNSUP "disk 'vda' specified twice");
    align("incremental mode without checkpoint",
          PUSH("<disk name='vda' type='file' backupmode='incremental'/>"), 4, NULL,
          UNSUP "'incremental' backup mode of disk 'vda' requires setting 'incremental' field "
          "for disk or backup");
    align("no media", PUSH("<disk name='vdc' type='file'><target file='/t'/></disk>"), 4, NULL,
          UNSUP "disk 'vdc' has no media");
    align("block disk without target", PUSH("<disk name='vde' type='block'/>"), 5, NULL,
          UNSUP "refusing to generate file name for disk 'vde'");
    align("network disk without target", PUSH("<disk name='vdf' type='file'/>"), 6, NULL,
          UNSUP "refusing to generate file name for disk 'vdf'");
    align("writable block disk when backing up everything", "<domainbackup/>", 5, NULL,
          UNSUP "refusing to generate file name for disk 'vde'");
}

int main(void)
{
    strict_errors();
    internal_errors();
    status_xml();
    alignment();
    return test_result();
}
