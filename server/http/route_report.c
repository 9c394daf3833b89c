/*
 * route_report.c: the reporter's intake: GET and POST /melden and
 * /melden/l/LINK, the "have you saved your code?" step, the download of
 * the signed acknowledgement, and the acknowledgement key. One router
 * row each (router.c); the follow-up (receipt login, conversation) is
 * route_report_follow.c.
 *
 * Entry points: route_report_new, route_report_link, route_report_saved,
 * route_report_ack, route_report_key. Data path of a report: form_parse
 * -> report_form_check (422 with the form kept) -> page_report_form_text
 * (a wiping sbuf) -> the limits of new reports, per address and from all
 * clients (429 or 503 with the form kept) -> on the hashing pool
 * (http_defer; a full queue shows the form again, 503) report_create
 * (report/report_create.c: receipt, keys, sealing, one durable
 * transaction spending the link if any) -> receipt page, shown once,
 * with the Ed25519-signed acknowledgement (day, SHA-256 of the text).
 * Files attached (multipart/form-data: upload.h) go with the report to
 * the hashing pool, are cleaned there by the supervisor's confined
 * workers (report_files.h; a refused one: the form again, 422, the text
 * kept) and are sealed and stored in report_create's transaction.
 * A form sealed in the browser (sealed=...: web/seal/seal.js) carries no
 * text and goes to route_report_sealed.c instead; the form page states
 * the desk's public key for that script when the desk has one.
 *
 * POST, redirect, GET: the form carries a one-time key (report_once.h).
 * A report stored under a key answers 303 to GET /melden/ontvangen?k=KEY,
 * which shows the receipt kept with the key in memory (for a few
 * minutes, until "I have saved my code"); the same key posted again
 * (reload, Back, a double click) files nothing and is sent to that page,
 * which then shows the receipt, "being sent", or "already sent". A form
 * without a key is answered with the receipt page itself.
 * Nothing here logs a receipt, a text, a link or an address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "crypto/receipt.h"
#include "crypto/signkey.h"
#include "crypto/token.h"
#include "http/ratelimit.h"
#include "http/report_once.h"
#include "http/reporter.h"
#include "http/report_files.h"
#include "http/upload.h"
#include "http/route_report_sealed.h"
#include "http/router.h"
#include "pages/page.h"
#include "pages/report.h"
#include "report/report_create.h"
#include "report/report_crypto.h"
#include "report/report_form.h"
#include "store/store_user.h"
#include "util/sbuf.h"

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

/*
 * The report form, with the desk's public key for its sealing script
 * when the desk has one (without it the form has no script).
 */
static int
report_form_page(struct req *rq, struct buf *b, const char *action,
    const struct form *kept, const struct report_check *chk,
    const char *notice)
{
	uint8_t pk[32];
	struct store *s;
	int has_key;

	s = ctx_store_get(rq->ctx);
	has_key = s != NULL && store_key_get(s, "desk", pk) == GH_OK;
	ctx_store_put(rq->ctx, s);
	return page_report_form_seal(b, rq->lang, action, kept, chk, notice,
	    has_key ? pk : NULL);
}

/* The report form with a notice in words (a refused file). */
static int
report_form_page_text(struct req *rq, struct buf *b, const char *action,
    const struct form *kept, const char *notice)
{
	uint8_t pk[32];
	struct store *s;
	int has_key;

	s = ctx_store_get(rq->ctx);
	has_key = s != NULL && store_key_get(s, "desk", pk) == GH_OK;
	ctx_store_put(rq->ctx, s);
	return page_report_form_seal_text(b, rq->lang, action, kept, NULL,
	    notice, has_key ? pk : NULL);
}

/* A checked report on its way to the hashing pool. */
struct new_report {
	struct form	*f;		/* the form, to show again if busy */
	struct sbuf	*text;		/* as the desk reads it; wiped */
	char		 unit[REPORT_MAX_UNIT + 1];
	struct store_token_key link;	/* if has_link */
	int		 has_link;
	char		 action[64];
	char		 once[ONCE_KEY_TEXT + 1];	/* "" if none */
	struct onces	*os;		/* where once is claimed */
	struct upload	*up;		/* the files, or NULL; wiped */
};

static void
new_report_free(void *state)
{
	struct new_report *nr = state;

	if (nr == NULL)
		return;
	/* Still claimed here: nothing was stored; the form may come again. */
	if (nr->os != NULL && nr->once[0] != '\0')
		once_release(nr->os, nr->once);
	form_free(nr->f);
	sbuf_free(nr->text);
	upload_free(nr->up);
	free(nr);
}

