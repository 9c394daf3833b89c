/*
 * route_console.c: the coordinator's console over HTTP. GET /console
 * (the waves with their totals), POST /console/wave/open and
 * /console/wave/close (form field "wave": the wave's id), GET
 * /console/audit (what coordinators did). The router (router.c) has
 * checked the session, its coordinator role and the CSRF token of a
 * POST.
 *
 * Entry points: route_console_waves, route_console_wave_open,
 * route_console_wave_close, route_console_audit. Data path of an action:
 * the form's wave id (bad: 400, nothing done) -> store_wave_get (none:
 * 404) -> store_wave_set_open -> store_console_audit_add (who, what,
 * today) -> the waves page with a notice. Each action is also a CLI
 * command (gehoord wave open|close). Never logged: names, ids.
 */
#include <stdlib.h>
#include <string.h>

#include "http/desk.h"
#include "pages/console.h"
#include "pages/page.h"
#include "report/report_crypto.h"
#include "store/store_console.h"
#include "util/util.h"

#define AUDIT_SHOWN	500	/* rows on the audit page, newest first */

/* The waves as the console lists them. */
struct wave_list {
	struct store		*s;
	struct console_wave	*w;
	size_t			 n, cap;
};

static int
wave_add(void *arg, const struct store_wave *sw)
{
	struct wave_list *l = arg;
	struct console_wave *nw, *w;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		if ((nw = realloc(l->w, l->cap * sizeof(*nw))) == NULL)
			return GH_ERR_NOMEM;
		l->w = nw;
	}
	w = &l->w[l->n++];
	memset(w, 0, sizeof(*w));
	w->id = sw->id;
	snprintf(w->name, sizeof(w->name), "%s", sw->name);
	w->k = sw->k;
	w->is_open = sw->is_open;
	return store_token_counts(l->s, sw->id, &w->issued, &w->answers);
}

/* The waves page with notice key (NULL: none), answered with status. */
static enum MHD_Result
waves_page(struct req *rq, const struct http_auth *a, unsigned int status,
    const char *key, int is_error)
{
	struct wave_list l = { NULL, NULL, 0, 0 };
	struct desk_page p;
	struct buf b = { 0 };
	int r;

	l.s = ctx_store_get(rq->ctx);
	r = store_wave_foreach(l.s, wave_add, &l);
	ctx_store_put(rq->ctx, l.s);
	if (r == GH_OK) {
		desk_page_init(&p, rq, a, "/console");
		p.notice_key = key;
		p.is_notice_error = is_error;
		r = page_console_waves(&b, &p, l.w, l.n);
	}
	free(l.w);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, status, &b);
}

enum MHD_Result
route_console_waves(struct req *rq, const char *url,
    const struct http_auth *a)
{
	(void)url;
	return waves_page(rq, a, MHD_HTTP_OK, NULL, 0);
}

/* Reads the form's "wave" into *id: 0, or -1 if it is not a wave id. */
static int
form_wave_id(const struct http_auth *a, int64_t *id)
{
	const char *v = form_get(a->form, "wave");
	char *end;
	long long n;

	if (v == NULL || v[0] < '1' || v[0] > '9' || strlen(v) > 18)
		return -1;
	n = strtoll(v, &end, 10);
	if (*end != '\0' || n < 1)
		return -1;
	*id = (int64_t)n;
	return 0;
}

/* Opens (is_open 1) or closes the form's wave, and records who did. */
static enum MHD_Result
wave_set_open(struct req *rq, const struct http_auth *a, int is_open)
{
	struct store_wave *w = NULL;
	struct store *s;
	char object[CONSOLE_TEXT_MAX + 1];
	int64_t id;
	int r;

	if (form_wave_id(a, &id) != 0)
		return waves_page(rq, a, MHD_HTTP_BAD_REQUEST,
		    "console.wave.invalid", 1);
	s = ctx_store_get(rq->ctx);
	if ((r = store_wave_get(s, id, &w)) == GH_OK &&
	    (r = store_wave_set_open(s, id, is_open)) == GH_OK) {
		snprintf(object, sizeof(object), "%lld %s", (long long)id,
		    w->name);
		r = store_console_audit_add(s, a->view.name, is_open ?
		    "wave_open" : "wave_close", object);
	}
	ctx_store_put(rq->ctx, s);
	store_wave_free(w);
	if (r == GH_ERR_NOT_FOUND)
		return waves_page(rq, a, MHD_HTTP_NOT_FOUND,
		    "console.wave.not_found", 1);
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	return waves_page(rq, a, MHD_HTTP_OK, is_open ?
	    "console.wave.opened" : "console.wave.closed", 0);
}

enum MHD_Result
route_console_wave_open(struct req *rq, const char *url,
    const struct http_auth *a)
{
	(void)url;
	return wave_set_open(rq, a, 1);
}

enum MHD_Result
route_console_wave_close(struct req *rq, const char *url,
    const struct http_auth *a)
{
	(void)url;
	return wave_set_open(rq, a, 0);
}

/* The audit rows as the page shows them. */
struct audit_list {
	struct console_audit_item	*items;
	size_t				 n, cap;
};

static int
audit_add(void *arg, const struct console_audit_row *row)
{
	struct audit_list *l = arg;
	struct console_audit_item *ni, *it;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		if ((ni = realloc(l->items, l->cap * sizeof(*ni))) == NULL)
			return GH_ERR_NOMEM;
		l->items = ni;
	}
	it = &l->items[l->n++];
	memset(it, 0, sizeof(*it));
	report_day_text(it->day, row->day);
	snprintf(it->user, sizeof(it->user), "%s", row->user);
	snprintf(it->action, sizeof(it->action), "%s", row->action);
	snprintf(it->object, sizeof(it->object), "%s", row->object);
	return GH_OK;
}

enum MHD_Result
route_console_audit(struct req *rq, const char *url,
    const struct http_auth *a)
{
	struct audit_list l = { NULL, 0, 0 };
	struct desk_page p;
	struct buf b = { 0 };
	struct store *s;
	int r;

	(void)url;
	s = ctx_store_get(rq->ctx);
	r = store_console_audit_foreach(s, AUDIT_SHOWN, audit_add, &l);
	ctx_store_put(rq->ctx, s);
	if (r == GH_OK) {
		desk_page_init(&p, rq, a, "/console/audit");
		r = page_console_audit(&b, &p, l.items, l.n);
	}
	free(l.items);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, MHD_HTTP_OK, &b);
}
