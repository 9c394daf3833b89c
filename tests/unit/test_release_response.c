/*
 * test_release_response.c: the response of a release per unit label
 * (release.h: release_response_cells, release_response_cell,
 * release_unit_issued, and "response" in tables.json), on constructed answers
 * and batches (no crypto, no store). Which batch an answer came from is not
 * known: a unit's tokens are the sizes of its batches added up, its answers
 * those that carry its label. Its answers are the cell of its own unit value,
 * shared with a table by unit, or added with the hierarchy's sums when the
 * plan has none; a unit is listed only if that cell is published. Answers
 * that carry no unit give the tokens per unit only, and say so.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "release/release.h"
#include "release_fixture.h"

#define K	5
#define C	3

/* A table by unit, and one without. */
static const char plan_unit[] =
    "{\"format\":1,\"kind\":\"release_plan\",\"definition\":\"rf\","
    "\"tables\":[{\"id\":\"g\",\"question\":\"gender\",\"by\":[\"unit\"]}]}";
static const char plan_plain[] =
    "{\"format\":1,\"kind\":\"release_plan\",\"definition\":\"rf\","
    "\"tables\":[{\"id\":\"g\",\"question\":\"gender\"}]}";

static const char *const labels[] = { "A", "A/B", "A/C", "D" };

/* Two batches of A: its tokens are their sizes added up. */
static const struct { const char *unit; int64_t issued; } batch_def[] = {
	{ "A", 10 }, { "A/B", 30 }, { "A", 5 }, { "A/C", 10 }, { "D", 10 },
	{ NULL, 12 },
};
#define N_BATCHES	(sizeof(batch_def) / sizeof(batch_def[0]))

struct fx {
	struct def		*d;
	struct plan		*p;
	struct store_wave	 w;
	struct release		 rl;
};

/* Adds n answers of gender option g and unit u (NULL: none). */
static void
add(struct fx *f, int n, int g, const char *u)
{
	struct def_answer a[16];
	int i;

	memset(a, 0, sizeof(a));
	a[0].is_answered = 1;
	a[0].chosen = (uint64_t)1 << g;
	for (i = 0; i < n; i++)
		assert_int_equal(tables_add_answer(f->rl.rel, a, u), GH_OK);
}

/*
 * A: 7 own answers and A/B 23 (A/C's 2 roll up into "other units of
 * A", below k); D: 6; no unit: 9. Every label has at least one batch.
 */
static struct fx *
fx_new(const char *plan_json, enum def_unit_source src)
{
	struct fx *f = calloc(1, sizeof(*f));
	char err[512];
	size_t i;

	assert_non_null(f);
	assert_int_equal(def_parse(rf_def_json, strlen(rf_def_json), "rf",
	    &f->d, err, sizeof(err)), GH_OK);
	f->d->unit_source = src;
	assert_int_equal(plan_parse(plan_json, strlen(plan_json), "p", f->d,
	    &f->p, err, sizeof(err)), GH_OK);
	f->w.name = (char *)"w";
	f->w.k = K;
	f->rl.w = &f->w;
	f->rl.d = f->d;
	f->rl.plan = f->p;
	assert_non_null(f->rl.batches = calloc(N_BATCHES,
	    sizeof(*f->rl.batches)));
	for (i = 0; i < N_BATCHES; i++) {
		f->rl.batches[i].id = (int64_t)i + 1;
		f->rl.batches[i].unit = (char *)batch_def[i].unit;
		f->rl.batches[i].issued = batch_def[i].issued;
	}
	f->rl.n_batches = N_BATCHES;
	assert_int_equal(tables_new(f->d, f->p, K, labels, 4, &f->rl.rel),
	    GH_OK);
	if (src == DEF_UNIT_BATCH) {
		add(f, 4, 0, "A");
		add(f, 3, 1, "A");
		add(f, 12, 0, "A/B");
		add(f, 11, 1, "A/B");
		add(f, 2, 0, "A/C");
		add(f, 6, 1, "D");
		add(f, 9, 0, NULL);
	} else {
		add(f, 45, 0, NULL);
	}
	assert_int_equal(tables_units_build(f->rl.rel), GH_OK);
	assert_int_equal(cellset_build(f->rl.rel, &f->rl.cs), GH_OK);
	return f;
}

static void
fx_free(struct fx *f)
{
	free(f->rl.batches);
	cellset_free(f->rl.cs);
	tables_free(f->rl.rel);
	plan_free(f->p);
	def_free(f->d);
	free(f);
}

/* Protects the cells and returns tables.json's "response" (cJSON_Delete
 * its parent, *root). */
