/* The descriptor-driven codec of the remote protocol's structs (rpc_types.h). */
#include "rpc/rpc_types.h"

#include <string.h>

#define TP_FIELD_MAX (VIR_TYPED_PARAM_FIELD_LENGTH - 1)

static size_t elem_size(int kind)
{
    switch (kind) {
    case RPC_INT: return sizeof(int32_t);
    case RPC_STRING: return sizeof(char *);
    case RPC_DOMAIN: return sizeof(rpc_domain);
    case RPC_MOMENT: return sizeof(rpc_moment);
    default: return 0;
    }
}

/* The fewest wire bytes an element takes, to bound counts before allocating. */
static size_t elem_wire_min(int kind)
{
    switch (kind) {
    case RPC_DOMAIN: return 24;
    case RPC_MOMENT: return 28;
    default: return 4;
    }
}

static void put_domain(xdr_enc *e, const rpc_domain *d)
{
    if (!d->name) {
        e->failed = true;
        return;
    }
    xdr_put_string(e, d->name, XDR_STRING_MAX);
    xdr_put_fixed(e, d->uuid, RPC_UUID_LEN);
    xdr_put_i32(e, d->id);
}

static void put_string(xdr_enc *e, const char *s, uint32_t max)
{
    if (!s)
        e->failed = true;
    else
        xdr_put_string(e, s, max ? max : XDR_STRING_MAX);
}

static void put_tparam(xdr_enc *e, const virTypedParameter *p)
{
    xdr_put_string(e, p->field, TP_FIELD_MAX);
    xdr_put_i32(e, p->type);
    switch (p->type) {
    case VIR_TYPED_PARAM_INT: xdr_put_i32(e, p->value.i); break;
    case VIR_TYPED_PARAM_UINT: xdr_put_u32(e, p->value.ui); break;
    case VIR_TYPED_PARAM_LLONG: xdr_put_i64(e, p->value.l); break;
    case VIR_TYPED_PARAM_ULLONG: xdr_put_u64(e, p->value.ul); break;
    case VIR_TYPED_PARAM_DOUBLE: xdr_put_double(e, p->value.d); break;
    case VIR_TYPED_PARAM_BOOLEAN: xdr_put_i32(e, p->value.b); break;
    case VIR_TYPED_PARAM_STRING: put_string(e, p->value.s, 0); break;
    default: e->failed = true;
    }
}

static void put_value(xdr_enc *e, int kind, int elem, uint32_t max, const void *at)
{
    switch (kind) {
    case RPC_INT: xdr_put_i32(e, *(const int32_t *)at); break;
    case RPC_UINT: xdr_put_u32(e, *(const uint32_t *)at); break;
    case RPC_HYPER: xdr_put_i64(e, *(const int64_t *)at); break;
    case RPC_UHYPER: xdr_put_u64(e, *(const uint64_t *)at); break;
    case RPC_STRING: put_string(e, *(char *const *)at, max); break;
    case RPC_OPT_STRING: {
        const char *s = *(char *const *)at;
        xdr_put_u32(e, s != NULL);
        if (s)
            put_string(e, s, max);
        break;
    }
    case RPC_UUID: xdr_put_fixed(e, at, RPC_UUID_LEN); break;
    case RPC_DOMAIN: put_domain(e, at); break;
    case RPC_OPT_DOMAIN: {
        const rpc_domain *d = *(rpc_domain *const *)at;
        xdr_put_u32(e, d != NULL);
        if (d)
            put_domain(e, d);
        break;
    }
    case RPC_MOMENT: {
        const rpc_moment *m = at;
        put_string(e, m->name, 0);
        put_domain(e, &m->dom);
        break;
    }
    case RPC_OPT_NETWORK: {
        const rpc_network *n = *(rpc_network *const *)at;
        xdr_put_u32(e, n != NULL);
        if (n) {
            put_string(e, n->name, 0);
            xdr_put_fixed(e, n->uuid, RPC_UUID_LEN);
        }
        break;
    }
    case RPC_TPARAMS: {
        const rpc_tparams *tp = at;
        if (tp->n > max) {
            e->failed = true;
            break;
        }
        xdr_put_u32(e, tp->n);
        for (uint32_t i = 0; i < tp->n && !e->failed; i++)
            put_tparam(e, &tp->params[i]);
        break;
    }
    case RPC_CHARS_FIXED:
        for (uint32_t i = 0; i < max; i++)
            xdr_put_i32(e, ((const signed char *)at)[i]);
        break;
    case RPC_CHARS: {
        const rpc_chars *c = at;
        if (c->n > max) {
            e->failed = true;
            break;
        }
        xdr_put_u32(e, c->n);
        for (uint32_t i = 0; i < c->n; i++)
            xdr_put_i32(e, (signed char)c->data[i]);
        break;
    }
    case RPC_ARRAY: {
        const rpc_array *a = at;
        size_t size = elem_size(elem);
        if (a->n > max) {
            e->failed = true;
            break;
        }
        xdr_put_u32(e, a->n);
        for (uint32_t i = 0; i < a->n && !e->failed; i++)
            put_value(e, elem, 0, 0, (const char *)a->items + i * size);
        break;
    }
    default:
        e->failed = true;
    }
}

