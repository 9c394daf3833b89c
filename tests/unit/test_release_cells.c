/*
 * test_release_cells.c: the release's counters, unit roll-up and primary
 * rules on constructed answers (no crypto): rule (a) a group below k,
 * rule (b) a count below c, rule (c) near-unanimity on a sensitive
 * question only; a figure shared by two tables is one cell; small units
 * roll up into "other units of P"; and the whole problem passes
 * secondary suppression and the CLP audit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "release/tables.h"
#include "release_fixture.h"

#define K	5
#define C	3

struct fx {
	struct def	*d;
	struct plan	*p;
	struct tables	*r;
	struct cellset *cs;
};

static const char plan_json[] =
    "{\"format\":1,\"kind\":\"release_plan\",\"definition\":\"rf\","
    "\"tables\":[{\"id\":\"g\",\"question\":\"gender\"},"
    "{\"id\":\"s\",\"question\":\"gezien\",\"by\":[\"gender\"]},"
    "{\"id\":\"m\",\"question\":\"vorm\",\"by\":[\"unit\"]},"
    "{\"id\":\"l\",\"question\":\"l1\",\"by\":[\"gender\"]}]}";

static const char *const units[] = { "A", "A/B", "A/C", "D" };

/* Adds n answers: gender option g (-1 prefer-not), gezien option s
 * (-1: none), l1 option l, unit u. */
