/*
 * route_console_test.c: trying a wave before respondents do, in the
 * coordinator's console. GET /console/preview/NAME (?in=nl|en, the
 * instrument's language; the page's by default): every page of
 * instrument NAME of --survey-defs. POST /console/wave/test-link (form
 * field "wave"): a new test link for the wave (store_test_link.h), shown
 * once. POST /console/wave/test-links-remove ("wave"): all of the wave's
 * test links stop working. The router has checked the coordinator's
 * session and the CSRF token of a POST.
 *
 * Entry points: route_console_preview, route_console_test_link,
 * route_console_test_remove. Data path of a test link: the form's wave
 * (bad: 400, nothing done) -> a random token (token_new) -> its keyed
 * hash under the pepper -> store_test_link_add (no such wave: 404) ->
 * store_console_audit_add (who, "test_link", which wave, the day) -> the
 * link on a no-store page; the token itself is wiped and never stored.
 * What a test link sends is discarded by the survey route
 * (route_survey.c). Never logged: links.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/token.h"
#include "http/console_ctx.h"
#include "http/console_waves.h"
#include "http/desk.h"
#include "pages/console.h"
#include "pages/console_test.h"
#include "pages/page.h"
#include "store/store_console.h"
#include "store/store_test_link.h"

#define PREVIEW_PREFIX	"/console/preview/"

/* The instrument named name, or NULL. */
static const struct console_def *
find_def(struct req *rq, const char *name)
{
	const struct console_def *defs;
	size_t n, i;

	defs = console_defs(rq->ctx, &n);
	for (i = 0; i < n; i++)
		if (strcmp(defs[i].name, name) == 0)
			return &defs[i];
	return NULL;
}

enum MHD_Result
route_console_preview(struct req *rq, const char *url,
    const struct http_auth *a)
{
	const char *name = url + strlen(PREVIEW_PREFIX), *in_v;
	const struct console_def *cd = NULL;
	struct def *d = NULL;
	struct desk_page p;
	struct buf b = { 0 };
	enum def_lang in = rq->lang;
	char err[512];
	int r;

	if (strncmp(url, PREVIEW_PREFIX, strlen(PREVIEW_PREFIX)) == 0)
		cd = find_def(rq, name);
	if (cd == NULL)
		return console_waves_page(rq, a, MHD_HTTP_NOT_FOUND,
		    "console.instrument.not_found", 1);
	in_v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND,
	    "in");
	if (in_v != NULL && def_lang_parse(in_v, &in) != GH_OK)
		in = rq->lang;
	/* Read when serve started, so it parses; the wave made from it
	 * parses the same text. */
	if (def_parse(cd->json, strlen(cd->json), cd->name, &d, err,
	    sizeof(err)) != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	desk_page_init(&p, rq, a, url);
	r = page_console_instrument(&b, &p, cd->name, d, in);
	def_free(d);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, MHD_HTTP_OK, &b);
}

/* The whole link of token text: --base-url's, or this server's path. */
static int
test_link_text(struct buf *out, const struct req *rq, const char *text)
{
	const char *base = rq->ctx->base_url != NULL ? rq->ctx->base_url : "";
	size_t blen = strlen(base);

	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	buf_add(out, base, blen);
	buf_printf(out, "/s/%s", text);
	return buf_is_failed(out) ? GH_ERR_NOMEM : GH_OK;
}

enum MHD_Result
route_console_test_link(struct req *rq, const char *url,
    const struct http_auth *a)
{
	uint8_t tok[TOKEN_BYTES], hash[STORE_HASH_BYTES];
	char text[TOKEN_TEXT_LEN + 1], object[CONSOLE_TEXT_MAX + 1];
	struct console_test_view tv = { 0 };
	struct store_wave *w = NULL;
	struct buf link = { 0 }, b = { 0 };
	struct desk_page p;
	struct store *s;
	int r;

	(void)url;
	if (console_form_wave(a, &tv.wave) != 0)
		return console_waves_page(rq, a, MHD_HTTP_BAD_REQUEST,
		    "console.wave.invalid", 1);
	token_new(tok);
	token_hash(hash, tok, rq->ctx->pepper);
	token_to_text(text, tok);
	sodium_memzero(tok, sizeof(tok));
	s = ctx_store_get(rq->ctx);
	if ((r = store_wave_get(s, tv.wave, &w)) == GH_OK &&
	    (r = store_test_link_add(s, tv.wave, hash)) == GH_OK &&
	    (r = store_test_link_count(s, tv.wave, &tv.n_links)) == GH_OK) {
		snprintf(object, sizeof(object), "%lld %s",
		    (long long)tv.wave, w->name);
		r = store_console_audit_add(s, a->view.name, "test_link",
		    object);
	}
	ctx_store_put(rq->ctx, s);
	if (r == GH_OK && (r = test_link_text(&link, rq, text)) == GH_OK) {
		desk_page_init(&p, rq, a, "/console");
		tv.wave_name = w->name;
		tv.link = link.data;
		r = page_console_test_link(&b, &p, &tv);
	}
	sodium_memzero(text, sizeof(text));
	store_wave_free(w);
	if (link.data != NULL)
		sodium_memzero(link.data, link.len);
	buf_free(&link);
	if (r == GH_ERR_NOT_FOUND)
		return console_waves_page(rq, a, MHD_HTTP_NOT_FOUND,
		    "console.wave.not_found", 1);
	if (r != GH_OK) {
		buf_free(&b);
		return http_send_page(rq, PAGE_ERROR);
	}
	return http_send_html(rq, MHD_HTTP_OK, &b);
}

enum MHD_Result
route_console_test_remove(struct req *rq, const char *url,
    const struct http_auth *a)
{
	char object[CONSOLE_TEXT_MAX + 1];
	struct store_wave *w = NULL;
	struct store *s;
	int64_t id, n = 0;
	int r;

	(void)url;
	if (console_form_wave(a, &id) != 0)
		return console_waves_page(rq, a, MHD_HTTP_BAD_REQUEST,
		    "console.wave.invalid", 1);
	s = ctx_store_get(rq->ctx);
	if ((r = store_wave_get(s, id, &w)) == GH_OK &&
	    (r = store_test_link_remove(s, id, &n)) == GH_OK) {
		snprintf(object, sizeof(object), "%lld %s (%lld)",
		    (long long)id, w->name, (long long)n);
		r = store_console_audit_add(s, a->view.name,
		    "test_links_remove", object);
	}
	ctx_store_put(rq->ctx, s);
	store_wave_free(w);
	if (r == GH_ERR_NOT_FOUND)
		return console_waves_page(rq, a, MHD_HTTP_NOT_FOUND,
		    "console.wave.not_found", 1);
	if (r != GH_OK)
		return http_send_page(rq, PAGE_ERROR);
	return console_waves_page(rq, a, MHD_HTTP_OK, "console.test.removed",
	    0);
}
