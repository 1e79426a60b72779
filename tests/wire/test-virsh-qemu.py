#!/usr/bin/env python3
"""A real QEMU domain through virtmomentd (qemu:///session?socket=…): the real
virsh and vmsh define, start, list, inspect, destroy and undefine it, with the same
output; a lifecycle event reaches a listening virsh. Skipped (77) without virsh,
qemu-system-x86_64 or qemu-img.

usage: test-virsh-qemu.py VIRTMOMENTD VMSH"""

import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemuwire  # noqa: E402
import wiretest  # noqa: E402

passed = failed = 0
SCRIPT = ('define {dir}/vm.xml; start vm; list --all; dominfo vm; domstate --reason vm; '
          'suspend vm; domstate --reason vm; resume vm; destroy vm; domstate --reason vm; '
          'undefine vm; list --all')


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f'FAIL {what}')


def run(shell, uri, script):
    p = subprocess.run([shell, '-c', uri, script], capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    out = re.sub(r'(UUID:\s+)\S+', r'\1<uuid>', p.stdout)
    out = re.sub(r'(CPU time:\s+)\S+', r'\1<time>', out)
    # The daemon's QEMU host numbers domains on, as libvirtd does: each run starts vm anew.
    out = re.sub(r'(Id:\s+)\d+', r'\1<id>', out)
    out = re.sub(r'(?m)^ \d+(\s+vm\s)', r' <id>\1', out)
    return out, p.stderr, p.returncode


def main():
    virtmomentd, vmsh = sys.argv[1:3]
    if not all(shutil.which(p) for p in ('virsh', 'qemu-system-x86_64', 'qemu-img')):
        print('virsh or QEMU is not installed: skipped')
        return 77
    with wiretest.Daemon(virtmomentd) as d:
        subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', os.path.join(d.dir, 'vda.qcow2'),
                        '64M'], check=True)
        with open(os.path.join(d.dir, 'vm.xml'), 'w') as f:
            f.write(qemuwire.DOMAIN.format(name='vm', disk=f'{d.dir}/vda.qcow2'))
        uri = f'qemu:///session?socket={d.socket}'
        script = SCRIPT.format(dir=d.dir)
        v = run('virsh', uri, script)
        m = run(vmsh, uri, script)
        check(v[2] == 0, f'virsh: {v[1]}')
        check(v == m, f'virsh and vmsh differ:\n{v}\n{m}')
        check(" <id>    vm     running" in v[0] and "paused (user)" in v[0] and "shut off (destroyed)" in v[0],
              f'transcript: {v[0]}')
        run('virsh', uri, f'define {d.dir}/vm.xml')
        ev = subprocess.Popen(['virsh', '-c', uri, 'event', 'vm', '--event', 'lifecycle', '--loop',
                               '--timeout', '8'], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, stdin=subprocess.DEVNULL)
        time.sleep(1.0)
        r = run('virsh', uri, 'start vm; destroy vm; undefine vm')
        out, err = ev.communicate(timeout=60)
        check(r[2] == 0, f'start/destroy: {r[1]}')
        check("event 'lifecycle' for domain 'vm': Started Booted" in out and
              "event 'lifecycle' for domain 'vm': Stopped Destroyed" in out, f'events: {out!r} {err!r}')
        check(d.alive(), 'daemon alive')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
