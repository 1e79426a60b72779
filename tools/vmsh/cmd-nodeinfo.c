/* nodeinfo: the host's CPUs and memory. */
#include "vmsh.h"

static bool cmd_nodeinfo(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    virNodeInfo info;

    if (virNodeGetInfo(ctl->conn, &info) < 0) {
        vmsh_error(ctl, "%s", "failed to get node information");
        return false;
    }
    vmsh_print(ctl, "%-20s %s\n", "CPU model:", info.model);
    vmsh_print(ctl, "%-20s %d\n", "CPU(s):", info.cpus);
    if (info.mhz)
        vmsh_print(ctl, "%-20s %d MHz\n", "CPU frequency:", info.mhz);
    vmsh_print(ctl, "%-20s %d\n", "CPU socket(s):", info.sockets);
    vmsh_print(ctl, "%-20s %d\n", "Core(s) per socket:", info.cores);
    vmsh_print(ctl, "%-20s %d\n", "Thread(s) per core:", info.threads);
    vmsh_print(ctl, "%-20s %d\n", "NUMA cell(s):", info.nodes);
    vmsh_print(ctl, "%-20s %lu KiB\n", "Memory size:", info.memory);
    return true;
}

const vmsh_cmd_def vmsh_cmd_nodeinfo = {
    .name = "nodeinfo",
    .group = "host",
    .summary = "show the host's processors and memory",
    .handler = cmd_nodeinfo,
};
