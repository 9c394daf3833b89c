/*
 * store.c: opening a connection, its configuration, the schema and its
 * migrations, and the prepared statements every store function uses.
 *
 * Entry points: store_open, store_close, store_checkpoint, store_today.
 * Data path: store_open -> configure (pragmas, defensive mode) -> migrate
 * (PRAGMA user_version) -> prepare all statements once.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/store_int.h"
#include "util/log.h"

/* Tries of busy_wait: every 0.1 ms, then every 1 ms (about 10 s). */
#define STORE_BUSY_FINE		20
#define STORE_BUSY_COARSE	10000

#define STR_(x)		#x
#define GH_STR(x)	STR_(x)

static const char *const store_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_WAVE_INSERT] =
	    "INSERT INTO waves (name, def_json, public_key, k, is_open, "
	    "created_day) VALUES (:name, :def, :pk, :k, 1, :day)",
	[ST_WAVE_GET] =
	    "SELECT id, name, def_json, public_key, k, is_open, n_answers "
	    "FROM waves WHERE id = :id",
	[ST_WAVE_COUNT] =
	    "UPDATE waves SET n_answers = n_answers + 1 WHERE id = :wave",
	[ST_WAVE_IDS] = "SELECT id FROM waves ORDER BY id",
	[ST_WAVE_SET_K] = "UPDATE waves SET k = :k WHERE id = :id",
	[ST_WAVE_SET_OPEN] = "UPDATE waves SET is_open = :open WHERE id = :id",
	[ST_WAVE_IS_OPEN] = "SELECT is_open FROM waves WHERE id = :id",
	[ST_BATCH_INSERT] =
	    "INSERT INTO batches (wave_id, unit, size, created_day) "
	    "SELECT :wave, :unit, :size, :day FROM waves "
	    "WHERE id = :wave AND is_open = 1",
	[ST_TOKEN_INSERT] =
	    "INSERT INTO tokens (hash, batch_id) VALUES (:hash, :batch)",
	[ST_TOKEN_LOOKUP] =
	    "SELECT b.wave_id, t.spent_before_v3 IS NOT NULL OR EXISTS "
	    "(SELECT 1 FROM spends WHERE hash = :spend), w.is_open, b.unit "
	    "FROM tokens t JOIN batches b ON b.id = t.batch_id "
	    "JOIN waves w ON w.id = b.wave_id WHERE t.hash = :hash",
	[ST_TOKEN_SPEND] = "INSERT INTO spends (hash) VALUES (:spend)",
	[ST_TOKEN_COUNTS] =
	    "SELECT (SELECT count(*) FROM tokens t JOIN batches b "
	    "ON b.id = t.batch_id WHERE b.wave_id = :wave), "
	    "(SELECT n_answers FROM waves WHERE id = :wave)",
	[ST_ANSWER_INSERT] =
	    "INSERT INTO answers (wave_id, id, part, sealed) "
	    "VALUES (:wave, :id, :part, :sealed)",
	[ST_ANSWER_SCAN] =
	    "SELECT id, sealed FROM answers WHERE wave_id = :wave "
	    "ORDER BY id, part",
};

/*
 * Schema migrations: migration[i] brings user_version i to i + 1. The
 * answers table holds its random id, the wave and the sealed blob and
 * nothing else; WITHOUT ROWID so that no
 * insertion counter exists either.
 */
