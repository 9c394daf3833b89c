/*
 * pwpool.h: the password-hashing pool. A few worker threads run the
 * requests that need Argon2id (receipt logins and what a logged-in
 * reporter does, desk and researcher logins, new reports), so that
 * libmicrohttpd's request threads never run a derivation or wait for
 * one: a survey page or submission is served while the pool is busy.
 * Implemented in pwpool.c.
 *
 * The queue is bounded: a job is first given a place (pwpool_reserve),
 * which is refused at once when queue_max jobs are waiting, and then
 * submitted. The caller answers a refusal with 503 and Retry-After. Each
 * derivation takes its memory (32 or 64 MiB) on a worker, so the pool's
 * size bounds that memory too. Workers run at nice PWPOOL_NICE, below
 * the request threads, so that requests get the cores first.
 *
 * The server starts half as many workers as request threads (at least
 * one): with one a core, a flood of logins kept every core inside
 * Argon2id at once, and niceness did not keep that from the survey's
 * slowest answers (on two cores, its p99 under such a flood was 1.2 to
 * 10 times the p99 without, in five runs, against 1.13 to 1.47 times
 * with one worker).
 */
#ifndef GH_PWPOOL_H
#define GH_PWPOOL_H

#include "util/err.h"

#define PWPOOL_WORKERS_MAX	4	/* workers at most (see above) */
#define PWPOOL_QUEUE_MAX	32	/* jobs waiting; more are refused */
#define PWPOOL_NICE		10	/* the workers' niceness */

struct pwpool;

/* A job; owned by the caller until run has been called. */
struct pwpool_job {
	void			(*run)(struct pwpool_job *job);	/* on a worker */
	void			*arg;
	struct pwpool_job	*next;	/* the pool's queue link */
};

/*
 * Starts workers threads (at nice PWPOOL_NICE, set before this returns)
 * with a queue of at most queue_max waiting jobs. GH_OK, GH_ERR_INVALID
 * (no worker or no queue) or GH_ERR_NOMEM.
 */
int pwpool_new(unsigned int workers, unsigned int queue_max,
    struct pwpool **out) GH_WUR;

/*
 * Holds a place in the queue for one pwpool_submit. GH_OK, or
 * GH_ERR_BUSY when queue_max jobs are waiting or placed, or the pool is
 * stopping.
 */
int pwpool_reserve(struct pwpool *p) GH_WUR;

/* Queues job in the place reserved for it; job->run runs exactly once. */
void pwpool_submit(struct pwpool *p, struct pwpool_job *job);

/*
 * Refuses new reservations, runs every job already placed, and joins
 * the workers. The struct stays valid until pwpool_free, so late callers
 * of pwpool_reserve get GH_ERR_BUSY.
 */
void pwpool_stop(struct pwpool *p);

/* Stops the pool if need be and frees it; accepts NULL. */
void pwpool_free(struct pwpool *p);

#endif
