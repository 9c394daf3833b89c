/*
 * route_desk_report.c: one report for the desk: GET /desk/r/ID and the
 * POSTs /desk/r/ID/reply, /status, /category and /aftercare (route_desk.c
 * has checked the session and the CSRF token already).
 *
 * Entry points: desk_report_show, desk_report_post. Data path of reading:
 *   store_report_get -> session_with_desk_key: report_key_open(sealed_key,
 *   desk key) into sodium_malloc memory (under the session's lock, nothing
 *   else) -> store_report_messages -> report_open(for_desk, report key)
 *   each into sodium_malloc memory -> page_desk_report -> every plaintext
 *   and the report key wiped.
 * Replying: the text is sealed twice (report_seal_both: for_desk to the
 * report's key, for_reporter to the reply key) and stored; no key is
 * needed. A POST that changes something answers 303 back to the report;
 * a refused one shows the report with the reason, nothing changed.
 * Never logged: any text, id or name.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http/desk_int.h"
#include "report/report_crypto.h"
#include "util/log.h"

#define REPLY_MAX_CHARS	4000

/* The report key, opened under the session's lock. */
struct key_open {
	const struct report_row	*row;
	uint8_t			*report_sk;	/* sodium_malloc */
};

static int
open_key(void *arg, const uint8_t *desk_sk)
{
	struct key_open *ko = arg;
	uint8_t desk_pk[REPORT_PK_BYTES];
	int r;

	if (crypto_scalarmult_base(desk_pk, desk_sk) != 0)
		return GH_ERR_CRYPTO;
	r = report_key_open(ko->report_sk, ko->row->sealed_key,
	    ko->row->sealed_key_len, desk_pk, desk_sk);
	sodium_memzero(desk_pk, sizeof(desk_pk));
	return r;
}

/* The opened conversation. */
struct conv {
	const struct report_row	*row;
	const uint8_t		*report_sk;
	struct desk_msg		*msgs;
	struct report_plain	*plain;
	size_t			 n, cap;
};

static int
conv_add(void *arg, const struct report_msg *m)
{
	struct conv *cv = arg;
	struct desk_msg *nm;
	struct report_plain *np;
	size_t cap;

	if (cv->n == cv->cap) {
		cap = cv->cap ? cv->cap * 2 : 16;
		if ((nm = realloc(cv->msgs, cap * sizeof(*nm))) == NULL)
			return GH_ERR_NOMEM;
		cv->msgs = nm;
		if ((np = realloc(cv->plain, cap * sizeof(*np))) == NULL)
			return GH_ERR_NOMEM;
		cv->plain = np;
		cv->cap = cap;
	}
	memset(&cv->msgs[cv->n], 0, sizeof(cv->msgs[cv->n]));
	memset(&cv->plain[cv->n], 0, sizeof(cv->plain[cv->n]));
	cv->msgs[cv->n].is_by_desk = m->author == REPORT_BY_DESK;
	cv->msgs[cv->n].kind = (int)m->kind;
	report_day_text(cv->msgs[cv->n].day, m->day);
	if (report_open(&cv->plain[cv->n], m->for_desk, m->for_desk_len,
	    cv->row->report_pk, cv->report_sk) == GH_OK) {
		cv->msgs[cv->n].text = cv->plain[cv->n].text;
		cv->msgs[cv->n].text_len = cv->plain[cv->n].len;
	} else {
		log_warn("a report message does not open with its key");
	}
	cv->n++;
	return GH_OK;
}

static void
conv_clear(struct conv *cv)
{
	size_t i;

	for (i = 0; i < cv->n; i++)
		report_plain_clear(&cv->plain[i]);
	free(cv->plain);
	free(cv->msgs);
}

/* Opens the report key and every message of row (live report). */
static int
open_conversation(struct desk_req *d, struct store *s,
    const struct report_row *row, uint8_t *report_sk, struct conv *cv)
{
	struct key_open ko = { row, report_sk };
	int r;

	r = session_with_desk_key(d->rq->ctx->sessions, d->cookie, open_key,
	    &ko);
	if (r != GH_OK) {
		log_error("a report key does not open with the desk key: %s",
		    gh_err_str(r));
		return r;
	}
	cv->row = row;
	cv->report_sk = report_sk;
	return store_report_messages(s, d->id, conv_add, cv);
}

