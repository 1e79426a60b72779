#!/usr/bin/env python3
"""virtmomentd against misbehaving clients: garbage, a 4 GiB length word, a
truncated packet, a disconnect in the middle of a call, a client that never reads
its replies, undecodable arguments, unknown programs and procedures, calls before
CONNECT_OPEN. After each, another client must still be served; at the end the
daemon stops on SIGTERM, removing its sockets.

usage: test-robustness.py VIRTMOMENTD"""

import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wiretest  # noqa: E402

REMOTE = 0x20008086
QEMU = 0x20008087
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f'FAIL {what}')


def xstr(text):
    b = text.encode()
    return struct.pack('>I', len(b)) + b + b'\0' * ((4 - len(b) % 4) % 4)


def packet(proc, payload=b'', serial=0, prog=REMOTE, typ=0):
    body = struct.pack('>IIiiIi', prog, 1, proc, typ, serial, 0) + payload
    return struct.pack('>I', len(body) + 4) + body


class Raw:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.settimeout(10)
        self.s.connect(path)
        self.serial = 0

    def send(self, data):
        self.s.sendall(data)

    def call(self, proc, payload=b''):
        self.send(packet(proc, payload, self.serial))
        self.serial += 1
        return self.reply()

    def reply(self):
        head = self.recv(4)
        if not head:
            return None
        (n,) = struct.unpack('>I', head)
        body = self.recv(n - 4)
        prog, vers, proc, typ, serial, status = struct.unpack('>IIiiIi', body[:24])
        return {'proc': proc, 'type': typ, 'status': status, 'payload': body[24:]}

    def recv(self, n):
        data = b''
        while len(data) < n:
            chunk = self.s.recv(n - len(data))
            if not chunk:
                return data
            data += chunk
        return data

    def closed_by_peer(self):
        try:
            return self.s.recv(1) == b''
        except (ConnectionResetError, socket.timeout):
            return False

    def open(self, uri='test:///default'):
        self.call(66)
        return self.call(1, struct.pack('>I', 1) + xstr(uri) + struct.pack('>I', 0))

    def close(self):
        self.s.close()


def error_code(reply):
    return struct.unpack('>i', reply['payload'][:4])[0] if reply and reply['status'] == 1 else None


def served(path):
    """A fresh client gets its domain list."""
    c = Raw(path)
    ok = c.open()['status'] == 0
    r = c.call(273, struct.pack('>iI', 1, 3))
    c.close()
    return ok and r and r['status'] == 0 and b'test' in r['payload']


def main():
    with wiretest.Daemon(sys.argv[1]) as d:
        path = d.socket
        c = Raw(path)
        c.send(os.urandom(16) + b'\xff' * 64)
        check(c.closed_by_peer(), 'garbage: dropped')
        check(served(path), 'served after garbage')

        c = Raw(path)
        c.send(b'\xff\xff\xff\xff' + b'\0' * 24)
        check(c.closed_by_peer(), '4 GiB length: dropped')
        check(served(path), 'served after a 4 GiB length')

        c = Raw(path)
        c.send(packet(23, xstr('test'))[:-5])
        c.close()
        check(served(path), 'served after a truncated packet')

        c = Raw(path)
        c.open()
        c.send(packet(14, xstr('test') + bytes(16) + struct.pack('>iI', 1, 0), 9))
        c.close()
        check(served(path), 'served after a disconnect in the middle of a call')

        c = Raw(path)
        check(error_code(c.call(273, struct.pack('>iI', 1, 3))) is not None, 'call before open: error')
        r = c.call(9999)
        check(error_code(r) == 3, f'unknown procedure: error 3 ({error_code(r)})')
        c.send(packet(1, b'', 7, prog=0x12345678))
        check(error_code(c.reply()) is not None, 'unknown program: error')
        c.send(packet(2, b'', 8, typ=1))      # a REPLY from a client: ignored
        monitor = (struct.pack('>I', 4) + b'test' + bytes.fromhex('6695eb01f6a4830479aa97f2502e193f')
                   + struct.pack('>i', 1) + xstr('info status') + struct.pack('>I', 1))
        c.send(packet(1, monitor, 9, prog=QEMU))
        check(error_code(c.reply()) == 1, 'QEMU program before open: error (not CONNECT_OPEN)')
        check(c.open()['status'] == 0, 'open after oddities')
        c.send(packet(1, monitor, 10, prog=QEMU))
        r = c.reply()
        check(error_code(r) is not None and b'info status' not in r['payload'],
              'monitor command on a test driver domain: error')
        c.send(packet(2, b'', 11, prog=QEMU))
        check(error_code(c.reply()) == 3, 'unknown QEMU procedure: error 3')
        r = c.call(23, b'\0\0\0\x05ab')      # LOOKUP_BY_NAME with a cut string
        check(error_code(r) is not None and c.closed_by_peer(), 'undecodable arguments: error, dropped')

        slow = Raw(path)
        slow.open()
        call = packet(14, struct.pack('>I', 4) + b'test' + bytes.fromhex('6695eb01f6a4830479aa97f2502e193f')
                      + struct.pack('>iI', 1, 0))
        slow.s.setblocking(False)
        sent = 0
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and sent < 20000:
            try:
                slow.s.send(call)
                sent += 1
            except BlockingIOError:
                time.sleep(0.01)
        start = time.monotonic()
        check(served(path), 'served while a client does not read its replies')
        check(time.monotonic() - start < 5, 'not held up by the slow client')
        slow.close()
        check(served(path), 'served after the slow client left')
        check(d.alive(), 'the daemon is alive')
        ro = d.socket + '-ro'
        c = Raw(ro)
        check(c.open()['status'] == 0, 'read-only socket opens')
        r = c.call(185, struct.pack('>I', 4) + b'test' + bytes.fromhex('6695eb01f6a4830479aa97f2502e193f')
                   + struct.pack('>i', 1) + xstr('<domainsnapshot/>') + struct.pack('>I', 0))
        check(error_code(r) == 29, f'read-only socket refuses changes: OPERATION_DENIED ({error_code(r)})')
        c.send(packet(1, monitor, 99, prog=QEMU))
        check(error_code(c.reply()) == 29, 'read-only socket refuses monitor commands')
        c.close()
        rc = d.proc.send_signal(15) or d.proc.wait(timeout=20)
        check(rc == 0, f'SIGTERM: exit 0 ({rc})')
        check(not os.path.exists(path) and not os.path.exists(ro), 'sockets removed')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
