/* libvirt-host.h: connections to a hypervisor, authentication, library version and host information. */

#ifndef LIBVIRT_HOST_H
#define LIBVIRT_HOST_H

#ifndef __VIR_LIBVIRT_H_INCLUDES__
#error "Don't include this file directly, only use libvirt/libvirt.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* A connection to a hypervisor driver, opened by virConnectOpen*(). */
typedef struct _virConnect virConnect;
typedef virConnect *virConnectPtr;

/* A domain's security label (virDomainGetSecurityLabel). */
#define VIR_SECURITY_LABEL_BUFLEN (4096 + 1)
typedef struct _virSecurityLabel virSecurityLabel;
struct _virSecurityLabel {
    char label[VIR_SECURITY_LABEL_BUFLEN]; /* the label, NUL-terminated */
    int enforcing;                         /* 1 when enforced, 0 when permissive */
};
typedef virSecurityLabel *virSecurityLabelPtr;

/* The host's security model (virNodeGetSecurityModel). */
#define VIR_SECURITY_MODEL_BUFLEN (256 + 1)
#define VIR_SECURITY_DOI_BUFLEN (256 + 1)
typedef struct _virSecurityModel virSecurityModel;
struct _virSecurityModel {
    char model[VIR_SECURITY_MODEL_BUFLEN]; /* model name, NUL-terminated */
    char doi[VIR_SECURITY_DOI_BUFLEN];     /* domain of interpretation, NUL-terminated */
};
typedef virSecurityModel *virSecurityModelPtr;

/* Host information returned by virNodeGetInfo(). */
typedef struct _virNodeInfo virNodeInfo;

struct _virNodeInfo {
    char model[32];       /* CPU model, NUL-terminated */
    unsigned long memory; /* memory size in KiB */
    unsigned int cpus;    /* number of active CPUs */
    unsigned int mhz;     /* expected CPU frequency, 0 if unknown */
    unsigned int nodes;   /* NUMA cells (1 when the topology is unusual) */
    unsigned int sockets; /* CPU sockets per NUMA cell */
    unsigned int cores;   /* cores per socket */
    unsigned int threads; /* threads per core */
};

typedef virNodeInfo *virNodeInfoPtr;

/* Upper bound on the number of host CPUs described by a virNodeInfo. */
#define VIR_NODEINFO_MAXCPUS(nodeinfo) ((nodeinfo).nodes*(nodeinfo).sockets*(nodeinfo).cores*(nodeinfo).threads)

/* Flags for virConnectOpenAuth(). */
typedef enum {
    VIR_CONNECT_RO = (1 << 0),         /* read-only connection */
    VIR_CONNECT_NO_ALIASES = (1 << 1), /* do not resolve URI aliases */
} virConnectFlags;

/* Kinds of credential an authentication callback may be asked for. */
typedef enum {
    VIR_CRED_USERNAME = 1,     /* identity to act as */
    VIR_CRED_AUTHNAME = 2,     /* identity to authorize as */
    VIR_CRED_LANGUAGE = 3,     /* RFC 1766 languages, comma separated */
    VIR_CRED_CNONCE = 4,       /* client-supplied nonce */
    VIR_CRED_PASSPHRASE = 5,   /* passphrase secret */
    VIR_CRED_ECHOPROMPT = 6,   /* challenge response, echoed */
    VIR_CRED_NOECHOPROMPT = 7, /* challenge response, not echoed */
    VIR_CRED_REALM = 8,        /* authentication realm */
    VIR_CRED_EXTERNAL = 9,     /* externally managed credential */
#ifdef VIR_ENUM_SENTINELS
    VIR_CRED_LAST
#endif
} virConnectCredentialType;

/* One credential request; the callback fills result (malloc'd) and resultlen. */
struct _virConnectCredential {
    int type;              /* a virConnectCredentialType */
    const char *prompt;    /* text to show to the user */
    const char *challenge; /* extra challenge text */
    const char *defresult; /* default answer, may be NULL */
    char *result;          /* answer, set by the callback */
    unsigned int resultlen; /* length of result */
};

typedef struct _virConnectCredential virConnectCredential;
typedef virConnectCredential *virConnectCredentialPtr;

/* Collects ncred credentials; returns 0 on success, -1 on failure. */
typedef int (*virConnectAuthCallbackPtr)(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata);

/* The credential types a client can supply and the callback that supplies them. */
struct _virConnectAuth {
    int *credtype;                /* list of virConnectCredentialType values */
    unsigned int ncredtype;       /* length of credtype */
    virConnectAuthCallbackPtr cb; /* collects the credentials */
    void *cbdata;                 /* passed to cb */
};

typedef struct _virConnectAuth virConnectAuth;
typedef virConnectAuth *virConnectAuthPtr;

/* A ready-made authenticator that prompts on the terminal. */
VIR_EXPORT_VAR virConnectAuthPtr virConnectAuthPtrDefault;

/* Size of a raw UUID and of its printable form with the NUL. */
#define VIR_UUID_BUFLEN (16)
#define VIR_UUID_STRING_BUFLEN (36+1)

/* Library initialisation and version. */
int virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer);
int virInitialize(void);

/* Opening and closing connections. */
virConnectPtr virConnectOpen(const char *name);
virConnectPtr virConnectOpenReadOnly(const char *name);
virConnectPtr virConnectOpenAuth(const char *name, virConnectAuthPtr auth, unsigned int flags);
int virConnectRef(virConnectPtr conn);
int virConnectClose(virConnectPtr conn);

/* Connection properties. */
const char *virConnectGetType(virConnectPtr conn);
int virConnectGetVersion(virConnectPtr conn, unsigned long *hvVer);
int virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer);
char *virConnectGetHostname(virConnectPtr conn);
char *virConnectGetURI(virConnectPtr conn);

/* Keepalive and notification of a closed connection. */
int virConnectSetKeepAlive(virConnectPtr conn, int interval, unsigned int count);

/* Called when the connection closes; reason is a virConnectCloseReason. */
typedef void (*virConnectCloseFunc)(virConnectPtr conn, int reason, void *opaque);

int virConnectRegisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb, void *opaque, virFreeCallback freecb);
int virConnectUnregisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb);

/* Host capabilities and information. */
int virConnectGetMaxVcpus(virConnectPtr conn, const char *type);
int virNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info);
int virNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel);
char *virConnectGetCapabilities(virConnectPtr conn);

/* Connection state: each returns 1, 0, or -1 on error. */
int virConnectIsEncrypted(virConnectPtr conn);
int virConnectIsSecure(virConnectPtr conn);
int virConnectIsAlive(virConnectPtr conn);

#ifdef __cplusplus
}
#endif

#endif /* LIBVIRT_HOST_H */