static const char *const store_migrations[] = {
	"CREATE TABLE waves ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  def_json TEXT NOT NULL,"
	"  public_key BLOB NOT NULL CHECK (length(public_key) = 32),"
	"  k INTEGER NOT NULL CHECK (k >= 5),"
	"  is_open INTEGER NOT NULL CHECK (is_open IN (0, 1)),"
	"  created_day INTEGER NOT NULL);"
	"CREATE TABLE batches ("
	"  id INTEGER PRIMARY KEY,"
	"  wave_id INTEGER NOT NULL REFERENCES waves (id),"
	"  unit TEXT,"
	"  size INTEGER NOT NULL CHECK (size > 0),"
	"  created_day INTEGER NOT NULL);"
	"CREATE INDEX batches_wave ON batches (wave_id);"
	"CREATE TABLE tokens ("
	"  hash BLOB PRIMARY KEY CHECK (length(hash) = 32),"
	"  batch_id INTEGER NOT NULL REFERENCES batches (id),"
	"  spent_day INTEGER) WITHOUT ROWID;"
	"CREATE INDEX tokens_batch ON tokens (batch_id);"
	"CREATE TABLE answers ("
	"  id BLOB PRIMARY KEY CHECK (length(id) = 16),"
	"  wave_id INTEGER NOT NULL REFERENCES waves (id),"
	"  sealed BLOB NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX answers_wave ON answers (wave_id);",
	/*
	 * 2: reports and the desk (store_report.h), user accounts
	 * (store_user.h), releases (store_release.h), the instance's public
	 * keys. Reports carry day numbers only; every text is sealed.
	 */
	"CREATE TABLE instance_keys ("
	"  purpose TEXT PRIMARY KEY,"
	"  public_key BLOB NOT NULL CHECK (length(public_key) = 32));"
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('desk', 'researcher')),"
	"  pw_hash TEXT NOT NULL,"
	"  wrapped_key BLOB,"
	"  created_day INTEGER NOT NULL);"
	"CREATE TABLE reports ("
	"  id BLOB PRIMARY KEY CHECK (length(id) = 16),"
	"  receipt_hash BLOB UNIQUE,"
	"  received_day INTEGER NOT NULL,"
	"  status INTEGER NOT NULL,"
	"  status_day INTEGER NOT NULL,"
	"  ack_day INTEGER,"
	"  feedback_day INTEGER,"
	"  closed_day INTEGER,"
	"  aftercare1_day INTEGER,"
	"  aftercare3_day INTEGER,"
	"  second_opinion_day INTEGER,"
	"  form TEXT,"
	"  ground TEXT,"
	"  unit TEXT,"
	"  measure TEXT,"
	"  report_pk BLOB,"
	"  sealed_key BLOB,"
	"  reply_salt BLOB,"
	"  reply_pk BLOB) WITHOUT ROWID;"
	"CREATE TABLE messages ("
	"  report_id BLOB NOT NULL REFERENCES reports (id),"
	"  seq INTEGER NOT NULL,"
	"  author INTEGER NOT NULL,"
	"  kind INTEGER NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  for_desk BLOB NOT NULL,"
	"  for_reporter BLOB NOT NULL,"
	"  PRIMARY KEY (report_id, seq)) WITHOUT ROWID;"
	"CREATE TABLE report_link_batches ("
	"  id INTEGER PRIMARY KEY,"
	"  size INTEGER NOT NULL CHECK (size > 0),"
	"  created_day INTEGER NOT NULL);"
	"CREATE TABLE report_links ("
	"  hash BLOB PRIMARY KEY CHECK (length(hash) = 32),"
	"  batch_id INTEGER NOT NULL REFERENCES report_link_batches (id),"
	"  spent_day INTEGER) WITHOUT ROWID;"
	"CREATE TABLE releases ("
	"  id INTEGER PRIMARY KEY,"
	"  wave_id INTEGER NOT NULL REFERENCES waves (id),"
	"  created_day INTEGER NOT NULL,"
	"  manifest BLOB NOT NULL,"
	"  signature BLOB NOT NULL);"
	"CREATE TABLE release_files ("
	"  release_id INTEGER NOT NULL REFERENCES releases (id),"
	"  name TEXT NOT NULL,"
	"  content BLOB NOT NULL,"
	"  PRIMARY KEY (release_id, name)) WITHOUT ROWID;",
	/*
	 * 3: unlinkable spends. Issued tokens and report links are never
	 * written again: a spend is a new row in spends under a second keyed
	 * hash of the token. Tokens spent before this version keep a bare
	 * flag (their day is dropped). Answers lose their secondary index
	 * (whose cells would lie in arrival order) and are keyed by wave, id
	 * and part; waves count their answers. store_open then rewrites the
	 * file in key order with 32 KiB pages (see relayout).
	 */
	"ALTER TABLE tokens RENAME COLUMN spent_day TO spent_before_v3;"
	"UPDATE tokens SET spent_before_v3 = 1 "
	"  WHERE spent_before_v3 IS NOT NULL;"
	"ALTER TABLE report_links RENAME COLUMN spent_day TO spent_before_v3;"
	"UPDATE report_links SET spent_before_v3 = 1 "
	"  WHERE spent_before_v3 IS NOT NULL;"
	"CREATE TABLE spends ("
	"  hash BLOB PRIMARY KEY CHECK (length(hash) = 32)) WITHOUT ROWID;"
	"ALTER TABLE waves ADD COLUMN n_answers INTEGER NOT NULL DEFAULT 0;"
	"UPDATE waves SET n_answers = "
	"  (SELECT count(*) FROM answers WHERE answers.wave_id = waves.id);"
	"CREATE TABLE answers_v3 ("
	"  wave_id INTEGER NOT NULL REFERENCES waves (id),"
	"  id BLOB NOT NULL CHECK (length(id) = 16),"
	"  part INTEGER NOT NULL CHECK (part >= 0),"
	"  sealed BLOB NOT NULL,"
	"  PRIMARY KEY (wave_id, id, part)) WITHOUT ROWID;"
	"INSERT INTO answers_v3 (wave_id, id, part, sealed)"
	"  SELECT wave_id, id, 0, sealed FROM answers ORDER BY wave_id, id;"
	"DROP TABLE answers;"
	"ALTER TABLE answers_v3 RENAME TO answers;",
	/*
	 * 4: accounts can be disabled. Each user has a generation, changed
	 * whenever the account is disabled or enabled and random at creation:
	 * a session remembers the one it began under and ends when it differs.
	 */
	"ALTER TABLE users ADD COLUMN is_disabled INTEGER NOT NULL DEFAULT 0"
	"  CHECK (is_disabled IN (0, 1));"
	"ALTER TABLE users ADD COLUMN gen INTEGER NOT NULL DEFAULT 0;",
	/*
	 * 5: the desk's casework. Users may be reviewers (an external
	 * adviser for second opinions) with a box key pair of their own
	 * (public_key; the secret key wrapped under their password in
	 * wrapped_key). A report gets a short random reference (ref: eight
	 * hex digits, unique), an outcome, a desk worker it is assigned to,
	 * and the last message seq its reporter has seen. Forms, grounds
	 * and measures become lists (report_tags; the single columns stay
	 * for files written before, copied here). Internal notes are sealed
	 * to the report's key like messages (report_notes); report_reads
	 * holds the last seq each desk user has read; report_reviews the
	 * report's secret key sealed to a reviewer. resumes holds a
	 * respondent's saved, unfinished answers, sealed under a key from
	 * the token and a phrase of their own and found by a third keyed
	 * hash of the token: nothing in it relates to the issued token, a
	 * spend or an answer; it is deleted when the answer is stored or
	 * the wave closes.
	 */
	"CREATE TABLE users_v5 ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL"
	"    CHECK (role IN ('desk', 'researcher', 'reviewer')),"
	"  pw_hash TEXT NOT NULL,"
	"  wrapped_key BLOB,"
	"  created_day INTEGER NOT NULL,"
	"  is_disabled INTEGER NOT NULL DEFAULT 0 CHECK (is_disabled IN (0, 1)),"
	"  gen INTEGER NOT NULL DEFAULT 0,"
	"  public_key BLOB CHECK (public_key IS NULL OR"
	"    length(public_key) = 32));"
	"INSERT INTO users_v5 (id, name, role, pw_hash, wrapped_key,"
	"  created_day, is_disabled, gen)"
	"  SELECT id, name, role, pw_hash, wrapped_key, created_day,"
	"  is_disabled, gen FROM users;"
	"DROP TABLE users;"
	"ALTER TABLE users_v5 RENAME TO users;"
	"ALTER TABLE reports ADD COLUMN ref TEXT;"
	"UPDATE reports SET ref = upper(hex(randomblob(4)));"
	"CREATE UNIQUE INDEX reports_ref ON reports (ref);"
	"ALTER TABLE reports ADD COLUMN outcome TEXT;"
	"ALTER TABLE reports ADD COLUMN assigned_to INTEGER"
	"  REFERENCES users (id) ON DELETE SET NULL;"
	"ALTER TABLE reports ADD COLUMN reporter_seen INTEGER NOT NULL"
	"  DEFAULT 0;"
	"CREATE TABLE report_tags ("
	"  report_id BLOB NOT NULL REFERENCES reports (id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('form', 'ground', 'measure')),"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (report_id, kind, value)) WITHOUT ROWID;"
	"INSERT INTO report_tags SELECT id, 'form', form FROM reports"
	"  WHERE form IS NOT NULL AND form <> '';"
	"INSERT INTO report_tags SELECT id, 'ground', ground FROM reports"
	"  WHERE ground IS NOT NULL AND ground <> '';"
	"INSERT INTO report_tags SELECT id, 'measure', measure FROM reports"
	"  WHERE measure IS NOT NULL AND measure <> '';"
	"CREATE TABLE report_notes ("
	"  report_id BLOB NOT NULL REFERENCES reports (id),"
	"  seq INTEGER NOT NULL,"
	"  user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,"
	"  day INTEGER NOT NULL,"
	"  sealed BLOB NOT NULL,"
	"  PRIMARY KEY (report_id, seq)) WITHOUT ROWID;"
	"CREATE TABLE report_reads ("
	"  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
	"  report_id BLOB NOT NULL REFERENCES reports (id),"
	"  seq INTEGER NOT NULL,"
	"  PRIMARY KEY (user_id, report_id)) WITHOUT ROWID;"
	"CREATE TABLE report_reviews ("
	"  report_id BLOB NOT NULL REFERENCES reports (id),"
	"  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
	"  day INTEGER NOT NULL,"
	"  sealed_key BLOB NOT NULL,"
	"  PRIMARY KEY (report_id, user_id)) WITHOUT ROWID;"
	"CREATE TABLE resumes ("
	"  hash BLOB PRIMARY KEY CHECK (length(hash) = 32),"
	"  wave_id INTEGER NOT NULL REFERENCES waves (id),"
	"  salt BLOB NOT NULL CHECK (length(salt) = 16),"
	"  sealed BLOB NOT NULL) WITHOUT ROWID;",
	/*
	 * 6: blind invitations (store_invite.h). A batch holds its unit,
	 * its VOPRF public key and its secret key sealed under a subkey of
	 * the pepper; an invitation is the keyed hash of its code, written
	 * once; a spent invitation is a new row under a second keyed hash.
	 * Nothing relates an invitation to the survey token made from it.
	 */
	"CREATE TABLE invitation_batches ("
	"  id INTEGER PRIMARY KEY,"
	"  wave_id INTEGER NOT NULL REFERENCES waves (id),"
	"  unit TEXT,"
	"  size INTEGER NOT NULL CHECK (size > 0),"
	"  public_key BLOB NOT NULL CHECK (length(public_key) = 32),"
	"  sealed_key BLOB NOT NULL CHECK (length(sealed_key) = 72),"
	"  created_day INTEGER NOT NULL);"
	"CREATE TABLE invitations ("
	"  hash BLOB PRIMARY KEY CHECK (length(hash) = 32),"
	"  batch_id INTEGER NOT NULL REFERENCES invitation_batches (id))"
	"  WITHOUT ROWID;"
	"CREATE INDEX invitations_batch ON invitations (batch_id);"
	"CREATE TABLE invitation_spends ("
	"  hash BLOB PRIMARY KEY CHECK (length(hash) = 32)) WITHOUT ROWID;",
	/*
	 * 7: retention (store_retain.h). keep_until is the day the desk
	 * extended a report's retention to, keep_reason why (an id of a
	 * fixed list, never free text); expired_day marks the tombstone of
	 * a report whose texts and keys retention destroyed.
	 */
	"ALTER TABLE reports ADD COLUMN keep_until INTEGER;"
	"ALTER TABLE reports ADD COLUMN keep_reason TEXT;"
	"ALTER TABLE reports ADD COLUMN expired_day INTEGER;",
	/*
	 * 8: attachments of reports (store_attach.c): each file sealed twice,
	 * to the report key and to the reporter's reply key, padded to a
	 * size class; its name and type are inside the sealed blobs. A
	 * random id, the day only.
	 */
	"CREATE TABLE report_attachments ("
	"  report_id BLOB NOT NULL REFERENCES reports (id),"
	"  id BLOB NOT NULL CHECK (length(id) = 16),"
	"  day INTEGER NOT NULL,"
	"  for_desk BLOB NOT NULL,"
	"  for_reporter BLOB NOT NULL,"
	"  PRIMARY KEY (report_id, id)) WITHOUT ROWID;",
	/*
	 * 9: the coordinator's console. Users may be coordinators (they run
	 * waves; no key). The users table is rebuilt for its role list; the
	 * rows that refer to users (read marks, reviews, note authors and
	 * assignees) are kept aside and put back, since dropping the old
	 * table would run their ON DELETE actions. console_audit holds what
	 * a coordinator did: who (the name, kept when the account goes),
	 * what (an action word and its object: a wave, a unit), and the
	 * day; never anything about a respondent. wave_schedule holds the
	 * times (seconds since 1970, UTC) at which serve opens or closes a
	 * wave, and who set them; a time is cleared once carried out.
	 * unit_participation holds the links spent per unit as of a day:
	 * counted in serve's memory when an answer is durable and written
	 * in bulk once a day and at shutdown, never in the transaction that
	 * stores an answer (SECURITY.md, "What copies of the database show").
	 * org_units holds the organisation's units as uploaded (name, levels
	 * separated by "/", and head count), replaced whole by an upload.
	 */
	"CREATE TEMP TABLE keep_reads AS SELECT * FROM report_reads;"
	"CREATE TEMP TABLE keep_reviews AS SELECT * FROM report_reviews;"
	"CREATE TEMP TABLE keep_notes AS SELECT report_id, seq, user_id"
	"  FROM report_notes WHERE user_id IS NOT NULL;"
	"CREATE TEMP TABLE keep_assigned AS SELECT id, assigned_to"
	"  FROM reports WHERE assigned_to IS NOT NULL;"
	"CREATE TABLE users_v9 ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('desk', 'researcher',"
	"    'reviewer', 'coordinator')),"
	"  pw_hash TEXT NOT NULL,"
	"  wrapped_key BLOB,"
	"  created_day INTEGER NOT NULL,"
	"  is_disabled INTEGER NOT NULL DEFAULT 0 CHECK (is_disabled IN (0, 1)),"
	"  gen INTEGER NOT NULL DEFAULT 0,"
	"  public_key BLOB CHECK (public_key IS NULL OR"
	"    length(public_key) = 32));"
	"INSERT INTO users_v9 SELECT id, name, role, pw_hash, wrapped_key,"
	"  created_day, is_disabled, gen, public_key FROM users;"
	"DROP TABLE users;"
	"ALTER TABLE users_v9 RENAME TO users;"
	"INSERT OR REPLACE INTO report_reads SELECT * FROM temp.keep_reads;"
	"INSERT OR REPLACE INTO report_reviews SELECT * FROM temp.keep_reviews;"
	"UPDATE report_notes SET user_id = (SELECT k.user_id FROM"
	"  temp.keep_notes k WHERE k.report_id = report_notes.report_id AND"
	"  k.seq = report_notes.seq) WHERE EXISTS (SELECT 1 FROM"
	"  temp.keep_notes k WHERE k.report_id = report_notes.report_id AND"
	"  k.seq = report_notes.seq);"
	"UPDATE reports SET assigned_to = (SELECT k.assigned_to FROM"
	"  temp.keep_assigned k WHERE k.id = reports.id) WHERE id IN"
	"  (SELECT id FROM temp.keep_assigned);"
	"DROP TABLE temp.keep_reads;"
	"DROP TABLE temp.keep_reviews;"
	"DROP TABLE temp.keep_notes;"
	"DROP TABLE temp.keep_assigned;"
	"CREATE TABLE console_audit ("
	"  id INTEGER PRIMARY KEY,"
	"  user_name TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  object TEXT NOT NULL,"
	"  day INTEGER NOT NULL);"
	"CREATE TABLE wave_schedule ("
	"  wave_id INTEGER PRIMARY KEY REFERENCES waves (id),"
	"  open_at INTEGER,"
	"  close_at INTEGER,"
	"  set_by TEXT NOT NULL);"
	"CREATE TABLE unit_participation ("
	"  wave_id INTEGER NOT NULL REFERENCES waves (id),"
	"  unit TEXT NOT NULL,"
	"  spent INTEGER NOT NULL CHECK (spent >= 0),"
	"  day INTEGER NOT NULL,"
	"  PRIMARY KEY (wave_id, unit)) WITHOUT ROWID;"
	"CREATE TABLE org_units ("
	"  name TEXT PRIMARY KEY,"
	"  head_count INTEGER NOT NULL CHECK (head_count >= 0)) WITHOUT ROWID;",
	/*
	 * 10: a release uploaded in the console has a row here, pending
	 * (published_day NULL) until a coordinator publishes it; only
	 * published releases are on /research. A release without a row
	 * (gehoord release on this database) was published when stored.
	 */
	"CREATE TABLE IF NOT EXISTS release_states ("
	"  release_id INTEGER PRIMARY KEY REFERENCES releases (id),"
	"  published_day INTEGER);",
	/* 11: coordinators proposed by one coordinator, to be confirmed by
	 * another; the instance's settings, one row. */
	"CREATE TABLE account_proposals ("
	"  name TEXT PRIMARY KEY,"
	"  proposed_by TEXT NOT NULL,"
	"  day INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE instance_settings ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  org_name TEXT,"
	"  org_contact TEXT,"
	"  privacy_url TEXT,"
	"  logo BLOB,"
	"  day INTEGER NOT NULL);",
	/*
	 * 12: files in the conversation. An attachment that came with a
	 * message (a reporter's follow-up, the desk's reply) names it by
	 * its seq, stored in the same transaction; NULL: it came with the
	 * report itself. Who sent a file is its message's author.
	 */
	"ALTER TABLE report_attachments ADD COLUMN seq INTEGER;",
	/*
	 * 13: a wave's test links (store_test_link.h): the keyed hash of
	 * each, as for every link. What a test link sends is never stored.
	 */
	"CREATE TABLE test_links ("
	"  hash BLOB PRIMARY KEY,"
	"  wave_id INTEGER NOT NULL REFERENCES waves (id)) WITHOUT ROWID;",
};
#define N_MIGRATIONS (sizeof(store_migrations) / sizeof(store_migrations[0]))

