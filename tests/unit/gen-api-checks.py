#!/usr/bin/env python3
"""Write a C test that calls every generated public entry point (src/api/api.tbl) in
each way its checks refuse: a NULL or dead handle, a read-only connection, each
argument that must not be NULL, negative counts, and each flag rule. Every call must
fail with libvirt's code, error domain and message, worded here independently of the
generator. Usage: gen-api-checks.py api.tbl apigen-dir out.c"""

import re
import sys

# How each handle type is refused, as libvirt words it.
HANDLE_ERRORS = {
    'virConnectPtr': ('VIR_ERR_INVALID_CONN', None, 'invalid connection pointer in {f}'),
    'virDomainPtr': ('VIR_ERR_INVALID_DOMAIN', 'VIR_FROM_DOM', 'invalid domain pointer in {f}'),
    'virDomainSnapshotPtr': ('VIR_ERR_INVALID_DOMAIN_SNAPSHOT', 'VIR_FROM_DOMAIN_SNAPSHOT',
                             'Invalid domain snapshot: {f}'),
    'virDomainCheckpointPtr': ('VIR_ERR_INVALID_DOMAIN_CHECKPOINT', 'VIR_FROM_DOMAIN_CHECKPOINT',
                               'Invalid domain checkpoint: {f}'),
}

# A valid value for each parameter type, on the read-write (rw) or read-only (ro)
# connection's objects.
DUMMIES = {
    'virConnectPtr': '{c}',
    'virDomainPtr': '{c}_dom',
    'virDomainSnapshotPtr': '{c}_snap',
    'virDomainCheckpointPtr': '{c}_ckpt',
    'const char *': '"<x/>"',
    'const unsigned char *': 'uuid',
    'char **': 'names',
    'int': '0',
    'unsigned int': '0',
    'unsigned long *': '&ul',
    'int *': '&i',
    'virDomainInfoPtr': '&dinfo',
    'virDomainJobInfoPtr': '&jinfo',
    'virNodeInfoPtr': '&ninfo',
    'virSecurityModelPtr': '&secmodel',
    'virSecurityLabelPtr': '&seclabel',
    'virTypedParameterPtr *': '&params',
    'virDomainPtr **': '&domains',
    'virDomainSnapshotPtr **': '&snaps',
    'virDomainCheckpointPtr **': '&ckpts',
}


def ctype(param):
    return re.sub(r'\s*\w+$', '', param).replace(' *', ' *').strip()


def dummy(param, conn):
    t = ctype(param)
    if t not in DUMMIES:
        raise SystemExit(f'gen-api-checks: no dummy value for {t!r} ({param})')
    return DUMMIES[t].format(c=conn)


def call(e, conn, override=None, flags='0'):
    args = []
    for p in e.params:
        name = e.param_name(p)
        if override and name in override:
            args.append(override[name])
        elif name == 'flags':
            args.append(flags)
        else:
            args.append(dummy(p, conn))
    return f'{e.name}({", ".join(args)})'


def failed(e, expr):
    """A C expression true when the call failed as the API says."""
    if e.is_pointer:
        return f'({expr}) == NULL'
    return f'({expr}) == ({e.ret}){e.error_value}'


def case(e, what, expr, code, domain, message):
    dom = domain or e.errdomain
    msg = message.replace('"', '\\"')
    return [f'    reset();',
            f'    check("{e.name}: {what} fails", {failed(e, expr)});',
            f'    expect_error("{e.name}: {what}", {code}, {dom}, "{msg}");']


