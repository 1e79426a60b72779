/* Snapshot and checkpoint metadata on disk: one small file per moment, the domain
 * definitions they embed stored once each (by content), and the current moment. */
#include "drivers/qemu/qemu_moment_store.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "drivers/qemu/qemu_moment_pack.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/file.h"
#include "util/xml.h"

#define FROM VIR_FROM_QEMU

/* Fewer moments than this are not worth a pack. */
#define PACK_MIN 32

/* A moment's file as it is on disk. */
typedef struct {
    guint seq;               /* creation order */
    char *text;              /* the file's content; NULL while it was never written */
} stored;

struct moment_store {
    char *dir;
    char *domains_dir;
    const moment_store_ops *ops;
    GHashTable *known;       /* hashes of the domain files present */
    GHashTable *files;       /* moment name -> stored */
    guint next_seq;
    bool packed;             /* the pack on disk is the store as it is */
    bool gone;               /* destroyed */
};

static void stored_free(gpointer p)
{
    stored *st = p;

    g_free(st->text);
    g_free(st);
}

moment_store *moment_store_open(const char *dir, const moment_store_ops *ops)
{
    moment_store *s = g_new0(moment_store, 1);

    s->dir = g_strdup(dir);
    s->domains_dir = g_build_filename(dir, "domains", NULL);
    s->ops = ops;
    s->known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    s->files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, stored_free);
    s->next_seq = 1;
    if (g_mkdir_with_parents(s->domains_dir, 0700) < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot create '%s'", s->domains_dir);
        moment_store_free(s);
        return NULL;
    }
    return s;
}

void moment_store_free(moment_store *s)
{
    if (!s)
        return;
    g_hash_table_unref(s->known);
    g_hash_table_unref(s->files);
    g_free(s->domains_dir);
    g_free(s->dir);
    g_free(s);
}

static char *moment_path(const moment_store *s, const char *name)
{
    g_autofree char *enc = file_name_encode(name);
    g_autofree char *base = g_strconcat(enc, ".xml", NULL);
    return g_build_filename(s->dir, base, NULL);
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int ret;

    if (fd < 0)
        return -1;
    ret = fsync(fd);
    close(fd);
    return ret;
}

/* The domain's file, written the first time its content is seen; returns its hash. */
static char *store_domain(moment_store *s, const domain_def *dom)
{
    g_autofree char *xml = domain_def_format(dom, -1, DOMAIN_FORMAT_SECURE | DOMAIN_FORMAT_INACTIVE);
    char *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, xml, -1);
    g_autofree char *base = NULL, *path = NULL;

    if (g_hash_table_contains(s->known, hash))
        return hash;
    base = g_strconcat(hash, ".xml", NULL);
    path = g_build_filename(s->domains_dir, base, NULL);
    if (file_write_atomic(path, xml, strlen(xml), 0600) < 0) {
        g_free(hash);
        return NULL;
    }
    g_hash_table_add(s->known, g_strdup(hash));
    return hash;
}

/* name's entry, made with the next creation order the first time. */
static stored *stored_of(moment_store *s, const char *name)
{
    stored *st = g_hash_table_lookup(s->files, name);

    if (!st) {
        st = g_new0(stored, 1);
        st->seq = s->next_seq++;
        g_hash_table_insert(s->files, g_strdup(name), st);
    }
    return st;
}

/* Before the first change: the pack stops describing the store. It is removed for
 * good (synced) before anything changes, so no crash can leave it behind. */