int
store_fail(struct store *s, const char *what)
{
	log_error("%s: %s", what, sqlite3_errmsg(s->db));
	return GH_ERR_DB;
}

int
store_exec_stmt(struct store *s, enum store_stmt which)
{
	sqlite3_stmt *st = s->st[which];
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(s, store_sql[which]);
	return GH_OK;
}

int
store_step_once(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int
store_insert_hashes(struct store *s, sqlite3_stmt *st, int64_t batch,
    const uint8_t (*hashes)[STORE_HASH_BYTES], size_t n, const char *what)
{
	char msg[64];
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		sqlite3_bind_blob(st, store_param(st, ":hash"), hashes[i],
		    STORE_HASH_BYTES, SQLITE_STATIC);
		sqlite3_bind_int64(st, store_param(st, ":batch"), batch);
		rc = store_step_once(st);
		if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return GH_ERR_EXISTS;
		if (rc != SQLITE_DONE) {
			snprintf(msg, sizeof(msg), "inserting %s", what);
			return store_fail(s, msg);
		}
	}
	return GH_OK;
}

void
store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db) &&
	    store_exec_stmt(s, ST_ROLLBACK) != GH_OK)
		log_warn("rollback failed; the connection closes it");
}

static int
exec_sql(struct store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("%s", msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return GH_ERR_DB;
	}
	return GH_OK;
}

