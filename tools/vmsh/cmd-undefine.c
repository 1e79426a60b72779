/* undefine: removes a domain's definition, with the metadata and state the flags name. */
#include "vmsh-util.h"

#include <stdlib.h>
#include <string.h>

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "managed-save", .type = VMSH_OT_BOOL, .help = "also remove the managed save image" },
    { .name = "storage", .type = VMSH_OT_STRING,
      .help = "also remove these storage volumes (comma-separated disk targets or source paths)" },
    { .name = "remove-all-storage", .type = VMSH_OT_BOOL,
      .help = "also remove every storage volume of its disks" },
    { .name = "delete-storage-volume-snapshots", .type = VMSH_OT_BOOL,
      .help = "with --remove-all-storage: remove the volumes' snapshots too" },
    { .name = "wipe-storage", .type = VMSH_OT_BOOL, .help = "wipe the volumes before removing them" },
    { .name = "snapshots-metadata", .type = VMSH_OT_BOOL,
      .help = "also remove its snapshot metadata (inactive domains)" },
    { .name = "checkpoints-metadata", .type = VMSH_OT_BOOL,
      .help = "also remove its checkpoint metadata (inactive domains)" },
    { .name = "nvram", .type = VMSH_OT_BOOL, .help = "also remove its NVRAM file" },
    { .name = "keep-nvram", .type = VMSH_OT_BOOL, .help = "keep its NVRAM file" },
    { .name = "tpm", .type = VMSH_OT_BOOL, .help = "also remove its TPM state" },
    { .name = "keep-tpm", .type = VMSH_OT_BOOL, .help = "keep its TPM state" },
    { .name = NULL },
};

/* What exists besides the definition, for an inactive domain. */
typedef struct {
    int managed_save;
    int snapshots;
    int snapshots_metadata;
    int checkpoints_metadata;
    bool new_api; /* the server knows every undefine flag we may pass */
} leftovers;

static bool count_leftovers(vmsh_ctl *ctl, virDomainPtr dom, leftovers *l)
{
    if ((l->managed_save = virDomainHasManagedSaveImage(dom, 0)) < 0) {
        if (vmsh_error_code(ctl) != VIR_ERR_NO_SUPPORT)
            return false;
        vmsh_reset_error(ctl);
        l->managed_save = 0;
    }
    if ((l->snapshots = virDomainSnapshotNum(dom, 0)) < 0) {
        if (vmsh_error_code(ctl) != VIR_ERR_NO_SUPPORT)
            return false;
        vmsh_reset_error(ctl);
        l->snapshots = 0;
    }
    if (l->snapshots) {
        l->snapshots_metadata = virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_METADATA);
        if (l->snapshots_metadata < 0) {
            /* an old server: assume every snapshot has metadata */
            vmsh_reset_error(ctl);
            l->snapshots_metadata = l->snapshots;
        } else {
            l->new_api = true;
        }
    }
    if ((l->checkpoints_metadata = virDomainListAllCheckpoints(dom, NULL, 0)) < 0) {
        if (vmsh_error_code(ctl) != VIR_ERR_NO_SUPPORT)
            return false;
        vmsh_reset_error(ctl);
        l->checkpoints_metadata = 0;
    }
    return true;
}

/* --storage / --remove-all-storage: the library manages no storage volumes, so every
 * disk picked is reported as one to remove by hand; a picked name that matches no
 * disk stops the command. */
static bool check_storage(vmsh_ctl *ctl, virDomainPtr dom, const char *list)
{
    g_autofree char *xml = virDomainGetXMLDesc(dom, 0);
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(xmlXPathContext) ctxt = NULL;
    g_autofree xmlNodePtr *disks = NULL;
    g_auto(GStrv) wanted = list ? vmsh_split_commas(list) : NULL;
    guint nwanted = wanted ? g_strv_length(wanted) : 0;
    g_autofree bool *found = g_new0(bool, nwanted + 1);
    bool missing = false;
    int n;

    if (!xml || !(doc = vmsh_xml_parse(ctl, xml, "(domain_definition)", &ctxt)))
        return false;
    if ((n = vmsh_xpath_nodes(ctl, ctxt, "./devices/disk", &disks)) < 0)
        return false;
    for (int i = 0; i < n; i++) {
        ctxt->node = disks[i];
        g_autofree char *target = vmsh_xpath_string(ctxt, "string(./target/@dev)");
        g_autofree char *source = vmsh_xpath_string(ctxt,
            "string(./source/@file|./source/@dir|./source/@name|./source/@dev|./source/@volume)");
        g_autofree char *pool = vmsh_xpath_string(ctxt, "string(./source/@pool)");
        bool picked = !wanted;

        if (!target)
            return false;
        if (!source)
            continue;
        for (guint j = 0; j < nwanted && !picked; j++) {
            if (!found[j] && (strcmp(wanted[j], target) == 0 || strcmp(wanted[j], source) == 0))
                found[j] = picked = true;
        }
        if (!picked)
            continue;
        if (pool)
            vmsh_error(ctl, "Storage pool '%s' for volume '%s' not found.", pool, target);
        else
            vmsh_error(ctl, "Storage volume '%s'(%s) is not managed by libvirt. "
                       "Remove it manually.\n", target, source);
    }
    for (guint j = 0; j < nwanted; j++) {
        if (!found[j]) {
            vmsh_error(ctl, "Volume '%s' was not found in domain's definition.\n", wanted[j]);
            missing = true;
        }
    }
    return !missing;
}

