/* virConnectListAllDomains' filter flags, for any driver. */
#pragma once

#include <stdbool.h>

/* What the filters look at, about one domain. */
typedef struct {
    int state;              /* virDomainState */
    bool persistent;
    bool managed_save;
    bool autostart;
    bool has_snapshot;
    bool has_checkpoint;
} domain_list_facts;

/* Whether a domain passes every VIR_CONNECT_LIST_DOMAINS_* group set in flags (a
 * group with no bit set does not filter). */
bool domain_list_match(const domain_list_facts *f, unsigned int flags);
