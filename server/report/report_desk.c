/*
 * report_desk.c: the desk's bookkeeping of a report (report_desk.h):
 * categories and aftercare days, without HTTP; aftercare recorded before
 * its due day needs the desk's confirmation. The status, and closing
 * with its outcome, measures and message to the reporter, is the
 * casework's (report_case_status): there is one way to close a case.
 * route_desk_report.c parses each POST, calls one function here and
 * answers 303 or shows the report with the problem.
 *
 * Entry points: report_desk_category, report_desk_aftercare,
 * report_desk_unknown. Data path of each: the row read
 * (store_report_get; missing or withdrawn refused first) -> the input
 * checked against the one category table (report/category.h) -> one
 * store call (store_report_set_category, _set_day). Nothing here reads
 * or writes a text.
 */
#include <string.h>

#include "report/category.h"
#include "report/deadline.h"
#include "report/report_desk.h"

/* Reads id's row: GH_ERR_NOT_FOUND, GH_ERR_CLOSED (withdrawn), GH_OK. */
static int
live_row(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    struct report_row *row)
{
	int r;

	memset(row, 0, sizeof(*row));
	if ((r = store_report_get(s, id, row)) == GH_OK &&
	    row->status == REPORT_WITHDRAWN)
		r = GH_ERR_CLOSED;
	return r;
}

/* A category value: NULL or "" leaves it; otherwise it must be listed. */
static int
cat_value(const char *v, enum report_cat which, const char **out)
{
	*out = v != NULL && v[0] != '\0' ? v : NULL;
	return *out == NULL || report_cat_is_valid(which, *out) ? GH_OK :
	    GH_ERR_INVALID;
}

int
report_desk_category(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *form, const char *ground, const char *unit)
{
	struct report_row row;
	int r;

	r = live_row(s, id, &row);
	store_report_row_clear(&row);
	if (r != GH_OK)
		return r;
	if (cat_value(form, REPORT_CAT_FORM, &form) != GH_OK ||
	    cat_value(ground, REPORT_CAT_GROUND, &ground) != GH_OK ||
	    cat_value(unit, REPORT_CAT_UNIT, &unit) != GH_OK)
		return GH_ERR_INVALID;
	return store_report_set_category(s, id, form, ground, unit, NULL);
}

int
report_desk_aftercare(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *which, int is_confirmed, const char **problem)
{
	struct report_row row;
	int64_t due;
	int r;

	if ((r = live_row(s, id, &row)) != GH_OK)
		goto out;
	r = GH_ERR_INVALID;
	if (which == NULL || (strcmp(which, "1") != 0 &&
	    strcmp(which, "3") != 0))
		goto out;
	if (row.closed_day < 0) {
		*problem = "desk.aftercare.not_closed";
		r = GH_ERR_CLOSED;
		goto out;
	}
	due = deadline_aftercare_due(row.closed_day, which[0] - '0');
	if (store_today() < due && !is_confirmed) {
		*problem = "desk.aftercare.early";
		r = GH_ERR_CLOSED;
		goto out;
	}
	r = store_report_set_day(s, id, which[0] - '0', store_today());
out:
	store_report_row_clear(&row);
	return r;
}

int
report_desk_unknown(struct store *s, const uint8_t id[REPORT_ID_BYTES])
{
	struct report_row row;
	int r;

	r = live_row(s, id, &row);
	store_report_row_clear(&row);
	return r == GH_OK ? GH_ERR_NOT_FOUND : r;
}
