/*
 * report_cats.c: a report's category sets (report_cats.h).
 *
 * Entry point: report_cats_get. Data path: store_stats_tags (the rows of
 * report_tags, clear values from fixed lists; nothing is opened) -> each
 * value added once to the set of its kind -> a kind left empty takes the
 * row's single column if it has one.
 */
#include <string.h>

#include "report/report_cats.h"
#include "store/store_stats.h"

static void
add(struct report_cats *c, int k, const char *value)
{
	size_t i;

	if (value[0] == '\0' || strlen(value) > REPORT_MAX_CATEGORY)
		return;
	for (i = 0; i < c->n[k]; i++)
		if (strcmp(c->v[k][i], value) == 0)
			return;
	if (c->n[k] == REPORT_CATS_MAX)
		return;
	memcpy(c->v[k][c->n[k]++], value, strlen(value) + 1);
}

static int
add_tag(void *arg, const char *kind, const char *value)
{
	struct report_cats *c = arg;

	if (strcmp(kind, "form") == 0)
		add(c, REPORT_KIND_FORM, value);
	else if (strcmp(kind, "ground") == 0)
		add(c, REPORT_KIND_GROUND, value);
	else if (strcmp(kind, "measure") == 0)
		add(c, REPORT_KIND_MEASURE, value);
	return GH_OK;
}

int
report_cats_get(struct store *s, const struct report_row *row,
    struct report_cats *c)
{
	int r;

	memset(c, 0, sizeof(*c));
	if ((r = store_stats_tags(s, row->id, add_tag, c)) != GH_OK)
		return r;
	if (c->n[REPORT_KIND_FORM] == 0)
		add(c, REPORT_KIND_FORM, row->form);
	if (c->n[REPORT_KIND_GROUND] == 0)
		add(c, REPORT_KIND_GROUND, row->ground);
	if (c->n[REPORT_KIND_MEASURE] == 0)
		add(c, REPORT_KIND_MEASURE, row->measure);
	return GH_OK;
}
