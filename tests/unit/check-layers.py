#!/usr/bin/env python3
"""The include rules of DESIGN.md §2: each layer includes only layers below it.
Fails listing every #include that crosses a boundary the wrong way."""

import pathlib
import re
import sys

# For each folder (longest prefix wins): the internal folders it may include from.
ALLOWED = {
    'src/util': ['util'],
    'src/conf': ['util', 'conf'],
    'src/handle': ['util', 'conf', 'handle', 'driver', 'event'],
    'src/driver': ['util', 'conf', 'handle', 'driver', 'event'],
    'src/event': ['util', 'handle', 'event'],
    'src/drivers/common': ['util', 'conf', 'handle', 'driver', 'drivers/common'],
    'src/drivers/test': ['util', 'conf', 'handle', 'driver', 'event', 'drivers/common', 'drivers/test'],
    'src/drivers/qemu': ['util', 'conf', 'handle', 'driver', 'event', 'drivers/common', 'drivers/qemu'],
    'src/drivers/remote': ['util', 'conf', 'handle', 'driver', 'event', 'rpc', 'drivers/common',
                           'drivers/remote'],
    'src/drivers/registry': ['driver', 'drivers/test', 'drivers/qemu', 'drivers/remote'],
    'src/rpc': ['util', 'rpc'],
    'src/api': ['util', 'handle', 'driver', 'event', 'api'],
    'daemon': ['util', 'conf', 'handle', 'driver', 'event', 'rpc', 'drivers', 'daemon'],
    'tools/vmsh': [],
}


def owner(rel):
    best = None
    for prefix in ALLOWED:
        if rel.startswith(prefix) and (best is None or len(prefix) > len(best)):
            best = prefix
    return best


def target_layer(inc):
    """"util/error.h" -> util; "driver.h" -> driver; "drivers/test/x.h" -> drivers/test"""
    inc = inc.removesuffix('.h')
    if inc.startswith('drivers/'):
        parts = inc.split('/')
        return '/'.join(parts[:2]) if len(parts) > 2 else inc
    return inc.split('/')[0]


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else '.')
    bad = []
    for path in sorted(list(root.glob('src/**/*.[ch]')) + list(root.glob('daemon/**/*.[ch]')) +
                       list(root.glob('tools/**/*.[ch]'))):
        rel = path.relative_to(root).as_posix()
        layer = owner(rel)
        if layer is None:
            bad.append(f'{rel}: not in any layer of DESIGN.md §2')
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not m or m.group(1) == 'driver-callbacks.h' or m.group(1).startswith('cmd'):
                continue
            tl = target_layer(m.group(1))
            if tl.split('/')[0] == 'drivers' and 'drivers' in ALLOWED[layer]:
                continue            # 'drivers' allows every driver (the daemon hosts them)
            if tl not in ALLOWED[layer] and not (layer == 'tools/vmsh' and '/' not in m.group(1)):
                bad.append(f'{rel}:{n}: {layer} may not include "{m.group(1)}"')
    for b in bad:
        print(b)
    print(f'{len(bad)} include rule violations')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
