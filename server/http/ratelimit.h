/*
 * ratelimit.h: in-memory rate limiting of guesses (receipt logins, desk
 * and researcher logins) that stores no address (DESIGN.md invariant 4).
 * Implemented in ratelimit.c.
 *
 * Each address is reduced to a keyed BLAKE2b hash, truncated, under a key
 * drawn at start-up and replaced every RATELIMIT_ROTATE_S seconds (old
 * counts are dropped with it); counts live in a fixed-size table, so a
 * flood of addresses cannot grow memory. A hash collision can only make
 * two addresses share a budget. Thread-safe.
 */
#ifndef GH_RATELIMIT_H
#define GH_RATELIMIT_H

#include <sys/socket.h>

#include <stdint.h>

#include "util/err.h"

#define RATELIMIT_ROTATE_S	600
#define RATELIMIT_SLOTS		4096

struct ratelimit;

/* A limiter that allows burst attempts per address, refilled at per_min
 * per minute. */
int ratelimit_new(unsigned int burst, unsigned int per_min,
    struct ratelimit **out) GH_WUR;
void ratelimit_free(struct ratelimit *rl);

/*
 * Takes one attempt for the address sa (NULL counts as one shared
 * address). Returns GH_OK, or GH_ERR_BUSY when its budget is spent.
 */
int ratelimit_take(struct ratelimit *rl, const struct sockaddr *sa) GH_WUR;

/* As ratelimit_take at a given CLOCK_MONOTONIC time in ms (for tests). */
int ratelimit_take_at(struct ratelimit *rl, const struct sockaddr *sa,
    int64_t now_ms) GH_WUR;

#endif
