/*
 * store.h: everything gehoord keeps on disk, behind one narrow interface.
 *
 * SQLite is the embedded store (a PostgreSQL backend could sit behind the
 * same functions). Layout (SECURITY.md, "What a copy of the database
 * shows"):
 *   waves   (id, name, definition JSON, public key, k, open flag, day,
 *            number of answers)
 *   batches (id, wave, unit label, size, day)
 *   tokens  (lookup hash, batch)          -- written once, when issued
 *   spends  (spend hash)                  -- one row per spent token
 *   answers (wave, random 16-byte id, part, sealed blob) -- nothing else
 * A token has two independent keyed hashes (crypto/token.h): the issued
 * row holds the lookup hash and is never written again; spending adds a
 * row under the spend hash. Without the token nobody can relate the two,
 * so no answer, and no spend, can be tied to a token, a batch or a unit,
 * and no row holds a time finer than the day.
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

#define STORE_SCHEMA_VERSION	13
#define STORE_HASH_BYTES	32
#define STORE_PK_BYTES		32
#define STORE_ANSWER_ID_BYTES	16
#define STORE_K_MIN		5
#define STORE_K_DEFAULT		10
/*
 * Pages of 32 KiB keep a sealed answer of up to STORE_PART_MAX bytes
 * inside its row: no overflow pages, whose numbers would follow arrival.
 * Larger answers are stored in parts of that size under the same id.
 */
#define STORE_PAGE_SIZE		32768
#define STORE_PART_MAX		8000

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

/* A token's two keyed hashes (token_hash and token_spend_hash). */
struct store_token_key {
	uint8_t		 lookup[STORE_HASH_BYTES];
	uint8_t		 spend[STORE_HASH_BYTES];
	int64_t		 invite_batch;	/* 0, or the invitation batch of a
					   token made from an invitation
					   (store_invite.h): then lookup is
					   not stored anywhere and the
					   batch is looked up instead */
};

/* One submission for store_commit_batch. */
struct store_submission {
	struct store_token_key key;
	uint8_t		 resume[STORE_HASH_BYTES]; /* its saved answers' row
						      (store_resume.h) */
	int64_t		 wave_id;
	const uint8_t	*sealed;
	size_t		 sealed_len;
	int		 result;	/* out: GH_OK, GH_ERR_SPENT, ... */
};

#define STORE_CREATE	0x1	/* create or migrate the schema */
#define STORE_WRITER	0x2	/* the writer: no automatic checkpoints, a
				   cache of STORE_WRITER_CACHE_KIB */
#define STORE_MIGRATE	0x4	/* migrate the schema of an existing file */
#define STORE_ERASE	0x8	/* may delete a wave's answers, tokens and
				   invitations (gehoord wave delete only;
				   store_retain.h): no other connection can */
/* The writer's page cache, KiB: 512 pages of 32 KiB (store.c). */
#define STORE_WRITER_CACHE_KIB	16384

/*
 * Opens the database at path (configured: WAL, synchronous=FULL, foreign
 * keys, secure_delete, defensive mode, trusted_schema off) into *out.
 * With STORE_CREATE, creates or migrates the schema; with STORE_MIGRATE,
 * migrates an existing file only; otherwise a database of another schema
 * version is GH_ERR_INVALID. Creating or migrating also rewrites a file
 * of another page size (store_relayout), which needs it to itself. Returns GH_OK,
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

/*
 * Sets *is_open to 1 if wave id exists and takes answers, else 0: the
 * wave's row only, cheaper than store_token_lookup_unit (route_survey.c
 * reads it on the steps of a walk under way). GH_OK or GH_ERR_DB.
 */
int store_wave_is_open(struct store *s, int64_t id, int *is_open) GH_WUR;

/* Opens or closes a wave for answers; closing deletes its saved,
 * unfinished answers (store_resume.h) in the same transaction.
 * GH_ERR_NOT_FOUND. */
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
int store_token_lookup(struct store *s, const struct store_token_key *key,
    enum store_token_state *state, int64_t *wave_id) GH_WUR;

/*
 * As store_token_lookup, and copies the unit label of the token's batch
 * into unit (unitsz bytes, NUL-terminated; "" when the batch has none or
 * the token is UNKNOWN). A label that does not fit is GH_ERR_INVALID
 * (gehoord tokens issue keeps labels to DEF_MAX_UNIT bytes).
 */
