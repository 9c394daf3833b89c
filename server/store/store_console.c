/*
 * store_console.c: the coordinator's audit log (store_console.h), in
 * console_audit; statements in the slots STORE_EXT_CONSOLE onwards.
 *
 * Entry points: store_console_audit_add (called by the console's
 * handlers once an action has been done), store_console_audit_foreach
 * (the console's audit page and `gehoord console audit`),
 * store_console_schedule_set and _get (a wave's opening and closing
 * times, in wave_schedule), store_console_schedule_run (serve's
 * scheduler: what is due is done, cleared and audited),
 * store_console_participation_flush and _foreach (links spent per unit,
 * written in bulk by serve once a day and at shutdown),
 * store_console_units_replace and _foreach (the organisation's units).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_console.h"
#include "store/store_int.h"

#define P(st, name) store_param((st), (name))

enum console_slot {
	ST_CONSOLE_AUDIT_ADD = STORE_EXT_CONSOLE,
	ST_CONSOLE_AUDIT_LIST,
	ST_CONSOLE_SCHEDULE_SET,
	ST_CONSOLE_SCHEDULE_GET,
	ST_CONSOLE_SCHEDULE_DUE,
	ST_CONSOLE_SCHEDULE_CLEAR_OPEN,
	ST_CONSOLE_SCHEDULE_CLEAR_CLOSE,
	ST_CONSOLE_PARTICIPATION_ADD,
	ST_CONSOLE_PARTICIPATION_LIST,
	ST_CONSOLE_UNITS_CLEAR,
	ST_CONSOLE_UNITS_ADD,
	ST_CONSOLE_UNITS_LIST,
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

static void
bind_time(sqlite3_stmt *st, const char *name, int64_t t)
{
	if (t > 0)
		sqlite3_bind_int64(st, P(st, name), t);
	else
		sqlite3_bind_null(st, P(st, name));
}

int
store_console_schedule_set(struct store *s, int64_t wave, int64_t open_at,
    int64_t close_at, const char *user)
{
	sqlite3_stmt *st;
	int rc;

	if (open_at < 0 || close_at < 0 || !is_field_ok(user, 64))
		return GH_ERR_INVALID;
	if ((st = store_ext_stmt(s, ST_CONSOLE_SCHEDULE_SET,
	    "INSERT INTO wave_schedule (wave_id, open_at, close_at, set_by)"
	    " VALUES (:wave, :open, :close, :user) ON CONFLICT (wave_id)"
	    " DO UPDATE SET open_at = excluded.open_at,"
	    " close_at = excluded.close_at, set_by = excluded.set_by")) ==
	    NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":wave"), wave);
	bind_time(st, ":open", open_at);
	bind_time(st, ":close", close_at);
	sqlite3_bind_text(st, P(st, ":user"), user, -1, SQLITE_STATIC);
	rc = store_step_once(st);
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return GH_ERR_NOT_FOUND;
	if (rc != SQLITE_DONE)
		return store_fail(s, "setting a wave's schedule");
	return GH_OK;
}

int
store_console_schedule_get(struct store *s, int64_t wave,
    struct console_schedule *out)
{
	sqlite3_stmt *st;
	const char *by;
	int rc, r = GH_OK;

	memset(out, 0, sizeof(*out));
	out->wave_id = wave;
	if ((st = store_ext_stmt(s, ST_CONSOLE_SCHEDULE_GET,
	    "SELECT coalesce(open_at, 0), coalesce(close_at, 0), set_by"
	    " FROM wave_schedule WHERE wave_id = :wave")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":wave"), wave);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->open_at = sqlite3_column_int64(st, 0);
		out->close_at = sqlite3_column_int64(st, 1);
		if ((by = (const char *)sqlite3_column_text(st, 2)) != NULL)
			snprintf(out->set_by, sizeof(out->set_by), "%s", by);
	} else if (rc != SQLITE_DONE)
		r = store_fail(s, "reading a wave's schedule");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

/* A due row, copied out before anything is changed. */
struct due {
	struct console_schedule	 sc;
	char			 object[CONSOLE_AUDIT_OBJECT_MAX + 1];
};

