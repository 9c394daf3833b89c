/*
 * console.h: the pages of the coordinator's console (page_console.c):
 * the waves with their totals and the forms that open, close, schedule
 * and create them, and the audit log of what coordinators did. Rendered from
 * web/console_*.html with the "console.*" texts; the route
 * (route_console.c) computes everything, these functions only render,
 * escaping every value.
 */
#ifndef GH_PAGES_CONSOLE_H
#define GH_PAGES_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#include "pages/desk.h"

#define CONSOLE_NAME_MAX	100	/* a wave's name, as the CLI allows */
#define CONSOLE_TEXT_MAX	200	/* an audit row's object */

/* A wave as the console lists it. */
struct console_wave {
	int64_t	 id;
	char	 name[CONSOLE_NAME_MAX + 1];
	int	 k;
	int	 is_open;
	int64_t	 issued;		/* links issued */
	int64_t	 answers;		/* answers stored */
	char	 opens[17];		/* "YYYY-MM-DD HH:MM" local, or "" */
	char	 closes[17];
};

/* The waves page: the waves, and what the create form offers and keeps. */
struct console_view {
	const struct console_wave *w;
	size_t			 n;
	const char *const	*defs;		/* instruments by name */
	size_t			 n_defs;
	const char		*name;		/* the create form's, or NULL */
	const char		*k;		/* the create form's, or NULL */
};

/* A row of the audit log as the console shows it. */
struct console_audit_item {
	char	 day[DESK_DAY_LEN + 1];
	char	 user[DESK_NAME_MAX + 1];
	char	 action[33];
	char	 object[CONSOLE_TEXT_MAX + 1];
};

/*
 * The waves of v with their totals and schedules, an open or close form
 * each, the schedule form and the form that creates a wave.
 */
int page_console_waves(struct buf *out, const struct desk_page *p,
    const struct console_view *v) GH_WUR;

/* A unit's participation as the console shows it (spent >= k only). */
struct console_unit_item {
	char	 wave[CONSOLE_NAME_MAX + 1];
	char	 unit[101];
	int64_t	 issued;
	int64_t	 spent;
	int64_t	 head;		/* uploaded head count, or -1 */
	char	 day[DESK_DAY_LEN + 1];
};

/*
 * The participation page: the units items[0..n) (each with at least its
 * wave's k links spent, as of the last daily count), how many units are
 * left out (n_hidden), why no list of who did not answer exists, and a
 * reminder text to send to whole units.
 */
int page_console_participation(struct buf *out, const struct desk_page *p,
    const struct console_unit_item *items, size_t n, size_t n_hidden)
    GH_WUR;

/* The units page: the stored units, problems of an upload, the form. */
struct console_units_view {
	const char *const	*names;
	const int64_t		*heads;
	size_t			 n;
	const char *const	*problems;	/* rendered texts, or none */
	size_t			 n_problems;
	const char		*csv;		/* the text sent back, or NULL */
};

int page_console_units(struct buf *out, const struct desk_page *p,
    const struct console_units_view *v) GH_WUR;

/*
 * The console's navigation (every console page opens with it) and the
 * notice of p, if any, appended to out.
 */
int page_console_nav(struct buf *out, const struct desk_page *p) GH_WUR;

/* The audit log, newest first. */
int page_console_audit(struct buf *out, const struct desk_page *p,
    const struct console_audit_item *items, size_t n) GH_WUR;

#endif
