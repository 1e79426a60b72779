#!/usr/bin/python3
"""QEMU checkpoints and backups, virtmoment against libvirt 9.0, alternating in one run.

On one 2 GiB qcow2 image full of non-zero data, each round runs virtmoment
(qemu:///embed, in-process) and libvirt 9.0 (its qemu driver in a private session
daemon run as user nobody) on a domain over that image, one after the other, the
order swapped every round, each doing the same calls (bench-qemu-backup.c): 5
checkpoint creates, a full push, a full pull read by nbdcopy into null: (3 times) and into a
raw file, incremental pushes after the guest rewrote 1% and 10% of the disk. Each
round also measures the disk's limit (`dd conv=fsync` of the image) and what the
image serves over NBD with no backup job in the way (qemu-nbd, read by nbdcopy into
null:), the yardstick of a pull. Prints the medians as MiB/s and the goals of issue
7. Run as root (for runuser); needs qemu-system-x86_64, qemu-img, qemu-io, qemu-nbd,
nbdcopy, libvirtd and python3-libvirt.

usage: bench/bench-qemu-backup.py [BUILD_DIR] [ROUNDS] [WORKDIR]"""

import os
import shutil
import signal
import statistics
import subprocess
import sys
import time

try:
    import libvirt
except ImportError:
    sys.exit('bench: needs python3-libvirt: run it with /usr/bin/python3 (Debian\'s)')

MIB = 1 << 20
DISK = 2048 * MIB
DOMAIN = """<domain type='qemu'>
  <name>bb</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='{image}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <memballoon model='none'/>
  </devices>
</domain>
"""


def sh(*argv, **kw):
    return subprocess.run(argv, check=True, stdin=subprocess.DEVNULL, **kw)


class LibvirtSession:
    """libvirtd --session as nobody, its state under DIR."""

    def __init__(self, d):
        self.dir = d
        os.makedirs(d, exist_ok=True)
        shutil.chown(d, 'nobody')
        self.env = ['env', '-i', 'PATH=/usr/bin:/bin:/usr/sbin:/sbin', f'HOME={d}/home',
                    f'XDG_CONFIG_HOME={d}/config', f'XDG_CACHE_HOME={d}/cache',
                    f'XDG_RUNTIME_DIR={d}/run', 'LANG=C.UTF-8']
        self.uri = f'qemu+unix:///session?socket={d}/run/libvirt/libvirt-sock'

    def start(self):
        sh('runuser', '-u', 'nobody', '--', *self.env, '/usr/sbin/libvirtd', '-d')
        for _ in range(100):
            if os.path.exists(f'{self.dir}/run/libvirt/libvirt-sock'):
                return
            time.sleep(0.1)
        raise RuntimeError('libvirtd did not start')

    def stop(self):
        try:
            with open(f'{self.dir}/run/libvirt/libvirtd.pid') as f:
                os.kill(int(f.read()), signal.SIGTERM)
        except (OSError, ValueError):
            pass


def make_image(path):
    sh('qemu-img', 'create', '-q', '-f', 'qcow2', path, str(DISK))
    writes = []
    for off in range(0, DISK, 256 * MIB):
        writes += ['-c', f'write -P 0x5a {off} {256 * MIB}']
    sh('qemu-io', '-f', 'qcow2', *writes, path, stdout=subprocess.DEVNULL)
    os.chmod(path, 0o666)


def dd_limit(image, work):
    out = os.path.join(work, 'dd.img')
    t0 = time.monotonic()
    sh('dd', f'if={image}', f'of={out}', 'bs=4M', 'conv=fsync', stderr=subprocess.DEVNULL)
    t = time.monotonic() - t0
    os.unlink(out)
    return t, os.path.getsize(image)


