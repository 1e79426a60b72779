/* domjobinfo: the progress and statistics of a domain's job, or of its last completed one. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "completed", .type = VMSH_OT_BOOL,
      .help = "the statistics of the last completed job" },
    { .name = "keep-completed", .type = VMSH_OT_BOOL,
      .help = "with --completed: keep those statistics for the next reader" },
    { .name = "anystats", .type = VMSH_OT_BOOL,
      .help = "print the statistics of any job, even a failed one" },
    { .name = "rawstats", .type = VMSH_OT_BOOL,
      .help = "print the statistics as the library returned them" },
    { .name = NULL },
};

typedef struct {
    virDomainJobInfo info;
    virTypedParameterPtr params;
    int nparams;
    bool failed; /* a statistic of the wrong type (error kept) */
} job_stats;

static unsigned long long get_ullong(job_stats *st, const char *name)
{
    unsigned long long value = 0;

    /* like virsh, stop at the first statistic of the wrong type */
    if (!st->failed && virTypedParamsGetULLong(st->params, st->nparams, name, &value) < 0)
        st->failed = true;
    return value;
}

/* 1 with *value, 0 if absent, -1 (error kept) if of another type. */
static int opt_ullong(job_stats *st, const char *name, unsigned long long *value)
{
    int rc = virTypedParamsGetULLong(st->params, st->nparams, name, value);

    if (rc < 0)
        st->failed = true;
    return rc;
}

static void stats_to_info(job_stats *st)
{
    virDomainJobInfo *info = &st->info;

    info->timeElapsed = get_ullong(st, VIR_DOMAIN_JOB_TIME_ELAPSED);
    info->timeRemaining = get_ullong(st, VIR_DOMAIN_JOB_TIME_REMAINING);
    info->dataTotal = get_ullong(st, VIR_DOMAIN_JOB_DATA_TOTAL);
    info->dataProcessed = get_ullong(st, VIR_DOMAIN_JOB_DATA_PROCESSED);
    info->dataRemaining = get_ullong(st, VIR_DOMAIN_JOB_DATA_REMAINING);
    info->memTotal = get_ullong(st, VIR_DOMAIN_JOB_MEMORY_TOTAL);
    info->memProcessed = get_ullong(st, VIR_DOMAIN_JOB_MEMORY_PROCESSED);
    info->memRemaining = get_ullong(st, VIR_DOMAIN_JOB_MEMORY_REMAINING);
    info->fileTotal = get_ullong(st, VIR_DOMAIN_JOB_DISK_TOTAL);
    info->fileProcessed = get_ullong(st, VIR_DOMAIN_JOB_DISK_PROCESSED);
    info->fileRemaining = get_ullong(st, VIR_DOMAIN_JOB_DISK_REMAINING);
}

static void print_size(vmsh_ctl *ctl, const char *label, unsigned long long value,
                       const char *per)
{
    const char *unit;
    double val = vmsh_pretty_capacity(value, &unit);

    vmsh_print(ctl, "%-17s %-.3lf %s%s\n", label, val, unit, per);
}

/* processed, remaining, total: the three lines of a kind of data, if any is set. */
static bool print_triple(vmsh_ctl *ctl, const char *kind, unsigned long long processed,
                         unsigned long long remaining, unsigned long long total)
{
    g_autofree char *l1 = g_strdup_printf("%s processed:", kind);
    g_autofree char *l2 = g_strdup_printf("%s remaining:", kind);
    g_autofree char *l3 = g_strdup_printf("%s total:", kind);

    if (!total && !remaining && !processed)
        return false;
    print_size(ctl, l1, processed, "");
    print_size(ctl, l2, remaining, "");
    print_size(ctl, l3, total, "");
    return true;
}

/* An optional statistic: FMT is "ms", "pages/s", "bytes", "" (a number, padded to
 * WIDTH), "size" or "rate" (a size per second, left out when 0). */
static bool print_opt(vmsh_ctl *ctl, job_stats *st, const char *name, const char *label,
                      const char *fmt, int width)
{
    unsigned long long value;
    int rc = opt_ullong(st, name, &value);

    if (rc <= 0)
        return rc == 0;
    if (g_str_equal(fmt, "size")) {
        print_size(ctl, label, value, "");
    } else if (g_str_equal(fmt, "rate")) {
        if (value)
            print_size(ctl, label, value, "/s");
    } else if (*fmt) {
        vmsh_print(ctl, "%-17s %-*llu %s\n", label, width, value, fmt);
    } else {
        vmsh_print(ctl, "%-17s %-*llu\n", label, width, value);
    }
    return true;
}

