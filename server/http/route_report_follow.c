/*
 * route_report_follow.c: GET and POST /melden/volg, the reporter's
 * follow-up: receipt login, the conversation, and every action on it
 * (add information, answer a question, give or refuse consent, ask for a
 * second opinion, replace the receipt, withdraw, download one of the
 * report's files: the reporter's own or the desk's), one row each of
 * actions[] by the form's "action" field.
 *
 * Entry point: route_report_follow. Each POST carries the receipt (the
 * reporter's only credential: no cookie, no session; it is never in a
 * URL). Data path: rate limit (ratelimit.h: no address kept; the attempt
 * is given back once the code matched, so only failed logins count) ->
 * report_login_find (report/report_login.c: a typo and a wrong shape are
 * told apart from "unknown"; keyed hash -> store_report_by_receipt) ->
 * only then, on the hashing pool (http_defer; a full queue is 503 with
 * the same form kept), report_login_open (Argon2id -> reply secret key
 * in sodium_malloc memory, checked against the stored public key) -> the
 * action: one call of report/ (report_conv_reporter_post_files: a
 * text and its files in one transaction; report_rekey,
 * report_withdraw) -> 303 to a view (below) -> the key wiped. The GET
 * of the view logs in the same way with the receipt kept with it, and
 * opens the conversation with that key (report_read): the desk's
 * messages after reports.reporter_seen are marked new and the last one
 * is recorded as seen (store/store_seen.h). The lookup by keyed hash costs the same whether or
 * not a report exists; Argon2id runs only for a receipt that matched,
 * which tells a guesser nothing the page would not.
 *
 * Only an unknown code counts against the limit: a typo or a wrong shape
 * (no report can have it) and a code that matched give the attempt back,
 * so a reporter's conversation is never throttled by its own actions.
 *
 * Once only: every form of the conversation carries a one-time key
 * (report_once.h). An action that changes the report claims it; the
 * same key again (reload, Back, a double click) changes nothing: it shows
 * the conversation with "already sent", the new receipt of a replaced
 * code (303 to GET /melden/ontvangen), or, when the code it carries no
 * longer works (replaced, withdrawn), "already done".
 *
 * Views: a POST that would show a page (the conversation, the
 * withdrawal question, "withdrawn", "already done") answers 303 to GET
 * /melden/volg?v=KEY instead, KEY a new key kept with the receipt and
 * the page's notice for ONCE_SHOW_S (report_once.h), so that Reload and
 * Back repeat a GET and never ask to send the form again. A refusal that
 * changed nothing (an unticked box, a bad code) is answered directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http/attach_send.h"
#include "http/ratelimit.h"
#include "http/report_once.h"
#include "http/report_attach_list.h"
#include "http/report_files.h"
#include "http/reporter.h"
#include "http/upload.h"
#include "http/router.h"
#include "pages/page.h"
#include "pages/report.h"
#include "report/report_conv.h"
#include "report/report_create.h"
#include "report/report_crypto.h"
#include "report/report_login.h"
#include "report/report_read.h"
#include "report/report_rekey.h"
#include "store/store_seen.h"

/* One request of a reporter logged in with their receipt: found on the
 * request thread, finished on a hashing worker. */
struct follow {
	struct req		*rq;
	struct store		*s;
	struct form		*f;
	struct report_login	 l;
	const char		*once;		/* the form's key, or NULL */
	int			 is_claimed;	/* once claimed by this POST */
	int			 is_changed;	/* the action changed the report */
	int			 is_view;	/* a GET of a view: show it */
	char			 what[ONCE_WHAT_MAX];	/* the view's notice */
	struct upload		*up;		/* files added, or NULL */
};

/* The conversation, opened, and the page's view of it. */
struct conv {
	struct report_read	 rd;
	struct report_entry	*e;
	char			(*when)[24];
};

