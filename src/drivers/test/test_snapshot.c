/* The test driver's snapshots: create, redefine, revert and delete (metadata only:
 * nothing touches disks, external file names are only recorded). */
#include "drivers/test/test_driver.h"
#include "drivers/common/moment_list.h"

#include <string.h>
#include "conf/moment_name.h"
#include "util/error.h"
#include "util/xml.h"

#define FROM VIR_FROM_TEST

/* Create flags this driver honours; QUIESCE, ATOMIC and LIVE change nothing for a
 * mock host, REUSE_EXT only matters where files are made. */
#define CREATE_FLAGS \
    (VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT | \
     VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA | VIR_DOMAIN_SNAPSHOT_CREATE_HALT | \
     VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY | VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT | \
     VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE | VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC | \
     VIR_DOMAIN_SNAPSHOT_CREATE_LIVE | VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE)

moment *test_snapshot_find(const test_dom *d, const char *name)
{
    moment *m = moment_tree_find(d->snapshots, name);

    if (!m)
        error_report(FROM, VIR_ERR_NO_DOMAIN_SNAPSHOT, "no domain snapshot with matching name '%s'",
                     name);
    return m;
}

moment *test_snapshot_lock(virDomainSnapshotPtr snapshot, test_host **ret_host, test_dom **ret_dom)
{
    test_host *h;
    test_dom *d = test_dom_lock(snapshot->domain, &h);
    moment *m;

    if (!d)
        return NULL;
    m = test_snapshot_find(d, snapshot->name);
    if (!m) {
        g_mutex_unlock(&h->lock);
        return NULL;
    }
    *ret_host = h;
    *ret_dom = d;
    return m;
}

/* The location a new snapshot's memory gets: external when asked, otherwise what
 * the domain's state allows (libvirt's test driver ignores other requests too). */
static int default_memory(const test_dom *d, const snapshot_def *def, unsigned int flags)
{
    if (def->memory == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL)
        return def->memory;
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY) || !test_dom_is_active(d))
        return DOMAIN_SNAPSHOT_LOCATION_NO;
    return DOMAIN_SNAPSHOT_LOCATION_INTERNAL;
}

/* Fill in what a new snapshot records about the domain now. */
static int prepare_create(test_dom *d, snapshot_def *def, unsigned int flags)
{
    bool disk_only = flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY;
    int location;

    snapshot_def_set_create_defaults(def, g_get_real_time() / G_USEC_PER_SEC);
    if (!moment_name_check(def->name, VIR_FROM_DOMAIN_SNAPSHOT))
        return -1;
    if (disk_only && def->memory != DOMAIN_SNAPSHOT_LOCATION_DEFAULT &&
        def->memory != DOMAIN_SNAPSHOT_LOCATION_NO) {
        error_report(FROM, VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                     "disk-only snapshot of a domain cannot save its memory");
        return -1;
    }
    def->memory = default_memory(d, def, flags);
    g_clear_pointer(&def->cookie, g_free);    /* a mock host has no hypervisor state */
    def->dom = domain_def_ref(d->def);
    location = disk_only || def->memory == DOMAIN_SNAPSHOT_LOCATION_EXTERNAL
                   ? DOMAIN_SNAPSHOT_LOCATION_EXTERNAL
                   : DOMAIN_SNAPSHOT_LOCATION_INTERNAL;
    /* refused before the disks are aligned (so even for a disk the domain lacks), as
     * libvirt's test driver does */
    for (size_t i = 0; i < def->ndisks; i++) {
        if (def->disks[i].snapshot == DOMAIN_SNAPSHOT_LOCATION_MANUAL) {
            error_report(FROM, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
                         "'manual' snapshot mode is not supported by the test driver");
            return -1;
        }
    }
    if (snapshot_def_align_disks(def, NULL, location, true, false) < 0)
        return -1;
    if (disk_only)
        def->state = SNAPSHOT_STATE_DISK_SNAPSHOT;
    else
        def->state = d->state;
    return 0;
}

/* Validate a redefinition and align its disks; *ret_existing is the snapshot it
 * replaces, if any. */
