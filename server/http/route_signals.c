/*
 * route_signals.c: GET /desk/signals, the desk's signals: the reports
 * received in the last 12 months per organisational unit, and per form
 * and per ground within a unit, in four periods of three months and in
 * total. The router (router.c) has checked the desk session.
 *
 * Entry point: route_desk_signals. Data path: store_report_foreach
 * (clear rows; withdrawn reports and reports without a unit left out) ->
 * the period of the received day -> report_cats_get (the report's forms
 * and grounds from report_tags: a report with two grounds counts once
 * under each, and once in its unit's row) -> counts per row -> a unit
 * with fewer than ctx->signals_k reports is left out (and only counted),
 * as is a form or ground row below k -> in a row shown, a period from 1
 * to k-1 is suppressed, and if that leaves one suppressed period in the
 * row (which the total would give away) the smallest other period too ->
 * sorted, largest unit first -> page_signals. No text is opened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/desk.h"
#include "pages/page.h"
#include "pages/signals.h"
#include "report/deadline.h"
#include "report/report_cats.h"
#include "report/report_crypto.h"

struct sig {
	struct store		*s;
	struct signals_row	*rows;
	size_t			 n, cap;
	int64_t			 bound[SIGNALS_PERIODS + 1];	/* (b[q], b[q+1]] */
};

/* The row of (unit, kind, value), added if new; NULL without memory. */
static struct signals_row *
row_of(struct sig *sg, const char *unit, enum signals_kind kind,
    const char *value)
{
	struct signals_row *nr;
	size_t i;

	for (i = 0; i < sg->n; i++)
		if (sg->rows[i].kind == kind &&
		    strcmp(sg->rows[i].unit, unit) == 0 &&
		    strcmp(sg->rows[i].value, value) == 0)
			return &sg->rows[i];
	if (sg->n == sg->cap) {
		sg->cap = sg->cap ? sg->cap * 2 : 32;
		if ((nr = realloc(sg->rows, sg->cap * sizeof(*nr))) == NULL)
			return NULL;
		sg->rows = nr;
	}
	nr = &sg->rows[sg->n++];
	memset(nr, 0, sizeof(*nr));
	snprintf(nr->unit, sizeof(nr->unit), "%s", unit);
	snprintf(nr->value, sizeof(nr->value), "%s", value);
	nr->kind = kind;
	return nr;
}

static int
count(struct sig *sg, const char *unit, enum signals_kind kind,
    const char *value, int q)
{
	struct signals_row *r = row_of(sg, unit, kind, value);

	if (r == NULL)
		return GH_ERR_NOMEM;
	r->n[q]++;
	r->total++;
	return GH_OK;
}

static int
add(void *arg, const struct report_row *row)
{
	struct sig *sg = arg;
	struct report_cats c;
	size_t i;
	int q, r;

	if (row->unit[0] == '\0' || row->status == REPORT_WITHDRAWN ||
	    row->received_day <= sg->bound[0] ||
	    row->received_day > sg->bound[SIGNALS_PERIODS])
		return GH_OK;
	for (q = 0; q < SIGNALS_PERIODS - 1; q++)
		if (row->received_day <= sg->bound[q + 1])
			break;
	if ((r = report_cats_get(sg->s, row, &c)) != GH_OK ||
	    (r = count(sg, row->unit, SIGNALS_ALL, "", q)) != GH_OK)
		return r;
	for (i = 0; i < c.n[REPORT_KIND_FORM] && r == GH_OK; i++)
		r = count(sg, row->unit, SIGNALS_FORM, c.v[REPORT_KIND_FORM][i],
		    q);
	for (i = 0; i < c.n[REPORT_KIND_GROUND] && r == GH_OK; i++)
		r = count(sg, row->unit, SIGNALS_GROUND,
		    c.v[REPORT_KIND_GROUND][i], q);
	return r;
}

