/*
 * route_report_follow.c: POST /melden/volg, the reporter's follow-up:
 * receipt login, the conversation, and every action on it (add
 * information, answer a question, give or refuse consent, ask for a
 * second opinion, replace the receipt, withdraw).
 *
 * Entry point: route_report_follow. Each POST carries the receipt (the
 * reporter's only credential: no cookie, no session; it is never in a
 * URL). Data path: rate limit (ratelimit.h: no address kept; the attempt
 * is given back once the code matched, so only failed logins count) ->
 * receipt parsed (a typo and a wrong shape are told apart from
 * "unknown") -> keyed hash -> store_report_by_receipt -> only then, on
 * the hashing pool (http_defer; a full queue is 503 with the same form
 * kept), Argon2id ->
 * reply secret key in sodium_malloc memory, checked against the stored
 * public key -> the action -> the conversation opened with that key and
 * shown -> the key wiped. The lookup by keyed hash costs the same
 * whether or not a report exists; Argon2id runs only for a receipt that
 * matched, which tells a guesser nothing the page would not.
 *
 * An answer to a desk's question, and a consent given or refused, is
 * stored as "#SEQ\n" (the message it answers) and the reporter's text; a
 * proposal counts as answered once such a reply names it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http/ratelimit.h"
#include "http/route_report.h"
#include "report/report_crypto.h"
#include "util/log.h"

/* The conversation, opened. */
struct conv {
	struct report_follow		*fw;
	struct report_entry	*e;
	struct report_plain	*plain;
	char			(*when)[24];
	size_t			 n, cap;
};

static enum MHD_Result
send_login(struct req *rq, unsigned int status, const char *typed,
    enum report_login_problem p)
{
	struct buf b = { 0 };
	int rc = page_report_login(&b, rq->lang, typed, p);

	return report_send(rq, status, &b, rc);
}

static int
conv_grow(struct conv *c)
{
	size_t cap = c->cap ? c->cap * 2 : 8;
	void *e, *p, *w;

	e = realloc(c->e, cap * sizeof(*c->e));
	if (e != NULL)
		c->e = e;
	p = realloc(c->plain, cap * sizeof(*c->plain));
	if (p != NULL)
		c->plain = p;
	w = realloc(c->when, cap * sizeof(*c->when));
	if (w != NULL)
		c->when = w;
	if (e == NULL || p == NULL || w == NULL)
		return GH_ERR_NOMEM;
	c->cap = cap;
	return GH_OK;
}

/* store_report_messages callback: opens one message for the reporter. */
static int
conv_add(void *arg, const struct report_msg *m)
{
	struct conv *c = arg;
	struct report_entry *e;
	struct report_plain *p;

	if (c->n == c->cap && conv_grow(c) != GH_OK)
		return GH_ERR_NOMEM;
	e = &c->e[c->n];
	p = &c->plain[c->n];
	memset(e, 0, sizeof(*e));
	e->seq = m->seq;
	e->author = (int)m->author;
	e->kind = (int)m->kind;
	if (report_open(p, m->for_reporter, m->for_reporter_len,
	    c->fw->row.reply_pk, c->fw->sk) == GH_OK) {
		e->text = p->text;
		report_time_text(c->when[c->n], p->time);
	} else {
		report_day_text(c->when[c->n], m->day);
	}
	/* e->when is set once every message is in: when[] may still move. */
	c->n++;
	return GH_OK;
}

/* Marks the desk's questions, and its proposals not yet answered, open. */
static void
conv_mark_open(struct conv *c)
{
	char ref[24];
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		if (c->e[i].author != REPORT_BY_DESK ||
		    (c->e[i].kind != REPORT_MSG_QUESTION &&
		    c->e[i].kind != REPORT_MSG_CONSENT_ASK))
			continue;
		c->e[i].is_open = 1;
		if (c->e[i].kind == REPORT_MSG_QUESTION)
			continue;
		snprintf(ref, sizeof(ref), "#%lld\n", (long long)c->e[i].seq);
		for (j = i + 1; j < c->n; j++)
			if ((c->e[j].kind == REPORT_MSG_CONSENT_YES ||
			    c->e[j].kind == REPORT_MSG_CONSENT_NO) &&
			    c->e[j].text != NULL &&
			    strncmp(c->e[j].text, ref, strlen(ref)) == 0)
				c->e[i].is_open = 0;
	}
}

static void
conv_free(struct conv *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		report_plain_clear(&c->plain[i]);
	free(c->e);
	free(c->plain);
	free(c->when);
}