static int
due_read(struct store *s, int64_t now, struct due **out, size_t *n)
{
	sqlite3_stmt *st;
	struct due *d = NULL, *nd;
	const char *by, *name;
	int rc, r = GH_OK;

	*out = NULL;
	*n = 0;
	if ((st = store_ext_stmt(s, ST_CONSOLE_SCHEDULE_DUE,
	    "SELECT c.wave_id, coalesce(c.open_at, 0),"
	    " coalesce(c.close_at, 0), c.set_by, w.name"
	    " FROM wave_schedule c JOIN waves w ON w.id = c.wave_id"
	    " WHERE c.open_at <= :now OR c.close_at <= :now"
	    " ORDER BY c.wave_id")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":now"), now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((nd = realloc(d, (*n + 1) * sizeof(*d))) == NULL) {
			r = GH_ERR_NOMEM;
			break;
		}
		d = nd;
		memset(&d[*n], 0, sizeof(d[*n]));
		d[*n].sc.wave_id = sqlite3_column_int64(st, 0);
		d[*n].sc.open_at = sqlite3_column_int64(st, 1);
		d[*n].sc.close_at = sqlite3_column_int64(st, 2);
		by = (const char *)sqlite3_column_text(st, 3);
		name = (const char *)sqlite3_column_text(st, 4);
		snprintf(d[*n].sc.set_by, sizeof(d[*n].sc.set_by), "%s",
		    by != NULL ? by : "?");
		snprintf(d[*n].object, sizeof(d[*n].object), "%lld %s",
		    (long long)d[*n].sc.wave_id, name != NULL ? name : "");
		(*n)++;
	}
	if (r == GH_OK && rc != SQLITE_DONE)
		r = store_fail(s, "reading the due schedules");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (r != GH_OK) {
		free(d);
		*n = 0;
		return r;
	}
	*out = d;
	return GH_OK;
}

/* Opens or closes d's wave, clears that time and audits it. */
static int
due_apply(struct store *s, const struct due *d, int is_open)
{
	sqlite3_stmt *st;
	int64_t at = is_open ? d->sc.open_at : d->sc.close_at;
	int r;

	if ((r = store_wave_set_open(s, d->sc.wave_id, is_open)) != GH_OK)
		return r;
	st = is_open ? store_ext_stmt(s, ST_CONSOLE_SCHEDULE_CLEAR_OPEN,
	    "UPDATE wave_schedule SET open_at = NULL"
	    " WHERE wave_id = :wave AND open_at = :at") :
	    store_ext_stmt(s, ST_CONSOLE_SCHEDULE_CLEAR_CLOSE,
	    "UPDATE wave_schedule SET close_at = NULL"
	    " WHERE wave_id = :wave AND close_at = :at");
	if (st == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":wave"), d->sc.wave_id);
	sqlite3_bind_int64(st, P(st, ":at"), at);
	if (store_step_once(st) != SQLITE_DONE)
		return store_fail(s, "clearing a schedule carried out");
	return store_console_audit_add(s, d->sc.set_by, is_open ?
	    "wave_open_scheduled" : "wave_close_scheduled", d->object);
}

int
store_console_schedule_run(struct store *s, int64_t now, int *n_done)
{
	struct due *d = NULL;
	size_t n, i;
	int r, first_open;

	*n_done = 0;
	if ((r = due_read(s, now, &d, &n)) != GH_OK)
		return r;
	for (i = 0; i < n && r == GH_OK; i++) {
		const struct console_schedule *sc = &d[i].sc;
		int is_open_due = sc->open_at > 0 && sc->open_at <= now;
		int is_close_due = sc->close_at > 0 && sc->close_at <= now;

		/* Both due (serve was down): in the order they were set for. */
		first_open = is_open_due && (!is_close_due ||
		    sc->open_at <= sc->close_at);
		if (first_open && (r = due_apply(s, &d[i], 1)) == GH_OK)
			(*n_done)++;
		if (r == GH_OK && is_close_due &&
		    (r = due_apply(s, &d[i], 0)) == GH_OK)
			(*n_done)++;
		if (r == GH_OK && is_open_due && !first_open &&
		    (r = due_apply(s, &d[i], 1)) == GH_OK)
			(*n_done)++;
	}
	free(d);
	return r;
}

