/*
 * store_console.c: the coordinator's audit log (store_console.h), in
 * console_audit; statements in the slots STORE_EXT_CONSOLE onwards.
 *
 * Entry points: store_console_audit_add (called by the console's
 * handlers once an action has been done), store_console_audit_foreach
 * (the console's audit page and `gehoord console audit`).
 */
#include <string.h>

#include "store/store_console.h"
#include "store/store_int.h"

#define P(st, name) store_param((st), (name))

enum console_slot {
	ST_CONSOLE_AUDIT_ADD = STORE_EXT_CONSOLE,
	ST_CONSOLE_AUDIT_LIST,
};

static int
is_field_ok(const char *v, size_t max)
{
	return v != NULL && v[0] != '\0' && strlen(v) <= max;
}

int
store_console_audit_add(struct store *s, const char *user,
    const char *action, const char *object)
{
	sqlite3_stmt *st;

	if (!is_field_ok(user, 64) ||
	    !is_field_ok(action, CONSOLE_AUDIT_ACTION_MAX) ||
	    !is_field_ok(object, CONSOLE_AUDIT_OBJECT_MAX))
		return GH_ERR_INVALID;
	if ((st = store_ext_stmt(s, ST_CONSOLE_AUDIT_ADD,
	    "INSERT INTO console_audit (user_name, action, object, day)"
	    " VALUES (:user, :action, :object, :day)")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_text(st, P(st, ":user"), user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, P(st, ":action"), action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, P(st, ":object"), object, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, P(st, ":day"), store_today());
	if (store_step_once(st) != SQLITE_DONE)
		return store_fail(s, "adding to the console's audit log");
	return GH_OK;
}

int
store_console_audit_foreach(struct store *s, int max,
    int (*fn)(void *arg, const struct console_audit_row *row), void *arg)
{
	struct console_audit_row row;
	sqlite3_stmt *st;
	int rc, r = GH_OK;

	if ((st = store_ext_stmt(s, ST_CONSOLE_AUDIT_LIST,
	    "SELECT id, user_name, action, object, day FROM console_audit"
	    " ORDER BY id DESC LIMIT :max")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int(st, P(st, ":max"), max);
	while (r == GH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		row.id = sqlite3_column_int64(st, 0);
		row.user = (const char *)sqlite3_column_text(st, 1);
		row.action = (const char *)sqlite3_column_text(st, 2);
		row.object = (const char *)sqlite3_column_text(st, 3);
		row.day = sqlite3_column_int64(st, 4);
		if (row.user == NULL || row.action == NULL ||
		    row.object == NULL) {
			r = store_fail(s, "reading the console's audit log");
			break;
		}
		r = fn(arg, &row);
	}
	if (r == GH_OK && rc != SQLITE_DONE)
		r = store_fail(s, "reading the console's audit log");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}
