#!/usr/bin/python3
"""virtmomentd against libvirtd 9.0 over their UNIX sockets, with the same client
(python3-libvirt) and the same kind of domain: a shut-off QEMU domain with one qcow2
disk, defined on each daemon's QEMU driver. Both daemons run as the same user (nobody
when started as root) with private directories; libvirtd is Debian's, in session mode,
as in ../shared/reference/libvirt-bench/sess_env.sh. In every round the two daemons
take turns (the first one alternates) and each is measured on:

  - virDomainSnapshotNum: round-trip latency of one client (median, p99) and its
    calls per second; calls per second of CLIENTS client processes at once;
  - virDomainSnapshotCreateXML (internal snapshot: qemu-img inside the daemon), then
    virDomainSnapshotDelete of the same snapshots: per-call latency;
  - the daemons' RSS when idle: after starting and defining the domain, and after the
    rounds once every client has gone.

usage: bench-daemon.py BUILD_DIR [--rounds R] [--calls N] [--creates M] [--clients K]
                       [--seconds S]
       (needs python3-libvirt, libvirt-daemon, qemu-img; as root, BUILD_DIR must be
       readable by nobody; never a test)"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

LIBVIRTD = '/usr/sbin/libvirtd'
DOMAIN = """<domain type='qemu'>
  <name>bench</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/></features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='{disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <memballoon model='none'/>
  </devices>
</domain>
"""
NAMES = {'vm': 'virtmomentd', 'lv': 'libvirtd 9.0'}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('build')
    p.add_argument('--rounds', type=int, default=5)
    p.add_argument('--calls', type=int, default=2000, help='snapshotNum calls per round')
    p.add_argument('--creates', type=int, default=10, help='snapshot creates per round')
    p.add_argument('--clients', type=int, default=4, help='client processes for throughput')
    p.add_argument('--seconds', type=float, default=2.0, help='throughput window per round')
    p.add_argument('--worker', nargs=3, metavar=('URI', 'START', 'END'), help=argparse.SUPPRESS)
    return p.parse_args()


def worker(uri, start, end):
    """One throughput client: snapshotNum from START to END (wall clock); prints the count."""
    import libvirt
    conn = libvirt.open(uri)
    dom = conn.lookupByName('bench')
    dom.snapshotNum()
    while time.time() < start:
        time.sleep(0.001)
    n = 0
    while time.time() < end:
        dom.snapshotNum()
        n += 1
    conn.close()
    print(n)


def as_nobody():
    """Started as root: run the whole benchmark again as nobody (both daemons, clients)."""
    work = tempfile.mkdtemp(prefix='vm-bench-daemon-')
    shutil.chown(work, 'nobody', 'nogroup')
    env = ['env', '-i', 'PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', 'LANG=C.UTF-8',
           f'BENCH_WORK={work}', f'HOME={work}']
    rc = subprocess.call(['runuser', '-u', 'nobody', '--', *env, sys.executable,
                          os.path.abspath(__file__), *sys.argv[1:]])
    shutil.rmtree(work, ignore_errors=True)
    return rc


def rss_kib(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def wait_socket(path, proc, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(path)
            return True
        except OSError:
            time.sleep(0.05)
    return False


class Daemons:
    """libvirtd (session mode, private XDG directories) and virtmomentd, each with the
    domain 'bench' on its own 64 MiB qcow2 image."""

    def __init__(self, work, build):
        self.work = work
        self.procs = {}
        self.sockets = {}
        lv = {d: os.path.join(work, 'lv', d) for d in ('home', 'config', 'cache', 'run')}
        for d in lv.values():
            os.makedirs(d, mode=0o700)
        env = dict(os.environ, HOME=lv['home'], XDG_CONFIG_HOME=lv['config'],
                   XDG_CACHE_HOME=lv['cache'], XDG_RUNTIME_DIR=lv['run'])
        self.sockets['lv'] = os.path.join(lv['run'], 'libvirt', 'libvirt-sock')
        self.start('lv', [LIBVIRTD], env)
        vm = os.path.join(work, 'vm')
        os.makedirs(vm, mode=0o700)
        self.sockets['vm'] = os.path.join(vm, 'sock')
        self.start('vm', [os.path.join(build, 'daemon', 'virtmomentd'), '--socket', self.sockets['vm'],
                          '--root', os.path.join(vm, 'qemu')], os.environ)

    def start(self, key, argv, env):
        log = open(os.path.join(self.work, f'{key}.log'), 'w')
        self.procs[key] = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                           stderr=subprocess.STDOUT)
        if not wait_socket(self.sockets[key], self.procs[key]):
            self.stop()
            raise SystemExit(f'{argv[0]} did not start: see {log.name}')

    def uri(self, key):
        return f'qemu+unix:///session?socket={self.sockets[key]}'

    def rss(self, key):
        return rss_kib(self.procs[key].pid)

    def stop(self):
        for p in self.procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs.values():
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def define(d, key):
    import libvirt
    disk = os.path.join(d.work, f'{key}.qcow2')
    subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', disk, '64M'], check=True)
    conn = libvirt.open(d.uri(key))
    conn.defineXML(DOMAIN.format(disk=disk))
    conn.close()


def cpu_ns(pid):
    """CPU time of all the process's threads so far (schedstat: nanoseconds)."""
    total = 0
    for task in os.listdir(f'/proc/{pid}/task'):
        try:
            with open(f'/proc/{pid}/task/{task}/schedstat') as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total


