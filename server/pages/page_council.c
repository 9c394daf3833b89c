/*
 * page_council.c: the council's yearly report as one printable HTML
 * document (council.h).
 *
 * Entry point: page_council. Data path: the protected figures of each
 * year (council_year, from report_stats_cells) -> one section per
 * subject, each a table with a caption, column and row headers, built
 * from the templates web/council_*.html -> a figure that is suppressed
 * becomes a dash with hidden text for screen readers and an explanation
 * line under its table; its number is never looked at -> the sections in
 * web/council.html, whose style sheet prints on A4. Every cell carries
 * data-cell="[YEAR:]TABLE/CATEGORY" so a test can check each figure.
 * A share (in time, as a percentage of in time plus late) is computed
 * from two published figures only; if either is hidden it is a dash too.
 */
#include <stdio.h>
#include <string.h>

#include "pages/council.h"
#include "pages/desk.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"
#include "report/category.h"

#define NOT_RECORDED	"not_recorded"

/* One table being built: its columns' head and its rows. */
struct tb {
	const struct council_view *v;
	struct buf	 head, rows;
	int		 has_hidden;
	int		 r;
};

static const struct council_year *
main_year(const struct council_view *v)
{
	return &v->years[v->n_years - 1];
}

static const struct council_cell *
find(const struct council_year *y, const char *table, const char *cat)
{
	size_t i;

	for (i = 0; i < y->n; i++)
		if (strcmp(y->cells[i].table, table) == 0 &&
		    strcmp(y->cells[i].cat, cat) == 0)
			return &y->cells[i];
	return NULL;
}

static void
th(struct tb *t, const char *text)
{
	const struct tpl_var vars[] = { { "text", text, 0 }, { 0 } };

	if (t->r == GH_OK)
		t->r = tpl_render(&t->head, "council_th.html", vars);
}

/* Appends the cell for (table, cat) of y to cells; prefix "" or "YEAR:". */
static void
td(struct tb *t, struct buf *cells, const struct council_year *y,
    const char *prefix, const char *table, const char *cat)
{
	const struct council_cell *c = find(y, table, cat);
	char id[COUNCIL_TABLE_MAX + COUNCIL_CAT_MAX + 16], num[24];
	struct tpl_var vars[] = { { "id", id, 0 }, { "value", num, 0 },
	    { 0 } };

	snprintf(id, sizeof(id), "%s%s/%s", prefix, table, cat);
	if (t->r != GH_OK)
		return;
	if (c != NULL && c->is_published) {
		snprintf(num, sizeof(num), "%lld", (long long)c->count);
		t->r = tpl_render(cells, "council_td.html", vars);
		return;
	}
	vars[1].value = page_msg(t->v->lang, "council.hidden_sr");
	t->has_hidden = 1;
	t->r = tpl_render(cells, "council_td_hidden.html", vars);
}

/* Appends the share in time of (table) in y: in_time / (in_time + late). */
static void
td_share(struct tb *t, struct buf *cells, const struct council_year *y,
    const char *prefix, const char *table)
{
	const struct council_cell *a = find(y, table, "in_time"),
	    *b = find(y, table, "late");
	char id[COUNCIL_TABLE_MAX + 32], num[24];
	struct tpl_var vars[] = { { "id", id, 0 }, { "value", num, 0 },
	    { 0 } };

	snprintf(id, sizeof(id), "%s%s/share_in_time", prefix, table);
	if (t->r != GH_OK)
		return;
	if (a != NULL && b != NULL && a->is_published && b->is_published) {
		if (a->count + b->count == 0)
			snprintf(num, sizeof(num), "%s",
			    page_msg(t->v->lang, "council.no_share"));
		else
			snprintf(num, sizeof(num), "%lld%%", (long long)
			    ((a->count * 100 + (a->count + b->count) / 2) /
			    (a->count + b->count)));
		t->r = tpl_render(cells, "council_td.html", vars);
		return;
	}
	vars[1].value = page_msg(t->v->lang, "council.hidden_sr");
	t->has_hidden = 1;
	t->r = tpl_render(cells, "council_td_hidden.html", vars);
}

static void
row(struct tb *t, const char *label, struct buf *cells)
{
	const struct tpl_var vars[] = { { "label", label, 0 },
	    { "cells", cells->data != NULL ? cells->data : "", 1 }, { 0 } };

	if (t->r == GH_OK && buf_is_failed(cells))
		t->r = GH_ERR_NOMEM;
	if (t->r == GH_OK)
		t->r = tpl_render(&t->rows, "council_row.html", vars);
	buf_free(cells);
}