static bool print_memory(vmsh_ctl *ctl, job_stats *st)
{
    const virDomainJobInfo *info = &st->info;

    if (!print_triple(ctl, "Memory", info->memProcessed, info->memRemaining, info->memTotal))
        return true;
    return print_opt(ctl, st, VIR_DOMAIN_JOB_MEMORY_BPS, "Memory bandwidth:", "rate", 0) &&
           print_opt(ctl, st, VIR_DOMAIN_JOB_MEMORY_DIRTY_RATE, "Dirty rate:", "pages/s", 12) &&
           print_opt(ctl, st, VIR_DOMAIN_JOB_MEMORY_PAGE_SIZE, "Page size:", "bytes", 12) &&
           print_opt(ctl, st, VIR_DOMAIN_JOB_MEMORY_ITERATION, "Iteration:", "", 12) &&
           print_opt(ctl, st, VIR_DOMAIN_JOB_MEMORY_POSTCOPY_REQS, "Postcopy requests:", "", 12);
}

static bool print_downtime(vmsh_ctl *ctl, job_stats *st)
{
    const char *label = st->info.type == VIR_DOMAIN_JOB_COMPLETED ? "Total downtime:"
                                                                  : "Expected downtime:";

    return print_opt(ctl, st, VIR_DOMAIN_JOB_DOWNTIME, label, "ms", 12) &&
           print_opt(ctl, st, VIR_DOMAIN_JOB_DOWNTIME_NET, "Downtime w/o network:", "ms", 12) &&
           print_opt(ctl, st, VIR_DOMAIN_JOB_SETUP_TIME, "Setup time:", "ms", 12);
}

static bool print_compression(vmsh_ctl *ctl, job_stats *st)
{
    int throttle, rc;

    if (!print_opt(ctl, st, VIR_DOMAIN_JOB_COMPRESSION_CACHE, "Compression cache:", "size", 0) ||
        !print_opt(ctl, st, VIR_DOMAIN_JOB_COMPRESSION_BYTES, "Compressed data:", "size", 0) ||
        !print_opt(ctl, st, VIR_DOMAIN_JOB_COMPRESSION_PAGES, "Compressed pages:", "", 13) ||
        !print_opt(ctl, st, VIR_DOMAIN_JOB_COMPRESSION_CACHE_MISSES,
                   "Compression cache misses:", "", 13) ||
        !print_opt(ctl, st, VIR_DOMAIN_JOB_COMPRESSION_OVERFLOW, "Compression overflows:", "", 13))
        return false;
    rc = virTypedParamsGetInt(st->params, st->nparams, VIR_DOMAIN_JOB_AUTO_CONVERGE_THROTTLE,
                              &throttle);
    if (rc < 0)
        return false;
    if (rc)
        vmsh_print(ctl, "%-17s %-13d\n", "Auto converge throttle:", throttle);
    return true;
}

/* The statistic lines, in virsh's order; false (error kept) on a mistyped one. */
static bool print_stats(vmsh_ctl *ctl, job_stats *st)
{
    const virDomainJobInfo *info = &st->info;
    const char *errmsg;
    int rc;

    vmsh_print(ctl, "%-17s %-12llu ms\n", "Time elapsed:", info->timeElapsed);
    if (!print_opt(ctl, st, VIR_DOMAIN_JOB_TIME_ELAPSED_NET, "Time elapsed w/o network:", "ms", 12))
        return false;
    if (info->type == VIR_DOMAIN_JOB_BOUNDED)
        vmsh_print(ctl, "%-17s %-12llu ms\n", "Time remaining:", info->timeRemaining);
    print_triple(ctl, "Data", info->dataProcessed, info->dataRemaining, info->dataTotal);
    if (!print_memory(ctl, st))
        return false;
    if (print_triple(ctl, "File", info->fileProcessed, info->fileRemaining, info->fileTotal) &&
        !print_opt(ctl, st, VIR_DOMAIN_JOB_DISK_BPS, "File bandwidth:", "rate", 0))
        return false;
    if (!print_opt(ctl, st, VIR_DOMAIN_JOB_MEMORY_CONSTANT, "Constant pages:", "", 12) ||
        !print_opt(ctl, st, VIR_DOMAIN_JOB_MEMORY_NORMAL, "Normal pages:", "", 12) ||
        !print_opt(ctl, st, VIR_DOMAIN_JOB_MEMORY_NORMAL_BYTES, "Normal data:", "size", 0) ||
        !print_downtime(ctl, st) || !print_compression(ctl, st) ||
        !print_opt(ctl, st, VIR_DOMAIN_JOB_DISK_TEMP_USED, "Temporary disk space use:", "size", 0) ||
        !print_opt(ctl, st, VIR_DOMAIN_JOB_DISK_TEMP_TOTAL, "Temporary disk space total:", "size", 0))
        return false;
    rc = virTypedParamsGetString(st->params, st->nparams, VIR_DOMAIN_JOB_ERRMSG, &errmsg);
    if (rc < 0)
        return false;
    if (rc == 1)
        vmsh_print(ctl, "%-17s %s\n", "Error message:", errmsg);
    return true;
}

