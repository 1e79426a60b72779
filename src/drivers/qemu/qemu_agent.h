/* The QEMU guest agent of a running domain, reached through the UNIX socket of its
 * org.qemu.guest_agent.0 channel: guest-sync, then one command at a time. */
#pragma once

#include <stdbool.h>
#include "conf/domain_conf.h"

/* guest-fsfreeze-freeze (freeze) or guest-fsfreeze-thaw through the agent of def
 * (the live definition). Errors as libvirt's: VIR_ERR_ARGUMENT_UNSUPPORTED "QEMU
 * guest agent is not configured" without the channel, VIR_ERR_AGENT_UNRESPONSIVE
 * when nothing answers within the timeout (5 s, VIRTMOMENT_AGENT_TIMEOUT_MS), the
 * agent's own error otherwise. *ret_count (may be NULL): the file systems frozen or
 * thawed. */
int qemu_agent_fsfreeze(const domain_def *def, bool freeze, int *ret_count);

/* Whether def has a guest agent channel. */
bool qemu_agent_configured(const domain_def *def);
