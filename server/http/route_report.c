/*
 * route_report.c: the reporter's intake: GET and POST /melden
 * and /melden/l/LINK, the "have you saved your code?" step, the download
 * of the signed acknowledgement, and the acknowledgement key.
 *
 * Entry point: route_report (every path under /melden). The follow-up
 * (receipt login, conversation) is route_report_follow.c.
 * Data path of a report: form_parse -> report_form_check (422 with the
 * form kept) -> report_form_text (heap, wiped) -> the limits of new
 * reports, per address and from all clients (429 or 503 with the form
 * kept) -> fresh receipt ->
 * keyed hash; fresh salt -> Argon2id (on the hashing pool: http_defer;
 * a full queue shows the form again, 503) -> reply public key; fresh
 * report key pair, its secret sealed to the desk's key -> the text sealed
 * to both public keys, padded -> store_report_create (one durable
 * transaction, spending the link if any) -> receipt page, shown once,
 * with the Ed25519-signed acknowledgement (day, SHA-256 of the text).
 * Nothing here logs a receipt, a text, a link or an address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "crypto/signkey.h"
#include "crypto/token.h"
#include "http/ratelimit.h"
#include "http/route_report.h"
#include "report/report_crypto.h"
#include "store/store_user.h"
#include "util/log.h"

enum MHD_Result
report_send(struct req *rq, unsigned int status, struct buf *b, int r)
{
	if (r != GH_OK) {
		if (b->data != NULL)
			sodium_memzero(b->data, b->cap);
		buf_free(b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, status, b);
}

void
report_set_lang(struct req *rq, const struct form *f)
{
	const char *v = f != NULL ? form_get(f, "lang") : NULL;
	enum def_lang lang;

	if (v != NULL && def_lang_parse(v, &lang) == GH_OK)
		rq->lang = lang;
}

void
report_time_text(char out[24], int64_t t)
{
	char day[11];
	int64_t s = t % 86400;

	if (s < 0)
		s += 86400;
	report_day_text(day, (t - s) / 86400);
	snprintf(out, 24, "%s %02d:%02d UTC", day, (int)(s / 3600),
	    (int)(s / 60 % 60));
}

static enum MHD_Result
send_note(struct req *rq, unsigned int status, const char *which,
    const char *href, const char *link_key)
{
	struct buf b = { 0 };
	int r = page_report_note(&b, rq->lang, which, href, link_key);

	return report_send(rq, status, &b, r);
}

/* Sends a plain-text body (not secret) with the security headers. */
static enum MHD_Result
send_text(struct req *rq, const char *text, const char *filename)
{
	struct MHD_Response *resp;
	char disp[96];

	resp = MHD_create_response_from_buffer(strlen(text), (void *)text,
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	http_add_headers(rq, resp, 1);
	MHD_add_response_header(resp, "Content-Type",
	    "text/plain; charset=utf-8");
	if (filename != NULL) {
		snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
		    filename);
		MHD_add_response_header(resp, "Content-Disposition", disp);
	}
	return http_queue(rq, MHD_HTTP_OK, resp);
}

enum MHD_Result
report_send_receipt(struct req *rq, const uint8_t r[RECEIPT_BYTES],
    const char *ack, const char *sent, int is_replacement)
{
	char code[RECEIPT_TEXT_LEN + 1];
	struct buf b = { 0 };
	int rc;

	receipt_to_text(code, r);
	rc = page_report_receipt(&b, rq->lang, code, ack, sent,
	    is_replacement, 0);
	sodium_memzero(code, sizeof(code));
	return report_send(rq, MHD_HTTP_OK, &b, rc);
}

/* Checks a signed acknowledgement (signify's embedded form) is ours. */
static int
ack_is_ours(const struct http_ctx *c, const char *ack)
{
	uint8_t sig[SIGNKEY_SIG_BYTES];
	const char *nl1, *nl2;

	if (c->ack_sk == NULL || (nl1 = strchr(ack, '\n')) == NULL ||
	    (nl2 = strchr(nl1 + 1, '\n')) == NULL ||
	    signkey_signify_parse_sig(ack, (size_t)(nl2 + 1 - ack), sig) !=
	    GH_OK)
		return 0;
	return signkey_verify(sig, (const uint8_t *)nl2 + 1, strlen(nl2 + 1),
	    c->ack_pk) == GH_OK;
}

/* Copies v into a new string with CR LF (as forms send) turned into LF. */
static char *
unix_lines(const char *v)
{
	char *o, *w;

	if (v == NULL || (o = malloc(strlen(v) + 1)) == NULL)
		return NULL;
	for (w = o; *v != '\0'; v++)
		if (!(v[0] == '\r' && v[1] == '\n'))
			*w++ = *v;
	*w = '\0';
	return o;
}

