/* Checking snapshot and checkpoint names before they are stored: names are not paths. */
#include "conf/moment_name.h"

#include <string.h>
#include <glib.h>
#include "util/error.h"

/* "snapshot", "checkpoint" or "moment", after the error domain. */
static const char *kind(int err_domain)
{
    switch (err_domain) {
    case VIR_FROM_DOMAIN_SNAPSHOT:
        return "snapshot";
    case VIR_FROM_DOMAIN_CHECKPOINT:
        return "checkpoint";
    default:
        return "moment";
    }
}

static bool has_control_char(const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

bool moment_name_check(const char *name, int err_domain)
{
    const char *k = kind(err_domain);
    size_t len = name ? strlen(name) : 0;

    if (len == 0) {
        error_report(err_domain, VIR_ERR_INVALID_ARG, "%s name must not be empty", k);
        return false;
    }
    if (!g_utf8_validate(name, -1, NULL)) {
        error_report(err_domain, VIR_ERR_INVALID_ARG, "%s name is not valid UTF-8", k);
        return false;
    }
    if (len > MOMENT_NAME_MAX) {
        error_report(err_domain, VIR_ERR_INVALID_ARG,
                     "%s name is %zu bytes long, longer than the %d allowed", k, len,
                     MOMENT_NAME_MAX);
        return false;
    }
    if (has_control_char(name)) {
        error_report(err_domain, VIR_ERR_INVALID_ARG,
                     "%s name must not contain control characters", k);
        return false;
    }
    if (strchr(name, '/')) {
        error_report(err_domain, VIR_ERR_INVALID_ARG, "%s name '%s' must not contain '/'", k,
                     name);
        return false;
    }
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        error_report(err_domain, VIR_ERR_INVALID_ARG, "%s name '%s' is not allowed", k, name);
        return false;
    }
    return true;
}