/* Formats a Unix time as "YYYY-MM-DD HH:MM UTC" into out (24 bytes). */
static void
time_text(char out[24], int64_t t)
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
send_login(struct req *rq, unsigned int status, const char *typed,
    enum report_login_problem p)
{
	struct buf b = { 0 };
	int rc = page_report_login(&b, rq->lang, typed, p);

	return reporter_send(rq, status, &b, rc);
}

/*
 * Opens every message with the reply key and fills the page's entries,
 * marking the desk's messages after seq seen new (counted in *n_new).
 */
static int
conv_open(struct follow *fw, struct conv *c, int64_t seen, size_t *n_new)
{
	struct report_read_msg *m;
	size_t i;
	int r;

	if ((r = report_read(fw->s, fw->l.row.id, REPORT_READER_REPORTER,
	    fw->l.row.reply_pk, fw->l.sk, &c->rd)) != GH_OK)
		return r;
	if (c->rd.n == 0)
		return GH_OK;
	if ((c->e = calloc(c->rd.n, sizeof(*c->e))) == NULL ||
	    (c->when = calloc(c->rd.n, sizeof(*c->when))) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < c->rd.n; i++) {
		m = &c->rd.msgs[i];
		c->e[i].seq = m->seq;
		c->e[i].author = (int)m->author;
		c->e[i].kind = (int)m->kind;
		c->e[i].text = m->plain.text;
		c->e[i].is_open = m->is_open;
		c->e[i].is_new = m->seq > seen &&
		    m->author != REPORT_BY_REPORTER;
		if (c->e[i].is_new)
			(*n_new)++;
		if (m->plain.text != NULL)
			time_text(c->when[i], m->plain.time);
		else
			report_day_text(c->when[i], m->day);
		c->e[i].when = c->when[i];
	}
	return GH_OK;
}

static void
conv_free(struct conv *c)
{
	report_read_free(&c->rd);
	free(c->e);
	free(c->when);
}

/*
 * Answers a POST with 303 to a view (report_once.h: a new key kept with
 * receipt, "" for none, and what to show), so that Reload and Back
 * repeat the GET, never the POST.
 */
static enum MHD_Result
redirect_view(struct follow *fw, const char *receipt, const char *what)
{
	char key[ONCE_KEY_TEXT + 1], loc[96];

	if (once_view_new(fw->rq->ctx->report_once, time(NULL), receipt, what,
	    key) != GH_OK)
		return http_send_page(fw->rq, PAGE_ERROR);
	snprintf(loc, sizeof(loc), "/melden/volg?v=%s&lang=%s", key,
	    def_lang_code(fw->rq->lang));
	return http_send_redirect(fw->rq, loc, NULL);
}

/* The highest seq of the opened conversation c (0 if empty). */
static int64_t
conv_last(const struct conv *c)
{
	int64_t last = 0;
	size_t i;

	for (i = 0; i < c->rd.n; i++)
		if (c->rd.msgs[i].seq > last)
			last = c->rd.msgs[i].seq;
	return last;
}

/*
 * Renders the conversation with status: a notice (a "report.notice."
 * suffix), or a refused file's words with the add form's typed text
 * kept; the desk's messages since the last view are marked new, and
 * this view is recorded as seen.
 */
