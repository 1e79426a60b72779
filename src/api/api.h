/* What every public entry point does besides calling its driver: check handles and
 * arguments, report argument errors as libvirt words them, and hand the error back. */
#pragma once

#include <stdbool.h>
#include <libvirt/libvirt.h>
#include "driver.h"
#include "handle.h"
#include "util/error.h"

/* Check a handle; on failure report (invalid connection/domain/snapshot/checkpoint
 * pointer in func), dispatch the error and return false. */
bool api_check_conn(virConnectPtr conn, int from, const char *func);
bool api_check_domain(virDomainPtr domain, int from, const char *func);
bool api_check_snapshot(virDomainSnapshotPtr snapshot, int from, const char *func);
bool api_check_checkpoint(virDomainCheckpointPtr checkpoint, int from, const char *func);

/* Report and return false when conn is read-only (for any change / for the secure
 * flag of an XML getter). */
bool api_check_writable(virConnectPtr conn, int from, const char *func);
bool api_check_secure(virConnectPtr conn, int from, const char *func);

void api_report_null(int from, const char *func, const char *arg);
void api_report_negative(int from, const char *func, const char *arg);
void api_report_requires(int from, const char *func, const char *flag, const char *needed);
void api_report_exclusive(int from, const char *func, const char *a, const char *b);
void api_report_unsupported(int from, const char *func);

/* The entry point fails: keep the error for virGetLastError, copy it to conn's slot
 * (conn may be NULL) and call the error handler. */
void api_dispatch_error(virConnectPtr conn);
