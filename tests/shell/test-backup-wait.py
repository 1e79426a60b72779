#!/usr/bin/env python3
"""backup-begin --wait on a terminal: vmsh runs under a pseudo-terminal and must draw
a progress bar that reaches 100 % and end with "Backup job completed"; a failing job
ends with its error; Ctrl-C aborts a pull job, which then completes. Off a terminal
(run-expected.py's backup-wait.exp) nothing but "Backup started" is printed.

usage: test-backup-wait.py --vmsh PATH
"""

import argparse
import os
import pty
import re
import select
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BAR = re.compile(r'\rBackup: \[([#-]{30})\] +(\d+) %  \S+ \S+ of (\S+ \S+)')


def run_pty(argv, env, interrupt_after=None, limit=20.0):
    """Runs argv on a new pseudo-terminal; returns (everything it wrote, exit status).
    With interrupt_after, Ctrl-C is typed that many seconds after the start."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    out, start, typed = b'', time.monotonic(), False
    while time.monotonic() - start < limit:
        if interrupt_after is not None and not typed and time.monotonic() - start > interrupt_after:
            os.write(fd, b'\x03')
            typed = True
        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return out.decode(errors='replace'), os.waitstatus_to_exitcode(status)


class Checks:
    def __init__(self):
        self.failures = 0

    def check(self, what, ok, output):
        print(f'{"ok  " if ok else "FAIL"} {what}')
        if not ok:
            self.failures += 1
            print('  output: ' + repr(output))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--vmsh', required=True)
    args = ap.parse_args()
    vmsh = os.path.abspath(args.vmsh)
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix='vmsh-wait-') as workdir:
        shutil.copy(os.path.join(HERE, 'expected', 'backup-node.xml'),
                    os.path.join(workdir, 'node.xml'))
        with open(os.path.join(workdir, 'pull.xml'), 'w', encoding='utf-8') as f:
            f.write("<domainbackup mode='pull'>\n"
                    "  <server name='localhost' port='10809'/>\n"
                    "</domainbackup>\n")
        env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'TZ': 'UTC', 'LC_ALL': 'C',
               'HOME': workdir, 'TERM': 'dumb'}
        uri = f'test://{workdir}/node.xml'
        os.chdir(workdir)

        out, rc = run_pty([vmsh, '-c', uri, 'backup-begin vm --wait; domjobinfo vm'], env)
        bars = BAR.findall(out)
        checks.check('push: "Backup started", then the bar', out.startswith('Backup started\r\n\rBackup: ['), out)
        checks.check('push: the bar is drawn more than once', len(bars) >= 2, out)
        checks.check('push: the bar grows and ends full at 100 %',
                     bars and bars[-1][0] == '#' * 30 and bars[-1][1] == '100' and
                     [int(b[1]) for b in bars] == sorted(int(b[1]) for b in bars), out)
        checks.check('push: sizes of 30.0 MiB', bars and all(b[2] == '30.0 MiB' for b in bars), out)
        checks.check('push: the final line', '100 %  30.0 MiB of 30.0 MiB\r\nBackup job completed\r\n'
                     in out, out)
        checks.check('push: the job is over when the command ends, exit 0',
                     'Job type:         None' in out and rc == 0, out)

        out, rc = run_pty([vmsh, '-c', uri, 'backup-begin bad --wait'], env)
        checks.check('failing disk: the bar stops half-way',
                     re.search(r'\] +5\d %  [^\r]*\r\nerror: backup job failed: '
                               r"simulated failure of disk 'vda'\r\n", out) is not None, out)
        checks.check('failing disk: exit 1', rc == 1, out)

        out, rc = run_pty([vmsh, '-c', uri,
                           'backup-begin vm pull.xml --wait; domjobinfo vm --completed'],
                          env, interrupt_after=1.0)
        checks.check('pull: a line of its own while serving',
                     re.search(r'\rBackup: pull job serving for \d+ s \(domjobabort or Ctrl-C '
                               r'ends it\)', out) is not None, out)
        checks.check('pull: Ctrl-C ends it, and it completes',
                     '\r\nBackup job completed\r\n' in out and
                     'Job type:         Completed' in out and rc == 0, out)

        out, rc = run_pty([vmsh, '-q', '-c', uri, 'backup-begin vm --wait'], env)
        checks.check('quiet: no bar, no final line', out == 'Backup started\r\n' and rc == 0, out)
    print(f'{checks.failures} failures')
    return 1 if checks.failures else 0


if __name__ == '__main__':
    sys.exit(main())