/* The label of a category id of table. */
static const char *
label(const struct council_view *v, const char *table, const char *id,
    char *key, size_t keysz)
{
	if (strcmp(id, NOT_RECORDED) == 0)
		return page_msg(v->lang, "council.not_recorded");
	if (strcmp(table, "form") == 0)
		return page_desk_cat_label(v->lang, DESK_CAT_FORM, id);
	if (strcmp(table, "ground") == 0)
		return page_desk_cat_label(v->lang, DESK_CAT_GROUND, id);
	if (strcmp(table, "unit") == 0)
		return page_desk_cat_label(v->lang, DESK_CAT_UNIT, id);
	if (strcmp(table, "measure") == 0)
		return page_desk_cat_label(v->lang, DESK_CAT_MEASURE, id);
	if (strcmp(table, "outcome") == 0)
		return page_desk_cat_label(v->lang, DESK_CAT_OUTCOME, id);
	if (strcmp(table, "status") == 0)
		snprintf(key, keysz, "desk.status.%s", id);
	else
		snprintf(key, keysz, "council.%s.%s", table, id);
	return page_msg(v->lang, key);
}

/* Ends table t as a section: heading, intro, caption, note; frees t. */
static int
section(struct buf *out, struct tb *t, const char *id, const char *name)
{
	char kh[64], ki[64], kc[64];
	struct buf note = { 0 };
	int r = t->r;

	snprintf(kh, sizeof(kh), "council.%s.heading", name);
	snprintf(ki, sizeof(ki), "council.%s.intro", name);
	snprintf(kc, sizeof(kc), "council.%s.caption", name);
	if (r == GH_OK && t->has_hidden) {
		struct buf text = { 0 };
		struct tpl_var nv[] = { { "text", NULL, 0 }, { 0 } };

		page_msg_n(&text, t->v->lang, "council.hidden_note",
		    (size_t)t->v->k);
		nv[0].value = text.data;
		r = buf_is_failed(&text) ? GH_ERR_NOMEM :
		    tpl_render(&note, "council_note.html", nv);
		buf_free(&text);
	}
	if (r == GH_OK && (buf_is_failed(&t->head) ||
	    buf_is_failed(&t->rows) || buf_is_failed(&note)))
		r = GH_ERR_NOMEM;
	if (r == GH_OK) {
		const struct tpl_var vars[] = {
			{ "id", id, 0 },
			{ "heading", page_msg(t->v->lang, kh), 0 },
			{ "intro", page_msg(t->v->lang, ki), 0 },
			{ "caption", page_msg(t->v->lang, kc), 0 },
			{ "head", t->head.data, 1 },
			{ "rows", t->rows.data, 1 },
			{ "note", note.data != NULL ? note.data : "", 1 },
			{ 0 }
		};
		r = tpl_render(out, "council_table.html", vars);
	}
	buf_free(&t->head);
	buf_free(&t->rows);
	buf_free(&note);
	return r;
}

static void
tb_start(struct tb *t, const struct council_view *v, const char *col0,
    const char *col1)
{
	memset(t, 0, sizeof(*t));
	t->v = v;
	th(t, page_msg(v->lang, col0));
	if (col1 != NULL)
		th(t, page_msg(v->lang, col1));
}

/* A table of one column: every category of table in the main year. */
static int
one_column(struct buf *out, const struct council_view *v, const char *table,
    const char *name)
{
	const struct council_year *y = main_year(v);
	struct tb t;
	char key[96];
	size_t i;

	tb_start(&t, v, "council.col.category", "council.col.reports");
	for (i = 0; i < y->n; i++) {
		struct buf cells = { 0 };

		if (strcmp(y->cells[i].table, table) != 0)
			continue;
		td(&t, &cells, y, "", table, y->cells[i].cat);
		row(&t, label(v, table, y->cells[i].cat, key, sizeof(key)),
		    &cells);
	}
	return section(out, &t, table, name);
}

static int
summary(struct buf *out, const struct council_view *v)
{
	static const char *const rows[][2] = {
		{ "all", "reports" }, { "summary", "withdrawn" },
		{ "summary", "second_opinion_requested" },
	};
	const struct council_year *y = main_year(v);
	struct tb t;
	char key[96];
	size_t i;

	tb_start(&t, v, "council.col.category", "council.col.reports");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct buf cells = { 0 };

		td(&t, &cells, y, "", rows[i][0], rows[i][1]);
		snprintf(key, sizeof(key), "council.%s.%s", rows[i][0],
		    rows[i][1]);
		row(&t, page_msg(v->lang, key), &cells);
	}
	return section(out, &t, "summary", "summary");
}

static int
timeliness(struct buf *out, const struct council_view *v)
{
	static const char *const steps[] = { "acknowledgement", "feedback" };
	static const char *const cols[] = { "in_time", "late", "other" };
	const struct council_year *y = main_year(v);
	struct tb t;
	char key[96];
	size_t i, j;

	tb_start(&t, v, "council.col.step", NULL);
	for (j = 0; j < 3; j++) {
		snprintf(key, sizeof(key), "council.time.%s", cols[j]);
		th(&t, page_msg(v->lang, key));
	}
	th(&t, page_msg(v->lang, "council.time.share"));
	for (i = 0; i < 2; i++) {
		struct buf cells = { 0 };

		for (j = 0; j < 3; j++)
			td(&t, &cells, y, "", steps[i], cols[j]);
		td_share(&t, &cells, y, "", steps[i]);
		snprintf(key, sizeof(key), "council.step.%s", steps[i]);
		row(&t, page_msg(v->lang, key), &cells);
	}
	return section(out, &t, "timeliness", "timeliness");
}

