#!/usr/bin/env python3
"""Expected-output shell test: runs one scenario through vmsh alone and compares its
stdout, stderr and exit status with the ones the scenario expects. For what the real
virsh can't show on its test driver (backups, jobs, their events), the expected
outputs are written from virsh 9.0's formats (see expected/README.md).

usage: run-expected.py --vmsh PATH SCENARIO...

Exit status 0 when every scenario matches, 1 when one differs.

Scenario files (tests/shell/expected/*.exp) are line-based:

    # a comment; the first comment lines describe the scenario
    args: -c test://@DIR@/node.xml   program options (split like a shell would)
    env: NAME=VALUE                 environment (repeatable)
    copy: SOURCE [NAME]             expected/SOURCE copied to the scenario directory
                                    (as NAME), @DIR@ replaced
    file: NAME                      a file written to the scenario directory, up to "end"
    ...
    end
    script:                         the script, given as ONE argument, up to "end"
    ...
    end
    argv: WORDS                     or: the words of one command as separate arguments
    mask: REGEX                     matches in the output replaced by <masked>
    stdout:                         the expected standard output, up to "end"
    ...
    end
    stderr:                         the expected standard error, up to "end"
    ...
    end
    rc: N                           the expected exit status (0 if not given)

In the stdout and stderr blocks a "$" ending a line is dropped: it shows where
trailing spaces end. A block that is absent expects nothing. "@DIR@" in args, script,
argv, files and expected outputs stands for the scenario directory, which is also
the working directory.

Masks applied to every scenario's output (values that differ between runs):
  * creation times "YYYY-MM-DD HH:MM:SS +ZZZZ" -> <time>;
  * event timestamps "YYYY-MM-DD HH:MM:SS.mmm+0000" -> <stamp>;
  * elapsed times: "Time elapsed:     N            ms" -> "Time elapsed:     <ms>
    ms" (<ms> padded as N was) and "time_elapsed: N" -> "time_elapsed: <ms>".
"""

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

GLOBAL_MASKS = [
    (re.compile(r'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000'), '<stamp>'),
    (re.compile(r'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}'), '<time>'),
    # the value keeps the width it was printed in, so its padding is still checked
    (re.compile(r'^(Time elapsed:\s+)(\d+ *)( ms)$', re.M),
     lambda m: m.group(1) + '<ms>'.ljust(len(m.group(2))) + m.group(3)),
    (re.compile(r'^(\t?time_elapsed: )\d+$', re.M), r'\1<ms>'),
]


class Scenario:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.args, self.env, self.files, self.copies = [], {}, {}, []
        self.mode, self.script = 'none', None
        self.masks = []
        self.expect = {'stdout': '', 'stderr': '', 'rc': 0}
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
            return body

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
            elif key == 'copy':
                words = value.split()
                self.copies.append((words[0], words[-1]))
            elif key == 'file':
                self.files[value] = '\n'.join(block()) + '\n'
            elif key == 'script':
                self.mode, self.script = key, '\n'.join(block())
            elif key == 'argv':
                self.mode, self.script = 'argv', shlex.split(value)
            elif key == 'mask':
                self.masks.append((re.compile(value, re.M), '<masked>'))
            elif key in ('stdout', 'stderr'):
                body = [b[:-1] if b.endswith('$') else b for b in block()]
                self.expect[key] = ''.join(b + '\n' for b in body)
            elif key == 'rc':
                self.expect['rc'] = int(value)
            else:
                raise SystemExit(f'{self.path}: unknown line: {line}')


def run(vmsh, sc, workdir):
    def subst(text):
        return text.replace('@DIR@', workdir)

    for source, name in sc.copies:
        with open(os.path.join(HERE, 'expected', source), encoding='utf-8') as f:
            content = f.read()
        with open(os.path.join(workdir, name), 'w', encoding='utf-8') as f:
            f.write(subst(content))
    for name, content in sc.files.items():
        with open(os.path.join(workdir, name), 'w', encoding='utf-8') as f:
            f.write(subst(content))
    env = {k: v for k, v in os.environ.items()
           if k not in ('VIRSH_DEFAULT_CONNECT_URI', 'LIBVIRT_DEFAULT_URI', 'VIRSH_DEBUG',
                        'VIRSH_LOG_FILE', 'LIBVIRT_DEBUG', 'VSH_DEBUG')}
    env.update({'TZ': 'UTC', 'LC_ALL': 'C', 'HOME': workdir, 'XDG_CACHE_HOME': workdir,
                'XDG_CONFIG_HOME': workdir})
    env.update({k: subst(v) for k, v in sc.env.items()})
    cmd = [vmsh] + [subst(a) for a in sc.args]
    if sc.mode == 'script':
        cmd.append(subst(sc.script))
    elif sc.mode == 'argv':
        cmd += [subst(a) for a in sc.script]
    proc = subprocess.run(cmd, capture_output=True, cwd=workdir, env=env, timeout=120,
                          stdin=subprocess.DEVNULL)
    return (proc.stdout.decode(errors='replace'), proc.stderr.decode(errors='replace'),
            proc.returncode)


def normalise(text, masks):
    for rx, repl in GLOBAL_MASKS + masks:
        text = rx.sub(repl, text)
    return text


def show_diff(what, expected, got):
    import difflib
    print(f'--- {what} differs (expected, then vmsh):')
    for line in difflib.unified_diff(expected.splitlines(True), got.splitlines(True),
                                     'expected', 'vmsh'):
        sys.stdout.write(line if line.endswith('\n') else line + '\\ no newline\n')


def run_scenario(sc, vmsh):
    with tempfile.TemporaryDirectory(prefix='vmsh-expected-') as workdir:
        out, err, rc = run(vmsh, sc, workdir)
        want_out = sc.expect['stdout'].replace('@DIR@', workdir)
        want_err = sc.expect['stderr'].replace('@DIR@', workdir)
    out, err = normalise(out, sc.masks), normalise(err, sc.masks)
    ok = True
    if out != want_out:
        show_diff('stdout', want_out, out)
        ok = False
    if err != want_err:
        show_diff('stderr', want_err, err)
        ok = False
    if rc != sc.expect['rc']:
        print(f'--- exit status differs: expected {sc.expect["rc"]}, vmsh {rc}')
        ok = False
    print(f'{"ok  " if ok else "FAIL"} {sc.name}')
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--vmsh', required=True)
    ap.add_argument('scenarios', nargs='+')
    args = ap.parse_args()
    vmsh = os.path.abspath(args.vmsh)
    results = [run_scenario(Scenario(p), vmsh) for p in args.scenarios]
    return 0 if all(results) else 1


if __name__ == '__main__':
    sys.exit(main())
