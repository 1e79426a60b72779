#!/usr/bin/python3
"""QEMU snapshots, virtmoment beside libvirt 9.0, in one run, alternating.

Both drive QEMU 7.2 (TCG) as user nobody on the same 2 GiB qcow2 image (512 MiB of
data) and a 256 MiB domain without an OS: virtmoment in-process (qemu:///embed), libvirt
through a private session libvirtd (its qemu driver), each through the same client
program (bench-qemu-snapshot.c built twice). For each snapshot kind: the total time
of virDomainSnapshotCreateXML and the guest pause (SUSPENDED -> RESUMED lifecycle
events; for disk-only kinds, which do not stop the guest, the duration of the QMP
transaction that cuts the disks: virtmoment's from the driver, libvirt's from its
monitor log, millisecond timestamps). Then the metadata-only delete of the root of a
REDEFINE'd chain with its children, and start-up with 5,000 snapshots' metadata.

Usage (as root): bench/bench-qemu-snapshot.py [BUILD_DIR] [ROUNDS] [CHAIN_N] [BOOT_N] [LIBVIRT_CHAIN_N]
Never a test; prints a markdown table."""

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

BUILD = sys.argv[1] if len(sys.argv) > 1 else 'build'
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
CHAIN_N = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
BOOT_N = int(sys.argv[4]) if len(sys.argv) > 4 else 5000
LV_CHAIN_N = int(sys.argv[5]) if len(sys.argv) > 5 else 200
WORK = '/tmp/hsnap-bench'
SESS = WORK + '/sess'
LOG = WORK + '/libvirtd.log'
KINDS = [('int-mem', 'internal, with memory'), ('int-disk', 'internal, disk-only'),
         ('ext-disk', 'external, disk-only'), ('ext-mem', 'external, with memory')]
LV_URI = 'qemu+unix:///session?socket=%s/run/libvirt/libvirt-sock' % SESS
VM_ROOT = WORK + '/vm-root'
VM_URI = 'qemu:///embed?root=' + VM_ROOT

DOMXML = """<domain type='qemu'>
  <name>bs</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='%s/base.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <memballoon model='none'/>
  </devices>
</domain>
""" % WORK


def env(extra=None):
    e = ['HOME=%s/home' % SESS, 'XDG_CONFIG_HOME=%s/config' % SESS, 'XDG_CACHE_HOME=%s/cache' % SESS,
         'XDG_RUNTIME_DIR=%s/run' % SESS, 'LANG=C.UTF-8', 'PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin']
    return e + (extra or [])


def as_nobody(argv, extra_env=None, check=True):
    cmd = ['runuser', '-u', 'nobody', '--', 'env', '-i'] + env(extra_env) + argv
    r = subprocess.run(cmd, capture_output=True, text=True)
    if check and r.returncode != 0:
        sys.exit('bench: %s failed: %s' % (' '.join(argv), r.stderr.strip()))
    return r


def helper(tool, *args):
    return os.path.join(BUILD, 'bench', 'bench-qemu-snapshot-' + tool), *[str(a) for a in args]


# ---- the session libvirtd ----

def daemon_pid():
    try:
        pid = int(open(SESS + '/run/libvirt/libvirtd.pid').read())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def daemon_stop():
    pid = daemon_pid()
    if pid:
        os.kill(pid, signal.SIGTERM)
        while os.path.exists('/proc/%d' % pid):
            time.sleep(0.005)


def daemon_start():
    as_nobody(['/usr/sbin/libvirtd', '-d'],
              ['LIBVIRT_LOG_FILTERS=1:qemu.qemu_monitor', 'LIBVIRT_LOG_OUTPUTS=1:file:' + LOG])


# ---- setup ----

