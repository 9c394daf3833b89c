/*
 * signals.h: the desk's signals page (page_signals.c): reports per
 * organisational unit and per form and ground within it, over the last
 * 12 months in four periods of three months and in total. The route
 * counts and suppresses; this only renders, escaping every value.
 */
#ifndef GH_PAGES_SIGNALS_H
#define GH_PAGES_SIGNALS_H

#include <stddef.h>
#include <stdint.h>

#include "pages/desk.h"

#define SIGNALS_PERIODS		4
#define SIGNALS_LABEL_LEN	32	/* "2026-01-01 – 2026-03-31" and NUL */

enum signals_kind { SIGNALS_ALL = -1, SIGNALS_FORM = 0, SIGNALS_GROUND = 1 };

/* One row: a unit's reports, or those of one form or ground in it. */
struct signals_row {
	char		 unit[DESK_UNIT_MAX + 1];
	enum signals_kind kind;
	char		 value[DESK_CAT_MAX + 1];	/* "" for SIGNALS_ALL */
	int64_t		 n[SIGNALS_PERIODS];
	int64_t		 total;
	unsigned int	 hidden;	/* bit q: period q is suppressed */
};

/* What the page shows besides its rows. */
struct signals_view {
	const struct signals_row *rows;
	size_t		 n;
	size_t		 n_hidden_units;	/* units below k, not named */
	size_t		 n_hidden_cats;		/* category rows below k */
	int		 k;
	char		 period[SIGNALS_PERIODS][SIGNALS_LABEL_LEN];
};

int page_signals(struct buf *out, const struct desk_page *p,
    const struct signals_view *v) GH_WUR;

#endif