def cases(e):
    out = []
    handle = e.params[0]
    htype = ctype(handle)
    hname = e.param_name(handle)
    code, dom, msg = HANDLE_ERRORS[htype]
    out += case(e, f'NULL {hname}', call(e, 'rw', {hname: 'NULL'}), code, dom or e.errdomain,
                msg.format(f=e.name))
    for word, args in e.checks:
        if word == 'readonly':
            out += case(e, 'read-only connection', call(e, 'ro'), 'VIR_ERR_OPERATION_DENIED', None,
                        f'operation forbidden: read only access prevents {e.name}')
        elif word == 'secure':
            out += case(e, 'secure flag read-only', call(e, 'ro', flags=args[0]),
                        'VIR_ERR_OPERATION_DENIED', None, f'operation forbidden: {e.name} with secure flag')
        elif word == 'nonnull':
            out += case(e, f'NULL {args[0]}', call(e, 'rw', {args[0]: 'NULL'}), 'VIR_ERR_INVALID_ARG',
                        None, f'{args[0]} in {e.name} must not be NULL')
        elif word == 'nonneg':
            out += case(e, f'negative {args[0]}', call(e, 'rw', {args[0]: '-1'}), 'VIR_ERR_INVALID_ARG',
                        None, f'{args[0]} in {e.name} must be zero or greater')
        elif word == 'array':
            arr, length = args
            out += case(e, f'NULL {arr} with {length} 1', call(e, 'rw', {arr: 'NULL', length: '1'}),
                        'VIR_ERR_INVALID_ARG', None, f'{arr} in {e.name} must not be NULL')
            out += case(e, f'negative {length}', call(e, 'rw', {length: '-1'}), 'VIR_ERR_INVALID_ARG',
                        None, f'{length} in {e.name} must be zero or greater')
        elif word == 'requires':
            a, b = args
            out += case(e, f'{a} without {b}', call(e, 'rw', flags=a), 'VIR_ERR_INVALID_ARG', None,
                        f"Flag '{b}' is required by flag '{a}'")
        elif word == 'exclusive':
            a, b = args
            out += case(e, f'{a} with {b}', call(e, 'rw', flags=f'{a} | {b}'), 'VIR_ERR_INVALID_ARG', None,
                        f"Flags '{a}' and '{b}' are mutually exclusive")
    return out


PRELUDE = '''/* Generated by gen-api-checks.py from api.tbl: do not edit. */
#include <stdlib.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include "api-test.h"

static virConnectPtr rw, ro;
static virDomainPtr rw_dom, ro_dom;
static virDomainSnapshotPtr rw_snap, ro_snap;
static virDomainCheckpointPtr rw_ckpt, ro_ckpt;
static unsigned char uuid[VIR_UUID_BUFLEN];
static char *names[4];
static unsigned long ul;
static int i;
static virDomainInfo dinfo;
static virDomainJobInfo jinfo;
static virNodeInfo ninfo;
static virSecurityModel secmodel;
static virSecurityLabel seclabel;
static virTypedParameterPtr params;
static virDomainPtr *domains;
static virDomainSnapshotPtr *snaps;
static virDomainCheckpointPtr *ckpts;

static void reset(void)
{
    virResetLastError();
}

static int setup(void)
{
    rw = virConnectOpen("test:///default");
    ro = virConnectOpenReadOnly("test:///default");
    if (!rw || !ro || !(rw_dom = virDomainLookupByName(rw, "test")))
        return -1;
    ro_dom = virDomainLookupByName(ro, "test");
    rw_snap = virDomainSnapshotCreateXML(rw_dom, "<domainsnapshot><name>s</name></domainsnapshot>", 0);
    rw_ckpt = virDomainCheckpointCreateXML(rw_dom, "<domaincheckpoint><name>c</name></domaincheckpoint>", 0);
    ro_snap = virDomainSnapshotLookupByName(ro_dom, "s", 0);
    ro_ckpt = virDomainCheckpointLookupByName(ro_dom, "c", 0);
    return ro_dom && rw_snap && rw_ckpt && ro_snap && ro_ckpt ? 0 : -1;
}
'''


def main():
    tbl, apigen_dir, out = sys.argv[1:4]
    sys.path.insert(0, apigen_dir)
    import apigen  # noqa: E402  (the table's own parser)
    entries = [e for e in apigen.parse(tbl) if not e.manual]
    body = []
    for e in entries:
        body.append(f'static void t_{e.name}(void)\n{{')
        body += cases(e)
        body.append('}\n')
    main_fn = ['int main(void)', '{', '    virSetErrorFunc(NULL, quiet);',
               '    if (setup() < 0) {', '        printf("setup failed: %s\\n", virGetLastErrorMessage());',
               '        return 1;', '    }']
    main_fn += [f'    t_{e.name}();' for e in entries]
    main_fn += ['    return finish();', '}']
    with open(out, 'w') as f:
        f.write(PRELUDE + '\n' + '\n'.join(body) + '\n' + '\n'.join(main_fn) + '\n')


if __name__ == '__main__':
    main()