/* Suppresses periods 1..k-1 of r, and one more if only one would be. */
static void
suppress(struct signals_row *r, int k)
{
	int q, n = 0, best = -1;

	for (q = 0; q < SIGNALS_PERIODS; q++)
		if (r->n[q] > 0 && r->n[q] < k) {
			r->hidden |= 1U << q;
			n++;
		}
	if (n != 1)
		return;
	for (q = 0; q < SIGNALS_PERIODS; q++)
		if (!(r->hidden & (1U << q)) &&
		    (best < 0 || r->n[q] < r->n[best]))
			best = q;
	if (best >= 0)
		r->hidden |= 1U << best;
}

static int64_t
unit_total(const struct sig *sg, const char *unit)
{
	size_t i;

	for (i = 0; i < sg->n; i++)
		if (sg->rows[i].kind == SIGNALS_ALL &&
		    strcmp(sg->rows[i].unit, unit) == 0)
			return sg->rows[i].total;
	return 0;
}

/* Sort order: the larger unit first, its own row first, then forms,
 * then grounds, each larger first. */
static int
is_before(const struct sig *sg, const struct signals_row *a,
    const struct signals_row *b)
{
	int64_t ta = unit_total(sg, a->unit), tb = unit_total(sg, b->unit);
	int c;

	if (ta != tb)
		return ta > tb;
	if ((c = strcmp(a->unit, b->unit)) != 0)
		return c < 0;
	if (a->kind != b->kind)
		return a->kind < b->kind;
	if (a->total != b->total)
		return a->total > b->total;
	return strcmp(a->value, b->value) < 0;
}

/* Keeps the rows to show (in place, sorted) and counts those left out. */
static void
keep(struct sig *sg, struct signals_view *v, int k)
{
	struct signals_row t;
	size_t i, j, n = 0;

	for (i = 0; i < sg->n; i++) {
		struct signals_row *r = &sg->rows[i];

		if (unit_total(sg, r->unit) < k) {
			v->n_hidden_units += r->kind == SIGNALS_ALL;
			continue;
		}
		if (r->total < k) {
			v->n_hidden_cats++;
			continue;
		}
		suppress(r, k);
		sg->rows[n++] = *r;
	}
	sg->n = n;
	for (i = 1; i < n; i++) {
		t = sg->rows[i];
		for (j = i; j > 0 && is_before(sg, &t, &sg->rows[j - 1]); j--)
			sg->rows[j] = sg->rows[j - 1];
		sg->rows[j] = t;
	}
}

enum MHD_Result
route_desk_signals(struct req *rq, const char *url, const struct http_auth *a)
{
	struct sig sg;
	struct signals_view v;
	struct desk_page p;
	struct buf b = { 0 };
	char from[11], to[11];
	int64_t today = store_today();
	int q, r;

	(void)url;
	memset(&sg, 0, sizeof(sg));
	memset(&v, 0, sizeof(v));
	for (q = 0; q <= SIGNALS_PERIODS; q++)
		sg.bound[q] = deadline_add_months(today,
		    -12 + 3 * q);
	sg.s = ctx_store_get(rq->ctx);
	r = store_report_foreach(sg.s, add, &sg);
	ctx_store_put(rq->ctx, sg.s);
	v.k = rq->ctx->signals_k;
	for (q = 0; q < SIGNALS_PERIODS; q++) {
		report_day_text(from, sg.bound[q] + 1);
		report_day_text(to, sg.bound[q + 1]);
		snprintf(v.period[q], sizeof(v.period[q]), "%s \xe2\x80\x93 %s",
		    from, to);
	}
	if (r == GH_OK) {
		keep(&sg, &v, v.k);
		v.rows = sg.rows;
		v.n = sg.n;
		desk_page_init(&p, rq, a, "/desk/signals");
		r = page_signals(&b, &p, &v);
	}
	free(sg.rows);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, MHD_HTTP_OK, &b);
}
