/* The domain model's helpers drivers use: lookups, copies, secrets, embedding, a
 * <domain> inside another document, and the structs edited directly. */
#include <stdio.h>
#include <string.h>
#include "conf/domain_conf.h"
#include "util/error.h"
#include "util/xml.h"
#include "domain-test-opts.h"

static int failures;
static int tests;

static void report(bool ok, const char *name)
{
    tests++;
    printf("%s %d - %s\n", ok ? "ok" : "not ok", tests, name);
    if (!ok)
        failures++;
}

static const char guest[] =
    "<domain type='test'>"
    "  <name>guest</name>"
    "  <uuid>3e3fce45-4f53-4fa7-bb32-11f34168b82b</uuid>"
    "  <memory>1048576</memory>"
    "  <os><type>hvm</type></os>"
    "  <devices>"
    "    <disk type='file' device='disk'>"
    "      <driver name='qemu' type='qcow2'/>"
    "      <source file='/images/guest.qcow2'/>"
    "      <target dev='vda' bus='virtio'/>"
    "    </disk>"
    "    <disk type='file' device='cdrom'><target dev='hdc'/></disk>"
    "    <disk type='network' device='disk'>"
    "      <source protocol='nbd' name='e'><host name='h'/></source><target dev='vdb'/>"
    "    </disk>"
    "    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
    "    <graphics type='vnc' passwd='hunter2'/>"
    "  </devices>"
    "</domain>";

static void check_lookups(const domain_def *def)
{
    domain_disk_def *vda = domain_disk_find_by_target(def, "vda");
    domain_disk_def *hdc = domain_disk_find_by_target(def, "hdc");

    report(vda && domain_disk_find_by_source(def, "/images/guest.qcow2") == vda,
           "find disk by target and source");
    report(!domain_disk_find_by_target(def, "vdz") && !domain_disk_find_by_source(def, "/nope"),
           "unknown disks are not found");
    report(domain_disk_index(def, "vda") == 0 &&
               domain_disk_index(def, "/images/guest.qcow2") == 0 &&
               domain_disk_index(def, "hdc") == 2 && domain_disk_index(def, "x") == -1,
           "disk index by name");
    report(hdc && domain_disk_is_empty(hdc) && !domain_disk_is_empty(vda), "empty cdrom");
    report(hdc && hdc->readonly && hdc->bus == DOMAIN_DISK_BUS_IDE &&
           hdc->info.addr.type == DOMAIN_ADDR_DRIVE && hdc->info.addr.bus == 1, "cdrom defaults");
    report(vda && vda->src->format == STORAGE_FORMAT_QCOW2 &&
           strcmp(domain_disk_type_name(vda), "file") == 0, "disk format and type");
    report(domain_find_guest_agent(def) == def->channels[0], "guest agent channel");
    report(domain_disk_name_to_index("vdaa") == 26 && domain_disk_name_to_index("hda1") == 0 &&
           domain_disk_name_to_index("sdA") == -1 && domain_disk_name_to_index("xvdb") == 1,
           "disk name indexes");
}

static void check_secure(const domain_def *def)
{
    g_autofree char *plain = domain_def_format(def, -1, DOMAIN_FORMAT_INACTIVE);
    g_autofree char *secure =
        domain_def_format(def, -1, DOMAIN_FORMAT_INACTIVE | DOMAIN_FORMAT_SECURE);
    g_autofree char *live = domain_def_format(def, 4, 0);

    report(!strstr(plain, "hunter2") && strstr(secure, "passwd='hunter2'"),
           "passwd only with SECURE");
    report(g_str_has_prefix(live, "<domain type='test' id='4'>") &&
           g_str_has_prefix(plain, "<domain type='test'>"), "id only when live");
}

/* A copy is deep: changing it leaves the original as it was. */
static void check_copy(const domain_def *def)
{
    g_autoptr(domain_def) copy = domain_def_copy(def);
    g_autofree char *before = domain_def_format(def, -1, DOMAIN_FORMAT_SECURE);
    g_autofree char *after = NULL;
    domain_disk_def *vda = domain_disk_find_by_target(copy, "vda");
    domain_disk_source *top = domain_disk_source_new();

    /* what an external snapshot does: a new top image over the old one */
    top->type = DOMAIN_DISK_TYPE_FILE;
    top->format = STORAGE_FORMAT_QCOW2;
    top->path = g_strdup("/images/guest.snap1");
    top->backing = vda->src;
    vda->src = top;
    vda->snapshot = DOMAIN_SNAPSHOT_LOCATION_EXTERNAL;
    after = domain_def_format(def, -1, DOMAIN_FORMAT_SECURE);
    report(strcmp(before, after) == 0, "copy is independent");
    {
        g_autoptr(domain_disk_source) chain = domain_disk_source_copy(vda->src);
        report(chain && chain != vda->src && chain->backing && chain->backing != vda->src->backing &&
                   strcmp(chain->backing->path, "/images/guest.qcow2") == 0 &&
                   chain->backing->format == STORAGE_FORMAT_QCOW2,
               "a source chain copies deeply");
    }
    {
        g_autofree char *xml = domain_def_format(copy, -1, DOMAIN_FORMAT_INACTIVE);
        report(strstr(xml, "<disk type='file' device='disk' snapshot='external'>\n"
                           "      <driver name='qemu' type='qcow2'/>\n"
                           "      <source file='/images/guest.snap1'/>\n"
                           "      <backingStore type='file'>\n"
                           "        <format type='qcow2'/>\n"
                           "        <source file='/images/guest.qcow2'/>\n"
                           "      </backingStore>\n") != NULL,
               "edited source formats with its backing store");
    }
}