/* Shows the conversation, with a notice (a "report.notice." suffix). */
static enum MHD_Result
send_conv(struct report_follow *fw, const char *notice)
{
	struct conv c = { 0 };
	struct report_conv_view v = { 0 };
	char status_day[11], received[11], ack[11], closed[11];
	struct buf b = { 0 };
	size_t i;
	int rc;

	c.fw = fw;
	if (store_report_messages(fw->s, fw->row.id, conv_add, &c) != GH_OK) {
		conv_free(&c);
		return http_send_page(fw->rq, PAGE_ERROR);
	}
	for (i = 0; i < c.n; i++)
		c.e[i].when = c.when[i];
	conv_mark_open(&c);
	report_day_text(status_day, fw->row.status_day);
	report_day_text(received, fw->row.received_day);
	report_day_text(ack, fw->row.ack_day);
	report_day_text(closed, fw->row.closed_day);
	v.lang = fw->rq->lang;
	v.code = fw->code;
	v.status = (int)fw->row.status;
	v.status_day = status_day;
	v.received_day = received;
	v.ack_day = fw->row.ack_day >= 0 ? ack : NULL;
	v.closed_day = fw->row.closed_day >= 0 ? closed : NULL;
	v.entries = c.e;
	v.n = c.n;
	v.notice = notice;
	rc = page_report_conv(&b, &v);
	conv_free(&c);
	return report_send(fw->rq, MHD_HTTP_OK, &b, rc);
}

/*
 * The text a reporter sent in field "text", prefixed with "#SEQ\n" when
 * it answers message SEQ (field "to"), into *out (sodium_malloc'd).
 * Returns GH_OK, GH_ERR_INVALID (empty, not UTF-8-safe, too long).
 */
static int
posted_text(const struct form *f, int needs_text, int is_reply,
    char **out, size_t *len)
{
	const char *t = form_get(f, "text"), *to = form_get(f, "to");
	struct report_check chk;
	struct form one = { 0 };
	struct form_field fld;
	char pre[24] = "";
	long long seq;
	char *end;
	size_t n;

	*out = NULL;
	*len = 0;
	if (t == NULL)
		t = "";
	if (is_reply) {
		if (to == NULL || (seq = strtoll(to, &end, 10)) <= 0 ||
		    *end != '\0')
			return GH_ERR_INVALID;
		snprintf(pre, sizeof(pre), "#%lld\n", seq);
	}
	/* The report form's first question has the rules of a text. */
	fld.name = (char *)"what";
	fld.value = (char *)t;
	fld.value_len = strlen(t);
	one.fields = &fld;
	one.n = 1;
	(void)report_form_check(&one, &chk);
	if (chk.p[0] == REPORT_P_TOO_LONG || chk.p[0] == REPORT_P_BAD_TEXT ||
	    (chk.p[0] == REPORT_P_MISSING && needs_text))
		return GH_ERR_INVALID;
	if (chk.p[0] == REPORT_P_MISSING)
		t = "";
	n = strlen(pre) + strlen(t);
	if ((*out = sodium_malloc(n + 1)) == NULL)
		return GH_ERR_NOMEM;
	memcpy(*out, pre, strlen(pre));
	memcpy(*out + strlen(pre), t, strlen(t) + 1);
	*len = n;
	return GH_OK;
}

/* Seals and appends a message of the reporter. */
static int
add_message(struct report_follow *fw, enum report_msg_kind kind, const char *text,
    size_t len)
{
	struct report_msg m = { 0 };
	int rc;

	m.author = REPORT_BY_REPORTER;
	m.kind = kind;
	if ((rc = report_seal_both(&m, text, len, (int64_t)time(NULL),
	    fw->row.report_pk, fw->row.reply_pk)) == GH_OK)
		rc = store_report_add_message(fw->s, fw->row.id, &m,
		    store_today());
	report_msg_free(&m);
	return rc;
}

/* What a reply must point at: the desk's message of a seq and kind. */
struct reply_target {
	long long		seq;
	enum report_msg_kind	kind;
	int			is_found;
};

static int
find_target(void *arg, const struct report_msg *m)
{
	struct reply_target *t = arg;

	if (m->seq == t->seq && m->author == REPORT_BY_DESK &&
	    m->kind == t->kind)
		t->is_found = 1;
	return GH_OK;
}

