/* version: the library's and the hypervisor's versions, as the library reports them. */
#include "vmsh.h"

static void print_version(vmsh_ctl *ctl, const char *what, const char *type, unsigned long v)
{
    vmsh_print(ctl, "%s%s%s %lu.%lu.%lu\n", what, type ? " " : "", type ? type : "",
               v / 1000000, (v / 1000) % 1000, v % 1000);
}

static bool cmd_version(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    unsigned long lib = 0, api = 0, hv = 0, daemon = 0;
    const char *type = virConnectGetType(ctl->conn);

    if (!type) {
        vmsh_error(ctl, "%s", "failed to get hypervisor type");
        return false;
    }
    print_version(ctl, "Compiled against library: libvirt", NULL, LIBVIR_VERSION_NUMBER);
    if (virGetVersion(&lib, type, &api) < 0) {
        vmsh_error(ctl, "%s", "failed to get the library version");
        return false;
    }
    print_version(ctl, "Using library: libvirt", NULL, lib);
    print_version(ctl, "Using API:", type, api);
    if (virConnectGetVersion(ctl->conn, &hv) < 0) {
        vmsh_error(ctl, "%s", "failed to get the hypervisor version");
        return false;
    }
    if (hv == 0)
        vmsh_print(ctl, "Cannot extract running %s hypervisor version\n", type);
    else
        print_version(ctl, "Running hypervisor:", type, hv);
    if (vmsh_opt_bool(cmd, "daemon")) {
        if (virConnectGetLibVersion(ctl->conn, &daemon) < 0)
            vmsh_error(ctl, "%s", "failed to get the daemon version");
        else
            print_version(ctl, "Running against daemon:", NULL, daemon);
    }
    return true;
}

static const vmsh_opt_def opts[] = {
    { .name = "daemon", .type = VMSH_OT_BOOL, .help = "also show the daemon's version" },
    { .name = NULL },
};

const vmsh_cmd_def vmsh_cmd_version = {
    .name = "version",
    .group = "host",
    .summary = "show the versions of the library and the hypervisor",
    .opts = opts,
    .handler = cmd_version,
};
