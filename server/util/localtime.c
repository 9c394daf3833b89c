/*
 * localtime.c: local dates and times typed by a person (localtime.h).
 *
 * Entry points: localtime_parse, localtime_text. mktime normalises an
 * impossible day (30 February becomes 2 March); the fields are compared
 * afterwards so that such a day is refused instead.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/localtime.h"

int
localtime_parse(const char *text, int64_t *t)
{
	int y, mo, d, h, mi, sec = 0, n = 0;
	char sep;
	struct tm tm;
	time_t tt;

	*t = 0;
	if (text == NULL || strlen(text) > 19 ||
	    sscanf(text, "%4d-%2d-%2d%c%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi,
	    &n) != 6 || (sep != 'T' && sep != ' ') || n != 16)
		return GH_ERR_INVALID;
	if (text[n] != '\0' && (strlen(text + n) != 3 || text[n] != ':' ||
	    sscanf(text + n, ":%2d", &sec) != 1))
		return GH_ERR_INVALID;
	if (y < 2000 || y > 2999 || sec < 0 || sec > 59 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59)
		return GH_ERR_INVALID;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	if ((tt = mktime(&tm)) == (time_t)-1 || tm.tm_mday != d ||
	    tm.tm_mon != mo - 1 || tm.tm_year != y - 1900)
		return GH_ERR_INVALID;
	*t = (int64_t)tt;
	return GH_OK;
}

void
localtime_text(char out[LOCALTIME_TEXT_LEN + 1], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	out[0] = '\0';
	if (t > 0 && localtime_r(&tt, &tm) != NULL)
		strftime(out, LOCALTIME_TEXT_LEN + 1, "%Y-%m-%d %H:%M", &tm);
}