static bool check_options(vmsh_ctl *ctl, const vmsh_cmd *cmd, const char *storage)
{
    bool remove_all = vmsh_opt_bool(cmd, "remove-all-storage");

    if (!vmsh_opts_exclusive(ctl, cmd, "nvram", "keep-nvram") ||
        !vmsh_opts_exclusive(ctl, cmd, "tpm", "keep-tpm"))
        return false;
    if (!(storage || remove_all) && vmsh_opt_bool(cmd, "wipe-storage")) {
        vmsh_error(ctl, "%s",
                   "'--wipe-storage' requires '--storage <string>' or '--remove-all-storage'");
        return false;
    }
    return vmsh_opts_require(ctl, cmd, "delete-storage-volume-snapshots", "remove-all-storage");
}

static unsigned int undefine_flags(const vmsh_cmd *cmd)
{
    unsigned int flags = 0;

    if (vmsh_opt_bool(cmd, "managed-save"))
        flags |= VIR_DOMAIN_UNDEFINE_MANAGED_SAVE;
    if (vmsh_opt_bool(cmd, "snapshots-metadata"))
        flags |= VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA;
    if (vmsh_opt_bool(cmd, "checkpoints-metadata"))
        flags |= VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA;
    if (vmsh_opt_bool(cmd, "nvram"))
        flags |= VIR_DOMAIN_UNDEFINE_NVRAM;
    if (vmsh_opt_bool(cmd, "keep-nvram"))
        flags |= VIR_DOMAIN_UNDEFINE_KEEP_NVRAM;
    if (vmsh_opt_bool(cmd, "tpm"))
        flags |= VIR_DOMAIN_UNDEFINE_TPM;
    if (vmsh_opt_bool(cmd, "keep-tpm"))
        flags |= VIR_DOMAIN_UNDEFINE_KEEP_TPM;
    return flags;
}

/* Without the flags API (or when it can't be trusted), undefine piece by piece. */
static int undefine_piecewise(vmsh_ctl *ctl, const vmsh_cmd *cmd, virDomainPtr dom,
                              const leftovers *l)
{
    if (l->managed_save) {
        if (!vmsh_opt_bool(cmd, "managed-save"))
            vmsh_error(ctl, "%s", "Refusing to undefine while domain managed save image exists");
        else
            vmsh_error(ctl, "%s", "cannot remove the managed save image of this domain");
        return -2;
    }
    if (l->snapshots_metadata) {
        vmsh_error(ctl, vmsh_opt_bool(cmd, "snapshots-metadata")
                            ? "Unable to remove metadata of %d snapshots"
                            : "Refusing to undefine while %d snapshots exist",
                   l->snapshots_metadata);
        return -2;
    }
    if (l->checkpoints_metadata) {
        vmsh_error(ctl, vmsh_opt_bool(cmd, "checkpoints-metadata")
                            ? "Unable to remove metadata of %d checkpoints"
                            : "Refusing to undefine while %d checkpoints exist",
                   l->checkpoints_metadata);
        return -2;
    }
    return virDomainUndefine(dom);
}

static bool cmd_undefine(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    const char *name = NULL, *storage = NULL;
    unsigned int flags = undefine_flags(cmd);
    leftovers l = { 0 };
    int running, rc = -1;

    (void)vmsh_opt_string_quiet(cmd, "storage", &storage);
    if (!check_options(ctl, cmd, storage))
        return false;
    g_autoptr(virDomain) dom = vmsh_opt_domain(ctl, cmd, &name);
    if (!dom)
        return false;
    if ((running = virDomainIsActive(dom)) < 0)
        return false;
    if (!running && !count_leftovers(ctl, dom, &l))
        return false;
    bool managed_save_safe = vmsh_opt_bool(cmd, "managed-save") || l.new_api;
    bool snapshots_safe = vmsh_opt_bool(cmd, "snapshots-metadata") || l.new_api;
    if (!l.managed_save) {
        flags &= ~VIR_DOMAIN_UNDEFINE_MANAGED_SAVE;
        managed_save_safe = true;
    }
    if (!l.snapshots)
        snapshots_safe = true;
    if (!l.snapshots_metadata) {
        flags &= ~VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA;
        snapshots_safe = true;
    }
    if (!l.checkpoints_metadata)
        flags &= ~VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA;

    if (storage || vmsh_opt_bool(cmd, "remove-all-storage")) {
        if (running) {
            vmsh_error(ctl, "%s", "Storage volume deletion is supported only on stopped domains");
            return false;
        }
        if (storage && vmsh_opt_bool(cmd, "remove-all-storage")) {
            vmsh_error(ctl, "%s", "Specified both --storage and --remove-all-storage");
            return false;
        }
        if (!check_storage(ctl, dom, storage))
            return false;
    }
    if ((managed_save_safe && snapshots_safe) || vmsh_opt_bool(cmd, "nvram")) {
        rc = virDomainUndefineFlags(dom, flags);
        int code = rc == 0 ? VIR_ERR_OK : vmsh_error_code(ctl);
        if (rc == 0 || vmsh_opt_bool(cmd, "nvram") ||
            (code != VIR_ERR_NO_SUPPORT && code != VIR_ERR_INVALID_ARG))
            goto done;
        vmsh_reset_error(ctl);
    }
    if ((rc = undefine_piecewise(ctl, cmd, dom, &l)) == -2)
        return false;
 done:
    if (rc != 0) {
        vmsh_error(ctl, "Failed to undefine domain '%s'", name);
        return false;
    }
    vmsh_print_extra(ctl, "Domain '%s' has been undefined\n", name);
    return true;
}

const vmsh_cmd_def vmsh_cmd_undefine = {
    .name = "undefine",
    .group = "domain",
    .summary = "remove a domain's definition",
    .description = "Removes the persistent definition of a domain; a running domain "
                   "goes on as a transient one.",
    .opts = opts,
    .handler = cmd_undefine,
};
