/*
 * attach_worker.h: cleaning one file in a confined child process.
 *
 * The child is forked for the one file (it has the bytes already: they
 * are in its copy of the memory), initialises the cleaner, closes every
 * descriptor but its result pipe and stderr, sets its resource limits
 * and installs its seccomp filter (attach_confine.h), and only then
 * decodes. The parent waits at most ATTACH_WORKER_WALL seconds for the
 * result, kills the child if it has to, and reads its end: a crash, a
 * killed or a timed-out worker is a refusal, never a crash of the
 * caller.
 *
 * The caller must be able to fork: the CLI can; `gehoord serve` forks
 * its cleaning supervisor before it confines itself.
 */
#ifndef GH_REPORT_ATTACH_WORKER_H
#define GH_REPORT_ATTACH_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "report/attach_clean.h"

#define ATTACH_WORKER_WALL	20	/* seconds of wall-clock time */

/*
 * Cleans the n bytes at in in a new confined child. On ATTACH_OK *out is
 * the malloc'd cleaned file (caller frees) of *outlen bytes, *type its
 * kind; otherwise *out is NULL and the refusal says why.
 */
enum attach_refusal attach_worker_clean(const uint8_t *in, size_t n,
    uint8_t **out, size_t *outlen, enum attach_type *type) GH_WUR;

/* As attach_worker_clean with a wall-clock limit of wall_ms milliseconds
 * instead of ATTACH_WORKER_WALL seconds (tests). */
enum attach_refusal attach_worker_clean_within(const uint8_t *in, size_t n,
    long long wall_ms, uint8_t **out, size_t *outlen,
    enum attach_type *type) GH_WUR;

#endif