static enum MHD_Result
render_conv(struct follow *fw, unsigned int status, const char *notice,
    const char *file_error)
{
	struct conv c = { 0 };
	struct report_conv_view v = { 0 };
	char status_day[11], received[11], ack[11], closed[11];
	struct buf b = { 0 }, files = { 0 }, hidden = { 0 };
	int64_t seen = 0;
	int rc;

	/* Each file's download button posts the receipt, as every form. */
	rc = page_report_hidden(&hidden, fw->rq->lang, fw->l.code);
	if (rc != GH_OK || store_seen_get(fw->s, fw->l.row.id, &seen) !=
	    GH_OK || conv_open(fw, &c, seen, &v.n_new) != GH_OK ||
	    report_attach_list(fw->s, fw->l.row.id, ATTACH_FOR_REPORTER,
	    fw->l.row.reply_pk, fw->l.sk, fw->rq->lang, NULL, hidden.data,
	    &files) != GH_OK) {
		conv_free(&c);
		buf_free(&files);
		gh_freezero(hidden.data, hidden.cap);
		return http_send_page(fw->rq, PAGE_ERROR);
	}
	gh_freezero(hidden.data, hidden.cap);
	v.files_html = files.data;
	report_day_text(status_day, fw->l.row.status_day);
	report_day_text(received, fw->l.row.received_day);
	report_day_text(ack, fw->l.row.ack_day);
	report_day_text(closed, fw->l.row.closed_day);
	v.lang = fw->rq->lang;
	v.code = fw->l.code;
	v.status = (int)fw->l.row.status;
	v.status_day = status_day;
	v.received_day = received;
	v.ack_day = fw->l.row.ack_day >= 0 ? ack : NULL;
	v.closed_day = fw->l.row.closed_day >= 0 ? closed : NULL;
	v.entries = c.e;
	v.n = c.rd.n;
	v.notice = notice;
	v.file_error = file_error;
	v.text_kept = file_error != NULL ? form_get(fw->f, "text") : NULL;
	rc = page_report_conv(&b, &v);
	/* Seen only once the page is made: a failed page marks nothing. */
	if (rc == GH_OK && conv_last(&c) > seen &&
	    store_seen_set(fw->s, fw->l.row.id, conv_last(&c)) != GH_OK)
		rc = GH_ERR_DB;
	conv_free(&c);
	buf_free(&files);
	return reporter_send(fw->rq, status, &b, rc);
}

/* Shows the conversation with a notice (as a view: a POST redirects). */
static enum MHD_Result
send_conv(struct follow *fw, const char *notice)
{
	if (!fw->is_view)
		return redirect_view(fw, fw->l.code, notice != NULL ? notice :
		    "");
	return render_conv(fw, MHD_HTTP_OK, notice, NULL);
}

/* A refused file: the conversation again, 422, the file named and the
 * typed text kept; nothing was stored, so it is answered directly. */
static enum MHD_Result
send_refused(struct follow *fw, const char *words)
{
	return render_conv(fw, MHD_HTTP_UNPROCESSABLE_CONTENT, NULL, words);
}

/* The actions that post a text. */
static enum MHD_Result
post_text(struct follow *fw, const char *action)
{
	enum report_conv_post what = REPORT_POST_ADD;
	const char *notice = "added";
	struct attach_plain files[UPLOAD_FILES_MAX];
	char words[REPORT_FILES_NOTICE];
	size_t n;
	int rc;

	if (strcmp(action, "answer") == 0) {
		what = REPORT_POST_ANSWER;
	} else if (strcmp(action, "consent_yes") == 0 ||
	    strcmp(action, "consent_no") == 0) {
		what = action[8] == 'y' ? REPORT_POST_CONSENT_YES :
		    REPORT_POST_CONSENT_NO;
		notice = "consent";
	} else if (strcmp(action, "second") == 0) {
		what = REPORT_POST_SECOND;
		notice = "second";
	}
	/* Files come with "add" only; each is cleaned before anything is
	 * stored, and a refused one adds nothing. */
	if (fw->up != NULL && (fw->up->problem != UPLOAD_FINE ||
	    fw->up->n > 0) && what != REPORT_POST_ADD)
		return send_conv(fw, "bad");
	if (report_files_problem(fw->up, fw->rq->lang, words, sizeof(words)))
		return send_refused(fw, words);
	if (fw->up != NULL && fw->up->n > 0 &&
	    report_files_clean(fw->rq->ctx->attach_super, fw->up,
	    fw->rq->lang, files, words, sizeof(words)) != GH_OK)
		return send_refused(fw, words);
	n = fw->up != NULL ? fw->up->n : 0;
	/* The text and its files: one message, one transaction. */
	rc = report_conv_reporter_post_files(fw->s, &fw->l.row, what,
	    form_get(fw->f, "to"), form_get(fw->f, "text"), files, n);
	if (n > 0)
		report_files_clear(files, n);
	if (rc == GH_ERR_INVALID)
		return send_conv(fw, "bad");
	if (rc != GH_OK)
		return http_send_page(fw->rq, PAGE_ERROR);
	fw->is_changed = 1;
	return send_conv(fw, notice);
}