static void print_raw(vmsh_ctl *ctl, const job_stats *st)
{
    vmsh_print(ctl, "Job type: %d\n\n", st->info.type);
    for (int i = 0; i < st->nparams; i++) {
        g_autofree char *value = vmsh_typed_param_string(&st->params[i]);
        vmsh_print(ctl, "%s: %s\n", st->params[i].field, value ? value : "(null)");
    }
}

/* The job's statistics, or its basic information from a server without them. */
static bool get_stats(vmsh_ctl *ctl, virDomainPtr dom, unsigned int flags, bool raw,
                      job_stats *st)
{
    if (virDomainGetJobStats(dom, &st->info.type, &st->params, &st->nparams, flags) == 0) {
        stats_to_info(st);
        return !st->failed;
    }
    if (vmsh_error_code(ctl) != VIR_ERR_NO_SUPPORT)
        return false;
    if (flags || raw) {
        vmsh_error(ctl, "%s", "Optional flags or --rawstats are not supported by the daemon");
        return false;
    }
    vmsh_debug(ctl, VMSH_ERR_DEBUG, "detailed statistics not supported\n");
    vmsh_reset_error(ctl);
    return virDomainGetJobInfo(dom, &st->info) == 0;
}

static bool show(vmsh_ctl *ctl, const vmsh_cmd *cmd, virDomainPtr dom, job_stats *st)
{
    unsigned int flags = 0;
    int op = VIR_DOMAIN_JOB_OPERATION_UNKNOWN;
    bool raw = vmsh_opt_bool(cmd, "rawstats");

    if (vmsh_opt_bool(cmd, "completed"))
        flags |= VIR_DOMAIN_JOB_STATS_COMPLETED;
    if (vmsh_opt_bool(cmd, "keep-completed"))
        flags |= VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED;
    if (!get_stats(ctl, dom, flags, raw, st))
        return false;
    if (raw) {
        print_raw(ctl, st);
        return true;
    }
    vmsh_print(ctl, "%-17s %-12s\n", "Job type:", vmsh_job_type_name(st->info.type));
    if (st->info.type == VIR_DOMAIN_JOB_NONE)
        return true;
    if (virTypedParamsGetInt(st->params, st->nparams, VIR_DOMAIN_JOB_OPERATION, &op) < 0)
        return false;
    vmsh_print(ctl, "%-17s %-12s\n", "Operation:", vmsh_job_operation_name(op));
    if (!vmsh_opt_bool(cmd, "anystats") && st->info.type != VIR_DOMAIN_JOB_BOUNDED &&
        st->info.type != VIR_DOMAIN_JOB_UNBOUNDED &&
        (!(flags & VIR_DOMAIN_JOB_STATS_COMPLETED) || st->info.type != VIR_DOMAIN_JOB_COMPLETED))
        return true;
    return print_stats(ctl, st);
}

static bool cmd_domjobinfo(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    job_stats st = { 0 };
    bool ok;

    VMSH_REQUIRES("keep-completed", "completed");
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    ok = show(ctl, cmd, dom, &st);
    virTypedParamsFree(st.params, st.nparams);
    return ok;
}

const vmsh_cmd_def vmsh_cmd_domjobinfo = {
    .name = "domjobinfo",
    .group = "domain",
    .summary = "show the progress of a domain's job",
    .description = "Prints the type, operation and statistics (time, data copied and left, "
                   "temporary space...) of the job running on a domain, such as a backup, "
                   "or with --completed of the last one that ended.",
    .opts = opts,
    .handler = cmd_domjobinfo,
};
