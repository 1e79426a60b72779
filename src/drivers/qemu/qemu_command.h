/* The QEMU command line of a domain: machine, CPUs, memory, devices, the monitor.
 *
 * QEMU starts with -S (paused), -no-shutdown (a guest shutdown stops the CPUs and
 * QEMU waits for the driver, which applies <on_poweroff>), -nodefaults,
 * -no-user-config and -display none; the monitor is a UNIX socket in the domain's
 * runtime dir. Disks come from qemu_block.h. Devices the driver cannot give the
 * guest are refused (qemu_command_validate) rather than left out. */
#pragma once

#include <glib.h>
#include "conf/domain_conf.h"

typedef struct {
    const char *monitor_path;   /* the QMP socket */
    const char *run_dir;        /* where generated sockets go (guest agent) */
    bool kvm;                   /* accel kvm, else tcg */
} qemu_command_opts;

/* Whether the driver can run def: machine, OS, devices. -1 with an error
 * (VIR_ERR_CONFIG_UNSUPPORTED) naming the first thing it cannot. */
int qemu_command_validate(const domain_def *def);

/* QEMU's argv for def, the live definition, whose disks qemu_block_prepare made
 * ready (disks: its result). Completes def with what the live XML shows: device
 * aliases, the guest agent's socket path. */
GStrv qemu_command_build(domain_def *def, const qemu_command_opts *opts, const GPtrArray *disks);

/* argv as one line for the log, arguments quoted where a shell would need it. */
char *qemu_command_to_string(const char *const *argv);

/* ---- qemu_command_devices.c: everything but machine, CPUs, memory and disks ---- */

int qemu_command_validate_devices(const domain_def *def);
/* Append the controllers (before the disks on their buses) / the serial ports,
 * consoles, channels, network cards, video, balloon and the other devices. */
void qemu_command_add_controllers(GPtrArray *argv, domain_def *def);
void qemu_command_add_devices(GPtrArray *argv, domain_def *def, const qemu_command_opts *opts,
                              const unsigned int *net_bootindex);
/* Value escaping for QEMU's key=value options: ',' doubled. */
char *qemu_command_escape(const char *value);