/*
 * Sends one of the report's files, the desk's or the reporter's own
 * (field "a": its id): the reporter's copy opened with the reply key
 * the login derived, as a download (attach_send.h). An id that is not
 * one of this report's files is refused as an unknown code is.
 */
static enum MHD_Result
get_file(struct follow *fw, const char *action)
{
	const char *q = form_get(fw->f, "a");
	uint8_t aid[ATTACH_ID_BYTES];
	struct store_attach sa;
	struct attach_plain *p;
	size_t len = 0;
	int rc;

	(void)action;
	memset(&sa, 0, sizeof(sa));
	rc = q != NULL && strlen(q) == (size_t)2 * ATTACH_ID_BYTES &&
	    sodium_hex2bin(aid, sizeof(aid), q, strlen(q), NULL, &len,
	    NULL) == 0 && len == ATTACH_ID_BYTES ?
	    store_attach_get(fw->s, fw->l.row.id, aid, &sa) :
	    GH_ERR_NOT_FOUND;
	if (rc == GH_ERR_NOT_FOUND)
		return send_login(fw->rq, MHD_HTTP_NOT_FOUND,
		    form_get(fw->f, "receipt"), REPORT_LOGIN_UNKNOWN);
	if (rc != GH_OK || (p = calloc(1, sizeof(*p))) == NULL) {
		store_attach_clear(&sa);
		return http_send_page(fw->rq, PAGE_ERROR);
	}
	rc = attach_open(p, sa.for_reporter, sa.for_reporter_len,
	    fw->l.row.reply_pk, fw->l.sk);
	store_attach_clear(&sa);
	if (rc != GH_OK) {
		attach_send_free(p);
		return http_send_page(fw->rq, PAGE_ERROR);
	}
	return attach_send(fw->rq, p);
}

/* Shows the conversation (a login), or a view's page (a GET). */
static enum MHD_Result
show(struct follow *fw, const char *action)
{
	struct buf b = { 0 };
	int rc;

	(void)action;
	if (fw->is_view && strcmp(fw->what, "withdraw_ask") == 0) {
		rc = page_report_withdraw(&b, fw->rq->lang, fw->l.code, 0);
		return reporter_send(fw->rq, MHD_HTTP_OK, &b, rc);
	}
	return send_conv(fw, fw->is_view && fw->what[0] ? fw->what : NULL);
}

/* Withdrawal, asked (withdraw: the question, as a view) or confirmed
 * (withdraw_confirm, box "sure" ticked; unticked shows the question
 * again, 422). */
static enum MHD_Result
withdraw(struct follow *fw, const char *action)
{
	int is_confirmed = strcmp(action, "withdraw_confirm") == 0;
	struct buf b = { 0 };
	int rc;

	if (!is_confirmed)
		return redirect_view(fw, fw->l.code, "withdraw_ask");
	if (form_get(fw->f, "sure") == NULL) {
		/* Changed nothing: the question again, answered directly. */
		rc = page_report_withdraw(&b, fw->rq->lang, fw->l.code, 1);
		return reporter_send(fw->rq, MHD_HTTP_UNPROCESSABLE_CONTENT,
		    &b, rc);
	}
	if (report_withdraw(fw->s, fw->l.row.id) != GH_OK)
		return http_send_page(fw->rq, PAGE_ERROR);
	fw->is_changed = 1;
	return redirect_view(fw, "", "withdrawn");
}

