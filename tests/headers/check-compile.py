#!/usr/bin/env python3
"""check-compile: each public header builds on its own, as strict C99 and as C++11.

Cases, each built with both compilers (C: -std=c99 -pedantic -Wall -Wextra -Werror
and a few more warnings; C++: -std=c++11 -pedantic -Wall -Wextra -Werror):
  - libvirt.h alone, virterror.h alone, and both in either order;
  - every sub-header through libvirt.h (then included again, which must be a no-op);
  - every sub-header after only the sub-headers libvirt.h includes before it;
  - all of it again with VIR_ENUM_SENTINELS defined;
  - a small program using the headers the way applications do;
  - every sub-header included directly must stop with its "#error".
Also checks that libvirt.h includes every header in the documented order, that
include/meson.build installs every header, and that every header has C++ linkage
guards.

Usage: check-compile.py --ours INCLUDE_DIR [--cc CC] [--cxx CXX] [-v]
Exit: 0 pass, 1 fail.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import headerparse  # noqa: E402

C_FLAGS = ["-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-Wstrict-prototypes",
           "-Wmissing-prototypes", "-Wundef", "-Wshadow", "-Wredundant-decls"]
CXX_FLAGS = ["-std=c++11", "-pedantic", "-Wall", "-Wextra", "-Werror", "-Wundef", "-Wshadow"]

# The order libvirt.h must include things in (the network stub may sit anywhere after event).
DOCUMENTED_ORDER = [
    "libvirt-common.h", "libvirt-host.h", "libvirt-domain.h", "libvirt-domain-checkpoint.h",
    "libvirt-domain-snapshot.h", "libvirt-event.h", "virterror.h",
]

# Compiled in both languages: what an application typically does with the headers.
USAGE = r"""
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stddef.h>

#if !LIBVIR_CHECK_VERSION(9, 0, 0) || LIBVIR_CHECK_VERSION(9, 0, 1)
#error "LIBVIR_CHECK_VERSION disagrees with 9.0.0"
#endif

static void on_block_job(virConnectPtr conn, virDomainPtr dom, const char *disk, int type, int status, void *opaque)
{
    (void)conn; (void)dom; (void)disk; (void)type; (void)status; (void)opaque;
}

static void on_job_completed(virConnectPtr conn, virDomainPtr dom, virTypedParameterPtr params, int nparams, void *opaque)
{
    (void)conn; (void)dom; (void)params; (void)nparams; (void)opaque;
}

static int on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    (void)conn; (void)dom; (void)event; (void)detail; (void)opaque;
    return 0;
}

static void on_error(void *userData, virErrorPtr err)
{
    (void)userData; (void)err;
}

static void on_timeout(int timer, void *opaque)
{
    (void)timer; (void)opaque;
}

int usage_check(virConnectPtr conn, virDomainPtr dom);

