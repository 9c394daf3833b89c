/*
 * store_user.c: desk, researcher and reviewer accounts, and the instance's public
 * keys (see store_user.h).
 *
 * Entry points: store_user_add, store_user_get, store_user_count,
 * store_user_update, store_user_set_disabled, store_user_remove,
 * store_user_is_current, store_user_foreach, store_key_set, store_key_get.
 * Statements are prepared at first use in this file's slots
 * (STORE_EXT_USER.., and STORE_EXT_OTHER.. for the keys). A row read back
 * is checked before use: the role, the hash, the wrapped key's size and
 * a reviewer's public key (exactly 32 bytes, and only a reviewer's).
 */
#include <string.h>

#include "store/store_int.h"
#include "store/store_user.h"
#include "util/log.h"

#define P(st, name) store_param((st), (name))

enum {
	ST_USER_INSERT = STORE_EXT_USER,
	ST_USER_GET,
	ST_USER_COUNT,
	ST_USER_UPDATE,
	ST_USER_ALL,
	ST_USER_DISABLE,
	ST_USER_REMOVE,
	ST_USER_CURRENT,
	ST_INSTANCE_KEY_SET = STORE_EXT_OTHER,
	ST_INSTANCE_KEY_GET,
};

#define COLS "id, name, role, pw_hash, wrapped_key, is_disabled, gen, " \
    "public_key"

static const char *
role_text(enum user_role role)
{
	return role == USER_DESK ? "desk" : role == USER_REVIEWER ?
	    "reviewer" : role == USER_COORDINATOR ? "coordinator" :
	    "researcher";
}

static void
bind_row(sqlite3_stmt *st, const struct user_row *u)
{
	sqlite3_bind_text(st, P(st, ":hash"), u->pw_hash, -1, SQLITE_STATIC);
	if (u->wrapped_len > 0)
		sqlite3_bind_blob(st, P(st, ":wrapped"), u->wrapped_key,
		    (int)u->wrapped_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, P(st, ":wrapped"));
}

/* A random generation, so a re-added name starts under a new one. */
static int64_t
new_gen(void)
{
	uint64_t g;

	randombytes_buf(&g, sizeof(g));
	return (int64_t)(g >> 1);
}

static int
check_row(const struct user_row *u)
{
	if (u->name[0] == '\0' || strlen(u->name) > USER_MAX_NAME ||
	    strnlen(u->pw_hash, sizeof(u->pw_hash)) == sizeof(u->pw_hash) ||
	    u->wrapped_len > USER_WRAPPED_MAX ||
	    (u->role != USER_DESK && u->role != USER_RESEARCHER &&
	    u->role != USER_REVIEWER && u->role != USER_COORDINATOR) ||
	    (u->role == USER_REVIEWER) != (u->has_public_key != 0))
		return GH_ERR_INVALID;
	return GH_OK;
}

