/*
 * state_box.h: the box a sealed state travels in, under the process's
 * key (state.h): base64url-no-padding(nonce[24] || crypto_secretbox(plain)),
 * a fresh random nonce each time. Shared by the page state (state.c) and
 * the welcome page's state (state_welcome.c), whose plaintexts cannot be
 * taken for each other (JSON against a tagged binary record); not for
 * other use.
 */
#ifndef GH_SURVEY_STATE_BOX_H
#define GH_SURVEY_STATE_BOX_H

#include <stddef.h>

#include "survey/state.h"

/*
 * Seals len bytes of plain into *out, a new NUL-terminated text (free
 * with free()). Returns GH_OK or GH_ERR_NOMEM.
 */
int state_box_seal(const struct state_key *key, const void *plain,
    size_t len, char **out) GH_WUR;

/*
 * Decodes and opens len bytes of text into *plain (malloc'd, NUL added
 * after *plain_len bytes; the caller wipes it before free). Returns GH_OK,
 * GH_ERR_INVALID (not base64url, too short), GH_ERR_CRYPTO (tampered,
 * another key) or GH_ERR_NOMEM.
 */
int state_box_open(const struct state_key *key, const char *text,
    size_t len, char **plain, size_t *plain_len) GH_WUR;

#endif
