/* The QEMU driver's snapshot metadata on disk: the moment store of each domain
 * (ROOT/lib/qemu/snapshot/NAME), loaded when the root is opened, and the registry of
 * the files the driver made for snapshots. */
#include "drivers/qemu/qemu_snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/xml.h"

#define FROM VIR_FROM_QEMU

/* ---- the store's kind: snapshots ---- */

static char *snap_format(void *def, const char *parent)
{
    snapshot_def *s = def;
    domain_def *dom = s->dom, *inactive = s->inactive_dom;
    char *xml;

    s->dom = s->inactive_dom = NULL;   /* the store keeps the domains itself */
    xml = snapshot_def_format(s, parent, NULL, SNAPSHOT_FORMAT_SECURE | SNAPSHOT_FORMAT_INTERNAL);
    s->dom = dom;
    s->inactive_dom = inactive;
    return xml;
}

static void *snap_parse(xmlNodePtr node, char **ret_parent)
{
    bool current;
    snapshot_def *def = snapshot_def_parse_node(node, NULL, SNAPSHOT_PARSE_REDEFINE |
                                                SNAPSHOT_PARSE_INTERNAL, &current);

    if (def)
        *ret_parent = g_strdup(def->parent_name);
    return def;
}

static domain_def **snap_slot(void *def, int slot)
{
    snapshot_def *s = def;
    return slot == 0 ? &s->dom : &s->inactive_dom;
}

const moment_store_ops qemu_snapshot_store_ops = {
    snap_format, snap_parse, (void (*)(void *))snapshot_def_free, snap_slot, 2, "domainsnapshot",
};

char *qemu_snapshot_dir(qemu_host *h, const char *name)
{
    g_autofree char *enc = file_name_encode(name);

    return g_build_filename(h->lib_dir, "snapshot", enc, NULL);
}

moment_tree *qemu_snapshot_tree(qemu_dom *d)
{
    g_autofree char *dir = NULL;
    moment_store *store;
    moment_tree *tree;

    if (d->snapshots)
        return d->snapshots;
    dir = qemu_snapshot_dir(d->host, d->def->name);
    if (!(store = moment_store_open(dir, &qemu_snapshot_store_ops)))
        return NULL;
    tree = moment_tree_new((GDestroyNotify)snapshot_def_free);
    if (moment_store_load(store, tree) < 0) {
        moment_tree_free(tree);
        moment_store_free(store);
        return NULL;
    }
    d->snapshots = tree;
    d->snapshot_store = store;
    return tree;
}

moment *qemu_snapshot_find(qemu_dom *d, const char *name)
{
    moment_tree *tree = qemu_snapshot_tree(d);
    moment *m = tree ? moment_tree_find(tree, name) : NULL;

    if (tree && !m)
        error_report(FROM, VIR_ERR_NO_DOMAIN_SNAPSHOT, "no domain snapshot with matching name '%s'",
                     name);
    return m;
}

int qemu_snapshot_save(qemu_dom *d, const moment *m)
{
    qemu_snapshot_step("save-metadata");
    return moment_store_save(d->snapshot_store, m);
}

int qemu_snapshot_save_current(qemu_dom *d)
{
    qemu_snapshot_step("save-current");
    return moment_store_set_current(d->snapshot_store, moment_tree_current(d->snapshots));
}

int qemu_snapshot_remove_files(qemu_dom *d, const char *const *names, size_t n)
{
    qemu_snapshot_step("remove-metadata");
    return moment_store_remove(d->snapshot_store, names, n);
}

/* ---- crash tests ---- */

void qemu_snapshot_step(const char *what)
{
    static gint count;
    const char *after = g_getenv("VIRTMOMENT_SNAPSHOT_CRASH_AFTER");
    const char *log = g_getenv("VIRTMOMENT_SNAPSHOT_STEPS");
    int n = g_atomic_int_add(&count, 1) + 1;

    if (log) {
        int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0) {
            g_autofree char *line = g_strdup_printf("%d %s\n", n, what);
            if (write(fd, line, strlen(line)) < 0) {
                /* best effort */
            }
            close(fd);
        }
    }
    if (after && atoi(after) == n)
        _exit(99);
}

/* ---- the registry ---- */

static const char *const own_names[] = { "image", "memory", "kept" };

static void own_free(gpointer p)
{
    snap_own *o = p;

    g_free(o->disk);
    g_free(o->path);
    g_free(o);
}

snap_registry *snap_registry_load(qemu_host *h, const char *domain_name)
{
    g_autofree char *dir = qemu_snapshot_dir(h, domain_name);
    snap_registry *r = g_new0(snap_registry, 1);
    g_autoptr(xmlDoc) doc = NULL;

    r->file = g_build_filename(dir, "images", NULL);
    r->items = g_ptr_array_new_with_free_func(own_free);
    if (!g_file_test(r->file, G_FILE_TEST_EXISTS))
        return r;
    if (!(doc = xml_parse_file(r->file, "images", FROM))) {
        error_reset();    /* a torn file cannot happen (atomic writes): start afresh */
        return r;
    }
    for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
        for (int k = 0; k < (int)G_N_ELEMENTS(own_names); k++) {
            g_autofree char *path = NULL, *disk = NULL;
            if (!xml_is(n, own_names[k]) || !(path = xml_prop(n, "path")))
                continue;
            disk = xml_prop(n, "disk");
            snap_registry_add(r, k, disk, path);
        }
    }
    return r;
}

void snap_registry_free(snap_registry *r)
{
    if (!r)
        return;
    g_ptr_array_unref(r->items);
    g_free(r->file);
    g_free(r);
}

int snap_registry_save(snap_registry *r)
{
    g_auto_buf b = BUF_INIT;
    g_autofree char *text = NULL, *dir = g_path_get_dirname(r->file);

    buf_add(&b, "<images>\n");
    buf_adjust_indent(&b, 2);
    for (guint i = 0; i < r->items->len; i++) {
        const snap_own *o = g_ptr_array_index(r->items, i);
        buf_addf(&b, "<%s", own_names[o->kind]);
        if (o->disk)
            buf_escapef(&b, " disk='%s'", o->disk);
        buf_escapef(&b, " path='%s'/>\n", o->path);
    }
    buf_adjust_indent(&b, -2);
    buf_add(&b, "</images>\n");
    text = buf_steal(&b);
    qemu_snapshot_step("save-registry");
    if (g_mkdir_with_parents(dir, 0700) < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot create '%s'", dir);
        return -1;
    }
    return file_write_atomic(r->file, text, strlen(text), 0600);
}

static int find(const snap_registry *r, int kind, const char *path)
{
    for (guint i = 0; i < r->items->len; i++) {
        const snap_own *o = g_ptr_array_index(r->items, i);
        if (o->kind == kind && strcmp(o->path, path) == 0)
            return (int)i;
    }
    return -1;
}

bool snap_registry_has(const snap_registry *r, int kind, const char *path)
{
    return path && find(r, kind, path) >= 0;
}

void snap_registry_add(snap_registry *r, int kind, const char *disk, const char *path)
{
    snap_own *o;

    if (find(r, kind, path) >= 0)
        return;
    o = g_new0(snap_own, 1);
    o->kind = kind;
    o->disk = g_strdup(disk);
    o->path = g_strdup(path);
    g_ptr_array_add(r->items, o);
}

bool snap_registry_remove(snap_registry *r, int kind, const char *path)
{
    int i = find(r, kind, path);

    if (i < 0)
        return false;
    g_ptr_array_remove_index(r->items, (guint)i);
    return true;
}
