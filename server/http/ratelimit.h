/*
 * ratelimit.h: in-memory rate limiting (receipt logins, desk and
 * researcher logins, new reports) that stores no address: nothing that
 * identifies a client is kept, on disk or in the clear in memory.
 * Implemented in ratelimit.c.
 *
 * A limiter per address reduces each address (IPv4, or the /64 of IPv6)
 * to a keyed BLAKE2b hash under a key drawn at start-up and replaced
 * every RATELIMIT_ROTATE_S seconds (every count is dropped with it). The
 * hashes live in a fixed table of RATELIMIT_SETS sets of RATELIMIT_WAYS
 * entries: an address not in the table gets an entry of its own with a
 * full budget, taking the place of the set's stalest entry, so a flood
 * of other addresses can make the table forget an address (which then
 * starts afresh) but never hands it someone else's spent budget, and
 * memory does not grow. A global limiter is one budget shared by every
 * client. Thread-safe.
 */
#ifndef GH_RATELIMIT_H
#define GH_RATELIMIT_H

#include <sys/socket.h>

#include <stdint.h>

#include "util/err.h"

#define RATELIMIT_ROTATE_S	600
#define RATELIMIT_SETS		2048
#define RATELIMIT_WAYS		8	/* entries per set: 16,384 in all */

struct ratelimit;

/*
 * A limiter that allows burst attempts per address at once, refilled at
 * per_min a minute. GH_OK, GH_ERR_INVALID (burst 0) or GH_ERR_NOMEM.
 */
int ratelimit_new(unsigned int burst, unsigned int per_min,
    struct ratelimit **out) GH_WUR;

/* A limiter with one budget for every client (addresses are ignored). */
int ratelimit_new_global(unsigned int burst, unsigned int per_min,
    struct ratelimit **out) GH_WUR;

/* Frees rl; accepts NULL. */
void ratelimit_free(struct ratelimit *rl);

/*
 * Takes one attempt for the address sa (NULL counts as one shared
 * address). Returns GH_OK, or GH_ERR_BUSY when its budget is spent.
 */
int ratelimit_take(struct ratelimit *rl, const struct sockaddr *sa) GH_WUR;

/*
 * Gives back one attempt taken for sa, so that only failures count (a
 * login that succeeded, a report refused by a later limit). The budget
 * never goes above the burst; an address the table has forgotten since
 * is left alone.
 */
void ratelimit_give_back(struct ratelimit *rl, const struct sockaddr *sa);

/* As ratelimit_take and _give_back at a CLOCK_MONOTONIC time in ms (for
 * tests). */
int ratelimit_take_at(struct ratelimit *rl, const struct sockaddr *sa,
    int64_t now_ms) GH_WUR;
void ratelimit_give_back_at(struct ratelimit *rl, const struct sockaddr *sa,
    int64_t now_ms);

#endif
