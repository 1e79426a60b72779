/* virConnectListAllDomains' filter flags, for any driver. */
#include "drivers/common/domain_list.h"

#include <libvirt/libvirt.h>

/* A pair of flags: no bit set passes; otherwise one of the set bits must hold. */
static bool group(unsigned int flags, unsigned int a, unsigned int b, bool va)
{
    if (!(flags & (a | b)))
        return true;
    return ((flags & a) && va) || ((flags & b) && !va);
}

bool domain_list_match(const domain_list_facts *f, unsigned int flags)
{
    bool active = f->state != VIR_DOMAIN_SHUTOFF;
    bool running = f->state == VIR_DOMAIN_RUNNING;
    bool paused = f->state == VIR_DOMAIN_PAUSED;
    bool shutoff = !active;

    if (!group(flags, VIR_CONNECT_LIST_DOMAINS_ACTIVE, VIR_CONNECT_LIST_DOMAINS_INACTIVE, active) ||
        !group(flags, VIR_CONNECT_LIST_DOMAINS_PERSISTENT, VIR_CONNECT_LIST_DOMAINS_TRANSIENT,
               f->persistent) ||
        !group(flags, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE,
               f->managed_save) ||
        !group(flags, VIR_CONNECT_LIST_DOMAINS_AUTOSTART, VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART,
               f->autostart) ||
        !group(flags, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT,
               f->has_snapshot) ||
        !group(flags, VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT, VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT,
               f->has_checkpoint))
        return false;
    if (!(flags & (VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED |
                   VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER)))
        return true;
    return ((flags & VIR_CONNECT_LIST_DOMAINS_RUNNING) && running) ||
           ((flags & VIR_CONNECT_LIST_DOMAINS_PAUSED) && paused) ||
           ((flags & VIR_CONNECT_LIST_DOMAINS_SHUTOFF) && shutoff) ||
           ((flags & VIR_CONNECT_LIST_DOMAINS_OTHER) && !running && !paused && !shutoff);
}
