/*
 * route_review.c: second opinions over HTTP. For a reviewer: GET
 * /desk/review (the reports sent to them), GET /desk/review/ID (one of
 * them, read with their own key) and POST /desk/review/ID/opinion. For
 * the desk: GET and POST /desk/r/ID/review (send a report that asked for
 * a second opinion to an enabled reviewer). The router (router.c) has
 * checked the session, its role and the CSRF token of a POST.
 *
 * Entry points: route_review_list, route_review_case,
 * route_review_opinion, route_review_send. Data path of a reviewer
 * reading: store_review_get for this reviewer and this report only (none:
 * 404, the same as a report that does not exist, so a reviewer learns
 * nothing about other reports) -> session_with_reviewer_key:
 * report_review_open (their key opens the sealed report key, which must
 * give the report's public key) into sodium_malloc memory -> report_read
 * -> page_review_case -> every plaintext and the key wiped. Sending:
 * session_with_desk_key: report_key_open -> report_review_send (the
 * report key sealed to the reviewer's public key, stored) -> wiped. The
 * opinion: report_conv_opinion_post (sealed twice, as a desk message).
 * Never logged: any text, id or name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/desk.h"
#include "pages/page.h"
#include "pages/review.h"
#include "report/report_conv.h"
#include "report/report_read.h"
#include "report/report_review.h"
#include "util/log.h"
#include "util/util.h"

#define REVIEW_PREFIX	"/desk/review/"
#define MAX_REVIEWERS	64	/* listed on the send page */

_Static_assert(REVIEW_REF_LEN == REPORT_REF_LEN, "a reference fits");

/* Reads the id of "/desk/review/ID..." into id and id_hex; 0 or -1. */
static int
review_id(const char *url, uint8_t id[REPORT_ID_BYTES],
    char id_hex[DESK_ID_LEN + 1])
{
	size_t len = 0, n = strlen(REVIEW_PREFIX);

	if (strncmp(url, REVIEW_PREFIX, n) != 0)
		return -1;
	url += n;
	if (strlen(url) < DESK_ID_LEN ||
	    (url[DESK_ID_LEN] != '\0' && url[DESK_ID_LEN] != '/'))
		return -1;
	if (sodium_hex2bin(id, REPORT_ID_BYTES, url, DESK_ID_LEN, NULL, &len,
	    NULL) != 0 || len != REPORT_ID_BYTES)
		return -1;
	sodium_bin2hex(id_hex, DESK_ID_LEN + 1, id, REPORT_ID_BYTES);
	return 0;
}

static void
item_fill(struct review_item *it, const struct report_row *row, int64_t sent)
{
	memset(it, 0, sizeof(*it));
	desk_item_fill(&it->d, row, store_today(), NULL);
	memcpy(it->ref, row->ref, sizeof(it->ref) - 1);
	report_day_text(it->sent, sent);
}

/* The reviewer's list, built from their rows. */
struct review_list {
	struct store		*s;
	struct review_item	*items;
	size_t			 n, cap;
};

static int
list_add(void *arg, const uint8_t id[REPORT_ID_BYTES], int64_t day)
{
	struct review_list *l = arg;
	struct review_item *ni;
	struct report_row row;
	int r;

	memset(&row, 0, sizeof(row));
	if ((r = store_report_get(l->s, id, &row)) != GH_OK)
		return r == GH_ERR_NOT_FOUND ? GH_OK : r;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		if ((ni = realloc(l->items, l->cap * sizeof(*ni))) == NULL) {
			store_report_row_clear(&row);
			return GH_ERR_NOMEM;
		}
		l->items = ni;
	}
	item_fill(&l->items[l->n++], &row, day);
	store_report_row_clear(&row);
	return GH_OK;
}

enum MHD_Result
route_review_list(struct req *rq, const char *url, const struct http_auth *a)
{
	struct review_list l = { NULL, NULL, 0, 0 };
	struct desk_page p;
	struct buf b = { 0 };
	int r;

	(void)url;
	l.s = ctx_store_get(rq->ctx);
	r = store_review_foreach_user(l.s, a->view.user_id, list_add, &l);
	ctx_store_put(rq->ctx, l.s);
	if (r == GH_OK) {
		desk_page_init(&p, rq, a, "/desk/review");
		r = page_review_list(&b, &p, l.items, l.n);
	}
	free(l.items);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, MHD_HTTP_OK, &b);
}