/* A <domain> inside a <domainsnapshot>, with the test driver's namespace. */
static void check_embedded(void)
{
    static const char snapshot[] =
        "<domainsnapshot><name>s1</name>"
        "<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"
        "<name>inner</name><uuid>3e3fce45-4f53-4fa7-bb32-11f34168b82c</uuid>"
        "<memory>1024</memory><os><type>hvm</type></os>"
        "<test:runstate>5</test:runstate></domain></domainsnapshot>";
    g_autoptr(xmlDoc) doc = xml_parse(snapshot, "snap", "domainsnapshot", VIR_FROM_DOMAIN_SNAPSHOT);
    xmlNodePtr dom = xml_child(xmlDocGetRootElement(doc), "domain");
    g_autoptr(domain_def) def = domain_def_parse_node(dom, &conf_test_options, 0);
    buf b = BUF_INIT;
    g_autofree char *xml = NULL;

    report(def && strcmp(def->name, "inner") == 0, "parse a domain inside another document");
    if (!def)
        return;
    buf_add(&b, "<domainsnapshot>\n");
    buf_set_indent(&b, 2);
    domain_def_format_buf(&b, def, -1, DOMAIN_FORMAT_INACTIVE);
    buf_set_indent(&b, 0);
    buf_add(&b, "</domainsnapshot>\n");
    xml = buf_steal(&b);
    report(strstr(xml, "\n  <domain type='test'>\n    <name>inner</name>\n") &&
           strstr(xml, "\n    <devices>\n    </devices>\n  </domain>\n</domainsnapshot>\n"),
           "embedded domain is indented by 2");
    report(!strstr(xml, "test:") && !strstr(xml, "runstate"),
           "the private namespace is left to the caller");
}

/* Namespaces declared above an element kept unmodelled stay declared where they were. */
static void check_namespaces(void)
{
    static const char xml[] =
        "<domain type='test' xmlns:app='urn:app'>"
        "<name>ns</name><uuid>3e3fce45-4f53-4fa7-bb32-11f34168b82d</uuid>"
        "<metadata><app:foo><app:bar/></app:foo></metadata>"
        "<memory>1024</memory><os><type>hvm</type></os>"
        "<devices><disk type='file' device='disk' xmlns:v='urn:v'>"
        "<source file='/a'/><target dev='vda'/><v:hint v:level='2'/></disk></devices>"
        "<app:tail/></domain>";
    g_autoptr(domain_def) def = domain_def_parse(xml, &conf_test_options, 0);
    g_autoptr(domain_def) copy = def ? domain_def_copy(def) : NULL;
    g_autofree char *out = def ? domain_def_format(def, -1, DOMAIN_FORMAT_INACTIVE) : NULL;
    g_autofree char *copied = copy ? domain_def_format(copy, -1, DOMAIN_FORMAT_INACTIVE) : NULL;
    g_autoptr(domain_def) again = out ? domain_def_parse(out, &conf_test_options, 0) : NULL;
    g_autofree char *out2 = again ? domain_def_format(again, -1, DOMAIN_FORMAT_INACTIVE) : NULL;

    report(out && g_str_has_prefix(out, "<domain type='test' xmlns:app='urn:app'>\n") &&
               strstr(out, "<disk type='file' device='disk' xmlns:v='urn:v'>\n") &&
               strstr(out, "      <v:hint v:level='2'/>\n") &&
               strstr(out, "    <app:foo xmlns:app=\"urn:app\">\n") &&
               strstr(out, "  <app:tail/>\n</domain>\n"),
           "namespace declarations stay where they were (libvirt's metadata dump re-declares)");
    report(out2 && strcmp(out, out2) == 0 && copied && strcmp(out, copied) == 0,
           "namespaced XML reads back and copies");
}

static void check_new_def(void)
{
    g_autoptr(domain_def) def = domain_def_new();
    g_autofree char *xml = NULL;

    def->virt_type = DOMAIN_VIRT_KVM;
    def->name = g_strdup("built");
    def->memory_kib = def->current_memory_kib = 2048;
    def->os_type = DOMAIN_OS_HVM;
    def->os_arch = g_strdup("x86_64");
    xml = domain_def_format(def, -1, DOMAIN_FORMAT_INACTIVE);
    report(strstr(xml, "<domain type='kvm'>\n  <name>built</name>\n") &&
               strstr(xml, "<on_reboot>restart</on_reboot>") &&
               strstr(xml, "<vcpu placement='static'>1</vcpu>"),
           "a def built in code formats");
    domain_def_free(NULL);
    domain_disk_def_free(NULL);
    domain_disk_source_free(NULL);
    report(true, "destructors accept NULL");
}

int main(void)
{
    g_autoptr(domain_def) def = domain_def_parse(guest, &conf_test_options, 0);

    report(def != NULL, "parse");
    if (!def) {
        printf("# %s\n", error_last()->message);
        return 1;
    }
    check_lookups(def);
    check_secure(def);
    check_copy(def);
    check_embedded();
    check_namespaces();
    check_new_def();
    printf("1..%d\n", tests);
    return failures ? 1 : 0;
}
