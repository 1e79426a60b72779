#!/usr/bin/env python3
"""libvirtmoment.so exports exactly the public API: every function and variable the
public headers declare, and nothing else."""

import pathlib
import re
import subprocess
import sys


def declared(include_dir):
    names = set()
    for h in pathlib.Path(include_dir, 'libvirt').glob('*.h'):
        text = re.sub(r'/\*.*?\*/', '', h.read_text(), flags=re.S)
        text = re.sub(r'#define[^\n]*(\\\n[^\n]*)*', '', text)
        # prototypes: an identifier followed by '(' at statement level, not a typedef
        for stmt in text.split(';'):
            stmt = stmt.strip()
            if stmt.startswith('typedef') or '{' in stmt:
                stmt = stmt.rsplit('}', 1)[-1]
                if not stmt.strip() or stmt.strip().startswith('typedef'):
                    continue
            m = re.search(r'\b(vir\w+)\s*\(', stmt)
            if m and not stmt.lstrip().startswith('typedef'):
                names.add(m.group(1))
            m = re.match(r'(extern|VIR_EXPORT_VAR)\s+.*\b(vir\w+)\s*$', stmt.replace('\n', ' '))
            if m:
                names.add(m.group(2))
    return names


def exported(lib):
    out = subprocess.run(['nm', '-D', '--defined-only', lib], check=True,
                         capture_output=True, text=True).stdout
    return {line.split()[-1].split('@')[0] for line in out.splitlines()
            if line.split()[-2] in 'TDBR' and not line.split()[-1].startswith('VIRTMOMENT')}


def main():
    lib, include_dir = sys.argv[1], sys.argv[2]
    want = declared(include_dir)
    have = exported(lib)
    errors = [f'declared but not exported: {n}' for n in sorted(want - have)]
    errors += [f'exported but not public: {n}' for n in sorted(have - want)]
    for e in errors:
        print(e)
    print(f'{len(want)} public symbols, {len(errors)} problems')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
