#!/usr/bin/env python3
"""Writes the seed corpus (fuzz/corpus/): packets of the handshake, replies with
lists, typed parameters and errors, an event, keepalive, and broken streams. The
bytes are built here, none copied from libvirt's captures."""

import os
import struct

REMOTE, KEEP = 0x20008086, 0x6b656570


def s(text):
    b = text.encode()
    return struct.pack('>I', len(b)) + b + b'\0' * ((4 - len(b) % 4) % 4)


def dom(name, ident=1):
    return s(name) + bytes(range(16)) + struct.pack('>i', ident)


def pkt(proc, typ, payload=b'', prog=REMOTE, serial=0, status=0):
    body = struct.pack('>IIiiIi', prog, 1, proc, typ, serial, status) + payload
    return struct.pack('>I', len(body) + 4) + body


def tp(name, typ, value):
    return s(name) + struct.pack('>i', typ) + value


SEEDS = {
    'handshake': pkt(66, 0) + pkt(60, 0, struct.pack('>i', 10), serial=1) +
                 pkt(1, 0, struct.pack('>I', 1) + s('test:///default') + struct.pack('>I', 0), serial=2),
    'list-all-domains': pkt(273, 1, struct.pack('>I', 2) + dom('test') + dom('other', -1) + struct.pack('>I', 2)),
    'snapshots': pkt(274, 1, struct.pack('>I', 1) + s('s1') + dom('test') + struct.pack('>i', 1)),
    'job-stats': pkt(298, 1, struct.pack('>iI', 3, 4) + tp('operation', 1, struct.pack('>i', 9)) +
                     tp('disk_total', 4, struct.pack('>Q', 1 << 30)) + tp('ratio', 5, struct.pack('>d', 0.5)) +
                     tp('errmsg', 7, s('Operation canceled'))),
    'job-completed-event': pkt(363, 2, struct.pack('>i', 0) + dom('test') + struct.pack('>I', 1) +
                               tp('success', 6, struct.pack('>i', 1)), serial=1),
    'error-reply': pkt(244, 1, struct.pack('>ii', 72, 10) + struct.pack('>I', 1) + s('no parent') +
                       struct.pack('>iIIIIiiI', 2, 0, 0, 0, 0, -1, -1, 0), status=1),
    'security-model': pkt(122, 1, struct.pack('>I', 5) + b''.join(struct.pack('>i', c) for c in b'none\0') +
                          struct.pack('>I', 2) + struct.pack('>ii', 48, 0)),
    'node-info': pkt(6, 1, b''.join(struct.pack('>i', c) for c in b'x86_64'.ljust(32, b'\0')) +
                     struct.pack('>Qiiiiii', 1 << 20, 2, 1000, 1, 1, 2, 1)),
    'keepalive': pkt(1, 2, prog=KEEP) + pkt(2, 2, prog=KEEP),
    'length-4gib': b'\xff\xff\xff\xff' + b'\0' * 24,
    'truncated': pkt(23, 0, s('test'))[:-3],
    'lying-count': pkt(273, 1, struct.pack('>I', 16384)),
}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus')
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()
