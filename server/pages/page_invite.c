/*
 * page_invite.c: the pages of a blind invitation (page_invite.h).
 *
 * Entry points: page_invite (web/invite.html in the layout),
 * page_invite_used (message.html with the invite.used texts) and
 * page_asset_sri. The invitation page carries, in data attributes, where
 * to post, the batch and its public key; the key is also shown, so that
 * a careful person can compare it with the one the organisation
 * publishes. Every part of the page that needs the script is hidden
 * until the script shows it.
 */
#include <stdio.h>

#include <sodium.h>

#include "pages/assets.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/page_invite.h"
#include "pages/tpl.h"

#define SRI_MAX	(8 + sodium_base64_ENCODED_LEN(crypto_hash_sha512_BYTES, \
	sodium_base64_VARIANT_ORIGINAL))

int
page_asset_sri(char *out, size_t outsz, const char *name)
{
	const struct web_asset *a = web_asset_find(name);
	uint8_t h[crypto_hash_sha512_BYTES];

	if (a == NULL)
		return GH_ERR_NOT_FOUND;
	if (outsz < SRI_MAX)
		return GH_ERR_TOO_LARGE;
	crypto_hash_sha512(h, a->data, a->len);
	snprintf(out, outsz, "sha512-");
	sodium_bin2base64(out + 7, outsz - 7, h, sizeof(h),
	    sodium_base64_VARIANT_ORIGINAL);
	return GH_OK;
}

int
page_invite(struct buf *out, enum def_lang lang, const char *code,
    int64_t batch, const uint8_t pk[32])
{
	char action[64], nbatch[24], pkhex[65], sri[SRI_MAX];
	struct buf body = { 0 };
	int r;

	if (page_asset_sri(sri, sizeof(sri), "voprf.js") != GH_OK)
		return GH_ERR_INVALID;
	snprintf(action, sizeof(action), "/i/%s", code);
	snprintf(nbatch, sizeof(nbatch), "%lld", (long long)batch);
	sodium_bin2hex(pkhex, sizeof(pkhex), pk, 32);
	struct tpl_var v[] = {
		{ "heading", page_msg(lang, "invite.heading"), 0 },
		{ "action", action, 0 },
		{ "batch", nbatch, 0 },
		{ "pk", pkhex, 0 },
		{ "intro", page_msg(lang, "invite.intro"), 0 },
		{ "why", page_msg(lang, "invite.why"), 0 },
		{ "nojs", page_msg(lang, "invite.nojs"), 0 },
		{ "make", page_msg(lang, "invite.make"), 0 },
		{ "busy", page_msg(lang, "invite.busy"), 0 },
		{ "done_heading", page_msg(lang, "invite.done_heading"), 0 },
		{ "done_text", page_msg(lang, "invite.done_text"), 0 },
		{ "start_now", page_msg(lang, "invite.start_now"), 0 },
		{ "keep_heading", page_msg(lang, "invite.keep_heading"), 0 },
		{ "keep_label", page_msg(lang, "invite.keep_label"), 0 },
		{ "keep_advice", page_msg(lang, "invite.keep_advice"), 0 },
		{ "err_proof", page_msg(lang, "invite.err_proof"), 0 },
		{ "err_used", page_msg(lang, "invite.err_used"), 0 },
		{ "err_closed", page_msg(lang, "invite.err_closed"), 0 },
		{ "err_other", page_msg(lang, "invite.err_other"), 0 },
		{ "key_label", page_msg(lang, "invite.key_label"), 0 },
		{ "sri", sri, 0 },
		{ NULL, NULL, 0 },
	};
	if ((r = tpl_render(&body, "invite.html", v)) == GH_OK)
		r = page_layout(out, lang, page_msg(lang, "invite.title"),
		    body.data);
	buf_free(&body);
	return r;
}

int
page_invite_used(struct buf *out, enum def_lang lang)
{
	struct buf body = { 0 };
	struct tpl_var v[] = {
		{ "heading", page_msg(lang, "invite.used.heading"), 0 },
		{ "text", page_msg(lang, "invite.used.text"), 0 },
		{ "hint", page_msg(lang, "invite.used.hint"), 0 },
		{ NULL, NULL, 0 },
	};
	int r;

	if ((r = tpl_render(&body, "message.html", v)) == GH_OK)
		r = page_layout(out, lang, page_msg(lang, "invite.used.heading"),
		    body.data);
	buf_free(&body);
	return r;
}