/* The reviewer's key opening the report key, under the session's lock. */
struct rkey {
	const uint8_t	*sealed;
	const uint8_t	*report_pk;
	uint8_t		*report_sk;
};

static int
open_as_reviewer(void *arg, const uint8_t *reviewer_sk)
{
	struct rkey *k = arg;

	return report_review_open(k->sealed, k->report_pk, reviewer_sk,
	    k->report_sk);
}

/* Shows report id to the reviewer of a, if it was sent to them. */
static enum MHD_Result
show_case(struct req *rq, const struct http_auth *a,
    const uint8_t id[REPORT_ID_BYTES], const char *id_hex,
    unsigned int status, const char *notice_key)
{
	struct store *s = ctx_store_get(rq->ctx);
	uint8_t sealed[REVIEW_SEALED_KEY_BYTES], *report_sk = NULL;
	struct report_read rd;
	struct report_row row;
	struct review_item it;
	struct desk_msg *msgs = NULL;
	struct desk_page p;
	struct buf b = { 0 };
	struct rkey k;
	char here[sizeof(REVIEW_PREFIX) + DESK_ID_LEN];
	int64_t day;
	size_t i;
	int r;

	memset(&row, 0, sizeof(row));
	memset(&rd, 0, sizeof(rd));
	if ((r = store_review_get(s, id, a->view.user_id, sealed, &day)) !=
	    GH_OK || (r = store_report_get(s, id, &row)) != GH_OK)
		goto out;
	if (row.status == REPORT_WITHDRAWN) {
		r = GH_ERR_NOT_FOUND;
		goto out;
	}
	r = GH_ERR_NOMEM;
	if ((report_sk = sodium_malloc(REPORT_SK_BYTES)) == NULL)
		goto out;
	k.sealed = sealed;
	k.report_pk = row.report_pk;
	k.report_sk = report_sk;
	if ((r = session_with_reviewer_key(rq->ctx->sessions, a->cookie,
	    open_as_reviewer, &k)) != GH_OK) {
		log_error("a report key sent to a reviewer does not open: %s",
		    gh_err_str(r));
		goto out;
	}
	if ((r = report_read(s, id, REPORT_READER_DESK, row.report_pk,
	    report_sk, &rd)) != GH_OK)
		goto out;
	r = GH_ERR_NOMEM;
	if (rd.n > 0 && (msgs = calloc(rd.n, sizeof(*msgs))) == NULL)
		goto out;
	for (i = 0; i < rd.n; i++) {
		msgs[i].seq = rd.msgs[i].seq;
		msgs[i].is_by_desk = rd.msgs[i].author == REPORT_BY_DESK;
		msgs[i].kind = (int)rd.msgs[i].kind;
		report_day_text(msgs[i].day, rd.msgs[i].day);
		msgs[i].text = rd.msgs[i].plain.text;
		msgs[i].text_len = rd.msgs[i].plain.len;
	}
	item_fill(&it, &row, day);
	snprintf(here, sizeof(here), REVIEW_PREFIX "%s", id_hex);
	desk_page_init(&p, rq, a, here);
	p.notice_key = notice_key;
	p.is_notice_error = status >= 400;
	r = page_review_case(&b, &p, &it, msgs, rd.n);
out:
	ctx_store_put(rq->ctx, s);
	sodium_memzero(sealed, sizeof(sealed));
	sodium_free(report_sk);
	report_read_free(&rd);
	free(msgs);
	store_report_row_clear(&row);
	if (r == GH_ERR_NOT_FOUND)
		return http_send_page(rq, PAGE_NOT_FOUND);
	if (r != GH_OK) {
		gh_freezero(b.data, b.cap);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, status, &b);
}

static int
is_query(struct req *rq, const char *name)
{
	const char *v = MHD_lookup_connection_value(rq->conn,
	    MHD_GET_ARGUMENT_KIND, name);

	return v != NULL && strcmp(v, "1") == 0;
}