bool rpc_encode(xdr_enc *e, const rpc_struct *t, const void *obj)
{
    for (size_t i = 0; t && i < t->nfields && !e->failed; i++) {
        const rpc_field *f = &t->fields[i];
        put_value(e, f->kind, f->elem, f->max, (const char *)obj + f->offset);
    }
    return !e->failed;
}

static bool get_domain(xdr_dec *d, rpc_domain *dom)
{
    return xdr_get_string(d, XDR_STRING_MAX, &dom->name) &&
           xdr_get_fixed(d, dom->uuid, RPC_UUID_LEN) && xdr_get_i32(d, &dom->id);
}

static bool get_tparam(xdr_dec *d, virTypedParameter *p)
{
    g_autofree char *field = NULL;
    int32_t type;

    if (!xdr_get_string(d, TP_FIELD_MAX, &field) || !xdr_get_i32(d, &type))
        return false;
    memcpy(p->field, field, strlen(field) + 1);
    p->type = type;
    switch (type) {
    case VIR_TYPED_PARAM_INT: return xdr_get_i32(d, &p->value.i);
    case VIR_TYPED_PARAM_UINT: return xdr_get_u32(d, &p->value.ui);
    case VIR_TYPED_PARAM_LLONG: return xdr_get_i64(d, (int64_t *)&p->value.l);
    case VIR_TYPED_PARAM_ULLONG: return xdr_get_u64(d, (uint64_t *)&p->value.ul);
    case VIR_TYPED_PARAM_DOUBLE: return xdr_get_double(d, &p->value.d);
    case VIR_TYPED_PARAM_BOOLEAN: {
        int32_t b;
        if (!xdr_get_i32(d, &b))
            return false;
        p->value.b = (char)b;
        return true;
    }
    case VIR_TYPED_PARAM_STRING: return xdr_get_string(d, XDR_STRING_MAX, &p->value.s);
    default:
        p->type = 0;   /* nothing to free */
        d->failed = true;
        return false;
    }
}

static bool get_chars(xdr_dec *d, char *out, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        int32_t c;
        if (!xdr_get_i32(d, &c))
            return false;
        out[i] = (char)c;
    }
    return true;
}

