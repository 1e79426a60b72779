#!/usr/bin/env python3
"""virtmomentd stopped (SIGTERM) and started again while a QEMU domain runs: the
domain keeps running (the same QEMU process) and the new daemon controls it
through the real virsh (state, monitor, guest writes, suspend/resume,
checkpoints, a push backup whose target equals the disk). Then SIGTERM while a
pull backup is active: after the restart the job is either still there (its
export serving the disk as at backup-begin, domjobabort ending it) or reported
ended with its NBD socket gone, never half there. Skipped (77) without virsh or
QEMU.

usage: test-daemon-restart.py VIRTMOMENTD"""

import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemuwire  # noqa: E402
import wiretest  # noqa: E402

passed = failed = 0

PULL = """<domainbackup mode='pull'>
  <server transport='unix' socket='{dir}/nbd.sock'/>
  <disks><disk name='vda' backup='yes' type='file'><scratch file='{dir}/scratch.qcow2'/></disk></disks>
</domainbackup>
"""
PUSH = """<domainbackup mode='push'>
  <disks><disk name='vda' backup='yes' type='file'><driver type='qcow2'/><target file='{dir}/push.qcow2'/></disk></disks>
</domainbackup>
"""


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f'FAIL {what}')
    return cond


def restart(d, binary):
    """SIGTERM the daemon, check it leaves cleanly, start another on the same
    socket and root."""
    d.proc.send_signal(signal.SIGTERM)
    try:
        rc = d.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        d.proc.kill()
        rc = d.proc.wait()
    check(rc == 0, f'SIGTERM: exit 0 ({rc})')
    check(not os.path.exists(d.socket), 'the socket is removed')
    d.proc = subprocess.Popen([binary, '--socket', d.socket, '--log', d.log,
                               '--root', os.path.join(d.dir, 'qemu')], stdin=subprocess.DEVNULL)

    def listening():
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(d.socket)
            return True
        except OSError:
            return False
    return check(qemuwire.wait_for(listening, 10), 'the new daemon listens')


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    with open(f'/proc/{pid}/stat') as f:
        return f.read().split(')')[-1].split()[0] != 'Z'


def virsh_ok(uri, *cmd):
    p = qemuwire.virsh(uri, *cmd)
    check(p.returncode == 0, f'virsh {" ".join(cmd)}: {p.stderr.strip()}')
    return p.stdout


def still_controlled(uri, g, pid, root):
    check(pid_alive(pid) and qemuwire.qemu_pids(root) == [pid], 'the same QEMU process runs')
    out = virsh_ok(uri, 'list')
    check(' 1    vm     running' in out, f'virsh list: {out!r}')
    check(virsh_ok(uri, 'domstate', 'vm').strip() == 'running', 'domstate')
    check('VM status: running' in virsh_ok(uri, 'qemu-monitor-command', 'vm', '--hmp', 'info status'),
          'the monitor answers')
    virsh_ok(uri, 'suspend', 'vm')
    check(virsh_ok(uri, 'domstate', 'vm', '--reason').strip() == 'paused (user)', 'suspended')
    virsh_ok(uri, 'resume', 'vm')
    check(virsh_ok(uri, 'domstate', 'vm').strip() == 'running', 'resumed')