enum MHD_Result
route_review_case(struct req *rq, const char *url, const struct http_auth *a)
{
	uint8_t id[REPORT_ID_BYTES];
	char id_hex[DESK_ID_LEN + 1];

	if (review_id(url, id, id_hex) != 0)
		return http_send_page(rq, PAGE_NOT_FOUND);
	return show_case(rq, a, id, id_hex, MHD_HTTP_OK,
	    is_query(rq, "sent") ? "review.opinion.sent" : NULL);
}

enum MHD_Result
route_review_opinion(struct req *rq, const char *url,
    const struct http_auth *a)
{
	uint8_t id[REPORT_ID_BYTES], sealed[REVIEW_SEALED_KEY_BYTES];
	char id_hex[DESK_ID_LEN + 1], loc[96];
	const char *problem = NULL;
	struct store *s;
	int64_t day;
	int r;

	if (review_id(url, id, id_hex) != 0)
		return http_send_page(rq, PAGE_NOT_FOUND);
	s = ctx_store_get(rq->ctx);
	/* Only a report sent to this reviewer takes their opinion. */
	if ((r = store_review_get(s, id, a->view.user_id, sealed, &day)) ==
	    GH_OK)
		r = report_conv_opinion_post(s, id, form_get(a->form, "text"),
		    &problem);
	ctx_store_put(rq->ctx, s);
	sodium_memzero(sealed, sizeof(sealed));
	switch (r) {
	case GH_OK:
		snprintf(loc, sizeof(loc), REVIEW_PREFIX "%s?sent=1&lang=%s",
		    id_hex, rq->lang == DEF_EN ? "en" : "nl");
		return http_send_redirect(rq, loc, NULL);
	case GH_ERR_NOT_FOUND:
	case GH_ERR_CLOSED:
		return http_send_page(rq, PAGE_NOT_FOUND);
	case GH_ERR_INVALID:
		return show_case(rq, a, id, id_hex,
		    MHD_HTTP_UNPROCESSABLE_CONTENT, problem != NULL ? problem :
		    "desk.reply.empty");
	default:
		return http_send_page(rq, PAGE_ERROR);
	}
}

/* The send page's lists: enabled reviewers, and those it was sent to. */
struct send_lists {
	char	names[MAX_REVIEWERS][USER_MAX_NAME + 1];
	int64_t	ids[MAX_REVIEWERS];
	size_t	n;
	const char *ok[MAX_REVIEWERS], *sent[MAX_REVIEWERS];
	size_t	n_ok, n_sent;
};

static int
add_reviewer(void *arg, const struct user_row *u)
{
	struct send_lists *sl = arg;

	if (u->role != USER_REVIEWER || sl->n == MAX_REVIEWERS)
		return GH_OK;
	memcpy(sl->names[sl->n], u->name, sizeof(sl->names[0]));
	sl->ids[sl->n] = u->id;
	if (!u->is_disabled)
		sl->ok[sl->n_ok++] = sl->names[sl->n];
	sl->n++;
	return GH_OK;
}

static int
add_sent(void *arg, int64_t user_id, int64_t day)
{
	struct send_lists *sl = arg;
	size_t i;

	(void)day;
	for (i = 0; i < sl->n; i++)
		if (sl->ids[i] == user_id)
			sl->sent[sl->n_sent++] = sl->names[i];
	return GH_OK;
}

/* The send page for report id (status, and a notice). */
static enum MHD_Result
show_send(struct req *rq, const struct http_auth *a,
    const uint8_t id[REPORT_ID_BYTES], const char *id_hex,
    unsigned int status, const char *notice_key)
{
	struct store *s = ctx_store_get(rq->ctx);
	struct send_lists *sl;
	struct report_row row;
	struct desk_item it;
	struct desk_page p;
	struct buf b = { 0 };
	char here[8 + DESK_ID_LEN + 8];
	int r = GH_ERR_NOMEM;

	memset(&row, 0, sizeof(row));
	if ((sl = calloc(1, sizeof(*sl))) == NULL)
		goto out;
	if ((r = store_report_get(s, id, &row)) != GH_OK ||
	    (r = store_user_foreach(s, add_reviewer, sl)) != GH_OK ||
	    (r = store_review_foreach_report(s, id, add_sent, sl)) != GH_OK)
		goto out;
	if (row.status == REPORT_WITHDRAWN) {
		r = GH_ERR_NOT_FOUND;
		goto out;
	}
	desk_item_fill(&it, &row, store_today(), NULL);
	snprintf(here, sizeof(here), "/desk/r/%s/review", id_hex);
	desk_page_init(&p, rq, a, here);
	p.notice_key = notice_key;
	p.is_notice_error = status >= 400;
	r = page_review_send(&b, &p, &it, sl->ok, sl->n_ok, sl->sent,
	    sl->n_sent);
out:
	ctx_store_put(rq->ctx, s);
	store_report_row_clear(&row);
	free(sl);
	if (r == GH_ERR_NOT_FOUND)
		return http_send_page(rq, PAGE_NOT_FOUND);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, status, &b);
}

