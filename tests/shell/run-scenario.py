#!/usr/bin/env python3
"""Differential shell test: runs one scenario through the real virsh and through
vmsh, and demands byte-identical stdout, stderr and exit status.

usage: run-scenario.py --vmsh PATH [--virsh PATH] SCENARIO...

Exit status 0 when every scenario matches, 1 when one differs, 77 (skipped) when
virsh is not installed or cannot open test:///default.

Scenario files (tests/shell/scenarios/*.scn) are line-based:

    # a comment; the first comment lines describe the scenario
    args: -q -c test:///default     program options (split like a shell would)
    env: NAME=VALUE                 environment for both programs (repeatable)
    file: NAME                      a file written to the scenario directory, up to "end"
    ...
    end
    script:                         the script, given as ONE argument (newlines separate
    list --all                      commands, as ';' does), up to "end"
    end
    argv: dominfo test              or: the words of one command as separate arguments
    stdin:                          or: the script fed on stdin, up to "end"
    end
    mask: REGEX                     matches replaced by <masked> in both outputs
    virsh-sub: /REGEX/REPLACEMENT/ REASON
                                    a deliberate difference: re.sub applied to virsh's
                                    stdout and stderr before comparing (\\n allowed)
    virsh-sub stdout: /REGEX/REPLACEMENT/ REASON
    virsh-sub stderr: /REGEX/REPLACEMENT/ REASON
                                    the same, applied to one of them only
    virsh-rc: N REASON              a deliberate difference in the exit status
    compare: stderr rc REASON       compare only these (of stdout, stderr, rc)
    exact-times: REASON             creation times are compared too (not masked): for
                                    snapshots redefined with a fixed creationTime
    require: PATH                   skip the scenario when PATH does not exist, e.g. a
                                    fixture in ../shared (77 when every one is skipped)

"@DIR@" in args, script, argv, stdin and files stands for the scenario directory,
which is also the working directory of both programs. "@SHARED@" there and in
"require" stands for the project's ../shared folder (data that came from libvirt,
never copied into the repository).

Masks applied to every scenario (lines that differ between any two runs):
  * dominfo's "CPU time:" value: the test driver derives it from the clock;
  * "(Time: N ms)" printed with -t;
  * creation times "YYYY-MM-DD HH:MM:SS +ZZZZ" of snapshots and checkpoints, unless
    the scenario says "exact-times".

vmsh is run through a link named "virsh" because both shells name themselves after
argv[0] in the interactive banner and prompt.
"""

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

GLOBAL_MASKS = [
    (re.compile(r'^(CPU time:\s+)\d+\.\ds$', re.M), r'\1<masked>'),
    (re.compile(r'\(Time: \d+\.\d+ ms\)'), '(Time: <masked> ms)'),
]
TIME_MASK = (re.compile(r'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}'), '<time>')
SHARED_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                          '..', '..', '..', 'shared'))


