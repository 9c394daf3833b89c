/*
 * page_selfcheck.c: renders every page once at start-up, so a broken
 * template stops "gehoord serve" rather than a respondent's request.
 *
 * Entry point: page_selfcheck (page.h) loads the catalogues if need be
 * (page_ensure_init, which renders the message pages) and then the survey
 * form of a built-in definition (page_survey_selfcheck). It sits on top
 * of page.c and page_survey.c, so neither calls the other back.
 */
#include "pages/page.h"
#include "pages/page_int.h"

int
page_selfcheck(void)
{
	int r;

	if ((r = page_ensure_init()) != GH_OK)
		return r;
	return page_survey_selfcheck();
}
