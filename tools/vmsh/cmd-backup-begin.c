/* backup-begin: starts a push or pull backup of a running domain; --wait follows it to the end. */
#include "vmsh-util.h"

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "backupxml", .type = VMSH_OT_STRING,
      .help = "the <domainbackup> XML (default: a full push backup of every disk)" },
    { .name = "checkpointxml", .type = VMSH_OT_STRING,
      .help = "the <domaincheckpoint> XML of a checkpoint to create with the backup" },
    { .name = "reuse-external", .type = VMSH_OT_BOOL,
      .help = "use the target and scratch files that exist already" },
    { .name = "wait", .type = VMSH_OT_BOOL,
      .help = "wait until the job ends (a progress bar on a terminal; Ctrl-C aborts it)" },
    { .name = NULL },
};

static bool cmd_backup_begin(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    g_autofree char *backup_xml = NULL, *checkpoint_xml = NULL;
    g_autoptr(vmsh_backup_wait) wait = NULL;
    unsigned int flags = 0;

    if (vmsh_opt_bool(cmd, "reuse-external"))
        flags |= VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL;
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, NULL);
    if (!dom)
        return false;
    if (!vmsh_opt_xml_file(ctl, cmd, "backupxml", "<domainbackup/>", NULL, &backup_xml) ||
        !vmsh_opt_xml_file(ctl, cmd, "checkpointxml", NULL, NULL, &checkpoint_xml))
        return false;
    /* listening starts before the job does, so that its end can't be missed */
    if (vmsh_opt_bool(cmd, "wait") && !(wait = vmsh_backup_wait_new(ctl, dom)))
        return false;
    if (virDomainBackupBegin(dom, backup_xml, checkpoint_xml, flags) < 0)
        return false;
    vmsh_print(ctl, "%s", "Backup started\n"); /* even when quiet, as virsh */
    return !wait || vmsh_backup_wait_run(wait);
}

const vmsh_cmd_def vmsh_cmd_backup_begin = {
    .name = "backup-begin",
    .group = "backup",
    .summary = "start a backup of a running domain's disks",
    .description = "Starts a full or incremental backup job of a running domain's disks, "
                   "pushed to files or served to a client (pull), optionally creating a "
                   "checkpoint for the next incremental backup. The job runs on: follow it "
                   "with domjobinfo or event, end it with domjobabort, or give --wait to "
                   "wait here for its end (with a progress bar on a terminal); --wait fails "
                   "when the job does.",
    .opts = opts,
    .handler = cmd_backup_begin,
};
