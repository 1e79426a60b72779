"""The remote protocol's pieces generated from api.tbl (apigen.py --rpc/--client/
--server): the wire structs and their codec descriptors (src/rpc), the remote
driver's client stubs (src/drivers/remote) and the daemon's dispatch table (daemon/).

An entry's `remote NUM (ARGS) -> (RET) [client-manual] [server-manual]` gives its
procedure number and XDR layout; `proc`, `event` and `struct` lines describe the
procedures, event messages and structs that have no public function. A field is
NAME:TYPE with TYPE one of int u32 hyper u64 str str? uuid D D? S C N? TP<n>
char[n] char<n> or an array int<n> str<n> D<n> S<n> C<n>.

How a public function maps onto its procedure (both directions follow it):
  * the parameters that are inputs fill ARGS in order (a virConnectPtr is
    implicit); a handle (virDomainPtr ...) is D, S or C;
  * outputs fill from RET in order: int */unsigned long * take one field; a struct
    pointer (virDomainInfoPtr ...) takes every remaining field, by member name;
    `virTypedParameterPtr *params, int *nparams` takes one TP field;
    `virXPtr **list` takes an ARGS field (need_results) and a RET array;
    `char **names` takes a RET array (its length parameter is an input);
  * what is left in RET is the return value: a handle, a string or a number; a D
    left over by a function returning int refreshes the first handle's id.
"""

import re

PROCNAME = 'RPC_PROC_'
HANDLE_KINDS = {'virDomainPtr': 'D', 'virDomainSnapshotPtr': 'S',
                'virDomainCheckpointPtr': 'C'}
SCALARS = {'int': ('RPC_INT', 'int32_t'), 'u32': ('RPC_UINT', 'uint32_t'),
           'hyper': ('RPC_HYPER', 'int64_t'), 'u64': ('RPC_UHYPER', 'uint64_t'),
           'str': ('RPC_STRING', 'char *'), 'str?': ('RPC_OPT_STRING', 'char *'),
           'D': ('RPC_DOMAIN', 'rpc_domain '), 'D?': ('RPC_OPT_DOMAIN', 'rpc_domain *'),
           'S': ('RPC_MOMENT', 'rpc_moment '), 'C': ('RPC_MOMENT', 'rpc_moment '),
           'N?': ('RPC_OPT_NETWORK', 'rpc_network *')}
ELEMS = {'int': 'RPC_INT', 'str': 'RPC_STRING', 'D': 'RPC_DOMAIN', 'S': 'RPC_MOMENT',
         'C': 'RPC_MOMENT'}


class Field:
    def __init__(self, spec, where):
        name, _, typ = spec.partition(':')
        self.name, self.type = name, typ
        self.elem, self.max = None, 0
        m = re.fullmatch(r'(\w+)([<\[])(\d+)[>\]]', typ)
        if typ in SCALARS or typ == 'uuid':
            self.base = typ
        elif m and m.group(1) == 'TP' and m.group(2) == '<':
            self.base, self.max = 'TP', int(m.group(3))
        elif m and m.group(1) == 'char':
            self.base = 'char[]' if m.group(2) == '[' else 'char<>'
            self.max = int(m.group(3))
        elif m and m.group(2) == '<' and m.group(1) in ELEMS:
            self.base, self.elem, self.max = 'array', m.group(1), int(m.group(3))
        else:
            raise SystemExit(f'{where}: unknown wire type {typ!r}')

    def kind(self):
        if self.base in SCALARS:
            return SCALARS[self.base][0], '0'
        return {'uuid': ('RPC_UUID', '0'), 'TP': ('RPC_TPARAMS', '0'),
                'char[]': ('RPC_CHARS_FIXED', '0'), 'char<>': ('RPC_CHARS', '0'),
                'array': ('RPC_ARRAY', ELEMS.get(self.elem, '0'))}[self.base]

    def c_decl(self):
        if self.base in SCALARS:
            ctype = SCALARS[self.base][1]
            return f'{ctype}{"" if ctype.endswith("*") else " "}{self.name};'.replace('  ', ' ')
        if self.base == 'uuid':
            return f'unsigned char {self.name}[RPC_UUID_LEN];'
        if self.base == 'char[]':
            return f'char {self.name}[{self.max}];'
        return {'TP': 'rpc_tparams', 'char<>': 'rpc_chars', 'array': 'rpc_array'}[self.base] + \
            f' {self.name};'


