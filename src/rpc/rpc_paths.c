/* Default locations of virtmomentd's sockets (rpc_paths.h). */
#include "rpc/rpc_paths.h"

#include <glib.h>

char *rpc_socket_dir(bool system)
{
    const char *runtime = g_getenv("XDG_RUNTIME_DIR");

    if (system)
        return g_strdup(RPC_SYSTEM_DIR);
    if (runtime && *runtime)
        return g_build_filename(runtime, "virtmoment", NULL);
    return g_build_filename(g_get_home_dir(), ".cache", "virtmoment", NULL);
}

char *rpc_socket_path(bool system, bool readonly)
{
    g_autofree char *dir = rpc_socket_dir(system);
    return g_build_filename(dir, readonly ? RPC_SOCKET_RO_NAME : RPC_SOCKET_NAME, NULL);
}
