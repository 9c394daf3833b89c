/*
 * route_console.c: the coordinator's console over HTTP. GET /console
 * (the waves with their totals), POST /console/wave/open,
 * /console/wave/close and /console/wave/schedule (form field "wave":
 * the wave's id), POST /console/wave/create, GET
 * /console/audit (what coordinators did). The router (router.c) has
 * checked the session, its coordinator role and the CSRF token of a
 * POST.
 *
 * Entry points: route_console_waves, route_console_wave_open,
 * route_console_wave_close, route_console_wave_schedule (the times at
 * which serve's scheduler, console_ctx.c, opens and closes it),
 * route_console_wave_create (from an instrument of --survey-defs, with
 * the wave's public key and k of at least STORE_K_MIN),
 * route_console_participation (links spent per unit as of the last
 * daily count, only units with at least the wave's k),
 * route_console_audit (the units' page is route_console_units.c). Data path of an action:
 * the form's wave id (bad: 400, nothing done) -> store_wave_get (none:
 * 404) -> store_wave_set_open -> store_console_audit_add (who, what,
 * today) -> the waves page with a notice. Each action is also a CLI
 * command (gehoord wave open|close). Never logged: names, ids.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/seal.h"
#include "http/console_ctx.h"
#include "http/console_waves.h"
#include "http/desk.h"
#include "pages/console.h"
#include "pages/page.h"
#include "report/report_crypto.h"
#include "store/store_console.h"
#include "util/localtime.h"
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

/* Adds each wave's schedule to l. */
static int
schedules_fill(struct wave_list *l)
{
	struct console_schedule sc;
	size_t i;
	int r = GH_OK;

	for (i = 0; i < l->n && r == GH_OK; i++) {
		if ((r = store_console_schedule_get(l->s, l->w[i].id, &sc)) !=
		    GH_OK)
			break;
		localtime_text(l->w[i].opens, sc.open_at);
		localtime_text(l->w[i].closes, sc.close_at);
	}
	return r;
}