def num_block(d, key, dom, calls, res):
    """`calls` snapshotNum round trips: latencies, the rate, the daemon's CPU time."""
    pid = d.procs[key].pid
    lat = []
    c0 = cpu_ns(pid)
    t0 = time.perf_counter()
    for _ in range(calls):
        t = time.perf_counter()
        dom.snapshotNum()
        lat.append(time.perf_counter() - t)
    res['num_cps'].append(calls / (time.perf_counter() - t0))
    res['num_cpu'] += cpu_ns(pid) - c0
    res['num'] += lat


def throughput(d, key, clients, seconds):
    start = time.time() + 1.0
    procs = [subprocess.Popen([sys.executable, os.path.abspath(__file__), '-', '--worker',
                               d.uri(key), str(start), str(start + seconds)], stdout=subprocess.PIPE, text=True)
             for _ in range(clients)]
    return sum(int(p.communicate()[0]) for p in procs) / seconds


def timed(fn, *args):
    t = time.perf_counter()
    r = fn(*args)
    return r, time.perf_counter() - t


BLOCKS = 10


def measure(args, d):
    import libvirt
    res = {k: {'num': [], 'num_cps': [], 'num_cpu': 0, 'tput': [], 'create': [], 'delete': []}
           for k in NAMES}
    conns = {k: libvirt.open(d.uri(k)) for k in NAMES}
    doms = {k: conns[k].lookupByName('bench') for k in NAMES}
    for k in NAMES:
        doms[k].snapshotNum()
    for rnd in range(args.rounds):
        order = ['vm', 'lv'] if rnd % 2 == 0 else ['lv', 'vm']
        for _ in range(BLOCKS):
            for k in order:
                num_block(d, k, doms[k], args.calls // BLOCKS, res[k])
        for k in order:
            res[k]['tput'].append(throughput(d, k, args.clients, args.seconds))
        snaps = {k: [] for k in NAMES}
        for i in range(args.creates):
            for k in order:
                xml = f'<domainsnapshot><name>r{rnd}-s{i}</name></domainsnapshot>'
                snap, t = timed(doms[k].snapshotCreateXML, xml)
                snaps[k].append(snap)
                res[k]['create'].append(t)
        for i in range(args.creates):
            for k in order:
                res[k]['delete'].append(timed(snaps[k].pop().delete)[1])
        print(f'round {rnd + 1}/{args.rounds}: ' + ', '.join(
            f'{NAMES[k]} {statistics.median(res[k]["num_cps"][-BLOCKS:]):.0f} calls/s, create '
            f'{statistics.median(res[k]["create"][-args.creates:]) * 1e3:.1f} ms' for k in NAMES),
            file=sys.stderr, flush=True)
    for k in NAMES:
        if doms[k].snapshotNum() != 0:
            raise SystemExit(f'{NAMES[k]}: snapshots left over')
        conns[k].close()
    return res


def p99(values):
    return sorted(values)[min(len(values) - 1, int(len(values) * 0.99))]


def table(args, res, rss):
    vm, lv = res['vm'], res['lv']
    med = statistics.median
    rows = [
        ('snapshotNum round trip, median (p99)', f'{med(vm["num"]) * 1e6:.0f} µs ({p99(vm["num"]) * 1e6:.0f})',
         f'{med(lv["num"]) * 1e6:.0f} µs ({p99(lv["num"]) * 1e6:.0f})', med(lv['num']) / med(vm['num'])),
        ('snapshotNum calls/s, 1 client (median of blocks)', f'{med(vm["num_cps"]):.0f}',
         f'{med(lv["num_cps"]):.0f}', med(vm['num_cps']) / med(lv['num_cps'])),
        ('snapshotNum, daemon CPU time per call', f'{vm["num_cpu"] / len(vm["num"]) / 1e3:.1f} µs',
         f'{lv["num_cpu"] / len(lv["num"]) / 1e3:.1f} µs', lv['num_cpu'] / vm['num_cpu']),
        (f'snapshotNum calls/s, {args.clients} client processes', f'{med(vm["tput"]):.0f}',
         f'{med(lv["tput"]):.0f}', med(vm['tput']) / med(lv['tput'])),
        ('snapshot create (internal, shut off), median (p99)',
         f'{med(vm["create"]) * 1e3:.1f} ms ({p99(vm["create"]) * 1e3:.1f})',
         f'{med(lv["create"]) * 1e3:.1f} ms ({p99(lv["create"]) * 1e3:.1f})',
         med(lv['create']) / med(vm['create'])),
        ('snapshot create calls/s, 1 client', f'{len(vm["create"]) / sum(vm["create"]):.1f}',
         f'{len(lv["create"]) / sum(lv["create"]):.1f}', sum(lv['create']) / sum(vm['create'])),
        ('snapshot delete, median (p99)', f'{med(vm["delete"]) * 1e3:.1f} ms ({p99(vm["delete"]) * 1e3:.1f})',
         f'{med(lv["delete"]) * 1e3:.1f} ms ({p99(lv["delete"]) * 1e3:.1f})',
         med(lv['delete']) / med(vm['delete'])),
        ('idle RSS after start (domain defined)', f'{rss["start"]["vm"] / 1024:.1f} MiB',
         f'{rss["start"]["lv"] / 1024:.1f} MiB', rss['start']['lv'] / rss['start']['vm']),
        ('idle RSS after the rounds', f'{rss["end"]["vm"] / 1024:.1f} MiB',
         f'{rss["end"]["lv"] / 1024:.1f} MiB', rss['end']['lv'] / rss['end']['vm']),
    ]
    print(f'{args.rounds} rounds, the daemons alternating; per round and daemon {args.calls} snapshotNum '
          f'calls in {BLOCKS} blocks, {args.clients} client processes for {args.seconds:g} s, '
          f'{args.creates} snapshot creates then deletes, one call at a time\n')
    print('| measurement | virtmomentd | libvirtd 9.0 | virtmomentd better by |')
    print('|---|---|---|---|')
    for name, a, b, ratio in rows:
        print(f'| {name} | {a} | {b} | {ratio:.1f}x |')


def idle_rss(d):
    time.sleep(1.0)
    return {k: d.rss(k) for k in NAMES}


def main():
    args = parse_args()
    if args.worker:
        worker(args.worker[0], float(args.worker[1]), float(args.worker[2]))
        return 0
    if os.geteuid() == 0:
        return as_nobody()
    try:
        import libvirt
    except ImportError:
        raise SystemExit('bench-daemon.py: python3-libvirt is missing (run it with /usr/bin/python3)')
    libvirt.registerErrorHandler(lambda *a: None, None)
    work = os.environ.get('BENCH_WORK') or tempfile.mkdtemp(prefix='vm-bench-daemon-')
    d = Daemons(work, os.path.abspath(args.build))
    try:
        for k in NAMES:
            define(d, k)
        rss = {'start': idle_rss(d)}
        res = measure(args, d)
        rss['end'] = idle_rss(d)
    finally:
        d.stop()
    print(json.dumps({'rss': rss}), file=sys.stderr)
    table(args, res, rss)
    return 0


if __name__ == '__main__':
    sys.exit(main())
