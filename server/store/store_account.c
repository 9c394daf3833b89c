/*
 * store_account.c: coordinators waiting for confirmation and the
 * instance's settings (store_account.h); statements in the slots
 * STORE_EXT_ACCOUNT onwards.
 *
 * Entry points: store_account_propose, store_account_proposal_get,
 * store_account_proposal_remove, store_account_proposal_foreach (the
 * console's accounts page, route_console_accounts.c, and `gehoord
 * user`), store_account_active_coordinators (the rule that the last
 * active coordinator stays), store_settings_get and store_settings_set
 * (the console's settings page, serve's start, `gehoord tokens issue`).
 * A row read back is checked (lengths, the logo's size) before use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_account.h"
#include "store/store_console.h"
#include "store/store_int.h"
#include "store/store_user.h"
#include "util/log.h"

#define P(st, name) store_param((st), (name))

enum account_slot {
	ST_ACCOUNT_PROPOSE = STORE_EXT_ACCOUNT,
	ST_ACCOUNT_IS_USER,
	ST_ACCOUNT_GET,
	ST_ACCOUNT_REMOVE,
	ST_ACCOUNT_LIST,
	ST_ACCOUNT_ACTIVE,
	ST_SETTINGS_GET,
	ST_SETTINGS_SET,
};

static int
is_name_ok(const char *v)
{
	return v != NULL && v[0] != '\0' && strlen(v) <= ACCOUNT_NAME_MAX;
}

/* 1 if a user named name exists, 0 if not, or a negative error. */
static int
user_exists(struct store *s, const char *name)
{
	sqlite3_stmt *st;
	int rc, r;

	if ((st = store_ext_stmt(s, ST_ACCOUNT_IS_USER,
	    "SELECT count(*) FROM users WHERE name = :name")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_text(st, P(st, ":name"), name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	r = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) > 0 :
	    store_fail(s, "looking a user up");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_account_propose(struct store *s, const char *name, const char *by)
{
	sqlite3_stmt *st;
	int rc, r;

	if (!is_name_ok(name) || !is_name_ok(by))
		return GH_ERR_INVALID;
	if ((r = user_exists(s, name)) != 0)
		return r > 0 ? GH_ERR_EXISTS : r;
	if ((st = store_ext_stmt(s, ST_ACCOUNT_PROPOSE,
	    "INSERT INTO account_proposals (name, proposed_by, day) "
	    "VALUES (:name, :by, :day)")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_text(st, P(st, ":name"), name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, P(st, ":by"), by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, P(st, ":day"), store_today());
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
		r = GH_ERR_EXISTS;
	else if (rc != SQLITE_DONE)
		r = store_fail(s, "proposing a coordinator");
	else
		r = GH_OK;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

/* Copies the current row (name, proposed_by, day) into *p, checked. */
static int
read_proposal(sqlite3_stmt *st, struct account_proposal *p)
{
	const char *name = (const char *)sqlite3_column_text(st, 0);
	const char *by = (const char *)sqlite3_column_text(st, 1);

	memset(p, 0, sizeof(*p));
	if (!is_name_ok(name) || !is_name_ok(by)) {
		log_error("account_proposals: a name is out of range");
		return GH_ERR_INVALID;
	}
	memcpy(p->name, name, strlen(name) + 1);
	memcpy(p->proposed_by, by, strlen(by) + 1);
	p->day = sqlite3_column_int64(st, 2);
	return GH_OK;
}

int
store_account_proposal_get(struct store *s, const char *name,
    struct account_proposal *p)
{
	sqlite3_stmt *st;
	int rc, r;

	if ((st = store_ext_stmt(s, ST_ACCOUNT_GET,
	    "SELECT name, proposed_by, day FROM account_proposals "
	    "WHERE name = :name")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_text(st, P(st, ":name"), name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = read_proposal(st, p);
	else if (rc == SQLITE_DONE)
		r = GH_ERR_NOT_FOUND;
	else
		r = store_fail(s, "reading a proposal");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_account_proposal_remove(struct store *s, const char *name)
{
	sqlite3_stmt *st;
	int r = GH_OK;

	if ((st = store_ext_stmt(s, ST_ACCOUNT_REMOVE,
	    "DELETE FROM account_proposals WHERE name = :name")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_text(st, P(st, ":name"), name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		r = store_fail(s, "removing a proposal");
	else if (sqlite3_changes(s->db) == 0)
		r = GH_ERR_NOT_FOUND;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_account_proposal_foreach(struct store *s,
    int (*fn)(void *arg, const struct account_proposal *p), void *arg)
{
	struct account_proposal p;
	sqlite3_stmt *st;
	int rc, r = GH_OK;

	if ((st = store_ext_stmt(s, ST_ACCOUNT_LIST,
	    "SELECT name, proposed_by, day FROM account_proposals "
	    "ORDER BY name")) == NULL)
		return GH_ERR_DB;
	while (r == GH_OK && (rc = sqlite3_step(st)) != SQLITE_DONE) {
		if (rc != SQLITE_ROW) {
			r = store_fail(s, "listing proposals");
			break;
		}
		if ((r = read_proposal(st, &p)) == GH_OK)
			r = fn(arg, &p);
	}
	sqlite3_reset(st);
	return r;
}

int
store_account_confirm(struct store *s, const struct user_row *u,
    const char *by)
{
	struct account_proposal p;
	char object[ACCOUNT_NAME_MAX + 32];
	int r;

	if (u->role != USER_COORDINATOR || !is_name_ok(by))
		return GH_ERR_INVALID;
	if ((r = store_exec_stmt(s, ST_BEGIN)) != GH_OK)
		return r;
	if ((r = store_account_proposal_get(s, u->name, &p)) != GH_OK)
		goto out;
	if (strcmp(p.proposed_by, by) == 0) {
		r = GH_ERR_PRIVACY;
		goto out;
	}
	snprintf(object, sizeof(object), "%s (coordinator)", u->name);
	if ((r = store_user_add(s, u)) != GH_OK ||
	    (r = store_account_proposal_remove(s, u->name)) != GH_OK ||
	    (r = store_console_audit_add(s, by, "account_confirm", object)) !=
	    GH_OK)
		goto out;
	r = store_exec_stmt(s, ST_COMMIT);
out:
	if (r != GH_OK)
		store_rollback(s);
	return r;
}

int
store_account_active_coordinators(struct store *s, int64_t *n)
{
	sqlite3_stmt *st;
	int r = GH_OK;

	*n = 0;
	if ((st = store_ext_stmt(s, ST_ACCOUNT_ACTIVE,
	    "SELECT count(*) FROM users WHERE role = 'coordinator' "
	    "AND is_disabled = 0")) == NULL)
		return GH_ERR_DB;
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	else
		r = store_fail(s, "counting coordinators");
	sqlite3_reset(st);
	return r;
}

void
store_settings_clear(struct store_settings *st)
{
	if (st == NULL)
		return;
	free(st->org_name);
	free(st->org_contact);
	free(st->privacy_url);
	free(st->logo);
	memset(st, 0, sizeof(*st));
}

/* A copy of text column col into *out (NULL stays NULL); checked. */
static int
text_col(sqlite3_stmt *st, int col, char **out)
{
	const char *v = (const char *)sqlite3_column_text(st, col);

	*out = NULL;
	if (v == NULL)
		return GH_OK;
	if (v[0] == '\0' || strlen(v) > SETTINGS_TEXT_MAX) {
		log_error("instance_settings: column %d is out of range", col);
		return GH_ERR_INVALID;
	}
	return (*out = strdup(v)) == NULL ? GH_ERR_NOMEM : GH_OK;
}

static int
read_settings(sqlite3_stmt *st, struct store_settings *out)
{
	int n = sqlite3_column_bytes(st, 3), r;

	if ((r = text_col(st, 0, &out->org_name)) != GH_OK ||
	    (r = text_col(st, 1, &out->org_contact)) != GH_OK ||
	    (r = text_col(st, 2, &out->privacy_url)) != GH_OK)
		return r;
	if (n < 0 || (size_t)n > SETTINGS_LOGO_MAX) {
		log_error("instance_settings: the logo is out of range");
		return GH_ERR_INVALID;
	}
	if (n == 0)
		return GH_OK;
	if ((out->logo = malloc((size_t)n)) == NULL)
		return GH_ERR_NOMEM;
	memcpy(out->logo, sqlite3_column_blob(st, 3), (size_t)n);
	out->logo_len = (size_t)n;
	return GH_OK;
}

int
store_settings_get(struct store *s, struct store_settings *out)
{
	sqlite3_stmt *st;
	int rc, r;

	memset(out, 0, sizeof(*out));
	if ((st = store_ext_stmt(s, ST_SETTINGS_GET,
	    "SELECT org_name, org_contact, privacy_url, logo "
	    "FROM instance_settings WHERE id = 1")) == NULL)
		return GH_ERR_DB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = read_settings(st, out);
	else if (rc == SQLITE_DONE)
		r = GH_ERR_NOT_FOUND;
	else
		r = store_fail(s, "reading the settings");
	sqlite3_reset(st);
	if (r != GH_OK)
		store_settings_clear(out);
	return r;
}

static void
bind_text_or_null(sqlite3_stmt *st, const char *name, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(st, P(st, name), v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, P(st, name));
}

static int
is_text_ok(const char *v)
{
	return v == NULL || (v[0] != '\0' && strlen(v) <= SETTINGS_TEXT_MAX);
}

int
store_settings_set(struct store *s, const char *org_name,
    const char *org_contact, const char *privacy_url,
    const unsigned char *logo, size_t logo_len)
{
	sqlite3_stmt *st;
	int r = GH_OK;

	if (!is_text_ok(org_name) || !is_text_ok(org_contact) ||
	    !is_text_ok(privacy_url) || logo_len > SETTINGS_LOGO_MAX ||
	    (logo == NULL) != (logo_len == 0))
		return GH_ERR_INVALID;
	if ((st = store_ext_stmt(s, ST_SETTINGS_SET,
	    "INSERT INTO instance_settings (id, org_name, org_contact, "
	    "privacy_url, logo, day) VALUES (1, :name, :contact, :privacy, "
	    ":logo, :day) ON CONFLICT (id) DO UPDATE SET "
	    "org_name = excluded.org_name, org_contact = excluded.org_contact, "
	    "privacy_url = excluded.privacy_url, logo = excluded.logo, "
	    "day = excluded.day")) == NULL)
		return GH_ERR_DB;
	bind_text_or_null(st, ":name", org_name);
	bind_text_or_null(st, ":contact", org_contact);
	bind_text_or_null(st, ":privacy", privacy_url);
	if (logo != NULL)
		sqlite3_bind_blob(st, P(st, ":logo"), logo, (int)logo_len,
		    SQLITE_STATIC);
	else
		sqlite3_bind_null(st, P(st, ":logo"));
	sqlite3_bind_int64(st, P(st, ":day"), store_today());
	if (sqlite3_step(st) != SQLITE_DONE)
		r = store_fail(s, "storing the settings");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}
