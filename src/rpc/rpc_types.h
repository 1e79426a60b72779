/* The remote protocol's data as C structs, and one codec driven by descriptors:
 * every procedure's args and ret (generated from api.tbl into rpc_protocol.c) is a
 * struct whose fields an rpc_struct lists with their wire kinds. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libvirt/libvirt.h>
#include "rpc/rpc_xdr.h"

#define RPC_UUID_LEN 16

/* remote_nonnull_domain */
typedef struct {
    char *name;
    unsigned char uuid[RPC_UUID_LEN];
    int32_t id;
} rpc_domain;

/* remote_nonnull_domain_snapshot and remote_nonnull_domain_checkpoint */
typedef struct {
    char *name;
    rpc_domain dom;
} rpc_moment;

/* remote_nonnull_network (only inside remote_error, always absent in practice) */
typedef struct {
    char *name;
    unsigned char uuid[RPC_UUID_LEN];
} rpc_network;

/* remote_typed_param<N>: the public struct, so callers hand it over as it is. */
typedef struct {
    uint32_t n;
    virTypedParameterPtr params;
} rpc_tparams;

/* char x<N>: each char widened to 4 bytes on the wire; data is NUL-terminated
 * after the n received chars. */
typedef struct {
    uint32_t n;
    char *data;
} rpc_chars;

/* T x<N>: items is an array of the element's C type. */
typedef struct {
    uint32_t n;
    void *items;
} rpc_array;

typedef enum {
    RPC_INT,          /* int32_t */
    RPC_UINT,         /* uint32_t */
    RPC_HYPER,        /* int64_t */
    RPC_UHYPER,       /* uint64_t */
    RPC_STRING,       /* char *, never NULL */
    RPC_OPT_STRING,   /* char *, NULL when absent */
    RPC_UUID,         /* unsigned char[16] */
    RPC_DOMAIN,       /* rpc_domain */
    RPC_OPT_DOMAIN,   /* rpc_domain *, NULL when absent */
    RPC_MOMENT,       /* rpc_moment (snapshot or checkpoint) */
    RPC_OPT_NETWORK,  /* rpc_network *, NULL when absent */
    RPC_TPARAMS,      /* rpc_tparams, at most max */
    RPC_CHARS_FIXED,  /* char[max], no length word */
    RPC_CHARS,        /* rpc_chars, at most max */
    RPC_ARRAY,        /* rpc_array of elem, at most max */
} rpc_kind;

typedef struct {
    const char *name;
    uint8_t kind;     /* rpc_kind */
    uint8_t elem;     /* RPC_ARRAY: the elements' kind (INT, STRING, DOMAIN, MOMENT) */
    uint32_t max;     /* limit of arrays and strings; length of fixed chars */
    uint32_t offset;  /* offsetof the field in its struct */
} rpc_field;

typedef struct {
    const char *name;        /* e.g. "remote_domain_get_info_ret" */
    size_t size;             /* sizeof the C struct */
    const rpc_field *fields;
    size_t nfields;
} rpc_struct;

/* Append obj (a struct described by t) to e; false when a limit was exceeded or a
 * non-optional string is NULL. t NULL means void. */
bool rpc_encode(xdr_enc *e, const rpc_struct *t, const void *obj);
/* Fill obj (zeroed first) from d; on failure obj holds nothing to free. */
bool rpc_decode(xdr_dec *d, const rpc_struct *t, void *obj);
/* Free what obj's fields own, and zero it; obj itself is the caller's. */
void rpc_free(const rpc_struct *t, void *obj);

/* Decode a whole payload: every byte must be consumed. */
bool rpc_decode_payload(const rpc_struct *t, const void *data, size_t len, void *obj);
