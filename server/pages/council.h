/*
 * council.h: the council's yearly report as one printable HTML document
 * (page_council.c): the figures of report/report_stats.h, already
 * protected, rendered as tables with captions and headers, a suppressed
 * figure as a dash with an explanation, never its number. The caller
 * (cli/cmd_report_stats.c) counts, protects and writes the file.
 */
#ifndef GH_PAGES_COUNCIL_H
#define GH_PAGES_COUNCIL_H

#include <stddef.h>
#include <stdint.h>

#include "survey/def.h"
#include "util/buf.h"
#include "util/err.h"

#define COUNCIL_TABLE_MAX	24
#define COUNCIL_CAT_MAX		112

/* One figure: table and category as in report_stats_cells. */
struct council_cell {
	char		 table[COUNCIL_TABLE_MAX];
	char		 cat[COUNCIL_CAT_MAX];
	int		 is_published;
	int64_t		 count;		/* meaningful only if published */
};

/* The protected figures of one year. */
struct council_year {
	int			 year;
	const struct council_cell *cells;
	size_t			 n;
};

/* What the report shows: years[n_years - 1] is the report's year. */
struct council_view {
	enum def_lang		 lang;
	int			 k;
	char			 made[16];	/* "YYYY-MM-DD" */
	const struct council_year *years;
	size_t			 n_years;
};

/*
 * Appends the whole report (an HTML document in v->lang) to out. Returns
 * GH_OK, GH_ERR_NOMEM or GH_ERR_INVALID (a template error, logged).
 */
int page_council(struct buf *out, const struct council_view *v) GH_WUR;

#endif
