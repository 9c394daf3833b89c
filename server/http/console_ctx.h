/*
 * console_ctx.h: what serve keeps for the coordinator's console: the
 * instruments a wave can be made from (the survey definitions of
 * --survey-defs DIR, read and validated once at start, before the
 * sandbox), and the scheduler, a thread that every CONSOLE_TICK_S
 * seconds carries out the waves' scheduled openings and closings
 * (store_console_schedule_run) on a borrowed reading connection; and
 * the links spent per unit, counted in memory as answers are stored and
 * written once a day and at shutdown (console_count_spend).
 */
#ifndef GH_HTTP_CONSOLE_CTX_H
#define GH_HTTP_CONSOLE_CTX_H

#include <stddef.h>

#include "http/ctx.h"

#define CONSOLE_TICK_S		2
#define CONSOLE_DEFS_MAX	64
#define CONSOLE_DEF_NAME_MAX	64
#define CONSOLE_PLAN_MAX	((size_t)1024 * 1024)	/* bytes of a plan */

/*
 * An instrument: the file's name without ".json", its JSON text, and
 * its standard release plan (DIR/plans/ the same name, or NULL).
 */
struct console_def {
	char	 name[CONSOLE_DEF_NAME_MAX + 1];
	char	*json;
	char	*plan;
};

/*
 * Reads the definitions in defs_dir (NULL: none; a file that is not a
 * valid survey definition is skipped, and said so in the log) and starts
 * the scheduler. Call after ctx_init. GH_OK or an error (logged).
 */
int console_ctx_init(struct http_ctx *c, const char *defs_dir) GH_WUR;

/* Stops the scheduler and frees the instruments; accepts an unset ctx. */
void console_ctx_fini(struct http_ctx *c);

/*
 * Counts, in memory only, one link of wave's unit spent: called once its
 * answer is durable. The counts are written in bulk at the first
 * scheduler tick of a new day (UTC) and at shutdown, never with the
 * answer. A unit of "" is not counted. Thread-safe.
 */
void console_count_spend(struct http_ctx *c, int64_t wave, const char *unit);

/* The instruments, in name order; *n gets their number. */
const struct console_def *console_defs(const struct http_ctx *c, size_t *n);

#endif
