/*
 * units_csv.h: the organisation's units as a coordinator uploads
 * them: CSV text, one unit a line, "name,head count" (";" may separate
 * instead of ","), the name's levels separated by "/" ("Directie
 * X/Afdeling Y"). An optional first line of column names is skipped.
 * Every problem is reported with its line number; nothing is taken from
 * a text with any problem.
 */
#ifndef GH_SURVEY_UNITS_CSV_H
#define GH_SURVEY_UNITS_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define UNITS_CSV_NAME_MAX	100	/* bytes, as a batch's unit label */
#define UNITS_CSV_MAX	2000
#define UNITS_CSV_HEAD_MAX	1000000

struct units_csv_unit {
	char	 name[UNITS_CSV_NAME_MAX + 1];
	int64_t	 head_count;
};

/* A problem: the line (from 1) and a message key (console.units.err.*). */
struct units_csv_error {
	size_t		 line;
	const char	*key;
	size_t		 other_line;	/* the first line of a duplicate name */
};

/*
 * Parses text[0..len) into *out (malloc'd, *n units; free with free()).
 * Returns GH_OK; GH_ERR_INVALID with the first max_errs problems in errs
 * and their number (all of them) in *n_errs, and *out NULL; or
 * GH_ERR_NOMEM.
 */
int units_csv_parse(const char *text, size_t len,
    struct units_csv_unit **out, size_t *n, struct units_csv_error *errs,
    size_t max_errs, size_t *n_errs) GH_WUR;

#endif