class Scenario:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.args = []
        self.env = {}
        self.files = {}
        self.mode = 'none'
        self.script = None
        self.masks = []
        self.virsh_subs = []
        self.virsh_rc = None
        self.compare = {'stdout', 'stderr', 'rc'}
        self.exact_times = False
        self.required = []
        self.parse()

    def parse(self):
        with open(self.path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        i = 0

        def block():
            nonlocal i
            body = []
            while i < len(lines) and lines[i] != 'end':
                body.append(lines[i])
                i += 1
            if i == len(lines):
                raise SystemExit(f'{self.path}: block without "end"')
            i += 1
            return '\n'.join(body)

        while i < len(lines):
            line = lines[i]
            i += 1
            if not line.strip() or line.startswith('#'):
                continue
            key, _, value = line.partition(':')
            value = value.strip()
            if key == 'args':
                self.args += shlex.split(value)
            elif key == 'env':
                name, _, val = value.partition('=')
                self.env[name] = val
            elif key == 'file':
                self.files[value] = block() + '\n'
            elif key in ('script', 'stdin'):
                self.mode, self.script = key, block()
            elif key == 'argv':
                self.mode, self.script = 'argv', shlex.split(value)
            elif key == 'mask':
                self.masks.append((re.compile(value, re.M), '<masked>'))
            elif key in ('virsh-sub', 'virsh-sub stdout', 'virsh-sub stderr'):
                m = re.match(r'/((?:[^/\\]|\\.)*)/((?:[^/\\]|\\.)*)/\s+\S', value)
                if not m:
                    raise SystemExit(f'{self.path}: virsh-sub needs /REGEX/REPL/ REASON')
                streams = key.split()[1:] or ['stdout', 'stderr']
                self.virsh_subs.append((re.compile(m.group(1), re.M | re.S),
                                        m.group(2).replace('\\/', '/'), streams))
            elif key == 'virsh-rc':
                words = value.split()
                if len(words) < 2:
                    raise SystemExit(f'{self.path}: virsh-rc needs N REASON')
                self.virsh_rc = int(words[0])
            elif key == 'exact-times':
                if not value:
                    raise SystemExit(f'{self.path}: exact-times needs a reason')
                self.exact_times = True
            elif key == 'require':
                self.required.append(value.replace('@SHARED@', SHARED_DIR))
            elif key == 'compare':
                words = value.split()
                self.compare = {w for w in words if w in ('stdout', 'stderr', 'rc')}
                if len(self.compare) == len(words):
                    raise SystemExit(f'{self.path}: compare needs a reason')
            else:
                raise SystemExit(f'{self.path}: unknown line: {line}')


def run(program, sc, workdir):
    def subst(text):
        return text.replace('@DIR@', workdir).replace('@SHARED@', SHARED_DIR)

    env = {k: v for k, v in os.environ.items()
           if k not in ('VIRSH_DEFAULT_CONNECT_URI', 'LIBVIRT_DEFAULT_URI', 'VIRSH_DEBUG',
                        'VIRSH_LOG_FILE', 'LIBVIRT_DEBUG', 'VSH_DEBUG')}
    env.update({'TZ': 'UTC', 'LC_ALL': 'C', 'HOME': workdir, 'XDG_CACHE_HOME': workdir,
                'XDG_CONFIG_HOME': workdir})
    env.update({k: subst(v) for k, v in sc.env.items()})
    cmd = [program] + [subst(a) for a in sc.args]
    feed = {'stdin': subprocess.DEVNULL}
    if sc.mode == 'script':
        cmd.append(subst(sc.script))
    elif sc.mode == 'argv':
        cmd += [subst(a) for a in sc.script]
    elif sc.mode == 'stdin':
        feed = {'input': subst(sc.script).encode()}
    proc = subprocess.run(cmd, capture_output=True, cwd=workdir, env=env, timeout=120, **feed)
    return proc.stdout.decode(errors='replace'), proc.stderr.decode(errors='replace'), \
        proc.returncode


def normalise(text, sc):
    masks = GLOBAL_MASKS + ([] if sc.exact_times else [TIME_MASK]) + sc.masks
    for rx, repl in masks:
        text = rx.sub(repl, text)
    return text


def show_diff(what, expected, got):
    import difflib
    print(f'--- {what} differs (virsh, then vmsh):')
    for line in difflib.unified_diff(expected.splitlines(True), got.splitlines(True),
                                     'virsh', 'vmsh'):
        sys.stdout.write(line if line.endswith('\n') else line + '\\ no newline\n')


def run_scenario(sc, virsh, vmsh_link):
    with tempfile.TemporaryDirectory(prefix='vmsh-shell-') as workdir:
        results = []
        for program in (virsh, vmsh_link):
            for name, content in sc.files.items():
                with open(os.path.join(workdir, name), 'w', encoding='utf-8') as f:
                    f.write(content.replace('@DIR@', workdir).replace('@SHARED@', SHARED_DIR))
            results.append(run(program, sc, workdir))
        (v_out, v_err, v_rc), (m_out, m_err, m_rc) = results
    v_out, v_err = normalise(v_out, sc), normalise(v_err, sc)
    m_out, m_err = normalise(m_out, sc), normalise(m_err, sc)
    for rx, repl, streams in sc.virsh_subs:
        if 'stdout' in streams:
            v_out = rx.sub(repl, v_out)
        if 'stderr' in streams:
            v_err = rx.sub(repl, v_err)
    if sc.virsh_rc is not None:
        v_rc = sc.virsh_rc
    ok = True
    if 'stdout' in sc.compare and v_out != m_out:
        show_diff('stdout', v_out, m_out)
        ok = False
    if 'stderr' in sc.compare and v_err != m_err:
        show_diff('stderr', v_err, m_err)
        ok = False
    if 'rc' in sc.compare and v_rc != m_rc:
        print(f'--- exit status differs: virsh {v_rc}, vmsh {m_rc}')
        ok = False
    print(f'{"ok  " if ok else "FAIL"} {sc.name}')
    return ok


def virsh_usable(virsh):
    if not virsh:
        return False
    try:
        proc = subprocess.run([virsh, '-c', 'test:///default', 'uri'], capture_output=True,
                              timeout=60, stdin=subprocess.DEVNULL)
    except OSError:
        return False
    return proc.returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--vmsh', required=True)
    ap.add_argument('--virsh', default=shutil.which('virsh'))
    ap.add_argument('scenarios', nargs='+')
    args = ap.parse_args()
    if not virsh_usable(args.virsh):
        print('virsh with the test:///default driver is not available: skipped')
        return 77
    with tempfile.TemporaryDirectory(prefix='vmsh-link-') as linkdir:
        link = os.path.join(linkdir, 'virsh')
        os.symlink(os.path.abspath(args.vmsh), link)
        scenarios = [Scenario(p) for p in args.scenarios]
        runnable = []
        for sc in scenarios:
            missing = [p for p in sc.required if not os.path.exists(p)]
            if missing:
                print(f'skip {sc.name}: {missing[0]} is absent')
            else:
                runnable.append(sc)
        if not runnable:
            return 77
        results = [run_scenario(sc, args.virsh, link) for sc in runnable]
    return 0 if all(results) else 1


if __name__ == '__main__':
    sys.exit(main())
