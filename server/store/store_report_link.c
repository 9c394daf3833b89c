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

int
store_report_links_create(struct store *s, const uint8_t (*hashes)[32],
    size_t n, int64_t *batch)
{
	sqlite3_stmt *bst = report_stmt(s, RS_LINK_BATCH);
	sqlite3_stmt *lst = report_stmt(s, RS_LINK_INSERT);
	int64_t id;
	size_t i;
	int r, rc;

	if (bst == NULL || lst == NULL)
		return GH_ERR_DB;
	if (n == 0)
		return GH_ERR_INVALID;
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	sqlite3_bind_int64(bst, P(bst, ":size"), (sqlite3_int64)n);
	sqlite3_bind_int64(bst, P(bst, ":day"), store_today());
	if (report_step_once(bst) != SQLITE_DONE) {
		r = store_fail(s, "inserting a report link batch");
		goto out;
	}
	id = sqlite3_last_insert_rowid(s->db);
	for (i = 0; i < n; i++) {
		sqlite3_bind_blob(lst, P(lst, ":hash"), hashes[i], 32,
		    SQLITE_STATIC);
		sqlite3_bind_int64(lst, P(lst, ":batch"), id);
		rc = report_step_once(lst);
		if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
			r = GH_ERR_EXISTS;
			goto out;
		}
		if (rc != SQLITE_DONE) {
			r = store_fail(s, "inserting a report link");
			goto out;
		}
	}
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
	sqlite3_stmt *st = report_stmt(s, RS_LINK_STATE);
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
	sqlite3_stmt *st = report_stmt(s, RS_LINK_SPEND);
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
	rc = report_step_once(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return GH_ERR_SPENT;
	if (rc != SQLITE_DONE)
		return store_fail(s, "spending a report link");
	return GH_OK;
}
