#!/usr/bin/env python3
"""virtnbdbackup and virtnbdrestore (Debian's, unmodified) against virtmomentd with
a running QEMU domain: `-l full`, then two `-l inc` with guest writes before each;
virtnbdrestore of the latest point and of the first incremental (--until) equal the
disk at those backups' instants (qemu-img compare with a reference written alike),
not the disk as it is now; the checkpoints it made are there, no job is left, and
a new `-l full` starts the chain again. Skipped (77) without virtnbdbackup, virsh
or QEMU.

usage: test-virtnbdbackup.py VIRTMOMENTD"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemuwire  # noqa: E402
import wiretest  # noqa: E402

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f'FAIL {what}')
    return cond


def writes(g, cmds):
    errors = [e for e in (g.write(c) for c in cmds) if e]
    return check(not errors, f'guest writes: {errors}')


def backup(d, level, out):
    p = qemuwire.run(['virtnbdbackup', '-U', d.uri_q, '-d', 'vm', '-l', level, '-o', out,
                      '-S', d.dir, '-f', os.path.join(d.dir, 'nbd.sock'), '-n'], timeout=300)
    log = p.stdout + p.stderr
    check(p.returncode == 0 and 'Finished successfully' in log, f'virtnbdbackup -l {level}: rc {p.returncode}\n{log}')
    # The only warning expected is the missing guest agent (as with libvirtd).
    other = [ln for ln in log.splitlines() if (' WARNING ' in ln and 'fsFreeze' not in ln) or ' ERROR ' in ln]
    check(not other, f'virtnbdbackup -l {level}: unexpected warnings {other}')
    return log


def restore(d, bk, out, *extra):
    p = qemuwire.run(['virtnbdrestore', '-U', d.uri_q, '-i', bk, '-o', out, '-n',
                      '-f', os.path.join(d.dir, 'nbd-restore.sock'),
                      '-L', os.path.join(d.dir, 'restore.log'), *extra], timeout=300)
    check(p.returncode == 0, f'virtnbdrestore {extra}: rc {p.returncode}\n{p.stdout}{p.stderr}')
    return os.path.join(out, 'vm.qcow2')      # the domain's disk file name


def same(img, ref, what):
    ok, out = qemuwire.same_image(img, ref, 'qcow2', 'raw')
    check(ok, f'{what}: {out}')


def dirty_bytes(log):
    """virtnbdbackup's own count of the bytes it copied for vda."""
    for ln in log.splitlines():
        if 'bytes of data extents to backup' in ln:
            return int(ln.split(']:')[-1].split()[0])
    return None