def setup():
    if os.path.exists(WORK):
        shutil.rmtree(WORK)
    for d in ('', '/snaps', '/sess/home', '/sess/config', '/sess/cache', '/sess/run'):
        os.makedirs(WORK + d, exist_ok=True)
    os.chmod(SESS + '/run', 0o700)
    with open(WORK + '/dom.xml', 'w') as f:
        f.write(DOMXML)
    subprocess.run(['chown', '-R', 'nobody:nogroup', WORK], check=True)
    as_nobody(['qemu-img', 'create', '-q', '-f', 'qcow2', WORK + '/base.qcow2', '2G'])
    as_nobody(['qemu-io', '-f', 'qcow2', '-c', 'write -P 0x5a 0 512M', WORK + '/base.qcow2'])
    # the first internal snapshot of an allocated image is slow (refcounts): taken once
    # and deleted, for neither side to pay it
    as_nobody(['qemu-img', 'snapshot', '-c', 'warm', WORK + '/base.qcow2'])
    as_nobody(['qemu-img', 'snapshot', '-d', 'warm', WORK + '/base.qcow2'])
    daemon_start()


# ---- libvirt's transaction from its monitor log ----

STAMP = re.compile(r'^(\d+-\d+-\d+ \d+:\d+:(\d+\.\d+))\+0000')


def stamp(line):
    m = STAMP.match(line)
    if not m:
        return None
    hms = m.group(1).split()[1].split(':')
    return int(hms[0]) * 3600 + int(hms[1]) * 60 + float(hms[2])


def libvirt_transaction(offset):
    """The duration of the last "transaction" command in the log after offset (s)."""
    with open(LOG, errors='replace') as f:
        f.seek(offset)
        lines = f.readlines()
    sent = ident = None
    result = None
    for line in lines:
        if 'QEMU_MONITOR_SEND_MSG' in line and '"execute":"transaction"' in line:
            m = re.search(r'"id":"(libvirt-\d+)"', line)
            sent, ident = stamp(line), m.group(1) if m else None
        elif sent is not None and ident and 'QEMU_MONITOR_RECV_REPLY' in line and ident in line:
            result = stamp(line) - sent
            sent = None
    return result


def log_size():
    return os.path.getsize(LOG) if os.path.exists(LOG) else 0


# ---- the measurements ----

def one_snapshot(tool, kind, name):
    uri = LV_URI if tool == 'libvirt' else VM_URI
    offset = log_size()
    r = as_nobody(list(helper(tool, 'snap', uri, WORK + '/dom.xml', kind, name, WORK + '/snaps')), check=False)
    for f in os.listdir(WORK + '/snaps'):
        os.unlink(os.path.join(WORK + '/snaps', f))
    out = r.stdout.strip()
    if r.returncode != 0 or not out or out == 'unsupported':
        return None, r.stderr.strip().splitlines()[-1] if r.stderr.strip() else 'failed'
    total, pause, txn = (float(x) for x in out.split())
    if kind.endswith('disk'):
        pause = txn if tool == 'virtmoment' else libvirt_transaction(offset)
    return (total, pause), None


def snapshots():
    res = {(t, k): [] for t in ('libvirt', 'virtmoment') for k, _ in KINDS}
    errors = {}
    for r in range(ROUNDS):
        order = ('libvirt', 'virtmoment') if r % 2 == 0 else ('virtmoment', 'libvirt')
        for kind, _ in KINDS:
            for tool in order:
                got, err = one_snapshot(tool, kind, '%s-%s-%d' % (kind, tool[0], r))
                if got:
                    res[(tool, kind)].append(got)
                else:
                    errors[(tool, kind)] = err
    return res, errors


def chain(tool, n):
    uri = LV_URI if tool == 'libvirt' else VM_URI
    r = as_nobody(list(helper(tool, 'chain', uri, WORK + '/dom.xml', n)))
    return float(r.stdout)


def drop_packs(root):
    """As after a crash: the metadata packs written when the root was let go are gone."""
    for dirpath, _, files in os.walk(root):
        if os.path.basename(dirpath) == 'pack' and 'moments' in files:
            os.unlink(os.path.join(dirpath, 'moments'))