static int
get_user_version(struct store *s, int *version)
{
	sqlite3_stmt *st = NULL;
	int r = GH_ERR_DB;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		r = store_fail(s, "reading the schema version");
		goto out;
	}
	*version = sqlite3_column_int(st, 0);
	r = GH_OK;
out:
	sqlite3_finalize(st);
	return r;
}

static int
migrate(struct store *s, int may_migrate)
{
	int version, r;
	char sql[64];

	if ((r = get_user_version(s, &version)) != GH_OK)
		return r;
	if (version == STORE_SCHEMA_VERSION)
		return GH_OK;
	if (version > STORE_SCHEMA_VERSION) {
		log_error("the database has schema version %d, newer than this "
		    "gehoord (%d)", version, STORE_SCHEMA_VERSION);
		return GH_ERR_INVALID;
	}
	if (!may_migrate) {
		log_error("the database has schema version %d, expected %d: "
		    "run gehoord init", version, STORE_SCHEMA_VERSION);
		return GH_ERR_INVALID;
	}
	if ((r = exec_sql(s, "BEGIN IMMEDIATE")) != GH_OK)
		return r;
	for (; version < (int)N_MIGRATIONS; version++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		    version + 1);
		if ((r = exec_sql(s, store_migrations[version])) != GH_OK ||
		    (r = exec_sql(s, sql)) != GH_OK) {
			(void)exec_sql(s, "ROLLBACK");
			return r;
		}
	}
	return exec_sql(s, "COMMIT");
}

