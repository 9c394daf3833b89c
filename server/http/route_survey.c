/*
 * route_survey.c: the respondent's path, GET and POST /s/TOKEN.
 *
 * Entry point: route_survey. A one-page (format 1) definition is one
 * form, as always: GET shows it, POST validates it whole and submits.
 * A format 2 definition starts with a welcome page (GET), then walks its
 * pages with POSTs (see flow_post): the answers so far travel sealed in
 * the hidden field "state" (survey/state.h), each page is validated
 * before the next is shown, and only the last page seals and stores.
 * Data path of a submission:
 *   token text -> token_from_text -> keyed hashes (lookup and spend) -> store_token_lookup_unit
 *   (a reading connection; also the batch's unit label) -> form_parse [-> state_open -> state_merge]
 *   -> answer_encode_unit (plaintext, wiped) -> seal_answer to the wave's
 *   public key -> writer_submit + suspend -> [writer: spend + insert,
 *   durable] -> job_done resumes -> thanks.
 * Reading a page never spends the token; only the writer does. A state
 * that does not open (tampered, another token, a restarted server) gives
 * PAGE_STATE_EXPIRED: nothing stored, the link still works.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/seal.h"
#include "crypto/token.h"
#include "http/form.h"
#include "http/http_int.h"
#include "pages/page.h"
#include "survey/answer.h"
#include "survey/state.h"
#include "util/log.h"

/* Takes the page language from a form field, if it names one. */
static void
set_lang(struct req *rq, const char *v)
{
	enum def_lang lang;

	if (v != NULL && def_lang_parse(v, &lang) == GH_OK)
		rq->lang = lang;
}

/* Runs on the writer thread once the job's batch is durable (or failed). */
static void
job_done(struct writer_job *job)
{
	struct req *rq = job->arg;

	rq->stage = REQ_DURABLE;
	MHD_resume_connection(rq->conn);
}

static enum MHD_Result
send_result(struct req *rq)
{
	switch (rq->job.sub.result) {
	case GH_OK:
		return http_send_page(rq, PAGE_THANKS);
	case GH_ERR_SPENT:
		return http_send_page(rq, PAGE_SPENT);
	case GH_ERR_CLOSED:
		return http_send_page(rq, PAGE_CLOSED);
	case GH_ERR_NOT_FOUND:
		return http_send_page(rq, PAGE_UNKNOWN_TOKEN);
	case GH_ERR_BUSY:
		return http_send_page(rq, PAGE_BUSY);
	default:
		return http_send_page(rq, PAGE_ERROR);
	}
}

static enum MHD_Result
send_form(struct req *rq, const struct def *d, const char *token,
    const struct form *kept, const struct answer_check *chk)
{
	struct buf b = { 0 };
	unsigned int status = chk != NULL ?
	    MHD_HTTP_UNPROCESSABLE_CONTENT : MHD_HTTP_OK;

	if (page_survey(&b, d, rq->lang, token, kept, chk) != GH_OK)
		buf_free(&b);
	return http_send_html(rq, status, &b);
}

/* Seals plain and hands it to the writer; suspends the connection. */
static enum MHD_Result
submit(struct req *rq, const struct ctx_wave *w, const uint8_t *hash,
    const uint8_t *plain, size_t plain_len)
{
	rq->sealed_len = seal_len(w->def->bucket);
	if ((rq->sealed = malloc(rq->sealed_len)) == NULL ||
	    seal_answer(rq->sealed, rq->sealed_len, plain, plain_len,
	    w->def->bucket, w->pk) != GH_OK) {
		log_error("sealing an answer failed");
		return http_send_page(rq, PAGE_ERROR);
	}
	/* rq->job.sub.key was set by route_survey; hash is its lookup half. */
	(void)hash;
	rq->job.sub.wave_id = w->id;
	rq->job.sub.sealed = rq->sealed;
	rq->job.sub.sealed_len = rq->sealed_len;
	rq->job.done = job_done;
	rq->job.arg = rq;
	/* Suspend before the writer can answer, so its resume always finds
	 * a suspended connection. */
	rq->stage = REQ_WAITING;
	MHD_suspend_connection(rq->conn);
	if (writer_submit(rq->ctx->writer, &rq->job) != GH_OK) {
		rq->job.sub.result = GH_ERR_BUSY;
		rq->stage = REQ_DURABLE;
		MHD_resume_connection(rq->conn);
	}
	return MHD_YES;
}


/*
 * The one-page form posted whole (format 1, or a one-page definition
 * without state): a language switch shows it again; else it is
 * validated and submitted.
 */
