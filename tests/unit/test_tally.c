/*
 * test_tally.c: the custodian's tally end to end below HTTP: answers are
 * encoded, sealed to a real key pair and stored in a real SQLite file;
 * the tally opens and counts them, refuses a tampered blob, and writes
 * counts with every count below k (and the one-subtraction partner of a
 * lone hidden option) suppressed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "tmpdir.h"
#include "store_key.h"
#include "crypto/seal.h"
#include "survey/form.h"
#include "release/tally.h"
#include "survey/answer.h"

#define N_MAX 40

static const char def_json[] =
    "{\"format\":1,\"id\":\"t\",\"title\":{\"nl\":\"T\",\"en\":\"T\"},"
    "\"questions\":["
    "{\"id\":\"kleur\",\"type\":\"single\",\"required\":true,"
    "\"label\":{\"nl\":\"Kleur\",\"en\":\"Colour\"},\"options\":["
    "{\"id\":\"rood\",\"label\":{\"nl\":\"rood\",\"en\":\"red\"}},"
    "{\"id\":\"blauw\",\"label\":{\"nl\":\"blauw\",\"en\":\"blue\"}},"
    "{\"id\":\"groen\",\"label\":{\"nl\":\"groen\",\"en\":\"green\"}}]},"
    "{\"id\":\"tekst\",\"type\":\"text\",\"max_length\":50,"
    "\"label\":{\"nl\":\"Tekst\",\"en\":\"Text\"}}]}";

struct fx {
	char		 dir[64];
	char		 path[128];
	struct store	*s;
	struct def	*d;
	struct wave_key	*key;
	int64_t		 wave;
	uint8_t		 hashes[N_MAX][STORE_HASH_BYTES];
	size_t		 n_used;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char err[256];
	int64_t batch;

	assert_non_null(f);
	assert_int_equal(sodium_init() >= 0, 1);
	assert_int_equal(tmpdir_make(f->dir, sizeof(f->dir), "tally"), 0);
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_int_equal(def_parse(def_json, strlen(def_json), "t.json", &f->d,
	    err, sizeof(err)), GH_OK);
	assert_non_null(f->key = sodium_malloc(sizeof(*f->key)));
	crypto_box_keypair(f->key->pk, f->key->sk);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->s), GH_OK);
	assert_int_equal(store_wave_create(f->s, "w", def_json, f->key->pk, 10,
	    &f->wave), GH_OK);
	randombytes_buf(f->hashes, sizeof(f->hashes));
	assert_int_equal(store_batch_create(f->s, f->wave, NULL,
	    (const uint8_t (*)[STORE_HASH_BYTES])f->hashes, N_MAX, &batch),
	    GH_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->s);
	def_free(f->d);
	sodium_free(f->key);
	assert_int_equal(tmpdir_remove(f->dir), 0);
	free(f);
	return 0;
}

/* Encodes, seals and stores one answer given as a form body. */
static void
answer(struct fx *f, const char *body)
{
	struct form *fm = NULL;
	struct answer_check *chk = NULL;
	struct store_submission sub = { 0 };
	uint8_t *plain = NULL, sealed[4096];
	size_t len = 0, slen = seal_len(f->d->bucket);

	assert_true(slen <= sizeof(sealed));
	assert_int_equal(form_parse(body, strlen(body), &fm), GH_OK);
	assert_int_equal(answer_encode(f->d, f->wave, fm, &chk, &plain, &len),
	    GH_OK);
	assert_int_equal(seal_answer(sealed, slen, plain, len, f->d->bucket,
	    f->key->pk), GH_OK);
	sub.key = *key_of(f->hashes[f->n_used++]);
	sub.wave_id = f->wave;
	sub.sealed = sealed;
	sub.sealed_len = slen;
	assert_int_equal(store_commit_batch(f->s, &sub, 1),
	    GH_OK);
	assert_int_equal(sub.result, GH_OK);
	answer_plain_free(plain, len);
	form_free(fm);
}

static void
answer_n(struct fx *f, const char *body, int n)
{
	while (n-- > 0)
		answer(f, body);
}

