/* libvirt-network.h: virtual networks; only the handle type, which virError refers to. */

#ifndef LIBVIRT_NETWORK_H
#define LIBVIRT_NETWORK_H

#ifndef __VIR_LIBVIRT_H_INCLUDES__
#error "Don't include this file directly, only use libvirt/libvirt.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* A virtual network handle; virtmoment has no network API and never creates one. */
typedef struct _virNetwork virNetwork;
typedef virNetwork *virNetworkPtr;

#ifdef __cplusplus
}
#endif

#endif /* LIBVIRT_NETWORK_H */
