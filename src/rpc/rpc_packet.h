/* Packets of libvirt's remote protocol: the length word, the 24-byte header, the
 * limits, building a packet from a payload struct and cutting a byte stream into
 * packets (the same framing in both directions). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "rpc/rpc_types.h"

#define RPC_HEADER_LEN 24
#define RPC_LEN_WORD 4
#define RPC_MESSAGE_MAX 33554432u          /* len - 4 at most (VIR_NET_MESSAGE_MAX) */
#define RPC_PAYLOAD_MAX (RPC_MESSAGE_MAX - RPC_HEADER_LEN)

#define RPC_PROGRAM_REMOTE 0x20008086u
#define RPC_PROGRAM_KEEPALIVE 0x6b656570u
#define RPC_PROTOCOL_VERSION 1u

enum {
    RPC_KEEPALIVE_PING = 1,
    RPC_KEEPALIVE_PONG = 2,
};

typedef enum {
    RPC_CALL = 0,
    RPC_REPLY = 1,
    RPC_MESSAGE = 2,
    RPC_STREAM = 3,
    RPC_CALL_WITH_FDS = 4,
    RPC_REPLY_WITH_FDS = 5,
    RPC_STREAM_HOLE = 6,
} rpc_type;

typedef enum {
    RPC_STATUS_OK = 0,
    RPC_STATUS_ERROR = 1,
    RPC_STATUS_CONTINUE = 2,
} rpc_status;

typedef struct {
    uint32_t prog;
    uint32_t vers;
    int32_t proc;
    int32_t type;     /* rpc_type */
    uint32_t serial;
    int32_t status;   /* rpc_status */
} rpc_header;

/* A whole packet: length word + header + payload of obj (described by t; NULL =
 * void). NULL when the payload exceeds a limit. */
GByteArray *rpc_packet_build(const rpc_header *h, const rpc_struct *t, const void *obj);
/* The header of a whole packet (length word included); false when shorter than 28
 * bytes or its length word disagrees with len. */
bool rpc_packet_header(const uint8_t *pkt, size_t len, rpc_header *ret_h);
/* A keepalive PING or PONG. */
GByteArray *rpc_packet_keepalive(int proc);
bool rpc_header_is_keepalive(const rpc_header *h, int proc);

/* Cutting a byte stream into packets. Read into rpc_reader_space, report the count
 * with rpc_reader_commit, then take packets with rpc_reader_next. */
typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t start;     /* first unconsumed byte */
    size_t end;       /* one past the last byte read */
} rpc_reader;

void rpc_reader_init(rpc_reader *r);
void rpc_reader_clear(rpc_reader *r);
/* Where to read to, and how much room there is (at least 1 byte). */
uint8_t *rpc_reader_space(rpc_reader *r, size_t *ret_room);
void rpc_reader_commit(rpc_reader *r, size_t n);
/* 1 and the next packet (valid until the next call on r), 0 when it is not all
 * there yet, -1 when its length word is out of bounds (the stream is unusable). */
int rpc_reader_next(rpc_reader *r, const uint8_t **ret_pkt, size_t *ret_len);
