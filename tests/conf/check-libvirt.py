#!/usr/bin/env python3
"""Differential test: each domainxml2xml input, defined on the real libvirt's test
driver (test:///default) and read back with VIR_DOMAIN_XML_INACTIVE, must equal our
output for it, except for the deliberate differences listed below with their reason.
Skipped (77) when python3-libvirt is not installed."""

import os
import re
import subprocess
import sys

try:
    import libvirt
except ImportError:
    # meson may run us with another python than the system's, which has the bindings
    if os.path.exists('/usr/bin/python3') and os.path.realpath(sys.executable) != '/usr/bin/python3' \
            and not os.environ.get('VIRTMOMENT_REEXEC'):
        os.environ['VIRTMOMENT_REEXEC'] = '1'
        os.execv('/usr/bin/python3', ['/usr/bin/python3'] + sys.argv)
    print('python3-libvirt is not installed')
    sys.exit(77)

# file -> [(reason, pattern in our output, replacement)]: applied to our output, the
# result must be libvirt's. Patterns are regular expressions (re.S).
UNKNOWN_KEPT = 'libvirt drops XML it does not know; virtmoment keeps it so nothing is lost'
DIFFERENCES = {
    'unknown.xml': [
        (UNKNOWN_KEPT, r" xmlns:vendor='http://example\.org/vendor' vendor:flag='1'", ''),
        (UNKNOWN_KEPT, r" (futuristic|drift|wobble|turbo|colour|lane|speed)='[^']*'", ''),
        (UNKNOWN_KEPT, r"\n *<quantum-loader>.*?</quantum-loader>", ''),
        (UNKNOWN_KEPT, r"\n *<frobnicator.*?</frobnicator>", ''),
        (UNKNOWN_KEPT, r"\n *<vendor:(tag|extension).*?</vendor:\1>", ''),
        (UNKNOWN_KEPT, r"\n *<(hint|sparkle|gizmo|hologram)[^>]*/>", ''),
        (UNKNOWN_KEPT, r"(<source file='/images/unknown\.img')>\s*</source>", r'\1/>'),
    ],
    'namespaces.xml': [
        ('the test driver has no qemu namespace and drops <qemu:commandline>; '
         'virtmoment keeps foreign namespaces whatever the driver',
         r" xmlns:qemu='[^']*'|\n *<qemu:commandline>.*</qemu:commandline>", ''),
    ],
    'devices-smartcard.xml': [
        ('libvirt adds an implicit ccid controller and a ccid address to smartcards; '
         'virtmoment does not model smartcards and keeps them as written',
         r"(\n *<controller type='virtio-serial' index='0'/>)", r"\1\n    <controller type='ccid' index='0'/>"),
        ('(same)', r"<smartcard mode='host'/>",
         "<smartcard mode='host'>\n      <address type='ccid' controller='0' slot='0'/>\n    </smartcard>"),
        ('libvirt writes an empty <redirdev> with an open and a close tag; '
         'virtmoment keeps unmodelled elements in the canonical short form',
         r"<redirdev bus='usb' type='spicevmc'/>", "<redirdev bus='usb' type='spicevmc'>\n    </redirdev>"),
    ],
}
# Inputs whose libvirt output is not stable: libvirt sorts disks by the bus as written
# (before giving bus-less disks their default bus), leaves controllers without index=
# where they were and appends implicit controllers, so defining its own output again
# reorders them. virtmoment produces that second, stable order at once: for these
# inputs libvirt's output is defined a second time before comparing.
SECOND_PASS = {'controllers.xml', 'disks-file.xml', 'disks-order.xml', 'disks-removable.xml'}
# Inputs libvirt cannot take as a definition.
SKIP = {
    'status-live.xml': 'status XML (aliases, pty paths, indexes) is not a definition',
}


def ours(tool, path, secure):
    args = [tool, path] + (['--secure'] if secure else [])
    return subprocess.run(args, capture_output=True, text=True).stdout


def theirs(conn, xml, secure, passes=1):
    flags = libvirt.VIR_DOMAIN_XML_INACTIVE | (libvirt.VIR_DOMAIN_XML_SECURE if secure else 0)
    for _ in range(passes):
        try:
            dom = conn.defineXML(xml)
        except libvirt.libvirtError as e:
            return 'ERR %d %d %s\n' % (e.get_error_code(), e.get_error_domain(), e.get_error_message())
        try:
            xml = dom.XMLDesc(flags)
        finally:
            dom.undefine()
    return xml


def main():
    tool, base = sys.argv[1], sys.argv[2]
    libvirt.registerErrorHandler(lambda *a: None, None)
    conn = libvirt.open('test:///default')
    failed = 0
    for name in sorted(os.listdir(os.path.join(base, 'in'))):
        if not name.endswith('.xml'):
            continue
        if name in SKIP:
            print('skip: %s (%s)' % (name, SKIP[name]))
            continue
        path = os.path.join(base, 'in', name)
        secure = name.endswith('-secure.xml')
        mine = ours(tool, path, secure)
        real = theirs(conn, open(path).read(), secure, 2 if name in SECOND_PASS else 1)
        for reason, pattern, repl in DIFFERENCES.get(name, []):
            mine = re.sub(pattern, repl, mine, flags=re.S)
        if mine == real:
            print('ok: %s' % name)
            continue
        failed += 1
        print('FAIL: %s' % name)
        import difflib
        for line in difflib.unified_diff(real.splitlines(), mine.splitlines(), 'libvirt', 'virtmoment',
                                         lineterm=''):
            print('  ' + line)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
