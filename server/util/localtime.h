/*
 * localtime.h: a date and time as a person types it, in the local time
 * zone of the process (TZ), to and from seconds since 1970 (UTC). Used
 * for the console's scheduled openings and closings, in the web form
 * (datetime-local) and on the command line alike.
 */
#ifndef GH_UTIL_LOCALTIME_H
#define GH_UTIL_LOCALTIME_H

#include <stdint.h>

#include "util/err.h"

#define LOCALTIME_TEXT_LEN	16	/* "YYYY-MM-DD HH:MM" */

/*
 * Reads "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" (a space may stand
 * for the T) of the years 2000..2999 into *t. Returns GH_OK, or
 * GH_ERR_INVALID for anything else, a day that does not exist included.
 */
int localtime_parse(const char *text, int64_t *t) GH_WUR;

/* Writes t as "YYYY-MM-DD HH:MM" local time into out ("" for t <= 0). */
void localtime_text(char out[LOCALTIME_TEXT_LEN + 1], int64_t t);

#endif
