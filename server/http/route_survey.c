/*
 * route_survey.c: the respondent's path, GET and POST /s/TOKEN.
 *
 * Entry point: route_survey. Data path of a submission:
 *   token text -> token_from_text -> keyed hash -> store_token_lookup
 *   (a reading connection) -> form_parse -> answer_encode (plaintext, wiped)
 *   -> seal_answer to the wave's public key -> writer_submit + suspend
 *   -> [writer: spend + insert, durable] -> job_done resumes -> thanks.
 * Reading the page never spends the token; only the writer does.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/seal.h"
#include "crypto/token.h"
#include "http/form.h"
#include "http/http_int.h"
#include "pages/page.h"
#include "survey/answer.h"
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
	memcpy(rq->job.sub.token_hash, hash, TOKEN_HASH_BYTES);
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

static enum MHD_Result
handle_post(struct req *rq, const struct ctx_wave *w, const char *token,
    const uint8_t *hash)
{
	struct form *f = NULL;
	struct answer_check *chk = NULL;
	uint8_t *plain = NULL;
	size_t plain_len = 0;
	const char *v;
	enum MHD_Result ret;
	int r;

	if (!rq->is_form)
		return http_send_page(rq, PAGE_BAD_REQUEST);
	if ((r = form_parse(rq->body ? rq->body : "", rq->body_len, &f)) !=
	    GH_OK)
		return http_send_page(rq, r == GH_ERR_TOO_LARGE ?
		    PAGE_TOO_LARGE : PAGE_BAD_REQUEST);
	set_lang(rq, form_get(f, "lang"));
	/* A language switch shows the same answers in the other language. */
	if ((v = form_get(f, "switch_lang")) != NULL) {
		set_lang(rq, v);
		ret = send_form(rq, w->def, token, f, NULL);
		goto out;
	}
	r = answer_encode(w->def, w->id, f, &chk, &plain, &plain_len);
	if (r == GH_ERR_INVALID)
		ret = send_form(rq, w->def, token, f, chk);
	else if (r != GH_OK)
		ret = http_send_page(rq, PAGE_ERROR);
	else
		ret = submit(rq, w, hash, plain, plain_len);
out:
	answer_plain_free(plain, plain_len);
	answer_check_free(chk);
	form_free(f);
	return ret;
}

enum MHD_Result
route_survey(struct req *rq, const char *token)
{
	uint8_t tok[TOKEN_BYTES], hash[TOKEN_HASH_BYTES];
	char text[TOKEN_TEXT_LEN + 1];
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
	token_hash(hash, tok, rq->ctx->pepper);
	token_to_text(text, tok);
	sodium_memzero(tok, sizeof(tok));

	s = ctx_store_get(rq->ctx);
	r = store_token_lookup(s, hash, &state, &wave_id);
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
		return handle_post(rq, w, text, hash);
	return send_form(rq, w->def, text, NULL, NULL);
}