def parse_fields(text, where):
    return [Field(f, where) for f in text.split()]


class Proc:
    """One procedure, event message or struct of the protocol."""

    def __init__(self, what, num, name, args, ret, where):
        self.what, self.num, self.name = what, num, name
        self.args = parse_fields(args, where) if args is not None else None
        self.ret = parse_fields(ret, where) if ret is not None else None
        self.client_manual = self.server_manual = what != 'api'
        self.client_after = []
        self.entry = None

    def struct(self, part):
        base = self.name.lower() if self.what == 'struct' else f'rpc_{self.name.lower()}'
        return base if self.what == 'struct' else f'{base}_{part}'

    def parts(self):
        if self.what == 'struct':
            return [(None, self.args)]
        if self.what == 'event':
            return [('msg', self.args)]
        return [('args', self.args), ('ret', self.ret)]


def parse_protocol_line(text, lineno):
    where = f'api.tbl:{lineno}'
    m = re.fullmatch(r'proc (\d+) (\w+) \((.*?)\) -> \((.*?)\)', text)
    if m:
        return Proc('proc', int(m.group(1)), m.group(2), m.group(3), m.group(4), where)
    m = re.fullmatch(r'event (\d+) (\w+) \((.*?)\)', text)
    if m:
        return Proc('event', int(m.group(1)), m.group(2), m.group(3), None, where)
    m = re.fullmatch(r'struct (\w+) \((.*?)\)', text)
    if m:
        return Proc('struct', None, m.group(1), m.group(2), None, where)
    raise SystemExit(f'{where}: malformed protocol line: {text}')


def parse_remote(arg, entry, lineno):
    where = f'api.tbl:{lineno}'
    m = re.fullmatch(r'(\d+) \((.*?)\) -> \((.*?)\)((?: [\w-]+)*)', arg)
    if not m:
        raise SystemExit(f'{where}: malformed remote directive: {arg}')
    p = Proc('api', int(m.group(1)), entry.slot.upper(), m.group(2), m.group(3), where)
    words = m.group(4).split()
    p.client_manual = 'client-manual' in words or entry.manual or bool(entry.via)
    p.server_manual = 'server-manual' in words
    p.entry = entry
    return p


def all_procs(entries, protocol):
    procs = [e.remote for e in entries if e.remote] + protocol
    seen = {}
    for p in procs:
        if p.num is not None:
            if p.num in seen:
                raise SystemExit(f'procedure {p.num} twice: {seen[p.num]} and {p.name}')
            seen[p.num] = p.name
    return procs


# --- src/rpc: the structs, descriptors and the procedure table -------------------

def gen_rpc_header(procs):
    out = ['/* Generated by apigen.py from api.tbl: do not edit.',
           ' * The remote protocol\'s procedures and their args/ret structs. */',
           '#pragma once', '', '#include "rpc/rpc_types.h"', '', 'enum {']
    for p in sorted((p for p in procs if p.num is not None), key=lambda p: p.num):
        out.append(f'    {PROCNAME}{p.name} = {p.num},')
    out += ['};', '']
    for p in procs:
        for part, fields in p.parts():
            if not fields:
                continue
            name = p.struct(part)
            out.append('typedef struct {')
            out += [f'    {f.c_decl()}' for f in fields]
            out += [f'}} {name};', f'extern const rpc_struct {name}_type;', '']
    out += ['typedef struct {', '    int32_t num;', '    const char *name;',
            '    const rpc_struct *args;      /* NULL: void; events: the message */',
            '    const rpc_struct *ret;', '    bool message;               /* an event message */',
            '} rpc_proc_info;', '',
            '/* The procedure numbered num, or NULL. */',
            'const rpc_proc_info *rpc_proc_lookup(int32_t num);',
            '/* Every procedure, by number; *ret_n of them. */',
            'const rpc_proc_info *rpc_proc_all(size_t *ret_n);', '']
    return '\n'.join(out)