/*
 * A file of the report was refused by the cleaner: the form again (422)
 * with the text kept and the words saying which file and why; the
 * limits taken for this report are given back, as nothing is stored.
 */
static enum MHD_Result
files_refused(struct req *rq, struct new_report *nr, const char *notice)
{
	struct buf b = { 0 };
	int rc;

	ratelimit_give_back(rq->ctx->report_all_rl, NULL);
	ratelimit_give_back(rq->ctx->report_addr_rl, http_peer(rq));
	rc = report_form_page_text(rq, &b, nr->action, nr->f, notice);
	return reporter_send(rq, MHD_HTTP_UNPROCESSABLE_CONTENT, &b, rc);
}

/* The second half of a new report, on a hashing worker: its files are
 * cleaned here too (the cleaner's workers take their time). */
static enum MHD_Result
submit_run(struct req *rq)
{
	struct new_report *nr = rq->pw_state;
	struct report_create_keys k = { rq->ctx->pepper, rq->ctx->ack_sk,
	    rq->ctx->ack_pk };
	struct attach_plain files[UPLOAD_FILES_MAX];
	char notice[REPORT_FILES_NOTICE];
	struct store *s;
	uint8_t r[RECEIPT_BYTES];
	char ack[REPORT_ACK_MAX];
	enum MHD_Result ret;
	size_t n = nr->up != NULL ? nr->up->n : 0;
	int rc;

	if (n > 0 && report_files_clean(rq->ctx->attach_super, nr->up,
	    rq->lang, files, notice, sizeof(notice)) != GH_OK)
		return files_refused(rq, nr, notice);
	s = ctx_store_get(rq->ctx);
	rc = report_create_files(s, &k, sbuf_data(nr->text),
	    sbuf_len(nr->text), nr->unit[0] ? nr->unit : NULL,
	    nr->has_link ? &nr->link : NULL, n > 0 ? files : NULL, n, r, ack,
	    sizeof(ack));
	ctx_store_put(rq->ctx, s);
	if (n > 0)
		report_files_clear(files, n);
	if (rc == GH_ERR_SPENT)
		ret = reporter_send_note(rq, 410, "link_spent", "/melden/volg",
		    "have_code");
	else if (rc == GH_ERR_NOT_FOUND)
		ret = reporter_send_note(rq, 404, "link_unknown", "/melden",
		    "new_report");
	else if (rc == GH_ERR_CLOSED)
		ret = reporter_send_note(rq, 503, "not_ready", "/", "new_report");
	else if (rc != GH_OK)
		ret = http_send_page(rq, PAGE_ERROR);
	else if (nr->once[0] != '\0') {
		ret = reporter_keep_receipt(rq, nr->once, r, ack);
		nr->once[0] = '\0';	/* done: not given back */
	} else
		ret = reporter_send_receipt(rq, r, ack, sbuf_data(nr->text), 0);
	sodium_memzero(r, sizeof(r));
	sodium_memzero(ack, sizeof(ack));
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
	rc = report_form_page(rq, &b, nr->action, nr->f, NULL, notice);
	return reporter_send(rq, status, &b, rc);
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
	enum once_state st = ONCE_FRESH;
	struct buf b = { 0 };
	char key[ONCE_KEY_TEXT + 1];
	char notice[REPORT_FILES_NOTICE];
	const char *once;
	int rc;

	if (!rq->is_form || form_parse(rq->body, rq->body_len, &f) != GH_OK)
		return http_send_page(rq, PAGE_BAD_REQUEST);
	reporter_set_lang(rq, f);
	once = form_get(f, "once");
	if (once != NULL && once_claim(rq->ctx->report_once, once, time(NULL),
	    &st) != GH_OK) {
		form_free(f);
		return http_send_page(rq, PAGE_BAD_REQUEST);
	}
	if (st != ONCE_FRESH) {
		/* Sent before (reload, Back, double click): nothing again. */
		snprintf(key, sizeof(key), "%s", once);
		form_free(f);
		return reporter_redirect_receipt(rq, key);
	}
	/* Files refused on arrival (too many, too large, a bad name). */
	if (report_files_problem(rq->up, rq->lang, notice, sizeof(notice))) {
		if (once != NULL)
			once_release(rq->ctx->report_once, once);
		rc = report_form_page_text(rq, &b, action, f, notice);
		form_free(f);
		return reporter_send(rq, MHD_HTTP_UNPROCESSABLE_CONTENT, &b, rc);
	}
	/* Sealed in the browser (web/seal/seal.js): no text to check here. */
	if (form_get(f, "sealed") != NULL)
		return route_report_sealed(rq, action, link, f, once);
	if (report_form_check(page_report_def(), f, &chk) > 0) {
		if (once != NULL)
			once_release(rq->ctx->report_once, once);
		rc = report_form_page(rq, &b, action, f, &chk, NULL);
		form_free(f);
		return reporter_send(rq, MHD_HTTP_UNPROCESSABLE_CONTENT, &b, rc);
	}
	if ((nr = calloc(1, sizeof(*nr))) == NULL) {
		if (once != NULL)
			once_release(rq->ctx->report_once, once);
		form_free(f);
		return http_send_page(rq, PAGE_ERROR);
	}
	nr->f = f;
	nr->up = rq->up;	/* the files go with the report */
	rq->up = NULL;
	if (once != NULL) {
		snprintf(nr->once, sizeof(nr->once), "%s", once);
		nr->os = rq->ctx->report_once;
	}
	if ((nr->text = sbuf_new()) == NULL) {
		new_report_free(nr);
		return http_send_page(rq, PAGE_ERROR);
	}
	page_report_form_text(nr->text, f, rq->lang);
	/* An option id of the form (checked): short, plain ASCII. */
	if (report_form_unit(page_report_def(), f) != NULL)
		snprintf(nr->unit, sizeof(nr->unit), "%s",
		    report_form_unit(page_report_def(), f));
	if (link != NULL) {
		nr->link = *link;
		nr->has_link = 1;
	}
	snprintf(nr->action, sizeof(nr->action), "%s", action);
	if (sbuf_is_failed(nr->text) || sbuf_len(nr->text) > REPORT_TEXT_MAX) {
		new_report_free(nr);
		return http_send_page(rq, PAGE_TOO_LARGE);
	}
	return submit_limited(rq, nr);
}

