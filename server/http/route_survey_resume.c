/*
 * route_survey_resume.c: "save and continue later" (survey_resume.h).
 *
 * Entry points, all from route_survey.c: survey_resume_ask and
 * survey_resume_saved (the GETs of the walk's steps that nav=save and a
 * saved phrase redirect to), survey_resume_save (the phrase posted),
 * survey_resume_welcome
 * (GET of the link without a walk), survey_resume_continue and
 * survey_resume_discard (the welcome page's forms), survey_resume_expired.
 * Data path of a save:
 *   phrase (trimmed, checked for strength and match, on the request
 *   thread) -> hashing worker: token text -> token -> resume_key
 *   (Argon2id, then keyed BLAKE2b with the token) -> state_plain (the
 *   page and answers as JSON) -> resume_seal -> store_resume_put under
 *   the link's resume hash (rq->job.sub.resume), durable -> a "saved"
 *   step of the walk (walks_put, the sealed state only) -> 303 to it.
 * And of a continue: ratelimit_take -> hashing worker: store_resume_get
 *   -> resume_key with the row's salt -> resume_open (a wrong phrase
 *   fails here: 422, the try stays counted) -> state_plain_parse ->
 *   state_seal under the process's key -> a new walk at the saved page
 *   -> 303 to it (the try given back).
 * Phrases, keys and plaintexts live in sodium_malloc memory and are
 * wiped on every path; nothing here logs a phrase, a token or an answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/resume.h"
#include "crypto/token.h"
#include "http/ratelimit.h"
#include "http/survey_resume.h"
#include "http/walk.h"
#include "pages/page.h"
#include "pages/page_resume.h"
#include "store/store_resume.h"
#include "survey/state.h"
#include "util/log.h"
#include "util/util.h"

/* Wrong phrases per address: a burst, then a few a minute (as receipts). */
#define RESUME_RL_BURST		10
#define RESUME_RL_PER_MIN	6

_Static_assert(RESUME_SALT_BYTES == STORE_RESUME_SALT_BYTES, "salt size");

/* What a hashing worker needs; freed (and wiped) when the request ends. */
struct resume_job {
	const struct ctx_wave	*w;
	char			 token[SURVEY_TOKEN_TEXT_MAX + 1];
	char			 unit[DEF_MAX_UNIT + 1];
	char			*phrase;	/* sodium_malloc */
	size_t			 phrase_len;
	char			*state;		/* sealed page state, or NULL */
	size_t			 page;
	struct form		*answers;	/* to save, or NULL */
};

int
survey_resume_init(struct http_ctx *c)
{
	return ratelimit_new(RESUME_RL_BURST, RESUME_RL_PER_MIN,
	    &c->resume_rl);
}

void
survey_resume_fini(struct http_ctx *c)
{
	ratelimit_free(c->resume_rl);
	c->resume_rl = NULL;
}

static void
resume_job_free(void *arg)
{
	struct resume_job *j = arg;

	if (j == NULL)
		return;
	if (j->phrase != NULL)
		sodium_free(j->phrase);
	form_free(j->answers);
	if (j->state != NULL) {
		sodium_memzero(j->state, strlen(j->state));
		free(j->state);
	}
	sodium_memzero(j->token, sizeof(j->token));
	free(j);
}

/* Returns phrase without ASCII blanks around it, its length in *len. */
static const char *
resume_trim(const char *phrase, size_t *len)
{
	size_t n;

	if (phrase == NULL)
		phrase = "";
	while (*phrase == ' ' || *phrase == '\t' || *phrase == '\r' ||
	    *phrase == '\n')
		phrase++;
	n = strlen(phrase);
	while (n > 0 && (phrase[n - 1] == ' ' || phrase[n - 1] == '\t' ||
	    phrase[n - 1] == '\r' || phrase[n - 1] == '\n'))
		n--;
	*len = n;
	return phrase;
}

/* A new job for w and token with a copy of phrase (len bytes). */
static struct resume_job *
resume_job_new(const struct ctx_wave *w, const char *token,
    const char *phrase, size_t len)
{
	struct resume_job *j;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	j->w = w;
	snprintf(j->token, sizeof(j->token), "%s", token);
	if ((j->phrase = sodium_malloc(len + 1)) == NULL) {
		free(j);
		return NULL;
	}
	memcpy(j->phrase, phrase, len);
	j->phrase[len] = '\0';
	j->phrase_len = len;
	return j;
}