static char *
slurp(struct fx *f, const char *name)
{
	char path[200], *buf;
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	assert_non_null(fp = fopen(path, "rb"));
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	assert_non_null(buf = calloc(1, (size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	return buf;
}

static void
test_tally_counts_what_was_sealed(void **state)
{
	struct fx *f = *state;
	struct tally_counts *c = NULL;

	answer_n(f, "q_kleur=rood&q_tekst=hallo", 12);
	answer_n(f, "q_kleur=blauw", 11);
	answer_n(f, "q_kleur=groen", 2);
	assert_int_equal(tally_run(f->s, f->wave, f->d, f->key, 2, NULL, NULL,
	    &c), GH_OK);
	assert_int_equal(c->n_answers, 25);
	assert_int_equal(c->answered[0], 25);
	assert_int_equal(c->option[0][0], 12);
	assert_int_equal(c->option[0][1], 11);
	assert_int_equal(c->option[0][2], 2);
	assert_int_equal(c->answered[1], 12);
	tally_counts_free(c);
}

static void
test_tally_write_hides_small_and_its_subtraction_partner(void **state)
{
	struct fx *f = *state;
	struct tally_counts *c = NULL;
	char *csv;

	answer_n(f, "q_kleur=rood&q_tekst=hallo", 12);
	answer_n(f, "q_kleur=blauw", 11);
	answer_n(f, "q_kleur=groen", 2);
	assert_int_equal(tally_run(f->s, f->wave, f->d, f->key, 1, NULL, NULL,
	    &c), GH_OK);
	assert_int_equal(tally_write(f->dir, f->d, c, 10), GH_OK);
	csv = slurp(f, "counts.csv");
	/* groen (2) is below k; blauw (11), the smallest visible option, is
	 * hidden with it, or 25 - 12 - 11 would give groen away. */
	assert_string_equal(csv,
	    "question,type,option,count\r\n"
	    "_all,,_answers,25\r\n"
	    "kleur,single,_answered,25\r\n"
	    "kleur,single,rood,12\r\n"
	    "kleur,single,blauw,suppressed\r\n"
	    "kleur,single,groen,suppressed\r\n"
	    "tekst,text,_answered,12\r\n");
	free(csv);
	csv = slurp(f, "counts.json");
	assert_non_null(strstr(csv, "\"suppressed\""));
	free(csv);
	tally_counts_free(c);
}

static void
test_tally_fewer_than_k_answers_hides_everything(void **state)
{
	struct fx *f = *state;
	struct tally_counts *c = NULL;
	char *csv;

	answer_n(f, "q_kleur=rood", 9);
	assert_int_equal(tally_run(f->s, f->wave, f->d, f->key, 2, NULL, NULL,
	    &c), GH_OK);
	assert_int_equal(tally_write(f->dir, f->d, c, 5), GH_OK);
	csv = slurp(f, "counts.csv");
	assert_non_null(strstr(csv, "_all,,_answers,9\r\n"));
	free(csv);
	assert_int_equal(tally_write(f->dir, f->d, c, 10), GH_OK);
	csv = slurp(f, "counts.csv");
	assert_null(strstr(csv, "9"));
	assert_non_null(strstr(csv, "kleur,single,rood,suppressed\r\n"));
	free(csv);
	tally_counts_free(c);
}

static void
test_tally_tampered_blob_fails(void **state)
{
	struct fx *f = *state;
	struct tally_counts *c = NULL;
	sqlite3 *db;

	answer_n(f, "q_kleur=rood", 3);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE answers SET sealed = "
	    "(substr(sealed, 1, 40) || x'00' || substr(sealed, 42)) WHERE "
	    "rowid IN (SELECT rowid FROM answers LIMIT 1)", NULL, NULL, NULL),
	    SQLITE_ERROR);	/* WITHOUT ROWID: no rowid to use */
	assert_int_equal(sqlite3_exec(db, "UPDATE answers SET sealed = "
	    "(substr(sealed, 1, 40) || "
	    "CASE WHEN substr(sealed, 41, 1) = x'00' THEN x'01' ELSE x'00' END"
	    " || substr(sealed, 42)) WHERE id = (SELECT min(id) FROM answers)",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(tally_run(f->s, f->wave, f->d, f->key, 2, NULL, NULL,
	    &c), GH_ERR_CRYPTO);
	assert_null(c);
}

static void
test_tally_wrong_key_fails(void **state)
{
	struct fx *f = *state;
	struct tally_counts *c = NULL;

	answer_n(f, "q_kleur=rood", 2);
	crypto_box_keypair(f->key->pk, f->key->sk);
	assert_int_equal(tally_run(f->s, f->wave, f->d, f->key, 2, NULL, NULL,
	    &c), GH_ERR_CRYPTO);
}

static const char unit_def_json[] =
    "{\"format\":2,\"id\":\"u\",\"title\":{\"nl\":\"U\",\"en\":\"U\"},"
    "\"unit\":{\"source\":\"batch\"},\"pages\":[{\"id\":\"p\","
    "\"questions\":[{\"id\":\"kleur\",\"type\":\"single\","
    "\"label\":{\"nl\":\"Kleur\",\"en\":\"Colour\"},\"options\":["
    "{\"id\":\"rood\",\"label\":{\"nl\":\"rood\",\"en\":\"red\"}},"
    "{\"id\":\"blauw\",\"label\":{\"nl\":\"blauw\",\"en\":\"blue\"}}]}"
    "]}]}";

/* Encodes, seals and stores n answers of unit (NULL: none) under d. */
static void
answer_unit_n(struct fx *f, const struct def *d, const char *unit, int n)
{
	struct form *fm = NULL;
	struct answer_check *chk = NULL;
	struct store_submission sub = { 0 };
	uint8_t *plain = NULL, sealed[4096];
	size_t len = 0, slen = seal_len(d->bucket);

	assert_true(slen <= sizeof(sealed));
	assert_int_equal(form_parse("q_kleur=rood", 12, &fm), GH_OK);
	while (n-- > 0) {
		assert_int_equal(answer_encode_unit(d, f->wave, unit, fm, &chk,
		    &plain, &len), GH_OK);
		assert_int_equal(seal_answer(sealed, slen, plain, len,
		    d->bucket, f->key->pk), GH_OK);
		answer_plain_free(plain, len);
		sub.key = *key_of(f->hashes[f->n_used++]);
		sub.wave_id = f->wave;
		sub.sealed = sealed;
		sub.sealed_len = slen;
		assert_int_equal(store_commit_batch(f->s, &sub, 1), GH_OK);
		assert_int_equal(sub.result, GH_OK);
	}
	form_free(fm);
}

static void
test_tally_counts_per_unit_with_suppression(void **state)
{
	struct fx *f = *state;
	struct tally_counts *c = NULL;
	struct def *d = NULL;
	char err[256], *csv;

	assert_int_equal(def_parse(unit_def_json, strlen(unit_def_json),
	    "u.json", &d, err, sizeof(err)), GH_OK);
	assert_int_equal(d->unit_source, DEF_UNIT_BATCH);
	answer_unit_n(f, d, "Directie A", 12);
	answer_unit_n(f, d, "Directie B, \"Oost\"", 3);
	answer_unit_n(f, d, "Zorg", 10);
	assert_int_equal(tally_run(f->s, f->wave, d, f->key, 3, NULL, NULL,
	    &c), GH_OK);
	assert_int_equal(c->n_units, 3);
	assert_string_equal(c->units[0].label, "Directie A");
	assert_int_equal(c->units[0].count, 12);
	assert_string_equal(c->units[1].label, "Directie B, \"Oost\"");
	assert_int_equal(c->units[1].count, 3);
	assert_int_equal(c->units[2].count, 10);
	assert_int_equal(c->n_no_unit, 0);
	assert_int_equal(tally_write(f->dir, d, c, 10), GH_OK);
	csv = slurp(f, "counts.csv");
	/* B (3) is below k; Zorg (10), the smallest shown, goes with it. */
	assert_non_null(strstr(csv, "_unit,unit,Directie A,12\r\n"
	    "_unit,unit,\"Directie B, \"\"Oost\"\"\",suppressed\r\n"
	    "_unit,unit,Zorg,suppressed\r\n"));
	free(csv);
	csv = slurp(f, "counts.json");
	assert_non_null(strstr(csv, "\"unit\":\t\"Directie B, \\\"Oost\\\"\""));
	assert_non_null(strstr(csv, "\"units\""));
	free(csv);
	tally_counts_free(c);
	/* Answers of a batch without a label: an empty label of their own. */
	answer_unit_n(f, d, NULL, 11);
	assert_int_equal(tally_run(f->s, f->wave, d, f->key, 1, NULL, NULL,
	    &c), GH_OK);
	assert_int_equal(c->n_no_unit, 11);
	assert_int_equal(tally_write(f->dir, d, c, 10), GH_OK);
	csv = slurp(f, "counts.csv");
	assert_non_null(strstr(csv, "_unit,unit,,11\r\n"));
	/* B is still alone below k, so Zorg (10) is still hidden with it. */
	assert_non_null(strstr(csv, "_unit,unit,Zorg,suppressed\r\n"));
	assert_non_null(strstr(csv, "_unit,unit,Directie A,12\r\n"));
	free(csv);
	tally_counts_free(c);
	def_free(d);
}

static void
test_tally_no_unit_rows_without_batch_source(void **state)
{
	struct fx *f = *state;
	struct tally_counts *c = NULL;
	char *csv;

	answer_n(f, "q_kleur=rood", 10);
	assert_int_equal(tally_run(f->s, f->wave, f->d, f->key, 1, NULL, NULL,
	    &c), GH_OK);
	assert_int_equal(c->n_units, 0);
	assert_int_equal(tally_write(f->dir, f->d, c, 10), GH_OK);
	csv = slurp(f, "counts.csv");
	assert_null(strstr(csv, "_unit"));
	free(csv);
	tally_counts_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_tally_counts_what_was_sealed),
		T(test_tally_counts_per_unit_with_suppression),
		T(test_tally_no_unit_rows_without_batch_source),
		T(test_tally_write_hides_small_and_its_subtraction_partner),
		T(test_tally_fewer_than_k_answers_hides_everything),
		T(test_tally_tampered_blob_fails),
		T(test_tally_wrong_key_fails),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
