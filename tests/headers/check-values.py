#!/usr/bin/env python3
"""check-values: every constant in our public headers has libvirt's value.

Extracts every enum constant (sentinels included), every constant-valued #define,
probes of the function-like macros and the layout (sizeof/offsetof) of every struct
from our headers; generates one C program printing NAME=value for each; builds it
against our headers and against the real libvirt headers; and compares.  A constant
that libvirt does not declare, a different value, an enum that lacks some of
libvirt's constants, a sentinel that is not one in libvirt, or a constant declared
in a different header than libvirt's, fails the test.

Usage: check-values.py --ours INCLUDE_DIR --theirs INCLUDE_DIR [--cc CC] [-v]
Exit: 0 pass, 1 fail, 77 skip (libvirt headers absent).
"""

import argparse
import os
import re
import sys
import tempfile

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import headerparse  # noqa: E402

# Function-like macros are checked through these expressions.
MACRO_PROBES = {
    "LIBVIR_CHECK_VERSION": [
        "LIBVIR_CHECK_VERSION(0, 0, 0)", "LIBVIR_CHECK_VERSION(8, 999, 999)",
        "LIBVIR_CHECK_VERSION(9, 0, 0)", "LIBVIR_CHECK_VERSION(9, 0, 1)",
        "LIBVIR_CHECK_VERSION(9, 1, 0)", "LIBVIR_CHECK_VERSION(10, 0, 0)",
    ],
    "VIR_NODEINFO_MAXCPUS": [
        "VIR_NODEINFO_MAXCPUS(vm_nodeinfo)",
    ],
    "VIR_DOMAIN_EVENT_CALLBACK": [
        "__builtin_types_compatible_p(__typeof__(VIR_DOMAIN_EVENT_CALLBACK(vm_lifecycle_cb)), "
        "virConnectDomainEventGenericCallback)",
        "(VIR_DOMAIN_EVENT_CALLBACK(vm_lifecycle_cb) == (virConnectDomainEventGenericCallback)vm_lifecycle_cb)",
    ],
}

PRELUDE = r"""
#include <stdio.h>
#include <stddef.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static void vm_pi(const char *name, long long v) { printf("%s=%lld\n", name, v); }
static void vm_ps(const char *name, const char *v) { printf("%s=\"%s\"\n", name, v); }
#define VM_P(name, x) _Generic((x), char *: vm_ps, const char *: vm_ps, default: vm_pi)(name, x)

static int vm_lifecycle_cb(virConnectPtr c, virDomainPtr d, int e, int de, void *o)
{ (void)c; (void)d; (void)e; (void)de; (void)o; return 0; }

int main(void)
{
    virNodeInfo vm_nodeinfo = { "", 0, 0, 0, 2, 3, 5, 7 };
    (void)vm_nodeinfo;
"""

CONST_VALUE = re.compile(r'^(?:"[^"]*"|[A-Za-z0-9_\s()<>+\-*/|&~^]+)$')


def is_constant_macro(name, value):
    """A #define whose value is a string literal or an integer expression of upper-case names."""
    if not value or name.startswith("__") or name.endswith("_H") or name.endswith("_H__"):
        return False
    if not CONST_VALUE.match(value):
        return False
    if value.startswith('"'):
        return True
    idents = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", value)
    return all(re.match(r"^[A-Z_][A-Z0-9_]*$", i) for i in idents)


def collect_entries(ours):
    """[(label, C expression, header)] in header order."""
    entries = []
    problems = []
    for hname, h in ours.items():
        for ename in h.enum_typedefs:
            for const, _sentinel in h.enums[ename]:
                entries.append((const, const, hname))
        for name, value in h.macros.items():
            if is_constant_macro(name, value):
                entries.append((name, name, hname))
        for name in h.func_macros:
            probes = MACRO_PROBES.get(name)
            if not probes:
                problems.append("%s: function-like macro %s has no probe in check-values.py" % (hname, name))
                continue
            for p in probes:
                entries.append((p, p, hname))
        for tag, members in h.structs.items():
            entries.append(("sizeof(struct %s)" % tag, "sizeof(struct %s)" % tag, hname))
            for member, _decl in members:
                entries.append(("offsetof(struct %s, %s)" % (tag, member),
                                "offsetof(struct %s, %s)" % (tag, member), hname))
                entries.append(("sizeof(((struct %s *)0)->%s)" % (tag, member),
                                "sizeof(((struct %s *)0)->%s)" % (tag, member), hname))
    return entries, problems


