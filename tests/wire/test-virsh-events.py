#!/usr/bin/env python3
"""Events through virtmomentd to the real virsh: `virsh event --event lifecycle`
sees the domain another virsh destroys and starts; `virsh event --event
job-completed` sees a push backup end. Skipped (77) without virsh.

usage: test-virsh-events.py VIRTMOMENTD"""

import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wiretest  # noqa: E402

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f'FAIL {what}')


def virsh(uri, *cmd):
    return subprocess.run(['virsh', '-q', '-c', uri, *cmd], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)


def listen(uri, event, seconds):
    return subprocess.Popen(['virsh', '-c', uri, 'event', 'test', '--event', event, '--loop',
                             '--timeout', str(seconds)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL)


def settle(uri):
    """Wait until the listener has registered (its connection keeps the host)."""
    time.sleep(1.0)


def main():
    if not shutil.which('virsh'):
        print('virsh is not installed: skipped')
        return 77
    with wiretest.Daemon(sys.argv[1]) as d:
        uri = d.uri()
        ev = listen(uri, 'lifecycle', 4)
        settle(uri)
        r1 = virsh(uri, 'destroy', 'test')
        r2 = virsh(uri, 'start', 'test')
        out, err = ev.communicate(timeout=40)
        check(r1.returncode == 0 and r2.returncode == 0, f'destroy/start: {r1.stderr}{r2.stderr}')
        check("event 'lifecycle' for domain 'test': Stopped Destroyed" in out, f'stopped event: {out!r} {err!r}')
        check("event 'lifecycle' for domain 'test': Started Booted" in out, f'started event: {out!r}')
        check('events received: 2' in out, f'count: {out!r}')

        ev = listen(uri, 'job-completed', 4)
        settle(uri)
        r = virsh(uri, 'backup-begin', 'test')
        out, err = ev.communicate(timeout=40)
        check(r.returncode == 0, f'backup-begin: {r.stderr}')
        check("event 'job-completed' for domain 'test':" in out, f'job-completed event: {out!r} {err!r}')
        check('operation: 9' in out and 'success: 1' in out, f'job-completed params: {out!r}')
        check(d.alive(), 'daemon alive')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
