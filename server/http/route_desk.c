/*
 * route_desk.c: the desk's overview, GET /desk (and /desk/: the inbox).
 * The router (router.c) has checked the desk session before it runs; one
 * report and its actions are route_desk_report.c, the signals
 * route_signals.c.
 *
 * Entry points: route_desk_inbox, route_desk_find. Data path of the
 * inbox: the GET filters parsed (report_filter_parse; an unknown value:
 * 422, the inbox unfiltered) -> store_report_foreach (a reading
 * connection) -> each row's clock (desk_item_fill, desk.c:
 * report/deadline.h) as of today and its case (store_case_get: assigned
 * to, read mark) -> report_filter_match -> sorted by urgency (overdue
 * first, then by due day), tombstones last -> page_desk_inbox. GET
 * /desk/find?ref= goes to the case of a typed reference (303), or shows
 * the inbox saying why not. The inbox shows no text: nothing is opened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/desk.h"
#include "pages/page.h"
#include "report/deadline.h"
#include "report/report_case.h"

/* The inbox: items with their sort keys. */
struct inbox {
	struct desk_item	*items;
	int64_t			*keys;	/* group * 2^40 + urgency */
	size_t			 n, cap;
	int64_t			 today;
	struct store		*s;
	const struct report_filter *filter;	/* NULL: every report */
	const struct desk_user	*users;
	size_t			 n_users;
};

static int
inbox_add(void *arg, const struct report_row *row)
{
	struct inbox *ib = arg;
	struct desk_item *ni, it;
	struct store_case c;
	int64_t *nk, u, group;
	size_t cap;
	int r, is_match = 1;

	desk_item_fill(&it, row, ib->today, &u);
	if ((r = store_case_get(ib->s, row->id, ib->filter != NULL ?
	    ib->filter->me : -1, &c)) != GH_OK)
		return r;
	if (ib->filter != NULL && (r = report_filter_match(ib->s, ib->filter,
	    row, &c, u, &is_match)) != GH_OK)
		return r;
	if (!is_match)
		return GH_OK;
	it.is_new = row->status != REPORT_WITHDRAWN && report_case_is_new(&c);
	desk_item_assign(&it, ib->users, ib->n_users, c.assigned_to);
	snprintf(it.outcome, sizeof(it.outcome), "%s", c.outcome);
	if (ib->n == ib->cap) {
		cap = ib->cap ? ib->cap * 2 : 64;
		if ((ni = realloc(ib->items, cap * sizeof(*ni))) == NULL)
			return GH_ERR_NOMEM;
		ib->items = ni;
		if ((nk = realloc(ib->keys, cap * sizeof(*nk))) == NULL)
			return GH_ERR_NOMEM;
		ib->keys = nk;
		ib->cap = cap;
	}
	ib->items[ib->n] = it;
	/* Running clocks first (most urgent first), then the rest, newest
	 * first, then the tombstones. */
	group = row->status == REPORT_WITHDRAWN ? 2 : u == INT64_MAX ? 1 : 0;
	ib->keys[ib->n] = (group << 40) +
	    (group == 0 ? u : -row->received_day) + ((int64_t)1 << 39);
	ib->n++;
	return GH_OK;
}

static void
inbox_sort(struct inbox *ib)
{
	struct desk_item t;
	int64_t k;
	size_t i, j;

	/* Insertion sort, stable: the store gives newest first. */
	for (i = 1; i < ib->n; i++) {
		t = ib->items[i];
		k = ib->keys[i];
		for (j = i; j > 0 && ib->keys[j - 1] > k; j--) {
			ib->items[j] = ib->items[j - 1];
			ib->keys[j] = ib->keys[j - 1];
		}
		ib->items[j] = t;
		ib->keys[j] = k;
	}
}