static enum MHD_Result
post_whole(struct req *rq, const struct ctx_wave *w, const char *token,
    const uint8_t *hash, const char *unit, const struct form *f)
{
	struct answer_check *chk = NULL;
	uint8_t *plain = NULL;
	size_t plain_len = 0;
	enum MHD_Result ret;
	int r;

	/* A language switch shows the same answers in the other language. */
	if (form_get(f, "switch_lang") != NULL)
		return send_form(rq, w->def, token, f, NULL);
	r = answer_encode_unit(w->def, w->id, unit, f, &chk, &plain,
	    &plain_len);
	if (r == GH_ERR_INVALID)
		ret = send_form(rq, w->def, token, f, chk);
	else if (r != GH_OK)
		ret = http_send_page(rq, PAGE_ERROR);
	else
		ret = submit(rq, w, hash, plain, plain_len);
	answer_plain_free(plain, plain_len);
	answer_check_free(chk);
	return ret;
}

/* Sends the welcome page of a multi-page survey. */
static enum MHD_Result
send_welcome(struct req *rq, const struct ctx_wave *w, const char *token)
{
	struct buf b = { 0 };

	if (page_welcome(&b, w->def, rq->lang, token, w->k) != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, MHD_HTTP_OK, &b);
}

/*
 * One POST of a multi-page survey: the answers so far (answers: the
 * state's merged with this page's fields, answers to hidden questions
 * dropped) and what the definition shows given them (view).
 */
struct flow {
	struct req		*rq;
	const struct ctx_wave	*w;
	const struct def	*d;
	const char		*token;
	const uint8_t		*hash;
	const char		*unit;		/* the batch's, or "" */
	struct form		*answers;
	struct def_answer	*view;
};

static int
flow_page_is_shown(const struct flow *fl, size_t pi)
{
	return def_page_is_shown(fl->d, pi, fl->view);
}

/* Returns the first shown page after from (SIZE_MAX: before the first). */
static size_t
flow_next(const struct flow *fl, size_t from)
{
	size_t pi;

	for (pi = from == SIZE_MAX ? 0 : from + 1; pi < fl->d->n_pages; pi++)
		if (flow_page_is_shown(fl, pi))
			return pi;
	return SIZE_MAX;
}

static size_t
flow_prev(const struct flow *fl, size_t from)
{
	size_t pi;

	for (pi = from; pi-- > 0;)
		if (flow_page_is_shown(fl, pi))
			return pi;
	return SIZE_MAX;
}

/* Reads what the answers show into fl->view, dropping hidden answers. */
static int
flow_view(struct flow *fl)
{
	int r;

	answer_view_free(fl->view, fl->d->n_questions);
	fl->view = NULL;
	if ((r = answer_view(fl->d, fl->answers, &fl->view)) != GH_OK)
		return r;
	/* Hidden answers do not change what is shown (a condition on a
	 * hidden question is false), so one pass is enough; the view is
	 * read again so that it matches the answers exactly. */
	state_drop_hidden(fl->d, fl->answers, fl->view);
	answer_view_free(fl->view, fl->d->n_questions);
	fl->view = NULL;
	return answer_view(fl->d, fl->answers, &fl->view);
}

/*
 * Seals the answers for page pi and sends that page: 422 with the error
 * summary if chk is not NULL, else 200.
 */
static enum MHD_Result
flow_send(struct flow *fl, size_t pi, const struct answer_check *chk,
    enum page_notice notice)
{
	struct page_view v = { .d = fl->d, .lang = fl->rq->lang,
	    .token_text = fl->token, .page = pi, .answers = fl->view,
	    .kept = fl->answers, .chk = chk, .notice = notice };
	struct buf b = { 0 };
	char *state = NULL;
	size_t i;
	int r;

	r = state_seal(fl->rq->ctx->state_key, fl->hash, fl->w->id, pi,
	    fl->answers, &state);
	if (r != GH_OK)
		return http_send_page(fl->rq, r == GH_ERR_TOO_LARGE ?
		    PAGE_TOO_LARGE : PAGE_ERROR);
	for (i = 0; i < fl->d->n_pages; i++) {
		if (!flow_page_is_shown(fl, i) && i != pi)
			continue;
		v.total++;
		v.number += i <= pi;
	}
	v.state = state;
	v.has_back = flow_prev(fl, pi) != SIZE_MAX;
	v.is_last = flow_next(fl, pi) == SIZE_MAX;
	r = page_survey_page(&b, &v);
	free(state);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(fl->rq, PAGE_ERROR);
	}
	return http_send_html(fl->rq, chk != NULL ?
	    MHD_HTTP_UNPROCESSABLE_CONTENT : MHD_HTTP_OK, &b);
}

