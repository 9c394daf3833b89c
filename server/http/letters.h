/*
 * letters.h: a unit's one-time links made in the console, and their
 * download (route_console_letters.c). The links exist only here, in
 * memory, and in the response: letters_make draws the tokens and their
 * keyed hashes (for the store), letters_render writes the QR letters or
 * the mail-merge CSV with the CLI's renderer (pages/sheet.h) into a
 * buffer that is wiped whenever it grows, letters_send answers with it
 * as an attachment (Cache-Control: no-store) and wipes it once sent.
 * Internal to server/http/.
 */
#ifndef GH_HTTP_LETTERS_H
#define GH_HTTP_LETTERS_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/token.h"
#include "http/http_int.h"
#include "util/buf.h"

struct store_wave;

/* The most links one request issues (the time and memory it may take). */
#define LETTERS_MAX	10000

struct letters {
	char		**links;	/* n link texts; wiped when freed */
	uint8_t		(*hashes)[TOKEN_HASH_BYTES];
	size_t		 n;
};

/*
 * Makes n tokens, their hashes keyed with pepper and links base (no
 * trailing slash needed) + prefix ("/s/" survey links, "/i/"
 * invitations) + token. GH_OK or GH_ERR_NOMEM; free with letters_free
 * either way.
 */
int letters_make(struct letters *lt, size_t n, const char *base,
    const char *prefix, const uint8_t *pepper) GH_WUR;

/* Wipes and frees the links and hashes; accepts an empty lt. */
void letters_free(struct letters *lt);

/*
 * Renders lt for wave w and unit into out: the CSV (unit, link) if is_csv,
 * else the letters with the organisation, the contact, w's last day and
 * k. GH_OK or an error (nothing of the links logged).
 */
int letters_render(struct buf *out, const struct letters *lt, int is_csv,
    const struct store_wave *w, const char *unit) GH_WUR;

/* Sends out (taken over, wiped once sent) as the download of wave. */
enum MHD_Result letters_send(struct req *rq, struct buf *out, int is_csv,
    int64_t wave);

#endif
