#!/usr/bin/env python3
"""Runs the metadata benchmark against libvirt and virtmoment at several N and prints
per-operation times, the libvirt/virtmoment ratio and virtmoment's growth from the
second largest to the largest N (of the total time, so linear growth from 1,000 to
10,000 prints x10). virtmoment runs three times per N and each row takes its median
time (one run lasts under a second, so a single busy moment of a shared machine would
otherwise decide a row); libvirt runs once per N (at N = 10,000 it takes minutes).
Usage: bench/run.py [BUILD_DIR] [N...]"""

import collections
import os
import subprocess
import sys


def run(binary, n):
    out = subprocess.run([binary, str(n)], check=True, capture_output=True, text=True).stdout
    rows = {}
    for line in out.splitlines():
        kind, shape, op, _, seconds, items = line.split()
        rows[(kind, shape, op)] = (float(seconds), int(items))
    return rows


def median_of(runs):
    return {key: (sorted(r[key][0] for r in runs)[len(runs) // 2], runs[0][key][1])
            for key in runs[0]}


def fmt(seconds, items):
    per = seconds / max(items, 1)
    if items == 1:
        return f'{seconds * 1e3:.3f} ms'
    return f'{per * 1e6:.2f} µs/op'


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else 'build'
    sizes = [int(a) for a in sys.argv[2:]] or [100, 1000, 10000]
    ours = os.path.join(build, 'bench', 'bench-moments-virtmoment')
    theirs = os.path.join(build, 'bench', 'bench-moments-libvirt')
    have_libvirt = os.path.exists(theirs)
    results = collections.defaultdict(dict)
    for n in sizes:
        results['virtmoment'][n] = median_of([run(ours, n) for _ in range(3)])
        if have_libvirt:
            results['libvirt'][n] = run(theirs, n)

    big, small = sizes[-1], sizes[0]
    print(f'| kind | shape | operation | N | libvirt 9.0 | virtmoment | speed-up | virtmoment growth {sizes[-2] if len(sizes) > 1 else small}→{big} (total time) |')
    print('|---|---|---|---|---|---|---|---|')
    mid = sizes[-2] if len(sizes) > 1 else small
    for key in results['virtmoment'][big]:
        for n in sizes:
            s, items = results['virtmoment'][n][key]
            lv = results['libvirt'].get(n, {}).get(key) if have_libvirt else None
            ratio = f'{lv[0] / s:.0f}x' if lv and s > 0 else '—'
            growth = ''
            if n == big and mid in results['virtmoment']:
                s_mid = results['virtmoment'][mid][key][0]
                growth = f'x{s / s_mid:.1f}' if s_mid > 0 else ''
            print(f'| {key[0]} | {key[1]} | {key[2]} | {n} | {fmt(*lv) if lv else "—"} | {fmt(s, items)} | {ratio} | {growth} |')


if __name__ == '__main__':
    main()