/*
 * Returns 1 if the answers posted on page pi show a question there that
 * the page, rendered with the answers before (kept), did not: the
 * respondent has not seen it yet.
 */
static int
flow_has_new_questions(const struct flow *fl, size_t pi,
    const struct form *kept)
{
	struct def_answer *before = NULL;
	const struct def_page *pg = &fl->d->pages[pi];
	size_t i;
	int is_new = 0;

	if (answer_view(fl->d, kept, &before) != GH_OK)
		return 0;
	for (i = pg->first; i < pg->first + pg->n && !is_new; i++)
		is_new = def_question_is_shown(fl->d, i, fl->view) &&
		    !def_question_is_shown(fl->d, i, before);
	answer_view_free(before, fl->d->n_questions);
	return is_new;
}

/* Validates everything and submits, or shows the first wrong page. */
static enum MHD_Result
flow_submit(struct flow *fl, size_t pi)
{
	struct answer_check *chk = NULL;
	uint8_t *plain = NULL;
	size_t i, plain_len = 0;
	enum MHD_Result ret;
	int r;

	r = answer_encode_unit(fl->d, fl->w->id, fl->unit, fl->answers, &chk,
	    &plain, &plain_len);
	if (r == GH_ERR_INVALID) {
		/* Pages are checked on the way, so this is rare: show the
		 * first page with a problem. */
		for (i = 0; i < chk->n_questions; i++) {
			if (chk->problem[i] != ANSWER_OK) {
				pi = fl->d->questions[i].page;
				break;
			}
		}
		ret = flow_send(fl, pi, chk, PAGE_NOTICE_NONE);
	} else if (r != GH_OK) {
		ret = http_send_page(fl->rq, PAGE_ERROR);
	} else {
		ret = submit(fl->rq, fl->w, fl->hash, plain, plain_len);
	}
	answer_plain_free(plain, plain_len);
	answer_check_free(chk);
	return ret;
}

/* Next or Send on page pi: validate it, then move on or submit. */
static enum MHD_Result
flow_forward(struct flow *fl, size_t pi, const struct form *kept,
    int is_submit)
{
	struct answer_check *chk = NULL;
	enum MHD_Result ret;
	size_t next;
	int r;

	if (flow_has_new_questions(fl, pi, kept))
		return flow_send(fl, pi, NULL, PAGE_NOTICE_MORE_QUESTIONS);
	r = answer_check_page(fl->d, pi, fl->answers, &chk);
	if (r == GH_ERR_INVALID)
		ret = flow_send(fl, pi, chk, PAGE_NOTICE_NONE);
	else if (r != GH_OK)
		ret = http_send_page(fl->rq, PAGE_ERROR);
	else if ((next = flow_next(fl, pi)) != SIZE_MAX)
		ret = flow_send(fl, next, NULL, PAGE_NOTICE_NONE);
	else if (!is_submit)
		/* Next, but this page's answers hid the pages after it:
		 * never send without the respondent pressing Send. */
		ret = flow_send(fl, pi, NULL, PAGE_NOTICE_LAST_PAGE);
	else
		ret = flow_submit(fl, pi);
	answer_check_free(chk);
	return ret;
}

/* Opens the state, merges this page's fields and acts on the button. */
static enum MHD_Result
flow_post(struct flow *fl, const struct form *f, const char *state)
{
	struct form *kept = NULL;
	const char *nav = form_get(f, "nav");
	enum MHD_Result ret;
	size_t pi = 0, to;
	int r;

	r = state_open(fl->rq->ctx->state_key, fl->hash, fl->w->id, state,
	    strlen(state), &pi, &kept);
	if (r == GH_OK && pi >= fl->d->n_pages)
		r = GH_ERR_INVALID;
	if (r != GH_OK) {
		ret = http_send_page(fl->rq, r == GH_ERR_NOMEM ? PAGE_ERROR :
		    PAGE_STATE_EXPIRED);
		goto out;
	}
	if (state_merge(fl->d, pi, kept, f, &fl->answers) != GH_OK ||
	    flow_view(fl) != GH_OK) {
		ret = http_send_page(fl->rq, PAGE_ERROR);
		goto out;
	}
	/* A language switch (or no button: Enter) shows the same page. */
	if (nav == NULL || form_get(f, "switch_lang") != NULL)
		nav = "";
	if (strcmp(nav, "back") == 0 &&
	    (to = flow_prev(fl, pi)) != SIZE_MAX)
		ret = flow_send(fl, to, NULL, PAGE_NOTICE_NONE);
	else if (strcmp(nav, "next") == 0 || strcmp(nav, "submit") == 0)
		ret = flow_forward(fl, pi, kept, strcmp(nav, "submit") == 0);
	else
		ret = flow_send(fl, pi, NULL, PAGE_NOTICE_NONE);
out:
	form_free(kept);
	return ret;
}

