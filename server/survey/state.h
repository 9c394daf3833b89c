/*
 * state.h: the page state of a multi-page survey, carried by the
 * respondent's browser in a hidden form field, so that nothing unsealed is
 * ever kept on the server between pages.
 *
 * The state holds the answers given so far as form fields (name=value
 * pairs named "q_<id>"), the page they were shown on, the token hash and
 * the wave. It is encrypted and authenticated with a key that exists only
 * in this process's locked memory (made at start, never written
 * anywhere), so a restart expires every state. On the wire it is
 *   base64url-no-padding( nonce[24] || crypto_secretbox(JSON) )
 * with the JSON {"t":"<token hash, hex>","w":WAVE,"p":PAGE,
 * "a":[["q_id","value"],...]}. A state is accepted only for the token
 * and wave it was made for: one respondent's state cannot be replayed
 * with another's link.
 */
#ifndef GH_SURVEY_STATE_H
#define GH_SURVEY_STATE_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "crypto/token.h"
#include "survey/form.h"
#include "survey/def.h"
#include "util/err.h"

#define STATE_KEY_BYTES	crypto_secretbox_KEYBYTES
/* Characters of state text; an answer form must fit it (48 KiB). */
#define STATE_MAX_TEXT	((size_t)48 * 1024)
/* Bytes of JSON that still fit STATE_MAX_TEXT once boxed and encoded. */
#define STATE_MAX_PLAIN	(STATE_MAX_TEXT / 4 * 3 - \
	crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES)

/* The per-process key (opaque; sodium_malloc'd, read-only once made). */
struct state_key;

/*
 * Makes a fresh random key in locked, read-only memory into *out (free
 * with state_key_free). Returns GH_OK or GH_ERR_NOMEM.
 */
int state_key_new(struct state_key **out) GH_WUR;

/* Wipes and frees a key; accepts NULL. */
void state_key_free(struct state_key *key);

/*
 * Seals the answer fields of answers (fields not named "q_..." are left
 * out; answers may be NULL) for page of wave_id and token_hash into *out,
 * a new NUL-terminated base64url text (malloc'd, free with free()).
 * Returns GH_OK, GH_ERR_TOO_LARGE if the JSON exceeds STATE_MAX_PLAIN,
 * GH_ERR_INVALID for a page beyond DEF_MAX_PAGES or a field no state can
 * hold (a name over FORM_MAX_NAME, more than FORM_MAX_FIELDS), or
 * GH_ERR_NOMEM. The plaintext is wiped on every path.
 */
int state_seal(const struct state_key *key,
    const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t wave_id, size_t page,
    const struct form *answers, char **out) GH_WUR;

/*
 * Opens len bytes of state text made by state_seal for the same key,
 * token_hash and wave_id; on success sets *page and *answers (a new form
 * of answer fields, free with form_free) and returns GH_OK. Returns
 * GH_ERR_TOO_LARGE over STATE_MAX_TEXT, GH_ERR_CRYPTO if the box does not
 * open (tampered, another key: the server restarted), GH_ERR_INVALID for
 * bad base64url, a state of another token or wave, or a JSON of the wrong
 * shape (checked completely before any field is used), or GH_ERR_NOMEM.
 */
int state_open(const struct state_key *key,
    const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t wave_id,
    const char *text, size_t len, size_t *page, struct form **answers)
    GH_WUR;

/*
 * Merges the answers kept so far with a posted form of page pi of d into
 * *out (free with form_free): every answer field of kept whose question
 * is not on page pi, then every answer field of posted whose question is
 * on page pi or is unknown to d (so validation can refuse it); posted
 * fields of other pages' questions are dropped, and so are empty values
 * of number questions (an empty box is no answer). kept and posted may be
 * NULL. Returns GH_OK or GH_ERR_NOMEM.
 */
int state_merge(const struct def *d, size_t pi, const struct form *kept,
    const struct form *posted, struct form **out) GH_WUR;

/*
 * Removes from f, in place, every answer field whose question is not
 * shown given the answers a (answer_view of f), wiping it: an answer to a
 * question that a changed answer now hides is neither kept nor stored.
 */
void state_drop_hidden(const struct def *d, struct form *f,
    const struct def_answer *a);

/*
 * The plaintext of a state, for a box other than the page state's (the
 * saved answers of "save and continue later", crypto/resume.h): the same
 * JSON as state_seal seals, into *out (malloc'd, *len bytes and a NUL;
 * nothing was written past the NUL, so gh_freezero(*out, *len + 1)
 * wipes and frees all of it). Returns as state_seal.
 */
int state_plain(const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t wave_id,
    size_t page, const struct form *answers, char **out, size_t *len) GH_WUR;

/*
 * Reads len bytes of JSON made by state_plain for token_hash and wave_id,
 * checked completely before use; sets *page and *answers (free with
 * form_free). Returns GH_OK, GH_ERR_INVALID or GH_ERR_NOMEM.
 */
int state_plain_parse(const char *plain, size_t len,
    const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t wave_id,
    size_t *page, struct form **answers) GH_WUR;

/*
 * The welcome page's state: what the token lookup that showed a
 * multi-page survey's welcome page found (the link's wave and the unit
 * of its batch) and when (made_ms, monotonic milliseconds), for the
 * page's Start (route_survey.c). Sealed in the page state's box under the
 * same key, for token_hash only; a page state is never taken for one, nor
 * one for a page state. Characters of its text at most:
 */
#define STATE_WELCOME_MAX_TEXT	256

/*
 * Seals the welcome state of token_hash (wave_id, unit: NULL or at most
 * DEF_MAX_UNIT bytes, made_ms) into *out (free with free()). Returns
 * GH_OK, GH_ERR_INVALID for a unit too long, or GH_ERR_NOMEM.
 */
int state_welcome_seal(const struct state_key *key,
    const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t wave_id,
    const char *unit, int64_t made_ms, char **out) GH_WUR;

/*
 * Opens len bytes of text made by state_welcome_seal for token_hash; if
 * it was made at most max_age_ms before now_ms, sets *wave_id and unit
 * (unitsz bytes, NUL-terminated) and returns GH_OK. Returns
 * GH_ERR_INVALID for another token's, an older one, or anything that is
 * not a welcome state, GH_ERR_CRYPTO if the box does not open (tampered,
 * a restarted server), GH_ERR_TOO_LARGE over STATE_WELCOME_MAX_TEXT, or
 * GH_ERR_NOMEM.
 */
int state_welcome_open(const struct state_key *key,
    const uint8_t token_hash[TOKEN_HASH_BYTES], const char *text,
    size_t len, int64_t now_ms, int64_t max_age_ms, int64_t *wave_id,
    char *unit, size_t unitsz) GH_WUR;

#endif