def gen_rpc_source(procs, header):
    out = ['/* Generated by apigen.py from api.tbl: do not edit. */',
           '#include <stddef.h>', f'#include "{header}"', '']
    for p in procs:
        for part, fields in p.parts():
            if not fields:
                continue
            name = p.struct(part)
            out.append(f'static const rpc_field {name}_fields[] = {{')
            for f in fields:
                kind, elem = f.kind()
                out.append(f'    {{ "{f.name}", {kind}, {elem}, {f.max}, offsetof({name}, {f.name}) }},')
            out += ['};', f'const rpc_struct {name}_type = {{',
                    f'    "{name}", sizeof({name}), {name}_fields, G_N_ELEMENTS({name}_fields)',
                    '};', '']
    out.append('static const rpc_proc_info procs[] = {')
    for p in sorted((p for p in procs if p.num is not None), key=lambda p: p.num):
        refs = []
        for part, fields in p.parts():
            refs.append(f'&{p.struct(part)}_type' if fields else 'NULL')
        if p.what == 'event':
            refs.append('NULL')
        msg = 'true' if p.what == 'event' else 'false'
        out.append(f'    {{ {p.num}, "{p.name}", {refs[0]}, {refs[1]}, {msg} }},')
    out += ['};', '',
            'const rpc_proc_info *rpc_proc_lookup(int32_t num)',
            '{',
            '    size_t lo = 0, hi = G_N_ELEMENTS(procs);', '',
            '    while (lo < hi) {',
            '        size_t mid = (lo + hi) / 2;',
            '        if (procs[mid].num == num)',
            '            return &procs[mid];',
            '        if (procs[mid].num < num)',
            '            lo = mid + 1;',
            '        else',
            '            hi = mid;',
            '    }',
            '    return NULL;',
            '}', '',
            'const rpc_proc_info *rpc_proc_all(size_t *ret_n)',
            '{',
            '    *ret_n = G_N_ELEMENTS(procs);',
            '    return procs;',
            '}', '']
    return '\n'.join(out)


# --- how a public function's parameters map onto the wire -----------------------

class Param:
    def __init__(self, decl, name):
        self.decl, self.name = decl, name
        self.type = decl[:decl.rfind(name)].strip()
        self.role = None        # conn handle in out struct list names tparams nparams
        self.arg = None         # the args field it fills or reads
        self.res = None         # the ret field (or fields, for struct)


def map_params(e):
    p = e.remote
    params = [Param(d, e.param_name(d)) for d in e.params]
    args, rets = list(p.args), list(p.ret)
    where = f'{e.name}'
    for i, q in enumerate(params):
        t = q.type
        if i == 0 and t == 'virConnectPtr':
            q.role = 'conn'
        elif re.fullmatch(r'vir\w+Ptr \*\*', t.replace('**', ' **')) or t.endswith('**') and 'Ptr' in t:
            q.role, q.arg, q.res = 'list', args.pop(0), rets.pop(0)
        elif t == 'char **':
            q.role, q.res = 'names', rets.pop(0)
        elif t == 'virTypedParameterPtr *':
            q.role, q.res = 'tparams', rets.pop(0)
        elif t == 'int *' and q.name == 'nparams':
            q.role = 'nparams'
        elif t in ('int *', 'unsigned int *', 'unsigned long *', 'unsigned long long *'):
            q.role, q.res = 'out', rets.pop(0)
        elif re.fullmatch(r'vir\w+(Info|Model|Label)Ptr', t):
            q.role, q.res, rets = 'struct', rets, []
        else:
            q.role, q.arg = ('handle' if t in HANDLE_KINDS else 'in'), args.pop(0)
    if args:
        raise SystemExit(f'{where}: args fields left unmapped: {[f.name for f in args]}')
    if len(rets) > 1:
        raise SystemExit(f'{where}: ret fields left unmapped: {[f.name for f in rets]}')
    return params, (rets[0] if rets else None)


def handle_conn(params):
    q = params[0]
    return {'virConnectPtr': q.name, 'virDomainPtr': f'{q.name}->conn',
            'virDomainSnapshotPtr': f'{q.name}->domain->conn',
            'virDomainCheckpointPtr': f'{q.name}->domain->conn'}[q.type]


def handle_domain(params):
    """An expression for the domain handle moments returned belong to."""
    q = params[0]
    return {'virDomainPtr': q.name, 'virDomainSnapshotPtr': f'{q.name}->domain',
            'virDomainCheckpointPtr': f'{q.name}->domain'}.get(q.type)