int
store_user_add(struct store *s, const struct user_row *u)
{
	sqlite3_stmt *st;
	int rc, r = GH_ERR_DB;

	if (check_row(u) != GH_OK)
		return GH_ERR_INVALID;
	if ((st = store_ext_stmt(s, ST_USER_INSERT,
	    "INSERT INTO users (name, role, pw_hash, wrapped_key, "
	    "created_day, gen, public_key) VALUES (:name, :role, :hash, "
	    ":wrapped, :day, :gen, :pk)")) == NULL)
		return GH_ERR_DB;
	if (u->has_public_key)
		sqlite3_bind_blob(st, P(st, ":pk"), u->public_key,
		    sizeof(u->public_key), SQLITE_STATIC);
	else
		sqlite3_bind_null(st, P(st, ":pk"));
	sqlite3_bind_int64(st, P(st, ":gen"), new_gen());
	sqlite3_bind_text(st, P(st, ":name"), u->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, P(st, ":role"), role_text(u->role), -1,
	    SQLITE_STATIC);
	bind_row(st, u);
	sqlite3_bind_int64(st, P(st, ":day"), store_today());
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		r = GH_ERR_EXISTS;
	else if (rc != SQLITE_DONE)
		r = store_fail(s, "adding a user");
	else
		r = GH_OK;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

/* Copies the current row of st (COLS) into *u, checking every field. */
static int
read_row(sqlite3_stmt *st, struct user_row *u)
{
	const char *name, *role, *hash;
	int n, n_pk;

	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(st, 0);
	name = (const char *)sqlite3_column_text(st, 1);
	role = (const char *)sqlite3_column_text(st, 2);
	hash = (const char *)sqlite3_column_text(st, 3);
	n = sqlite3_column_bytes(st, 4);
	n_pk = sqlite3_column_bytes(st, 7);
	if (name == NULL || role == NULL || hash == NULL ||
	    strlen(name) > USER_MAX_NAME ||
	    strlen(hash) >= sizeof(u->pw_hash) || n < 0 ||
	    n > USER_WRAPPED_MAX ||
	    (strcmp(role, "reviewer") == 0 ? n_pk != 32 : n_pk != 0)) {
		log_error("users row %lld: a field is out of range",
		    (long long)u->id);
		return GH_ERR_INVALID;
	}
	memcpy(u->name, name, strlen(name) + 1);
	memcpy(u->pw_hash, hash, strlen(hash) + 1);
	u->role = strcmp(role, "desk") == 0 ? USER_DESK :
	    strcmp(role, "reviewer") == 0 ? USER_REVIEWER :
	    strcmp(role, "coordinator") == 0 ? USER_COORDINATOR :
	    USER_RESEARCHER;
	if (n_pk == 32) {
		memcpy(u->public_key, sqlite3_column_blob(st, 7), 32);
		u->has_public_key = 1;
	}
	if (n > 0)
		memcpy(u->wrapped_key, sqlite3_column_blob(st, 4), (size_t)n);
	u->wrapped_len = (size_t)n;
	u->is_disabled = sqlite3_column_int(st, 5) != 0;
	u->gen = sqlite3_column_int64(st, 6);
	return GH_OK;
}

int
store_user_get(struct store *s, const char *name, struct user_row *u)
{
	sqlite3_stmt *st;
	int rc, r;

	if ((st = store_ext_stmt(s, ST_USER_GET, "SELECT " COLS
	    " FROM users WHERE name = :name")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_text(st, P(st, ":name"), name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = read_row(st, u);
	else if (rc == SQLITE_DONE)
		r = GH_ERR_NOT_FOUND;
	else
		r = store_fail(s, "reading a user");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_user_count(struct store *s, enum user_role role, int64_t *n)
{
	sqlite3_stmt *st;
	int r = GH_OK;

	*n = 0;
	if ((st = store_ext_stmt(s, ST_USER_COUNT,
	    "SELECT count(*) FROM users WHERE role = :role")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_text(st, P(st, ":role"), role_text(role), -1,
	    SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	else
		r = store_fail(s, "counting users");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_user_update(struct store *s, const struct user_row *u)
{
	sqlite3_stmt *st;
	int r = GH_OK;

	if (check_row(u) != GH_OK)
		return GH_ERR_INVALID;
	if ((st = store_ext_stmt(s, ST_USER_UPDATE,
	    "UPDATE users SET pw_hash = :hash, wrapped_key = :wrapped "
	    "WHERE name = :name")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_text(st, P(st, ":name"), u->name, -1, SQLITE_STATIC);
	bind_row(st, u);
	if (sqlite3_step(st) != SQLITE_DONE)
		r = store_fail(s, "updating a user");
	else if (sqlite3_changes(s->db) == 0)
		r = GH_ERR_NOT_FOUND;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_user_set_disabled(struct store *s, const char *name, int is_disabled)
{
	sqlite3_stmt *st;
	int r = GH_OK;

	if ((st = store_ext_stmt(s, ST_USER_DISABLE,
	    "UPDATE users SET is_disabled = :off, gen = :gen "
	    "WHERE name = :name")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_text(st, P(st, ":name"), name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, P(st, ":off"), is_disabled != 0);
	sqlite3_bind_int64(st, P(st, ":gen"), new_gen());
	if (sqlite3_step(st) != SQLITE_DONE)
		r = store_fail(s, "disabling a user");
	else if (sqlite3_changes(s->db) == 0)
		r = GH_ERR_NOT_FOUND;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_user_remove(struct store *s, const char *name)
{
	sqlite3_stmt *st;
	int r = GH_OK;

	if ((st = store_ext_stmt(s, ST_USER_REMOVE,
	    "DELETE FROM users WHERE name = :name")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_text(st, P(st, ":name"), name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		r = store_fail(s, "removing a user");
	else if (sqlite3_changes(s->db) == 0)
		r = GH_ERR_NOT_FOUND;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_user_is_current(struct store *s, int64_t id, const char *name,
    int64_t gen)
{
	sqlite3_stmt *st;
	int rc, r;

	if ((st = store_ext_stmt(s, ST_USER_CURRENT,
	    "SELECT count(*) FROM users WHERE id = :id AND name = :name "
	    "AND gen = :gen AND is_disabled = 0")) == NULL)
		return -1;
	sqlite3_bind_int64(st, P(st, ":id"), id);
	sqlite3_bind_text(st, P(st, ":name"), name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, P(st, ":gen"), gen);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = sqlite3_column_int64(st, 0) == 1;
	else {
		(void)store_fail(s, "checking a session's user");
		r = -1;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_user_foreach(struct store *s,
    int (*fn)(void *arg, const struct user_row *u), void *arg)
{
	struct user_row u;
	sqlite3_stmt *st;
	int rc, r = GH_OK;

	if ((st = store_ext_stmt(s, ST_USER_ALL, "SELECT " COLS
	    " FROM users ORDER BY name")) == NULL)
		return GH_ERR_DB;
	while (r == GH_OK && (rc = sqlite3_step(st)) != SQLITE_DONE) {
		if (rc != SQLITE_ROW) {
			r = store_fail(s, "listing users");
			break;
		}
		if ((r = read_row(st, &u)) == GH_OK)
			r = fn(arg, &u);
	}
	sqlite3_reset(st);
	return r;
}

int
store_key_set(struct store *s, const char *purpose, const uint8_t pk[32])
{
	sqlite3_stmt *st;
	int rc, r;

	if ((st = store_ext_stmt(s, ST_INSTANCE_KEY_SET,
	    "INSERT INTO instance_keys (purpose, public_key) "
	    "VALUES (:purpose, :pk)")) == NULL)
		return GH_ERR_DB;
	sqlite3_bind_text(st, P(st, ":purpose"), purpose, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, P(st, ":pk"), pk, 32, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
		r = GH_ERR_EXISTS;
	else if (rc != SQLITE_DONE)
		r = store_fail(s, "storing a public key");
	else
		r = GH_OK;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}

int
store_key_get(struct store *s, const char *purpose, uint8_t pk[32])
{
	sqlite3_stmt *st;
	int rc, r;

	if ((st = store_ext_stmt(s, ST_INSTANCE_KEY_GET,
	    "SELECT public_key FROM instance_keys WHERE purpose = :purpose")) ==
	    NULL)
		return GH_ERR_DB;
	sqlite3_bind_text(st, P(st, ":purpose"), purpose, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32) {
		memcpy(pk, sqlite3_column_blob(st, 0), 32);
		r = GH_OK;
	} else if (rc == SQLITE_ROW) {
		log_error("instance key %s: the wrong size", purpose);
		r = GH_ERR_INVALID;
	} else if (rc == SQLITE_DONE) {
		r = GH_ERR_NOT_FOUND;
	} else {
		r = store_fail(s, "reading a public key");
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r;
}
