/*
 * test_release_faults.c: allocation failures in the release engine, each
 * in turn (SQLite's faultsim). For n = 1, 2, ... the n-th allocation
 * fails, of gehoord's own code (alloc_hook.h) or of cJSON's (routed
 * through the same counter by cJSON_InitHooks), while a plan is parsed,
 * the counters are made, a few answers are counted and the units rolled
 * up. Every run must end in GH_OK or a clean GH_ERR_NOMEM, except that a
 * failure inside cJSON's parser is GH_ERR_INVALID: cJSON returns NULL
 * for both and says nothing more. The ASan build's leak check sees
 * anything left behind. The loop ends with the
 * first run that makes fewer allocations than n, which must succeed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "alloc_hook.h"
#include "release/plan.h"
#include "release/tables.h"
#include "release_fixture.h"

static const char plan_json[] =
    "{\"format\":1,\"kind\":\"release_plan\",\"definition\":\"rf\","
    "\"tables\":[{\"id\":\"g\",\"question\":\"gender\"},"
    "{\"id\":\"s\",\"question\":\"gezien\",\"by\":[\"gender\"]},"
    "{\"id\":\"m\",\"question\":\"vorm\",\"by\":[\"unit\"]},"
    "{\"id\":\"l\",\"scale\":\"sc\",\"by\":[\"gender\"]}]}";

static const char *const units[] = { "A", "A/B", "D" };

static int is_json_failure;	/* the failed allocation was cJSON's */

static void *
counted_malloc(size_t n)
{
	void *p = malloc(n);	/* the wrapped malloc of this test */

	if (p == NULL)
		is_json_failure = 1;
	return p;
}

static void
counted_free(void *p)
{
	free(p);
}

/* One run with the n-th allocation failing (0: none); returns its code. */
static int
run(const struct def *d, long n)
{
	struct def_answer a[16];
	struct plan *p = NULL;
	struct tables *r = NULL;
	char err[512];
	int rc, i;

	alloc_hook_fail_at(n);
	is_json_failure = 0;
	if ((rc = plan_parse(plan_json, strlen(plan_json), "p", d, &p, err,
	    sizeof(err))) != GH_OK ||
	    (rc = tables_new(d, p, 5, units, 3, &r)) != GH_OK)
		goto out;
	memset(a, 0, sizeof(a));
	for (i = 0; i < 12; i++) {
		a[0].is_answered = a[1].is_answered = a[2].is_answered = 1;
		a[0].chosen = (uint64_t)1 << (i % 3);
		a[1].chosen = (uint64_t)1 << (i % 2);
		a[2].chosen = 3;
		a[3].is_answered = a[4].is_answered = 1;
		a[3].chosen = a[4].chosen = (uint64_t)1 << (i % 3);
		if ((rc = tables_add_answer(r, a, units[i % 3])) != GH_OK)
			goto out;
	}
	rc = tables_units_build(r);
out:
	tables_free(r);
	plan_free(p);
	return rc;
}

static void
test_release_faults_each_allocation_fails_cleanly(void **state)
{
	struct def *d = NULL;
	char err[512];
	long n, total;
	int rc;

	(void)state;
	assert_int_equal(def_parse(rf_def_json, strlen(rf_def_json), "rf", &d,
	    err, sizeof(err)), GH_OK);
	assert_int_equal(run(d, 0), GH_OK);
	total = alloc_hook_count();
	for (n = 1;; n++) {
		rc = run(d, n);
		if (rc != GH_OK && rc != GH_ERR_NOMEM &&
		    !(rc == GH_ERR_INVALID && is_json_failure))
			fail_msg("allocation %ld of %ld failing gave %s", n,
			    total, gh_err_str(rc));
		if (!alloc_hook_has_failed()) {
			assert_int_equal(rc, GH_OK);
			break;
		}
		if (rc == GH_OK)
			fail_msg("allocation %ld of %ld failed, yet the run "
			    "succeeded", n, total);
	}
	assert_int_equal(n, total + 1);
	def_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_release_faults_each_allocation_fails_cleanly),
	};
	cJSON_Hooks hooks = { counted_malloc, counted_free };

	cJSON_InitHooks(&hooks);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
