/* XML the model does not interpret, kept and written back unchanged in libvirt's order. */
#include "conf/xml_extra.h"

#include <string.h>
#include <glib.h>
#include "util/xml.h"

int xml_rank(const char *const *list, const char *name)
{
    int i = 0;

    for (; list && list[i]; i++)
        if (name && strcmp(list[i], name) == 0)
            return i;
    return i;
}

static bool in_list(const char *const *list, const char *name)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(list[i], name) == 0)
            return true;
    return false;
}

static void insert_attr(xml_extra *x, char *name, char *value, int rank)
{
    size_t at = x->nattrs;

    while (at > 0 && x->attrs[at - 1].rank > rank)
        at--;
    x->attrs = g_renew(xml_extra_attr, x->attrs, x->nattrs + 1);
    memmove(&x->attrs[at + 1], &x->attrs[at], (x->nattrs - at) * sizeof(*x->attrs));
    x->attrs[at] = (xml_extra_attr){ name, value, rank };
    x->nattrs++;
}

static void insert_node(xml_extra *x, xmlNodePtr node, int rank)
{
    size_t at = x->nnodes;

    while (at > 0 && x->nodes[at - 1].rank > rank)
        at--;
    x->nodes = g_renew(xml_extra_node, x->nodes, x->nnodes + 1);
    memmove(&x->nodes[at + 1], &x->nodes[at], (x->nnodes - at) * sizeof(*x->nodes));
    x->nodes[at] = (xml_extra_node){ node, rank };
    x->nnodes++;
}

/* Move the namespace declarations libxml2 added to copy (beyond those of its original
 * orig) to held_ns, in the whole subtree. */
static void hold_borrowed_ns(xml_extra *x, xmlNodePtr orig, xmlNodePtr copy)
{
    xmlNsPtr *link = &copy->nsDef;

    for (xmlNsPtr own = orig->nsDef; own && *link; own = own->next)
        link = &(*link)->next;
    while (*link) {
        xmlNsPtr ns = *link;
        *link = ns->next;
        ns->next = x->held_ns;
        x->held_ns = ns;
    }
    for (xmlNodePtr o = orig->children, c = copy->children; o && c; o = o->next, c = c->next)
        if (o->type == XML_ELEMENT_NODE && c->type == XML_ELEMENT_NODE)
            hold_borrowed_ns(x, o, c);
}

/* A deep copy of node; the namespace declarations it borrowed from outside itself
 * (which libxml2 re-declares on the copy) are parked in held_ns. */
static xmlNodePtr copy_node(xml_extra *x, xmlNodePtr node)
{
    xmlNodePtr copy = xmlCopyNode(node, 1);

    hold_borrowed_ns(x, node, copy);
    return copy;
}

static char *qualified_attr_name(xmlAttrPtr a)
{
    if (a->ns && a->ns->prefix)
        return g_strdup_printf("%s:%s", (const char *)a->ns->prefix, (const char *)a->name);
    return g_strdup((const char *)a->name);
}

static void collect_ns_defs(xml_extra *x, xmlNodePtr node, const xml_order *order,
                            const char *skip_ns)
{
    for (xmlNsPtr ns = node->nsDef; ns; ns = ns->next) {
        if (skip_ns && ns->href && strcmp((const char *)ns->href, skip_ns) == 0)
            continue;
        insert_attr(x, ns->prefix ? g_strdup_printf("xmlns:%s", (const char *)ns->prefix)
                                  : g_strdup("xmlns"),
                    g_strdup(ns->href ? (const char *)ns->href : ""),
                    xml_rank(order ? order->attrs : NULL, NULL));
    }
}

void xml_extra_collect(xml_extra *x, xmlNodePtr node, const xml_order *order,
                       const char *const *skip_attrs, const char *const *skip_children,
                       const char *skip_ns)
{
    collect_ns_defs(x, node, order, skip_ns);
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        xmlChar *v;

        if (!a->ns && in_list(skip_attrs, (const char *)a->name))
            continue;
        v = xmlNodeListGetString(node->doc, a->children, 1);
        insert_attr(x, qualified_attr_name(a), g_strdup(v ? (const char *)v : ""),
                    xml_rank(order ? order->attrs : NULL, a->ns ? NULL : (const char *)a->name));
        xmlFree(v);
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (c->ns && skip_ns && c->ns->href && strcmp((const char *)c->ns->href, skip_ns) == 0)
            continue;
        if (!c->ns && in_list(skip_children, (const char *)c->name))
            continue;
        xml_extra_add_node(x, c, order);
    }
}

void xml_extra_add_node(xml_extra *x, xmlNodePtr node, const xml_order *order)
{
    const char *name = node->ns && node->ns->prefix ? NULL : (const char *)node->name;

    insert_node(x, copy_node(x, node), xml_rank(order ? order->children : NULL, name));
}