def moment_kind(field):
    return {'S': 'snapshot', 'C': 'checkpoint'}.get(field.elem or field.base)


# --- the remote driver's stubs --------------------------------------------------

def client_stub(e):
    p = e.remote
    params, left = map_params(e)
    out = [f"static {e.prototype('remote_' + e.slot)}", "{"]
    conn = handle_conn(params)
    st = p.struct('args') if p.args else None
    rt = p.struct('ret') if p.ret else None
    out.append(f'    {st} args;' if st else '    void *args = NULL;')
    out.append(f'    {rt} ret;' if rt else '    void *ret = NULL;')
    ret_decl = e.ret if e.ret.endswith('*') else e.ret + ' '
    out += [f'    {ret_decl}result = 0;', '']
    if st:
        out.append('    memset(&args, 0, sizeof(args));')
    for q in params:
        f = q.arg
        if q.role == 'handle':
            kind = HANDLE_KINDS[q.type]
            fn = 'remote_domain_to_wire' if kind == 'D' else 'remote_moment_to_wire'
            if kind == 'D':
                out.append(f'    {fn}({q.name}, &args.{f.name});')
            else:
                out.append(f'    {fn}({q.name}->name, {q.name}->domain, &args.{f.name});')
        elif q.role == 'in' and f.base == 'uuid':
            out.append(f'    memcpy(args.{f.name}, {q.name}, RPC_UUID_LEN);')
        elif q.role == 'in' and f.base in ('str', 'str?'):
            out.append(f'    args.{f.name} = (char *){q.name};')
        elif q.role == 'in':
            out.append(f'    args.{f.name} = {q.name};')
        elif q.role == 'list':
            out.append(f'    args.{f.name} = {q.name} != NULL;')
    out.append(f'    if (remote_call({conn}, {PROCNAME}{p.name}, {"&args" if st else "args"}, '
               f'{"&ret" if rt else "ret"}) < 0)')
    out.append(f'        return {e.error_value};')
    dom = handle_domain(params)
    for q in params:
        if q.role == 'out':
            out += [f'    if ({q.name})', f'        *{q.name} = ret.{q.res.name};']
        elif q.role == 'struct':
            for f in q.res:
                if f.base == 'char[]':
                    out.append(f'    memcpy({q.name}->{f.name}, ret.{f.name}, sizeof({q.name}->{f.name}));')
                elif f.base == 'char<>':
                    out.append(f'    g_strlcpy({q.name}->{f.name}, ret.{f.name}.data, sizeof({q.name}->{f.name}));')
                else:
                    out.append(f'    {q.name}->{f.name} = ret.{f.name};')
        elif q.role == 'tparams':
            nparams = next(x.name for x in params if x.role == 'nparams')
            out += [f'    *{q.name} = g_steal_pointer(&ret.{q.res.name}.params);',
                    f'    *{nparams} = (int)ret.{q.res.name}.n;',
                    f'    ret.{q.res.name}.n = 0;']
        elif q.role == 'list':
            mk = moment_kind(q.res)
            owner = 'conn' if not mk else dom
            out.append(f'    if ({q.name})')
            out.append(f'        *{q.name} = remote_{mk or "domain"}_list_from_wire({owner}, &ret.{q.res.name});')
        elif q.role == 'names':
            size = params[params.index(q) + 1].name
            out += [f'    result = remote_names_from_wire(&ret.{q.res.name}, {q.name}, {size});']
    if left is not None:
        if left.base == 'D' and e.ret == 'int':
            out.append(f'    {params[0].name}->id = ret.{left.name}.id;')
        elif left.base == 'D':
            out.append(f'    result = remote_domain_from_wire({conn}, &ret.{left.name});')
        elif moment_kind(left):
            out.append(f'    result = remote_{moment_kind(left)}_from_wire({dom}, &ret.{left.name});')
        elif left.base == 'str':
            out.append(f'    result = g_steal_pointer(&ret.{left.name});')
        else:
            out.append(f'    result = ret.{left.name};')
    out += [f'    {c}' for c in p.client_after]
    if rt:
        out.append(f'    rpc_free(&{rt}_type, &ret);')
    out += ['    return result;', '}']
    return out