static int prepare_redefine(test_dom *d, snapshot_def *def, unsigned int flags, moment **ret_parent,
                            moment **ret_existing)
{
    moment *existing = moment_tree_find(d->snapshots, def->name);
    moment *parent = NULL;
    const snapshot_def *old = existing ? existing->def : NULL;

    if (!moment_name_check(def->name, VIR_FROM_DOMAIN_SNAPSHOT))
        return -1;
    if (def->parent_name) {
        if (strcmp(def->parent_name, def->name) == 0) {
            error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                         "cannot set moment %s as its own parent", def->name);
            return -1;
        }
        parent = moment_tree_find(d->snapshots, def->parent_name);
        if (!parent) {
            error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, "parent %s for moment %s not found",
                         def->parent_name, def->name);
            return -1;
        }
        if (existing && !moment_tree_check_parent(existing, parent))
            return -1;
    }
    if (snapshot_def_redefine_validate(def, d->def->uuid, old, flags) < 0)
        return -1;
    g_clear_pointer(&def->cookie, g_free); /* no hypervisor state: libvirt's drops it too */
    if (!def->dom && !(old && old->dom)) {
        error_report(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_INTERNAL_ERROR, "%s",
                     "missing domain in snapshot");
        return -1;
    }
    if (snapshot_def_align_disks(def, def->dom ? NULL : old->dom,
                                 snapshot_def_redefine_location(def), true, false) < 0)
        return -1;
    if (!def->dom)
        def->dom = domain_def_ref(old->dom);
    *ret_parent = parent;
    *ret_existing = existing;
    return 0;
}

/* The HALT part of a create: an active domain is shut off "from snapshot". */
static void halt(test_host *h, test_dom *d)
{
    if (!test_dom_is_active(d))
        return;
    test_dom_event(h, d, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
    test_dom_stop(h, d, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
}

static virDomainSnapshotPtr test_snapshot_create_xml(virDomainPtr domain, const char *xml,
                                                     unsigned int flags)
{
    bool redefine = flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
    unsigned int parse_flags = 0;
    g_autoptr(snapshot_def) def = NULL;
    moment *parent = NULL, *existing = NULL, *m;
    virDomainSnapshotPtr ret = NULL;
    test_host *h;
    test_dom *d;

    if (!error_check_flags(flags, CREATE_FLAGS, FROM, "testDomainSnapshotCreateXML"))
        return NULL;
    if (!(d = test_dom_lock(domain, &h)))
        return NULL;
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT) && !d->persistent) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s",
                     "cannot halt after transient domain snapshot");
        goto out;
    }
    if (redefine)
        parse_flags |= SNAPSHOT_PARSE_REDEFINE;
    if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE)
        parse_flags |= SNAPSHOT_PARSE_VALIDATE;
    def = snapshot_def_parse_string(xml, &test_xml_options, parse_flags, NULL);
    if (!def)
        goto out;
    if (redefine ? prepare_redefine(d, def, flags, &parent, &existing) < 0
                 : prepare_create(d, def, flags) < 0)
        goto out;

    if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA) {
        ret = handle_snapshot_new(domain, def->name);
    } else {
        if (existing) {
            moment_tree_set_def(d->snapshots, existing, g_steal_pointer(&def));
            moment_tree_set_parent(d->snapshots, existing, parent);
            m = existing;
        } else {
            if (!redefine)
                parent = moment_tree_current(d->snapshots);
            if (!(m = moment_tree_add(d->snapshots, def->name, def, parent)))
                goto out;
            def = NULL;
        }
        if (!redefine || (flags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT))
            moment_tree_set_current(d->snapshots, m);
        ret = handle_snapshot_new(domain, m->name);
    }
    if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT)
        halt(h, d);
 out:
    g_mutex_unlock(&h->lock);
    return ret;
}