static const cJSON *
response_of(struct fx *f, cJSON **root)
{
	struct buf csv = { 0 }, json = { 0 };
	size_t failed = 0;
	const cJSON *r;

	assert_int_equal(cellset_to_sdc(f->rl.cs), GH_OK);
	assert_int_equal(sdc_protect(f->rl.cs->sdc, C, NULL, NULL, &failed),
	    GH_OK);
	assert_int_equal(sdc_audit(f->rl.cs->sdc, C, NULL, NULL, &failed),
	    GH_OK);
	assert_int_equal(release_tables_write(&f->rl, &csv, &json), GH_OK);
	assert_non_null(*root = cJSON_ParseWithLength(json.data, json.len));
	buf_free(&csv);
	buf_free(&json);
	r = cJSON_GetObjectItemCaseSensitive(*root, "response");
	assert_true(cJSON_IsObject(r));
	return r;
}

static size_t
leaf_of(const struct fx *f, const char *label)
{
	size_t i;

	for (i = 0; i < f->rl.rel->n_units; i++)
		if (label != NULL && strcmp(f->rl.rel->units[i], label) == 0)
			return i;
	return f->rl.rel->n_units;
}

static const char *
key_of(const struct fx *f, const char *label)
{
	const struct cell *c = release_response_cell(&f->rl,
	    leaf_of(f, label));

	return c != NULL ? c->key : NULL;
}

static int64_t
num(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsNumber(v))
		fail_msg("%s is not a number", name);
	return (int64_t)v->valuedouble;
}

static int
is_null(const cJSON *o, const char *name)
{
	return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, name));
}

static void
test_release_response_issued_per_unit(void **state)
{
	struct fx *f = fx_new(plan_unit, DEF_UNIT_BATCH);

	(void)state;
	assert_int_equal(release_unit_issued(&f->rl, leaf_of(f, "A")), 15);
	assert_int_equal(release_unit_issued(&f->rl, leaf_of(f, "A/B")), 30);
	assert_int_equal(release_unit_issued(&f->rl, leaf_of(f, NULL)), 12);
	fx_free(f);
}

/* With a table by unit the response adds no cell and no relation: a
 * unit's answers are its own unit value's cell. */
static void
test_release_response_shares_unit_table_cells(void **state)
{
	struct fx *f = fx_new(plan_unit, DEF_UNIT_BATCH);
	size_t n = f->rl.cs->n, n_rels = f->rl.cs->n_rels;

	(void)state;
	assert_int_equal(release_response_cells(&f->rl), GH_OK);
	assert_int_equal(f->rl.cs->n, n);
	assert_int_equal(f->rl.cs->n_rels, n_rels);
	assert_string_equal(key_of(f, "A"), "u=A (direct)");
	assert_string_equal(key_of(f, "A/B"), "u=A/B");
	assert_string_equal(key_of(f, "D"), "u=D");
	assert_string_equal(key_of(f, NULL), "u=NOT_STATED");
	assert_int_equal(release_response_cell(&f->rl, leaf_of(f, "A/B"))->value,
	    23);
	assert_int_equal(release_response_cell(&f->rl, leaf_of(f, "A/B"))->table,
	    0);
	/* Below k: rolled up, no cell of its own. */
	assert_null(key_of(f, "A/C"));
	fx_free(f);
}

/* Without one, the unit dimension's cells and sums are added, with the
 * primary rules of a group total. */
static void
test_release_response_adds_unit_cells(void **state)
{
	struct fx *f = fx_new(plan_plain, DEF_UNIT_BATCH);
	const struct cell *c;
	size_t n_rels = f->rl.cs->n_rels, i, j;
	int seen = 0;

	(void)state;
	assert_null(cellset_find(f->rl.cs, "u=A"));
	assert_int_equal(release_response_cells(&f->rl), GH_OK);
	assert_non_null(c = cellset_find(f->rl.cs, "u=A"));
	assert_int_equal(c->value, 32);
	assert_int_equal(c->table, SIZE_MAX);
	assert_non_null(c = cellset_find(f->rl.cs, "u=other units of A"));
	assert_int_equal(c->value, 2);
	assert_int_equal(c->rule, CELL_RULE_K);
	assert_string_equal(key_of(f, "A"), "u=A (direct)");
	/* All answers = A + D + NOT_STATED; A = A/B + A (direct) + other. */
	assert_int_equal(f->rl.cs->n_rels, n_rels + 2);
	for (i = n_rels; i < f->rl.cs->n_rels; i++) {
		const struct cell_relation *rr = &f->rl.cs->rels[i];
		int64_t sum = 0;

		assert_false(rr->is_le);
		for (j = 0; j < rr->n_parts; j++)
			sum += f->rl.cs->cells[rr->parts[j]].value;
		assert_int_equal(sum, f->rl.cs->cells[rr->total].value);
		seen += strcmp(f->rl.cs->cells[rr->total].key, "") == 0;
	}
	assert_int_equal(seen, 1);
	fx_free(f);
}

