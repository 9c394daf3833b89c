/*
 * state_welcome.c: the welcome page's sealed state (see state.h).
 *
 * Entry points: state_welcome_seal when the welcome page is shown,
 * state_welcome_open when its Start comes back. The plaintext is a fixed
 * binary record, checked completely after the box opens:
 *   'W' 1 | token hash[32] | wave id (int64, little-endian) |
 *   made (int64 ms, little-endian) | unit length (1 byte) | unit
 * Its first byte is never that of a page state's JSON ('{'), whose
 * parser refuses this record in turn.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "survey/def.h"
#include "survey/state.h"
#include "survey/state_box.h"
#include "util/util.h"

#define WELCOME_TAG	'W'
#define WELCOME_VERSION	1
#define WELCOME_FIXED	(2 + TOKEN_HASH_BYTES + 8 + 8 + 1)
#define WELCOME_MAX	(WELCOME_FIXED + DEF_MAX_UNIT)

_Static_assert(WELCOME_MAX + 40 < STATE_WELCOME_MAX_TEXT / 4 * 3,
    "a welcome state's text fits STATE_WELCOME_MAX_TEXT");

int
state_welcome_seal(const struct state_key *key,
    const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t wave_id,
    const char *unit, int64_t made_ms, char **out)
{
	uint8_t plain[WELCOME_MAX + 1];
	size_t n = unit != NULL ? strlen(unit) : 0;
	int r;

	*out = NULL;
	if (n > DEF_MAX_UNIT)
		return GH_ERR_INVALID;
	plain[0] = WELCOME_TAG;
	plain[1] = WELCOME_VERSION;
	memcpy(plain + 2, token_hash, TOKEN_HASH_BYTES);
	gh_put_le64(plain + 2 + TOKEN_HASH_BYTES, (uint64_t)wave_id);
	gh_put_le64(plain + 2 + TOKEN_HASH_BYTES + 8, (uint64_t)made_ms);
	plain[WELCOME_FIXED - 1] = (uint8_t)n;
	/* With its NUL, which the record leaves out. */
	if (n > 0)
		memcpy(plain + WELCOME_FIXED, unit, n + 1);
	r = state_box_seal(key, plain, WELCOME_FIXED + n, out);
	sodium_memzero(plain, sizeof(plain));
	return r;
}

/* Checks the opened record p (len bytes) completely; sets the outputs. */
static int
welcome_parse(const uint8_t *p, size_t len,
    const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t now_ms,
    int64_t max_age_ms, int64_t *wave_id, char *unit, size_t unitsz)
{
	int64_t made;
	size_t n;

	if (len < WELCOME_FIXED || p[0] != WELCOME_TAG ||
	    p[1] != WELCOME_VERSION)
		return GH_ERR_INVALID;
	n = p[WELCOME_FIXED - 1];
	if (len != WELCOME_FIXED + n || n >= unitsz ||
	    memchr(p + WELCOME_FIXED, '\0', n) != NULL)
		return GH_ERR_INVALID;
	if (sodium_memcmp(p + 2, token_hash, TOKEN_HASH_BYTES) != 0)
		return GH_ERR_INVALID;
	made = (int64_t)gh_get_le64(p + 2 + TOKEN_HASH_BYTES + 8);
	if (made > now_ms || now_ms - made > max_age_ms)
		return GH_ERR_INVALID;
	*wave_id = (int64_t)gh_get_le64(p + 2 + TOKEN_HASH_BYTES);
	if (*wave_id <= 0)
		return GH_ERR_INVALID;
	memcpy(unit, p + WELCOME_FIXED, n);
	unit[n] = '\0';
	return GH_OK;
}

int
state_welcome_open(const struct state_key *key,
    const uint8_t token_hash[TOKEN_HASH_BYTES], const char *text,
    size_t len, int64_t now_ms, int64_t max_age_ms, int64_t *wave_id,
    char *unit, size_t unitsz)
{
	char *plain = NULL;
	size_t plain_len = 0;
	int r;

	*wave_id = 0;
	if (unitsz > 0)
		unit[0] = '\0';
	if (len > STATE_WELCOME_MAX_TEXT)
		return GH_ERR_TOO_LARGE;
	if ((r = state_box_open(key, text, len, &plain, &plain_len)) != GH_OK)
		return r;
	r = welcome_parse((const uint8_t *)plain, plain_len, token_hash,
	    now_ms, max_age_ms, wave_id, unit, unitsz);
	if (r != GH_OK) {
		*wave_id = 0;
		if (unitsz > 0)
			unit[0] = '\0';
	}
	sodium_memzero(plain, plain_len);
	free(plain);
	return r;
}
