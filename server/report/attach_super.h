/*
 * attach_super.h: the cleaning supervisor of a server that confines
 * itself.
 *
 * `gehoord serve` installs a seccomp filter after start-up that forbids
 * fork and exec, so it cannot start a cleaning worker when a file comes.
 * Instead it starts this supervisor first, before it loads any secret
 * (the supervisor is a fork and has a copy of what its parent held then)
 * and before its threads: a child process that waits on a socketpair for
 * a file, cleans it in a new confined worker of its own
 * (attach_worker.h), and sends back the result. The server only reads
 * and writes the socket, which its filter allows. The supervisor dies
 * with its parent (PR_SET_PDEATHSIG) and when the socket closes.
 *
 * Wire format, both ways over a SOCK_STREAM socketpair: a request is an
 * 8-byte length and the file; a reply is the refusal (4 bytes), the type
 * (4 bytes), an 8-byte length and the cleaned file.
 */
#ifndef GH_REPORT_ATTACH_SUPER_H
#define GH_REPORT_ATTACH_SUPER_H

#include <stddef.h>
#include <stdint.h>

#include "report/attach_clean.h"

struct attach_super;

/*
 * Forks the supervisor. Call before threads start and before secrets are
 * loaded. With user (not NULL) and started as root, the supervisor
 * switches to that user's uid and primary group, with no supplementary
 * groups, before it serves a file. Returns GH_OK with *out (stop with
 * attach_super_stop), GH_ERR_USAGE (an unknown user) or GH_ERR_IO
 * (logged).
 */
int attach_super_start(const char *user, struct attach_super **out) GH_WUR;

/*
 * Cleans the n bytes at in through the supervisor; callers on several
 * threads take turns. On ATTACH_OK *out is malloc'd (caller frees).
 * ATTACH_REFUSE_INTERNAL if the supervisor is gone.
 */
enum attach_refusal attach_super_clean(struct attach_super *s,
    const uint8_t *in, size_t n, uint8_t **out, size_t *outlen,
    enum attach_type *type) GH_WUR;

/* Closes the socket, waits for the supervisor and frees s; accepts NULL. */
void attach_super_stop(struct attach_super *s);

/*
 * Closes the socket and frees s without waiting (accepts NULL): for a
 * confined process that may not wait; the supervisor ends on the closed
 * socket, and with its parent.
 */
void attach_super_close(struct attach_super *s);

#endif
