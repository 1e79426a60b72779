/* remote_error, the payload of an error reply, to and from virError. */
#pragma once

#include <libvirt/virterror.h>
#include "rpc/rpc_protocol.h"

/* Fill out (zeroed first) from err; out owns copies (rpc_free with remote_error_type). */
void rpc_error_from_virerror(const virError *err, remote_error *out);
/* Fill out (zeroed first) from e; out owns copies (virResetError frees them). */
void rpc_error_to_virerror(const remote_error *e, virErrorPtr out);
