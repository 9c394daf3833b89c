/*
 * store_int.h: what the store's own files share: the connection and its
 * prepared statements. Not for use outside server/store/.
 */
#ifndef GH_STORE_INT_H
#define GH_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

enum store_stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_WAVE_INSERT,
	ST_WAVE_GET,
	ST_WAVE_COUNT,
	ST_WAVE_IDS,
	ST_WAVE_SET_K,
	ST_WAVE_SET_OPEN,
	ST_WAVE_IS_OPEN,
	ST_BATCH_INSERT,
	ST_TOKEN_INSERT,
	ST_TOKEN_LOOKUP,
	ST_TOKEN_SPEND,
	ST_TOKEN_COUNTS,
	ST_ANSWER_INSERT,
	ST_ANSWER_SCAN,
	ST_COUNT
};

/*
 * Statements of the other store files (store_report.c, store_user.c,
 * store_release.c), prepared at first use by store_ext_stmt. Each file
 * owns a range of slots, so that none needs to touch this header. Every
 * statement slot of the store is spelled ST_: ST_X here, ST_REPORT_X
 * (store_report_int.h, offsets from STORE_EXT_REPORT), ST_USER_X and
 * ST_INSTANCE_X (store_user.c), ST_RELEASE_X (store_release.c),
 * ST_BATCHES (store_batch.c), ST_INVITE_X (store_invite.c).
 */
#define STORE_EXT_MAX		320
#define STORE_EXT_REPORT	0	/* store_report.c: slots 0..39 */
#define STORE_EXT_USER		40	/* store_user.c: slots 40..59 */
#define STORE_EXT_RELEASE	60	/* store_release.c: slots 60..79 */
#define STORE_EXT_OTHER		80	/* instance keys, stats: 80..95 */
#define STORE_EXT_CASE		96	/* the desk's casework: 96..127 */
#define STORE_EXT_REVIEW	128	/* reviewers' second opinions: 128..143 */
#define STORE_EXT_SEEN		144	/* what a reporter has seen: 144..159 */
#define STORE_EXT_RESUME	160	/* saved, unfinished answers: 160..175 */
#define STORE_EXT_INVITE	176	/* blind invitations: 176..191 */
#define STORE_EXT_RETAIN	192	/* retention of reports, waves: 192..207 */
#define STORE_EXT_ATTACH	208	/* attachments of reports: 208..223 */
#define STORE_EXT_CONSOLE	224	/* the coordinator's console: 224..239 */
#define STORE_EXT_ACCOUNT	240	/* the console's accounts, settings: 240..255 */
#define STORE_EXT_PUBLISH	256	/* release plans, published releases: 256..271 */
#define STORE_EXT_LETTER	272	/* links and letters per unit: 272..287 */
#define STORE_EXT_REPLY_FILE	288	/* the desk's files in replies: 288..303 */
#define STORE_EXT_TEST		304	/* a wave's test links: 304..319 */

struct store {
	sqlite3		*db;
	sqlite3_stmt	*st[ST_COUNT];
	sqlite3_stmt	*ext[STORE_EXT_MAX];
	/* A writer's WAL (wal_hook): frames after its last commit, and how
	 * often a commit found the WAL started over. */
	int		 wal_frames;
	unsigned int	 wal_restarts;
};

/*
 * Returns the statement of slot (preparing sql the first time; the same
 * slot must always get the same sql), or NULL after logging why. The
 * statement is reset by its user after each use.
 */
sqlite3_stmt *store_ext_stmt(struct store *s, int slot, const char *sql);

/* Logs the connection's last error with what was being done; returns GH_ERR_DB. */
int store_fail(struct store *s, const char *what);

/* Runs a statement that returns no rows (BEGIN, COMMIT, ...). */
int store_exec_stmt(struct store *s, enum store_stmt which) GH_WUR;

/* Steps st once, resets it and clears its bindings; returns the step's rc. */
int store_step_once(sqlite3_stmt *st);

/*
 * Inserts the n hashes of a batch of one-time links (tokens, report links,
 * invitations) with st, which takes :hash and :batch, inside the caller's
 * transaction. Returns GH_OK, GH_ERR_EXISTS (a hash is there already) or
 * GH_ERR_DB (logged with what: "inserting WHAT").
 */
int store_insert_hashes(struct store *s, sqlite3_stmt *st, int64_t batch,
    const uint8_t (*hashes)[STORE_HASH_BYTES], size_t n, const char *what)
    GH_WUR;

/* Rolls back, ignoring errors (the caller already has one to report). */
void store_rollback(struct store *s);

/* Returns the index of named parameter name in st (asserted to exist). */
int store_param(sqlite3_stmt *st, const char *name);

/*
 * The lookup of a token made from an invitation (store_invite.c): the
 * same columns as ST_TOKEN_LOOKUP, for the batch in :batch and the
 * spend hash in :spend. NULL after logging why.
 */
sqlite3_stmt *store_invite_token_stmt(struct store *s);

#endif