static bool get_value(xdr_dec *d, int kind, int elem, uint32_t max, void *at)
{
    bool present;

    switch (kind) {
    case RPC_INT: return xdr_get_i32(d, at);
    case RPC_UINT: return xdr_get_u32(d, at);
    case RPC_HYPER: return xdr_get_i64(d, at);
    case RPC_UHYPER: return xdr_get_u64(d, at);
    case RPC_STRING: return xdr_get_string(d, max ? max : XDR_STRING_MAX, at);
    case RPC_OPT_STRING:
        if (!xdr_get_bool(d, &present))
            return false;
        return !present || xdr_get_string(d, max ? max : XDR_STRING_MAX, at);
    case RPC_UUID: return xdr_get_fixed(d, at, RPC_UUID_LEN);
    case RPC_DOMAIN: return get_domain(d, at);
    case RPC_OPT_DOMAIN:
        if (!xdr_get_bool(d, &present))
            return false;
        if (present)
            *(rpc_domain **)at = g_new0(rpc_domain, 1);
        return !present || get_domain(d, *(rpc_domain **)at);
    case RPC_MOMENT: {
        rpc_moment *m = at;
        return xdr_get_string(d, XDR_STRING_MAX, &m->name) && get_domain(d, &m->dom);
    }
    case RPC_OPT_NETWORK: {
        rpc_network *n;
        if (!xdr_get_bool(d, &present))
            return false;
        if (!present)
            return true;
        n = *(rpc_network **)at = g_new0(rpc_network, 1);
        return xdr_get_string(d, XDR_STRING_MAX, &n->name) && xdr_get_fixed(d, n->uuid, RPC_UUID_LEN);
    }
    case RPC_TPARAMS: {
        rpc_tparams *tp = at;
        uint32_t n;
        if (!xdr_get_count(d, max, 12, &n))
            return false;
        tp->params = g_new0(virTypedParameter, n ? n : 1);
        for (; tp->n < n; tp->n++) {
            if (!get_tparam(d, &tp->params[tp->n]))
                return false;
        }
        return true;
    }
    case RPC_CHARS_FIXED: return get_chars(d, at, max);
    case RPC_CHARS: {
        rpc_chars *c = at;
        uint32_t n;
        if (!xdr_get_count(d, max, 4, &n))
            return false;
        c->data = g_malloc0(n + 1);
        c->n = n;
        return get_chars(d, c->data, n);
    }
    case RPC_ARRAY: {
        rpc_array *a = at;
        size_t size = elem_size(elem);
        uint32_t n;
        if (!size || !xdr_get_count(d, max, elem_wire_min(elem), &n))
            return false;
        a->items = g_malloc0(size * (n ? n : 1));
        for (; a->n < n; a->n++) {
            if (!get_value(d, elem, 0, 0, (char *)a->items + a->n * size)) {
                a->n++;     /* the partial element may own memory */
                return false;
            }
        }
        return true;
    }
    default:
        d->failed = true;
        return false;
    }
}

static void free_domain(rpc_domain *dom)
{
    g_free(dom->name);
}

static void free_value(int kind, int elem, void *at)
{
    switch (kind) {
    case RPC_STRING:
    case RPC_OPT_STRING:
        g_free(*(char **)at);
        break;
    case RPC_DOMAIN:
        free_domain(at);
        break;
    case RPC_OPT_DOMAIN:
        if (*(rpc_domain **)at)
            free_domain(*(rpc_domain **)at);
        g_free(*(rpc_domain **)at);
        break;
    case RPC_MOMENT:
        g_free(((rpc_moment *)at)->name);
        free_domain(&((rpc_moment *)at)->dom);
        break;
    case RPC_OPT_NETWORK:
        if (*(rpc_network **)at)
            g_free((*(rpc_network **)at)->name);
        g_free(*(rpc_network **)at);
        break;
    case RPC_TPARAMS: {
        rpc_tparams *tp = at;
        for (uint32_t i = 0; i < tp->n; i++) {
            if (tp->params[i].type == VIR_TYPED_PARAM_STRING)
                g_free(tp->params[i].value.s);
        }
        g_free(tp->params);
        break;
    }
    case RPC_CHARS:
        g_free(((rpc_chars *)at)->data);
        break;
    case RPC_ARRAY: {
        rpc_array *a = at;
        size_t size = elem_size(elem);
        for (uint32_t i = 0; i < a->n; i++)
            free_value(elem, 0, (char *)a->items + i * size);
        g_free(a->items);
        break;
    }
    default:
        break;
    }
}

void rpc_free(const rpc_struct *t, void *obj)
{
    if (!t || !obj)
        return;
    for (size_t i = 0; i < t->nfields; i++)
        free_value(t->fields[i].kind, t->fields[i].elem, (char *)obj + t->fields[i].offset);
    memset(obj, 0, t->size);
}

bool rpc_decode(xdr_dec *d, const rpc_struct *t, void *obj)
{
    if (!t)
        return !d->failed;
    memset(obj, 0, t->size);
    for (size_t i = 0; i < t->nfields; i++) {
        const rpc_field *f = &t->fields[i];
        if (!get_value(d, f->kind, f->elem, f->max, (char *)obj + f->offset)) {
            d->failed = true;
            rpc_free(t, obj);
            return false;
        }
    }
    return true;
}

bool rpc_decode_payload(const rpc_struct *t, const void *data, size_t len, void *obj)
{
    xdr_dec d;

    xdr_dec_init(&d, data, len);
    if (!rpc_decode(&d, t, obj))
        return false;
    if (!xdr_dec_done(&d)) {
        rpc_free(t, obj);
        return false;
    }
    return true;
}