enum MHD_Result
desk_report_show(struct desk_req *d, unsigned int status,
    const char *notice_key)
{
	struct store *s = ctx_store_get(d->rq->ctx);
	struct report_row row;
	struct conv cv;
	struct desk_item it;
	struct desk_page p;
	struct buf b = { 0 };
	uint8_t *report_sk = NULL;
	char here[8 + DESK_ID_LEN + 1];
	int r;

	memset(&row, 0, sizeof(row));
	memset(&cv, 0, sizeof(cv));
	if ((r = store_report_get(s, d->id, &row)) != GH_OK)
		goto out;
	desk_item_fill(&it, &row, store_today(), NULL);
	if (row.status != REPORT_WITHDRAWN) {
		if ((report_sk = sodium_malloc(REPORT_SK_BYTES)) == NULL) {
			r = GH_ERR_NOMEM;
			goto out;
		}
		if ((r = open_conversation(d, s, &row, report_sk, &cv)) !=
		    GH_OK)
			goto out;
	}
	snprintf(here, sizeof(here), "/desk/r/%s", d->id_hex);
	desk_page_init(&p, d, here);
	p.notice_key = notice_key;
	p.is_notice_error = status >= 400;
	r = page_desk_report(&b, &p, &it, cv.msgs, cv.n);
out:
	ctx_store_put(d->rq->ctx, s);
	sodium_free(report_sk);
	conv_clear(&cv);
	store_report_row_clear(&row);
	if (r == GH_ERR_NOT_FOUND)
		return http_send_page(d->rq, PAGE_NOT_FOUND);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(d->rq, PAGE_ERROR);
	}
	return http_send_html(d->rq, status, &b);
}

/* Counts UTF-8 characters (bytes that do not continue one). */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static int
post_reply(struct desk_req *d, struct store *s, const struct report_row *row,
    const char **problem)
{
	const char *kind = form_get(d->form, "kind"), *text;
	struct report_msg m;
	size_t len;
	int r;

	memset(&m, 0, sizeof(m));
	text = form_get(d->form, "text");
	if (kind == NULL || strcmp(kind, "text") == 0)
		m.kind = REPORT_MSG_TEXT;
	else if (strcmp(kind, "question") == 0)
		m.kind = REPORT_MSG_QUESTION;
	else if (strcmp(kind, "consent") == 0)
		m.kind = REPORT_MSG_CONSENT_ASK;
	else
		return GH_ERR_INVALID;
	len = text != NULL ? strlen(text) : 0;
	if (len == 0 || strspn(text, " \t\r\n") == len ||
	    utf8_chars(text) > REPLY_MAX_CHARS || len > REPORT_TEXT_MAX) {
		*problem = "desk.reply.empty";
		return GH_ERR_INVALID;
	}
	m.author = REPORT_BY_DESK;
	if ((r = report_seal_both(&m, text, len, (int64_t)time(NULL),
	    row->report_pk, row->reply_pk)) == GH_OK)
		r = store_report_add_message(s, d->id, &m, store_today());
	report_msg_free(&m);
	/* The first reply to the reporter is the feedback the clock waits
	 * for; a request for consent is not. */
	if (r == GH_OK && row->feedback_day < 0 &&
	    m.kind != REPORT_MSG_CONSENT_ASK)
		r = store_report_set_day(s, d->id, 0, store_today());
	return r;
}