def build_and_run(cc, include_dir, entries, workdir, tag, verbose):
    """Compile and run the printer; entries that do not compile are dropped and reported."""
    import subprocess
    entries = list(entries)
    missing = []
    for _attempt in range(50):
        lines = PRELUDE.split("\n")
        first = len(lines)
        body = []
        for label, expr, _h in entries:
            body.append('    VM_P("%s", %s);' % (label.replace('"', '\\"'), expr))
        src = "\n".join(lines + body + ["    return 0;", "}", ""])
        exe = os.path.join(workdir, "values-" + tag)
        cmd = cc + ["-std=gnu11", "-DVIR_ENUM_SENTINELS", "-Wno-deprecated-declarations",
                    "-fmax-errors=0", "-I", include_dir, "-o", exe]
        ok, errors, stderr, _p = headerparse.compile_errors(cmd, src, workdir, "values-%s.c" % tag)
        if ok:
            out = subprocess.run([exe], stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout
            values = {}
            for line in out.splitlines():
                k, _, v = line.partition("=")
                values[k] = v
            return values, missing
        bad = set()
        for lineno in errors:
            idx = lineno - first  # 1-based line numbers; body starts at line first+1
            if 1 <= idx <= len(entries):
                bad.add(idx - 1)
        if not bad:
            sys.stderr.write(stderr)
            raise SystemExit("check-values: the %s build failed outside the generated entries" % tag)
        for idx in sorted(bad, reverse=True):
            label = entries[idx][0]
            msgs = "; ".join(errors[idx + first + 1])
            missing.append((label, msgs))
            if verbose:
                print("  %s: %s: %s" % (tag, label, msgs))
            del entries[idx]
    raise SystemExit("check-values: too many build attempts")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ours", required=True, help="our include directory (holding libvirt/)")
    ap.add_argument("--theirs", default="/usr/include", help="libvirt-dev include directory (holding libvirt/)")
    ap.add_argument("--cc", help="C compiler command (default: $CC or cc)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    theirs_dir = os.path.join(args.theirs, "libvirt")
    if not os.path.exists(os.path.join(theirs_dir, "libvirt.h")):
        print("SKIP: %s/libvirt.h not found (install libvirt-dev)" % theirs_dir)
        return 77
    cc = headerparse.find_compiler(args.cc, "CC", ["cc", "gcc", "clang"])
    if not cc:
        print("SKIP: no C compiler")
        return 77

    ours = headerparse.parse_dir(os.path.join(args.ours, "libvirt"))
    theirs = headerparse.parse_dir(theirs_dir)
    failures = []

    entries, problems = collect_entries(ours)
    failures.extend(problems)

    # 1. Same enums with the same constants, sentinels where libvirt has them, in the same header.
    their_enum_home = {}
    for hname, h in theirs.items():
        for ename in h.enum_typedefs:
            their_enum_home[ename] = (hname, h.enums[ename])
    for hname, h in ours.items():
        for ename in h.enum_typedefs:
            if ename not in their_enum_home:
                failures.append("%s: enum %s does not exist in libvirt" % (hname, ename))
                continue
            their_h, their_consts = their_enum_home[ename]
            if their_h != hname:
                failures.append("%s: enum %s is declared in %s by libvirt" % (hname, ename, their_h))
            mine = dict(h.enums[ename])
            theirs_map = dict(their_consts)
            for c in theirs_map:
                if c not in mine:
                    failures.append("%s: enum %s lacks libvirt's %s" % (hname, ename, c))
            for c, sentinel in mine.items():
                if c not in theirs_map:
                    failures.append("%s: enum %s has %s, which libvirt's does not" % (hname, ename, c))
                elif sentinel != theirs_map[c]:
                    failures.append("%s: %s is %sa sentinel in libvirt" % (hname, c, "" if theirs_map[c] else "not "))

    # 2. Constant-valued macros live in the same header as in libvirt.
    their_macro_home = {}
    for hname, h in theirs.items():
        for name in list(h.macros) + list(h.func_macros):
            their_macro_home.setdefault(name, hname)
    for hname, h in ours.items():
        for name in list(h.macros) + list(h.func_macros):
            if name in their_macro_home and their_macro_home[name] != hname and \
                    (is_constant_macro(name, h.macros.get(name, "")) or name in h.func_macros):
                failures.append("%s: macro %s is defined in %s by libvirt" % (hname, name, their_macro_home[name]))

    # 3. Values, compiled both ways.
    with tempfile.TemporaryDirectory(prefix="vm-values-") as work:
        our_vals, our_missing = build_and_run(cc, os.path.abspath(args.ours), entries, work, "ours", args.verbose)
        for label, msg in our_missing:
            failures.append("ours: %s does not build against our own headers: %s" % (label, msg))
        their_vals, their_missing = build_and_run(cc, os.path.abspath(args.theirs), entries, work, "theirs", args.verbose)
        for label, msg in their_missing:
            failures.append("%s is not declared by libvirt (or does not build against it): %s" % (label, msg))

    compared = 0
    for label, _expr, hname in entries:
        if label in our_vals and label in their_vals:
            compared += 1
            if our_vals[label] != their_vals[label]:
                failures.append("%s: %s = %s, libvirt has %s" % (hname, label, our_vals[label], their_vals[label]))
        if args.verbose and label in our_vals:
            print("  %s=%s" % (label, our_vals[label]))

    n_enum = sum(len(h.enums[e]) for h in ours.values() for e in h.enum_typedefs)
    n_enums = sum(len(h.enum_typedefs) for h in ours.values())
    print("check-values: %d entries compared (%d constants in %d enums, macros, macro probes, struct layouts)"
          % (compared, n_enum, n_enums))
    if failures:
        for f in failures:
            print("FAIL: " + f)
        print("check-values: %d problem(s)" % len(failures))
        return 1
    print("check-values: all equal to libvirt's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
