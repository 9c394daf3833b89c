/*
 * route_invite.c: blind invitations, GET and POST /i/CODE, and the
 * survey tokens made from them at /s/TOKEN.
 *
 * Entry points: route_invite (the invitation), invite_token_key (called
 * by route_survey for a token that is not a plain 26-character one),
 * invite_token_input (its PRF input, which keys its saved answers as a
 * plain token's 16 bytes do).
 * Data path of an invitation:
 *   GET: code -> keyed hashes (lookup; spend, domain TOKEN_SPEND_INVITE)
 *   -> store_invite_lookup -> the page (page_invite) with the batch's
 *   public key, or "used" (410), closed (410), unknown (404).
 *   POST blinded=HEX (the browser's blinded element, web/voprf/) ->
 *   store_invite_spend: in one transaction the invitation is checked,
 *   the batch's secret key opened (pepper subkey, sodium_malloc, wiped)
 *   and BlindEvaluate run, and the spend row inserted -> JSON
 *   {"evaluated","proof"}. Nothing about the blinded element or the
 *   output is stored or logged.
 * Data path of a token made from an invitation:
 *   58 characters -> batch id (4 bytes) || PRF input (16) || tag (16) ->
 *   the batch's sealed key opened -> Evaluate(skS, input) must begin
 *   with the tag -> the input's keyed hashes (its spend hash in the
 *   survey domain, so that its spend row is like any token's) and the
 *   batch in store_token_key.invite_batch -> route_survey as for tokens.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "crypto/b32.h"
#include "crypto/token.h"
#include "crypto/voprf.h"
#include "http/http_int.h"
#include "pages/page.h"
#include "pages/page_invite.h"
#include "store/store_invite.h"
#include "survey/form.h"
#include "util/log.h"

#define INVITE_TOKEN_BYTES	(4 + TOKEN_BYTES + TOKEN_BYTES)

_Static_assert(INVITE_TOKEN_TEXT_LEN == (INVITE_TOKEN_BYTES * 8 + 4) / 5,
    "text of an invitation's token");
_Static_assert(STORE_INVITE_SEALED_BYTES == VOPRF_SEALED_KEY_BYTES,
    "sealed key size");

/* What the evaluation inside the spend's transaction needs and makes. */
struct invite_eval {
	const uint8_t	*pepper;
	uint8_t		 blinded[VOPRF_ELEMENT_BYTES];
	uint8_t		 evaluated[VOPRF_ELEMENT_BYTES];
	uint8_t		 proof[VOPRF_PROOF_BYTES];
};

static enum MHD_Result
send_json(struct req *rq, unsigned int status, const char *json)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(strlen(json), (void *)json,
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	http_add_headers(rq, resp, 1);
	MHD_add_response_header(resp, "Content-Type",
	    "application/json; charset=utf-8");
	return http_queue(rq, status, resp);
}

/* Opens batch b's secret key into sodium_malloc memory (*sk). */
static int
open_key(const struct store_invite_batch *b, const uint8_t *pepper,
    uint8_t **sk)
{
	int r;

	if ((*sk = sodium_malloc(VOPRF_SCALAR_BYTES)) == NULL)
		return GH_ERR_NOMEM;
	if ((r = voprf_key_open(*sk, b->sealed_key, b->public_key,
	    pepper)) != GH_OK) {
		log_error("invitation batch %lld: its key does not open with "
		    "this pepper", (long long)b->id);
		sodium_free(*sk);
		*sk = NULL;
	}
	return r;
}

/* BlindEvaluate, inside store_invite_spend's transaction. */
static int
evaluate(void *arg, const struct store_invite_batch *b)
{
	struct invite_eval *e = arg;
	uint8_t *sk = NULL;
	int r;

	if ((r = open_key(b, e->pepper, &sk)) != GH_OK)
		return r;
	r = voprf_blind_evaluate(e->evaluated, e->proof, sk, b->public_key,
	    e->blinded, 1);
	sodium_free(sk);
	return r;
}

static enum MHD_Result
post_invite(struct req *rq, const uint8_t *hash, const uint8_t *spend)
{
	struct invite_eval e = { .pepper = rq->ctx->pepper };
	char json[64 + 2 * (VOPRF_ELEMENT_BYTES + VOPRF_PROOF_BYTES)];
	char ev[2 * VOPRF_ELEMENT_BYTES + 1], pr[2 * VOPRF_PROOF_BYTES + 1];
	struct form *f = NULL;
	const char *hex;
	size_t len = 0;
	struct store *s;
	int r;

	if (!rq->is_form || form_parse(rq->body, rq->body_len, &f) != GH_OK ||
	    (hex = form_get(f, "blinded")) == NULL ||
	    sodium_hex2bin(e.blinded, sizeof(e.blinded), hex, strlen(hex),
	    NULL, &len, NULL) != 0 || len != sizeof(e.blinded) ||
	    strlen(hex) != 2 * sizeof(e.blinded)) {
		form_free(f);
		return send_json(rq, MHD_HTTP_BAD_REQUEST,
		    "{\"error\":\"blinded: 64 hex digits expected\"}");
	}
	form_free(f);
	s = ctx_store_get(rq->ctx);
	r = store_invite_spend(s, hash, spend, evaluate, &e);
	ctx_store_put(rq->ctx, s);
	switch (r) {
	case GH_OK:
		break;
	case GH_ERR_SPENT:
		return send_json(rq, MHD_HTTP_GONE, "{\"error\":\"used\"}");
	case GH_ERR_CLOSED:
		return send_json(rq, MHD_HTTP_GONE, "{\"error\":\"closed\"}");
	case GH_ERR_NOT_FOUND:
		return send_json(rq, MHD_HTTP_NOT_FOUND,
		    "{\"error\":\"unknown\"}");
	case GH_ERR_INVALID:
		return send_json(rq, MHD_HTTP_BAD_REQUEST,
		    "{\"error\":\"blinded: not a group element\"}");
	case GH_ERR_BUSY:
		rq->retry_after_s = 1;
		return send_json(rq, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "{\"error\":\"busy\"}");
	default:
		log_error("spending an invitation failed: %s", gh_err_str(r));
		return send_json(rq, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "{\"error\":\"error\"}");
	}
	sodium_bin2hex(ev, sizeof(ev), e.evaluated, sizeof(e.evaluated));
	sodium_bin2hex(pr, sizeof(pr), e.proof, sizeof(e.proof));
	snprintf(json, sizeof(json), "{\"evaluated\":\"%s\",\"proof\":\"%s\"}",
	    ev, pr);
	return send_json(rq, MHD_HTTP_OK, json);
}