/* Checks that field "to" names a desk's question (or proposal). */
static int
is_reply_target(struct report_follow *fw, enum report_msg_kind kind)
{
	struct reply_target t = { 0, kind, 0 };
	const char *to = form_get(fw->f, "to");
	char *end;

	if (to == NULL || (t.seq = strtoll(to, &end, 10)) <= 0 || *end != '\0')
		return 0;
	return store_report_messages(fw->s, fw->row.id, find_target, &t) ==
	    GH_OK && t.is_found;
}

/* The actions that post a text. */
static enum MHD_Result
post_text(struct report_follow *fw, const char *action)
{
	enum report_msg_kind kind = REPORT_MSG_TEXT;
	uint8_t id[REPORT_ID_BYTES];
	const char *notice = "added";
	int is_reply = 0, rc;
	char *text = NULL;
	size_t len;

	if (strcmp(action, "answer") == 0) {
		is_reply = 1;
	} else if (strcmp(action, "consent_yes") == 0 ||
	    strcmp(action, "consent_no") == 0) {
		is_reply = 1;
		kind = action[8] == 'y' ? REPORT_MSG_CONSENT_YES :
		    REPORT_MSG_CONSENT_NO;
		notice = "consent";
	} else if (strcmp(action, "second") == 0) {
		kind = REPORT_MSG_SECOND_OPINION;
		notice = "second";
	}
	if (is_reply && !is_reply_target(fw, kind == REPORT_MSG_TEXT ?
	    REPORT_MSG_QUESTION : REPORT_MSG_CONSENT_ASK))
		return send_conv(fw, "bad");
	rc = posted_text(fw->f, kind == REPORT_MSG_TEXT, is_reply, &text,
	    &len);
	if (rc == GH_ERR_INVALID)
		return send_conv(fw, "bad");
	if (rc == GH_OK)
		rc = add_message(fw, kind, text, len);
	if (rc == GH_OK && kind == REPORT_MSG_SECOND_OPINION &&
	    fw->row.status != REPORT_SECOND_OPINION)
		rc = store_report_set_status(fw->s, fw->row.id,
		    REPORT_SECOND_OPINION, store_today());
	if (text != NULL)
		sodium_free(text);
	if (rc != GH_OK)
		return http_send_page(fw->rq, PAGE_ERROR);
	/* Read the row again: the status may have changed. */
	memcpy(id, fw->row.id, sizeof(id));
	store_report_row_clear(&fw->row);
	if (store_report_get(fw->s, id, &fw->row) != GH_OK)
		return http_send_page(fw->rq, PAGE_ERROR);
	return send_conv(fw, notice);
}

static enum MHD_Result
withdraw(struct report_follow *fw, int is_confirmed)
{
	struct buf b = { 0 };
	int rc;

	if (!is_confirmed || form_get(fw->f, "sure") == NULL) {
		rc = page_report_withdraw(&b, fw->rq->lang, fw->code,
		    is_confirmed);
		return report_send(fw->rq, is_confirmed ?
		    MHD_HTTP_UNPROCESSABLE_CONTENT : MHD_HTTP_OK, &b, rc);
	}
	if (store_report_withdraw(fw->s, fw->row.id, store_today()) != GH_OK)
		return http_send_page(fw->rq, PAGE_ERROR);
	/* Move the overwritten pages out of the WAL into the file now. */
	if (store_checkpoint(fw->s, 1) != GH_OK)
		log_warn("checkpoint after a withdrawal failed; the next one "
		    "removes the old pages");
	rc = page_report_note(&b, fw->rq->lang, "withdrawn", "/melden",
	    "new_report");
	return report_send(fw->rq, MHD_HTTP_OK, &b, rc);
}

/*
 * Parses the receipt and finds its report (on the request thread: no
 * Argon2id yet). Sets *is_found, or sends the login page with the
 * problem: a typo or a wrong shape (422), no such report (404).
 */
