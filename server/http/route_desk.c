/*
 * route_desk.c: everything under /desk. Only a desk user's session gets
 * in: without one (or after the idle timeout) a GET goes to /login with
 * 303 and a POST is refused with 403, as is a POST without the session's
 * CSRF token. Then: GET /desk (the inbox), GET /desk/signals, and the
 * report routes of route_desk_report.c.
 *
 * Entry point: route_desk. Data path of the inbox: store_report_foreach
 * (a reading connection) -> each row's clock (report/deadline.h) as of
 * today -> sorted by urgency (overdue first), tombstones last ->
 * page_desk_inbox. The inbox shows no text: nothing is opened.
 * The signals count reports per organisational unit received in the last
 * 12 months and show a unit only with at least ctx->signals_k reports,
 * saying how many units are left out without naming them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/desk_int.h"
#include "report/deadline.h"
#include "report/report_crypto.h"
#include "util/log.h"

#define COOKIE_NAME	"gh_session"

_Static_assert(REPORT_MAX_CATEGORY == DESK_CAT_MAX &&
    REPORT_MAX_UNIT == DESK_UNIT_MAX, "a row's fields fit a page item");

static enum desk_clock
clock_of(enum deadline_state s)
{
	switch (s) {
	case DEADLINE_DUE: return DESK_CLOCK_DUE;
	case DEADLINE_OVERDUE: return DESK_CLOCK_OVERDUE;
	case DEADLINE_DONE: return DESK_CLOCK_DONE;
	case DEADLINE_NOT_YET: break;
	}
	return DESK_CLOCK_NOT_YET;
}

void
desk_item_fill(struct desk_item *it, const struct report_row *row,
    int64_t today, int64_t *urgency)
{
	struct deadline_in in = { row->received_day, row->ack_day,
	    row->feedback_day, row->closed_day, row->aftercare1_day,
	    row->aftercare3_day, row->status == REPORT_WITHDRAWN };
	struct deadline_step st[DEADLINE_STEPS];
	int64_t u;
	int i;

	memset(it, 0, sizeof(*it));
	sodium_bin2hex(it->id, sizeof(it->id), row->id, REPORT_ID_BYTES);
	it->status = (int)row->status;
	report_day_text(it->received, row->received_day);
	report_day_text(it->status_day, row->status_day);
	u = deadline_clock(&in, today, st);
	for (i = 0; i < DESK_STEPS; i++) {
		it->step[i].state = clock_of(st[i].state);
		if (st[i].due >= 0)
			report_day_text(it->step[i].due, st[i].due);
	}
	memcpy(it->form, row->form, sizeof(it->form) - 1);
	memcpy(it->ground, row->ground, sizeof(it->ground) - 1);
	memcpy(it->unit, row->unit, sizeof(it->unit) - 1);
	memcpy(it->measure, row->measure, sizeof(it->measure) - 1);
	if (urgency != NULL)
		*urgency = u;
}

void
desk_page_init(struct desk_page *p, const struct desk_req *d,
    const char *here)
{
	memset(p, 0, sizeof(*p));
	p->lang = d->rq->lang;
	p->user = d->view.name;
	p->csrf = d->view.csrf;
	p->here = here;
}

enum MHD_Result
desk_forbidden(struct req *rq)
{
	struct buf b = { 0 };

	if (page_desk_forbidden(&b, rq->lang) != GH_OK)
		buf_free(&b);
	return http_send_html(rq, MHD_HTTP_FORBIDDEN, &b);
}

/* The inbox: items with their sort keys. */
struct inbox {
	struct desk_item	*items;
	int64_t			*keys;	/* group * 2^40 + urgency */
	size_t			 n, cap;
	int64_t			 today;
};

static int
inbox_add(void *arg, const struct report_row *row)
{
	struct inbox *ib = arg;
	struct desk_item *ni;
	int64_t *nk, u, group;
	size_t cap;

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
	desk_item_fill(&ib->items[ib->n], row, ib->today, &u);
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

static enum MHD_Result
show_inbox(struct desk_req *d)
{
	struct inbox ib = { NULL, NULL, 0, 0, store_today() };
	struct store *s = ctx_store_get(d->rq->ctx);
	struct desk_page p;
	struct buf b = { 0 };
	int r;

	r = store_report_foreach(s, inbox_add, &ib);
	ctx_store_put(d->rq->ctx, s);
	if (r == GH_OK) {
		inbox_sort(&ib);
		desk_page_init(&p, d, "/desk");
		r = page_desk_inbox(&b, &p, ib.items, ib.n);
	}
	free(ib.items);
	free(ib.keys);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(d->rq, PAGE_ERROR);
	}
	return http_send_html(d->rq, MHD_HTTP_OK, &b);
}

struct signals {
	struct desk_unit_count	*u;
	size_t			 n, cap;
	int64_t			 since;
};

static int
signals_add(void *arg, const struct report_row *row)
{
	struct signals *sg = arg;
	struct desk_unit_count *nu;
	size_t i;

	if (row->unit[0] == '\0' || row->received_day <= sg->since ||
	    row->status == REPORT_WITHDRAWN)
		return GH_OK;
	for (i = 0; i < sg->n; i++) {
		if (strcmp(sg->u[i].unit, row->unit) == 0) {
			sg->u[i].n++;
			return GH_OK;
		}
	}
	if (sg->n == sg->cap) {
		sg->cap = sg->cap ? sg->cap * 2 : 16;
		if ((nu = realloc(sg->u, sg->cap * sizeof(*nu))) == NULL)
			return GH_ERR_NOMEM;
		sg->u = nu;
	}
	memset(&sg->u[sg->n], 0, sizeof(sg->u[sg->n]));
	memcpy(sg->u[sg->n].unit, row->unit, sizeof(sg->u[sg->n].unit) - 1);
	sg->u[sg->n++].n = 1;
	return GH_OK;
}

