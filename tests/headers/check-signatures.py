#!/usr/bin/env python3
"""check-signatures: every declaration in our public headers matches libvirt's.

Generates one C file that includes the REAL libvirt headers and then, line by line:
  - refers to every function and exported variable we declare (it must exist there),
  - repeats each of our prototypes and variable declarations (a conflicting-types
    error means a mismatch),
  - redeclares each of our typedefs under another name and asserts the two types are
    compatible (callbacks, handle and struct typedefs; enums only need to exist),
  - asserts the type of every struct member equals ours.
Each failing line is reported by name.  It also checks that each function lives in
the same header as in libvirt, and that the headers we claim to be complete declare
every function libvirt's counterparts do.

Usage: check-signatures.py --ours INCLUDE_DIR --theirs INCLUDE_DIR [--cc CC] [-v]
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

# Headers that must declare every function their libvirt counterpart declares.
COMPLETE_HEADERS = [
    "libvirt-domain-snapshot.h",
    "libvirt-domain-checkpoint.h",
    "libvirt-event.h",
    "virterror.h",
]

PRELUDE = """#include <stddef.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
"""


def member_type(decl, member):
    """'char field[N]' -> 'char [N]'; None for members whose type cannot be named (unions)."""
    if "{" in decl:
        return None
    m = re.match(r"^(.*?)\b" + re.escape(member) + r"\s*((?:\[[^\]]*\])*)\s*$", decl)
    if not m:
        return None
    return (m.group(1) + m.group(2)).strip()


def rename_typedef(stmt, name):
    new = "vm_chk_" + name
    fp = re.compile(r"\(\s*\*\s*" + re.escape(name) + r"\s*\)")
    if fp.search(stmt):
        return fp.sub("(*%s)" % new, stmt, count=1)
    return re.sub(r"\b" + re.escape(name) + r"\s*$", new, stmt)


def collect_checks(ours):
    """[(label, C line)] in header order; each C line is self-contained."""
    exist, decls, types = [], [], []
    for hname, h in ours.items():
        for name in h.functions:
            exist.append(("%s: %s (exists)" % (hname, name), "    (void)&%s;" % name))
        for name in h.variables:
            exist.append(("%s: %s (exists)" % (hname, name), "    (void)&%s;" % name))
        for name, proto in h.functions.items():
            decls.append(("%s: %s" % (hname, name), proto + ";"))
        for name, var in h.variables.items():
            decls.append(("%s: %s" % (hname, name), re.sub(r"^VIR_EXPORT_VAR\b", "extern", var) + ";"))
        for name in h.enum_typedefs:
            types.append(("%s: enum %s" % (hname, name), "typedef %s vm_chk_%s;" % (name, name)))
        for name, stmt in h.typedefs.items():
            types.append(("%s: typedef %s" % (hname, name),
                          "%s; _Static_assert(__builtin_types_compatible_p(vm_chk_%s, %s), \"%s\");"
                          % (rename_typedef(stmt, name), name, name, name)))
        for tag, members in h.structs.items():
            for member, decl in members:
                t = member_type(decl, member)
                if t is None:
                    continue
                types.append(("%s: struct %s member %s" % (hname, tag, member),
                              "_Static_assert(__builtin_types_compatible_p(__typeof__(((struct %s *)0)->%s), %s), "
                              "\"%s.%s\");" % (tag, member, t, tag, member)))
    return exist, decls, types


def compile_checks(cc, theirs_include, exist, decls, types, workdir, verbose):
    """Compile until clean, dropping failing lines; return {label: [messages]}."""
    failed = {}
    exist, decls, types = list(exist), list(decls), list(types)
    for _attempt in range(50):
        lines = PRELUDE.rstrip("\n").split("\n")
        where = {}
        lines.append("static void vm_exist(void)")
        lines.append("{")
        for i, (label, code) in enumerate(exist):
            lines.append(code)
            where[len(lines)] = ("exist", i)
        lines.append("}")
        for i, (label, code) in enumerate(decls):
            lines.append(code)
            where[len(lines)] = ("decls", i)
        for i, (label, code) in enumerate(types):
            lines.append(code)
            where[len(lines)] = ("types", i)
        lines.append("int main(void) { vm_exist(); return 0; }")
        src = "\n".join(lines) + "\n"
        cmd = cc + ["-std=gnu11", "-fsyntax-only", "-fmax-errors=0", "-Wno-deprecated-declarations",
                    "-I", theirs_include]
        ok, errors, stderr, _p = headerparse.compile_errors(cmd, src, workdir, "signatures.c")
        if ok:
            return failed
        bad = {"exist": set(), "decls": set(), "types": set()}
        for lineno, msgs in errors.items():
            if lineno in where:
                kind, i = where[lineno]
                bad[kind].add(i)
                label = {"exist": exist, "decls": decls, "types": types}[kind][i][0]
                failed.setdefault(label, []).extend(msgs)
        if not any(bad.values()):
            sys.stderr.write(stderr)
            raise SystemExit("check-signatures: the build failed outside the generated checks")
        for kind, lst in (("exist", exist), ("decls", decls), ("types", types)):
            for i in sorted(bad[kind], reverse=True):
                del lst[i]
    raise SystemExit("check-signatures: too many build attempts")


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

    # Placement: functions, variables and typedefs sit in the header libvirt puts them in.
    their_home = {}
    for hname, h in theirs.items():
        for name in list(h.functions) + list(h.variables) + list(h.typedefs) + h.enum_typedefs:
            their_home.setdefault(name, hname)
    for hname, h in ours.items():
        for name in list(h.functions) + list(h.variables) + list(h.typedefs) + h.enum_typedefs:
            if name in their_home and their_home[name] != hname:
                failures.append("%s: %s is declared in %s by libvirt" % (hname, name, their_home[name]))

    # Completeness of the headers that claim it.
    for hname in COMPLETE_HEADERS:
        if hname not in ours:
            failures.append("%s: missing" % hname)
            continue
        if hname not in theirs:
            continue
        for name in theirs[hname].functions:
            if name not in ours[hname].functions:
                failures.append("%s: lacks libvirt's function %s" % (hname, name))
        for name in theirs[hname].enum_typedefs + list(theirs[hname].typedefs):
            if name not in ours[hname].enum_typedefs and name not in ours[hname].typedefs:
                failures.append("%s: lacks libvirt's type %s" % (hname, name))

    exist, decls, types = collect_checks(ours)
    with tempfile.TemporaryDirectory(prefix="vm-sigs-") as work:
        failed = compile_checks(cc, os.path.abspath(args.theirs), exist, decls, types, work, args.verbose)
    for label, msgs in failed.items():
        failures.append("%s: %s" % (label, " / ".join(dict.fromkeys(msgs))))

    nfunc = sum(len(h.functions) for h in ours.values())
    print("check-signatures: %d functions, %d variables, %d typedefs, %d enums, %d struct members checked"
          % (nfunc, sum(len(h.variables) for h in ours.values()),
             sum(len(h.typedefs) for h in ours.values()),
             sum(len(h.enum_typedefs) for h in ours.values()),
             sum(len(m) for h in ours.values() for m in h.structs.values())))
    for hname in sorted(ours):
        if ours[hname].functions:
            print("  %-28s %3d functions" % (hname, len(ours[hname].functions)))
    if failures:
        for f in failures:
            print("FAIL: " + f)
        print("check-signatures: %d mismatch(es)" % len(failures))
        return 1
    print("check-signatures: all declarations match libvirt's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
