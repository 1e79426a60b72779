/* Checkpoint XML: one case per reported error, parse modes, defaults, format flags, disk alignment. */
#include <stdio.h>
#include <string.h>
#include "conf-test.h"
#include "conf/checkpoint_conf.h"
#include "util/error.h"

#define SCHEMA_ERR "XML document failed to validate against schema: domaincheckpoint.rng: "

static void refused(const char *what, const char *xml, unsigned int flags, int code, int domain,
                    const char *message)
{
    g_autoptr(checkpoint_def) def = checkpoint_def_parse_string(xml, NULL, flags, NULL);

    check(say("%s: refused", what), def == NULL);
    check_error(say("%s: error", what), code, domain, message);
}

static void parse_errors(void)
{
    g_autofree char *long_name = g_strnfill(256, 'n');
    g_autofree char *long_xml = g_strdup_printf("<domaincheckpoint><name>%s</name></domaincheckpoint>",
                                                long_name);

    refused("malformed", "<domaincheckpoint>", 0, VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN_CHECKPOINT,
            NULL);
    refused("wrong root", "<domainsnapshot/>", 0, VIR_ERR_XML_ERROR, VIR_FROM_XML,
            "XML error: expecting root element of 'domaincheckpoint', not 'domainsnapshot'");
    refused("disk without name", "<domaincheckpoint>\n<disks>\n<disk/></disks></domaincheckpoint>",
            0, VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
            SCHEMA_ERR "line 3: element 'disk': missing attribute 'name'");
    refused("bad name", "<domaincheckpoint><name>../escape</name></domaincheckpoint>", 0,
            VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
            SCHEMA_ERR "line 1: element 'name': invalid value '../escape'");
    refused("legacy active", "<domaincheckpoint><active>1</active></domaincheckpoint>", 0,
            VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
            SCHEMA_ERR "line 1: element 'domaincheckpoint': unexpected element 'active'");
    refused("unknown attribute", "<domaincheckpoint><disks><disk name='vda' x='1'/></disks>"
            "</domaincheckpoint>", 0, VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
            SCHEMA_ERR "line 1: element 'disk': unexpected attribute 'x'");
    refused("bad value", "<domaincheckpoint><disks><disk name='vda' checkpoint='yes'/></disks>"
            "</domaincheckpoint>", 0, VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
            SCHEMA_ERR "line 1: element 'disk': invalid value 'yes' of attribute 'checkpoint'");
    refused("twice", "<domaincheckpoint><name>a</name><name>a</name></domaincheckpoint>", 0,
            VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
            SCHEMA_ERR "line 1: element 'domaincheckpoint': element 'name' may appear only 1 time");
    refused("empty disks", "<domaincheckpoint><disks/></domaincheckpoint>", 0,
            VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
            SCHEMA_ERR "line 1: element 'disks': missing element 'disk'");
    refused("text", "<domaincheckpoint>hello</domaincheckpoint>", 0,
            VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML,
            SCHEMA_ERR "line 1: element 'domaincheckpoint': unexpected text 'hello'");
    refused("redefine without name", "<domaincheckpoint><creationTime>1</creationTime>"
            "</domaincheckpoint>", CHECKPOINT_PARSE_REDEFINE, VIR_ERR_XML_ERROR,
            VIR_FROM_DOMAIN_CHECKPOINT, "XML error: a redefined checkpoint must have a name");
    refused("redefine without creationTime", "<domaincheckpoint><name>a</name></domaincheckpoint>",
            CHECKPOINT_PARSE_REDEFINE, VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN_CHECKPOINT,
            "internal error: missing creationTime from existing checkpoint");
    refused("redefine with a creationTime over long long",
            "<domaincheckpoint><name>a</name><creationTime>9223372036854775808</creationTime>"
            "</domaincheckpoint>", CHECKPOINT_PARSE_REDEFINE, VIR_ERR_INTERNAL_ERROR,
            VIR_FROM_DOMAIN_CHECKPOINT, "internal error: missing creationTime from existing checkpoint");
    refused("name too long for a file", long_xml, 0, VIR_ERR_INVALID_ARG,
            VIR_FROM_DOMAIN_CHECKPOINT,
            "invalid argument: checkpoint name is 256 bytes long, longer than the 255 allowed");
}