def gen_client(entries, protocol):
    out = ['/* Generated by apigen.py from api.tbl: do not edit.',
           ' * The remote driver\'s callbacks that are one procedure call each. */',
           '#include <string.h>', '#include "drivers/remote/remote_driver.h"', '']
    fills = []
    for e in entries:
        if not e.remote or e.remote.client_manual:
            continue
        out += client_stub(e) + ['']
        fills.append(f'    drv->{e.slot} = remote_{e.slot};')
    out += ['void remote_stubs_fill(vm_driver *drv)', '{'] + fills + ['}', '']
    return '\n'.join(out)


# --- the daemon's dispatch ------------------------------------------------------

def server_stub(e):
    p = e.remote
    params, left = map_params(e)
    st = p.struct('args') if p.args else None
    rt = p.struct('ret') if p.ret else None
    fn = f'dispatch_{e.slot}'
    out = [f'static int {fn}(daemon_client *client, virConnectPtr conn, void *a, void *r)', '{']
    out.append(f'    {st} *args = a;' if st else '    (void)a;')
    out.append(f'    {rt} *ret = r;' if rt else '    (void)r;')
    ret_decl = e.ret if e.ret.endswith('*') else e.ret + ' '
    out.append(f'    {ret_decl}result;')
    call = []
    cleanup = []
    pre = []
    for q in params:
        f = q.arg
        if q.role == 'conn':
            call.append('conn')
        elif q.role == 'handle':
            kind = HANDLE_KINDS[q.type]
            if kind == 'D':
                out.append(f'    virDomainPtr {q.name} = daemon_domain_from_wire(conn, &args->{f.name});')
                cleanup.append(f'    handle_domain_unref({q.name});')
            else:
                mk = {'S': 'snapshot', 'C': 'checkpoint'}[kind]
                out.append(f'    {q.type} {q.name} = daemon_{mk}_from_wire(conn, &args->{f.name});')
                cleanup.append(f'    handle_{mk}_unref({q.name});')
            call.append(q.name)
        elif q.role == 'in':
            call.append(f'args->{f.name}')
        elif q.role == 'out':
            out.append(f'    {q.type[:-1].strip()} {q.name} = 0;')
            call.append(f'&{q.name}')
        elif q.role == 'struct':
            out.append(f'    {q.type[:-3]} {q.name};')
            pre.append(f'    memset(&{q.name}, 0, sizeof({q.name}));')
            call.append(f'&{q.name}')
        elif q.role == 'tparams':
            out.append(f'    virTypedParameterPtr {q.name} = NULL;')
            call.append(f'&{q.name}')
        elif q.role == 'nparams':
            out.append(f'    int {q.name} = 0;')
            call.append(f'&{q.name}')
        elif q.role == 'list':
            out.append(f'    {q.type[:-1].strip()} {q.name} = NULL;')
            call.append(f'args->{f.name} ? &{q.name} : NULL')
        elif q.role == 'names':
            size = params[params.index(q) + 1].arg.name
            out.append(f'    char **{q.name} = NULL;')
            call.append(q.name)
            pre += [f'    if (!daemon_names_alloc(args->{size}, {q.res.max}, &{q.name}))',
                    f'        return -1;']
    out += [''] + pre
    out.append(f'    result = vir{e.name[3:]}({", ".join(call)});')
    if e.is_pointer:
        fail = '!result'
    elif e.ret == 'int':
        fail = 'result < 0'
    else:
        fail = f'result == ({e.ret}){e.error_value} && virGetLastError()'
    fill = []
    for q in params:
        if q.role == 'out':
            fill.append(f'        ret->{q.res.name} = {q.name};')
        elif q.role == 'struct':
            for f in q.res:
                if f.base == 'char[]':
                    fill.append(f'        memcpy(ret->{f.name}, {q.name}.{f.name}, sizeof(ret->{f.name}));')
                elif f.base == 'char<>':
                    fill.append(f'        daemon_chars_to_wire({q.name}.{f.name}, &ret->{f.name});')
                else:
                    fill.append(f'        ret->{f.name} = {q.name}.{f.name};')
        elif q.role == 'tparams':
            nparams = next(x.name for x in params if x.role == 'nparams')
            fill += [f'        ret->{q.res.name}.params = g_steal_pointer(&{q.name});',
                     f'        ret->{q.res.name}.n = (uint32_t){nparams};']
        elif q.role == 'list':
            mk = moment_kind(q.res) or 'domain'
            fill.append(f'        daemon_{mk}_list_to_wire({q.name}, result, &ret->{q.res.name});')
        elif q.role == 'names':
            fill += [f'        ret->{q.res.name}.items = g_steal_pointer(&{q.name});',
                     f'        ret->{q.res.name}.n = (uint32_t)result;']
    if left is not None:
        if left.base == 'D' and e.ret == 'int':
            fill.append(f'        daemon_domain_to_wire({params[0].name}, &ret->{left.name});')
        elif left.base == 'D':
            fill += [f'        daemon_domain_to_wire(result, &ret->{left.name});',
                     '        handle_domain_unref(result);']
        elif moment_kind(left):
            mk = moment_kind(left)
            fill += [f'        daemon_moment_to_wire(result->name, result->domain, &ret->{left.name});',
                     f'        handle_{mk}_unref(result);']
        elif left.base == 'str' and e.ret.startswith('const'):
            fill.append(f'        ret->{left.name} = g_strdup(result);')
        else:
            fill.append(f'        ret->{left.name} = result;')
    out.append(f'    if (!({fail})) {{')
    out += fill
    out.append('    }')
    for q in params:
        if q.role == 'names':
            out.append(f'    daemon_names_free({q.name}, args->{params[params.index(q) + 1].arg.name});')
    out += cleanup
    out += [f'    return ({fail}) ? -1 : 0;', '}']
    return fn, out