/* POST /melden/opgeslagen: the "I have saved my code" step. */
enum MHD_Result
route_report_saved(struct req *rq, const char *url, const struct http_auth *a)
{
	struct form *f = NULL;
	struct buf b = { 0 };
	uint8_t r[RECEIPT_BYTES];
	char code[RECEIPT_TEXT_LEN + 1], *ack = NULL;
	char key[PAGE_REPORT_ONCE_TEXT + 1];
	const char *v;
	int has_key, rc, where;

	(void)url;
	(void)a;
	if (!rq->is_form || form_parse(rq->body, rq->body_len, &f) != GH_OK)
		return http_send_page(rq, PAGE_BAD_REQUEST);
	reporter_set_lang(rq, f);
	has_key = form_get(f, "once") != NULL && *form_get(f, "once") != '\0';
	if (form_get(f, "saved") != NULL) {
		/* Written down: the copy kept for the receipt page goes. */
		if (form_get(f, "once") != NULL)
			once_forget_receipt(rq->ctx->report_once,
			    form_get(f, "once"));
		form_free(f);
		return reporter_send_note(rq, MHD_HTTP_OK, "done", "/melden/volg",
		    "login_title");
	}
	/* Not ticked: the same code again (only a well-formed one). */
	v = form_get(f, "code");
	if (v == NULL || receipt_from_text(r, v, strlen(v)) != GH_OK) {
		form_free(f);
		return http_send_page(rq, PAGE_BAD_REQUEST);
	}
	receipt_to_text(code, r);
	page_report_once(key, form_get(f, "once"));
	ack = unix_lines(form_get(f, "ack"));
	form_free(f);
	if (ack != NULL && !ack_is_ours(rq->ctx, ack)) {
		free(ack);
		ack = NULL;
	}
	/* Where the text was sealed, while the key still knows it. */
	where = ack == NULL || !has_key ? -1 :
	    once_is_browser(rq->ctx->report_once, key);
	rc = page_report_receipt_where(&b, rq->lang, code, ack, NULL, 0, 1,
	    has_key ? key : NULL, where == 1 ? PAGE_SEALED_BROWSER :
	    where == 0 ? PAGE_SEALED_SERVER : PAGE_SEALED_NONE);
	sodium_memzero(code, sizeof(code));
	sodium_memzero(r, sizeof(r));
	free(ack);
	return reporter_send(rq, MHD_HTTP_UNPROCESSABLE_CONTENT, &b, rc);
}

