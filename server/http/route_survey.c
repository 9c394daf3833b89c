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
 *   token text -> token_from_text -> keyed hashes (lookup and spend) ->
 *   store_token_lookup_unit (a reading connection; also the batch's
 *   unit label) -> form_parse [-> state_open -> state_merge]
 *   -> answer_encode_unit (plaintext, wiped) -> seal_answer to the wave's
 *   public key -> writer_submit + suspend -> [writer: spend + insert,
 *   durable] -> job_done resumes -> thanks.
 * Reading a page never spends the token; only the writer does. A state
 * that does not open (tampered, another token, a restarted server) gives
 * PAGE_STATE_EXPIRED: nothing stored, the link still works.
 *
 * The steps of a walk under way skip the token lookup (walk_step):
 * the GET of a step, a POST of a page's state with Next, Back, Save,
 * a language switch or Send, and any request of a walk that stored its
 * answer. Send needs the unit of the link's batch, which the lookup
 * that began the walk found and the walk keeps (walks_set_unit).
 * The walk proves what the lookup would say: it began with a lookup that
 * found the link unspent (Start, or the one-page form), it is kept by
 * the link's lookup hash and its id, and the walk table knows whether
 * this process, the only one that spends, has spent the link since
 * (walks_status). What may change elsewhere, the wave closed (or its
 * links deleted, which closes it) by `gehoord wave close`, is read from
 * the wave's row (ctx_wave_is_open), at most once every
 * CTX_WAVE_OPEN_MS a wave (the console's open and close take effect at
 * once); a closed wave takes the lookup, which refuses.
 * Start from a welcome page shown less than the done walks' grace ago
 * skips it too (start_from_welcome): the page's sealed welcome state
 * (state.h) says what the lookup that showed it found, and the walk table
 * whether this process has spent the link since. Saving, a Start without
 * that state and the welcome page always take the lookup, and the writer
 * stays the authority: it spends atomically and refuses a spent link or a
 * closed wave.
 *
 * A coordinator's test link (store_test_link.h), found only when the
 * token is no respondent's, takes the same path with rq->is_test: every
 * page says it is a test and offers no saving, and the submission ends
 * in discard_test instead of the writer: nothing sealed, stored, spent
 * or counted. The walk remembers that it is a test link's
 * (walks_mark_test), for the steps that skip the lookup.
 *
 * POST, redirect, GET: a POST never answers with a form. It records what
 * to show next as a step of the respondent's walk (walk.h: the sealed
 * state, the page, its notice and problems, in memory only) and answers
 * 303 to GET /s/TOKEN?w=WALK&v=STEP, which shows that step (422 if it
 * has problems). The form posts to its own walk (action ?w=WALK). A
 * stored answer marks the walk done (job_done, on the writer thread,
 * before any later submission of the same link is answered): its GET,
 * Back to any of its pages, and the last form posted again show the
 * thank-you page, and nothing is stored twice.
 *
 * Save and continue later (route_survey_resume.c): nav=save on a page
 * records a step that asks for a phrase (303 to it, as every step), the
 * phrase page posts nav=save_phrase (or save_back) with the state, and a
 * saved phrase ends in a step showing "saved"; the welcome page of a
 * link with saved answers posts nav=resume or resume_discard. A state that does not
 * open shows the expired page with a button back to the welcome page.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/seal.h"
#include "crypto/token.h"
#include "survey/form.h"
#include "http/console_ctx.h"
#include "http/http_int.h"
#include "http/survey_resume.h"
#include "http/walk.h"
#include "pages/page.h"
#include "store/store_test_link.h"
#include "survey/answer.h"
#include "survey/state.h"
#include "util/log.h"
#include "util/util.h"

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

	if (job->sub.result == GH_OK) {
		walks_set_done(rq->ctx->walks, job->sub.key.lookup,
		    job->sub.wave_id, rq->walk_id);
		/* In memory only: written in bulk once a day (console_ctx.c),
		 * so that no stored count moves with this answer. */
		console_count_spend(rq->ctx, job->sub.wave_id, rq->unit);
	}
	rq->stage = REQ_DURABLE;
	MHD_resume_connection(rq->conn);
}

/* The language code a redirect carries. */
static const char *
lang_code(const struct req *rq)
{
	return rq->lang == DEF_EN ? "en" : "nl";
}

