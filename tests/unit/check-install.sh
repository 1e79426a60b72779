#!/usr/bin/env bash
# `meson install` into a temporary root gives a library, headers, virtmoment.pc and
# vmsh with which a program that includes only <libvirt/libvirt.h> builds with
# `cc $(pkg-config --cflags --libs virtmoment)` and runs.
# Usage: check-install.sh BUILD_DIR
set -euo pipefail
build=$1
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

meson install -C "$build" --destdir "$root" --quiet >/dev/null
pc=$(find "$root" -name virtmoment.pc | head -1)
[ -n "$pc" ] || { echo "FAIL: no virtmoment.pc installed"; exit 1; }
vmsh=$(find "$root" -path '*/bin/vmsh' | head -1)
[ -n "$vmsh" ] || { echo "FAIL: vmsh not installed"; exit 1; }
header=$(find "$root" -path '*/include/libvirt/libvirt.h' | head -1)
[ -n "$header" ] || { echo "FAIL: headers not installed"; exit 1; }
prefix=${header%/include/libvirt/libvirt.h}

export PKG_CONFIG_PATH=$(dirname "$pc")
# A sanitizer build's library needs its runtimes loaded first in a plain program.
lib=$(find "$root" -name 'libvirtmoment.so' | head -1)
deps=$(ldd "$lib")    # not piped into grep -q: with pipefail, ldd's SIGPIPE would fail the test
if [[ $deps == *libasan* ]]; then
  export LD_PRELOAD="$(cc -print-file-name=libasan.so) $(cc -print-file-name=libubsan.so)"
  export ASAN_OPTIONS=detect_leaks=0
fi
cat > "$root/prog.c" <<'C'
#include <stdio.h>
#include <libvirt/libvirt.h>

int main(void)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    virDomainPtr dom = conn ? virDomainLookupByName(conn, "test") : NULL;
    virDomainInfo info;

    if (!dom || virDomainGetInfo(dom, &info) < 0 || virDomainSuspend(dom) < 0)
        return 1;
    printf("%s state %d vcpus %d\n", virDomainGetName(dom), info.state, info.nrVirtCpu);
    virDomainFree(dom);
    return virConnectClose(conn) == 0 ? 0 : 1;
}
C
# shellcheck disable=SC2046
cc -std=c99 -Wall -Werror "$root/prog.c" -o "$root/prog" \
   $(pkg-config --define-variable=prefix="$prefix" --cflags --libs virtmoment)
libdir=$(pkg-config --define-variable=prefix="$prefix" --variable=libdir virtmoment)
out=$(LD_LIBRARY_PATH=$libdir "$root/prog")
[ "$out" = "test state 1 vcpus 2" ] || { echo "FAIL: program printed '$out'"; exit 1; }
out=$(LD_LIBRARY_PATH=$libdir "$vmsh" -q -c test:///default 'domstate test')
[ "$out" = "running" ] || { echo "FAIL: installed vmsh printed '$out'"; exit 1; }
echo "ok: installed, built with pkg-config, ran"