def scenario(d):
    g = qemuwire.Guest(d.uri_q, d.dir)
    err = g.start()
    if not check(not err, err):
        return
    bk = os.path.join(d.dir, 'bk')
    writes(g, ['write -P 0x11 0 4M', 'write -P 0x12 20M 1M', 'write -P 0x13 63M 1M'])
    log = backup(d, 'full', bk)
    check(dirty_bytes(log) == 6 << 20, f'full: 6 MiB of data, not {dirty_bytes(log)}')
    g.keep('full')

    writes(g, ['write -P 0x21 2M 1M', 'write -P 0x22 40M 64k', 'write -z 20M 512k'])
    log = backup(d, 'inc', bk)
    check(dirty_bytes(log) == (1 << 20) + (64 << 10) + (512 << 10),
          f'inc 1: exactly the 1600 KiB written since the full, not {dirty_bytes(log)}')
    inc1 = g.keep('inc1')

    writes(g, ['write -P 0x31 62M 128k', 'write -P 0x32 3M 4k', 'write -z 0 64k'])
    log = backup(d, 'inc', bk)
    check(dirty_bytes(log) == (128 << 10) + (64 << 10) + (64 << 10),
          f'inc 2: exactly the clusters written since inc 1, not {dirty_bytes(log)}')
    inc2 = g.keep('inc2')

    # Written after the last backup: must not be in any restore.
    writes(g, ['write -P 0x41 10M 1M'])
    for name in ('vda.full.data', 'vda.inc.virtnbdbackup.1.data', 'vda.inc.virtnbdbackup.2.data',
                 'checkpoints/virtnbdbackup.2.xml', 'vmconfig.virtnbdbackup.2.xml'):
        check(os.path.exists(os.path.join(bk, name)), f'backup file {name}')
    p = qemuwire.virsh(d.uri_q, 'checkpoint-list', 'vm', '--name', '--topological')
    check(p.stdout == 'virtnbdbackup.0\nvirtnbdbackup.1\nvirtnbdbackup.2\n\n', f'checkpoints: {p.stdout!r}')
    p = qemuwire.virsh(d.uri_q, 'domjobinfo', 'vm')
    check(p.stdout.startswith('Job type:         None'), f'no job left: {p.stdout!r} {p.stderr!r}')
    check(not os.path.exists(os.path.join(d.dir, 'nbd.sock')), 'the NBD socket is gone')

    latest = restore(d, bk, os.path.join(d.dir, 'r2'))
    same(latest, inc2, 'restore of the latest point = the disk at inc 2')
    check(not qemuwire.same_image(latest, g.ref, 'qcow2', 'raw')[0], 'the restore lacks the later write')
    first = restore(d, bk, os.path.join(d.dir, 'r1'), '--until', 'virtnbdbackup.1')
    same(first, inc1, 'restore --until virtnbdbackup.1 = the disk at inc 1')

    # Another backup running: virtnbdbackup sees its block job and stops, as with libvirtd.
    with open(os.path.join(d.dir, 'pull.xml'), 'w') as f:
        f.write(f"<domainbackup mode='pull'><server transport='unix' socket='{d.dir}/other.sock'/>"
                f"<disks><disk name='vda'><scratch file='{d.dir}/other.scratch'/></disk></disks>"
                "</domainbackup>")
    p = qemuwire.virsh(d.uri_q, 'backup-begin', 'vm', os.path.join(d.dir, 'pull.xml'))
    check(p.returncode == 0, f'backup-begin: {p.stderr}')
    p = qemuwire.run(['virtnbdbackup', '-U', d.uri_q, '-d', 'vm', '-l', 'inc', '-o', bk, '-S', d.dir,
                      '-f', os.path.join(d.dir, 'nbd.sock'), '-n'])
    check(p.returncode == 1 and 'Detected an active backup operation' in p.stderr,
          f'virtnbdbackup during another backup: rc {p.returncode} {p.stderr}')
    p = qemuwire.virsh(d.uri_q, 'domjobabort', 'vm')
    check(p.returncode == 0, f'domjobabort: {p.stderr}')

    # A new chain: -l full removes virtnbdbackup's checkpoints and starts at .0 again.
    bk2 = os.path.join(d.dir, 'bk2')
    backup(d, 'full', bk2)
    p = qemuwire.virsh(d.uri_q, 'checkpoint-list', 'vm', '--name')
    check(p.stdout == 'virtnbdbackup.0\n\n', f'checkpoints after a new full: {p.stdout!r}')
    same(restore(d, bk2, os.path.join(d.dir, 'r3')), g.ref, 'restore of the new full = the disk now')

    p = qemuwire.virsh(d.uri_q, 'destroy', 'vm')
    check(p.returncode == 0, f'destroy: {p.stderr}')
    same(g.disk, g.ref, 'the disk itself = its reference')


def main():
    absent = qemuwire.missing('virtnbdbackup', 'virtnbdrestore')
    if absent:
        print(f'{absent} is not installed: skipped')
        return 77
    with wiretest.Daemon(sys.argv[1]) as d:
        d.uri_q = f'qemu:///session?socket={d.socket}'
        try:
            scenario(d)
        finally:
            qemuwire.kill_qemus(os.path.join(d.dir, 'qemu'))
        check(d.alive(), 'daemon alive')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