/* A new receipt code, shown once. */
static enum MHD_Result
rekey(struct follow *fw, const char *action)
{
	uint8_t r[RECEIPT_BYTES];
	enum MHD_Result ret;

	(void)action;
	if (report_rekey(fw->s, fw->rq->ctx->pepper, &fw->l, r) != GH_OK)
		ret = http_send_page(fw->rq, PAGE_ERROR);
	else if (fw->is_claimed) {
		/* Kept with the key: a repeat shows this code, not another. */
		ret = reporter_keep_receipt(fw->rq, fw->once, r, NULL);
		fw->is_claimed = 0;
	} else
		ret = reporter_send_receipt(fw->rq, r, NULL, NULL, 1);
	sodium_memzero(r, sizeof(r));
	return ret;
}

/* The reporter's actions (form field "action"; none is "login"). */
static const struct follow_action {
	const char	*name;
	enum MHD_Result	(*run)(struct follow *fw, const char *action);
	int		 is_once;	/* changes the report: once per key */
} actions[] = {
	{ "login",		show,		0 },
	{ "withdraw",		withdraw,	0 },
	{ "withdraw_confirm",	withdraw,	1 },
	{ "rekey",		rekey,		1 },
	{ "add",		post_text,	1 },
	{ "answer",		post_text,	1 },
	{ "consent_yes",	post_text,	1 },
	{ "consent_no",		post_text,	1 },
	{ "second",		post_text,	1 },
	{ "file",		get_file,	0 },
};

/*
 * An unknown code with a one-time key: the repeat of an action that
 * replaced or withdrew it shows the new receipt or "already done"; any
 * other key is an unknown code as ever (and counted).
 */
static enum MHD_Result
repeat_gone(struct follow *fw, const char *typed)
{
	struct req *rq = fw->rq;
	char code[ONCE_RECEIPT_MAX], ack[ONCE_ACK_MAX];
	enum once_state st;
	int rc;

	if (once_claim(rq->ctx->report_once, fw->once, time(NULL), &st) !=
	    GH_OK)
		return http_send_page(rq, PAGE_BAD_REQUEST);
	if (st == ONCE_FRESH) {
		once_release(rq->ctx->report_once, fw->once);
		return send_login(rq, MHD_HTTP_NOT_FOUND, typed,
		    REPORT_LOGIN_UNKNOWN);
	}
	rc = once_receipt(rq->ctx->report_once, fw->once, time(NULL), code,
	    ack);
	sodium_memzero(code, sizeof(code));
	sodium_memzero(ack, sizeof(ack));
	if (rc != GH_ERR_NOT_FOUND)
		return reporter_redirect_receipt(rq, fw->once);
	return redirect_view(fw, "", "already_done");
}

/*
 * Parses the receipt and finds its report (on the request thread: no
 * Argon2id yet). Sets *is_found, or sends the login page with the
 * problem: a typo or a wrong shape (422), no such report (404).
 */