static const char *
arg(const struct req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

/* The inbox with filter (NULL: all), answered with status and, if not
 * NULL, notice_key shown first (an error from status 400 up). */
static enum MHD_Result
inbox(struct req *rq, const struct http_auth *a, const struct desk_filter *df,
    const struct report_filter *rf, unsigned int status,
    const char *notice_key)
{
	struct inbox ib;
	struct store *s = ctx_store_get(rq->ctx);
	struct desk_user *users = NULL;
	struct desk_page p;
	struct buf b = { 0 };
	int r;

	memset(&ib, 0, sizeof(ib));
	ib.today = store_today();
	ib.s = s;
	ib.filter = rf;
	if ((r = desk_users_load(s, &users, &ib.n_users)) == GH_OK) {
		ib.users = users;
		r = store_report_foreach(s, inbox_add, &ib);
	}
	ctx_store_put(rq->ctx, s);
	if (r == GH_OK) {
		inbox_sort(&ib);
		desk_page_init(&p, rq, a, "/desk");
		p.filter = df;
		p.notice_key = notice_key;
		p.is_notice_error = status >= 400;
		r = page_desk_inbox(&b, &p, ib.items, ib.n);
	}
	free(ib.items);
	free(ib.keys);
	free(users);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, status, &b);
}

enum MHD_Result
route_desk_inbox(struct req *rq, const char *url, const struct http_auth *a)
{
	struct desk_filter df;
	struct report_filter rf;
	const char *field;

	(void)url;
	memset(&df, 0, sizeof(df));
	df.status = arg(rq, "status");
	df.form = arg(rq, "form");
	df.ground = arg(rq, "ground");
	df.due = arg(rq, "due");
	df.assigned = arg(rq, "assigned");
	if (report_filter_parse(&rf, df.status, df.form, df.ground, df.due,
	    df.assigned, a->view.user_id, &field) != GH_OK) {
		memset(&df, 0, sizeof(df));
		if (report_filter_parse(&rf, NULL, NULL, NULL, NULL, NULL,
		    a->view.user_id, &field) != GH_OK)
			return http_send_page(rq, PAGE_ERROR);
		return inbox(rq, a, &df, &rf, MHD_HTTP_UNPROCESSABLE_CONTENT,
		    "desk.filter.bad");
	}
	df.is_filtered = rf.status != -1 || rf.form != NULL ||
	    rf.ground != NULL || rf.due != FILTER_DUE_ANY ||
	    rf.who != FILTER_WHO_ANY;
	return inbox(rq, a, &df, &rf, MHD_HTTP_OK, NULL);
}

/* GET /desk/find?ref=: the case of a typed reference. */
enum MHD_Result
route_desk_find(struct req *rq, const char *url, const struct http_auth *a)
{
	struct desk_filter df;
	struct report_filter rf;
	uint8_t id[REPORT_ID_BYTES];
	char hex[2 * REPORT_ID_BYTES + 1], loc[80];
	const char *field;
	struct store *s;
	int r;

	(void)url;
	memset(&df, 0, sizeof(df));
	df.ref = arg(rq, "ref");
	s = ctx_store_get(rq->ctx);
	r = report_case_find(s, df.ref, id);
	ctx_store_put(rq->ctx, s);
	if (r == GH_OK) {
		sodium_bin2hex(hex, sizeof(hex), id, sizeof(id));
		snprintf(loc, sizeof(loc), "/desk/r/%s?lang=%s", hex,
		    rq->lang == DEF_EN ? "en" : "nl");
		return http_send_redirect(rq, loc, NULL);
	}
	if (r != GH_ERR_INVALID && r != GH_ERR_NOT_FOUND)
		return http_send_page(rq, PAGE_ERROR);
	if (report_filter_parse(&rf, NULL, NULL, NULL, NULL, NULL,
	    a->view.user_id, &field) != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	return inbox(rq, a, &df, &rf, r == GH_ERR_INVALID ?
	    MHD_HTTP_UNPROCESSABLE_CONTENT : MHD_HTTP_NOT_FOUND,
	    r == GH_ERR_INVALID ? "desk.find.bad" : "desk.find.none");
}
