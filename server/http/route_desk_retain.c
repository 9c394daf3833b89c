/*
 * route_desk_retain.c: GET /desk/retention, the desk's list of reports
 * whose retention ends within RETAIN_SOON_DAYS (or has ended and the
 * daily run has not yet destroyed them), soonest first, each linking to
 * its report, where the desk can extend it (route_desk_report.c).
 *
 * Entry point: route_desk_retention. Data path: report_retain_soon
 * (report/report_expire.h: days and forms only, no key needed) -> items
 * (id, reference, last day, an extension's reason) -> page_desk_retention.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/desk.h"
#include "pages/page.h"
#include "report/report_case.h"
#include "report/report_crypto.h"
#include "report/report_expire.h"

struct soon_list {
	struct desk_retain_item	*v;
	size_t			 n, cap;
};

static int
add(void *arg, const struct store_retain_row *r, int64_t last)
{
	struct soon_list *l = arg;
	struct desk_retain_item *it;
	void *p;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		if ((p = realloc(l->v, l->cap * sizeof(*l->v))) == NULL)
			return GH_ERR_NOMEM;
		l->v = p;
	}
	it = &l->v[l->n++];
	memset(it, 0, sizeof(*it));
	sodium_bin2hex(it->id, sizeof(it->id), r->id, REPORT_ID_BYTES);
	report_case_ref_text(r->ref, it->ref);
	report_day_text(it->until, last);
	if (retain_reason_is_valid(r->keep_reason))
		snprintf(it->reason, sizeof(it->reason), "%s", r->keep_reason);
	return GH_OK;
}

enum MHD_Result
route_desk_retention(struct req *rq, const char *url,
    const struct http_auth *a)
{
	struct soon_list l = { 0 };
	struct desk_page p;
	struct buf b = { 0 };
	struct store *s;
	int r;

	(void)url;
	s = ctx_store_get(rq->ctx);
	r = report_retain_soon(s, store_today(), add, &l);
	ctx_store_put(rq->ctx, s);
	if (r == GH_OK) {
		desk_page_init(&p, rq, a, "/desk/retention");
		r = page_desk_retention(&b, &p, l.v, l.n, RETAIN_SOON_DAYS);
	}
	free(l.v);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, MHD_HTTP_OK, &b);
}
