/*
 * store.h: everything gehoord keeps on disk, behind one narrow interface.
 *
 * SQLite is the embedded store (a PostgreSQL backend could sit behind the
 * same functions). Layout, as DESIGN.md invariant 2 requires:
 *   waves   (id, name, definition JSON, public key, k, open flag, day)
 *   batches (id, wave, unit label, size, day)
 *   tokens  (keyed hash, batch, day spent)            -- no plaintext token
 *   answers (random 16-byte id, wave, sealed blob)    -- nothing else
 * No answer row can be linked to a token: no token hash, no batch, no time.
 *
 * A struct store is one connection. It is used by one thread at a time;
 * the server gives each thread its own (see http/server.c and writer.h).
 * All SQL is prepared once in store_open; only these functions run SQL.
 */
#ifndef GH_STORE_H
#define GH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define STORE_SCHEMA_VERSION	2
#define STORE_HASH_BYTES	32
#define STORE_PK_BYTES		32
#define STORE_ANSWER_ID_BYTES	16
#define STORE_K_MIN		5
#define STORE_K_DEFAULT		10

struct store;

struct store_wave {
	int64_t	 id;
	char	*name;
	char	*def_json;
	uint8_t	 pk[STORE_PK_BYTES];
	int	 k;
	int	 is_open;
	int64_t	 n_answers;
};

/* Why a token cannot be used, or that it can. */
enum store_token_state {
	STORE_TOKEN_UNKNOWN,
	STORE_TOKEN_FRESH,
	STORE_TOKEN_SPENT,
	STORE_TOKEN_CLOSED,	/* its wave is closed */
};

/* One submission for store_commit_batch. */
struct store_submission {
	uint8_t		 token_hash[STORE_HASH_BYTES];
	int64_t		 wave_id;
	const uint8_t	*sealed;
	size_t		 sealed_len;
	int		 result;	/* out: GH_OK, GH_ERR_SPENT, ... */
};

#define STORE_CREATE	0x1	/* create or migrate the schema */
#define STORE_WRITER	0x2	/* the writer: no automatic checkpoints */

/*
 * Opens the database at path (configured: WAL, synchronous=FULL, foreign
 * keys, secure_delete, defensive mode, trusted_schema off) into *out.
 * With STORE_CREATE, creates or migrates the schema; otherwise a database
 * of another schema version is GH_ERR_INVALID. Returns GH_OK,
 * GH_ERR_NOT_FOUND (no file and no STORE_CREATE), GH_ERR_DB or GH_ERR_NOMEM;
 * the reason is logged once.
 */
int store_open(const char *path, int flags, struct store **out) GH_WUR;

/* Finalizes all statements and closes; accepts NULL. */
void store_close(struct store *s);

/* Creates a wave; *id gets its id. GH_ERR_EXISTS if the name is taken. */
int store_wave_create(struct store *s, const char *name, const char *def_json,
    const uint8_t pk[STORE_PK_BYTES], int k, int64_t *id) GH_WUR;

/* Reads wave id into *out (free with store_wave_free). GH_ERR_NOT_FOUND. */
int store_wave_get(struct store *s, int64_t id, struct store_wave **out) GH_WUR;

/* Frees a wave from store_wave_get; accepts NULL. */
void store_wave_free(struct store_wave *w);

/*
 * Calls fn for every wave in id order; stops early and returns fn's value
 * if it is non-zero.
 */
int store_wave_foreach(struct store *s,
    int (*fn)(void *arg, const struct store_wave *w), void *arg) GH_WUR;

/*
 * Sets a wave's k. Refuses k < STORE_K_MIN (GH_ERR_INVALID) and, once the
 * wave has answers, any k lower than the current one (GH_ERR_PRIVACY).
 */
int store_wave_set_k(struct store *s, int64_t id, int k) GH_WUR;

/* Opens or closes a wave for answers. GH_ERR_NOT_FOUND. */
int store_wave_set_open(struct store *s, int64_t id, int is_open) GH_WUR;

/*
 * Stores a batch of n token hashes for wave (unit may be NULL) in one
 * transaction; *batch_id gets the batch's id. GH_ERR_NOT_FOUND (no such
 * wave), GH_ERR_CLOSED, GH_ERR_EXISTS (a hash collides) or GH_ERR_DB.
 */
int store_batch_create(struct store *s, int64_t wave, const char *unit,
    const uint8_t (*hashes)[STORE_HASH_BYTES], size_t n,
    int64_t *batch_id) GH_WUR;

/*
 * Looks a token hash up: its state and (unless UNKNOWN) its wave. On an
 * error the outputs are UNKNOWN and 0 too.
 */
int store_token_lookup(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
    enum store_token_state *state, int64_t *wave_id) GH_WUR;

/*
 * As store_token_lookup, and copies the unit label of the token's batch
 * into unit (unitsz bytes, NUL-terminated; "" when the batch has none or
 * the token is UNKNOWN). A label that does not fit is GH_ERR_INVALID
 * (gehoord tokens issue keeps labels to DEF_MAX_UNIT bytes).
 */
int store_token_lookup_unit(struct store *s,
    const uint8_t hash[STORE_HASH_BYTES], enum store_token_state *state,
    int64_t *wave_id, char *unit, size_t unitsz) GH_WUR;

/*
 * The writer's one transaction: for each submission in the given order,
 * spends its token (only if fresh and its wave open) and inserts its
 * sealed blob under a new random id, then commits durably. Sets each
 * result to GH_OK, GH_ERR_SPENT, GH_ERR_NOT_FOUND or GH_ERR_CLOSED.
 * Returns GH_OK once committed, or GH_ERR_DB after rolling everything back
 * (then no result counts).
 */
int store_commit_batch(struct store *s, struct store_submission *subs,
    size_t n, int64_t day) GH_WUR;

/*
 * Calls fn with every sealed blob of wave, in the table's (random id)
 * order, without holding them all in memory. Stops early and returns fn's
 * value if non-zero; GH_ERR_DB on a read error.
 */
int store_answers_foreach(struct store *s, int64_t wave,
    int (*fn)(void *arg, const uint8_t *blob, size_t len), void *arg) GH_WUR;

/* Counts a wave's tokens and spent tokens. */
int store_token_counts(struct store *s, int64_t wave, int64_t *issued,
    int64_t *spent) GH_WUR;

/* Runs a passive WAL checkpoint (the checkpointer's job, never the writer's). */
int store_checkpoint(struct store *s, int is_truncate) GH_WUR;

/*
 * Copies the whole database consistently into a new file at path (mode
 * 0600; an existing file is never overwritten) with SQLite's online backup
 * API, while the server keeps running: WAL readers do not block writers.
 * Returns GH_OK, GH_ERR_EXISTS, GH_ERR_IO or GH_ERR_DB; a partial copy is
 * removed.
 */
int store_backup(struct store *s, const char *path) GH_WUR;

/* Returns today's day number (days since 1970-01-01, UTC). */
int64_t store_today(void);

#endif
