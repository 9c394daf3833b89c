/*
 * report_cats.h: a report's forms, grounds and measures as sets, for
 * counting (report_stats.c, the desk's signals). Implemented in
 * report_cats.c.
 *
 * A report may have several of each (report_tags); a report with none
 * of a kind there falls back to its single column (form, ground,
 * measure), which reports filed before the lists, and desk edits made
 * through the single-value form, still carry. Each set holds every value
 * once.
 */
#ifndef GH_REPORT_CATS_H
#define GH_REPORT_CATS_H

#include <stddef.h>

#include "store/store_report.h"

#define REPORT_CATS_MAX	16	/* values of one kind kept per report */

enum report_cat_kind { REPORT_KIND_FORM, REPORT_KIND_GROUND,
	REPORT_KIND_MEASURE, REPORT_KINDS };

struct report_cats {
	char	v[REPORT_KINDS][REPORT_CATS_MAX][REPORT_MAX_CATEGORY + 1];
	size_t	n[REPORT_KINDS];
};

/* Fills *c for report row (its tags, else its columns). GH_OK or error. */
int report_cats_get(struct store *s, const struct report_row *row,
    struct report_cats *c) GH_WUR;

#endif