def bare_export(image, work):
    """nbdcopy of the image exported by qemu-nbd alone into null:, median of 3 reads
    (seconds, bytes)."""
    sock = os.path.join(work, 'bare.sock')
    nbd = subprocess.Popen(['qemu-nbd', '--read-only', '--persistent', '--shared=0', '--format=qcow2',
                            f'--socket={sock}', image], stdin=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        times = []
        for _ in range(3):   # as the pulls: the median of 3 reads
            t0 = time.monotonic()
            sh('nbdcopy', f'nbd+unix:///?socket={sock}', 'null:')
            times.append(time.monotonic() - t0)
        return statistics.median(times), DISK
    finally:
        nbd.terminate()
        nbd.wait()


def warm(image):
    with open(image, 'rb') as f:
        while f.read(16 * MIB):
            pass


def one_round(binary, uri, work, seed, env):
    p = subprocess.run([binary, uri, 'bb', work, str(seed)], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, env=env, timeout=900)
    if p.returncode != 0:
        raise RuntimeError(f'{binary}: {p.stderr.strip()}')
    rows = {}
    for line in p.stdout.splitlines():
        name, seconds, moved = line.split()
        rows.setdefault(name, []).append((float(seconds), int(moved)))
    return rows


def rate(samples):
    """MiB/s of the median time (and the bytes of that sample)."""
    s, b = sorted(samples)[len(samples) // 2]
    return b / MIB / s if s > 0 else 0.0


ROWS = [
    ('push_full', 'full push → new qcow2 (until fsynced)'),
    ('pull_null', 'full pull: nbdcopy → null: (what the export serves)'),
    ('pull_raw', 'full pull: nbdcopy --flush → raw file'),
    ('push_inc_1pct', 'incremental push, 1% dirty (20 MiB)'),
    ('push_inc_10pct', 'incremental push, 10% dirty (205 MiB)'),
]


def report(res, dd, bare, rounds):
    sides = ['libvirt', 'virtmoment']
    med = lambda xs: statistics.median(xs)
    print(f'rounds: {rounds}; medians; MiB/s = data moved / seconds\n')
    print('| what | libvirt 9.0 | virtmoment | virtmoment / libvirt |')
    print('|---|---|---|---|')
    ddr = med([b / MIB / s for s, b in dd])
    bare_r = med([b / MIB / s for s, b in bare])
    print(f'| `dd bs=4M conv=fsync` of the image (the disk\'s limit) | {ddr:.0f} MiB/s | | |')
    print(f'| the image exported by qemu-nbd, no backup job: nbdcopy → null: | {bare_r:.0f} MiB/s | | |')
    for key, label in ROWS:
        lv = [rate(r[key]) for r in res['libvirt']]
        vm = [rate(r[key]) for r in res['virtmoment']]
        t_lv = med([r[key][0][0] for r in res['libvirt']])
        t_vm = med([r[key][0][0] for r in res['virtmoment']])
        print(f'| {label} | {med(lv):.0f} MiB/s ({t_lv:.3f} s) | {med(vm):.0f} MiB/s ({t_vm:.3f} s) '
              f'| {med(vm) / med(lv):.2f}x |')
    for key, label in [('checkpoint_create', 'live checkpoint create (5 per round)'),
                       ('pull_begin', 'pull backupBegin'), ('pull_end', 'pull abortJob'),
                       ('start', 'domain start')]:
        vals = {s: med([t for r in res[s] for t, _ in r[key]]) * 1000 for s in sides}
        print(f'| {label} | {vals["libvirt"]:.1f} ms | {vals["virtmoment"]:.1f} ms '
              f'| {vals["libvirt"] / vals["virtmoment"]:.1f}x faster |')
    print('\nper round, full push MiB/s (libvirt / virtmoment / dd):',
          ', '.join(f'{rate(a["push_full"]):.0f}/{rate(b["push_full"]):.0f}/{b2 / MIB / s:.0f}'
                    for a, b, (s, b2) in zip(res['libvirt'], res['virtmoment'], dd)))
    for s in sides:
        inc = [(r['push_inc_1pct'][0][0], r['push_inc_10pct'][0][0]) for r in res[s]]
        print(f'{s}: incremental 10%/1% time ratio per round (data ratio 10.25):',
              ', '.join(f'{b / a:.1f}' for a, b in inc))
    vm = res['virtmoment']
    full = [rate(r['push_full']) for r in vm]
    print('\ngoals (virtmoment):')
    print(f'- full push >= 80% of dd: {med(full) / ddr * 100:.0f}% of dd (median)')
    print('- faster than libvirt in every round:',
          all(rate(b['push_full']) > rate(a['push_full']) for a, b in zip(res['libvirt'], vm)))
    print('- pull >= 90% of what the image serves over NBD (nbdcopy into null:, per round):',
          ', '.join(f'{rate(r["pull_null"]) / (b / MIB / s) * 100:.0f}%' for r, (s, b) in zip(vm, bare)))
    print(f'- pull into a raw file / into null: {med([rate(r["pull_raw"]) / rate(r["pull_null"]) for r in vm]) * 100:.0f}%')
    print(f'- checkpoint create: {med([t for r in vm for t, _ in r["checkpoint_create"]]) * 1000:.1f} ms')


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else 'build'
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    work = os.path.abspath(sys.argv[3] if len(sys.argv) > 3 else '/tmp/vm-bench-backup')
    bins = {s: os.path.abspath(os.path.join(build, 'bench', f'bench-qemu-backup-{s}'))
            for s in ('virtmoment', 'libvirt')}
    only = os.environ.get('BENCH_ONLY')   # virtmoment or libvirt: one side (tuning runs)
    if os.geteuid() != 0 or not all(map(shutil.which, ('qemu-img', 'qemu-io', 'qemu-nbd', 'nbdcopy', 'libvirtd'))):
        sys.exit('needs root, qemu-img, qemu-io, qemu-nbd, nbdcopy and libvirtd')
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    os.chmod(work, 0o1777)
    image = os.path.join(work, 'disk.qcow2')
    make_image(image)
    xml = os.path.join(work, 'bb.xml')
    with open(xml, 'w') as f:
        f.write(DOMAIN.format(image=image))
    vm_uri = f'qemu:///embed?root={work}/vm-root'
    vmsh = os.path.join(build, 'tools', 'vmsh', 'vmsh')
    sh(vmsh, '-c', vm_uri, f'define {xml}', stdout=subprocess.DEVNULL)
    sess = LibvirtSession(os.path.join(work, 'sess'))
    sess.start()
    uris = {'virtmoment': vm_uri, 'libvirt': sess.uri}
    res = {'virtmoment': [], 'libvirt': []}
    dd, bare = [], []
    try:
        conn = libvirt.open(sess.uri)
        conn.defineXML(DOMAIN.format(image=image))
        conn.close()
        for r in range(rounds):
            order = ['virtmoment', 'libvirt'] if r % 2 == 0 else ['libvirt', 'virtmoment']
            for side in order:
                if only and side != only:
                    continue
                warm(image)   # the source in the page cache for both alike
                res[side].append(one_round(bins[side], uris[side], work, 1000 + r, os.environ))
                print(f'round {r + 1} {side}: push_full {res[side][-1]["push_full"][0][0]:.3f} s',
                      file=sys.stderr, flush=True)
            dd.append(dd_limit(image, work))
            warm(image)
            bare.append(bare_export(image, work))
    finally:
        subprocess.run([vmsh, '-c', vm_uri, 'destroy bb'], capture_output=True)
        try:
            conn = libvirt.open(sess.uri)
            dom = conn.lookupByName('bb')
            if dom.isActive():
                dom.destroy()
        except libvirt.libvirtError:
            pass
        sess.stop()
    if only:
        for r in res[only]:
            print(only, {k: round(rate(v), 1) if v[0][1] else round(v[0][0] * 1000, 1) for k, v in r.items()})
        print('dd', [round(b / MIB / s) for s, b in dd])
        print('bare export', [round(b / MIB / s) for s, b in bare])
    else:
        report(res, dd, bare, rounds)
    if not os.environ.get('BENCH_KEEP'):
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