/*
 * Waits while another connection holds a lock this one needs (a
 * truncating checkpoint holds the writer off while readers leave the
 * WAL). SQLite's own busy timeout sleeps 1, 2, 5, 10, 15, 20,
 * 25 ms ... between tries, so a hold of 20 ms cost a commit up to 33 ms
 * and made the slowest respondents' Send wait that long. This tries
 * again every 0.1 ms for the first 2 ms, then every 1 ms, and gives up
 * after about 10 s, as the timeout did.
 */
static int
busy_wait(void *arg, int count)
{
	struct timespec ts = { 0, 100000L };

	(void)arg;
	if (count >= STORE_BUSY_FINE + STORE_BUSY_COARSE)
		return 0;
	if (count >= STORE_BUSY_FINE)
		ts.tv_nsec = 1000000L;
	(void)nanosleep(&ts, NULL);
	return 1;
}

/* After each commit of a writer: notes a WAL that was started over. */
static int
wal_commit(void *arg, sqlite3 *db, const char *name, int n_frames)
{
	struct store *s = arg;

	(void)db;
	(void)name;
	if (n_frames < s->wal_frames)
		s->wal_restarts++;
	s->wal_frames = n_frames;
	return SQLITE_OK;
}

unsigned int
store_wal_restarts(const struct store *s)
{
	return s->wal_restarts;
}

