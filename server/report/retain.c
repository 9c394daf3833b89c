/*
 * retain.c: a report's retention period and last day (retain.h).
 *
 * Entry points: retain_months_of_form(s), retain_last_day,
 * retain_is_expired, retain_extend, retain_reason_ids/_is_valid. The
 * daily run (report_expire.c) and the desk's pages feed it a report's
 * days and forms; it only adds calendar months (deadline.h).
 */
#include <string.h>

#include "report/deadline.h"
#include "report/retain.h"

/* Forms kept longer: a report to the police or a court case may follow,
 * and the file is then the desk's record of what was said when. */
static const char *const long_forms[] = {
	"seksuele_intimidatie", "agressie_geweld", NULL
};

/* Why the desk keeps a report longer (a fixed list, never free text). */
static const char *const reasons[] = {
	"legal_proceedings", "complaint_procedure", "reporter_request",
	"follow_up_report", "investigation", NULL
};

int
retain_months_of_form(const char *form)
{
	size_t i;

	if (form == NULL)
		return RETAIN_DEFAULT_MONTHS;
	for (i = 0; long_forms[i] != NULL; i++)
		if (strcmp(long_forms[i], form) == 0)
			return RETAIN_LONG_MONTHS;
	return RETAIN_DEFAULT_MONTHS;
}

int
retain_months_of_forms(const char *const *forms, size_t n)
{
	int m = RETAIN_DEFAULT_MONTHS, x;
	size_t i;

	for (i = 0; i < n; i++)
		if ((x = retain_months_of_form(forms[i])) > m)
			m = x;
	return m;
}

static int64_t
later(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

int64_t
retain_last_day(const struct retain_in *in)
{
	int64_t last, d;

	if (!in->is_closed || in->closed < 0)
		return RETAIN_NEVER;
	last = later(later(in->closed, in->aftercare1),
	    later(in->aftercare3, in->second_opinion));
	d = deadline_add_months(last, in->months > 0 ? in->months :
	    RETAIN_DEFAULT_MONTHS);
	return later(d, in->keep_until);
}

int
retain_is_expired(const struct retain_in *in, int64_t today)
{
	int64_t last = retain_last_day(in);

	return last != RETAIN_NEVER && today > last;
}

int64_t
retain_extend(const struct retain_in *in, int64_t today)
{
	return deadline_add_months(later(today, retain_last_day(in)),
	    RETAIN_EXTEND_MONTHS);
}

const char *const *
retain_reason_ids(void)
{
	return reasons;
}

int
retain_reason_is_valid(const char *id)
{
	size_t i;

	if (id == NULL)
		return 0;
	for (i = 0; reasons[i] != NULL; i++)
		if (strcmp(reasons[i], id) == 0)
			return 1;
	return 0;
}
