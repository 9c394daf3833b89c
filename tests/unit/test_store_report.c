/*
 * test_store_report.c: reports against a real SQLite file: create and
 * look up, the conversation, status days, categories, replacing the
 * receipt, report links, and withdrawal leaving only the tombstone (also
 * in the raw bytes of the file).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "tmpdir.h"
#include "store_key.h"
#include "store/store_report.h"

struct fx {
	char		 dir[64];
	char		 path[128];
	struct store	*s;
	uint8_t		 hash[32];
	uint8_t		 id[REPORT_ID_BYTES];
};

/* Distinctive bytes that must vanish from the file on withdrawal. */
static uint8_t desk_blob[300];
static uint8_t rep_blob[300];
static const uint8_t pk1[32] = { 1 }, pk2[32] = { 2 }, salt[16] = { 3 };
static const uint8_t sealed_key[80] = { 4, 4, 4 };

static void
fill_marker(uint8_t *b, size_t n, const char *tag)
{
	size_t i, m = strlen(tag);

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)tag[i % m];
}

static int
create(struct fx *f, const uint8_t hash[32], const uint8_t *link,
    const char *unit, uint8_t id[REPORT_ID_BYTES])
{
	struct report_msg m = { 0 };
	struct report_new rn = { 0 };

	m.author = REPORT_BY_REPORTER;
	m.kind = REPORT_MSG_TEXT;
	m.for_desk = desk_blob;
	m.for_desk_len = sizeof(desk_blob);
	m.for_reporter = rep_blob;
	m.for_reporter_len = sizeof(rep_blob);
	rn.receipt_hash = hash;
	rn.report_pk = pk1;
	rn.sealed_key = sealed_key;
	rn.sealed_key_len = sizeof(sealed_key);
	rn.reply_salt = salt;
	rn.reply_pk = pk2;
	rn.unit = unit;
	rn.link = link != NULL ? key_of(link) : NULL;
	rn.first = &m;
	return store_report_create(f->s, &rn, 20000, id);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(sodium_init() >= 0, 1);
	fill_marker(desk_blob, sizeof(desk_blob), "DESKMARKER-");
	fill_marker(rep_blob, sizeof(rep_blob), "REPMARKER-");
	assert_int_equal(tmpdir_make(f->dir, sizeof(f->dir), "storerep"), 0);
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), GH_OK);
	randombytes_buf(f->hash, sizeof(f->hash));
	assert_int_equal(create(f, f->hash, NULL, "Finance", f->id), GH_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->s);
	assert_int_equal(tmpdir_remove(f->dir), 0);
	free(f);
	return 0;
}

static int64_t
count(struct fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t n;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Whether the file at path contains needle (n bytes). */
static int
file_has(const char *path, const uint8_t *needle, size_t n)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf;
	long len;
	size_t i;
	int found = 0;

	if (fp == NULL)
		return 0;
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	for (i = 0; !found && i + n <= (size_t)len; i++)
		found = memcmp(buf + i, needle, n) == 0;
	free(buf);
	return found;
}

struct seen {
	int64_t		seqs[8];
	int		kinds[8];
	size_t		n;
	int		rep_first;	/* first byte of each for_reporter */
};

static int
collect(void *arg, const struct report_msg *m)
{
	struct seen *sn = arg;

	if (sn->n < 8) {
		sn->seqs[sn->n] = m->seq;
		sn->kinds[sn->n] = (int)m->kind;
		sn->n++;
	}
	sn->rep_first = m->for_reporter_len > 0 ? m->for_reporter[0] : -1;
	return GH_OK;
}