void xml_extra_set_attr(xml_extra *x, const char *name, const char *value, const xml_order *order)
{
    for (size_t i = 0; i < x->nattrs; i++) {
        if (strcmp(x->attrs[i].name, name) == 0) {
            g_free(x->attrs[i].value);
            x->attrs[i].value = g_strdup(value);
            return;
        }
    }
    insert_attr(x, g_strdup(name), g_strdup(value), xml_rank(order ? order->attrs : NULL, name));
}

const char *xml_extra_get_attr(const xml_extra *x, const char *name)
{
    for (size_t i = 0; i < x->nattrs; i++)
        if (strcmp(x->attrs[i].name, name) == 0)
            return x->attrs[i].value;
    return NULL;
}

bool xml_extra_remove_attr(xml_extra *x, const char *name)
{
    for (size_t i = 0; i < x->nattrs; i++) {
        if (strcmp(x->attrs[i].name, name) == 0) {
            g_free(x->attrs[i].name);
            g_free(x->attrs[i].value);
            memmove(&x->attrs[i], &x->attrs[i + 1], (x->nattrs - i - 1) * sizeof(*x->attrs));
            x->nattrs--;
            return true;
        }
    }
    return false;
}

bool xml_extra_remove_node(xml_extra *x, const char *name)
{
    for (size_t i = 0; i < x->nnodes; i++) {
        if (xml_is(x->nodes[i].node, name) && !x->nodes[i].node->ns) {
            xmlFreeNode(x->nodes[i].node);
            memmove(&x->nodes[i], &x->nodes[i + 1], (x->nnodes - i - 1) * sizeof(*x->nodes));
            x->nnodes--;
            return true;
        }
    }
    return false;
}

xmlNodePtr xml_extra_find_node(const xml_extra *x, const char *name)
{
    for (size_t i = 0; i < x->nnodes; i++)
        if (xml_is(x->nodes[i].node, name) && !x->nodes[i].node->ns)
            return x->nodes[i].node;
    return NULL;
}

bool xml_extra_is_empty(const xml_extra *x)
{
    return x->nattrs == 0 && x->nnodes == 0;
}

void xml_extra_clear(xml_extra *x)
{
    for (size_t i = 0; i < x->nattrs; i++) {
        g_free(x->attrs[i].name);
        g_free(x->attrs[i].value);
    }
    for (size_t i = 0; i < x->nnodes; i++)
        xmlFreeNode(x->nodes[i].node);
    g_free(x->attrs);
    g_free(x->nodes);
    if (x->held_ns)
        xmlFreeNsList(x->held_ns);
    memset(x, 0, sizeof(*x));
}

void xml_extra_copy(xml_extra *to, const xml_extra *from)
{
    xml_extra_clear(to);
    to->attrs = g_new0(xml_extra_attr, from->nattrs);
    for (size_t i = 0; i < from->nattrs; i++) {
        to->attrs[i].name = g_strdup(from->attrs[i].name);
        to->attrs[i].value = g_strdup(from->attrs[i].value);
        to->attrs[i].rank = from->attrs[i].rank;
    }
    to->nattrs = from->nattrs;
    to->nodes = g_new0(xml_extra_node, from->nnodes);
    for (size_t i = 0; i < from->nnodes; i++) {
        to->nodes[i].node = copy_node(to, from->nodes[i].node);
        to->nodes[i].rank = from->nodes[i].rank;
    }
    to->nnodes = from->nnodes;
}

xml_extra_cursor xml_extra_cursor_init(const xml_extra *x, const xml_order *order)
{
    return (xml_extra_cursor){ x, order, 0, 0 };
}

void xml_extra_attrs_before(xml_extra_cursor *c, buf *attrs, const char *name)
{
    int limit = name ? xml_rank(c->order->attrs, name) : G_MAXINT;

    while (c->attr_pos < c->x->nattrs && c->x->attrs[c->attr_pos].rank < limit) {
        const xml_extra_attr *a = &c->x->attrs[c->attr_pos++];
        buf_escapef(attrs, " %s='%s'", a->name, a->value);
    }
}

static void children_upto(xml_extra_cursor *c, buf *b, int limit)
{
    while (c->node_pos < c->x->nnodes && c->x->nodes[c->node_pos].rank < limit)
        xml_format_node(b, c->x->nodes[c->node_pos++].node);
}

void xml_extra_children_before(xml_extra_cursor *c, buf *b, const char *name)
{
    children_upto(c, b, name ? xml_rank(c->order->children, name) : G_MAXINT);
}

void xml_extra_children_through(xml_extra_cursor *c, buf *b, const char *name)
{
    children_upto(c, b, name ? xml_rank(c->order->children, name) + 1 : G_MAXINT);
}