def push_backup(uri, g, tag):
    ref = g.keep(tag)
    ev = subprocess.Popen(['virsh', '-c', uri, 'event', 'vm', '--event', 'job-completed', '--timeout', '30'],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    time.sleep(1.0)
    virsh_ok(uri, 'backup-begin', 'vm', os.path.join(g.dir, 'push.xml'))
    out, _ = ev.communicate(timeout=60)
    check("event 'job-completed' for domain 'vm':" in out and 'success: 1' in out, f'push: {out!r}')
    ok, msg = qemuwire.same_image(os.path.join(g.dir, 'push.qcow2'), ref, 'qcow2', 'raw')
    check(ok, f'push backup after the restart = the disk: {msg}')
    os.unlink(os.path.join(g.dir, 'push.qcow2'))


def pull_survives(uri, g, pull_ref):
    """After the restart: the job is there and whole, or gone and cleaned up."""
    sock = os.path.join(g.dir, 'nbd.sock')
    info = virsh_ok(uri, 'domjobinfo', 'vm')
    if 'Job type:         Unbounded' in info:
        print('  the pull backup survived the restart')
        check('Operation:        Backup' in info, f'domjobinfo: {info!r}')
        ok, msg = qemuwire.same_image(f'nbd+unix:///vda?socket={sock}', pull_ref, 'raw', 'raw')
        check(ok, f'the export still serves the disk at backup-begin: {msg}')
        check("mode='pull'" in virsh_ok(uri, 'backup-dumpxml', 'vm'), 'backup-dumpxml')
        virsh_ok(uri, 'domjobabort', 'vm')
        check('Job type:         None' in virsh_ok(uri, 'domjobinfo', 'vm'), 'no job after domjobabort')
    else:
        print('  the pull backup was ended by the restart')
        check('Job type:         None' in info, f'domjobinfo: {info!r}')
        done = virsh_ok(uri, 'domjobinfo', 'vm', '--completed')
        check('Operation:        Backup' in done, f'the ended backup is reported: {done!r}')
    check(not os.path.exists(sock), 'the NBD socket is gone')
    check(not os.path.exists(os.path.join(g.dir, 'scratch.qcow2')), 'the scratch file is gone')
    check('<domainbackup' not in qemuwire.virsh(uri, 'backup-dumpxml', 'vm').stdout, 'no backup left')


def scenario(d, binary):
    uri = f'qemu:///session?socket={d.socket}'
    root = os.path.join(d.dir, 'qemu')
    g = qemuwire.Guest(uri, d.dir)
    for name, text in (('pull.xml', PULL), ('push.xml', PUSH)):
        with open(os.path.join(d.dir, name), 'w') as f:
            f.write(text.format(dir=d.dir))
    err = g.start()
    if not check(not err, err):
        return
    pids = qemuwire.qemu_pids(root)
    if not check(len(pids) == 1, f'one QEMU process: {pids}'):
        return
    pid = pids[0]
    check(not g.write('write -P 0x11 0 1M'), 'write')
    virsh_ok(uri, 'checkpoint-create-as', 'vm', 'c1')

    # 1. a running domain, no job
    if not restart(d, binary):
        return
    still_controlled(uri, g, pid, root)
    check(not g.write('write -P 0x22 1M 1M'), 'write after the restart')
    check(virsh_ok(uri, 'checkpoint-list', 'vm', '--name') == 'c1\n\n', 'checkpoint c1 kept')
    virsh_ok(uri, 'checkpoint-create-as', 'vm', 'c2')
    push_backup(uri, g, 'push1')

    # 2. a pull backup active
    virsh_ok(uri, 'backup-begin', 'vm', os.path.join(d.dir, 'pull.xml'))
    pull_ref = g.keep('pull')
    ok, msg = qemuwire.same_image(f'nbd+unix:///vda?socket={d.dir}/nbd.sock', pull_ref, 'raw', 'raw')
    check(ok, f'the export before the restart: {msg}')
    check(not g.write('write -P 0x33 0 2M'), 'write during the pull')
    if not restart(d, binary):
        return
    still_controlled(uri, g, pid, root)
    pull_survives(uri, g, pull_ref)
    check(not g.write('write -P 0x44 5M 64k'), 'write after the pull')
    push_backup(uri, g, 'push2')
    out = virsh_ok(uri, 'checkpoint-list', 'vm', '--name', '--topological')
    check(out == 'c1\nc2\n\n', f'checkpoints after both restarts: {out!r}')

    virsh_ok(uri, 'destroy', 'vm')
    check(qemuwire.wait_for(lambda: not pid_alive(pid), 10), 'QEMU ended by destroy')
    ok, msg = qemuwire.same_image(g.disk, g.ref, 'qcow2', 'raw')
    check(ok, f'the disk = its reference: {msg}')


def main():
    absent = qemuwire.missing()
    if absent:
        print(f'{absent} is not installed: skipped')
        return 77
    with wiretest.Daemon(sys.argv[1]) as d:
        try:
            scenario(d, sys.argv[1])
        finally:
            qemuwire.kill_qemus(os.path.join(d.dir, 'qemu'))
        check(d.alive(), 'daemon alive')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