def startup_virtmoment(n, reps=3):
    """Open to snapshotNum(), after a clean close (the pack is read) and without the
    pack (every moment file is read, as the first open after a crash)."""
    root = WORK + '/vm-boot'
    uri = 'qemu:///embed?root=' + root
    as_nobody(list(helper('virtmoment', 'populate', uri, WORK + '/dom.xml', n)))
    clean, no_pack = [], []
    for _ in range(reps):
        clean.append(float(as_nobody(list(helper('virtmoment', 'startup', uri, n))).stdout))
        drop_packs(root)
        no_pack.append(float(as_nobody(list(helper('virtmoment', 'startup', uri, n))).stdout))
    return clean, no_pack


def startup_libvirt(n, reps=3):
    as_nobody(list(helper('libvirt', 'populate', LV_URI, WORK + '/dom.xml', n)))
    out = []
    for _ in range(reps):
        daemon_stop()
        t0 = time.perf_counter()
        daemon_start()
        as_nobody(list(helper('libvirt', 'startup', LV_URI, n)))
        out.append(time.perf_counter() - t0)
    return out


# ---- the table ----

def ms(x):
    return '—' if x is None else ('%.1f ms' % (x * 1e3) if x < 10 else '%.2f s' % x)


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main():
    if os.geteuid() != 0:
        sys.exit('bench: run as root (QEMU and libvirtd run as user nobody)')
    setup()
    try:
        res, errors = snapshots()
        lv_chain = chain('libvirt', LV_CHAIN_N)
        vm_chain_small = chain('virtmoment', LV_CHAIN_N)
        vm_chain = chain('virtmoment', CHAIN_N)
        vm_boot, vm_boot_no_pack = startup_virtmoment(BOOT_N)
        lv_boot = startup_libvirt(BOOT_N)
    finally:
        daemon_stop()
    print('Medians of %d rounds, alternating. Pause: SUSPENDED->RESUMED lifecycle events; for disk-only kinds '
          'the QMP transaction that cuts the disks.\n' % ROUNDS)
    print('| snapshot kind | libvirt 9.0 pause | virtmoment pause | libvirt 9.0 total | virtmoment total |')
    print('|---|---|---|---|---|')
    for kind, label in KINDS:
        cells = []
        for what in (1, 0):
            for tool in ('libvirt', 'virtmoment'):
                v = res[(tool, kind)]
                cells.append(ms(med([x[what] for x in v])) if v else 'refused')
        print('| %s | %s | %s | %s | %s |' % (label, cells[0], cells[1], cells[2], cells[3]))
    for (tool, kind), err in sorted(errors.items()):
        print('\n%s, %s: %s' % (tool, kind, err))
    print('\n| metadata | libvirt 9.0 | virtmoment |')
    print('|---|---|---|')
    print('| delete root of a %d-snapshot chain, CHILDREN + METADATA_ONLY | %s | %s |'
          % (LV_CHAIN_N, ms(lv_chain), ms(vm_chain_small)))
    print('| delete root of a %d-snapshot chain, CHILDREN + METADATA_ONLY | (not run: quadratic) | %s |'
          % (CHAIN_N, ms(vm_chain)))
    print('| start-up with %d snapshots (libvirtd start to snapshotNum; virtmoment open to snapshotNum), median of 3 '
          '| %s | %s |' % (BOOT_N, ms(med(lv_boot)), ms(med(vm_boot))))
    print('| the same, virtmoment without its pack (the first open after a crash: every file read) '
          '| | %s |' % ms(med(vm_boot_no_pack)))
    print('\nraw:', {'%s/%s' % k: [tuple(round(x, 4) if x is not None else None for x in v) for v in vals]
                     for k, vals in res.items()}, 'boot', lv_boot, vm_boot, vm_boot_no_pack)


if __name__ == '__main__':
    main()
