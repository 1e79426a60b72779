/* The test driver's hosts: the built-in default host and hosts described by node
 * files (<node> with <cpu>, <memory> and <domain> elements, as libvirt's). */
#include "drivers/test/test_driver.h"

#include <string.h>
#include "util/error.h"
#include "util/xml.h"

#define FROM VIR_FROM_TEST
#define TEST_NS "http://libvirt.org/schemas/domain/test/1.0"

/* The default host's one domain, as libvirt's test driver defines it. */
static const char default_domain_xml[] =
    "<domain type='test'>"
    "  <name>test</name>"
    "  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>"
    "  <memory>8388608</memory>"
    "  <currentMemory>2097152</currentMemory>"
    "  <vcpu>2</vcpu>"
    "  <os><type>hvm</type></os>"
    "  <devices>"
    "    <disk type='file' device='disk'>"
    "      <source file='/guest/diskimage1'/>"
    "      <target dev='vda' bus='virtio'/>"
    "      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>"
    "    </disk>"
    "    <interface type='network'>"
    "      <mac address='aa:bb:cc:dd:ee:ff'/>"
    "      <source network='default'/>"
    "      <target dev='testnet0'/>"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>"
    "    </interface>"
    "    <memballoon model='virtio'>"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>"
    "    </memballoon>"
    "  </devices>"
    "</domain>";

static const virNodeInfo default_node = {
    .model = "i686",
    .memory = 3 * 1024 * 1024,
    .cpus = 16,
    .mhz = 1400,
    .nodes = 2,
    .sockets = 2,
    .cores = 2,
    .threads = 2,
};

static test_host *host_new(void)
{
    test_host *h = g_new0(test_host, 1);

    h->refs = 1;
    g_mutex_init(&h->lock);
    h->doms = g_ptr_array_new_with_free_func((GDestroyNotify)test_dom_free);
    h->by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    h->by_uuid = g_hash_table_new(uuid_hash, uuid_equal);
    h->next_id = 1;
    h->node = default_node;
    h->events = event_bus_new();
    g_cond_init(&h->jobs_gone);
    return h;
}

void test_host_unref(test_host *h)
{
    if (!h || !g_atomic_int_dec_and_test(&h->refs))
        return;
    /* End the jobs still running and wait for their threads to let go. */
    g_mutex_lock(&h->lock);
    for (guint i = 0; i < h->doms->len; i++)
        test_backup_forget(h, g_ptr_array_index(h->doms, i));
    while (h->njobs > 0)
        g_cond_wait(&h->jobs_gone, &h->lock);
    g_mutex_unlock(&h->lock);
    g_cond_clear(&h->jobs_gone);
    event_bus_free(h->events);
    g_hash_table_unref(h->by_name);
    g_hash_table_unref(h->by_uuid);
    g_ptr_array_unref(h->doms);
    g_mutex_clear(&h->lock);
    g_free(h);
}

static bool is_test_ns(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, TEST_NS) == 0 && strcmp((const char *)n->name, name) == 0;
}

/* <test:disk dev='vda' size='BYTES' fail='yes'/>: what a simulated backup copies. */
static int add_disk_info(test_dom *d, xmlNodePtr node)
{
    g_autofree char *dev = xml_prop(node, "dev");
    g_autofree char *size = xml_prop(node, "size");
    g_autofree char *fail = xml_prop(node, "fail");
    test_disk_info info = { NULL, TEST_DEFAULT_DISK_SIZE, false };

    if (!dev || (size && !parse_ull(size, &info.size)) ||
        (fail && strcmp(fail, "yes") != 0 && strcmp(fail, "no") != 0)) {
        error_report(FROM, VIR_ERR_XML_ERROR, "%s",
                     "invalid <test:disk>: needs dev=, and size= in bytes, fail='yes|no'");
        return -1;
    }
    info.dev = g_steal_pointer(&dev);
    info.fail = fail && strcmp(fail, "yes") == 0;
    d->disk_infos = g_renew(test_disk_info, d->disk_infos, d->ndisk_infos + 1);
    d->disk_infos[d->ndisk_infos++] = info;
    return 0;
}

/* Apply <test:runstate>, <test:transient/>, <test:hasmanagedsave/>, <test:disk> and
 * <test:backuprate>. */