static int
post_status(struct desk_req *d, struct store *s, const char **problem)
{
	const char *st = form_get(d->form, "status");
	const char *measure = form_get(d->form, "measure");
	enum report_status to;
	int r;

	if (st == NULL)
		return GH_ERR_INVALID;
	if (strcmp(st, "acknowledged") == 0)
		to = REPORT_ACKNOWLEDGED;
	else if (strcmp(st, "in_progress") == 0)
		to = REPORT_IN_PROGRESS;
	else if (strcmp(st, "closed") == 0)
		to = REPORT_CLOSED;
	else
		return GH_ERR_INVALID;
	if (to == REPORT_CLOSED) {
		if (!desk_cat_is_valid(DESK_CAT_MEASURE, measure)) {
			*problem = "desk.status.need_measure";
			return GH_ERR_INVALID;
		}
		if ((r = store_report_set_category(s, d->id, NULL, NULL, NULL,
		    measure)) != GH_OK)
			return r;
	}
	return store_report_set_status(s, d->id, to, store_today());
}

/* A category field: NULL or "" leaves it; otherwise it must be listed. */
static int
cat_field(struct desk_req *d, const char *name, enum desk_cat which,
    const char **out)
{
	const char *v = form_get(d->form, name);

	*out = v != NULL && v[0] != '\0' ? v : NULL;
	return *out == NULL || desk_cat_is_valid(which, *out) ? GH_OK :
	    GH_ERR_INVALID;
}

static int
post_category(struct desk_req *d, struct store *s)
{
	const char *form, *ground, *unit;

	if (cat_field(d, "form", DESK_CAT_FORM, &form) != GH_OK ||
	    cat_field(d, "ground", DESK_CAT_GROUND, &ground) != GH_OK ||
	    cat_field(d, "unit", DESK_CAT_UNIT, &unit) != GH_OK)
		return GH_ERR_INVALID;
	return store_report_set_category(s, d->id, form, ground, unit, NULL);
}

static int
post_aftercare(struct desk_req *d, struct store *s,
    const struct report_row *row, const char **problem)
{
	const char *which = form_get(d->form, "which");

	if (which == NULL || (strcmp(which, "1") != 0 &&
	    strcmp(which, "3") != 0))
		return GH_ERR_INVALID;
	if (row->closed_day < 0) {
		*problem = "desk.aftercare.not_closed";
		return GH_ERR_CLOSED;
	}
	return store_report_set_day(s, d->id, which[0] - '0', store_today());
}

enum MHD_Result
desk_report_post(struct desk_req *d, const char *action)
{
	struct store *s = ctx_store_get(d->rq->ctx);
	struct report_row row;
	const char *problem = NULL;
	char loc[64];
	int r;

	memset(&row, 0, sizeof(row));
	r = store_report_get(s, d->id, &row);
	if (r == GH_OK && row.status == REPORT_WITHDRAWN)
		r = GH_ERR_CLOSED;
	else if (r == GH_OK && strcmp(action, "reply") == 0)
		r = post_reply(d, s, &row, &problem);
	else if (r == GH_OK && strcmp(action, "status") == 0)
		r = post_status(d, s, &problem);
	else if (r == GH_OK && strcmp(action, "category") == 0)
		r = post_category(d, s);
	else if (r == GH_OK && strcmp(action, "aftercare") == 0)
		r = post_aftercare(d, s, &row, &problem);
	else if (r == GH_OK)
		r = GH_ERR_NOT_FOUND;
	ctx_store_put(d->rq->ctx, s);
	store_report_row_clear(&row);
	switch (r) {
	case GH_OK:
		snprintf(loc, sizeof(loc), "/desk/r/%s?saved=1&lang=%s",
		    d->id_hex, d->rq->lang == DEF_EN ? "en" : "nl");
		return http_send_redirect(d->rq, loc, NULL);
	case GH_ERR_NOT_FOUND:
		return http_send_page(d->rq, PAGE_NOT_FOUND);
	case GH_ERR_INVALID:
		return desk_report_show(d, MHD_HTTP_UNPROCESSABLE_CONTENT,
		    problem != NULL ? problem : "desk.forbidden.text");
	case GH_ERR_CLOSED:
		return desk_report_show(d, MHD_HTTP_CONFLICT, problem != NULL ?
		    problem : "desk.report.withdrawn");
	default:
		return http_send_page(d->rq, PAGE_ERROR);
	}
}