static enum MHD_Result
find_report(struct follow *fw, int *is_found)
{
	struct req *rq = fw->rq;
	const char *typed = form_get(fw->f, "receipt");
	struct store *s;
	int rc;

	*is_found = 0;
	if (typed == NULL)
		typed = "";
	s = ctx_store_get(rq->ctx);
	rc = report_login_find(s, rq->ctx->pepper, typed, &fw->l);
	ctx_store_put(rq->ctx, s);
	/* Only an unknown code counts: a typo or a wrong shape can match no
	 * report, and a logged-in reporter's actions never count. */
	if (rc != GH_ERR_NOT_FOUND)
		ratelimit_give_back(rq->ctx->report_rl, http_peer(rq));
	if (rc == GH_ERR_NOT_FOUND && fw->once != NULL)
		return repeat_gone(fw, typed);
	if (rc == GH_ERR_NOT_FOUND)
		return send_login(rq, MHD_HTTP_NOT_FOUND, typed,
		    REPORT_LOGIN_UNKNOWN);
	if (rc == GH_ERR_CRYPTO || rc == GH_ERR_INVALID)
		return send_login(rq, MHD_HTTP_UNPROCESSABLE_CONTENT, typed,
		    rc == GH_ERR_CRYPTO ? REPORT_LOGIN_TYPO :
		    REPORT_LOGIN_SHAPE);
	if (rc != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	*is_found = 1;
	return MHD_YES;
}

/*
 * A key claimed before, with the right code: the new receipt kept with
 * it (a replaced code), else the conversation with "already sent".
 */
static enum MHD_Result
repeat_known(struct follow *fw)
{
	struct req *rq = fw->rq;
	char code[ONCE_RECEIPT_MAX], ack[ONCE_ACK_MAX];
	enum MHD_Result ret;
	int rc;

	rc = once_receipt(rq->ctx->report_once, fw->once, time(NULL), code,
	    ack);
	sodium_memzero(code, sizeof(code));
	sodium_memzero(ack, sizeof(ack));
	if (rc != GH_ERR_NOT_FOUND)
		return reporter_redirect_receipt(rq, fw->once);
	fw->s = ctx_store_get(rq->ctx);
	ret = send_conv(fw, "repeat");
	ctx_store_put(rq->ctx, fw->s);
	fw->s = NULL;
	return ret;
}

static void
follow_free(void *state)
{
	struct follow *fw = state;

	if (fw == NULL)
		return;
	report_login_clear(&fw->l);
	form_free(fw->f);
	upload_free(fw->up);
	free(fw);
}

/* The second half, on a hashing worker: the key, then the action. */
static enum MHD_Result
follow_run(struct req *rq)
{
	struct follow *fw = rq->pw_state;
	const char *action = form_get(fw->f, "action");
	enum MHD_Result ret = MHD_NO;
	enum once_state st;
	size_t i;

	fw->rq = rq;
	if (report_login_open(&fw->l) != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	if (action == NULL)
		action = "login";
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(action, actions[i].name) == 0)
			break;
	if (i == sizeof(actions) / sizeof(actions[0]))
		return http_send_page(rq, PAGE_BAD_REQUEST);
	if (actions[i].is_once && fw->once != NULL) {
		if (once_claim(rq->ctx->report_once, fw->once, time(NULL),
		    &st) != GH_OK)
			return http_send_page(rq, PAGE_BAD_REQUEST);
		if (st != ONCE_FRESH)
			return repeat_known(fw);
		fw->is_claimed = 1;
	}
	fw->s = ctx_store_get(rq->ctx);
	ret = actions[i].run(fw, action);
	ctx_store_put(rq->ctx, fw->s);
	fw->s = NULL;
	if (fw->is_claimed && fw->is_changed)
		once_done(rq->ctx->report_once, fw->once, time(NULL), NULL,
		    NULL);
	else if (fw->is_claimed)
		once_release(rq->ctx->report_once, fw->once);
	fw->is_claimed = 0;
	return ret;
}

/* Returns 1 if fw's form only logs in (no action, or "login"). */
static int
is_login(const struct follow *fw)
{
	const char *action = form_get(fw->f, "action");

	return action == NULL || strcmp(action, "login") == 0;
}

/*
 * A login POST whose code matched: straight to its view, without
 * Argon2id here (nothing is opened or changed; the view's GET derives
 * the key once).
 */
static enum MHD_Result
login_view(struct follow *fw)
{
	char code[RECEIPT_TEXT_LEN + 1];
	enum MHD_Result ret;

	receipt_to_text(code, fw->l.receipt);
	ret = redirect_view(fw, code, "");
	sodium_memzero(code, sizeof(code));
	follow_free(fw);
	return ret;
}

/* Finds the report of fw's form, then runs the rest on the pool. */
static enum MHD_Result
follow_start(struct req *rq, struct follow *fw)
{
	struct buf b = { 0 };
	enum MHD_Result ret;
	int is_found = 0, rc;

	fw->rq = rq;
	reporter_set_lang(rq, fw->f);
	fw->once = form_get(fw->f, "once");
	if (fw->once != NULL && *fw->once == '\0')
		fw->once = NULL;
	if (ratelimit_take(rq->ctx->report_rl, http_peer(rq)) != GH_OK)
		ret = send_login(rq, MHD_HTTP_TOO_MANY_REQUESTS, NULL,
		    REPORT_LOGIN_BUSY);
	else
		ret = find_report(fw, &is_found);
	if (!is_found) {
		follow_free(fw);
		return ret;
	}
	if (!fw->is_view && is_login(fw))
		return login_view(fw);
	if (http_defer(rq, follow_run, fw, follow_free) == GH_OK)
		return MHD_YES;
	/* The pool is full: nothing done; the same POST again, kept. */
	rc = page_report_busy(&b, rq->lang, fw->f);
	return reporter_send(rq, MHD_HTTP_SERVICE_UNAVAILABLE, &b, rc);
}

/*
 * GET /melden/volg?v=KEY: a view a POST redirected to, logged in again
 * with the receipt kept with it (so that Reload and Back are a GET);
 * a note without a receipt; else, or once the view is gone, the login.
 */
static enum MHD_Result
follow_get(struct req *rq)
{
	char code[ONCE_RECEIPT_MAX], what[ONCE_WHAT_MAX];
	struct follow *fw = NULL;
	struct buf b = { 0 };
	const char *v;
	size_t i;
	int rc;

	v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, "v");
	if (v == NULL || once_view(rq->ctx->report_once, v, time(NULL), code,
	    what) != GH_OK) {
		rc = page_report_login(&b, rq->lang, NULL, REPORT_LOGIN_OK);
		return reporter_send(rq, MHD_HTTP_OK, &b, rc);
	}
	if (code[0] == '\0')
		return strcmp(what, "withdrawn") == 0 ?
		    reporter_send_note(rq, MHD_HTTP_OK, what, "/melden",
		    "new_report") :
		    reporter_send_note(rq, MHD_HTTP_OK, "already_done",
		    "/melden/volg", "login_title");
	/* The code as a form (its symbols are safe in a form body but '='). */
	buf_puts(&b, "action=login&receipt=");
	for (i = 0; code[i] != '\0'; i++)
		buf_printf(&b, code[i] == '=' ? "%%3D" : "%c", code[i]);
	if ((fw = calloc(1, sizeof(*fw))) == NULL || buf_is_failed(&b) ||
	    form_parse(b.data, b.len, &fw->f) != GH_OK) {
		gh_freezero(b.data, b.cap);
		sodium_memzero(code, sizeof(code));
		follow_free(fw);
		return http_send_page(rq, PAGE_ERROR);
	}
	gh_freezero(b.data, b.cap);
	sodium_memzero(code, sizeof(code));
	fw->is_view = 1;
	memcpy(fw->what, what, sizeof(fw->what));
	return follow_start(rq, fw);
}

enum MHD_Result
route_report_follow(struct req *rq, const char *url,
    const struct http_auth *a)
{
	struct follow *fw;

	(void)url;
	(void)a;
	if (!rq->is_post)
		return follow_get(rq);
	if ((fw = calloc(1, sizeof(*fw))) == NULL)
		return http_send_page(rq, PAGE_ERROR);
	if (!rq->is_form || form_parse(rq->body, rq->body_len, &fw->f) !=
	    GH_OK) {
		follow_free(fw);
		return http_send_page(rq, PAGE_BAD_REQUEST);
	}
	fw->up = rq->up;	/* the files of "add", if any */
	rq->up = NULL;
	return follow_start(rq, fw);
}