/* Stores a checked report; fills r (the receipt) and the ack. */
static int
store_new(struct req *rq, struct store *s, const char *text, size_t len,
    const char *unit, const struct store_token_key *link,
    uint8_t r[RECEIPT_BYTES],
    char *ack, size_t acksz)
{
	struct http_ctx *c = rq->ctx;
	uint8_t desk_pk[32], hash[32], salt[RECEIPT_SALT_BYTES];
	uint8_t reply_pk[32], report_pk[32], sealed[REPORT_SEALED_KEY_BYTES];
	uint8_t id[REPORT_ID_BYTES], digest[crypto_hash_sha256_BYTES];
	uint8_t *sk = NULL;
	struct report_msg m = { 0 };
	struct report_new rn = { 0 };
	int64_t day = store_today();
	int rc;

	if ((rc = store_key_get(s, "desk", desk_pk)) != GH_OK)
		return rc == GH_ERR_NOT_FOUND ? GH_ERR_CLOSED : rc;
	if ((sk = sodium_malloc(REPORT_SK_BYTES)) == NULL)
		return GH_ERR_NOMEM;
	receipt_new(r);
	receipt_hash(hash, r, c->pepper);
	randombytes_buf(salt, sizeof(salt));
	rc = receipt_reply_key(reply_pk, sk, r, salt);
	sodium_free(sk);	/* wipes: creating needs only the public key */
	if (rc != GH_OK ||
	    (rc = report_key_new(desk_pk, report_pk, sealed)) != GH_OK ||
	    (rc = report_seal_both(&m, text, len, (int64_t)time(NULL),
	    report_pk, reply_pk)) != GH_OK)
		goto out;
	m.author = REPORT_BY_REPORTER;
	m.kind = REPORT_MSG_TEXT;
	rn.receipt_hash = hash;
	rn.report_pk = report_pk;
	rn.sealed_key = sealed;
	rn.sealed_key_len = sizeof(sealed);
	rn.reply_salt = salt;
	rn.reply_pk = reply_pk;
	rn.unit = unit;
	rn.link = link;
	rn.first = &m;
	if ((rc = store_report_create(s, &rn, day, id)) != GH_OK)
		goto out;
	crypto_hash_sha256(digest, (const uint8_t *)text, len);
	rc = report_ack(ack, acksz, day, digest, c->ack_sk, c->ack_pk);
out:
	report_msg_free(&m);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

/* A checked report on its way to the hashing pool. */
struct new_report {
	struct form	*f;		/* the form, to show again if busy */
	struct buf	 text;		/* as the desk reads it; wiped */
	char		 unit[REPORT_MAX_UNIT + 1];
	struct store_token_key link;	/* if has_link */
	int		 has_link;
	char		 action[64];
};

static void
new_report_free(void *state)
{
	struct new_report *nr = state;

	if (nr == NULL)
		return;
	form_free(nr->f);
	if (nr->text.data != NULL)
		sodium_memzero(nr->text.data, nr->text.cap);
	buf_free(&nr->text);
	free(nr);
}

/* The second half of a new report, on a hashing worker. */
static enum MHD_Result
submit_run(struct req *rq)
{
	struct new_report *nr = rq->pw_state;
	struct store *s;
	uint8_t r[RECEIPT_BYTES];
	char ack[REPORT_ACK_MAX];
	enum MHD_Result ret;
	int rc;

	s = ctx_store_get(rq->ctx);
	rc = store_new(rq, s, nr->text.data, nr->text.len, nr->unit[0] ?
	    nr->unit : NULL, nr->has_link ? &nr->link : NULL, r, ack,
	    sizeof(ack));
	ctx_store_put(rq->ctx, s);
	if (rc == GH_ERR_SPENT)
		ret = send_note(rq, 410, "link_spent", "/melden/volg",
		    "have_code");
	else if (rc == GH_ERR_NOT_FOUND)
		ret = send_note(rq, 404, "link_unknown", "/melden",
		    "new_report");
	else if (rc == GH_ERR_CLOSED)
		ret = send_note(rq, 503, "not_ready", "/", "new_report");
	else if (rc != GH_OK)
		ret = http_send_page(rq, PAGE_ERROR);
	else
		ret = report_send_receipt(rq, r, ack, nr->text.data, 0);
	sodium_memzero(r, sizeof(r));
	return ret;
}

/*
 * Hands a checked report to the hashing pool if the limits allow: per
 * address, then from all clients, then a place in the pool's queue. A
 * refusal shows the form again with the answers kept (nothing stored)
 * and gives back what it took, so that only stored reports count.
 */
static enum MHD_Result
submit_limited(struct req *rq, struct new_report *nr)
{
	struct http_ctx *c = rq->ctx;
	const struct sockaddr *sa = http_peer(rq);
	struct buf b = { 0 };
	unsigned int status = MHD_HTTP_SERVICE_UNAVAILABLE;
	const char *notice = "busy_form";
	int rc;

	/* The request owns nr from here on, whatever the outcome. */
	rq->pw_state = nr;
	rq->pw_state_free = new_report_free;
	if (ratelimit_take(c->report_addr_rl, sa) != GH_OK) {
		status = MHD_HTTP_TOO_MANY_REQUESTS;
		notice = "limited_form";
		rq->retry_after_s = 60;
	} else if (ratelimit_take(c->report_all_rl, NULL) != GH_OK) {
		ratelimit_give_back(c->report_addr_rl, sa);
		rq->retry_after_s = HTTP_RETRY_BUSY_S;
	} else if (http_defer(rq, submit_run, nr, new_report_free) == GH_OK) {
		return MHD_YES;
	} else {
		ratelimit_give_back(c->report_all_rl, NULL);
		ratelimit_give_back(c->report_addr_rl, sa);
	}
	rc = page_report_form(&b, rq->lang, nr->action, nr->f, NULL, notice);
	return report_send(rq, status, &b, rc);
}

/*
 * POST /melden or /melden/l/LINK with the link's hashes (or NULL): checked
 * here, stored on the hashing pool (its Argon2id derives the reply key).
 */
static enum MHD_Result
submit(struct req *rq, const char *action,
    const struct store_token_key *link)
{
	struct new_report *nr;
	struct form *f = NULL;
	struct report_check chk;
	struct buf b = { 0 };
	int rc;

	if (!rq->is_form || form_parse(rq->body, rq->body_len, &f) != GH_OK)
		return http_send_page(rq, PAGE_BAD_REQUEST);
	report_set_lang(rq, f);
	if (report_form_check(f, &chk) > 0) {
		rc = page_report_form(&b, rq->lang, action, f, &chk, NULL);
		form_free(f);
		return report_send(rq, MHD_HTTP_UNPROCESSABLE_CONTENT, &b, rc);
	}
	if ((nr = calloc(1, sizeof(*nr))) == NULL) {
		form_free(f);
		return http_send_page(rq, PAGE_ERROR);
	}
	nr->f = f;
	report_form_text(&nr->text, f, rq->lang);
	/* An option id of the form (checked): short, plain ASCII. */
	if (report_form_unit(f) != NULL)
		snprintf(nr->unit, sizeof(nr->unit), "%s", report_form_unit(f));
	if (link != NULL) {
		nr->link = *link;
		nr->has_link = 1;
	}
	snprintf(nr->action, sizeof(nr->action), "%s", action);
	if (buf_is_failed(&nr->text) || nr->text.len > REPORT_TEXT_MAX) {
		new_report_free(nr);
		return http_send_page(rq, PAGE_TOO_LARGE);
	}
	return submit_limited(rq, nr);
}

/* POST /melden/opgeslagen: the "I have saved my code" step. */
static enum MHD_Result
saved(struct req *rq)
{
	struct form *f = NULL;
	struct buf b = { 0 };
	uint8_t r[RECEIPT_BYTES];
	char code[RECEIPT_TEXT_LEN + 1], *ack = NULL;
	const char *v;
	int rc;

	if (!rq->is_form || form_parse(rq->body, rq->body_len, &f) != GH_OK)
		return http_send_page(rq, PAGE_BAD_REQUEST);
	report_set_lang(rq, f);
	if (form_get(f, "saved") != NULL) {
		form_free(f);
		return send_note(rq, MHD_HTTP_OK, "done", "/melden/volg",
		    "login_title");
	}
	/* Not ticked: the same code again (only a well-formed one). */
	v = form_get(f, "code");
	if (v == NULL || receipt_from_text(r, v, strlen(v)) != GH_OK) {
		form_free(f);
		return http_send_page(rq, PAGE_BAD_REQUEST);
	}
	receipt_to_text(code, r);
	ack = unix_lines(form_get(f, "ack"));
	form_free(f);
	if (ack != NULL && !ack_is_ours(rq->ctx, ack)) {
		free(ack);
		ack = NULL;
	}
	rc = page_report_receipt(&b, rq->lang, code, ack, NULL, 0, 1);
	sodium_memzero(code, sizeof(code));
	sodium_memzero(r, sizeof(r));
	free(ack);
	return report_send(rq, MHD_HTTP_UNPROCESSABLE_CONTENT, &b, rc);
}

/* POST /melden/bevestiging: the acknowledgement as a file, if ours. */
static enum MHD_Result
download_ack(struct req *rq)
{
	struct form *f = NULL;
	enum MHD_Result ret;
	char *ack;

	if (!rq->is_form || form_parse(rq->body, rq->body_len, &f) != GH_OK)
		return http_send_page(rq, PAGE_BAD_REQUEST);
	ack = unix_lines(form_get(f, "ack"));
	form_free(f);
	if (ack == NULL || !ack_is_ours(rq->ctx, ack))
		ret = http_send_page(rq, PAGE_BAD_REQUEST);
	else
		ret = send_text(rq, ack, "gehoord-ontvangstbevestiging.txt");
	free(ack);
	return ret;
}

/* GET /melden/key: the acknowledgement key in signify's format. */
static enum MHD_Result
send_key(struct req *rq)
{
	char pub[SIGNKEY_SIGNIFY_MAX];

	if (rq->ctx->ack_sk == NULL ||
	    signkey_signify_pub(pub, sizeof(pub), "gehoord acknowledgement "
	    "of receipt public key", rq->ctx->ack_pk) != GH_OK)
		return http_send_page(rq, PAGE_NOT_FOUND);
	return send_text(rq, pub, NULL);
}

/* GET or POST /melden/l/LINK. */
static enum MHD_Result
route_link(struct req *rq, const char *link)
{
	uint8_t tok[TOKEN_BYTES];
	struct store_token_key key;
	enum store_token_state state = STORE_TOKEN_UNKNOWN;
	struct buf b = { 0 };
	struct store *s;
	char action[64];
	int rc;

	if (token_from_text(tok, link, strlen(link)) != GH_OK)
		return send_note(rq, 404, "link_unknown", "/melden",
		    "new_report");
	token_hash(key.lookup, tok, rq->ctx->pepper);
	token_spend_hash(key.spend, tok, rq->ctx->pepper,
	    TOKEN_SPEND_REPORT_LINK);
	sodium_memzero(tok, sizeof(tok));
	snprintf(action, sizeof(action), "/melden/l/%s", link);
	if (rq->is_post)
		return submit(rq, action, &key);
	s = ctx_store_get(rq->ctx);
	rc = store_report_link_state(s, &key, &state);
	ctx_store_put(rq->ctx, s);
	if (rc != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	if (state == STORE_TOKEN_SPENT)
		return send_note(rq, 410, "link_spent", "/melden/volg",
		    "have_code");
	if (state != STORE_TOKEN_FRESH)
		return send_note(rq, 404, "link_unknown", "/melden",
		    "new_report");
	rc = page_report_form(&b, rq->lang, action, NULL, NULL, NULL);
	return report_send(rq, MHD_HTTP_OK, &b, rc);
}

enum MHD_Result
route_report(struct req *rq, const char *url)
{
	struct buf b = { 0 };
	int rc;

	if (strcmp(url, "/melden") == 0) {
		if (rq->ctx->is_report_links_required)
			return send_note(rq, MHD_HTTP_FORBIDDEN, "need_link",
			    "/melden/volg", "have_code");
		if (rq->is_post)
			return submit(rq, "/melden", NULL);
		rc = page_report_form(&b, rq->lang, "/melden", NULL, NULL,
		    NULL);
		return report_send(rq, MHD_HTTP_OK, &b, rc);
	}
	if (strncmp(url, "/melden/l/", 10) == 0 && url[10] != '\0' &&
	    strchr(url + 10, '/') == NULL)
		return route_link(rq, url + 10);
	if (strcmp(url, "/melden/volg") == 0) {
		if (rq->is_post)
			return route_report_follow(rq);
		rc = page_report_login(&b, rq->lang, NULL, REPORT_LOGIN_OK);
		return report_send(rq, MHD_HTTP_OK, &b, rc);
	}
	if (strcmp(url, "/melden/opgeslagen") == 0 && rq->is_post)
		return saved(rq);
	if (strcmp(url, "/melden/bevestiging") == 0 && rq->is_post)
		return download_ack(rq);
	if (strcmp(url, "/melden/key") == 0 && !rq->is_post)
		return send_key(rq);
	return http_send_page(rq, PAGE_NOT_FOUND);
}