static void
add(struct fx *f, int n, int g, int s, int l, const char *u)
{
	struct def_answer a[16];
	int i;

	memset(a, 0, sizeof(a));
	if (g >= 0) {
		a[0].is_answered = 1;
		a[0].chosen = (uint64_t)1 << g;
	} else {
		a[0].is_answered = a[0].is_prefer_not = 1;
		a[0].chosen = (uint64_t)1 << 3;
	}
	if (s >= 0) {
		a[1].is_answered = 1;
		a[1].chosen = (uint64_t)1 << s;
	}
	a[2].is_answered = 1;
	a[2].chosen = 1;
	a[3].is_answered = 1;
	a[3].chosen = (uint64_t)1 << l;
	for (i = 0; i < n; i++)
		assert_int_equal(tables_add_answer(f->r, a, u), GH_OK);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char err[512];

	assert_non_null(f);
	assert_int_equal(def_parse(rf_def_json, strlen(rf_def_json), "rf",
	    &f->d, err, sizeof(err)), GH_OK);
	assert_int_equal(plan_parse(plan_json, strlen(plan_json), "p", f->d,
	    &f->p, err, sizeof(err)), GH_OK);
	assert_int_equal(tables_new(f->d, f->p, K, units, 4, &f->r), GH_OK);
	/* vrouw: 12 (11 nee, 1 ja: near-unanimity), man: 9 (7/2),
	 * nb: 4 (a group below k), prefer-not: 6 (none stated). */
	add(f, 11, 0, 1, 0, "A/B");
	add(f, 1, 0, 0, 1, "A/B");
	add(f, 5, 1, 1, 0, "A/B");
	add(f, 2, 1, 0, 0, "A/C");
	add(f, 2, 1, 1, 0, "A");
	add(f, 4, 2, 1, 2, "D");
	add(f, 6, -1, -1, 2, "A/B");
	assert_int_equal(tables_units_build(f->r), GH_OK);
	assert_int_equal(cellset_build(f->r, &f->cs), GH_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	cellset_free(f->cs);
	tables_free(f->r);
	plan_free(f->p);
	def_free(f->d);
	free(f);
	return 0;
}

static const struct cell *
cell(const struct fx *f, const char *key)
{
	const struct cell *c = cellset_find(f->cs, key);

	if (c == NULL)
		fail_msg("no cell %s", key);
	return c;
}

static void
test_release_cells_counts_and_shared(void **state)
{
	struct fx *f = *state;

	assert_int_equal(f->r->n_answers, 31);
	assert_int_equal(cell(f, "")->value, 31);
	/* Table g's category and table s's group total: one cell. */
	assert_int_equal(cell(f, "q:gender=vrouw")->value, 12);
	assert_int_equal(cell(f, "q:gender=vrouw")->table, 0);
	/* Prefer-not is its own category, apart from not stated. */
	assert_int_equal(cell(f, "q:gender=_prefer_not")->value, 6);
	assert_int_equal(cell(f, "q:gender=NOT_STATED")->value, 0);
	assert_int_equal(cell(f, "q:gender=_prefer_not&q:gezien=NOT_STATED")->
	    value, 6);
	assert_int_equal(cell(f, "q:gender=man&q:gezien=ja")->value, 2);
}

static void
test_release_cells_rule_a_small_group(void **state)
{
	struct fx *f = *state;

	assert_int_equal(cell(f, "q:gender=nb")->rule, CELL_RULE_K);
	assert_int_equal(cell(f, "q:gender=nb&q:gezien=nee")->rule,
	    CELL_RULE_K);
	/* Every figure of the group, zeros too. */
	assert_int_equal(cell(f, "q:gender=nb&q:gezien=ja")->value, 0);
	assert_int_equal(cell(f, "q:gender=nb&q:gezien=ja")->rule,
	    CELL_RULE_K);
}

static void
test_release_cells_rule_b_small_count(void **state)
{
	struct fx *f = *state;

	assert_int_equal(cell(f, "q:gender=man&q:gezien=ja")->rule,
	    CELL_RULE_C);
	assert_int_equal(cell(f, "q:gender=vrouw&q:gezien=ja")->rule,
	    CELL_RULE_C);
	assert_int_equal(cell(f, "q:gender=vrouw&q:l1=2")->rule, CELL_RULE_C);
	assert_int_equal(cell(f, "q:gender=vrouw&q:l1=3")->rule,
	    CELL_RULE_NONE);
}

static void
test_release_cells_rule_c_sensitive_only(void **state)
{
	struct fx *f = *state;

	/* gezien is sensitive: 11 of 12 "nee", the rest is 1. */
	assert_int_equal(cell(f, "q:gender=vrouw&q:gezien=nee")->rule,
	    CELL_RULE_DOMINANCE);
	/* man: 7 of 9, the rest (2) is below c too. */
	assert_int_equal(cell(f, "q:gender=man&q:gezien=nee")->rule,
	    CELL_RULE_DOMINANCE);
	/* l1 is not sensitive: 11 of 12 is shown. */
	assert_int_equal(cell(f, "q:gender=vrouw&q:l1=1")->value, 11);
	assert_int_equal(cell(f, "q:gender=vrouw&q:l1=1")->rule,
	    CELL_RULE_NONE);
}

static void
test_release_cells_units_roll_up(void **state)
{
	struct fx *f = *state;
	const struct table_dim *u = &f->r->unit_dim;
	size_t i;
	int seen = 0;

	/* A: 27 (A/B 23 shown; A/C 2 and A's own 2 rolled into "other
	 * units of A"); D: 4, rolled into "other units". */
	for (i = 0; i < u->n_vals; i++) {
		const char *n = u->vals[i].name;

		if (strcmp(n, "A") == 0 || strcmp(n, "A/B") == 0 ||
		    strcmp(n, "other units of A") == 0 ||
		    strcmp(n, "other units") == 0 ||
		    strcmp(n, TABLES_NOT_STATED) == 0)
			assert_int_equal(u->vals[i].is_rolled, 0);
		else if (strcmp(n, "A/C") == 0 || strcmp(n, "D") == 0 ||
		    strcmp(n, "A (direct)") == 0)
			assert_int_equal(u->vals[i].is_rolled, 1);
		else
			fail_msg("unexpected unit value %s", n);
		seen++;
	}
	assert_int_equal(seen, 8);
	assert_int_equal(cell(f, "u=A")->value, 27);
	assert_int_equal(cell(f, "u=A/B")->value, 23);
	assert_int_equal(cell(f, "u=other units of A")->value, 4);
	assert_int_equal(cell(f, "u=other units of A")->rule, CELL_RULE_K);
	assert_int_equal(cell(f, "u=other units")->value, 4);
	assert_int_equal(cell(f, "u=NOT_STATED")->value, 0);
	assert_null(cellset_find(f->cs, "u=A/C"));
}

static void
test_release_cells_protected_and_audited(void **state)
{
	struct fx *f = *state;
	struct sdc_interval iv;
	size_t failed = 0, i;

	assert_int_equal(cellset_to_sdc(f->cs), GH_OK);
	assert_int_equal(sdc_protect(f->cs->sdc, C, NULL, NULL, &failed),
	    GH_OK);
	assert_int_equal(sdc_audit(f->cs->sdc, C, NULL, NULL, &failed),
	    GH_OK);
	for (i = 0; i < f->cs->n; i++) {
		if (f->cs->cells[i].rule == CELL_RULE_NONE)
			continue;
		assert_int_equal(sdc_cell_flag(f->cs->sdc, f->cs->cells[i].sdc),
		    SDC_PRIMARY);
		assert_int_equal(sdc_cell_interval(f->cs->sdc,
		    f->cs->cells[i].sdc, &iv), GH_OK);
		assert_true(iv.lo <= 1e-6 && iv.hi >= C - 1e-6);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_release_cells_counts_and_shared, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_release_cells_rule_a_small_group, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_release_cells_rule_b_small_count, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_release_cells_rule_c_sensitive_only, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_release_cells_units_roll_up, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_release_cells_protected_and_audited, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