static void parse_modes(void)
{
    const char *xml = "<domaincheckpoint><name>c1</name><description>d &amp; e</description>"
                      "<parent><name>c0</name></parent><creationTime>1234</creationTime>"
                      "<disks><disk name='vda' bitmap='b'/><disk name='/img/b' checkpoint='no'/>"
                      "</disks><active>1</active></domaincheckpoint>";
    g_autoptr(checkpoint_def) create = NULL;
    g_autoptr(checkpoint_def) redef = NULL;
    bool current = false;
    g_autofree char *text = NULL;

    create = checkpoint_def_parse_string("<domaincheckpoint><parent><name>c0</name></parent>"
                                         "<creationTime>1234</creationTime></domaincheckpoint>",
                                         NULL, 0, &current);
    check("create: parent and creationTime ignored",
          create && !create->parent_name && create->creation_time == 0 && !create->name);
    redef = checkpoint_def_parse_string(xml, NULL, CHECKPOINT_PARSE_REDEFINE |
                                        CHECKPOINT_PARSE_INTERNAL, &current);
    check("redefine: everything kept", redef && strcmp(redef->name, "c1") == 0 &&
          strcmp(redef->parent_name, "c0") == 0 && redef->creation_time == 1234 &&
          strcmp(redef->description, "d & e") == 0 && redef->ndisks == 2 &&
          redef->disks[0].type == CHECKPOINT_TYPE_BITMAP &&
          strcmp(redef->disks[0].bitmap, "b") == 0 &&
          redef->disks[1].type == CHECKPOINT_TYPE_NO && !redef->disks[1].bitmap);
    check("internal: <active>1</active> means current", current);
    text = checkpoint_def_format(redef, "c0", CHECKPOINT_FORMAT_INTERNAL);
    check_text("internal format: <active> follows", text,
               "<domaincheckpoint>\n  <name>c1</name>\n  <description>d &amp; e</description>\n"
               "  <parent>\n    <name>c0</name>\n  </parent>\n"
               "  <creationTime>1234</creationTime>\n  <disks>\n"
               "    <disk name='vda' checkpoint='bitmap' bitmap='b'/>\n"
               "    <disk name='/img/b' checkpoint='no'/>\n  </disks>\n"
               "  <active>0</active>\n</domaincheckpoint>\n");
}

static void defaults_and_format(void)
{
    g_autoptr(checkpoint_def) def = checkpoint_def_parse_string(
        "<domaincheckpoint><disks><disk name='vda'/><disk name='vdb' bitmap='x'/></disks>"
        "</domaincheckpoint>", NULL, 0, NULL);
    g_autoptr(checkpoint_def) named = checkpoint_def_parse_string(
        "<domaincheckpoint><name>n</name></domaincheckpoint>", NULL, 0, NULL);
    g_autofree char *text = NULL;

    checkpoint_def_set_defaults(def, 1700000000);
    checkpoint_def_set_defaults(named, 1700000001);
    check("default name is the creation time", strcmp(def->name, "1700000000") == 0 &&
          def->creation_time == 1700000000);
    check("a given name stays", strcmp(named->name, "n") == 0 && named->creation_time == 1700000001);
    checkpoint_def_assign_bitmap_names(def);
    check("bitmap defaults to the checkpoint name, a given one stays",
          strcmp(def->disks[0].bitmap, "1700000000") == 0 && strcmp(def->disks[1].bitmap, "x") == 0);
    def->disks[1].size = 42;
    def->disks[1].size_valid = true;
    def->disks[0].size = 7;
    text = checkpoint_def_format(def, NULL, CHECKPOINT_FORMAT_SIZE);
    check_text("size= only when known", text,
               "<domaincheckpoint>\n  <name>1700000000</name>\n"
               "  <creationTime>1700000000</creationTime>\n  <disks>\n"
               "    <disk name='vda' checkpoint='bitmap' bitmap='1700000000'/>\n"
               "    <disk name='vdb' checkpoint='bitmap' bitmap='x' size='42'/>\n"
               "  </disks>\n</domaincheckpoint>\n");
    g_free(text);
    text = checkpoint_def_format(def, NULL, 0);
    check("no size= without SIZE", text && !strstr(text, "size="));
}

/* One bus, in target order, so that every domain model keeps this order. */
static const fake_disk dom_disks[] = {
    { .dst = "vda", .path = "/dev/vg/a", .type = "block" },
    { .dst = "vdb", .path = "/iso/x.iso", .cdrom = true, .readonly = true },
    { .dst = "vdc", .path = "/img/a.qcow2" },
    { .dst = "vdd", .path = "/img/b.qcow2", .readonly = true },
    { .dst = "vde", .cdrom = true },
    { .dst = "vdf", .path = "/img/d.qcow2" },
};

static char *disks_of(const checkpoint_def *def)
{
    GString *s = g_string_new(NULL);

    for (size_t i = 0; i < def->ndisks; i++)
        g_string_append_printf(s, "%s%s:%s:%s", i ? " " : "", def->disks[i].name,
                               checkpoint_type_to_string(def->disks[i].type),
                               def->disks[i].bitmap ? def->disks[i].bitmap : "-");
    return g_string_free(s, FALSE);
}

static void align(const char *what, const char *disks, const domain_def *dom, const char *expected,
                  int code, const char *message)
{
    g_autofree char *xml = g_strdup_printf("<domaincheckpoint><name>c</name>%s</domaincheckpoint>",
                                           disks);
    g_autoptr(checkpoint_def) def = checkpoint_def_parse_string(xml, NULL, 0, NULL);
    g_autofree char *before = def ? disks_of(def) : NULL;
    g_autofree char *after = NULL;
    int rc = def && dom ? checkpoint_def_align_disks(def, dom) : -2;

    after = def ? disks_of(def) : NULL;
    check(say("align %s: the fake domain parses", what), dom != NULL);
    if (expected) {
        check(say("align %s", what), rc == 0);
        check_text(say("align %s: disks", what), after, expected);
    } else {
        check(say("align %s: refused", what), rc == -1);
        check_error(say("align %s: error", what), code, VIR_FROM_DOMAIN_CHECKPOINT, message);
        check_text(say("align %s: unchanged", what), after, before);
    }
}

