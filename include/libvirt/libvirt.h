/* libvirt.h: the one header applications include to use the virtmoment (libvirt-compatible) API. */

#ifndef LIBVIRT_H
#define LIBVIRT_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The sub-headers refuse to be included except from here. */
#define __VIR_LIBVIRT_H_INCLUDES__
#include <libvirt/libvirt-common.h>
#include <libvirt/libvirt-host.h>
#include <libvirt/libvirt-domain.h>
#include <libvirt/libvirt-domain-checkpoint.h>
#include <libvirt/libvirt-domain-snapshot.h>
#include <libvirt/libvirt-event.h>
#include <libvirt/libvirt-network.h>
#undef __VIR_LIBVIRT_H_INCLUDES__

/* Unlike libvirt's libvirt.h, this one also brings in the error API. */
#include <libvirt/virterror.h>

#ifdef __cplusplus
}
#endif

#endif /* LIBVIRT_H */