enum MHD_Result
route_invite(struct req *rq, const char *code)
{
	uint8_t c[TOKEN_BYTES], hash[TOKEN_HASH_BYTES], spend[TOKEN_HASH_BYTES];
	char text[TOKEN_TEXT_LEN + 1];
	struct store_invite_batch b;
	enum store_token_state state;
	struct buf out = { 0 };
	struct store *s;
	int r;

	if (token_from_text(c, code, strlen(code)) != GH_OK)
		return rq->is_post ? send_json(rq, MHD_HTTP_NOT_FOUND,
		    "{\"error\":\"unknown\"}") :
		    http_send_page(rq, PAGE_UNKNOWN_TOKEN);
	token_to_text(text, c);
	token_hash(hash, c, rq->ctx->pepper);
	token_spend_hash(spend, c, rq->ctx->pepper, TOKEN_SPEND_INVITE);
	sodium_memzero(c, sizeof(c));
	if (rq->is_post)
		return post_invite(rq, hash, spend);
	s = ctx_store_get(rq->ctx);
	r = store_invite_lookup(s, hash, spend, &state, &b);
	ctx_store_put(rq->ctx, s);
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	switch (state) {
	case STORE_TOKEN_UNKNOWN:
		return http_send_page(rq, PAGE_UNKNOWN_TOKEN);
	case STORE_TOKEN_CLOSED:
		return http_send_page(rq, PAGE_CLOSED);
	case STORE_TOKEN_SPENT:
		if (page_invite_used(&out, rq->lang) != GH_OK)
			break;
		return http_send_html(rq, MHD_HTTP_GONE, &out);
	case STORE_TOKEN_FRESH:
		if (page_invite(&out, rq->lang, text, b.id, b.public_key) !=
		    GH_OK)
			break;
		return http_send_html_fetch(rq, MHD_HTTP_OK, &out);
	}
	buf_free(&out);
	return http_send_page(rq, PAGE_ERROR);
}

int
invite_token_key(struct req *rq, const char *token,
    struct store_token_key *key, uint8_t resume[TOKEN_HASH_BYTES],
    char *text, size_t textsz)
{
	uint8_t t[INVITE_TOKEN_BYTES], out[VOPRF_OUTPUT_BYTES], *sk = NULL;
	const uint8_t *input = t + 4, *tag = t + 4 + TOKEN_BYTES;
	struct store_invite_batch b;
	struct store *s;
	int64_t batch;
	int r;

	if (textsz < INVITE_TOKEN_TEXT_LEN + 1 ||
	    b32_decode(t, sizeof(t), token, strlen(token)) != GH_OK)
		return GH_ERR_INVALID;
	batch = (int64_t)t[0] << 24 | (int64_t)t[1] << 16 |
	    (int64_t)t[2] << 8 | (int64_t)t[3];
	s = ctx_store_get(rq->ctx);
	r = store_invite_batch_get(s, batch, &b);
	ctx_store_put(rq->ctx, s);
	if (r != GH_OK)
		goto out;
	if ((r = open_key(&b, rq->ctx->pepper, &sk)) != GH_OK)
		goto out;
	/* The tag is the PRF output's beginning: only skS could make it. */
	if (voprf_evaluate(out, sk, input, TOKEN_BYTES) != GH_OK ||
	    sodium_memcmp(out, tag, TOKEN_BYTES) != 0) {
		r = GH_ERR_NOT_FOUND;
		goto out;
	}
	token_hash(key->lookup, input, rq->ctx->pepper);
	token_spend_hash(key->spend, input, rq->ctx->pepper,
	    TOKEN_SPEND_SURVEY);
	token_spend_hash(resume, input, rq->ctx->pepper, TOKEN_SPEND_RESUME);
	key->invite_batch = batch;
	(void)b32_encode(text, textsz, t, sizeof(t));
	r = GH_OK;
out:
	if (sk != NULL)
		sodium_free(sk);
	sodium_memzero(t, sizeof(t));
	sodium_memzero(out, sizeof(out));
	return r;
}

int
invite_token_input(const char *token, uint8_t input[TOKEN_BYTES])
{
	uint8_t t[INVITE_TOKEN_BYTES];

	if (b32_decode(t, sizeof(t), token, strlen(token)) != GH_OK)
		return GH_ERR_INVALID;
	memcpy(input, t + 4, TOKEN_BYTES);
	sodium_memzero(t, sizeof(t));
	return GH_OK;
}