static int forget_pack(moment_store *s)
{
    int dirfd, ret;

    if (!s->packed)
        return 0;
    if ((dirfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot open '%s'", s->dir);
        return -1;
    }
    ret = moment_pack_remove(dirfd);
    close(dirfd);
    if (ret == 0)
        s->packed = false;
    return ret;
}

/* Replace m's file; the directory is synced by the caller. */
static int write_moment(moment_store *s, const moment *m)
{
    g_autofree char *inner = NULL, *path = NULL, *text = NULL;
    buf b = BUF_INIT;
    stored *st;

    if (forget_pack(s) < 0)
        return -1;
    st = stored_of(s, m->name);
    buf_addf(&b, "<moment seq='%u'>\n", st->seq);
    for (int i = 0; i < s->ops->nslots; i++) {
        domain_def *dom = *s->ops->domain_slot(m->def, i);
        g_autofree char *hash = NULL;
        if (!dom)
            continue;
        if (!(hash = store_domain(s, dom))) {
            buf_clear(&b);
            return -1;
        }
        buf_addf(&b, "  <domain slot='%d' ref='%s'/>\n", i, hash);
    }
    inner = s->ops->format(m->def, m->parent ? m->parent->name : NULL);
    buf_add(&b, inner);
    buf_add(&b, "</moment>\n");
    text = buf_steal(&b);
    path = moment_path(s, m->name);
    if (file_replace(path, text, strlen(text), 0600) < 0)
        return -1;
    g_free(st->text);
    st->text = g_steal_pointer(&text);
    return 0;
}

static int sync_dir(moment_store *s)
{
    if (fsync_dir(s->dir) < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot sync '%s'", s->dir);
        return -1;
    }
    return 0;
}

/* Point "current" at m (remove it for NULL): a symbolic link whose target is the
 * name, replaced by rename, so that only the directory needs a sync. */
static int link_current(moment_store *s, const moment *m)
{
    g_autofree char *path = g_build_filename(s->dir, "current", NULL);
    g_autofree char *tmp = g_build_filename(s->dir, "current.new", NULL);

    if (forget_pack(s) < 0)
        return -1;
    if (!m) {
        if (unlink(path) < 0 && errno != ENOENT) {
            error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot remove '%s'", path);
            return -1;
        }
        return 0;
    }
    if ((unlink(tmp) < 0 && errno != ENOENT) || symlink(m->name, tmp) < 0 ||
        rename(tmp, path) < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot replace '%s'", path);
        unlink(tmp);
        return -1;
    }
    return 0;
}

int moment_store_save(moment_store *s, const moment *m)
{
    if (write_moment(s, m) < 0)
        return -1;
    return sync_dir(s);
}

int moment_store_save_current(moment_store *s, const moment *m, const moment *current)
{
    if (write_moment(s, m) < 0 || link_current(s, current) < 0)
        return -1;
    return sync_dir(s);
}

int moment_store_remove(moment_store *s, const char *const *names, size_t n)
{
    if (n && forget_pack(s) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        g_autofree char *path = moment_path(s, names[i]);
        if (unlink(path) < 0 && errno != ENOENT) {
            error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot remove '%s'", path);
            return -1;
        }
        g_hash_table_remove(s->files, names[i]);
    }
    return n ? sync_dir(s) : 0;
}

int moment_store_set_current(moment_store *s, const moment *m)
{
    if (link_current(s, m) < 0)
        return -1;
    return sync_dir(s);
}

static gint by_stored_seq(gconstpointer a, gconstpointer b)
{
    const stored *x = *(stored *const *)a, *y = *(stored *const *)b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

int moment_store_pack(moment_store *s)
{
    g_autoptr(GPtrArray) files = g_ptr_array_new();
    g_autofree const char **texts = NULL;
    GHashTableIter it;
    gpointer value;
    struct stat st;
    int dirfd, ret = -1;

    if (s->gone || s->packed || g_hash_table_size(s->files) < PACK_MIN)
        return 0;
    g_hash_table_iter_init(&it, s->files);
    while (g_hash_table_iter_next(&it, NULL, &value))
        if (((stored *)value)->text)
            g_ptr_array_add(files, value);
    g_ptr_array_sort(files, by_stored_seq);
    texts = g_new(const char *, files->len + 1);
    for (guint i = 0; i < files->len; i++)
        texts[i] = ((stored *)files->pdata[i])->text;
    if ((dirfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot open '%s'", s->dir);
        return -1;
    }
    /* the pack's directory first: making it changes the times the pack records */
    if (mkdirat(dirfd, MOMENT_PACK_DIR, 0700) < 0 && errno != EEXIST)
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot create '%s/%s'", s->dir,
                           MOMENT_PACK_DIR);
    else if (fstat(dirfd, &st) < 0)
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot stat '%s'", s->dir);
    else
        ret = moment_pack_write(dirfd, &st, texts, files->len);
    close(dirfd);
    if (ret == 0)
        s->packed = true;
    return ret;
}

static int remove_tree(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *entry;

    while (d && (entry = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, entry, NULL);
        if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
            remove_tree(path);
        else
            g_unlink(path);
    }
    return g_rmdir(dir);
}

int moment_store_destroy(moment_store *s)
{
    if (forget_pack(s) < 0)
        return -1;
    s->gone = true;    /* never packed again, whatever is left */
    if (remove_tree(s->dir) < 0 && errno != ENOENT) {
        error_report_errno(FROM, VIR_ERR_SYSTEM_ERROR, errno, "cannot remove '%s'", s->dir);
        return -1;
    }
    g_hash_table_remove_all(s->known);
    g_hash_table_remove_all(s->files);
    return 0;
}

/* ---- loading ---- */

typedef struct {
    const moment_store_ops *ops;
    guint seq;
    char *name;
    char *parent;
    void *def;
    char *text;      /* the file's content */
} loaded;

static void loaded_clear(loaded *l)
{
    if (l->def)
        l->ops->free(l->def);
    g_free(l->name);
    g_free(l->parent);
    g_free(l->text);
}

/* The domain with this hash, parsed once and shared. */
static domain_def *load_domain(moment_store *s, GHashTable *cache, const char *hash)
{
    domain_def *dom = g_hash_table_lookup(cache, hash);
    g_autofree char *base = NULL, *path = NULL, *xml = NULL;

    if (dom)
        return domain_def_ref(dom);
    base = g_strconcat(hash, ".xml", NULL);
    path = g_build_filename(s->domains_dir, base, NULL);
    if (!g_file_get_contents(path, &xml, NULL, NULL)) {
        error_report(FROM, VIR_ERR_INTERNAL_ERROR, "missing domain definition '%s'", path);
        return NULL;
    }
    if (!(dom = domain_def_parse(xml, NULL, DOMAIN_PARSE_STATUS | DOMAIN_PARSE_RAW)))
        return NULL;
    g_hash_table_insert(cache, g_strdup(hash), dom);
    return domain_def_ref(dom);
}

/* One moment file's content (url names it); false when it does not parse. */
static bool load_text(moment_store *s, GHashTable *cache, xml_reader *reader, const char *text,
                      const char *url, loaded *ret)
{
    g_autoptr(xmlDoc) doc = xml_reader_parse(reader, text, url, "moment", FROM);
    xmlNodePtr top, inner;
    g_autofree char *seq = NULL;
    void *def;

    if (!doc)
        return false;
    top = xmlDocGetRootElement(doc);
    inner = xml_child(top, s->ops->root);
    seq = xml_prop(top, "seq");
    if (!inner || !(def = s->ops->parse(inner, &ret->parent)))
        return false;
    for (xmlNodePtr c = xml_child(top, "domain"); c; c = xml_next_named(c, "domain")) {
        g_autofree char *slot = xml_prop(c, "slot"), *ref = xml_prop(c, "ref");
        int i;
        domain_def *dom;
        if (!slot || !ref || !parse_int(slot, &i) || i < 0 || i >= s->ops->nslots ||
            !(dom = load_domain(s, cache, ref)))
            continue;
        domain_def_free(*s->ops->domain_slot(def, i));
        *s->ops->domain_slot(def, i) = dom;
        g_hash_table_add(s->known, g_strdup(ref));
    }
    ret->def = def;
    ret->name = xml_child_text(inner, "name");
    if (!seq || !parse_uint(seq, &ret->seq))
        ret->seq = 0;
    return ret->name != NULL;
}

/* Every moment of the pack into all; false (all left empty) when the pack is
 * absent, out of date, or any of its moments does not parse: its files are read
 * then, and a file that does not parse is skipped as always. */
static bool load_pack(moment_store *s, GHashTable *cache, xml_reader *reader, int dirfd,
                      GArray *all)
{
    struct stat st;
    g_autoptr(GPtrArray) texts = fstat(dirfd, &st) == 0 ? moment_pack_read(dirfd, &st) : NULL;

    if (!texts)
        return false;
    for (guint i = 0; i < texts->len; i++) {
        loaded l = { .ops = s->ops };
        if (!load_text(s, cache, reader, texts->pdata[i], MOMENT_PACK_FILE, &l)) {
            loaded_clear(&l);
            g_array_set_size(all, 0);
            g_hash_table_remove_all(s->known);
            error_reset();
            return false;
        }
        l.text = g_steal_pointer(&texts->pdata[i]);
        g_array_append_val(all, l);
    }
    return true;
}

/* Every moment file of the directory into all; those that cannot be read or parsed
 * (a crash's temporary files, corrupted files) are skipped. */
static void load_files(moment_store *s, GHashTable *cache, xml_reader *reader, int dirfd,
                       GArray *all)
{
    g_autoptr(GDir) d = g_dir_open(s->dir, 0, NULL);
    const char *entry;

    while (d && (entry = g_dir_read_name(d))) {
        loaded l = { .ops = s->ops };
        if (!g_str_has_suffix(entry, ".xml"))
            continue;     /* "current", "domains", "pack", and temporary files of a crash */
        if ((l.text = file_read_at(dirfd, entry)) && load_text(s, cache, reader, l.text, entry, &l))
            g_array_append_val(all, l);
        else
            loaded_clear(&l);
        error_reset();    /* an unreadable file is skipped */
    }
}

static gint by_seq(gconstpointer a, gconstpointer b)
{
    const loaded *x = a, *y = b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Remove the domain files no moment refers to. */
static void collect_garbage(moment_store *s)
{
    g_autoptr(GDir) d = g_dir_open(s->domains_dir, 0, NULL);
    const char *entry;

    while (d && (entry = g_dir_read_name(d))) {
        g_autofree char *hash = g_str_has_suffix(entry, ".xml") ? g_strndup(entry, strlen(entry) - 4) : NULL;
        if (!hash || !g_hash_table_contains(s->known, hash)) {
            g_autofree char *path = g_build_filename(s->domains_dir, entry, NULL);
            g_unlink(path);
        }
    }
}

/* The moments whose parent link would close a cycle (corrupted files): they are
 * left as roots. One walk up per moment, memoized, so that a chain of N costs O(N)
 * (moment_tree_check_parent per link costs its depth: O(N^2) for a chain). */
enum { LINK_UNKNOWN, LINK_ON_PATH, LINK_OK, LINK_CUT };

static GHashTable *links_to_cut(GArray *all)
{
    g_autoptr(GHashTable) parents = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GHashTable) state = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GPtrArray) path = g_ptr_array_new();
    GHashTable *cut = g_hash_table_new(g_str_hash, g_str_equal);

    for (guint i = 0; i < all->len; i++) {
        loaded *l = &g_array_index(all, loaded, i);
        g_hash_table_insert(state, l->name, GINT_TO_POINTER(LINK_UNKNOWN));
    }
    for (guint i = 0; i < all->len; i++) {
        loaded *l = &g_array_index(all, loaded, i);
        if (l->parent && g_hash_table_contains(state, l->parent))
            g_hash_table_insert(parents, l->name, l->parent);
    }
    for (guint i = 0; i < all->len; i++) {
        const char *cur = g_array_index(all, loaded, i).name;
        g_ptr_array_set_size(path, 0);
        while (cur && GPOINTER_TO_INT(g_hash_table_lookup(state, cur)) == LINK_UNKNOWN) {
            const char *up = g_hash_table_lookup(parents, cur);
            g_hash_table_insert(state, (gpointer)cur, GINT_TO_POINTER(LINK_ON_PATH));
            g_ptr_array_add(path, (gpointer)cur);
            if (up && GPOINTER_TO_INT(g_hash_table_lookup(state, up)) == LINK_ON_PATH) {
                g_hash_table_insert(state, (gpointer)cur, GINT_TO_POINTER(LINK_CUT));
                g_hash_table_add(cut, (gpointer)cur);
                break;
            }
            cur = up;
        }
        for (guint j = 0; j < path->len; j++)
            if (GPOINTER_TO_INT(g_hash_table_lookup(state, path->pdata[j])) == LINK_ON_PATH)
                g_hash_table_insert(state, path->pdata[j], GINT_TO_POINTER(LINK_OK));
    }
    return cut;
}

int moment_store_load(moment_store *s, moment_tree *tree)
{
    g_autoptr(GArray) all = g_array_new(FALSE, TRUE, sizeof(loaded));
    g_autoptr(GHashTable) cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify)domain_def_free);
    g_autofree char *current_path = g_build_filename(s->dir, "current", NULL);
    g_autofree char *current = NULL;
    g_autoptr(xml_reader) reader = xml_reader_new();
    int dirfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    g_array_set_clear_func(all, (GDestroyNotify)loaded_clear);
    if (dirfd >= 0 && reader) {
        s->packed = load_pack(s, cache, reader, dirfd, all);
        if (!s->packed) {
            unlinkat(dirfd, MOMENT_PACK_FILE, 0);   /* out of date: never trusted again */
            load_files(s, cache, reader, dirfd, all);
        }
    }
    if (dirfd >= 0)
        close(dirfd);
    g_array_sort(all, by_seq);
    g_autoptr(GHashTable) cut = links_to_cut(all);
    for (guint i = 0; i < all->len; i++) {
        loaded *l = &g_array_index(all, loaded, i);
        stored *st;
        if (!moment_tree_add(tree, l->name, l->def, NULL))
            return -1;
        l->def = NULL;
        st = g_new0(stored, 1);
        st->seq = l->seq;
        st->text = g_steal_pointer(&l->text);
        g_hash_table_insert(s->files, g_strdup(l->name), st);
        s->next_seq = MAX(s->next_seq, l->seq + 1);
    }
    for (guint i = 0; i < all->len; i++) {
        loaded *l = &g_array_index(all, loaded, i);
        moment *m = moment_tree_find(tree, l->name), *parent = moment_tree_find(tree, l->parent);
        if (parent && !g_hash_table_contains(cut, l->name))
            moment_tree_set_parent(tree, m, parent);
    }
    /* a symbolic link to the name; a plain file holding it in older stores */
    if ((current = g_file_read_link(current_path, NULL)) ||
        g_file_get_contents(current_path, &current, NULL, NULL))
        moment_tree_set_current(tree, moment_tree_find(tree, current));
    collect_garbage(s);
    return 0;
}