/* Make d run (or pause) "from snapshot", emitting what libvirt emits. */
static void start_from_snapshot(test_host *h, test_dom *d, bool paused)
{
    test_dom_start(h, d, VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
    test_dom_event(h, d, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
    if (paused) {
        d->state = VIR_DOMAIN_PAUSED;
        d->reason = VIR_DOMAIN_PAUSED_FROM_SNAPSHOT;
        test_dom_event(h, d, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
    }
}

static int test_revert_to_snapshot(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    bool want_run = flags & VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING;
    bool want_pause = flags & VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED;
    const snapshot_def *def;
    test_host *h;
    test_dom *d;
    moment *m;
    bool online;

    if (!error_check_flags(flags, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING |
                                  VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED |
                                  VIR_DOMAIN_SNAPSHOT_REVERT_FORCE |
                                  VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM,
                           FROM, "testDomainRevertToSnapshot"))
        return -1;
    if (!(m = test_snapshot_lock(snapshot, &h, &d)))
        return -1;
    def = m->def;
    online = def->state == SNAPSHOT_STATE_RUNNING || def->state == SNAPSHOT_STATE_PAUSED;
    if (!d->persistent && !online && !want_run && !want_pause) {
        error_report(FROM, VIR_ERR_OPERATION_INVALID, "%s",
                     "transient domain needs to request run or pause to revert to inactive snapshot");
        goto error;
    }
    if (!def->dom && !(flags & VIR_DOMAIN_SNAPSHOT_REVERT_FORCE)) {
        error_report(FROM, VIR_ERR_SNAPSHOT_REVERT_RISKY, "snapshot '%s' lacks domain '%s' rollback info",
                     m->name, d->def->name);
        goto error;
    }
    if (def->dom) {
        domain_def_free(d->def);
        d->def = domain_def_ref(def->dom);
    }

    if (test_dom_is_active(d)) {
        test_dom_event(h, d, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
        d->state = VIR_DOMAIN_SHUTOFF;
        d->reason = VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT;
        d->id = -1;
    }
    if (online || want_run || want_pause)
        start_from_snapshot(h, d, want_pause || (def->state == SNAPSHOT_STATE_PAUSED && !want_run));
    snapshot->domain->id = d->id;
    moment_tree_set_current(d->snapshots, m);
    g_mutex_unlock(&h->lock);
    return 0;

 error:
    g_mutex_unlock(&h->lock);
    return -1;
}

static int test_snapshot_delete(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    test_host *h;
    test_dom *d;
    moment *m;

    if (!error_check_flags(flags, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                                  VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY |
                                  VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY,
                           FROM, "testDomainSnapshotDelete"))
        return -1;
    if (!(m = test_snapshot_lock(snapshot, &h, &d)))
        return -1;
    moment_delete(d->snapshots, m, flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN,
                  flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY);
    g_mutex_unlock(&h->lock);
    return 0;
}

void test_snapshot_fill(vm_driver *drv)
{
    drv->domain_snapshot_create_xml = test_snapshot_create_xml;
    drv->domain_revert_to_snapshot = test_revert_to_snapshot;
    drv->domain_snapshot_delete = test_snapshot_delete;
    test_snapshot_query_fill(drv);
}

static bool is_fixture(xmlNodePtr n)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, test_xml_options.private_ns) == 0 &&
           strcmp((const char *)n->name, "domainsnapshot") == 0;
}

/* Add one fixture as a root; the parents are linked once all are in. */
static int load_fixture(test_dom *d, xmlNodePtr node, moment **current)
{
    bool is_current = false;
    snapshot_def *def = snapshot_def_parse_node(node, &test_xml_options,
                                                SNAPSHOT_PARSE_REDEFINE | SNAPSHOT_PARSE_INTERNAL,
                                                &is_current);
    moment *m;

    if (!def)
        return -1;
    g_clear_pointer(&def->cookie, g_free); /* as for any redefinition */
    if (!moment_name_check(def->name, VIR_FROM_DOMAIN_SNAPSHOT) ||
        !(m = moment_tree_add(d->snapshots, def->name, def, NULL))) {
        snapshot_def_free(def);
        return -1;
    }
    if (is_current) {
        if (*current) {
            error_report(FROM, VIR_ERR_INTERNAL_ERROR, "more than one current snapshot: '%s' and '%s'",
                         (*current)->name, m->name);
            return -1;
        }
        *current = m;
    }
    return 0;
}

static int link_fixture_parents(test_dom *d, xmlNodePtr domain_node)
{
    for (xmlNodePtr c = domain_node->children; c; c = c->next) {
        g_autofree char *name = NULL;
        moment *m, *parent;
        const snapshot_def *def;

        if (!is_fixture(c) || !(name = xml_child_text(c, "name")))
            continue;
        m = moment_tree_find(d->snapshots, name);
        def = m ? m->def : NULL;
        if (!def || !def->parent_name)
            continue;
        parent = moment_tree_find(d->snapshots, def->parent_name);
        if (!parent) {
            error_report(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG, "parent %s for moment %s not found",
                         def->parent_name, m->name);
            return -1;
        }
        if (!moment_tree_check_parent(m, parent))
            return -1;
        moment_tree_set_parent(d->snapshots, m, parent);
    }
    return 0;
}

int test_snapshot_load_fixtures(test_dom *d, xmlNodePtr domain_node)
{
    moment *current = NULL;

    for (xmlNodePtr c = domain_node->children; c; c = c->next)
        if (is_fixture(c) && load_fixture(d, c, &current) < 0)
            return -1;
    if (link_fixture_parents(d, domain_node) < 0)
        return -1;
    moment_tree_set_current(d->snapshots, current);
    return 0;
}