static void alignment(void)
{
    g_autoptr(domain_def) dom = fake_domain(dom_disks, G_N_ELEMENTS(dom_disks));
    g_autoptr(domain_def) nodisk = fake_domain(NULL, 0);
    g_autoptr(domain_def) one = fake_domain(dom_disks + 2, 1);

    align("without <disks>: every writable non-empty disk", "", dom,
          "vda:bitmap:c vdb:no:- vdc:bitmap:c vdd:no:- vde:no:- vdf:bitmap:c", 0, NULL);
    align("with <disks>: others get no, domain order, paths become targets",
          "<disks><disk name='vdf' bitmap='b2'/><disk name='/img/a.qcow2'/>"
          "<disk name='vdd' checkpoint='no'/></disks>", dom,
          "vda:no:- vdb:no:- vdc:bitmap:c vdd:no:- vde:no:- vdf:bitmap:b2", 0, NULL);
    align("no disks", "", nodisk, NULL, VIR_ERR_CONFIG_UNSUPPORTED,
          "unsupported configuration: domain must have at least one disk to perform checkpoints");
    align("too many", "<disks><disk name='vdc'/><disk name='vdd'/></disks>", one, NULL,
          VIR_ERR_CONFIG_UNSUPPORTED,
          "unsupported configuration: too many disk checkpoint requests for domain");
    align("unknown disk", "<disks><disk name='vdz'/></disks>", dom, NULL,
          VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: no disk named 'vdz'");
    align("twice", "<disks><disk name='vdc'/><disk name='/img/a.qcow2'/></disks>", dom, NULL,
          VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: disk '/img/a.qcow2' specified twice");
    align("read-only", "<disks><disk name='vdd'/></disks>", dom, NULL, VIR_ERR_CONFIG_UNSUPPORTED,
          "unsupported configuration: disk 'vdd' is empty or readonly");
    align("empty", "<disks><disk name='vde' checkpoint='bitmap'/></disks>", dom, NULL,
          VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: disk 'vde' is empty or readonly");
}

static void redefine(void)
{
    g_autoptr(domain_def) live = fake_domain(dom_disks, G_N_ELEMENTS(dom_disks));
    g_autofree char *dom_xml = live ? domain_def_format(live, -1, DOMAIN_FORMAT_INACTIVE) : NULL;
    g_autofree char *other_xml = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *bare = g_strdup("<domaincheckpoint><name>r</name><creationTime>5"
                                     "</creationTime><disks><disk name='vdc'/></disks>"
                                     "</domaincheckpoint>");
    g_autoptr(checkpoint_def) with_dom = NULL;
    g_autoptr(checkpoint_def) other = NULL;
    g_autoptr(checkpoint_def) without = NULL;
    g_autofree char *disks = NULL;

    if (!live || !dom_xml) {
        check("redefine: fake domain", false);
        return;
    }
    xml = g_strdup_printf("<domaincheckpoint><name>r</name><creationTime>5</creationTime>"
                          "<disks><disk name='/img/a.qcow2'/></disks>%s</domaincheckpoint>",
                          dom_xml);
    with_dom = checkpoint_def_parse_string(xml, NULL, CHECKPOINT_PARSE_REDEFINE, NULL);
    check("redefine with <domain>: parsed", with_dom && with_dom->dom);
    check("redefine with <domain>: prepared", with_dom &&
          checkpoint_def_redefine_prep(with_dom, live) == 0);
    disks = with_dom ? disks_of(with_dom) : NULL;
    check_text("redefine with <domain>: aligned", disks,
               "vda:no:- vdb:no:- vdc:bitmap:r vdd:no:- vde:no:- vdf:no:-");

    other_xml = g_strdup(xml);
    memcpy(strstr(other_xml, "c7a5fdbd"), "00000000", 8);
    other = checkpoint_def_parse_string(other_xml, NULL, CHECKPOINT_PARSE_REDEFINE, NULL);
    check("redefine for another domain: refused",
          other && checkpoint_def_redefine_prep(other, live) == -1);
    check_error("redefine for another domain: error", VIR_ERR_INVALID_ARG,
                VIR_FROM_DOMAIN_CHECKPOINT, "invalid argument: definition for checkpoint r must "
                "use uuid c7a5fdbd-edaf-9455-926a-d65c16db1809");

    without = checkpoint_def_parse_string(bare, NULL, CHECKPOINT_PARSE_REDEFINE, NULL);
    check("redefine without <domain>: listed disks only, bitmap names filled in",
          without && checkpoint_def_redefine_prep(without, live) == 0 && without->ndisks == 1 &&
          strcmp(without->disks[0].bitmap, "r") == 0);
}

int main(void)
{
    parse_errors();
    parse_modes();
    defaults_and_format();
    alignment();
    redefine();
    return test_result();
}