int
store_console_participation_flush(struct store *s,
    const struct console_count *counts, size_t n, int64_t day)
{
	sqlite3_stmt *st;
	size_t i;
	int r;

	if (n == 0)
		return GH_OK;
	if ((st = store_ext_stmt(s, ST_CONSOLE_PARTICIPATION_ADD,
	    "INSERT INTO unit_participation (wave_id, unit, spent, day)"
	    " VALUES (:wave, :unit, :spent, :day) ON CONFLICT (wave_id, unit)"
	    " DO UPDATE SET spent = spent + excluded.spent,"
	    " day = excluded.day")) == NULL)
		return GH_ERR_DB;
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	for (i = 0; i < n && r == GH_OK; i++) {
		sqlite3_bind_int64(st, P(st, ":wave"), counts[i].wave_id);
		sqlite3_bind_text(st, P(st, ":unit"), counts[i].unit, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, P(st, ":spent"), counts[i].spent);
		sqlite3_bind_int64(st, P(st, ":day"), day);
		if (store_step_once(st) != SQLITE_DONE)
			r = store_fail(s, "writing the links spent per unit");
	}
	if (r == GH_OK)
		r = store_exec_stmt(s, ST_COMMIT);
	if (r != GH_OK)
		store_rollback(s);
	return r;
}

int
store_console_participation_foreach(struct store *s, int64_t wave,
    int (*fn)(void *arg, const struct console_unit_row *row), void *arg)
{
	struct console_unit_row row;
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, r = GH_OK;

	if ((st = store_ext_stmt(s, ST_CONSOLE_PARTICIPATION_LIST,
	    "SELECT b.unit, sum(b.size), coalesce(p.spent, 0),"
	    " coalesce(p.day, 0), coalesce(max(u.head_count), -1)"
	    " FROM batches b LEFT JOIN unit_participation p"
	    " ON p.wave_id = b.wave_id AND p.unit = b.unit"
	    " LEFT JOIN org_units u ON u.name = b.unit"
	    " WHERE b.wave_id = :wave AND b.unit IS NOT NULL AND b.unit <> ''"
	    " GROUP BY b.unit ORDER BY b.unit")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_int64(st, P(st, ":wave"), wave);
	while (r == GH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		row.unit = (const char *)sqlite3_column_text(st, 0);
		row.issued = sqlite3_column_int64(st, 1);
		row.spent = sqlite3_column_int64(st, 2);
		row.day = sqlite3_column_int64(st, 3);
		row.head = sqlite3_column_int64(st, 4);
		if (row.unit == NULL) {
			r = store_fail(s, "reading the links spent per unit");
			break;
		}
		r = fn(arg, &row);
	}
	if (r == GH_OK && rc != SQLITE_DONE)
		r = store_fail(s, "reading the links spent per unit");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_console_units_replace(struct store *s, const char *const *names,
    const int64_t *head, size_t n)
{
	sqlite3_stmt *del, *ins;
	size_t i;
	int r;

	if ((del = store_ext_stmt(s, ST_CONSOLE_UNITS_CLEAR,
	    "DELETE FROM org_units")) == NULL ||
	    (ins = store_ext_stmt(s, ST_CONSOLE_UNITS_ADD,
	    "INSERT INTO org_units (name, head_count) VALUES (:name, :head)"))
	    == NULL)
		return GH_ERR_DB;
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	if (store_step_once(del) != SQLITE_DONE)
		r = store_fail(s, "clearing the units");
	for (i = 0; i < n && r == GH_OK; i++) {
		sqlite3_bind_text(ins, P(ins, ":name"), names[i], -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(ins, P(ins, ":head"), head[i]);
		if (store_step_once(ins) != SQLITE_DONE)
			r = store_fail(s, "storing a unit");
	}
	if (r == GH_OK)
		r = store_exec_stmt(s, ST_COMMIT);
	if (r != GH_OK)
		store_rollback(s);
	return r;
}

int
store_console_units_foreach(struct store *s,
    int (*fn)(void *arg, const char *name, int64_t head), void *arg)
{
	sqlite3_stmt *st;
	const char *name;
	int rc = SQLITE_DONE, r = GH_OK;

	if ((st = store_ext_stmt(s, ST_CONSOLE_UNITS_LIST,
	    "SELECT name, head_count FROM org_units ORDER BY name")) == NULL)
		return GH_ERR_DB;
	while (r == GH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((name = (const char *)sqlite3_column_text(st, 0)) == NULL) {
			r = store_fail(s, "reading the units");
			break;
		}
		r = fn(arg, name, sqlite3_column_int64(st, 1));
	}
	if (r == GH_OK && rc != SQLITE_DONE)
		r = store_fail(s, "reading the units");
	sqlite3_reset(st);
	return r;
}