int store_token_lookup_unit(struct store *s,
    const struct store_token_key *key, enum store_token_state *state,
    int64_t *wave_id, char *unit, size_t unitsz) GH_WUR;

/*
 * The writer's one transaction: for each submission in the given order,
 * spends its token (only if fresh and its wave open: a new row under the
 * spend hash; the issued row is not touched), inserts its sealed blob
 * under a new random id, counts it in its wave and deletes the link's
 * saved answers (resume), then commits durably.
 * Sets each
 * result to GH_OK, GH_ERR_SPENT, GH_ERR_NOT_FOUND or GH_ERR_CLOSED.
 * Returns GH_OK once committed, GH_ERR_BUSY when another process holds
 * the database (store_relayout) for longer than the busy timeout, or
 * GH_ERR_DB after rolling everything back (then no result counts).
 */
int store_commit_batch(struct store *s, struct store_submission *subs,
    size_t n) GH_WUR;

/*
 * Calls fn with every sealed blob of wave (its parts joined), in the
 * table's (random id) order, holding one blob at a time in memory. Stops early and returns fn's
 * value if non-zero; GH_ERR_DB on a read error.
 */
int store_answers_foreach(struct store *s, int64_t wave,
    int (*fn)(void *arg, const uint8_t *blob, size_t len), void *arg) GH_WUR;

/*
 * Counts a wave's issued tokens and its answers (one per spent token; the
 * database cannot say which tokens were spent).
 */
int store_token_counts(struct store *s, int64_t wave, int64_t *issued,
    int64_t *spent) GH_WUR;

/*
 * Checkpoints the WAL: a passive pass (it copies what it can without
 * holding anyone off), then, with is_truncate, a truncating one that
 * holds the writer off until every reader has left the WAL and leaves
 * the -wal file empty, so that no frame of an earlier commit stays in
 * it. A busy database is not an error (the next call catches up).
 */
int store_checkpoint(struct store *s, int is_truncate) GH_WUR;

/*
 * How many of the writer connection s's commits found its WAL started
 * over (SQLite starts it again at the first commit after a checkpoint
 * has copied all of it, unless a reader still reads from it, and, with
 * journal_size_limit 0, cuts the -wal file to that commit's frames):
 * when it grows, no frame of an earlier commit is left in the file.
 */
unsigned int store_wal_restarts(const struct store *s);

/* Returns 1 if the WAL holds no frame (a checkpoint that copies nothing
 * says so), else 0 (also if that cannot be told now). */
int store_wal_is_empty(struct store *s);

/*
 * Checkpoints and truncates the WAL now, for an erasure that must not
 * linger in it: while another connection runs a checkpoint (SQLite then
 * answers busy at once, without waiting), tries again every 10 ms for up
 * to two seconds. Returns GH_OK (the -wal file is empty), GH_ERR_BUSY or
 * GH_ERR_DB.
 */
int store_checkpoint_wait(struct store *s) GH_WUR;

/*
 * Rewrites the whole database in key order (VACUUM, then a truncating
 * checkpoint): answers, spends and tokens then lie in the order of their
 * random keys, and no page or cell position follows arrival. Takes the
 * write lock for as long as it runs (seconds per GiB).
 */
int store_relayout(struct store *s) GH_WUR;

/*
 * Writes a consistent copy of the whole database into a new file at path
 * (mode 0600; an existing file is never overwritten) with VACUUM INTO,
 * while the server keeps running: every table is written in key order,
 * so answers lie in the order of their random ids, and the copy has no
 * WAL. Returns GH_OK, GH_ERR_EXISTS, GH_ERR_IO or GH_ERR_DB; a partial
 * copy is removed.
 */
int store_backup(struct store *s, const char *path) GH_WUR;

/*
 * The times of the database's files. store_times_open opens the database
 * file, its -wal and its -shm (fds[i] is -1 where one is absent);
 * store_times_blur sets their access and modification times to 00:00 UTC
 * of today (futimens), so that no time of a file shows the last write
 * finer than the day (returns 0, or the errno of the first failure);
 * store_times_close closes them. Closing any
 * descriptor of a file drops the process's POSIX locks on it, SQLite's
 * included: close them only once no connection of this process is open.
 */
#define STORE_TIME_FILES 3
void store_times_open(const char *path, int fds[STORE_TIME_FILES]);
int store_times_blur(const int fds[STORE_TIME_FILES]);
void store_times_close(int fds[STORE_TIME_FILES]);

/* Returns today's day number (days since 1970-01-01, UTC). */
int64_t store_today(void);

#endif