static int
configure(struct store *s, int flags)
{
	int on = 1, off = 0;

	sqlite3_busy_handler(s->db, busy_wait, NULL);
	sqlite3_extended_result_codes(s->db, 1);
	if (sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, on, NULL) ||
	    sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, off,
	    NULL) ||
	    sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION,
	    off, NULL) ||
	    sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_FKEY, on, NULL))
		return store_fail(s, "configuring the connection");
	/*
	 * The page size and auto_vacuum must be chosen before the file's first
	 * page is written (they are no-ops afterwards), the page size first
	 * (SQLite ignores it once auto_vacuum is set). auto_vacuum with
	 * secure_delete hands freed, zeroed pages back to the file system.
	 */
	if ((flags & STORE_CREATE) &&
	    (exec_sql(s, "PRAGMA page_size = " GH_STR(STORE_PAGE_SIZE)) !=
	    GH_OK || exec_sql(s, "PRAGMA auto_vacuum = FULL") != GH_OK))
		return GH_ERR_DB;
	/*
	 * journal_size_limit 0: a WAL that a checkpoint has emptied is cut
	 * to nothing, and one started over is cut at the end of the commit
	 * that starts it, rather than left with the frames of earlier
	 * commits.
	 */
	/*
	 * temp_store MEMORY: a statement journal beyond 64 KiB (two 32 KiB
	 * pages) would otherwise spill to a temporary file, which the
	 * sandboxed server cannot open. Only VACUUM goes to a file (relayout).
	 */
	if (exec_sql(s, "PRAGMA journal_mode = WAL") != GH_OK ||
	    exec_sql(s, "PRAGMA journal_size_limit = 0") != GH_OK ||
	    exec_sql(s, "PRAGMA temp_store = MEMORY") != GH_OK ||
	    exec_sql(s, "PRAGMA synchronous = FULL") != GH_OK ||
	    exec_sql(s, "PRAGMA secure_delete = ON") != GH_OK ||
	    exec_sql(s, "PRAGMA foreign_keys = ON") != GH_OK)
		return GH_ERR_DB;
	/*
	 * No checkpoint inside a commit (it would lengthen the p99 tail):
	 * the server's checkpointer connection copies the WAL, and the
	 * writer thread finishes that copy between two commits (writer.c).
	 */
	if ((flags & STORE_WRITER) &&
	    exec_sql(s, "PRAGMA wal_autocheckpoint = 0") != GH_OK)
		return GH_ERR_DB;
	/* After wal_autocheckpoint, whose hook this replaces. */
	if (flags & STORE_WRITER)
		sqlite3_wal_hook(s->db, wal_commit, s);
	/*
	 * The writer's cache: SQLite's default (2,000 KiB) holds 62 pages
	 * of 32 KiB, fewer than a batch of answers at random places dirties
	 * (a leaf of answers and one of spends each, and the interior pages
	 * above them), so a large commit spilled pages to the WAL before it
	 * was done and read them back. STORE_WRITER_CACHE_KIB holds 512.
	 */
	if ((flags & STORE_WRITER) &&
	    exec_sql(s, "PRAGMA cache_size = -" GH_STR(STORE_WRITER_CACHE_KIB))
	    != GH_OK)
		return GH_ERR_DB;
	return GH_OK;
}