/* Start on the welcome page: the first shown page, no answers yet. */
static enum MHD_Result
flow_start(struct flow *fl)
{
	size_t first;

	if (state_merge(fl->d, 0, NULL, NULL, &fl->answers) != GH_OK ||
	    flow_view(fl) != GH_OK)
		return http_send_page(fl->rq, PAGE_ERROR);
	if ((first = flow_next(fl, SIZE_MAX)) == SIZE_MAX) {
		log_error("definition %s: no page is shown without answers",
		    fl->d->id);
		return http_send_page(fl->rq, PAGE_ERROR);
	}
	return flow_send(fl, first, NULL, PAGE_NOTICE_NONE);
}

static enum MHD_Result
handle_post(struct req *rq, const struct ctx_wave *w, const char *token,
    const uint8_t *hash, const char *unit)
{
	struct flow fl = { .rq = rq, .w = w, .d = w->def, .token = token,
	    .hash = hash, .unit = unit };
	struct form *f = NULL;
	const char *v, *state, *nav;
	int r, has_welcome = w->def->format >= 2;
	enum MHD_Result ret;

	if (!rq->is_form)
		return http_send_page(rq, PAGE_BAD_REQUEST);
	if ((r = form_parse(rq->body ? rq->body : "", rq->body_len, &f)) !=
	    GH_OK)
		return http_send_page(rq, r == GH_ERR_TOO_LARGE ?
		    PAGE_TOO_LARGE : PAGE_BAD_REQUEST);
	set_lang(rq, form_get(f, "lang"));
	if ((v = form_get(f, "switch_lang")) != NULL)
		set_lang(rq, v);
	state = form_get(f, "state");
	nav = form_get(f, "nav");
	if (state != NULL)
		ret = flow_post(&fl, f, state);
	else if (has_welcome && nav != NULL && strcmp(nav, "start") == 0)
		ret = flow_start(&fl);
	else if (has_welcome && v != NULL)
		ret = send_welcome(rq, w, token);
	else if (w->def->n_pages <= 1)
		ret = post_whole(rq, w, token, hash, unit, f);
	else
		ret = http_send_page(rq, PAGE_STATE_EXPIRED);
	answer_view_free(fl.view, w->def->n_questions);
	form_free(fl.answers);
	form_free(f);
	return ret;
}

enum MHD_Result
route_survey(struct req *rq, const char *token)
{
	struct store_token_key *key = &rq->job.sub.key;
	const uint8_t *hash = key->lookup;
	uint8_t tok[TOKEN_BYTES];
	char text[TOKEN_TEXT_LEN + 1], unit[DEF_MAX_UNIT + 1];
	enum store_token_state state;
	const struct ctx_wave *w;
	struct store *s;
	int64_t wave_id;
	int r;

	if (rq->stage == REQ_DURABLE)
		return send_result(rq);
	if (rq->stage == REQ_WAITING)
		return MHD_YES;	/* not resumed yet */
	if (token_from_text(tok, token, strlen(token)) != GH_OK)
		return http_send_page(rq, PAGE_UNKNOWN_TOKEN);
	token_hash(key->lookup, tok, rq->ctx->pepper);
	token_spend_hash(key->spend, tok, rq->ctx->pepper, TOKEN_SPEND_SURVEY);
	token_to_text(text, tok);
	sodium_memzero(tok, sizeof(tok));

	s = ctx_store_get(rq->ctx);
	r = store_token_lookup_unit(s, key, &state, &wave_id, unit,
	    sizeof(unit));
	ctx_store_put(rq->ctx, s);
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	if (state == STORE_TOKEN_UNKNOWN)
		return http_send_page(rq, PAGE_UNKNOWN_TOKEN);
	if (state == STORE_TOKEN_SPENT)
		return http_send_page(rq, PAGE_SPENT);
	if (state == STORE_TOKEN_CLOSED)
		return http_send_page(rq, PAGE_CLOSED);
	if ((w = ctx_wave(rq->ctx, wave_id)) == NULL)
		return http_send_page(rq, PAGE_ERROR);
	if (rq->is_post)
		return handle_post(rq, w, text, hash, unit);
	if (w->def->format >= 2)
		return send_welcome(rq, w, text);
	return send_form(rq, w->def, text, NULL, NULL);
}