/* Derives the key of the job's token and phrase with salt into key. */
static int
resume_job_key(const struct resume_job *j, uint8_t *key,
    const uint8_t salt[RESUME_SALT_BYTES])
{
	uint8_t tok[TOKEN_BYTES];
	int r;

	if ((r = token_from_text(tok, j->token, strlen(j->token))) != GH_OK)
		r = invite_token_input(j->token, tok);
	if (r == GH_OK)
		r = resume_key(key, tok, j->phrase, j->phrase_len, salt);
	sodium_memzero(tok, sizeof(tok));
	return r;
}

static enum MHD_Result
send_ask(struct req *rq, const struct ctx_wave *w, const char *action,
    const char *state, enum page_resume_problem p)
{
	struct buf b = { 0 };

	if (page_resume_ask(&b, w->def, rq->lang, action, state,
	    RESUME_PHRASE_MAX, p) != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, p == PAGE_RESUME_OK ? MHD_HTTP_OK :
	    MHD_HTTP_UNPROCESSABLE_CONTENT, &b);
}

enum MHD_Result
survey_resume_ask(struct req *rq, const struct ctx_wave *w,
    const char *action, const char *state)
{
	return send_ask(rq, w, action, state, PAGE_RESUME_OK);
}

enum MHD_Result
survey_resume_saved(struct req *rq, const struct ctx_wave *w)
{
	struct buf b = { 0 };

	if (page_resume_saved(&b, w->def, rq->lang) != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, MHD_HTTP_OK, &b);
}

/*
 * Records a step of the request's walk (a new walk if it has none)
 * showing view with the sealed state (NULL: the walk's stays) at page
 * pi, and answers 303 to it.
 */