/* The desk key opening the report key, under the session's lock. */
struct dkey {
	const struct report_row	*row;
	uint8_t			*report_sk;
};

static int
open_as_desk(void *arg, const uint8_t *desk_sk)
{
	struct dkey *k = arg;
	uint8_t desk_pk[REPORT_PK_BYTES];
	int r;

	if (crypto_scalarmult_base(desk_pk, desk_sk) != 0)
		return GH_ERR_CRYPTO;
	r = report_key_open(k->report_sk, k->row->sealed_key,
	    k->row->sealed_key_len, desk_pk, desk_sk);
	sodium_memzero(desk_pk, sizeof(desk_pk));
	return r;
}

/* Opens report id's key with the desk key and sends it to name. */
static int
send_to(struct req *rq, const struct http_auth *a, struct store *s,
    const uint8_t id[REPORT_ID_BYTES], const char *name)
{
	struct report_row row;
	struct dkey k;
	uint8_t *report_sk = NULL;
	int r;

	memset(&row, 0, sizeof(row));
	if ((r = store_report_get(s, id, &row)) != GH_OK)
		goto out;
	if (row.status == REPORT_WITHDRAWN || row.second_opinion_day < 0) {
		r = GH_ERR_CLOSED;
		goto out;
	}
	r = GH_ERR_NOMEM;
	if ((report_sk = sodium_malloc(REPORT_SK_BYTES)) == NULL)
		goto out;
	k.row = &row;
	k.report_sk = report_sk;
	if ((r = session_with_desk_key(rq->ctx->sessions, a->cookie,
	    open_as_desk, &k)) != GH_OK) {
		log_error("a report key does not open with the desk key: %s",
		    gh_err_str(r));
		goto out;
	}
	r = report_review_send(s, id, name, report_sk);
out:
	sodium_free(report_sk);
	store_report_row_clear(&row);
	return r;
}

/* GET and POST /desk/r/ID/review (the desk). */
enum MHD_Result
route_review_send(struct req *rq, const char *url, const struct http_auth *a)
{
	uint8_t id[REPORT_ID_BYTES];
	char id_hex[DESK_ID_LEN + 1];
	struct store *s;
	int r;

	if (desk_report_id(url, id, id_hex) != 0)
		return http_send_page(rq, PAGE_NOT_FOUND);
	if (!rq->is_post)
		return show_send(rq, a, id, id_hex, MHD_HTTP_OK,
		    is_query(rq, "sent") ? "review.send.done" : NULL);
	s = ctx_store_get(rq->ctx);
	r = send_to(rq, a, s, id, form_get(a->form, "reviewer"));
	ctx_store_put(rq->ctx, s);
	switch (r) {
	case GH_OK: {
		char loc[96];

		snprintf(loc, sizeof(loc), "/desk/r/%s/review?sent=1&lang=%s",
		    id_hex, rq->lang == DEF_EN ? "en" : "nl");
		return http_send_redirect(rq, loc, NULL);
	}
	case GH_ERR_NOT_FOUND:
		return http_send_page(rq, PAGE_NOT_FOUND);
	case GH_ERR_INVALID:
		return show_send(rq, a, id, id_hex,
		    MHD_HTTP_UNPROCESSABLE_CONTENT, "review.send.invalid");
	case GH_ERR_EXISTS:
		return show_send(rq, a, id, id_hex, MHD_HTTP_CONFLICT,
		    "review.send.exists");
	case GH_ERR_CLOSED:
		return show_send(rq, a, id, id_hex, MHD_HTTP_CONFLICT,
		    "review.send.not_asked");
	default:
		return http_send_page(rq, PAGE_ERROR);
	}
}
