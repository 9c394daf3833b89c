/*
 * page_report_def.c: the report form's definition, survey-defs/melding.json
 * (compiled into the binary with web/), loaded once by the survey
 * definition loader and checked against the category table
 * (report_form_def_check), for page_report_form.c and the route's check.
 *
 * Entry points: page_report_def_load (page_init, before any thread
 * starts), page_report_def. It calls nothing else of pages/, so page.c
 * may call it.
 */
#include <stddef.h>

#include "pages/assets.h"
#include "pages/report.h"
#include "report/report_form.h"
#include "survey/def.h"
#include "util/log.h"

#define REPORT_DEF_FILE	"melding.json"

/* The report's definition: written only by page_report_def_load, before
 * any thread starts, and read-only afterwards. */
static struct def	*report_def;

int
page_report_def_load(void)
{
	const struct web_asset *a;
	struct def *d = NULL;
	char err[256];
	int r;

	if ((a = web_asset_find(REPORT_DEF_FILE)) == NULL) {
		log_error("%s: not built in", REPORT_DEF_FILE);
		return GH_ERR_INVALID;
	}
	if ((r = def_parse((const char *)a->data, a->len, REPORT_DEF_FILE, &d,
	    err, sizeof(err))) != GH_OK) {
		log_error("%s", err);
		return r;
	}
	if ((r = report_form_def_check(d, err, sizeof(err))) != GH_OK) {
		log_error("%s: %s", REPORT_DEF_FILE, err);
		def_free(d);
		return r;
	}
	def_free(report_def);
	report_def = d;
	return GH_OK;
}

const struct def *
page_report_def(void)
{
	return report_def;
}
