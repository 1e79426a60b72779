/* edit: a domain's persistent XML in the user's editor, then redefined from it. */
#include "vmsh-util.h"

#include <stdlib.h>

static const vmsh_opt_def opts[] = {
    VMSH_OPT_DOMAIN_ANY,
    { .name = "skip-validate", .type = VMSH_OT_BOOL,
      .help = "don't check the edited XML against the schema" },
    { .name = NULL },
};

typedef struct {
    virDomainPtr dom;
    virDomainPtr edited;
    unsigned int define_flags;
} edit_state;

static char *get_xml(vmsh_ctl *ctl, void *opaque)
{
    edit_state *st = opaque;
    char *xml = virDomainGetXMLDesc(st->dom, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE);
    char *copy = g_strdup(xml);

    free(xml);
    return copy;
}

static bool define(vmsh_ctl *ctl, const char *xml, void *opaque)
{
    edit_state *st = opaque;

    if (st->edited)
        virDomainFree(st->edited);
    st->edited = st->define_flags ? virDomainDefineXMLFlags(ctl->conn, xml, st->define_flags)
                                  : virDomainDefineXML(ctl->conn, xml);
    if (!st->edited && st->define_flags == VIR_DOMAIN_DEFINE_VALIDATE &&
        vmsh_error_code(ctl) == VIR_ERR_NO_SUPPORT) {
        /* a server without validation: define without it */
        vmsh_reset_error(ctl);
        st->edited = virDomainDefineXML(ctl->conn, xml);
    }
    return st->edited != NULL;
}

static void relax(void *opaque)
{
    edit_state *st = opaque;

    st->define_flags &= ~VIR_DOMAIN_DEFINE_VALIDATE;
}

static const vmsh_edit_ops ops = { .get_xml = get_xml, .define = define, .relax = relax };

static bool cmd_edit(vmsh_ctl *ctl, const vmsh_cmd *cmd)
{
    edit_state st = { .define_flags = VIR_DOMAIN_DEFINE_VALIDATE };
    int rc;

    if (!(st.dom = vmsh_opt_domain(ctl, cmd, NULL)))
        return false;
    if (vmsh_opt_bool(cmd, "skip-validate"))
        st.define_flags &= ~VIR_DOMAIN_DEFINE_VALIDATE;
    rc = vmsh_edit(ctl, &ops, &st);
    if (rc == 0)
        vmsh_print_extra(ctl, "Domain '%s' XML configuration not changed.\n",
                         virDomainGetName(st.dom));
    else if (rc > 0)
        vmsh_print_extra(ctl, "Domain '%s' XML configuration edited.\n",
                         virDomainGetName(st.edited));
    if (st.edited)
        virDomainFree(st.edited);
    virDomainFree(st.dom);
    return rc >= 0;
}

const vmsh_cmd_def vmsh_cmd_edit = {
    .name = "edit",
    .group = "domain",
    .summary = "edit a domain's XML in an editor",
    .description = "Opens the domain's persistent XML in $VISUAL or $EDITOR (vi by "
                   "default) and redefines the domain from the result.",
    .opts = opts,
    .handler = cmd_edit,
};
