/*
 * letters.c: a unit's links made in the console and their download
 * (letters.h).
 *
 * Entry points in call order: letters_make (tokens -> keyed hashes and
 * link texts; each token's text wiped once copied), letters_render (a
 * FILE that appends to a struct buf, whose growth wipes the old block,
 * handed to sheet_write_letters or sheet_write_csv_unit), letters_send
 * (the buffer given to MHD with a callback that wipes it when sent),
 * letters_free. No link, token or unit is ever logged.
 */
#define _GNU_SOURCE	/* fopencookie */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/letters.h"
#include "pages/page.h"
#include "pages/sheet.h"
#include "store/store.h"
#include "util/util.h"

int
letters_make(struct letters *lt, size_t n, const char *base,
    const char *prefix, const uint8_t *pepper)
{
	size_t blen = strlen(base), plen = strlen(prefix), i, len;
	uint8_t tok[TOKEN_BYTES];
	char text[TOKEN_TEXT_LEN + 1];
	int r = GH_OK;

	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	len = blen + plen + TOKEN_TEXT_LEN + 1;
	memset(lt, 0, sizeof(*lt));
	lt->links = calloc(n, sizeof(*lt->links));
	lt->hashes = calloc(n, sizeof(*lt->hashes));
	if (lt->links == NULL || lt->hashes == NULL)
		return GH_ERR_NOMEM;
	lt->n = n;
	for (i = 0; i < n; i++) {
		token_new(tok);
		token_hash(lt->hashes[i], tok, pepper);
		token_to_text(text, tok);
		if ((lt->links[i] = malloc(len)) == NULL) {
			r = GH_ERR_NOMEM;
			break;
		}
		memcpy(lt->links[i], base, blen);
		memcpy(lt->links[i] + blen, prefix, plen);
		memcpy(lt->links[i] + blen + plen, text, TOKEN_TEXT_LEN + 1);
		sodium_memzero(text, sizeof(text));
	}
	sodium_memzero(tok, sizeof(tok));
	sodium_memzero(text, sizeof(text));
	return r;
}

void
letters_free(struct letters *lt)
{
	size_t i;

	for (i = 0; lt->links != NULL && i < lt->n; i++)
		if (lt->links[i] != NULL)
			gh_freezero(lt->links[i], strlen(lt->links[i]));
	free(lt->links);
	free(lt->hashes);
	memset(lt, 0, sizeof(*lt));
}

/* fopencookie's write: appends to the struct buf (which wipes as it grows). */
static ssize_t
buf_cookie_write(void *cookie, const char *data, size_t len)
{
	struct buf *b = cookie;

	buf_add(b, data, len);
	return buf_is_failed(b) ? -1 : (ssize_t)len;
}

/* The wave's last day from its definition, or none. */
static void
wave_closes(const struct store_wave *w, struct def_date *out)
{
	struct def *d = NULL;
	char err[256];

	memset(out, 0, sizeof(*out));
	if (def_parse(w->def_json, strlen(w->def_json), w->name, &d, err,
	    sizeof(err)) != GH_OK)
		return;	/* a stored wave's definition was checked before */
	*out = d->closes;
	def_free(d);
}

int
letters_render(struct buf *out, const struct letters *lt, int is_csv,
    const struct store_wave *w, const char *unit)
{
	cookie_io_functions_t io = { NULL, buf_cookie_write, NULL, NULL };
	const char *const *links = (const char *const *)lt->links;
	char *name = NULL, *contact = NULL;
	struct sheet_org org;
	FILE *f;
	int r;

	if (!is_csv && page_org_copy(&name, &contact) != GH_OK)
		return GH_ERR_NOMEM;
	if ((f = fopencookie(out, "w", io)) == NULL) {
		free(name);
		free(contact);
		return GH_ERR_NOMEM;
	}
	/* No stdio buffer: the links go straight into the wiped buffer. */
	(void)setvbuf(f, NULL, _IONBF, 0);
	if (is_csv)
		r = sheet_write_csv_unit(f, links, lt->n, unit);
	else {
		memset(&org, 0, sizeof(org));
		org.name = name;
		org.contact = contact;
		wave_closes(w, &org.closes);
		r = sheet_write_letters(f, links, lt->n, w->name, unit, w->k,
		    &org);
	}
	if (fclose(f) != 0 && r == GH_OK)
		r = GH_ERR_IO;
	free(name);
	free(contact);
	if (r == GH_OK && buf_is_failed(out))
		r = GH_ERR_NOMEM;
	return r;
}

static void
wipe_free(void *cls)
{
	char *p = cls;

	gh_freezero(p, strlen(p));
}

enum MHD_Result
letters_send(struct req *rq, struct buf *out, int is_csv, int64_t wave)
{
	struct MHD_Response *resp;
	char disp[96];

	resp = MHD_create_response_from_buffer_with_free_callback_cls(
	    out->len, out->data, wipe_free, out->data);
	if (resp == NULL) {
		buf_free(out);
		return MHD_NO;
	}
	memset(out, 0, sizeof(*out));	/* MHD owns the memory now */
	http_add_headers(rq, resp, 1);	/* Cache-Control: no-store */
	MHD_add_response_header(resp, "Content-Type", is_csv ?
	    "text/csv; charset=utf-8" : "text/html; charset=utf-8");
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s-wave-%lld.%s\"",
	    is_csv ? "links" : "letters", (long long)wave,
	    is_csv ? "csv" : "html");
	MHD_add_response_header(resp, "Content-Disposition", disp);
	return http_queue(rq, MHD_HTTP_OK, resp);
}