/* The page of a walk that is done: thanks, or a test link's end. */
static enum MHD_Result
send_done(struct req *rq)
{
	return http_send_page(rq, rq->is_test ? PAGE_TEST_DONE : PAGE_THANKS);
}

/* 303 to the walk's step seq, or to the walk itself (thanks) if 0. */
static enum MHD_Result
redirect_walk(struct req *rq, const char *token, uint32_t seq)
{
	char id[WALK_ID_TEXT + 1], loc[SURVEY_TOKEN_TEXT_MAX + WALK_ID_TEXT + 48];

	walk_id_to_text(id, rq->walk_id);
	if (seq > 0)
		snprintf(loc, sizeof(loc), "/s/%s?w=%s&v=%u&lang=%s", token,
		    id, (unsigned int)seq, lang_code(rq));
	else
		snprintf(loc, sizeof(loc), "/s/%s?w=%s&lang=%s", token, id,
		    lang_code(rq));
	return http_send_redirect(rq, loc, NULL);
}

/*
 * Records a step of the walk (a new walk if rq has none): the sealed
 * state (or NULL), what to show (view: enum walk_view), the page, its
 * notice and problems; and answers 303 to it.
 */
static enum MHD_Result
record_step(struct req *rq, int64_t wave_id, const char *token,
    const uint8_t *hash, const char *state, int view, size_t page,
    int notice, const struct answer_check *chk)
{
	uint32_t seq;

	if (walks_put(rq->ctx->walks, hash, wave_id, rq->walk_id,
	    &rq->has_walk, state, view, page, notice, chk, &seq) != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	if (rq->is_test)
		walks_mark_test(rq->ctx->walks, hash, rq->walk_id);
	if (rq->has_unit)
		walks_set_unit(rq->ctx->walks, hash, rq->walk_id, rq->unit);
	return redirect_walk(rq, token, seq);
}

/* The form's action: the link, and the walk if there is one. */
static void
walk_action(char *out, size_t size, const struct req *rq, const char *token)
{
	char id[WALK_ID_TEXT + 1];

	if (!rq->has_walk) {
		snprintf(out, size, "%s", token);
		return;
	}
	walk_id_to_text(id, rq->walk_id);
	snprintf(out, size, "%s?w=%s", token, id);
}

static enum MHD_Result
send_result(struct req *rq, const char *token)
{
	switch (rq->job.sub.result) {
	case GH_OK:
		return redirect_walk(rq, token, 0);
	case GH_ERR_SPENT:
		/* Sent twice at once: the first is this walk's. */
		if (rq->has_walk && walks_is_done(rq->ctx->walks,
		    rq->job.sub.key.lookup, rq->walk_id))
			return redirect_walk(rq, token, 0);
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

/*
 * The one-page form with kept answers and problems chk: a POST records
 * them (sealed) as a step and redirects; a GET renders it (422 if chk).
 */
static enum MHD_Result
send_form(struct req *rq, const struct ctx_wave *w, const char *token,
    const uint8_t *hash, const struct form *kept,
    const struct answer_check *chk)
{
	struct buf b = { 0 };
	char action[SURVEY_TOKEN_TEXT_MAX + WALK_ID_TEXT + 8], *state = NULL;
	unsigned int status = chk != NULL ?
	    MHD_HTTP_UNPROCESSABLE_CONTENT : MHD_HTTP_OK;
	enum MHD_Result ret;
	int r;

	if (rq->is_post) {
		r = state_seal(rq->ctx->state_key, hash, w->id, 0, kept,
		    &state);
		if (r != GH_OK)
			return http_send_page(rq, r == GH_ERR_TOO_LARGE ?
			    PAGE_TOO_LARGE : PAGE_ERROR);
		ret = record_step(rq, w->id, token, hash, state,
		    WALK_VIEW_PAGE, 0, PAGE_NOTICE_NONE, chk);
		free(state);
		return ret;
	}
	walk_action(action, sizeof(action), rq, token);
	if (page_survey_as(&b, w->def, rq->lang, action, kept, chk,
	    rq->is_test) != GH_OK)
		buf_free(&b);
	return http_send_html(rq, status, &b);
}

/*
 * A test link's answers, checked and encoded like any: nothing is
 * sealed, stored or counted (the caller wipes the plaintext). The walk
 * is marked done, so that its pages show the test's end page.
 */
static enum MHD_Result
discard_test(struct req *rq, const struct ctx_wave *w, const char *token,
    const uint8_t *hash)
{
	uint32_t seq;

	if (walks_put(rq->ctx->walks, hash, w->id, rq->walk_id,
	    &rq->has_walk, NULL, WALK_VIEW_PAGE, 0, PAGE_NOTICE_NONE, NULL,
	    &seq) != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	walks_mark_test(rq->ctx->walks, hash, rq->walk_id);
	walks_set_done(rq->ctx->walks, hash, w->id, rq->walk_id);
	return redirect_walk(rq, token, 0);
}

/*
 * Seals plain and hands it to the writer; suspends the connection. The
 * link's unit stays with the request, to be counted once durable. A
 * test link's answers go no further than discard_test.
 */
static enum MHD_Result
submit(struct req *rq, const struct ctx_wave *w, const char *token,
    const uint8_t *hash, const char *unit, const uint8_t *plain,
    size_t plain_len)
{
	uint32_t seq;

	if (rq->is_test)
		return discard_test(rq, w, token, hash);

	snprintf(rq->unit, sizeof(rq->unit), "%s", unit != NULL ? unit : "");
	rq->sealed_len = seal_len(w->def->bucket);
	if ((rq->sealed = malloc(rq->sealed_len)) == NULL ||
	    seal_answer(rq->sealed, rq->sealed_len, plain, plain_len,
	    w->def->bucket, w->pk) != GH_OK) {
		log_error("sealing an answer failed");
		return http_send_page(rq, PAGE_ERROR);
	}
	/* The walk that job_done marks done (rq->job.sub.key was set by
	 * route_survey; hash is its lookup half). */
	if (walks_put(rq->ctx->walks, hash, w->id, rq->walk_id,
	    &rq->has_walk, NULL, WALK_VIEW_PAGE, 0, PAGE_NOTICE_NONE, NULL,
	    &seq) != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
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
		return send_form(rq, w, token, hash, f, NULL);
	r = answer_encode_unit(w->def, w->id, unit, f, &chk, &plain,
	    &plain_len);
	if (r == GH_ERR_INVALID)
		ret = send_form(rq, w, token, hash, f, chk);
	else if (r != GH_OK)
		ret = http_send_page(rq, PAGE_ERROR);
	else
		ret = submit(rq, w, token, hash, unit, plain, plain_len);
	answer_plain_free(plain, plain_len);
	answer_check_free(chk);
	return ret;
}

/*
 * Sends the welcome page of a multi-page survey (unit: the link's), its
 * form with the welcome state of what the lookup found, for its Start
 * (start_from_welcome); a test link's without (its Start takes the
 * lookup, which finds the test link).
 */
static enum MHD_Result
send_welcome(struct req *rq, const struct ctx_wave *w, const char *token,
    const uint8_t *hash, const char *unit)
{
	struct buf b = { 0 };
	enum MHD_Result ret;
	char *state = NULL;
	int is_sent, r;

	/* Saved answers: the welcome page offers to continue with them (a
	 * test link saves none). */
	if (!rq->is_test) {
		ret = survey_resume_welcome(rq, w, token, unit, &is_sent);
		if (is_sent)
			return ret;
	}
	/* Without it (out of memory), Start takes the lookup. */
	if (!rq->is_test && state_welcome_seal(rq->ctx->state_key, hash,
	    w->id, unit, gh_now_ms(), &state) != GH_OK)
		state = NULL;
	r = page_welcome(&b, w->def, rq->lang, token, w->k, unit,
	    rq->is_test, state);
	free(state);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, MHD_HTTP_OK, &b);
}

/* 303 to the welcome page in the request's language. */
static enum MHD_Result
redirect_welcome(struct req *rq, const char *token)
{
	char loc[SURVEY_TOKEN_TEXT_MAX + 16];

	snprintf(loc, sizeof(loc), "/s/%s?lang=%s", token, lang_code(rq));
	return http_send_redirect(rq, loc, NULL);
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
	/* The walk's sealed state of these answers for page sealed_page
	 * (get_step), which a GET of that page shows as it is: sealing
	 * the same answers again would only change the nonce. Or NULL. */
	const char		*sealed;
	size_t			 sealed_page;
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

/*
 * Progress on page pi: *number counts the pages shown up to pi, *total
 * adds the pages after it that can still be shown: those shown given the
 * answers so far, and those hidden by a condition that later answers may
 * still meet. So the total never grows as the respondent goes on (it
 * shrinks when answers leave pages out) and the fraction only grows; on
 * the last page (Send) it is the number.
 */
static void
flow_progress(const struct flow *fl, size_t pi, int is_last, size_t *number,
    size_t *total)
{
	size_t i;

	*number = *total = 0;
	for (i = 0; i < fl->d->n_pages; i++) {
		if (i <= pi) {
			*number += i == pi || flow_page_is_shown(fl, i);
			continue;
		}
		if (is_last)
			break;
		*total += flow_page_is_shown(fl, i) ||
		    fl->d->pages[i].show_if != NULL;
	}
	*total += *number;
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
 * Seals the answers for page pi, then on a POST records them as the
 * walk's next step and redirects to it; on a GET renders page pi: 422
 * with the error summary if chk is not NULL, else 200.
 */
static enum MHD_Result
flow_send(struct flow *fl, size_t pi, const struct answer_check *chk,
    enum page_notice notice)
{
	char action[SURVEY_TOKEN_TEXT_MAX + WALK_ID_TEXT + 8];
	struct page_view v = { .d = fl->d, .lang = fl->rq->lang,
	    .token_text = action, .page = pi, .answers = fl->view,
	    .kept = fl->answers, .chk = chk, .notice = notice,
	    .is_test = fl->rq->is_test };
	struct buf b = { 0 };
	enum MHD_Result ret;
	char *state = NULL;
	int r;

	if (!fl->rq->is_post && fl->sealed != NULL && pi == fl->sealed_page)
		r = (state = strdup(fl->sealed)) != NULL ? GH_OK :
		    GH_ERR_NOMEM;
	else
		r = state_seal(fl->rq->ctx->state_key, fl->hash, fl->w->id,
		    pi, fl->answers, &state);
	if (r != GH_OK)
		return http_send_page(fl->rq, r == GH_ERR_TOO_LARGE ?
		    PAGE_TOO_LARGE : PAGE_ERROR);
	if (fl->rq->is_post) {
		ret = record_step(fl->rq, fl->w->id, fl->token, fl->hash,
		    state, WALK_VIEW_PAGE, pi, notice, chk);
		free(state);
		return ret;
	}
	walk_action(action, sizeof(action), fl->rq, fl->token);
	v.state = state;
	v.has_back = flow_prev(fl, pi) != SIZE_MAX;
	v.is_last = flow_next(fl, pi) == SIZE_MAX;
	flow_progress(fl, pi, v.is_last, &v.number, &v.total);
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
 * respondent has not seen it yet. With is_live (the page's script ran:
 * web/followup.js) a live question was seen as soon as it applied.
 */
static int
flow_has_new_questions(const struct flow *fl, size_t pi,
    const struct form *kept, int is_live)
{
	struct def_answer *before = NULL;
	const struct def_page *pg = &fl->d->pages[pi];
	size_t i;
	int is_new = 0;

	if (answer_view(fl->d, kept, &before) != GH_OK)
		return 0;
	for (i = pg->first; i < pg->first + pg->n && !is_new; i++)
		is_new = def_question_is_shown(fl->d, i, fl->view) &&
		    !def_question_is_shown(fl->d, i, before) &&
		    !(is_live && def_question_is_live(fl->d, i));
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

	/* The unit comes from this request's lookup or the walk's
	 * (walk_step); a walk that kept none took the lookup. */
	if (fl->unit == NULL)
		return http_send_page(fl->rq, PAGE_ERROR);
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
		ret = submit(fl->rq, fl->w, fl->token, fl->hash, fl->unit,
		    plain, plain_len);
	}
	answer_plain_free(plain, plain_len);
	answer_check_free(chk);
	return ret;
}

/* Next or Send on page pi: validate it, then move on or submit. */
static enum MHD_Result
flow_forward(struct flow *fl, size_t pi, const struct form *kept,
    int is_submit, int is_live)
{
	struct answer_check *chk = NULL;
	enum MHD_Result ret;
	size_t next;
	int r;

	if (flow_has_new_questions(fl, pi, kept, is_live))
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

/*
 * "Save and continue later" on page pi: a step of the walk that asks for
 * a phrase (its GET: survey_resume_ask), with the answers sealed.
 */
static enum MHD_Result
flow_ask(struct flow *fl, size_t pi)
{
	enum MHD_Result ret;
	char *state = NULL;
	int r;

	r = state_seal(fl->rq->ctx->state_key, fl->hash, fl->w->id, pi,
	    fl->answers, &state);
	if (r != GH_OK)
		return http_send_page(fl->rq, r == GH_ERR_TOO_LARGE ?
		    PAGE_TOO_LARGE : PAGE_ERROR);
	ret = record_step(fl->rq, fl->w->id, fl->token, fl->hash, state,
	    WALK_VIEW_RESUME_ASK, pi, PAGE_NOTICE_NONE, NULL);
	free(state);
	return ret;
}

/*
 * The phrase page posted: save the kept answers of page pi (taking
 * *kept over), or go back to that page with them.
 */
static enum MHD_Result
flow_saving(struct flow *fl, const struct form *f, const char *state,
    size_t pi, struct form **kept)
{
	char action[SURVEY_TOKEN_TEXT_MAX + WALK_ID_TEXT + 8];

	if (strcmp(form_get(f, "nav"), "save_phrase") == 0) {
		walk_action(action, sizeof(action), fl->rq, fl->token);
		return survey_resume_save(fl->rq, fl->w, fl->token, action,
		    pi, kept, f, state);
	}
	fl->answers = *kept;
	*kept = NULL;
	if (flow_view(fl) != GH_OK)
		return http_send_page(fl->rq, PAGE_ERROR);
	return flow_send(fl, pi, NULL, PAGE_NOTICE_NONE);
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
		ret = r == GH_ERR_NOMEM ? http_send_page(fl->rq, PAGE_ERROR) :
		    survey_resume_expired(fl->rq, fl->token);
		goto out;
	}
	/* A test link saves nothing: its pages offer no saving, and a
	 * save posted anyway shows the same page. */
	if (fl->rq->is_test && nav != NULL && strncmp(nav, "save", 4) == 0)
		nav = NULL;
	/* The phrase page carries the kept answers, and no fields of its
	 * own to merge. */
	if (nav != NULL && (strcmp(nav, "save_phrase") == 0 ||
	    strcmp(nav, "save_back") == 0)) {
		ret = flow_saving(fl, f, state, pi, &kept);
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
	if (strcmp(nav, "save") == 0)
		ret = flow_ask(fl, pi);
	else if (strcmp(nav, "back") == 0 &&
	    (to = flow_prev(fl, pi)) != SIZE_MAX)
		ret = flow_send(fl, to, NULL, PAGE_NOTICE_NONE);
	else if (strcmp(nav, "next") == 0 || strcmp(nav, "submit") == 0)
		ret = flow_forward(fl, pi, kept, strcmp(nav, "submit") == 0,
		    form_get(f, "followup") != NULL);
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

/* A POST (f: its form if walk_step parsed it, taken over; else NULL). */
static enum MHD_Result
handle_post(struct req *rq, const struct ctx_wave *w, const char *token,
    const uint8_t *hash, const char *unit, struct form *f)
{
	struct flow fl = { .rq = rq, .w = w, .d = w->def, .token = token,
	    .hash = hash, .unit = unit };
	const char *v, *state, *nav;
	int r, has_welcome = w->def->format >= 2;
	enum MHD_Result ret;

	if (!rq->is_form) {
		form_free(f);
		return http_send_page(rq, PAGE_BAD_REQUEST);
	}
	if (f == NULL && (r = form_parse(rq->body ? rq->body : "",
	    rq->body_len, &f)) != GH_OK)
		return http_send_page(rq, r == GH_ERR_TOO_LARGE ?
		    PAGE_TOO_LARGE : PAGE_BAD_REQUEST);
	set_lang(rq, form_get(f, "lang"));
	if ((v = form_get(f, "switch_lang")) != NULL)
		set_lang(rq, v);
	state = form_get(f, "state");
	nav = form_get(f, "nav");
	if (rq->is_test && nav != NULL && strncmp(nav, "resume", 6) == 0)
		nav = NULL;	/* a test link has no saved answers */
	if (state != NULL)
		ret = flow_post(&fl, f, state);
	else if (has_welcome && nav != NULL && strcmp(nav, "resume") == 0)
		ret = survey_resume_continue(rq, w, token, unit, f);
	else if (has_welcome && nav != NULL &&
	    strcmp(nav, "resume_discard") == 0)
		ret = survey_resume_discard(rq, token);
	else if (has_welcome && nav != NULL && strcmp(nav, "start") == 0)
		ret = flow_start(&fl);
	else if (has_welcome && v != NULL)
		ret = redirect_welcome(rq, token);
	else if (w->def->n_pages <= 1)
		ret = post_whole(rq, w, token, hash, unit, f);
	else
		ret = survey_resume_expired(rq, token);
	answer_view_free(fl.view, w->def->n_questions);
	form_free(fl.answers);
	form_free(f);
	return ret;
}

/*
 * A walk sent but not stored (busy) starts again: its welcome page or
 * form, or, when this request skipped the lookup (unit NULL), a 303 to
 * the link, whose GET makes it.
 */
static enum MHD_Result
restart_walk(struct req *rq, const struct ctx_wave *w, const char *token,
    const uint8_t *hash, const char *unit)
{
	rq->has_walk = 0;
	if (unit == NULL)
		return redirect_welcome(rq, token);
	if (w->def->format >= 2)
		return send_welcome(rq, w, token, hash, unit);
	return send_form(rq, w, token, hash, NULL, NULL);
}

/*
 * GET of a walk's step: its page with the walk's latest answers (the
 * step's problems and notice only if it is the latest step). unit is
 * NULL if the step skipped the lookup (walk_step).
 */
static enum MHD_Result
get_step(struct req *rq, const struct ctx_wave *w, const char *token,
    const uint8_t *hash, const char *unit)
{
	struct flow fl = { .rq = rq, .w = w, .d = w->def, .token = token,
	    .hash = hash };
	struct walk_step step;
	const char *v = MHD_lookup_connection_value(rq->conn,
	    MHD_GET_ARGUMENT_KIND, "v");
	struct form *kept = NULL;
	char *state = NULL, action[SURVEY_TOKEN_TEXT_MAX + WALK_ID_TEXT + 8];
	size_t n, pi = 0;
	enum MHD_Result ret;
	int r, is_done;

	r = walks_get(rq->ctx->walks, hash, rq->walk_id,
	    v != NULL ? (uint32_t)strtoul(v, NULL, 10) : 0, &state, &step,
	    &is_done);
	if (r == GH_ERR_NOT_FOUND)
		return survey_resume_expired(rq, token);
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	if (is_done) {
		ret = send_done(rq);
		goto out;
	}
	if (state == NULL) {
		ret = restart_walk(rq, w, token, hash, unit);
		goto out;
	}
	r = state_open(rq->ctx->state_key, hash, w->id, state, strlen(state),
	    &pi, &kept);
	if (r == GH_OK && w->def->format >= 2 && pi >= w->def->n_pages)
		r = GH_ERR_INVALID;
	if (r != GH_OK) {
		ret = r == GH_ERR_NOMEM ? http_send_page(rq, PAGE_ERROR) :
		    survey_resume_expired(rq, token);
		goto out;
	}
	/* The pages of "save and continue later": the phrase form posts
	 * the walk's latest state. */
	if (step.view == WALK_VIEW_RESUME_ASK) {
		walk_action(action, sizeof(action), rq, token);
		ret = survey_resume_ask(rq, w, action, state);
		goto out;
	}
	if (step.view == WALK_VIEW_RESUME_SAVED) {
		ret = survey_resume_saved(rq, w);
		goto out;
	}
	if (w->def->format < 2) {
		ret = send_form(rq, w, token, hash, kept, step.chk);
		goto out;
	}
	fl.answers = kept;
	kept = NULL;
	n = fl.answers->n;
	if (flow_view(&fl) != GH_OK) {
		ret = http_send_page(rq, PAGE_ERROR);
		goto out;
	}
	/* The state as sealed, unless the view dropped hidden answers. */
	if (fl.answers->n == n) {
		fl.sealed = state;
		fl.sealed_page = pi;
	}
	/* A page that the latest answers hide shows as the latest page. */
	if (step.page >= w->def->n_pages || !flow_page_is_shown(&fl, step.page))
		step.page = pi;
	ret = flow_send(&fl, step.page, step.chk,
	    (enum page_notice)step.notice);
out:
	answer_view_free(fl.view, w->def->n_questions);
	form_free(fl.answers);
	form_free(kept);
	answer_check_free(step.chk);
	free(state);
	return ret;
}

/* A spent link: the thank-you page for the walk that sent it. */
static enum MHD_Result
send_spent(struct req *rq, const char *token, const uint8_t *hash)
{
	if (!rq->has_walk || !walks_is_done(rq->ctx->walks, hash, rq->walk_id))
		return http_send_page(rq, PAGE_SPENT);
	return rq->is_post ? redirect_walk(rq, token, 0) : send_done(rq);
}

/*
 * Looks the link of key up (its state, wave and batch's unit); a link
 * that is no respondent's may be a coordinator's test link
 * (rq->is_test), which works in every state of its wave and is never
 * spent.
 */
static int
lookup_link(struct req *rq, const struct store_token_key *key,
    enum store_token_state *state, int64_t *wave_id, char *unit,
    size_t unitsz)
{
	struct store *s = ctx_store_get(rq->ctx);
	int r;

	r = store_token_lookup_unit(s, key, state, wave_id, unit, unitsz);
	if (r == GH_OK && *state == STORE_TOKEN_UNKNOWN &&
	    key->invite_batch == 0) {
		r = store_test_link_lookup(s, key->lookup, wave_id);
		if (r == GH_OK) {
			rq->is_test = 1;
			*state = STORE_TOKEN_FRESH;
		} else if (r == GH_ERR_NOT_FOUND)
			r = GH_OK;
	}
	ctx_store_put(rq->ctx, s);
	return r;
}

/*
 * The link's state from the store's token lookup, then the page (f: a
 * POST's form if already parsed, taken over; else NULL).
 */
static enum MHD_Result
route_looked_up(struct req *rq, const char *token, const uint8_t *hash,
    struct form *f)
{
	char unit[DEF_MAX_UNIT + 1];
	enum store_token_state state;
	const struct ctx_wave *w;
	int64_t wave_id;
	int r;

	r = lookup_link(rq, &rq->job.sub.key, &state, &wave_id, unit,
	    sizeof(unit));
	if (r != GH_OK || state != STORE_TOKEN_FRESH ||
	    (w = ctx_wave(rq->ctx, wave_id)) == NULL) {
		form_free(f);
		if (r != GH_OK)
			return http_send_page(rq, PAGE_ERROR);
		if (state == STORE_TOKEN_UNKNOWN)
			return http_send_page(rq, PAGE_UNKNOWN_TOKEN);
		if (state == STORE_TOKEN_SPENT)
			return send_spent(rq, token, hash);
		if (state == STORE_TOKEN_CLOSED)
			return http_send_page(rq, PAGE_CLOSED);
		return http_send_page(rq, PAGE_ERROR);
	}
	/* Kept with the walk a step records (record_step), for its Send. */
	memcpy(rq->unit, unit, sizeof(rq->unit));
	rq->has_unit = 1;
	if (rq->is_post)
		return handle_post(rq, w, token, hash, unit, f);
	form_free(f);
	if (rq->has_walk)
		return get_step(rq, w, token, hash, unit);
	if (w->def->format >= 2)
		return send_welcome(rq, w, token, hash, unit);
	return send_form(rq, w, token, hash, NULL, NULL);
}

/*
 * Returns 1 if a POST's form carries a page state and a button that
 * neither saves nor starts (see walk_step): Send too if the walk kept
 * the unit its lookup found (has_unit).
 */
static int
is_step_post(const struct form *f, int has_unit)
{
	const char *nav = form_get(f, "nav");

	return form_get(f, "state") != NULL && (nav == NULL ||
	    strcmp(nav, "next") == 0 || strcmp(nav, "back") == 0 ||
	    strcmp(nav, "save") == 0 || strcmp(nav, "save_back") == 0 ||
	    (has_unit && strcmp(nav, "submit") == 0));
}

/*
 * A request of a walk under way, or of a walk that stored its answer,
 * answered without the token lookup if the walk proves what the lookup
 * would say (the file's comment); else route_looked_up.
 */
static enum MHD_Result
walk_step(struct req *rq, const char *token, const uint8_t *hash)
{
	const struct ctx_wave *w;
	struct walk_info info;
	struct form *f = NULL;
	enum walk_status st;
	int is_open = 0;

	st = walks_status(rq->ctx->walks, hash, rq->walk_id, &info);
	rq->is_test = info.is_test;
	if (st == WALK_UNKNOWN)
		return route_looked_up(rq, token, hash, NULL);
	/* The form is parsed once, here or by handle_post. */
	if (st == WALK_LIVE && rq->is_post && (!rq->is_form ||
	    form_parse(rq->body ? rq->body : "", rq->body_len, &f) != GH_OK ||
	    !is_step_post(f, info.has_unit)))
		return route_looked_up(rq, token, hash, f);
	if ((w = ctx_wave(rq->ctx, info.wave_id)) == NULL ||
	    ctx_wave_is_open(rq->ctx, w, &is_open) != GH_OK || !is_open)
		return route_looked_up(rq, token, hash, f);
	/* Stored: the lookup would find the link spent, by this walk. */
	if (st == WALK_DONE)
		return send_spent(rq, token, hash);
	if (rq->is_post)
		return handle_post(rq, w, token, hash,
		    info.has_unit ? info.unit : NULL, f);
	return get_step(rq, w, token, hash, NULL);
}

/*
 * A Start posted from a welcome page this process showed at most
 * WALK_DONE_GRACE_MS ago, answered without the token lookup: the page's
 * welcome state says what the lookup that showed it found (the link
 * unspent, its wave and unit), the wave is read as for a walk's step
 * (ctx_wave_is_open), and the walk table says whether this process, the
 * only one that spends, has spent the link since: a walk that stored its
 * answer stays there at least that long, unless a table full of others
 * pushed it out, and then the writer still refuses the Send. Any other
 * POST without a walk, or a welcome state that does not open (another
 * link's, older, a restarted server), takes the lookup.
 */
static enum MHD_Result
start_from_welcome(struct req *rq, const char *token, const uint8_t *hash)
{
	char unit[DEF_MAX_UNIT + 1];
	const struct ctx_wave *w;
	struct form *f = NULL;
	const char *nav, *ws;
	int64_t wave_id;
	int is_open = 0;

	if (!rq->is_form || form_parse(rq->body ? rq->body : "",
	    rq->body_len, &f) != GH_OK)
		return route_looked_up(rq, token, hash, f);
	nav = form_get(f, "nav");
	ws = form_get(f, "welcome");
	if (nav == NULL || strcmp(nav, "start") != 0 || ws == NULL ||
	    form_get(f, "state") != NULL ||
	    state_welcome_open(rq->ctx->state_key, hash, ws, strlen(ws),
	    gh_now_ms(), WALK_DONE_GRACE_MS, &wave_id, unit,
	    sizeof(unit)) != GH_OK ||
	    (w = ctx_wave(rq->ctx, wave_id)) == NULL ||
	    w->def->format < 2 ||
	    ctx_wave_is_open(rq->ctx, w, &is_open) != GH_OK || !is_open ||
	    walks_link_is_spent(rq->ctx->walks, hash))
		return route_looked_up(rq, token, hash, f);
	memcpy(rq->unit, unit, sizeof(rq->unit));
	rq->has_unit = 1;
	return handle_post(rq, w, token, hash, rq->unit, f);
}

enum MHD_Result
route_survey(struct req *rq, const char *token)
{
	struct store_token_key *key = &rq->job.sub.key;
	const uint8_t *hash = key->lookup;
	uint8_t tok[TOKEN_BYTES];
	char text[SURVEY_TOKEN_TEXT_MAX + 1];
	const char *walk;
	int r;

	if (rq->stage == REQ_WAITING)
		return MHD_YES;	/* not resumed yet */
	if (token_from_text(tok, token, strlen(token)) != GH_OK) {
		/* A token made from an invitation (route_invite.c)? */
		r = invite_token_key(rq, token, key, rq->job.sub.resume, text,
		    sizeof(text));
		if (r == GH_ERR_INVALID || r == GH_ERR_NOT_FOUND)
			return http_send_page(rq, PAGE_UNKNOWN_TOKEN);
		if (r != GH_OK)
			return http_send_page(rq, PAGE_ERROR);
		if (rq->stage == REQ_DURABLE)
			return send_result(rq, text);
	} else {
		token_to_text(text, tok);
		if (rq->stage == REQ_DURABLE) {
			sodium_memzero(tok, sizeof(tok));
			return send_result(rq, text);
		}
		token_hash(key->lookup, tok, rq->ctx->pepper);
		token_spend_hash(key->spend, tok, rq->ctx->pepper,
		    TOKEN_SPEND_SURVEY);
		token_spend_hash(rq->job.sub.resume, tok, rq->ctx->pepper,
		    TOKEN_SPEND_RESUME);
		sodium_memzero(tok, sizeof(tok));
	}
	walk = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND,
	    "w");
	rq->has_walk = walk != NULL &&
	    walk_id_from_text(rq->walk_id, walk) == GH_OK;
	if (rq->has_walk)
		return walk_step(rq, text, hash);
	if (rq->is_post)
		return start_from_welcome(rq, text, hash);
	return route_looked_up(rq, text, hash, NULL);
}