static void
test_store_report_create_and_lookup(void **state)
{
	struct fx *f = *state;
	struct report_row row;
	uint8_t other[32] = { 9 };

	assert_int_equal(store_report_by_receipt(f->s, f->hash, &row), GH_OK);
	assert_memory_equal(row.id, f->id, REPORT_ID_BYTES);
	assert_int_equal(row.status, REPORT_RECEIVED);
	assert_int_equal(row.received_day, 20000);
	assert_int_equal(row.status_day, 20000);
	assert_int_equal(row.ack_day, -1);
	assert_int_equal(row.closed_day, -1);
	assert_string_equal(row.unit, "Finance");
	assert_string_equal(row.form, "");
	assert_memory_equal(row.report_pk, pk1, 32);
	assert_memory_equal(row.reply_pk, pk2, 32);
	assert_memory_equal(row.reply_salt, salt, 16);
	assert_int_equal(row.sealed_key_len, sizeof(sealed_key));
	assert_memory_equal(row.sealed_key, sealed_key, sizeof(sealed_key));
	assert_int_equal(row.n_messages, 1);
	store_report_row_clear(&row);
	assert_int_equal(store_report_by_receipt(f->s, other, &row),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(store_report_get(f->s, f->id, &row), GH_OK);
	store_report_row_clear(&row);
}

static void
test_store_report_receipt_collision_refused(void **state)
{
	struct fx *f = *state;
	uint8_t id[REPORT_ID_BYTES];

	assert_int_equal(create(f, f->hash, NULL, NULL, id), GH_ERR_EXISTS);
	assert_int_equal(count(f, "SELECT count(*) FROM reports"), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM messages"), 1);
}

static void
test_store_report_messages_in_order(void **state)
{
	struct fx *f = *state;
	struct report_msg m = { 0 };
	struct seen sn = { 0 };
	uint8_t b[10] = { 42 };
	uint8_t unknown[REPORT_ID_BYTES] = { 0 };

	m.author = REPORT_BY_DESK;
	m.kind = REPORT_MSG_QUESTION;
	m.for_desk = b;
	m.for_desk_len = sizeof(b);
	m.for_reporter = b;
	m.for_reporter_len = sizeof(b);
	assert_int_equal(store_report_add_message(f->s, f->id, &m, 20001),
	    GH_OK);
	m.kind = REPORT_MSG_CONSENT_ASK;
	assert_int_equal(store_report_add_message(f->s, f->id, &m, 20002),
	    GH_OK);
	assert_int_equal(store_report_add_message(f->s, unknown, &m, 20002),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(store_report_messages(f->s, f->id, collect, &sn),
	    GH_OK);
	assert_int_equal(sn.n, 3);
	assert_int_equal(sn.seqs[0], 1);
	assert_int_equal(sn.seqs[2], 3);
	assert_int_equal(sn.kinds[0], REPORT_MSG_TEXT);
	assert_int_equal(sn.kinds[1], REPORT_MSG_QUESTION);
	assert_int_equal(sn.kinds[2], REPORT_MSG_CONSENT_ASK);
	assert_int_equal(sn.rep_first, 42);
}

static void
test_store_report_status_days(void **state)
{
	struct fx *f = *state;
	struct report_row row;

	assert_int_equal(store_report_set_status(f->s, f->id,
	    REPORT_ACKNOWLEDGED, 20003), GH_OK);
	assert_int_equal(store_report_set_status(f->s, f->id,
	    REPORT_ACKNOWLEDGED, 20004), GH_OK);
	assert_int_equal(store_report_set_status(f->s, f->id,
	    REPORT_SECOND_OPINION, 20005), GH_OK);
	assert_int_equal(store_report_set_status(f->s, f->id,
	    REPORT_CLOSED, 20010), GH_OK);
	assert_int_equal(store_report_set_status(f->s, f->id,
	    REPORT_WITHDRAWN, 20010), GH_ERR_INVALID);
	assert_int_equal(store_report_set_day(f->s, f->id, 0, 20006), GH_OK);
	assert_int_equal(store_report_set_day(f->s, f->id, 0, 20007), GH_OK);
	assert_int_equal(store_report_set_day(f->s, f->id, 1, 20040), GH_OK);
	assert_int_equal(store_report_set_day(f->s, f->id, 2, 20040),
	    GH_ERR_INVALID);
	assert_int_equal(store_report_get(f->s, f->id, &row), GH_OK);
	assert_int_equal(row.status, REPORT_CLOSED);
	assert_int_equal(row.status_day, 20010);
	assert_int_equal(row.ack_day, 20003);	/* the first one counts */
	assert_int_equal(row.second_opinion_day, 20005);
	assert_int_equal(row.closed_day, 20010);
	assert_int_equal(row.feedback_day, 20006);
	assert_int_equal(row.aftercare1_day, 20040);
	assert_int_equal(row.aftercare3_day, -1);
	store_report_row_clear(&row);
}

static void
test_store_report_category(void **state)
{
	struct fx *f = *state;
	struct report_row row;
	char longer[REPORT_MAX_CATEGORY + 2];

	assert_int_equal(store_report_set_category(f->s, f->id, "intimidatie",
	    "gender", NULL, NULL), GH_OK);
	assert_int_equal(store_report_set_category(f->s, f->id, NULL, NULL,
	    NULL, "warning"), GH_OK);
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_int_equal(store_report_set_category(f->s, f->id, longer, NULL,
	    NULL, NULL), GH_ERR_TOO_LARGE);
	assert_int_equal(store_report_get(f->s, f->id, &row), GH_OK);
	assert_string_equal(row.form, "intimidatie");
	assert_string_equal(row.ground, "gender");
	assert_string_equal(row.unit, "Finance");
	assert_string_equal(row.measure, "warning");
	store_report_row_clear(&row);
}

static void
test_store_report_rekey(void **state)
{
	struct fx *f = *state;
	struct report_row row;
	struct report_msg m = { 0 };
	struct seen sn = { 0 };
	uint8_t nh[32], nsalt[16] = { 5 }, npk[32] = { 6 }, b[20] = { 77 };

	randombytes_buf(nh, sizeof(nh));
	m.seq = 1;
	m.for_reporter = b;
	m.for_reporter_len = sizeof(b);
	/* The wrong number of messages: refused, nothing changed. */
	assert_int_equal(store_report_rekey(f->s, f->id, nh, nsalt, npk, &m,
	    0), GH_ERR_BUSY);
	assert_int_equal(store_report_by_receipt(f->s, nh, &row),
	    GH_ERR_NOT_FOUND);
	/* Its own current hash is no collision. */
	assert_int_equal(store_report_rekey(f->s, f->id, f->hash, nsalt, npk,
	    &m, 1), GH_OK);
	assert_int_equal(store_report_rekey(f->s, f->id, nh, nsalt, npk, &m,
	    1), GH_OK);
	assert_int_equal(store_report_by_receipt(f->s, f->hash, &row),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(store_report_by_receipt(f->s, nh, &row), GH_OK);
	assert_memory_equal(row.reply_pk, npk, 32);
	assert_memory_equal(row.reply_salt, nsalt, 16);
	store_report_row_clear(&row);
	assert_int_equal(store_report_messages(f->s, f->id, collect, &sn),
	    GH_OK);
	assert_int_equal(sn.rep_first, 77);
}

static void
test_store_report_withdraw_leaves_tombstone(void **state)
{
	struct fx *f = *state;
	struct report_row row;
	struct report_msg m = { 0 };
	char wal[160];

	assert_int_equal(store_report_set_category(f->s, f->id, "pesten",
	    "age", NULL, "none"), GH_OK);
	assert_int_equal(store_checkpoint(f->s, 1), GH_OK);
	assert_int_equal(file_has(f->path, desk_blob + 11, 40), 1);
	assert_int_equal(store_report_withdraw(f->s, f->id, 20020), GH_OK);
	assert_int_equal(store_checkpoint(f->s, 1), GH_OK);

	assert_int_equal(count(f, "SELECT count(*) FROM messages"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM reports WHERE "
	    "receipt_hash IS NULL AND report_pk IS NULL AND sealed_key IS NULL "
	    "AND reply_salt IS NULL AND reply_pk IS NULL AND unit IS NULL AND "
	    "measure IS NULL AND status = 4 AND status_day = 20020 AND "
	    "received_day = 20000 AND form = 'pesten' AND ground = 'age'"), 1);
	assert_int_equal(store_report_by_receipt(f->s, f->hash, &row),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(store_report_get(f->s, f->id, &row), GH_OK);
	assert_int_equal(row.status, REPORT_WITHDRAWN);
	assert_null(row.sealed_key);
	assert_int_equal(row.n_messages, 0);
	store_report_row_clear(&row);

	/* Nothing more can be added, changed or withdrawn. */
	m.for_desk = m.for_reporter = desk_blob;
	m.for_desk_len = m.for_reporter_len = 10;
	assert_int_equal(store_report_add_message(f->s, f->id, &m, 20021),
	    GH_ERR_CLOSED);
	assert_int_equal(store_report_set_status(f->s, f->id,
	    REPORT_IN_PROGRESS, 20021), GH_ERR_CLOSED);
	assert_int_equal(store_report_withdraw(f->s, f->id, 20021),
	    GH_ERR_CLOSED);
	assert_int_equal(store_report_set_category(f->s, f->id, NULL, NULL,
	    "Sales", "other"), GH_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM reports WHERE "
	    "unit IS NULL AND measure IS NULL"), 1);

	/* secure_delete: the sealed bytes are gone from the file and WAL. */
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	assert_int_equal(file_has(f->path, desk_blob + 11, 40), 0);
	assert_int_equal(file_has(f->path, rep_blob + 10, 40), 0);
	assert_int_equal(file_has(f->path, sealed_key, sizeof(sealed_key)), 0);
	assert_int_equal(file_has(wal, desk_blob + 11, 40), 0);
}

static void
test_store_report_links(void **state)
{
	struct fx *f = *state;
	uint8_t links[2][32], unknown[32] = { 0 }, h[32];
	uint8_t id[REPORT_ID_BYTES];
	enum store_token_state st;
	int64_t batch = 0;

	randombytes_buf(links, sizeof(links));
	assert_int_equal(store_report_links_create(f->s,
	    (const uint8_t (*)[32])links, 2, &batch), GH_OK);
	assert_int_equal(batch > 0, 1);
	assert_int_equal(store_report_link_state(f->s, key_of(links[0]), &st), GH_OK);
	assert_int_equal(st, STORE_TOKEN_FRESH);
	assert_int_equal(store_report_link_state(f->s, key_of(unknown), &st), GH_OK);
	assert_int_equal(st, STORE_TOKEN_UNKNOWN);

	randombytes_buf(h, sizeof(h));
	assert_int_equal(create(f, h, unknown, NULL, id), GH_ERR_NOT_FOUND);
	assert_int_equal(create(f, h, links[0], NULL, id), GH_OK);
	assert_int_equal(store_report_link_state(f->s, key_of(links[0]), &st), GH_OK);
	assert_int_equal(st, STORE_TOKEN_SPENT);
	randombytes_buf(h, sizeof(h));
	assert_int_equal(create(f, h, links[0], NULL, id), GH_ERR_SPENT);
	assert_int_equal(count(f, "SELECT count(*) FROM reports"), 2);
	/* The issued links are never written: the spend is its own row. */
	assert_int_equal(count(f, "SELECT count(*) FROM report_links WHERE "
	    "spent_before_v3 IS NOT NULL"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM spends"), 1);
}

static int
count_rows(void *arg, const struct report_row *row)
{
	(void)row;
	(*(int *)arg)++;
	return GH_OK;
}

static void
test_store_report_foreach(void **state)
{
	struct fx *f = *state;
	uint8_t h[32], id[REPORT_ID_BYTES];
	int n = 0;

	randombytes_buf(h, sizeof(h));
	assert_int_equal(create(f, h, NULL, NULL, id), GH_OK);
	assert_int_equal(store_report_withdraw(f->s, id, 20001), GH_OK);
	assert_int_equal(store_report_foreach(f->s, count_rows, &n), GH_OK);
	assert_int_equal(n, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_store_report_create_and_lookup),
		T(test_store_report_receipt_collision_refused),
		T(test_store_report_messages_in_order),
		T(test_store_report_status_days),
		T(test_store_report_category),
		T(test_store_report_rekey),
		T(test_store_report_withdraw_leaves_tombstone),
		T(test_store_report_links),
		T(test_store_report_foreach),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
