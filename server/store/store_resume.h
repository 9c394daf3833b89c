/*
 * store_resume.h: a respondent's saved, unfinished answers (the resumes
 * table): one row per link, found by a keyed hash of the token of its
 * own (crypto/token.h, TOKEN_SPEND_RESUME), holding the wave, the salt
 * of the phrase's key and the sealed answers (crypto/resume.h). The
 * store never sees the token, the phrase or a plaintext. Rows go when
 * the answer is stored (store_commit_batch, in its transaction) or the
 * wave closes (store_wave_set_open).
 */
#ifndef GH_STORE_RESUME_H
#define GH_STORE_RESUME_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/err.h"

#define STORE_RESUME_SALT_BYTES	16
#define STORE_RESUME_SEALED_MAX	((size_t)256 * 1024)

/*
 * Saves (or replaces) the row of hash durably: wave_id, salt and len
 * bytes of sealed. GH_OK, GH_ERR_INVALID (len 0 or over
 * STORE_RESUME_SEALED_MAX) or GH_ERR_DB.
 */
int store_resume_put(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
    int64_t wave_id, const uint8_t salt[STORE_RESUME_SALT_BYTES],
    const uint8_t *sealed, size_t len) GH_WUR;

/*
 * Reads the row of hash: *wave_id, salt, and a new malloc'd copy of the
 * sealed blob (*sealed, *len; free with free()). GH_OK,
 * GH_ERR_NOT_FOUND, GH_ERR_DB (also for a row of the wrong shape) or
 * GH_ERR_NOMEM.
 */
int store_resume_get(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
    int64_t *wave_id, uint8_t salt[STORE_RESUME_SALT_BYTES],
    uint8_t **sealed, size_t *len) GH_WUR;

/* Sets *has to 1 if hash has a row, else 0. GH_OK or GH_ERR_DB. */
int store_resume_has(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
    int *has) GH_WUR;

/* Deletes the row of hash if there is one (inside the caller's
 * transaction, if any). GH_OK or GH_ERR_DB. */
int store_resume_delete(struct store *s,
    const uint8_t hash[STORE_HASH_BYTES]) GH_WUR;

/* Deletes every row of wave_id (inside the caller's transaction, if
 * any). GH_OK or GH_ERR_DB. */
int store_resume_delete_wave(struct store *s, int64_t wave_id) GH_WUR;

#endif
