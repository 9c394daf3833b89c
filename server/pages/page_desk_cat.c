/*
 * page_desk_cat.c: the desk's category lists and their labels: form of
 * behaviour, ground, organisational unit, and the measures taken on
 * closing, and the outcome. The ids come from the report's one table (report/category.h);
 * labels are the "desk.cat.*" and "desk.measure.*" catalogue keys. The
 * route accepts only these ids, so a category is never free text.
 */
#include <stdio.h>
#include <string.h>

#include "pages/desk.h"
#include "pages/page.h"
#include "report/category.h"

/* The desk's lists in the report table (report/category.h). */
static const enum report_cat cats[] = {
	[DESK_CAT_FORM] = REPORT_CAT_FORM,
	[DESK_CAT_GROUND] = REPORT_CAT_GROUND,
	[DESK_CAT_UNIT] = REPORT_CAT_UNIT,
	[DESK_CAT_MEASURE] = REPORT_CAT_MEASURE,
	[DESK_CAT_OUTCOME] = REPORT_CAT_OUTCOME,
};

static const char *const prefix[] = {
	[DESK_CAT_FORM] = "desk.cat.form.",
	[DESK_CAT_GROUND] = "desk.cat.ground.",
	[DESK_CAT_UNIT] = "desk.cat.unit.",
	[DESK_CAT_MEASURE] = "desk.measure.",
	[DESK_CAT_OUTCOME] = "desk.outcome.",
};

const char *const *
page_desk_cat_ids(enum desk_cat which)
{
	return report_cat_ids(cats[which]);
}

int
page_desk_cat_is_valid(enum desk_cat which, const char *id)
{
	return report_cat_is_valid(cats[which], id);
}

const char *
page_desk_cat_label(enum def_lang lang, enum desk_cat which, const char *id)
{
	const char *text;
	char key[96];

	if (!page_desk_cat_is_valid(which, id))
		return id;
	snprintf(key, sizeof(key), "%s%s", prefix[which], id);
	text = page_msg(lang, key);
	return text == key ? id : text;	/* page_msg gives back a missing key */
}
