#!/usr/bin/env python3
"""Generate from api.tbl (its header says what the table holds) the public entry
points, the driver callback slots and the linker version script; with --rpc,
--client or --server, the remote protocol's pieces (apigen_remote.py)."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

HANDLES = {
    # first parameter type: (check helper, expression for the connection)
    'virConnectPtr': ('api_check_conn', '{0}'),
    'virDomainPtr': ('api_check_domain', '{0}->conn'),
    'virDomainSnapshotPtr': ('api_check_snapshot', '{0}->domain->conn'),
    'virDomainCheckpointPtr': ('api_check_checkpoint', '{0}->domain->conn'),
}


class Entry:
    def __init__(self, proto, errdomain, lineno):
        m = re.fullmatch(r'(.+?)\s*\b(vir\w+)\((.*)\)', proto)
        if not m:
            raise SystemExit(f'api.tbl:{lineno}: not a prototype: {proto}')
        self.ret = m.group(1).strip()
        self.name = m.group(2)
        self.params = [] if m.group(3).strip() == 'void' else \
            [p.strip() for p in m.group(3).split(',')]
        self.errdomain = errdomain
        self.checks = []
        self.manual = False
        self.callback = False
        self.via = None
        self.onerror = None
        self.remote = None          # apigen_remote.Remote, or None

    def param_name(self, p):
        return re.search(r'(\w+)\s*$', p).group(1)

    @property
    def args(self):
        return [self.param_name(p) for p in self.params]

    @property
    def slot(self):
        """virDomainSnapshotCreateXML -> domain_snapshot_create_xml"""
        base = self.name[3:]
        words = re.findall(r'[A-Z]+(?=[A-Z][a-z]|$|\d)|[A-Z]?[a-z]+|[A-Z]+|\d+', base)
        return '_'.join(w.lower() for w in words)

    @property
    def is_pointer(self):
        return self.ret.endswith('*') or self.ret.endswith('Ptr')

    @property
    def error_value(self):
        if self.onerror is not None:
            return self.onerror
        return 'NULL' if self.is_pointer else '-1'

    def prototype(self, name):
        params = ', '.join(self.params) if self.params else 'void'
        sep = '' if self.ret.endswith('*') else ' '
        return f'{self.ret}{sep}{name}({params})'


def parse(path, protocol=None):
    """The table's entries; protocol-only lines (proc, event, struct) are appended
    to the list protocol when one is given."""
    import apigen_remote
    entries = []
    errdomain = 'VIR_FROM_NONE'
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            text = line.split('#', 1)[0].rstrip()
            if not text.strip():
                continue
            m = re.fullmatch(r'\[from (\w+)\]', text.strip())
            if m:
                errdomain = m.group(1)
            elif re.match(r'(proc|event|struct) ', text):
                item = apigen_remote.parse_protocol_line(text, lineno)
                if protocol is not None:
                    protocol.append(item)
            elif not line[0].isspace():
                entries.append(Entry(text.strip(), errdomain, lineno))
            else:
                word, *rest = text.split(None, 1)
                e = entries[-1]
                arg = rest[0].strip() if rest else ''
                if word == 'manual':
                    e.manual = True
                elif word == 'callback':
                    e.callback = True
                elif word == 'via':
                    e.via = arg
                elif word == 'onerror':
                    e.onerror = arg
                elif word == 'remote':
                    e.remote = apigen_remote.parse_remote(arg, e, lineno)
                elif word == 'client-after':
                    e.remote.client_after.append(arg)
                elif word in ('readonly', 'secure', 'nonnull', 'nonneg', 'array',
                              'requires', 'exclusive', 'clear', 'zero'):
                    e.checks.append((word, arg.split()))
                else:
                    raise SystemExit(f'api.tbl:{lineno}: unknown directive {word}')
    return entries


def gen_check(e, word, args):
    fn = e.name
    dom = e.errdomain
    if word == 'readonly':
        return [f'    if (!api_check_writable(conn, {dom}, "{fn}"))', '        goto error;']
    if word == 'secure':
        return [f'    if ((flags & {args[0]}) && !api_check_secure(conn, {dom}, "{fn}"))',
                '        goto error;']
    if word == 'nonnull':
        return [f'    if (!{args[0]}) {{',
                f'        api_report_null({dom}, "{fn}", "{args[0]}");',
                '        goto error;', '    }']
    if word == 'nonneg':
        return [f'    if ({args[0]} < 0) {{',
                f'        api_report_negative({dom}, "{fn}", "{args[0]}");',
                '        goto error;', '    }']
    if word == 'array':
        arr, length = args
        return [f'    if (!{arr} && {length} > 0) {{',
                f'        api_report_null({dom}, "{fn}", "{arr}");',
                '        goto error;', '    }',
                f'    if ({length} < 0) {{',
                f'        api_report_negative({dom}, "{fn}", "{length}");',
                '        goto error;', '    }']
    if word == 'requires':
        a, b = args
        return [f'    if ((flags & {a}) && !(flags & {b})) {{',
                f'        api_report_requires({dom}, "{fn}", "{a}", "{b}");',
                '        goto error;', '    }']
    if word == 'exclusive':
        a, b = args
        return [f'    if ((flags & {a}) && (flags & {b})) {{',
                f'        api_report_exclusive({dom}, "{fn}", "{a}", "{b}");',
                '        goto error;', '    }']
    return []


def gen_entry(e):
    first = e.params[0]
    ftype = first.rsplit(None, 1)[0]
    check, connexpr = HANDLES[ftype]
    handle = e.param_name(first)
    out = [e.prototype(e.name), '{']
    if handle != 'conn':
        out.append('    virConnectPtr conn = NULL;')
    ret_decl = e.ret if e.ret.endswith('*') else e.ret + ' '
    out.append(f'    {ret_decl}ret;')
    out.append('')
    out.append('    error_reset();')
    for word, args in e.checks:
        if word == 'clear':
            out.append(f'    if ({args[0]})')
            out.append(f'        *{args[0]} = NULL;')
        elif word == 'zero':
            out.append(f'    if ({args[0]})')
            out.append(f'        memset({args[0]}, 0, sizeof(*{args[0]}));')
    out.append(f'    if (!{check}({handle}, {e.errdomain}, "{e.name}"))')
    out.append(f'        return {e.error_value};')
    if handle != 'conn':
        out.append(f'    conn = {connexpr.format(handle)};')
    for word, args in e.checks:
        out.extend(gen_check(e, word, args))
    if e.via:
        slot, call = e.via.split('(', 1)
        call = f'conn->driver->{slot}({call}'
    else:
        slot = e.slot
        call = f'conn->driver->{slot}({", ".join(e.args)})'
    out.append(f'    if (!conn->driver->{slot}) {{')
    out.append(f'        api_report_unsupported({e.errdomain}, "{e.name}");')
    out.append('        goto error;')
    out.append('    }')
    out.append(f'    ret = {call};')
    if e.is_pointer:
        out.append('    if (!ret)')
    elif e.ret == 'int':
        out.append('    if (ret < 0)')
    else:
        out.append(f'    if (ret == ({e.ret}){e.error_value})')
    out.append('        goto error;')
    out.append('    return ret;')
    out.append('')
    out.append(' error:')
    out.append('    api_dispatch_error(conn);')
    out.append(f'    return {e.error_value};')
    out.append('}')
    return out


def gen_c(entries):
    out = ['/* Generated by apigen.py from api.tbl: do not edit. */',
           '#include <string.h>',
           '#include "api/api.h"', '']
    for e in entries:
        if not e.manual:
            out.extend(gen_entry(e))
            out.append('')
    return '\n'.join(out)


def gen_callbacks(entries):
    out = ['/* Generated by apigen.py from api.tbl: do not edit.',
           ' * Included inside struct vm_driver: one slot per public function the',
           ' * drivers implement, with the public function\'s parameters. */']
    for e in entries:
        if (e.manual and not e.callback) or e.via:
            continue
        params = ', '.join(e.params)
        sep = '' if e.ret.endswith('*') else ' '
        out.append(f'{e.ret}{sep}(*{e.slot})({params});')
    return '\n'.join(out) + '\n'


def gen_syms(entries):
    out = ['/* Generated by apigen.py from api.tbl: only the public API is exported. */',
           'VIRTMOMENT_0.1 {', '  global:']
    for e in sorted(entries, key=lambda e: e.name):
        out.append(f'    {e.name};')
    out.append('    virConnectAuthPtrDefault;')
    out += ['  local:', '    *;', '};']
    return '\n'.join(out) + '\n'


def main():
    if len(sys.argv) > 1 and sys.argv[1] in ('--rpc', '--client', '--server'):
        import apigen_remote
        protocol = []
        entries = parse(sys.argv[2], protocol)
        apigen_remote.generate(sys.argv[1][2:], entries, protocol, sys.argv[3:])
        return
    if len(sys.argv) != 5:
        raise SystemExit('usage: apigen.py api.tbl api-entry.c driver-callbacks.h libvirtmoment.syms')
    entries = parse(sys.argv[1])
    for path, text in zip(sys.argv[2:], (gen_c(entries), gen_callbacks(entries), gen_syms(entries))):
        with open(path, 'w') as f:
            f.write(text)


if __name__ == '__main__':
    main()