def manual_handlers(entries, protocol):
    names = [e.remote.name for e in entries if e.remote and e.remote.server_manual]
    return names + [p.name for p in protocol if p.what == 'proc']


def gen_server_header(entries, protocol):
    out = ['/* Generated by apigen.py from api.tbl: do not edit.',
           ' * The daemon\'s hand-written handlers (daemon/dispatch*.c, events.c). */',
           '#pragma once', '']
    for name in manual_handlers(entries, protocol):
        out.append(f'int daemon_dispatch_{name.lower()}(daemon_client *client, '
                   'virConnectPtr conn, void *args, void *ret);')
    return '\n'.join(out) + '\n'


def gen_server(entries, protocol):
    out = ['/* Generated by apigen.py from api.tbl: do not edit.',
           ' * The daemon\'s dispatch: one function per procedure with a public',
           ' * function behind it, and the table of every procedure. */',
           '#include <string.h>', '#include "daemon/dispatch.h"', '']
    table = []
    for e in entries:
        p = e.remote
        if not p:
            continue
        if p.server_manual:
            table.append((p.num, p.name, f'daemon_dispatch_{p.name.lower()}'))
            continue
        fn, body = server_stub(e)
        out += body + ['']
        table.append((p.num, p.name, fn))
    for p in protocol:
        if p.what == 'proc':
            table.append((p.num, p.name, f'daemon_dispatch_{p.name.lower()}'))
    out += ['', 'static const daemon_proc table[] = {']
    for num, name, fn in sorted(table):
        out.append(f'    {{ {PROCNAME}{name}, {fn} }},')
    out += ['};', '',
            'const daemon_proc *daemon_proc_lookup(int32_t num)',
            '{',
            '    size_t lo = 0, hi = G_N_ELEMENTS(table);', '',
            '    while (lo < hi) {',
            '        size_t mid = (lo + hi) / 2;',
            '        if (table[mid].num == num)',
            '            return &table[mid];',
            '        if (table[mid].num < num)',
            '            lo = mid + 1;',
            '        else',
            '            hi = mid;',
            '    }',
            '    return NULL;',
            '}', '']
    return '\n'.join(out)


def generate(mode, entries, protocol, outputs):
    procs = all_procs(entries, protocol)
    if mode == 'rpc':
        texts = [gen_rpc_header(procs), gen_rpc_source(procs, 'rpc_protocol.h')]
    elif mode == 'client':
        texts = [gen_client(entries, protocol)]
    else:
        texts = [gen_server(entries, protocol), gen_server_header(entries, protocol)]
    for path, text in zip(outputs, texts):
        with open(path, 'w') as f:
            f.write(text)
