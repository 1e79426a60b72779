/* Where virtmomentd's sockets live by default, shared by the daemon and the remote
 * driver: qemu:///system under /run/virtmoment/, qemu:///session under
 * $XDG_RUNTIME_DIR/virtmoment/ (or ~/.cache/virtmoment/ without it). */
#pragma once

#include <stdbool.h>

#define RPC_SYSTEM_DIR "/run/virtmoment"
#define RPC_SOCKET_NAME "virtmoment-sock"
#define RPC_SOCKET_RO_NAME "virtmoment-sock-ro"

/* The directory of the system or the calling user's session daemon (g_free). */
char *rpc_socket_dir(bool system);
/* Its read-write or read-only socket (g_free). */
char *rpc_socket_path(bool system, bool readonly);
