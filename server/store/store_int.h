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
	ST_WAVE_IDS,
	ST_WAVE_SET_K,
	ST_WAVE_SET_OPEN,
	ST_BATCH_INSERT,
	ST_TOKEN_INSERT,
	ST_TOKEN_LOOKUP,
	ST_TOKEN_SPEND,
	ST_TOKEN_COUNTS,
	ST_ANSWER_INSERT,
	ST_ANSWER_SCAN,
	ST_COUNT
};

struct store {
	sqlite3		*db;
	sqlite3_stmt	*st[ST_COUNT];
};

/* Logs the connection's last error with what was being done; returns GH_ERR_DB. */
int store_fail(struct store *s, const char *what);

/* Runs a statement that returns no rows (BEGIN, COMMIT, ...). */
int store_exec_stmt(struct store *s, enum store_stmt which) GH_WUR;

/* Rolls back, ignoring errors (the caller already has one to report). */
void store_rollback(struct store *s);

/* Returns the index of named parameter name in st (asserted to exist). */
int store_param(sqlite3_stmt *st, const char *name);

#endif
