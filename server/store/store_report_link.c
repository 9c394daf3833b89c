/*
 * store_report_link.c: one-time report links (store_report.h): a batch of
 * keyed hashes, their state, and spending one inside the transaction that
 * stores the report (store_report_create). Like survey tokens, only keyed
 * hashes are kept: the issued row (lookup hash) is never written again,
 * and a spend is a new row in spends under the link's spend hash, so
 * nothing ties a spent link, or its batch, to the report it opened.
 *
 * Entry points: store_report_links_create, store_report_link_state,
 * report_link_spend (store_report_int.h).
 */
#include "store/store_report_int.h"
#include "util/log.h"

#define P(st, name) store_param((st), (name))

/* The SQL of the link slots of store_report_int.h, in their order from
 * ST_REPORT_LINK_BATCH: this file prepares its slots itself. */
static const char *const link_sql[] = {
	/* ST_REPORT_LINK_BATCH */
	"INSERT INTO report_link_batches (size, created_day) "
	"VALUES (:size, :day)",
	/* ST_REPORT_LINK_INSERT */
	"INSERT INTO report_links (hash, batch_id) VALUES (:hash, :batch)",
	/* ST_REPORT_LINK_STATE */
	"SELECT spent_before_v3 IS NOT NULL OR EXISTS "
	"(SELECT 1 FROM spends WHERE hash = :spend) "
	"FROM report_links WHERE hash = :hash",
	/* ST_REPORT_LINK_SPEND */
	"INSERT INTO spends (hash) VALUES (:spend)",
};
_Static_assert(sizeof(link_sql) / sizeof(link_sql[0]) ==
    ST_REPORT_COUNT - ST_REPORT_LINK_BATCH, "one statement per link slot");

static sqlite3_stmt *
link_stmt(struct store *s, enum report_slot which)
{
	return store_ext_stmt(s, STORE_EXT_REPORT + (int)which,
	    link_sql[which - ST_REPORT_LINK_BATCH]);
}

int
store_report_links_create(struct store *s, const uint8_t (*hashes)[32],
    size_t n, int64_t *batch)
{
	sqlite3_stmt *bst = link_stmt(s, ST_REPORT_LINK_BATCH);
	sqlite3_stmt *lst = link_stmt(s, ST_REPORT_LINK_INSERT);
	int64_t id;
	int r;

	if (bst == NULL || lst == NULL)
		return GH_ERR_DB;
	if (n == 0)
		return GH_ERR_INVALID;
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	sqlite3_bind_int64(bst, P(bst, ":size"), (sqlite3_int64)n);
	sqlite3_bind_int64(bst, P(bst, ":day"), store_today());
	if (store_step_once(bst) != SQLITE_DONE) {
		r = store_fail(s, "inserting a report link batch");
		goto out;
	}
	id = sqlite3_last_insert_rowid(s->db);
	if ((r = store_insert_hashes(s, lst, id, hashes, n,
	    "a report link")) != GH_OK)
		goto out;
	if ((r = store_exec_stmt(s, ST_COMMIT)) != GH_OK)
		goto out;
	*batch = id;
out:
	if (r != GH_OK)
		store_rollback(s);
	return r;
}

int
store_report_link_state(struct store *s, const struct store_token_key *link,
    enum store_token_state *state)
{
	sqlite3_stmt *st = link_stmt(s, ST_REPORT_LINK_STATE);
	int rc, r = GH_OK;

	*state = STORE_TOKEN_UNKNOWN;
	if (st == NULL)
		return GH_ERR_DB;
	sqlite3_bind_blob(st, P(st, ":hash"), link->lookup, 32,
	    SQLITE_STATIC);
	sqlite3_bind_blob(st, P(st, ":spend"), link->spend, 32,
	    SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*state = sqlite3_column_int(st, 0) ? STORE_TOKEN_SPENT :
		    STORE_TOKEN_FRESH;
	else if (rc != SQLITE_DONE)
		r = store_fail(s, "looking up a report link");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
report_link_spend(struct store *s, const struct store_token_key *link)
{
	sqlite3_stmt *st = link_stmt(s, ST_REPORT_LINK_SPEND);
	enum store_token_state state;
	int r, rc;

	if (st == NULL)
		return GH_ERR_DB;
	if ((r = store_report_link_state(s, link, &state)) != GH_OK)
		return r;
	if (state != STORE_TOKEN_FRESH)
		return state == STORE_TOKEN_SPENT ? GH_ERR_SPENT :
		    GH_ERR_NOT_FOUND;
	sqlite3_bind_blob(st, P(st, ":spend"), link->spend, 32,
	    SQLITE_STATIC);
	rc = store_step_once(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return GH_ERR_SPENT;
	if (rc != SQLITE_DONE)
		return store_fail(s, "spending a report link");
	return GH_OK;
}
