/*
 * console_release.h: the console's release pages (page_console_release.c):
 * the release plan of a wave as checkboxes, and the releases page (the
 * releases, pending or published, the upload form, the suppression
 * preview). Rendered from web/console_plan*.html, console_release*.html
 * and console_preview*.html with the "console.plan.*" and
 * "console.release.*" texts; the routes (route_console_plan.c,
 * route_console_release.c) compute everything, these only render,
 * escaping every value.
 */
#ifndef GH_PAGES_CONSOLE_RELEASE_H
#define GH_PAGES_CONSOLE_RELEASE_H

#include <stddef.h>
#include <stdint.h>

#include "pages/console.h"

/* A table of the standard plan, as a checkbox. */
struct console_plan_item {
	const char	*id;		/* the plan's table id */
	char		*label;		/* its variable and breakdowns */
	int		 is_ticked;
};

struct console_plan_view {
	int64_t				 wave;
	const char			*wave_name;
	int				 k;
	int				 c;	/* 0: no plan */
	const struct console_plan_item	*items;
	size_t				 n;
	int				 is_none_ticked; /* the error */
};

/* The plan page: k and c, the tables to tick, or why there is none. */
int page_console_plan(struct buf *out, const struct desk_page *p,
    const struct console_plan_view *v) GH_WUR;

/* A release as the console lists it. */
struct console_release_item {
	int64_t	 id;
	char	 wave[CONSOLE_NAME_MAX + 1];
	char	 made[DESK_DAY_LEN + 1];
	char	 published[DESK_DAY_LEN + 1];	/* "": pending */
};

/* One table of a suppression pattern: cells row by row. */
struct console_preview_table {
	char		 *id;
	char		**cols;		/* categories */
	size_t		  n_cols;
	char		**rows;		/* groups */
	size_t		  n_rows;
	unsigned char	 *is_suppressed;	/* n_rows x n_cols */
};

struct console_release_view {
	const struct console_release_item	*items;
	size_t					 n;
	const struct console_wave		*waves;	/* for the forms */
	size_t					 n_waves;
	const char *const			*problems;	/* or none */
	size_t					 n_problems;
	const char				*problem_field; /* its id */
	const char				*preview_wave;	/* or NULL */
	const struct console_preview_table	*tables;
	size_t					 n_tables;
};

int page_console_release(struct buf *out, const struct desk_page *p,
    const struct console_release_view *v) GH_WUR;

#endif