static enum MHD_Result
find_report(struct report_follow *fw, int *is_found)
{
	struct req *rq = fw->rq;
	const char *typed = form_get(fw->f, "receipt");
	uint8_t hash[RECEIPT_HASH_BYTES];
	int rc;

	*is_found = 0;
	if (typed == NULL)
		typed = "";
	rc = receipt_from_text(fw->receipt, typed, strlen(typed));
	if (rc != GH_OK)
		return send_login(rq, MHD_HTTP_UNPROCESSABLE_CONTENT, typed,
		    rc == GH_ERR_CRYPTO ? REPORT_LOGIN_TYPO :
		    REPORT_LOGIN_SHAPE);
	receipt_hash(hash, fw->receipt, rq->ctx->pepper);
	fw->s = ctx_store_get(rq->ctx);
	rc = store_report_by_receipt(fw->s, hash, &fw->row);
	ctx_store_put(rq->ctx, fw->s);
	fw->s = NULL;
	sodium_memzero(hash, sizeof(hash));
	if (rc == GH_ERR_NOT_FOUND)
		return send_login(rq, MHD_HTTP_NOT_FOUND, typed,
		    REPORT_LOGIN_UNKNOWN);
	if (rc != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	/* The right code: a logged-in reporter's actions never count. */
	ratelimit_give_back(rq->ctx->report_rl, http_peer(rq));
	*is_found = 1;
	return MHD_YES;
}

/* Derives the reply key from the receipt (Argon2id) and checks it. */
static int
derive_key(struct report_follow *fw)
{
	uint8_t pk[32];

	if ((fw->sk = sodium_malloc(REPORT_SK_BYTES)) == NULL ||
	    receipt_reply_key(pk, fw->sk, fw->receipt, fw->row.reply_salt) !=
	    GH_OK)
		return GH_ERR_NOMEM;
	if (sodium_memcmp(pk, fw->row.reply_pk, sizeof(pk)) != 0) {
		log_error("a report's reply key does not match its receipt");
		return GH_ERR_CRYPTO;
	}
	receipt_to_text(fw->code, fw->receipt);
	return GH_OK;
}

static void
follow_free(void *state)
{
	struct report_follow *fw = state;

	if (fw == NULL)
		return;
	if (fw->sk != NULL)
		sodium_free(fw->sk);
	store_report_row_clear(&fw->row);
	sodium_memzero(fw->receipt, sizeof(fw->receipt));
	sodium_memzero(fw->code, sizeof(fw->code));
	form_free(fw->f);
	free(fw);
}

/* The second half, on a hashing worker: the key, then the action. */
static enum MHD_Result
follow_run(struct req *rq)
{
	struct report_follow *fw = rq->pw_state;
	const char *action = form_get(fw->f, "action");
	enum MHD_Result ret;

	fw->rq = rq;
	if (derive_key(fw) != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	fw->s = ctx_store_get(rq->ctx);
	if (action == NULL || strcmp(action, "login") == 0)
		ret = send_conv(fw, NULL);
	else if (strcmp(action, "withdraw") == 0)
		ret = withdraw(fw, 0);
	else if (strcmp(action, "withdraw_confirm") == 0)
		ret = withdraw(fw, 1);
	else if (strcmp(action, "rekey") == 0)
		ret = report_rekey(fw);
	else if (strcmp(action, "add") == 0 || strcmp(action, "answer") == 0 ||
	    strcmp(action, "consent_yes") == 0 ||
	    strcmp(action, "consent_no") == 0 ||
	    strcmp(action, "second") == 0)
		ret = post_text(fw, action);
	else
		ret = http_send_page(rq, PAGE_BAD_REQUEST);
	ctx_store_put(rq->ctx, fw->s);
	fw->s = NULL;
	return ret;
}

enum MHD_Result
route_report_follow(struct req *rq)
{
	struct report_follow *fw;
	struct buf b = { 0 };
	enum MHD_Result ret;
	int is_found = 0, rc;

	if ((fw = calloc(1, sizeof(*fw))) == NULL)
		return http_send_page(rq, PAGE_ERROR);
	fw->rq = rq;
	if (!rq->is_form || form_parse(rq->body, rq->body_len, &fw->f) !=
	    GH_OK) {
		follow_free(fw);
		return http_send_page(rq, PAGE_BAD_REQUEST);
	}
	report_set_lang(rq, fw->f);
	if (ratelimit_take(rq->ctx->report_rl, http_peer(rq)) != GH_OK)
		ret = send_login(rq, MHD_HTTP_TOO_MANY_REQUESTS, NULL,
		    REPORT_LOGIN_BUSY);
	else
		ret = find_report(fw, &is_found);
	if (!is_found) {
		follow_free(fw);
		return ret;
	}
	if (http_defer(rq, follow_run, fw, follow_free) == GH_OK)
		return MHD_YES;
	/* The pool is full: nothing done; the same POST again, kept. */
	rc = page_report_busy(&b, rq->lang, fw->f);
	return report_send(rq, MHD_HTTP_SERVICE_UNAVAILABLE, &b, rc);
}