/* Returns 1 if name (NULL allowed) is one of the NULL-ended list. */
static int
is_listed(const char *const *list, const char *name)
{
	for (; name != NULL && *list != NULL; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

/*
 * Once a connection's statements are prepared, only what they do is
 * allowed: reading and writing gehoord's own tables, transactions and the
 * few functions the statements call. Everything else (ATTACH, PRAGMA,
 * schema changes, deleting rows, other functions) is denied, also when
 * SQLite re-prepares a statement after a schema change. A bug elsewhere
 * in the program can then not turn a connection into a general SQL engine.
 */
static int
authorize_as(int may_erase, int action, const char *a, const char *b,
    const char *db, const char *trigger)
{
	static const char *const tables[] = {
		"waves", "batches", "tokens", "spends", "answers",
		"instance_keys",
		"users", "reports", "messages", "report_link_batches",
		"report_links", "releases", "release_files", "release_states",
		"report_tags", "report_notes", "report_reads", "report_reviews",
		"resumes", "invitation_batches", "invitations",
		"invitation_spends",
		"report_attachments",
		"console_audit", "wave_schedule", "unit_participation",
		"org_units", "account_proposals", "instance_settings",
		"test_links", NULL
	};
	/* Rows are deleted only where a reporter withdraws or retention
	 * destroys a report (messages, notes, reviewers' keys,
	 * attachments), where an account is removed with its wrapped key
	 * and read marks (secure_delete overwrites them), and where the desk
	 * takes a form, ground or measure off a case; and a respondent's
	 * saved answers once sent or closed; and a coordinator's proposal
	 * once confirmed or withdrawn; and a wave's test links. */
	static const char *const deletable[] = {
		"messages", "users", "report_notes", "report_reviews",
		"report_attachments",
		"report_reads", "report_tags", "resumes",
		"org_units", "account_proposals", "test_links", NULL
	};
	/* Only a connection opened with STORE_ERASE (gehoord wave delete,
	 * once the wave has a release) deletes a wave's answers, tokens and
	 * invitations; serve never opens one. */
	static const char *const erasable[] = {
		"answers", "tokens", "invitations", "invitation_batches", NULL
	};
	static const char *const functions[] = {
		"count", "min", "max", "sum", "length", "coalesce", NULL
	};

	(void)trigger;
	if (db != NULL && strcmp(db, "main") != 0)
		return SQLITE_DENY;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_TRANSACTION:
		return SQLITE_OK;
	case SQLITE_READ:
	case SQLITE_INSERT:
	case SQLITE_UPDATE:
		return is_listed(tables, a) ? SQLITE_OK : SQLITE_DENY;
	case SQLITE_DELETE:
		return is_listed(deletable, a) ||
		    (may_erase && is_listed(erasable, a)) ? SQLITE_OK :
		    SQLITE_DENY;
	case SQLITE_FUNCTION:
		return is_listed(functions, b) ? SQLITE_OK : SQLITE_DENY;
	default:
		return SQLITE_DENY;
	}
}

/* The authorizer of every connection. */
static int
authorize(void *arg, int action, const char *a, const char *b,
    const char *db, const char *trigger)
{
	(void)arg;
	return authorize_as(0, action, a, b, db, trigger);
}

/* The authorizer of a connection opened with STORE_ERASE. */
static int
authorize_erase(void *arg, int action, const char *a, const char *b,
    const char *db, const char *trigger)
{
	(void)arg;
	return authorize_as(1, action, a, b, db, trigger);
}

/* VACUUM with its copy of the database in a temporary file, not memory. */
static int
vacuum(struct store *s)
{
	int r;

	if ((r = exec_sql(s, "PRAGMA temp_store = FILE")) != GH_OK)
		return r;
	r = exec_sql(s, "VACUUM");
	if (exec_sql(s, "PRAGMA temp_store = MEMORY") != GH_OK && r == GH_OK)
		r = GH_ERR_DB;
	return r;
}

static int
page_size(struct store *s, int *size)
{
	sqlite3_stmt *st = NULL;
	int r = GH_OK;

	if (sqlite3_prepare_v2(s->db, "PRAGMA page_size", -1, &st, NULL) !=
	    SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		r = store_fail(s, "reading the page size");
	else
		*size = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return r;
}

/*
 * A database made before 32 KiB pages (or copied from one) is rewritten
 * once: the page size can change only outside WAL mode, by a VACUUM,
 * which also lays every table out in key order. Needs the database to
 * itself (gehoord init and serve run it before anything else opens it).
 */
static int
set_page_size(struct store *s)
{
	int size, r;

	if ((r = page_size(s, &size)) != GH_OK || size == STORE_PAGE_SIZE)
		return r;
	log_info("rewriting the database with %d-byte pages (once)",
	    STORE_PAGE_SIZE);
	if ((r = exec_sql(s, "PRAGMA journal_mode = DELETE")) != GH_OK ||
	    (r = exec_sql(s, "PRAGMA page_size = " GH_STR(STORE_PAGE_SIZE))) !=
	    GH_OK || (r = vacuum(s)) != GH_OK)
		(void)exec_sql(s, "PRAGMA journal_mode = WAL");
	else
		r = exec_sql(s, "PRAGMA journal_mode = WAL");
	return r;
}

int
store_open(const char *path, int flags, struct store **out)
{
	struct store *s = NULL;
	struct stat sb;
	int r = GH_ERR_DB, oflags, i;

	*out = NULL;
	if (!(flags & STORE_CREATE) && stat(path, &sb) != 0) {
		log_error("%s: %s (create it with gehoord init)", path,
		    strerror(errno));
		return GH_ERR_NOT_FOUND;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return GH_ERR_NOMEM;
	oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
	    SQLITE_OPEN_EXRESCODE;
	if (flags & STORE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		log_error("%s: %s", path,
		    s->db ? sqlite3_errmsg(s->db) : "cannot open");
		goto out;
	}
	if ((r = configure(s, flags)) != GH_OK ||
	    (r = migrate(s, flags & (STORE_CREATE | STORE_MIGRATE))) !=
	    GH_OK)
		goto out;
	if ((flags & (STORE_CREATE | STORE_MIGRATE)) &&
	    (r = set_page_size(s)) != GH_OK)
		goto out;
	for (i = 0; i < ST_COUNT; i++) {
		if (sqlite3_prepare_v3(s->db, store_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) != SQLITE_OK) {
			r = store_fail(s, store_sql[i]);
			goto out;
		}
	}
	sqlite3_set_authorizer(s->db, (flags & STORE_ERASE) ?
	    authorize_erase : authorize, NULL);
	*out = s;
	s = NULL;
	r = GH_OK;
out:
	store_close(s);
	return r;
}

void
store_close(struct store *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	for (i = 0; i < STORE_EXT_MAX; i++)
		sqlite3_finalize(s->ext[i]);
	sqlite3_close(s->db);
	free(s);
}

int
store_checkpoint(struct store *s, int is_truncate)
{
	int rc, n_log = 0, n_done = 0;

	/* The passive pass copies pages without blocking the writer; the
	 * truncating one then has little left to do while it holds it off. */
	rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    &n_log, &n_done);
	if (rc == SQLITE_OK && is_truncate && n_log > 0)
		rc = sqlite3_wal_checkpoint_v2(s->db, NULL,
		    SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		return store_fail(s, "checkpoint");
	return GH_OK;
}

int
store_wal_is_empty(struct store *s)
{
	int n_log = -1;

	if (sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    &n_log, NULL) != SQLITE_OK)
		return 0;
	return n_log == 0;
}

int
store_checkpoint_wait(struct store *s)
{
	int rc, tries;

	for (tries = 0; tries < 200; tries++) {
		rc = sqlite3_wal_checkpoint_v2(s->db, NULL,
		    SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		if (rc == SQLITE_OK)
			return GH_OK;
		if (rc != SQLITE_BUSY)
			return store_fail(s, "checkpoint");
		sqlite3_sleep(10);
	}
	return GH_ERR_BUSY;
}

int
store_relayout(struct store *s)
{
	int r;

	/* The authorizer denies VACUUM; it is off for this one statement. */
	sqlite3_set_authorizer(s->db, NULL, NULL);
	r = vacuum(s);
	sqlite3_set_authorizer(s->db, authorize, NULL);
	if (r != GH_OK)
		return r;
	return store_checkpoint(s, 1);
}

int
store_backup(struct store *s, const char *path)
{
	sqlite3_stmt *st = NULL;
	int fd, rc, r = GH_ERR_DB;

	/* Create the file ourselves: exclusively, and readable by us only
	 * (VACUUM INTO accepts an empty file). */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0) {
		log_error("%s: %s", path, strerror(errno));
		return errno == EEXIST ? GH_ERR_EXISTS : GH_ERR_IO;
	}
	close(fd);
	/* The authorizer denies VACUUM (and the ATTACH inside it); it is off
	 * for this one fixed statement. */
	sqlite3_set_authorizer(s->db, NULL, NULL);
	rc = sqlite3_prepare_v2(s->db, "VACUUM INTO :path", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	sqlite3_set_authorizer(s->db, authorize, NULL);
	if (rc != SQLITE_DONE) {
		r = store_fail(s, "writing the backup");
		goto out;
	}
	/* VACUUM INTO does not sync its output: make the copy durable. */
	if ((fd = open(path, O_RDONLY)) < 0 || fsync(fd) != 0) {
		log_error("%s: %s", path, strerror(errno));
		r = GH_ERR_IO;
	} else {
		r = GH_OK;
	}
	if (fd >= 0)
		close(fd);
out:
	sqlite3_finalize(st);
	if (r != GH_OK)
		unlink(path);
	return r;
}

void
store_times_open(const char *path, int fds[STORE_TIME_FILES])
{
	static const char *const suffix[STORE_TIME_FILES] = {
		"", "-wal", "-shm"
	};
	char p[PATH_MAX];
	size_t i;

	for (i = 0; i < STORE_TIME_FILES; i++) {
		fds[i] = -1;
		if ((size_t)snprintf(p, sizeof(p), "%s%s", path, suffix[i]) <
		    sizeof(p))
			fds[i] = open(p, O_RDONLY | O_CLOEXEC);
	}
}

int
store_times_blur(const int fds[STORE_TIME_FILES])
{
	struct timespec t[2];
	size_t i;
	int e = 0;

	t[0].tv_sec = t[1].tv_sec = (time_t)(store_today() * 86400);
	t[0].tv_nsec = t[1].tv_nsec = 0;
	for (i = 0; i < STORE_TIME_FILES; i++)
		if (fds[i] >= 0 && futimens(fds[i], t) != 0 && e == 0)
			e = errno;
	return e;
}

void
store_times_close(int fds[STORE_TIME_FILES])
{
	size_t i;

	for (i = 0; i < STORE_TIME_FILES; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

int64_t
store_today(void)
{
	return (int64_t)(time(NULL) / 86400);
}

sqlite3_stmt *
store_ext_stmt(struct store *s, int slot, const char *sql)
{
	if (slot < 0 || slot >= STORE_EXT_MAX)
		abort();	/* a programming error: see store_int.h */
	if (s->ext[slot] == NULL && sqlite3_prepare_v3(s->db, sql, -1,
	    SQLITE_PREPARE_PERSISTENT, &s->ext[slot], NULL) != SQLITE_OK) {
		(void)store_fail(s, sql);
		return NULL;
	}
	return s->ext[slot];
}

int
store_param(sqlite3_stmt *st, const char *name)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i == 0) {
		/* A programming error: the SQL and the code disagree. */
		log_error("no parameter %s in: %s", name, sqlite3_sql(st));
		abort();
	}
	return i;
}
