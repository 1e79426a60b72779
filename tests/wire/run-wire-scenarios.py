#!/usr/bin/env python3
"""The shell scenarios (tests/shell/scenarios) through virtmomentd: each runs once
with its test:/// URIs turned into test+unix:///...?socket=SOCK for the client
under test, and once through vmsh in-process; stdout, stderr and the exit status
must be identical (the scenario's masks apply; its virsh-sub lines do not, since
both sides now use virtmoment's test driver).

usage: run-wire-scenarios.py --daemon PATH --vmsh PATH --client virsh|vmsh SCENARIO...

Exit 0 when all match, 1 when one differs, 77 when the client is missing."""

import argparse
import importlib.util
import os
import re
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import wiretest  # noqa: E402

spec = importlib.util.spec_from_file_location('run_scenario', os.path.join(HERE, '..', 'shell',
                                                                           'run-scenario.py'))
rs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rs)

TEST_URI = re.compile(r'test://((?:/|@SHARED@)[^\s\'";]*)')


def through(daemon, text):
    def sub(m):
        return daemon.uri('test://' + m.group(1))
    return TEST_URI.sub(sub, text)


def rewritten(sc, daemon):
    """A copy of the scenario whose URIs go through the daemon."""
    import copy
    c = copy.deepcopy(sc)
    c.args = [through(daemon, a) for a in c.args]
    c.env = {k: through(daemon, v) for k, v in c.env.items()}
    c.files = {k: through(daemon, v) for k, v in c.files.items()}
    if isinstance(c.script, str):
        c.script = through(daemon, c.script)
    elif isinstance(c.script, list):
        c.script = [through(daemon, a) for a in c.script]
    return c


def run_one(sc, daemon, client, vmsh_link):
    unmask = re.compile(re.escape('+unix') + r'(://[^\s?]*)[?&]socket=' + re.escape(daemon.socket))
    with tempfile.TemporaryDirectory(prefix='vm-wire-sc-') as workdir:
        for name, content in sc.files.items():
            with open(os.path.join(workdir, name), 'w', encoding='utf-8') as f:
                f.write(content.replace('@DIR@', workdir).replace('@SHARED@', rs.SHARED_DIR))
        a = rs.run(client, rewritten(sc, daemon), workdir)
        b = rs.run(vmsh_link, sc, workdir)
    a = [unmask.sub(r'\1', rs.normalise(x, sc)) for x in a[:2]] + [a[2]]
    b = [rs.normalise(x, sc) for x in b[:2]] + [b[2]]
    ok = True
    for i, what in enumerate(('stdout', 'stderr')):
        if what in sc.compare and a[i] != b[i]:
            rs.show_diff(what + ' (through the daemon, then in-process)', a[i], b[i])
            ok = False
    if 'rc' in sc.compare and a[2] != b[2]:
        print(f'--- exit status differs: through the daemon {a[2]}, in-process {b[2]}')
        ok = False
    print(f'{"ok  " if ok else "FAIL"} {sc.name}')
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--daemon', required=True)
    ap.add_argument('--vmsh', required=True)
    ap.add_argument('--client', choices=('virsh', 'vmsh'), required=True)
    ap.add_argument('scenarios', nargs='+')
    args = ap.parse_args()
    if args.client == 'virsh' and not shutil.which('virsh'):
        print('virsh is not installed: skipped')
        return 77
    with tempfile.TemporaryDirectory(prefix='vmsh-link-') as linkdir:
        link = os.path.join(linkdir, 'virsh')
        os.symlink(os.path.abspath(args.vmsh), link)
        client = shutil.which('virsh') if args.client == 'virsh' else link
        results = []
        with wiretest.Daemon(args.daemon) as daemon:
            for path in args.scenarios:
                sc = rs.Scenario(path)
                if any(not os.path.exists(p) for p in sc.required):
                    print(f'skip {sc.name}')
                    continue
                results.append(run_one(sc, daemon, client, link))
            alive = daemon.alive()
        if not alive:
            print('FAIL virtmomentd died')
            return 1
    print(f'{sum(results)} passed, {len(results) - sum(results)} failed')
    return 0 if results and all(results) else (77 if not results else 1)


if __name__ == '__main__':
    sys.exit(main())
