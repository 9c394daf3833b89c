/*
 * localtime.c: local dates and times typed by a person (localtime.h).
 *
 * Entry points: localtime_parse, localtime_text. mktime normalises an
 * impossible day (30 February becomes 2 March); the fields are compared
 * afterwards so that such a day is refused instead.
 */
#include <string.h>
#include <time.h>

#include "util/localtime.h"

/* The n decimal digits at s as a number, or -1 if one is not a digit. */
static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
localtime_parse(const char *text, int64_t *t)
{
	int y, mo, d, h, mi, sec = 0;
	size_t len;
	struct tm tm;
	time_t tt;

	*t = 0;
	if (text == NULL || ((len = strlen(text)) != 16 && len != 19) ||
	    text[4] != '-' || text[7] != '-' || (text[10] != 'T' &&
	    text[10] != ' ') || text[13] != ':' || (len == 19 &&
	    text[16] != ':'))
		return GH_ERR_INVALID;
	y = digits(text, 4);
	mo = digits(text + 5, 2);
	d = digits(text + 8, 2);
	h = digits(text + 11, 2);
	mi = digits(text + 14, 2);
	if (len == 19)
		sec = digits(text + 17, 2);
	if (mo < 1 || mo > 12 || d < 1)
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
		(void)strftime(out, LOCALTIME_TEXT_LEN + 1, "%Y-%m-%d %H:%M",
		    &tm);
}