int usage_check(virConnectPtr conn, virDomainPtr dom)
{
    virDomainSnapshotPtr *snaps = NULL;
    virDomainCheckpointPtr *checkpoints = NULL;
    virDomainJobInfo info;
    virTypedParameter param;
    virError err;
    char uuid[VIR_UUID_STRING_BUFLEN];
    unsigned int snapshot_flags = VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY | VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC;
    unsigned int checkpoint_flags = VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN | VIR_DOMAIN_CHECKPOINT_XML_SIZE;
    int ids[3];

    info.type = VIR_DOMAIN_JOB_UNBOUNDED;
    info.fileProcessed = 0;
    param.type = VIR_TYPED_PARAM_ULLONG;
    param.value.ul = 1;
    param.field[0] = '\0';
    err.code = VIR_ERR_NO_DOMAIN_SNAPSHOT;
    err.domain = VIR_FROM_DOMAIN_CHECKPOINT;
    err.level = VIR_ERR_ERROR;
    ids[0] = VIR_DOMAIN_EVENT_ID_LIFECYCLE;
    ids[1] = VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2;
    ids[2] = VIR_DOMAIN_EVENT_ID_JOB_COMPLETED;
    (void)err;
    (void)info;
    (void)param;
    (void)uuid;

    virSetErrorFunc(NULL, on_error);
    if (virEventAddTimeout(-1, on_timeout, NULL, NULL) < 0)
        return -1;
    if (virConnectDomainEventRegisterAny(conn, dom, ids[0], VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), NULL, NULL) < 0 ||
        virConnectDomainEventRegisterAny(conn, NULL, ids[1], VIR_DOMAIN_EVENT_CALLBACK(on_block_job), NULL, NULL) < 0 ||
        virConnectDomainEventRegisterAny(conn, NULL, ids[2], VIR_DOMAIN_EVENT_CALLBACK(on_job_completed), NULL, NULL) < 0)
        return -1;
    if (virDomainListAllSnapshots(dom, &snaps, VIR_DOMAIN_SNAPSHOT_LIST_ROOTS) < 0 ||
        virDomainListAllCheckpoints(dom, &checkpoints, VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL) < 0)
        return -1;
    if (virDomainBackupBegin(dom, "<domainbackup/>", NULL, VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL) < 0)
        return virGetLastErrorCode();
    return (int)(snapshot_flags + checkpoint_flags) + ((int)VIR_DOMAIN_SNAPSHOT_XML_SECURE == (int)VIR_DOMAIN_XML_SECURE);
}
"""


class Runner:
    def __init__(self, cc, cxx, include, workdir, verbose):
        self.cc, self.cxx, self.include, self.workdir, self.verbose = cc, cxx, include, workdir, verbose
        self.failures = []
        self.passed = 0
        self.count = 0

    def build(self, lang, source, extra=()):
        self.count += 1
        ext = ".c" if lang == "c" else ".cc"
        path = os.path.join(self.workdir, "case%03d%s" % (self.count, ext))
        with open(path, "w", encoding="utf-8") as f:
            f.write(source)
        cmd = (self.cc + C_FLAGS if lang == "c" else self.cxx + CXX_FLAGS) + list(extra) + \
            ["-I", self.include, "-fsyntax-only", path]
        env = dict(os.environ, LC_ALL="C")
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True, env=env)
        return proc.returncode == 0, proc.stdout

    def expect_ok(self, name, source, extra=()):
        langs = ["c"] + (["c++"] if self.cxx else [])
        for lang in langs:
            ok, out = self.build(lang, source, extra)
            label = "%s [%s%s]" % (name, lang, " " + " ".join(extra) if extra else "")
            if ok:
                self.passed += 1
                if self.verbose:
                    print("  ok   " + label)
            else:
                self.failures.append("%s\n%s" % (label, out.rstrip()))

    def expect_error(self, name, source, pattern):
        langs = ["c"] + (["c++"] if self.cxx else [])
        for lang in langs:
            ok, out = self.build(lang, source)
            label = "%s [%s]" % (name, lang)
            if not ok and re.search(pattern, out):
                self.passed += 1
                if self.verbose:
                    print("  ok   " + label + " (refused as expected)")
            else:
                self.failures.append("%s: expected an error matching %r\n%s" % (label, pattern, out.rstrip()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ours", required=True, help="our include directory (holding libvirt/)")
    ap.add_argument("--cc", help="C compiler command (default: $CC or cc)")
    ap.add_argument("--cxx", help="C++ compiler command (default: $CXX or c++); 'none' to skip C++")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    libdir = os.path.join(args.ours, "libvirt")
    cc = headerparse.find_compiler(args.cc, "CC", ["cc", "gcc", "clang"])
    if not cc:
        print("SKIP: no C compiler")
        return 77
    cxx = None if args.cxx == "none" else headerparse.find_compiler(args.cxx, "CXX", ["c++", "g++", "clang++"])
    if not cxx:
        print("note: no C++ compiler, C++ cases skipped")

    headers = sorted(f for f in os.listdir(libdir) if f.endswith(".h"))
    texts = {h: open(os.path.join(libdir, h), encoding="utf-8").read() for h in headers}
    static_failures = []

    # libvirt.h includes every other header, in the documented order.
    included = re.findall(r"^\s*#\s*include\s*<libvirt/([^>]+)>", texts.get("libvirt.h", ""), re.M)
    for h in headers:
        if h != "libvirt.h" and h not in included:
            static_failures.append("libvirt.h does not include %s" % h)
    positions = [included.index(h) for h in DOCUMENTED_ORDER if h in included]
    if positions != sorted(positions) or len(positions) != len(DOCUMENTED_ORDER):
        static_failures.append("libvirt.h does not include %s in that order (it has %s)"
                               % (", ".join(DOCUMENTED_ORDER), ", ".join(included)))
    # include/meson.build installs every header.
    install_list = os.path.join(args.ours, "meson.build")
    if os.path.exists(install_list):
        with open(install_list, encoding="utf-8") as f:
            installed = re.findall(r"'libvirt/([^']+\.h)'", f.read())
        for h in headers:
            if h not in installed:
                static_failures.append("include/meson.build does not install %s" % h)
    for h in headers:
        if 'extern "C"' not in texts[h]:
            static_failures.append("%s has no extern \"C\" guard" % h)

    subs = [h for h in included if h in texts and
            re.search(r"#\s*error", texts[h]) and "__VIR_LIBVIRT_H_INCLUDES__" in texts[h] and h != "libvirt.h"]
    standalone = [h for h in headers if h not in subs]

    with tempfile.TemporaryDirectory(prefix="vm-compile-") as work:
        r = Runner(cc, cxx, os.path.abspath(args.ours), work, args.verbose)
        for sentinels in ([], ["-DVIR_ENUM_SENTINELS"]):
            for h in standalone:
                r.expect_ok("%s alone" % h, "#include <libvirt/%s>\n" % h, sentinels)
            r.expect_ok("libvirt.h then virterror.h",
                        "#include <libvirt/libvirt.h>\n#include <libvirt/virterror.h>\n", sentinels)
            r.expect_ok("virterror.h then libvirt.h",
                        "#include <libvirt/virterror.h>\n#include <libvirt/libvirt.h>\n", sentinels)
            for h in subs:
                r.expect_ok("%s through libvirt.h" % h,
                            "#include <libvirt/libvirt.h>\n#include <libvirt/%s>\n#include <libvirt/libvirt.h>\n" % h,
                            sentinels)
            for i, h in enumerate(subs):
                before = "".join("#include <libvirt/%s>\n" % p for p in subs[:i])
                r.expect_ok("%s after only its predecessors" % h,
                            "#define __VIR_LIBVIRT_H_INCLUDES__\n%s#include <libvirt/%s>\n" % (before, h),
                            sentinels)
            r.expect_ok("usage program", USAGE, sentinels)
        for h in subs:
            r.expect_error("%s included directly" % h, "#include <libvirt/%s>\n" % h,
                           r"Don't include this file directly")

    failures = static_failures + r.failures
    print("check-compile: %d builds passed, %d failed; %d static problem(s); C: %s; C++: %s"
          % (r.passed, len(r.failures), len(static_failures), " ".join(cc), " ".join(cxx) if cxx else "none"))
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