static enum MHD_Result
show_signals(struct desk_req *d)
{
	struct signals sg = { NULL, 0, 0, 0 };
	struct store *s = ctx_store_get(d->rq->ctx);
	struct desk_page p;
	struct buf b = { 0 };
	size_t i, n = 0;
	int k = d->rq->ctx->signals_k, r;

	sg.since = deadline_add_months(store_today(), -12);
	r = store_report_foreach(s, signals_add, &sg);
	ctx_store_put(d->rq->ctx, s);
	/* Keep only units with at least k reports, in place, largest first. */
	for (i = 0; i < sg.n; i++)
		if (sg.u[i].n >= k)
			sg.u[n++] = sg.u[i];
	for (i = 1; i < n; i++) {
		struct desk_unit_count t = sg.u[i];
		size_t j;

		for (j = i; j > 0 && sg.u[j - 1].n < t.n; j--)
			sg.u[j] = sg.u[j - 1];
		sg.u[j] = t;
	}
	if (r == GH_OK) {
		desk_page_init(&p, d, "/desk/signals");
		r = page_desk_signals(&b, &p, sg.u, n, sg.n - n, k);
	}
	free(sg.u);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(d->rq, PAGE_ERROR);
	}
	return http_send_html(d->rq, MHD_HTTP_OK, &b);
}

/* Parses "/r/HEX" or "/r/HEX/ACTION" after "/desk"; *action gets ACTION
 * or NULL. Returns 0, or -1 if it is not a report path. */
static int
parse_report_path(struct desk_req *d, const char *rest, const char **action)
{
	size_t len = 0;

	if (strncmp(rest, "/r/", 3) != 0)
		return -1;
	rest += 3;
	if (strlen(rest) < DESK_ID_LEN ||
	    (rest[DESK_ID_LEN] != '\0' && rest[DESK_ID_LEN] != '/'))
		return -1;
	if (sodium_hex2bin(d->id, sizeof(d->id), rest, DESK_ID_LEN, NULL,
	    &len, NULL) != 0 || len != REPORT_ID_BYTES)
		return -1;
	sodium_bin2hex(d->id_hex, sizeof(d->id_hex), d->id, sizeof(d->id));
	*action = rest[DESK_ID_LEN] == '/' ? rest + DESK_ID_LEN + 1 : NULL;
	return 0;
}

static enum MHD_Result
dispatch(struct desk_req *d, const char *url)
{
	const char *rest = url + 5, *action = NULL;	/* after "/desk" */

	if (strcmp(rest, "") == 0 || strcmp(rest, "/") == 0)
		return d->rq->is_post ? http_send_page(d->rq, PAGE_NOT_FOUND) :
		    show_inbox(d);
	if (strcmp(rest, "/signals") == 0)
		return d->rq->is_post ? http_send_page(d->rq, PAGE_NOT_FOUND) :
		    show_signals(d);
	if (parse_report_path(d, rest, &action) != 0)
		return http_send_page(d->rq, PAGE_NOT_FOUND);
	if (action == NULL)
		return d->rq->is_post ? http_send_page(d->rq, PAGE_NOT_FOUND) :
		    desk_report_show(d, MHD_HTTP_OK, NULL);
	if (!d->rq->is_post)
		return http_send_page(d->rq, PAGE_NOT_FOUND);
	return desk_report_post(d, action);
}

enum MHD_Result
route_desk(struct req *rq, const char *url)
{
	struct desk_req d;
	const char *v;
	enum def_lang lang;
	enum MHD_Result ret;

	memset(&d, 0, sizeof(d));
	d.rq = rq;
	d.cookie = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND,
	    COOKIE_NAME);
	if (session_find(rq->ctx->sessions, d.cookie, &d.view) != GH_OK) {
		if (rq->is_post)
			return desk_forbidden(rq);
		return http_send_redirect(rq, d.cookie != NULL ?
		    (rq->lang == DEF_EN ? "/login?expired=1&lang=en" :
		    "/login?expired=1") : (rq->lang == DEF_EN ?
		    "/login?lang=en" : "/login"), NULL);
	}
	if (d.view.role != USER_DESK)
		return desk_forbidden(rq);
	if (rq->is_post) {
		if (!rq->is_form || form_parse(rq->body, rq->body_len,
		    &d.form) != GH_OK)
			return http_send_page(rq, PAGE_BAD_REQUEST);
		if ((v = form_get(d.form, "lang")) != NULL &&
		    def_lang_parse(v, &lang) == GH_OK)
			rq->lang = lang;
		if (!session_csrf_ok(rq->ctx->sessions, d.cookie,
		    form_get(d.form, "csrf"))) {
			form_free(d.form);
			return desk_forbidden(rq);
		}
	}
	ret = dispatch(&d, url);
	form_free(d.form);
	sodium_memzero(&d.view, sizeof(d.view));
	return ret;
}
