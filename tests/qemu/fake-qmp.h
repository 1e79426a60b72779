/* A scripted fake QEMU monitor for tests: listens on a UNIX socket in a thread of
 * the test process and plays a script against the one client that connects.
 *
 * Script lines (blank lines and lines starting with '#' are ignored); the '>' and
 * '<' lines are exactly the lines of the recorded transcripts, so a transcript is a
 * script:
 *
 *   > JSON              expect a command: "execute" must match and "arguments", when
 *                       the line has them, must be equal
 *   < JSON              send JSON; a reply ("return"/"error") without "id" gets the id
 *                       of the oldest unanswered command, an event without
 *                       "timestamp" gets the current time
 *   ! handshake         greeting, then expect qmp_capabilities and answer {}
 *   ! greeting JSON     send this greeting instead of QEMU 7.2.22's
 *   ! no-greeting       send no greeting (must come first)
 *   ! listen-after MS   create the socket only MS ms after starting (must come first)
 *   ! answer CMD JSON   send JSON as the reply to the oldest unanswered command CMD
 *   ! unordered N       the next N '>' lines may be matched in any order
 *   ! huge BYTES        answer the oldest unanswered command with a string of BYTES 'x'
 *   ! raw TEXT          send TEXT and a newline verbatim (garbage)
 *   ! delay MS          wait
 *   ! close             close the connection
 *
 * When the script ends without "! close" the fake waits for the client to close.
 * Anything unexpected (a different command, a command after the end of the script,
 * a syntax error) is recorded as a problem and answered with a GenericError. */
#pragma once

#include <stdbool.h>

typedef struct fake_qmp fake_qmp;

/* Serve script (its text) / the script in file script_path on socket_path. */
fake_qmp *fake_qmp_start(const char *socket_path, const char *script);
fake_qmp *fake_qmp_start_file(const char *socket_path, const char *script_path);

/* Wait up to timeout_ms for the script to end and the connection to close. True
 * when it ended and everything went as scripted. */
bool fake_qmp_wait(fake_qmp *fake, int timeout_ms);

/* What went wrong, one problem a line ("" when nothing). */
const char *fake_qmp_problems(fake_qmp *fake);

/* How many commands the fake has received. */
unsigned int fake_qmp_commands_received(fake_qmp *fake);

/* Stop serving (interrupting the script), remove the socket, release. */
void fake_qmp_free(fake_qmp *fake);
