/*
 * store_console.h: the coordinator's audit log (console_audit): who did
 * what in the console, and on which day. A row names the coordinator,
 * an action word (e.g. "wave-open") and its object (a wave's id and
 * name, a unit); it never holds anything about a respondent, a token or
 * an answer, and no time finer than the day.
 */
#ifndef GH_STORE_CONSOLE_H
#define GH_STORE_CONSOLE_H

#include <stdint.h>

#include "store/store.h"

#define CONSOLE_AUDIT_ACTION_MAX	32
#define CONSOLE_AUDIT_OBJECT_MAX	200

/* One row of the audit log, as read back. */
struct console_audit_row {
	int64_t		 id;
	const char	*user;		/* valid during the callback only */
	const char	*action;
	const char	*object;
	int64_t		 day;		/* days since 1970-01-01 (UTC) */
};

/*
 * Appends a row for user's action on object, dated today. Returns GH_OK,
 * GH_ERR_INVALID (an empty or too long field) or GH_ERR_DB.
 */
int store_console_audit_add(struct store *s, const char *user,
    const char *action, const char *object) GH_WUR;

/*
 * Calls fn for the newest rows first, at most max of them; stops early
 * and returns fn's value if it is not GH_OK.
 */
int store_console_audit_foreach(struct store *s, int max,
    int (*fn)(void *arg, const struct console_audit_row *row), void *arg)
    GH_WUR;

/*
 * The schedule of a wave: when serve opens it and when it closes it
 * (seconds since 1970, UTC; 0: not scheduled), and who set it.
 */
struct console_schedule {
	int64_t	 wave_id;
	int64_t	 open_at;
	int64_t	 close_at;
	char	 set_by[65];
};

/*
 * Sets wave's schedule (open_at, close_at: 0 for none) as set by user,
 * replacing the one before. Returns GH_OK, GH_ERR_NOT_FOUND (no such
 * wave), GH_ERR_INVALID (a negative time, a bad name) or GH_ERR_DB.
 */
int store_console_schedule_set(struct store *s, int64_t wave,
    int64_t open_at, int64_t close_at, const char *user) GH_WUR;

/* Reads wave's schedule into *out (all zero if none). GH_OK or GH_ERR_DB. */
int store_console_schedule_get(struct store *s, int64_t wave,
    struct console_schedule *out) GH_WUR;

/*
 * Carries out every scheduled opening and closing due at now: the wave
 * is opened or closed (store_wave_set_open), the time cleared, and an
 * audit row written in the name of who set it ("wave_open_scheduled",
 * "wave_close_scheduled"). *n_done gets how many were carried out.
 * Returns GH_OK or the first error (what was done before stays done).
 */
int store_console_schedule_run(struct store *s, int64_t now, int *n_done)
    GH_WUR;

/* Links of a unit spent since the last flush, counted in memory. */
struct console_count {
	int64_t		 wave_id;
	const char	*unit;
	int64_t		 spent;
};

/*
 * Adds counts[0..n) to the stored links spent per unit, dated day, in one
 * transaction. Returns GH_OK, or an error with nothing written.
 */
int store_console_participation_flush(struct store *s,
    const struct console_count *counts, size_t n, int64_t day) GH_WUR;

/* A unit's participation as stored: links issued and spent as of day. */
struct console_unit_row {
	const char	*unit;		/* valid during the callback only */
	int64_t		 issued;	/* the sizes of its batches */
	int64_t		 spent;		/* as of day; 0 if never flushed */
	int64_t		 day;		/* 0 if never flushed */
	int64_t		 head;		/* uploaded head count, or -1 */
};

/* Calls fn for every unit with links in wave, in unit order. */
int store_console_participation_foreach(struct store *s, int64_t wave,
    int (*fn)(void *arg, const struct console_unit_row *row), void *arg)
    GH_WUR;

/*
 * Replaces the organisation's units with names[i], head[i] for i < n, in
 * one transaction. GH_OK, or an error with nothing changed.
 */
int store_console_units_replace(struct store *s, const char *const *names,
    const int64_t *head, size_t n) GH_WUR;

/* Calls fn(arg, name, head count) for every unit in name order. */
int store_console_units_foreach(struct store *s,
    int (*fn)(void *arg, const char *name, int64_t head), void *arg)
    GH_WUR;

#endif
