/* Jobs and events as commands show them: typed parameters, job and block-job names, sizes. */
#include "vmsh-util.h"

/* PARAM's value as virsh prints it (booleans as 0 or 1); NULL for an unknown type. */
char *vmsh_typed_param_string(const virTypedParameter *param)
{
    switch (param->type) {
    case VIR_TYPED_PARAM_INT:
        return g_strdup_printf("%d", param->value.i);
    case VIR_TYPED_PARAM_UINT:
        return g_strdup_printf("%u", param->value.ui);
    case VIR_TYPED_PARAM_LLONG:
        return g_strdup_printf("%lld", param->value.l);
    case VIR_TYPED_PARAM_ULLONG:
        return g_strdup_printf("%llu", param->value.ul);
    case VIR_TYPED_PARAM_DOUBLE:
        return g_strdup_printf("%g", param->value.d);
    case VIR_TYPED_PARAM_BOOLEAN:
        return g_strdup_printf("%d", param->value.b);
    case VIR_TYPED_PARAM_STRING:
        return g_strdup(param->value.s);
    default:
        return NULL;
    }
}

static const char *name_in(const char *const *names, size_t n, int value, const char *other)
{
    return value >= 0 && (size_t)value < n ? names[value] : other;
}

/* A virDomainJobType. */
const char *vmsh_job_type_name(int type)
{
    static const char *const names[] = {
        "None", "Bounded", "Unbounded", "Completed", "Failed", "Cancelled",
    };

    return name_in(names, G_N_ELEMENTS(names), type, "unknown");
}

/* A virDomainJobOperation. */
const char *vmsh_job_operation_name(int op)
{
    static const char *const names[] = {
        "Unknown", "Start", "Save", "Restore", "Incoming migration", "Outgoing migration",
        "Snapshot", "Snapshot revert", "Dump", "Backup", "Snapshot delete",
    };

    return name_in(names, G_N_ELEMENTS(names), op, "unknown");
}

/* A virDomainBlockJobType. */
const char *vmsh_block_job_type_name(int type)
{
    static const char *const names[] = {
        "Unknown job", "Block Pull", "Block Copy", "Block Commit", "Active Block Commit",
        "Backup",
    };

    return name_in(names, G_N_ELEMENTS(names), type, "Unknown job");
}

/* VALUE in the largest binary unit (B, KiB ... EiB) that keeps it at least 1. */
double vmsh_pretty_capacity(unsigned long long value, const char **ret_unit)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    double limit = 1024;
    size_t i = 0;

    while (i + 1 < G_N_ELEMENTS(units) && (double)value >= limit) {
        limit *= 1024;
        i++;
    }
    *ret_unit = units[i];
    return i == 0 ? (double)value : (double)value / (limit / 1024);
}