/* A table's cell of the same key must hold the same figure. */
static void
test_release_response_rejects_other_figure(void **state)
{
	struct fx *f = fx_new(plan_unit, DEF_UNIT_BATCH);

	(void)state;
	cellset_find(f->rl.cs, "u=A/B")->value = 24;
	assert_int_equal(release_response_cells(&f->rl), GH_ERR_INVALID);
	fx_free(f);
}

/*
 * tables.json: the whole wave (77 tokens, 47 answers), and the units
 * whose own cell is published, in label order, no unit last. "other
 * units of A" (2) is below k, so A's own answers (7, the smallest
 * partner that can hide it) are not listed.
 */
static void
test_release_response_json(void **state)
{
	struct fx *f = fx_new(plan_plain, DEF_UNIT_BATCH);
	const cJSON *r, *u;
	cJSON *root;
	const struct cell *c;
	size_t leaf, listed = 0;

	(void)state;
	assert_int_equal(release_response_cells(&f->rl), GH_OK);
	r = response_of(f, &root);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r,
	    "answered_per_unit")));
	assert_int_equal(num(r, "issued"), 77);
	assert_int_equal(num(r, "answered"), 47);
	assert_null(cJSON_GetObjectItemCaseSensitive(r, "note"));
	u = cJSON_GetObjectItemCaseSensitive(r, "units")->child;
	for (leaf = 0; leaf <= f->rl.rel->n_units; leaf++) {
		c = release_response_cell(&f->rl, leaf);
		if (c == NULL || sdc_cell_flag(f->rl.cs->sdc, c->sdc) !=
		    SDC_PUBLISHED)
			continue;
		assert_non_null(u);
		if (leaf < f->rl.rel->n_units)
			assert_string_equal(cJSON_GetObjectItemCaseSensitive(u,
			    "unit")->valuestring, f->rl.rel->units[leaf]);
		else
			assert_true(is_null(u, "unit"));
		assert_int_equal(num(u, "issued"), release_unit_issued(&f->rl,
		    leaf));
		assert_int_equal(num(u, "answered"), f->rl.rel->unit_n[leaf]);
		assert_string_equal(cJSON_GetObjectItemCaseSensitive(u,
		    "cell")->valuestring, c->key);
		u = u->next;
		listed++;
	}
	assert_null(u);
	assert_int_equal(listed, 3);
	assert_int_equal(sdc_cell_flag(f->rl.cs->sdc,
	    release_response_cell(&f->rl,
	    leaf_of(f, "A"))->sdc), SDC_SECONDARY);
	cJSON_Delete(root);
	fx_free(f);
}

/* Answers without a unit: tokens per unit only, and a note. */
static void
test_release_response_answers_carry_no_unit(void **state)
{
	struct fx *f = fx_new(plan_plain, DEF_UNIT_NONE);
	size_t n = f->rl.cs->n, i = 0;
	const cJSON *r, *u;
	cJSON *root;
	static const struct { const char *unit; int64_t issued; } want[] = {
		{ "A", 15 }, { "A/B", 30 }, { "A/C", 10 }, { "D", 10 },
		{ NULL, 12 },
	};

	(void)state;
	assert_int_equal(release_response_cells(&f->rl), GH_OK);
	assert_int_equal(f->rl.cs->n, n);
	assert_null(release_response_cell(&f->rl, f->rl.rel->n_units));
	r = response_of(f, &root);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(r,
	    "answered_per_unit")));
	assert_int_equal(num(r, "issued"), 77);
	assert_int_equal(num(r, "answered"), 45);
	assert_non_null(strstr(cJSON_GetObjectItemCaseSensitive(r,
	    "note")->valuestring, "carry no unit"));
	cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(r, "units")) {
		assert_true(i < 5);
		if (want[i].unit != NULL)
			assert_string_equal(cJSON_GetObjectItemCaseSensitive(u,
			    "unit")->valuestring, want[i].unit);
		else
			assert_true(is_null(u, "unit"));
		assert_int_equal(num(u, "issued"), want[i].issued);
		assert_true(is_null(u, "answered") && is_null(u, "rate") &&
		    is_null(u, "cell"));
		i++;
	}
	assert_int_equal(i, 5);
	cJSON_Delete(root);
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_release_response_issued_per_unit),
		cmocka_unit_test(test_release_response_shares_unit_table_cells),
		cmocka_unit_test(test_release_response_adds_unit_cells),
		cmocka_unit_test(test_release_response_rejects_other_figure),
		cmocka_unit_test(test_release_response_json),
		cmocka_unit_test(test_release_response_answers_carry_no_unit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
