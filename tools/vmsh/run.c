/* Running a parsed script: connecting on demand, reporting errors, separators, reconnects. */
#include "vmsh.h"

#include <stdio.h>
#include <string.h>

static virConnectPtr open_connection(vmsh_ctl *ctl, const char *uri, bool readonly)
{
    int interval = 5, count = 6;
    bool forced = false;
    virConnectPtr conn;

    if (ctl->keepalive_interval >= 0) {
        interval = ctl->keepalive_interval;
        forced = true;
    }
    if (ctl->keepalive_count >= 0) {
        count = ctl->keepalive_count;
        forced = true;
    }
    conn = virConnectOpenAuth(uri, NULL, readonly ? VIR_CONNECT_RO : 0);
    if (!conn)
        return NULL;
    if (interval > 0 && virConnectSetKeepAlive(conn, interval, (unsigned int)count) != 0) {
        if (forced) {
            vmsh_error(ctl, "%s",
                       "Cannot setup keepalive on connection as requested, disconnecting");
            virConnectClose(conn);
            return NULL;
        }
        vmsh_debug(ctl, VMSH_ERR_INFO, "%s", "Failed to setup keepalive on connection\n");
        vmsh_reset_error(ctl);
    }
    return conn;
}

/* The library closed the connection under us (not at our request). */
static void catch_disconnect(virConnectPtr conn, int reason, void *opaque)
{
    vmsh_ctl *ctl = opaque;
    const char *why = "unknown reason";

    if (reason == VIR_CONNECT_CLOSE_REASON_CLIENT)
        return;
    g_autofree char *uri = virConnectGetURI(conn);
    if (reason == VIR_CONNECT_CLOSE_REASON_ERROR)
        why = "I/O error";
    else if (reason == VIR_CONNECT_CLOSE_REASON_EOF)
        why = "end of file";
    else if (reason == VIR_CONNECT_CLOSE_REASON_KEEPALIVE)
        why = "keepalive timeout";
    vmsh_error(ctl, "Disconnected from %s due to %s", uri ? uri : "(null)", why);
    ctl->disconnected = true;
}

void vmsh_disconnect(vmsh_ctl *ctl)
{
    int rc;

    if (!ctl->conn)
        return;
    virConnectUnregisterCloseCallback(ctl->conn, catch_disconnect);
    rc = virConnectClose(ctl->conn);
    if (rc < 0)
        vmsh_error(ctl, "%s", "Failed to disconnect from the hypervisor");
    else if (rc > 0)
        vmsh_error(ctl, "%s",
                   "One or more references were leaked after disconnect from the hypervisor");
    ctl->conn = NULL;
}

/* (Re)connect to NAME, or to the current URI when NAME is NULL (keeping read-only
 * mode unless asked for it). FORCE: an explicit "connect", which says nothing about
 * having reconnected. */
int vmsh_connect(vmsh_ctl *ctl, const char *name, bool readonly, bool force)
{
    bool connected = ctl->conn != NULL;

    if (!readonly && !name)
        readonly = ctl->readonly;
    if (!name)
        name = ctl->connname;
    g_autofree char *uri = g_strdup(name);

    vmsh_disconnect(ctl);
    ctl->conn = open_connection(ctl, uri, readonly);
    if (!ctl->conn) {
        vmsh_error(ctl, "%s", ctl->disconnected ? "Failed to reconnect to the hypervisor"
                                                : "failed to connect to the hypervisor");
        return -1;
    }
    if (uri) {
        g_free(ctl->connname);
        ctl->connname = g_steal_pointer(&uri);
    }
    ctl->readonly = readonly;
    if (virConnectRegisterCloseCallback(ctl->conn, catch_disconnect, ctl, NULL) < 0)
        vmsh_error(ctl, "%s", "Unable to register disconnect callback");
    if (connected && !force)
        vmsh_error(ctl, "%s", "Reconnected to the hypervisor");
    ctl->disconnected = false;
    ctl->use_get_info = false;
    return 0;
}

/* A usable connection for the next command, connecting first if needed. */
static bool have_connection(vmsh_ctl *ctl)
{
    if ((!ctl->conn || ctl->disconnected) && vmsh_connect(ctl, NULL, false, false) < 0)
        return false;
    if (!ctl->conn || virConnectIsAlive(ctl->conn) == 0) {
        vmsh_error(ctl, "%s", "no valid connection");
        return false;
    }
    /* only a definite "not alive" counts; an error from the check doesn't */
    vmsh_reset_error(ctl);
    return true;
}

static bool connection_lost(vmsh_ctl *ctl)
{
    virErrorPtr err = ctl->last_error;

    if (!err)
        return false;
    return (err->code == VIR_ERR_SYSTEM_ERROR && err->domain == VIR_FROM_REMOTE) ||
           err->code == VIR_ERR_RPC || err->code == VIR_ERR_NO_CONNECT ||
           err->code == VIR_ERR_INVALID_CONN;
}

/* Runs the commands in order, going on after failures; true if the last succeeded.
 * "quit" and "exit" stop the script at once. */
bool vmsh_run(vmsh_ctl *ctl, GPtrArray *script)
{
    bool ok = true;

    for (size_t i = 0; i < script->len; i++) {
        const vmsh_cmd *cmd = g_ptr_array_index(script, i);
        gint64 before = g_get_monotonic_time();

        g_clear_pointer(&ctl->own_error, g_free);

        if ((cmd->def->flags & VMSH_CMD_NOCONNECT) || have_connection(ctl))
            ok = cmd->def->handler(ctl, cmd);
        else
            ok = false;
        gint64 after = g_get_monotonic_time();

        if (!ok && connection_lost(ctl))
            ctl->disconnected = true;
        if (!ok)
            vmsh_report_error(ctl);
        if (strcmp(cmd->def->name, "quit") == 0 || strcmp(cmd->def->name, "exit") == 0)
            return ok;
        if (ctl->timing)
            vmsh_print(ctl, "\n(Time: %.3f ms)\n\n", (double)(after - before) / 1000.0);
        else
            vmsh_print_extra(ctl, "\n");
    }
    return ok;
}