/* The signals: units as rows, quarters as columns, and the year. */
static int
signals(struct buf *out, const struct council_view *v)
{
	static const char *const q[] = { "q1", "q2", "q3", "q4" };
	const struct council_year *y = main_year(v);
	struct tb t;
	char key[96], cat[COUNCIL_CAT_MAX + 8];
	size_t i, j;

	tb_start(&t, v, "council.col.unit", NULL);
	for (j = 0; j < 4; j++)
		th(&t, label(v, "quarter", q[j], key, sizeof(key)));
	th(&t, page_msg(v->lang, "council.col.year"));
	for (i = 0; i < y->n; i++) {
		struct buf cells = { 0 };

		if (strcmp(y->cells[i].table, "unit") != 0)
			continue;
		for (j = 0; j < 4; j++) {
			snprintf(cat, sizeof(cat), "%s:%s", y->cells[i].cat,
			    q[j]);
			td(&t, &cells, y, "", "unit_quarter", cat);
		}
		td(&t, &cells, y, "", "unit", y->cells[i].cat);
		row(&t, label(v, "unit", y->cells[i].cat, key, sizeof(key)),
		    &cells);
	}
	return section(out, &t, "signals", "signals");
}

/* The trend: the main figures of every year with reports, side by side. */
static int
trend(struct buf *out, const struct council_view *v)
{
	static const char *const rows[][2] = {
		{ "all", "reports" }, { "status", "closed" },
		{ "summary", "withdrawn" },
		{ "summary", "second_opinion_requested" },
	};
	struct tb t;
	char key[96], prefix[24];
	size_t i, j;

	tb_start(&t, v, "council.col.figure", NULL);
	for (j = 0; j < v->n_years; j++) {
		snprintf(prefix, sizeof(prefix), "%d", v->years[j].year);
		th(&t, prefix);
	}
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]) + 2; i++) {
		struct buf cells = { 0 };
		int is_share = i >= sizeof(rows) / sizeof(rows[0]);
		const char *step = i == sizeof(rows) / sizeof(rows[0]) ?
		    "acknowledgement" : "feedback";

		for (j = 0; j < v->n_years; j++) {
			snprintf(prefix, sizeof(prefix), "%d:",
			    v->years[j].year);
			if (is_share)
				td_share(&t, &cells, &v->years[j], prefix,
				    step);
			else
				td(&t, &cells, &v->years[j], prefix,
				    rows[i][0], rows[i][1]);
		}
		if (is_share)
			snprintf(key, sizeof(key), "council.share.%s", step);
		else
			snprintf(key, sizeof(key), "council.%s.%s",
			    rows[i][0], rows[i][1]);
		row(&t, page_msg(v->lang, key), &cells);
	}
	return section(out, &t, "trend", "trend");
}

int
page_council(struct buf *out, const struct council_view *v)
{
	struct buf body = { 0 }, title = { 0 }, intro = { 0 };
	char year[16];
	int r;

	if (v->n_years == 0)
		return GH_ERR_INVALID;
	snprintf(year, sizeof(year), "%d", main_year(v)->year);
	page_msg_n(&title, v->lang, "council.title",
	    (size_t)main_year(v)->year);
	page_msg_n(&intro, v->lang, "council.rule", (size_t)v->k);
	if ((r = summary(&body, v)) == GH_OK &&
	    (r = one_column(&body, v, "form", "form")) == GH_OK &&
	    (r = one_column(&body, v, "ground", "ground")) == GH_OK &&
	    (r = one_column(&body, v, "unit", "unit")) == GH_OK &&
	    (r = one_column(&body, v, "status", "status")) == GH_OK &&
	    (r = one_column(&body, v, "outcome", "outcome")) == GH_OK &&
	    (r = one_column(&body, v, "measure", "measure")) == GH_OK &&
	    (r = timeliness(&body, v)) == GH_OK &&
	    (r = signals(&body, v)) == GH_OK)
		r = trend(&body, v);
	if (r == GH_OK && (buf_is_failed(&body) || buf_is_failed(&title) ||
	    buf_is_failed(&intro)))
		r = GH_ERR_NOMEM;
	if (r == GH_OK) {
		const struct tpl_var vars[] = {
			{ "lang", v->lang == DEF_EN ? "en" : "nl", 0 },
			{ "title", title.data, 0 },
			{ "year", year, 0 },
			{ "made_label", page_msg(v->lang, "council.made"), 0 },
			{ "made", v->made, 0 },
			{ "intro", page_msg(v->lang, "council.intro"), 0 },
			{ "rule", intro.data, 0 },
			{ "multi", page_msg(v->lang, "council.multi"), 0 },
			{ "body", body.data, 1 },
			{ 0 }
		};
		r = tpl_render(out, "council.html", vars);
	}
	buf_free(&body);
	buf_free(&title);
	buf_free(&intro);
	return r;
}
