/*
 * store_reply_file.c: a message stored with its files, and the files
 * listed with their message (store_reply_file.h); statements in the
 * slots STORE_EXT_REPLY_FILE onwards.
 *
 * Entry points: store_report_add_message_files,
 * store_attach_each_from. Only sealed blobs, random ids, seq numbers and
 * day numbers go in or come out.
 */
#include <string.h>

#include "store/store_int.h"
#include "store/store_reply_file.h"
#include "store/store_report_int.h"

#define P(st, name) store_param((st), (name))

enum reply_file_slot {
	ST_RF_ADD = STORE_EXT_REPLY_FILE,
	ST_RF_EACH,
};

/* Stores attachment a of report id with the report's last message. */
static int
add_with_last(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const struct store_attach *a)
{
	return store_attach_insert(s, store_ext_stmt(s, ST_RF_ADD,
	    "INSERT INTO report_attachments"
	    " (report_id, id, day, for_desk, for_reporter, seq)"
	    " VALUES (:id, :aid, :day, :desk, :reporter,"
	    " (SELECT max(seq) FROM messages WHERE report_id = :id))"), id, a,
	    "storing a message's file");
}

int
store_report_add_message_files(struct store *s,
    const uint8_t id[REPORT_ID_BYTES], const struct report_msg *m,
    int64_t day, const struct store_attach *a, size_t n)
{
	enum report_status status = REPORT_RECEIVED;
	size_t i;
	int r;

	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	/* Live: a post racing a withdrawal leaves nothing behind it. */
	if ((r = report_status_of(s, id, &status)) == GH_OK &&
	    status == REPORT_WITHDRAWN)
		r = GH_ERR_CLOSED;
	if (r == GH_OK)
		r = report_insert_message(s, id, m, day);
	for (i = 0; i < n && r == GH_OK; i++)
		r = add_with_last(s, id, &a[i]);
	if (r == GH_OK)
		r = store_exec_stmt(s, ST_COMMIT);
	if (r != GH_OK)
		store_rollback(s);
	return r;
}

int
store_attach_each_from(struct store *s,
    const uint8_t report_id[REPORT_ID_BYTES],
    int (*fn)(const struct store_attach *a,
    const struct store_attach_from *from, void *arg), void *arg)
{
	sqlite3_stmt *st = store_ext_stmt(s, ST_RF_EACH,
	    "SELECT a.id, a.day, a.for_desk, a.for_reporter,"
	    " coalesce(a.seq, 0), coalesce(m.author, 0)"
	    " FROM report_attachments a LEFT JOIN messages m"
	    " ON m.report_id = a.report_id AND m.seq = a.seq"
	    " WHERE a.report_id = :id ORDER BY a.id");
	struct store_attach_from from;
	struct store_attach a;
	int rc = SQLITE_DONE, r = GH_OK;

	if (st == NULL)
		return GH_ERR_DB;
	report_bind_id(st, report_id);
	while (r == GH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&a, 0, sizeof(a));
		if (sqlite3_column_bytes(st, 0) != ATTACH_ID_BYTES) {
			r = GH_ERR_INVALID;
			break;
		}
		memcpy(a.id, sqlite3_column_blob(st, 0), ATTACH_ID_BYTES);
		a.day = sqlite3_column_int64(st, 1);
		a.for_desk = (uint8_t *)sqlite3_column_blob(st, 2);
		a.for_desk_len = (size_t)sqlite3_column_bytes(st, 2);
		a.for_reporter = (uint8_t *)sqlite3_column_blob(st, 3);
		a.for_reporter_len = (size_t)sqlite3_column_bytes(st, 3);
		from.seq = sqlite3_column_int64(st, 4);
		from.author = sqlite3_column_int(st, 5) == REPORT_BY_DESK ?
		    REPORT_BY_DESK : REPORT_BY_REPORTER;
		r = fn(&a, &from, arg);
	}
	if (r == GH_OK && rc != SQLITE_DONE)
		r = store_fail(s, "listing a conversation's files");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}