static enum MHD_Result
resume_redirect(struct req *rq, const struct resume_job *j,
    const char *state, int view, size_t pi)
{
	char id[WALK_ID_TEXT + 1], loc[SURVEY_TOKEN_TEXT_MAX + WALK_ID_TEXT + 48];
	uint32_t seq;

	if (walks_put(rq->ctx->walks, rq->job.sub.key.lookup, j->w->id,
	    rq->walk_id, &rq->has_walk, state, view, pi, 0, NULL, &seq) !=
	    GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	walk_id_to_text(id, rq->walk_id);
	snprintf(loc, sizeof(loc), "/s/%s?w=%s&v=%u&lang=%s", j->token, id,
	    (unsigned int)seq, rq->lang == DEF_EN ? "en" : "nl");
	return http_send_redirect(rq, loc, NULL);
}

/* Seals the job's answers under key for the link's row. */
static int
resume_seal_answers(struct req *rq, const struct resume_job *j,
    const uint8_t *key, uint8_t **sealed, size_t *sealed_len)
{
	char *plain = NULL;
	size_t plain_len = 0;
	int r;

	*sealed = NULL;
	if ((r = state_plain(rq->job.sub.key.lookup, j->w->id, j->page,
	    j->answers, &plain, &plain_len)) != GH_OK)
		goto out;
	*sealed_len = resume_sealed_len(plain_len);
	r = GH_ERR_NOMEM;
	if ((*sealed = malloc(*sealed_len)) == NULL)
		goto out;
	r = resume_seal(*sealed, *sealed_len, key, rq->job.sub.resume,
	    j->w->id, (const uint8_t *)plain, plain_len);
out:
	gh_freezero(plain, plain_len + 1);	/* with its NUL */
	if (r != GH_OK) {
		free(*sealed);
		*sealed = NULL;
	}
	return r;
}

/* On a hashing worker: derive, seal, store durably, redirect to "saved". */
static enum MHD_Result
save_run(struct req *rq)
{
	struct resume_job *j = rq->pw_state;
	uint8_t salt[RESUME_SALT_BYTES], *key, *sealed = NULL;
	size_t sealed_len = 0;
	struct store *s;
	int r = GH_ERR_NOMEM;

	randombytes_buf(salt, sizeof(salt));
	if ((key = sodium_malloc(RESUME_KEY_BYTES)) == NULL ||
	    (r = resume_job_key(j, key, salt)) != GH_OK ||
	    (r = resume_seal_answers(rq, j, key, &sealed, &sealed_len)) !=
	    GH_OK)
		goto out;
	s = ctx_store_get(rq->ctx);
	r = store_resume_put(s, rq->job.sub.resume, j->w->id, salt, sealed,
	    sealed_len);
	ctx_store_put(rq->ctx, s);
out:
	if (key != NULL)
		sodium_free(key);
	free(sealed);
	if (r != GH_OK) {
		log_error("saving unfinished answers failed: %s",
		    gh_err_str(r));
		return http_send_page(rq, r == GH_ERR_TOO_LARGE ?
		    PAGE_TOO_LARGE : PAGE_ERROR);
	}
	/* The walk keeps the state: Back from "saved" finds the answers. */
	return resume_redirect(rq, j, j->state, WALK_VIEW_RESUME_SAVED,
	    j->page);
}

enum MHD_Result
survey_resume_save(struct req *rq, const struct ctx_wave *w,
    const char *token, const char *action, size_t pi,
    struct form **kept, const struct form *f, const char *state)
{
	const char *phrase, *again;
	size_t len, again_len;
	struct resume_job *j;
	int r;

	phrase = resume_trim(form_get(f, "phrase"), &len);
	again = resume_trim(form_get(f, "phrase2"), &again_len);
	r = resume_phrase_check(phrase, len);
	if (r == GH_ERR_TOO_LARGE)
		return send_ask(rq, w, action, state, PAGE_RESUME_TOO_LONG);
	if (r != GH_OK)
		return send_ask(rq, w, action, state, PAGE_RESUME_WEAK);
	if (len != again_len || sodium_memcmp(phrase, again, len) != 0)
		return send_ask(rq, w, action, state, PAGE_RESUME_MISMATCH);
	if ((j = resume_job_new(w, token, phrase, len)) == NULL)
		return http_send_page(rq, PAGE_ERROR);
	j->page = pi;
	if ((j->state = strdup(state)) == NULL) {
		resume_job_free(j);
		return http_send_page(rq, PAGE_ERROR);
	}
	j->answers = *kept;
	*kept = NULL;
	if (http_defer(rq, save_run, j, resume_job_free) == GH_OK)
		return MHD_YES;
	return http_send_page(rq, PAGE_BUSY);
}

/* The welcome page with the continue form and problem p, with status. */
static enum MHD_Result
send_welcome_resume(struct req *rq, const struct ctx_wave *w,
    const char *token, const char *unit, enum page_resume_problem p,
    unsigned int status)
{
	struct buf b = { 0 };

	if (page_welcome_resume(&b, w->def, rq->lang, token, w->k, unit,
	    RESUME_PHRASE_MAX, p) != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, status, &b);
}

enum MHD_Result
survey_resume_welcome(struct req *rq, const struct ctx_wave *w,
    const char *token, const char *unit, int *is_sent)
{
	struct store *s;
	int has = 0, r;

	*is_sent = 0;
	s = ctx_store_get(rq->ctx);
	r = store_resume_has(s, rq->job.sub.resume, &has);
	ctx_store_put(rq->ctx, s);
	if (r != GH_OK || !has)
		return MHD_YES;
	*is_sent = 1;
	return send_welcome_resume(rq, w, token, unit, PAGE_RESUME_OK,
	    MHD_HTTP_OK);
}

/* 303 to the welcome page of the link in the request's language. */
static enum MHD_Result
redirect_welcome(struct req *rq, const char *token)
{
	char loc[SURVEY_TOKEN_TEXT_MAX + 16];

	snprintf(loc, sizeof(loc), "/s/%s?lang=%s", token,
	    rq->lang == DEF_EN ? "en" : "nl");
	return http_send_redirect(rq, loc, NULL);
}

/* A new walk at page pi with answers, and 303 to it. */
static enum MHD_Result
resume_walk(struct req *rq, const struct resume_job *j, size_t pi,
    const struct form *answers)
{
	enum MHD_Result ret;
	char *state = NULL;

	rq->has_walk = 0;
	if (state_seal(rq->ctx->state_key, rq->job.sub.key.lookup, j->w->id,
	    pi, answers, &state) != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	ret = resume_redirect(rq, j, state, WALK_VIEW_PAGE, pi);
	free(state);
	return ret;
}

/* Opens the saved answers with the job's phrase; GH_ERR_CRYPTO if wrong. */
static int
resume_load(struct req *rq, const struct resume_job *j, size_t *pi,
    struct form **answers)
{
	uint8_t salt[RESUME_SALT_BYTES], *key = NULL, *sealed = NULL,
	    *plain = NULL;
	size_t sealed_len = 0, plain_len = 0;
	int64_t wave_id = 0;
	struct store *s;
	int r;

	*answers = NULL;
	s = ctx_store_get(rq->ctx);
	r = store_resume_get(s, rq->job.sub.resume, &wave_id, salt, &sealed,
	    &sealed_len);
	ctx_store_put(rq->ctx, s);
	if (r == GH_OK && wave_id != j->w->id)
		r = GH_ERR_NOT_FOUND;
	if (r != GH_OK)
		goto out;
	if ((key = sodium_malloc(RESUME_KEY_BYTES)) == NULL) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	if ((r = resume_job_key(j, key, salt)) != GH_OK ||
	    (r = resume_open(&plain, &plain_len, key, rq->job.sub.resume,
	    wave_id, sealed, sealed_len)) != GH_OK)
		goto out;
	r = state_plain_parse((const char *)plain, plain_len,
	    rq->job.sub.key.lookup, wave_id, pi, answers);
	if (r == GH_OK && *pi >= j->w->def->n_pages) {
		form_free(*answers);
		*answers = NULL;
		r = GH_ERR_INVALID;
	}
out:
	if (key != NULL)
		sodium_free(key);
	if (plain != NULL)
		sodium_free(plain);
	free(sealed);
	return r;
}

/* On a hashing worker: open the saved answers and walk on from them. */
static enum MHD_Result
continue_run(struct req *rq)
{
	struct resume_job *j = rq->pw_state;
	struct form *answers = NULL;
	enum MHD_Result ret;
	size_t pi = 0;
	int r;

	r = resume_load(rq, j, &pi, &answers);
	if (r == GH_ERR_CRYPTO)
		return send_welcome_resume(rq, j->w, j->token, j->unit,
		    PAGE_RESUME_WRONG, MHD_HTTP_UNPROCESSABLE_CONTENT);
	/* Not a wrong guess: it does not count. */
	ratelimit_give_back(rq->ctx->resume_rl, http_peer(rq));
	if (r == GH_ERR_NOT_FOUND)
		return redirect_welcome(rq, j->token);
	if (r != GH_OK) {
		log_error("opening saved answers failed: %s", gh_err_str(r));
		return http_send_page(rq, PAGE_ERROR);
	}
	ret = resume_walk(rq, j, pi, answers);
	form_free(answers);
	return ret;
}

enum MHD_Result
survey_resume_continue(struct req *rq, const struct ctx_wave *w,
    const char *token, const char *unit, const struct form *f)
{
	struct resume_job *j;
	const char *phrase;
	size_t len;

	phrase = resume_trim(form_get(f, "phrase"), &len);
	if (len == 0)
		return send_welcome_resume(rq, w, token, unit,
		    PAGE_RESUME_EMPTY, MHD_HTTP_UNPROCESSABLE_CONTENT);
	if (len > RESUME_PHRASE_MAX)
		return send_welcome_resume(rq, w, token, unit,
		    PAGE_RESUME_WRONG, MHD_HTTP_UNPROCESSABLE_CONTENT);
	if (ratelimit_take(rq->ctx->resume_rl, http_peer(rq)) != GH_OK) {
		rq->retry_after_s = 60;
		return send_welcome_resume(rq, w, token, unit,
		    PAGE_RESUME_LIMITED, MHD_HTTP_TOO_MANY_REQUESTS);
	}
	if ((j = resume_job_new(w, token, phrase, len)) == NULL) {
		ratelimit_give_back(rq->ctx->resume_rl, http_peer(rq));
		return http_send_page(rq, PAGE_ERROR);
	}
	snprintf(j->unit, sizeof(j->unit), "%s", unit);
	if (http_defer(rq, continue_run, j, resume_job_free) == GH_OK)
		return MHD_YES;
	ratelimit_give_back(rq->ctx->resume_rl, http_peer(rq));
	return http_send_page(rq, PAGE_BUSY);
}

enum MHD_Result
survey_resume_discard(struct req *rq, const char *token)
{
	struct store *s;
	int r;

	s = ctx_store_get(rq->ctx);
	r = store_resume_delete(s, rq->job.sub.resume);
	ctx_store_put(rq->ctx, s);
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	return redirect_welcome(rq, token);
}

enum MHD_Result
survey_resume_expired(struct req *rq, const char *token)
{
	struct buf b = { 0 };

	if (page_resume_expired(&b, rq->lang, token) != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_STATE_EXPIRED);
	}
	return http_send_html(rq, page_status(PAGE_STATE_EXPIRED), &b);
}