enum MHD_Result
console_waves_page(struct req *rq, const struct http_auth *a,
    unsigned int status, const char *key, int is_error)
{
	struct wave_list l = { NULL, NULL, 0, 0 };
	struct console_view cv;
	const struct console_def *defs;
	const char *names[CONSOLE_DEFS_MAX];
	struct desk_page p;
	struct buf b = { 0 };
	size_t i;
	int r;

	memset(&cv, 0, sizeof(cv));
	defs = console_defs(rq->ctx, &cv.n_defs);
	for (i = 0; i < cv.n_defs; i++)
		names[i] = defs[i].name;
	cv.defs = names;
	if (a->form != NULL && is_error) {
		cv.name = form_get(a->form, "name");
		cv.k = form_get(a->form, "k");
	}
	l.s = ctx_store_get(rq->ctx);
	if ((r = store_wave_foreach(l.s, wave_add, &l)) == GH_OK)
		r = schedules_fill(&l);
	ctx_store_put(rq->ctx, l.s);
	if (r == GH_OK) {
		desk_page_init(&p, rq, a, "/console");
		p.notice_key = key;
		p.is_notice_error = is_error;
		cv.w = l.w;
		cv.n = l.n;
		r = page_console_waves(&b, &p, &cv);
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
	return console_waves_page(rq, a, MHD_HTTP_OK, NULL, 0);
}

int
console_form_wave(const struct http_auth *a, int64_t *id)
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

	if (console_form_wave(a, &id) != 0)
		return console_waves_page(rq, a, MHD_HTTP_BAD_REQUEST,
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
	ctx_wave_open_changed(rq->ctx, id);
	store_wave_free(w);
	if (r == GH_ERR_NOT_FOUND)
		return console_waves_page(rq, a, MHD_HTTP_NOT_FOUND,
		    "console.wave.not_found", 1);
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	return console_waves_page(rq, a, MHD_HTTP_OK, is_open ?
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

/*
 * Reads a datetime-local value ("YYYY-MM-DDTHH:MM", seconds allowed) of
 * serve's local time into *t; "" or absent gives 0. Returns 0, or -1 if
 * it is not such a time.
 */
static int
form_time(const struct http_auth *a, const char *field, int64_t *t)
{
	const char *v = form_get(a->form, field);

	*t = 0;
	if (v == NULL || v[0] == '\0')
		return 0;
	return localtime_parse(v, t) == GH_OK ? 0 : -1;
}

enum MHD_Result
route_console_wave_schedule(struct req *rq, const char *url,
    const struct http_auth *a)
{
	struct store_wave *w = NULL;
	struct store *s;
	char object[CONSOLE_TEXT_MAX + 1];
	int64_t id, open_at, close_at;
	int r;

	(void)url;
	if (console_form_wave(a, &id) != 0)
		return console_waves_page(rq, a, MHD_HTTP_BAD_REQUEST,
		    "console.wave.invalid", 1);
	if (form_time(a, "open_at", &open_at) != 0)
		return console_waves_page(rq, a,
		    MHD_HTTP_UNPROCESSABLE_CONTENT,
		    "console.schedule.bad_open", 1);
	if (form_time(a, "close_at", &close_at) != 0)
		return console_waves_page(rq, a,
		    MHD_HTTP_UNPROCESSABLE_CONTENT,
		    "console.schedule.bad_close", 1);
	if (open_at > 0 && close_at > 0 && close_at <= open_at)
		return console_waves_page(rq, a, MHD_HTTP_UNPROCESSABLE_CONTENT,
		    "console.schedule.close_first", 1);
	s = ctx_store_get(rq->ctx);
	if ((r = store_wave_get(s, id, &w)) == GH_OK &&
	    (r = store_console_schedule_set(s, id, open_at, close_at,
	    a->view.name)) == GH_OK) {
		snprintf(object, sizeof(object), "%lld %s", (long long)id,
		    w->name);
		r = store_console_audit_add(s, a->view.name, "wave_schedule",
		    object);
	}
	ctx_store_put(rq->ctx, s);
	store_wave_free(w);
	if (r == GH_ERR_NOT_FOUND)
		return console_waves_page(rq, a, MHD_HTTP_NOT_FOUND,
		    "console.wave.not_found", 1);
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	return console_waves_page(rq, a, MHD_HTTP_OK, open_at == 0 && close_at == 0 ?
	    "console.schedule.cleared" : "console.schedule.set", 0);
}

/* The instrument of the form, or NULL. */
static const struct console_def *
form_def(struct req *rq, const struct http_auth *a)
{
	const char *v = form_get(a->form, "instrument");
	const struct console_def *defs;
	size_t n, i;

	defs = console_defs(rq->ctx, &n);
	for (i = 0; v != NULL && i < n; i++)
		if (strcmp(defs[i].name, v) == 0)
			return &defs[i];
	return NULL;
}

/* The create form's k into *k: 0, or -1 if not a whole number 5..10^6. */
static int
form_k(const struct http_auth *a, int *k)
{
	const char *v = form_get(a->form, "k");
	char *end;
	long n;

	if (v == NULL || v[0] < '0' || v[0] > '9' || strlen(v) > 7)
		return -1;
	n = strtol(v, &end, 10);
	if (*end != '\0' || n > 1000000)
		return -1;
	*k = (int)n;
	return 0;
}

enum MHD_Result
route_console_wave_create(struct req *rq, const char *url,
    const struct http_auth *a)
{
	const struct console_def *d = NULL;
	uint8_t pk[SEAL_PK_BYTES];
	const char *name = form_get(a->form, "name"), *key = NULL;
	char object[CONSOLE_TEXT_MAX + 1];
	struct store *s;
	int64_t id;
	int k = 0, r;

	(void)url;
	if (name == NULL || name[0] == '\0' || strlen(name) > CONSOLE_NAME_MAX)
		key = "console.create.bad_name";
	else if ((d = form_def(rq, a)) == NULL)
		key = "console.create.bad_instrument";
	else if (form_get(a->form, "public_key") == NULL ||
	    pk_from_b64(pk, form_get(a->form, "public_key")) != GH_OK)
		key = "console.create.bad_pk";
	else if (form_k(a, &k) != 0)
		key = "console.create.bad_k";
	else if (k < STORE_K_MIN)
		key = "console.create.low_k";
	if (key != NULL || d == NULL)
		return console_waves_page(rq, a, MHD_HTTP_UNPROCESSABLE_CONTENT,
		    key != NULL ? key : "console.create.bad_instrument", 1);
	s = ctx_store_get(rq->ctx);
	if ((r = store_wave_create(s, name, d->json, pk, k, &id)) == GH_OK) {
		snprintf(object, sizeof(object), "%lld %s (%s, k %d)",
		    (long long)id, name, d->name, k);
		r = store_console_audit_add(s, a->view.name, "wave_create",
		    object);
	}
	ctx_store_put(rq->ctx, s);
	if (r == GH_ERR_EXISTS)
		return console_waves_page(rq, a, MHD_HTTP_CONFLICT,
		    "console.create.exists", 1);
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	return console_waves_page(rq, a, MHD_HTTP_OK, "console.create.done", 0);
}

/* The units shown on the participation page, and how many are not. */
struct unit_list {
	const struct store_wave		*w;
	struct console_unit_item	*items;
	size_t				 n, cap, n_hidden;
};

static int
unit_add(void *arg, const struct console_unit_row *row)
{
	struct unit_list *l = arg;
	struct console_unit_item *ni, *it;

	/* Only a unit with at least k links spent, as of the daily count. */
	if (row->spent < l->w->k) {
		l->n_hidden++;
		return GH_OK;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		if ((ni = realloc(l->items, l->cap * sizeof(*ni))) == NULL)
			return GH_ERR_NOMEM;
		l->items = ni;
	}
	it = &l->items[l->n++];
	memset(it, 0, sizeof(*it));
	snprintf(it->wave, sizeof(it->wave), "%s", l->w->name);
	snprintf(it->unit, sizeof(it->unit), "%s", row->unit);
	it->issued = row->issued;
	it->spent = row->spent;
	it->head = row->head;
	report_day_text(it->day, row->day);
	return GH_OK;
}

struct part_walk {
	struct store		*s;
	struct unit_list	 l;
};

static int
wave_units(void *arg, const struct store_wave *w)
{
	struct part_walk *pw = arg;

	pw->l.w = w;
	return store_console_participation_foreach(pw->s, w->id, unit_add,
	    &pw->l);
}

enum MHD_Result
route_console_participation(struct req *rq, const char *url,
    const struct http_auth *a)
{
	struct part_walk pw;
	struct desk_page p;
	struct buf b = { 0 };
	int r;

	(void)url;
	memset(&pw, 0, sizeof(pw));
	pw.s = ctx_store_get(rq->ctx);
	r = store_wave_foreach(pw.s, wave_units, &pw);
	ctx_store_put(rq->ctx, pw.s);
	if (r == GH_OK) {
		desk_page_init(&p, rq, a, "/console/participation");
		r = page_console_participation(&b, &p, pw.l.items, pw.l.n,
		    pw.l.n_hidden);
	}
	free(pw.l.items);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, MHD_HTTP_OK, &b);
}
