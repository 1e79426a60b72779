/* Live block nodes and their dirty bitmaps, from query-named-block-nodes (QEMU 7.2's
 * query-block has no bitmaps; anonymous bitmaps appear while jobs run). */
#include "drivers/qemu/qemu_block.h"

#include "drivers/qemu/qemu_json.h"

static char *member_strdup(json_object *obj, const char *key)
{
    return g_strdup(qemu_json_get_string(obj, key));
}

static void bitmap_free(gpointer p)
{
    qemu_block_bitmap *b = p;

    g_free(b->name);
    g_free(b);
}

void qemu_block_node_free(qemu_block_node *n)
{
    if (!n)
        return;
    g_free(n->node_name);
    g_free(n->driver);
    g_free(n->filename);
    g_free(n->backing_file);
    if (n->bitmaps)
        g_ptr_array_unref(n->bitmaps);
    g_free(n);
}

static qemu_block_bitmap *bitmap_from_json(json_object *obj)
{
    qemu_block_bitmap *b = g_new0(qemu_block_bitmap, 1);

    b->name = member_strdup(obj, "name");
    b->granularity = qemu_json_get_u64(obj, "granularity");
    b->count = qemu_json_get_u64(obj, "count");
    b->recording = qemu_json_get_bool(obj, "recording");
    b->persistent = qemu_json_get_bool(obj, "persistent");
    b->busy = qemu_json_get_bool(obj, "busy");
    b->inconsistent = qemu_json_get_bool(obj, "inconsistent");
    return b;
}

static qemu_block_node *node_from_json(json_object *obj)
{
    qemu_block_node *n = g_new0(qemu_block_node, 1);
    json_object *bitmaps = qemu_json_get(obj, "dirty-bitmaps");
    json_object *image = qemu_json_get(obj, "image");

    n->node_name = member_strdup(obj, "node-name");
    n->driver = member_strdup(obj, "drv");
    n->filename = member_strdup(obj, "file");
    n->backing_file = member_strdup(obj, "backing_file");
    n->read_only = qemu_json_get_bool(obj, "ro");
    n->virtual_size = qemu_json_get_u64(image, "virtual-size");
    n->bitmaps = g_ptr_array_new_with_free_func(bitmap_free);
    for (size_t i = 0; i < qemu_json_array_len(bitmaps); i++)
        g_ptr_array_add(n->bitmaps, bitmap_from_json(json_object_array_get_idx(bitmaps, i)));
    return n;
}

int qemu_block_query_nodes(qmp_client *mon, GPtrArray **ret_nodes)
{
    g_autoptr(json_object) args = json_object_new_object();
    g_autoptr(json_object) reply = NULL;
    GPtrArray *nodes;

    json_object_object_add(args, "flat", json_object_new_boolean(true));
    if (qmp_call(mon, "query-named-block-nodes", args, QMP_TIMEOUT_DEFAULT, &reply) < 0)
        return -1;
    nodes = g_ptr_array_new_with_free_func((GDestroyNotify)qemu_block_node_free);
    for (size_t i = 0; i < qemu_json_array_len(reply); i++)
        g_ptr_array_add(nodes, node_from_json(json_object_array_get_idx(reply, i)));
    *ret_nodes = nodes;
    return 0;
}

const qemu_block_node *qemu_block_find_node(const GPtrArray *nodes, const char *name)
{
    for (guint i = 0; nodes && i < nodes->len; i++) {
        const qemu_block_node *n = g_ptr_array_index(nodes, i);
        if (g_strcmp0(n->node_name, name) == 0)
            return n;
    }
    return NULL;
}