static int apply_test_elements(test_host *h, test_dom *d, xmlNodePtr node)
{
    int runstate = VIR_DOMAIN_RUNNING;

    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (is_test_ns(c, "disk")) {
            if (add_disk_info(d, c) < 0)
                return -1;
        } else if (is_test_ns(c, "backuprate")) {
            g_autofree char *text = xml_text(c);
            if (!parse_ull(text, &d->backup_rate) || d->backup_rate == 0) {
                error_report(FROM, VIR_ERR_XML_ERROR, "Invalid backup rate '%s'", text);
                return -1;
            }
        } else if (is_test_ns(c, "transient")) {
            d->persistent = false;
        } else if (is_test_ns(c, "hasmanagedsave")) {
            d->managed_save = true;
        } else if (is_test_ns(c, "runstate")) {
            g_autofree char *text = xml_text(c);
            if (!parse_int(text, &runstate) || runstate <= VIR_DOMAIN_NOSTATE ||
                runstate > VIR_DOMAIN_PMSUSPENDED) {
                error_report(FROM, VIR_ERR_XML_ERROR, "Invalid runstate '%s'", text);
                return -1;
            }
        }
    }
    if (d->managed_save && runstate != VIR_DOMAIN_SHUTOFF) {
        error_report(FROM, VIR_ERR_XML_ERROR, "%s",
                     "domain with managedsave data can only be in shutoff state");
        return -1;
    }
    if (runstate == VIR_DOMAIN_SHUTOFF) {
        d->state = VIR_DOMAIN_SHUTOFF;
        d->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
        return 0;
    }
    test_dom_start(h, d, 0);
    d->state = runstate;
    return 0;
}

static int add_domain(test_host *h, xmlNodePtr node, const char *base_dir)
{
    g_autofree char *file = xml_prop(node, "file");
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(domain_def) def = NULL;
    test_dom *d;

    if (file) {
        g_autofree char *path = g_path_is_absolute(file) ? g_strdup(file)
                                                         : g_build_filename(base_dir, file, NULL);
        doc = xml_parse_file(path, "domain", VIR_FROM_DOMAIN);
        if (!doc)
            return -1;
        node = xmlDocGetRootElement(doc);
    }
    def = domain_def_parse_node(node, &test_xml_options, 0);
    if (!def)
        return -1;
    if (g_hash_table_contains(h->by_name, def->name)) {
        error_report(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED, "domain '%s' already exists",
                     def->name);
        return -1;
    }
    d = test_dom_new(g_steal_pointer(&def), true);
    test_dom_add(h, d);
    if (test_snapshot_load_fixtures(d, node) < 0)
        return -1;
    return apply_test_elements(h, d, node);
}

static int parse_cpu(test_host *h, xmlNodePtr cpu)
{
    struct { const char *name; unsigned int *field; } fields[] = {
        { "nodes", &h->node.nodes }, { "sockets", &h->node.sockets },
        { "cores", &h->node.cores }, { "threads", &h->node.threads },
        { "active", &h->node.cpus }, { "mhz", &h->node.mhz },
    };
    g_autofree char *model = xml_child_text(cpu, "model");

    for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
        g_autofree char *text = xml_child_text(cpu, fields[i].name);
        if (text && !parse_uint(text, fields[i].field)) {
            error_report(FROM, VIR_ERR_XML_ERROR, "invalid node cpu %s value", fields[i].name);
            return -1;
        }
    }
    if (model)
        g_strlcpy(h->node.model, model, sizeof(h->node.model));
    return 0;
}

static int parse_node(test_host *h, xmlNodePtr root, const char *base_dir)
{
    xmlNodePtr cpu = xml_child(root, "cpu");
    g_autofree char *memory = xml_child_text(root, "memory");

    if (cpu && parse_cpu(h, cpu) < 0)
        return -1;
    if (memory) {
        unsigned long long kib;
        if (!parse_ull(memory, &kib)) {
            error_report(FROM, VIR_ERR_XML_ERROR, "%s", "invalid node memory value");
            return -1;
        }
        h->node.memory = (unsigned long)kib;
    }
    for (xmlNodePtr c = xml_child(root, "domain"); c; c = xml_next_named(c, "domain"))
        if (add_domain(h, c, base_dir) < 0)
            return -1;
    return 0;
}

test_host *test_host_load(const char *path)
{
    test_host *h = host_new();
    g_autoptr(xmlDoc) doc = NULL;
    g_autofree char *dir = NULL;

    if (!path) {
        doc = xml_parse(default_domain_xml, "(test driver)", "domain", VIR_FROM_DOMAIN);
        if (!doc || add_domain(h, xmlDocGetRootElement(doc), "/") < 0)
            goto error;
        return h;
    }
    doc = xml_parse_file(path, "node", FROM);
    if (!doc)
        goto error;
    dir = g_path_get_dirname(path);
    if (parse_node(h, xmlDocGetRootElement(doc), dir) < 0)
        goto error;
    return h;

 error:
    test_host_unref(h);
    return NULL;
}

const domain_xml_options test_xml_options = {
    .default_arch = "i686",
    .ifname_prefix = "testnet",
    .private_ns = TEST_NS,
};
