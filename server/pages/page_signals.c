/*
 * page_signals.c: the desk's signals page (signals.h).
 *
 * Entry point: page_signals. One table: a row per unit with at least k
 * reports (all its reports, each once), followed by a row per form and
 * per ground in it with at least k reports; columns the four periods of
 * three months and the 12 months. A suppressed cell says "fewer than k"
 * instead of its count. The caption says that a report with two grounds
 * counts under each, and the unit's row each report once.
 */
#include <stdio.h>
#include <string.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/signals.h"
#include "pages/tpl.h"

static const char *
row_label(struct buf *b, enum def_lang l, const struct signals_row *r)
{
	if (r->kind == SIGNALS_ALL) {
		buf_puts(b, page_desk_cat_label(l, DESK_CAT_UNIT, r->unit));
		buf_puts(b, " (");
		buf_puts(b, page_msg(l, "desk.signals.all"));
		buf_puts(b, ")");
	} else {
		buf_puts(b, page_msg(l, r->kind == SIGNALS_FORM ?
		    "desk.category.form" : "desk.category.ground"));
		buf_puts(b, ": ");
		buf_puts(b, page_desk_cat_label(l, r->kind == SIGNALS_FORM ?
		    DESK_CAT_FORM : DESK_CAT_GROUND, r->value));
	}
	return b->data != NULL ? b->data : "";
}

/* The cells of row r: counts, or the suppression text. */
static void
row_cells(struct buf *b, const struct signals_row *r, const char *less)
{
	char num[24];
	int q;

	for (q = 0; q < SIGNALS_PERIODS; q++) {
		buf_puts(b, "<td>");
		if (r->hidden & (1U << q))
			buf_html(b, less);
		else {
			snprintf(num, sizeof(num), "%lld", (long long)r->n[q]);
			buf_puts(b, num);
		}
		buf_puts(b, "</td>");
	}
	snprintf(num, sizeof(num), "%lld", (long long)r->total);
	buf_puts(b, "<td>");
	buf_puts(b, num);
	buf_puts(b, "</td>");
}

static int
table(struct buf *out, enum def_lang l, const struct signals_view *v)
{
	struct buf rows = { 0 }, label = { 0 }, cells = { 0 }, less = { 0 };
	size_t i;
	int r = GH_OK;

	page_msg_n(&less, l, "desk.signals.suppressed", (size_t)v->k);
	for (i = 0; i < v->n && r == GH_OK; i++) {
		buf_free(&label);
		buf_free(&cells);
		row_cells(&cells, &v->rows[i], less.data ? less.data : "");
		{
			struct tpl_var t[] = {
				{ "class", v->rows[i].kind == SIGNALS_ALL ?
				    "signals-unit" : "signals-cat", 0 },
				{ "label", row_label(&label, l, &v->rows[i]), 0 },
				{ "cells", cells.data ? cells.data : "", 1 },
				{ NULL, NULL, 0 },
			};

			r = buf_is_failed(&label) || buf_is_failed(&cells) ?
			    GH_ERR_NOMEM : tpl_render(&rows,
			    "desk_signals_row.html", t);
		}
	}
	if (r == GH_OK) {
		struct tpl_var t[] = {
			{ "caption", page_msg(l, "desk.signals.caption"), 0 },
			{ "unit", page_msg(l, "desk.signals.unit"), 0 },
			{ "p1", v->period[0], 0 },
			{ "p2", v->period[1], 0 },
			{ "p3", v->period[2], 0 },
			{ "p4", v->period[3], 0 },
			{ "total", page_msg(l, "desk.signals.total"), 0 },
			{ "rows", rows.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(out, "desk_signals_table.html", t);
	}
	buf_free(&rows);
	buf_free(&label);
	buf_free(&cells);
	buf_free(&less);
	return r;
}

int
page_signals(struct buf *out, const struct desk_page *p,
    const struct signals_view *v)
{
	struct buf nav = { 0 }, tb = { 0 }, rule = { 0 }, hidden = { 0 };
	struct buf cats = { 0 }, body = { 0 };
	enum def_lang l = p->lang;
	int r;

	r = page_desk_nav(&nav, p);
	page_msg_n(&rule, l, "desk.signals.rule", (size_t)v->k);
	page_msg_n(&hidden, l, "desk.signals.hidden", v->n_hidden_units);
	page_msg_n(&cats, l, "desk.signals.cat_hidden", v->n_hidden_cats);
	if (r == GH_OK && v->n > 0)
		r = table(&tb, l, v);
	else if (r == GH_OK) {
		buf_puts(&tb, "<p>");
		buf_html(&tb, page_msg(l, "desk.signals.none"));
		buf_puts(&tb, "</p>");
	}
	if (r == GH_OK) {
		struct tpl_var t[] = {
			{ "nav", nav.data, 1 },
			{ "title", page_msg(l, "desk.signals.title"), 0 },
			{ "intro", page_msg(l, "desk.signals.intro"), 0 },
			{ "rule", rule.data, 0 },
			{ "table", tb.data, 1 },
			{ "hidden", hidden.data, 0 },
			{ "cat_hidden", cats.data, 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&body, "desk_signals.html", t);
	}
	if (r == GH_OK)
		r = page_desk_finish(out, l, page_msg(l, "desk.signals.title"),
		    &body);
	buf_free(&nav);
	buf_free(&tb);
	buf_free(&rule);
	buf_free(&hidden);
	buf_free(&cats);
	buf_free(&body);
	return r;
}
