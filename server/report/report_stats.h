/*
 * report_stats.h: the council's yearly statistics of reports, as one
 * disclosure-control problem (release/sdc.h): the reports received in a
 * year counted by form of behaviour, ground, status and measure taken,
 * withdrawn and second-opinion counts, the reports per unit, per quarter
 * and per unit and quarter (the signals), the acknowledgement and
 * feedback in time or late, every count from 1 to k-1
 * suppressed, secondary suppression added and the result audited.
 * Transport-free: `gehoord report-stats` (cli/cmd_report_stats.c) only
 * parses options and writes the files.
 */
#ifndef GH_REPORT_STATS_H
#define GH_REPORT_STATS_H

#include <stdint.h>

#include "release/sdc.h"
#include "store/store.h"
#include "util/err.h"

struct report_stats;

/*
 * Counts the reports received in year from s (clear rows only: no text is
 * opened, no key is needed) into *out, new (free with report_stats_free).
 * GH_OK or an error.
 */
int report_stats_count(struct store *s, int year,
    struct report_stats **out) GH_WUR;

/* The number of reports received in the year. */
int64_t report_stats_reports(const struct report_stats *st);

/*
 * Suppresses every count from 1 to k-1, adds secondary suppression until
 * no suppressed cell can be narrowed below k, and audits the result.
 * GH_OK, GH_ERR_PRIVACY if the audit fails, or another error.
 */
int report_stats_protect(struct report_stats *st, int k,
    sdc_progress_fn progress, void *arg) GH_WUR;

/*
 * Calls cell(arg, table, category, flag, count) for every published or
 * suppressed cell (tables all, form, ground, status, measure, outcome, unit,
 * acknowledgement, feedback, quarter, unit_quarter with categories
 * "UNIT:qN", summary), in output order; count is meaningful only when flag
 * is SDC_PUBLISHED. Call after report_stats_protect returned GH_OK.
 */
void report_stats_cells(const struct report_stats *st,
    void (*cell)(void *arg, const char *table, const char *category,
    enum sdc_flag flag, int64_t count), void *arg);

#define REPORT_STATS_YEARS_MAX	64

/* The years in which reports were received, ascending. */
struct report_stats_years {
	int	y[REPORT_STATS_YEARS_MAX];
	size_t	n;
};

/*
 * Fills *out with the years in which reports were received (withdrawn
 * ones too). GH_OK, GH_ERR_TOO_LARGE if there are more than
 * REPORT_STATS_YEARS_MAX, or a store error.
 */
int report_stats_years(struct store *s, struct report_stats_years *out)
    GH_WUR;

/* Frees st; accepts NULL. */
void report_stats_free(struct report_stats *st);

#endif