/*
 * GET /melden/ontvangen?k=KEY: the receipt kept with a one-time key (see
 * the top of this file), "being sent" while the POST still runs, or
 * "already sent" once it is gone. Never cached (no-store).
 */
enum MHD_Result
route_report_receipt(struct req *rq, const char *url,
    const struct http_auth *a)
{
	char code[ONCE_RECEIPT_MAX], ack[ONCE_ACK_MAX], self[96];
	const char *k;
	struct buf b = { 0 };
	int rc;

	(void)url;
	(void)a;
	k = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "k");
	rc = k != NULL ? once_receipt(rq->ctx->report_once, k, time(NULL),
	    code, ack) : GH_ERR_NOT_FOUND;
	if (rc == GH_ERR_BUSY) {
		snprintf(self, sizeof(self), "/melden/ontvangen?k=%s&lang=%s",
		    k, def_lang_code(rq->lang));
		return reporter_send_note(rq, MHD_HTTP_OK, "sending", self,
		    "sending_reload");
	}
	if (rc != GH_OK)
		return reporter_send_note(rq, MHD_HTTP_OK, "already_sent",
		    "/melden/volg", "have_code");
	/* A replaced receipt is kept without an acknowledgement. */
	rc = page_report_receipt_where(&b, rq->lang, code, ack[0] ? ack : NULL,
	    NULL, ack[0] == '\0', 0, k, ack[0] == '\0' ? PAGE_SEALED_NONE :
	    once_is_browser(rq->ctx->report_once, k) == 1 ?
	    PAGE_SEALED_BROWSER : PAGE_SEALED_SERVER);
	sodium_memzero(code, sizeof(code));
	sodium_memzero(ack, sizeof(ack));
	return reporter_send(rq, MHD_HTTP_OK, &b, rc);
}

/* POST /melden/bevestiging: the acknowledgement as a file, if ours. */
enum MHD_Result
route_report_ack(struct req *rq, const char *url, const struct http_auth *a)
{
	struct form *f = NULL;
	enum MHD_Result ret;
	char *ack;

	(void)url;
	(void)a;
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
enum MHD_Result
route_report_key(struct req *rq, const char *url, const struct http_auth *a)
{
	char pub[SIGNKEY_SIGNIFY_MAX];

	(void)url;
	(void)a;
	if (rq->ctx->ack_sk == NULL ||
	    signkey_signify_pub(pub, sizeof(pub), "gehoord acknowledgement "
	    "of receipt public key", rq->ctx->ack_pk) != GH_OK)
		return http_send_page(rq, PAGE_NOT_FOUND);
	return send_text(rq, pub, NULL);
}

/* GET or POST /melden/l/LINK (one level only). */
enum MHD_Result
route_report_link(struct req *rq, const char *url, const struct http_auth *a)
{
	const char *link = url + 10;
	uint8_t tok[TOKEN_BYTES];
	struct store_token_key key;
	enum store_token_state state = STORE_TOKEN_UNKNOWN;
	struct buf b = { 0 };
	struct store *s;
	char action[64];
	int rc;

	(void)a;
	if (link[0] == '\0' || strchr(link, '/') != NULL)
		return http_send_page(rq, PAGE_NOT_FOUND);
	if (token_from_text(tok, link, strlen(link)) != GH_OK)
		return reporter_send_note(rq, 404, "link_unknown", "/melden",
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
		return reporter_send_note(rq, 410, "link_spent", "/melden/volg",
		    "have_code");
	if (state != STORE_TOKEN_FRESH)
		return reporter_send_note(rq, 404, "link_unknown", "/melden",
		    "new_report");
	rc = report_form_page(rq, &b, action, NULL, NULL, NULL);
	return reporter_send(rq, MHD_HTTP_OK, &b, rc);
}

/* GET or POST /melden: the report form, unless links are required. */
enum MHD_Result
route_report_new(struct req *rq, const char *url, const struct http_auth *a)
{
	struct buf b = { 0 };
	int rc;

	(void)url;
	(void)a;
	if (rq->ctx->is_report_links_required)
		return reporter_send_note(rq, MHD_HTTP_FORBIDDEN, "need_link",
		    "/melden/volg", "have_code");
	if (rq->is_post)
		return submit(rq, "/melden", NULL);
	rc = report_form_page(rq, &b, "/melden", NULL, NULL, NULL);
	return reporter_send(rq, MHD_HTTP_OK, &b, rc);
}
