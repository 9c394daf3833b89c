/*
 * fuzz_plan.c: libFuzzer target for release plans.
 *
 * A plan comes from the custodian's file (gehoord release --plan), so
 * plan_parse must refuse any bytes cleanly. The input is the plan's JSON
 * text, checked against a fixed format-2 definition with a background
 * question, a unit from the batch, a multi question, a scale and an
 * indicator (so every kind of table can be accepted). Checked: a refusal
 * writes one printable line "fuzz.json: ..." and returns no plan; an
 * accepted plan keeps every limit of plan.h and names only what the
 * definition has.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "release/plan.h"
#define FUZZ_SETUP setup
#include "fuzz.h"
#include "../unit/release_fixture.h"

#define NAME	"fuzz.json"

static struct def *def;

static void
check_plan(const struct plan *p)
{
	size_t i, j;

	FUZZ_CHECK(p->c >= PLAN_C_MIN && p->c <= PLAN_C_MAX);
	FUZZ_CHECK(strcmp(p->definition, def->id) == 0);
	FUZZ_CHECK(p->n_tables >= 1 && p->n_tables <= PLAN_MAX_TABLES);
	FUZZ_CHECK(p->n_compare <= PLAN_MAX_COMPARE);
	for (i = 0; i < p->n_tables; i++) {
		const struct plan_table *t = &p->tables[i];

		FUZZ_CHECK(t->id != NULL && strlen(t->id) <= DEF_MAX_ID);
		FUZZ_CHECK(t->n_by <= PLAN_MAX_BY);
		FUZZ_CHECK(t->var != PLAN_QUESTION ||
		    (t->index < def->n_questions &&
		    def->questions[t->index].n_options > 0));
		FUZZ_CHECK(t->var != PLAN_SCALE || t->index < def->n_scales);
		FUZZ_CHECK(t->var != PLAN_INDICATOR ||
		    t->index < def->n_indicators);
		FUZZ_CHECK(plan_var_id(def, t) != NULL);
		for (j = 0; j < t->n_by; j++)
			FUZZ_CHECK(t->by[j].is_unit ||
			    (t->by[j].question < def->n_questions &&
			    (def->questions[t->by[j].question].type ==
			    DEF_SINGLE || def->questions[t->by[j].question].
			    type == DEF_LIKERT)));
	}
	for (i = 0; i < p->n_unit_map; i++)
		FUZZ_CHECK(p->unit_map[i].n_to >= 1);
	for (i = 0; i < p->n_baselines; i++)
		FUZZ_CHECK(p->baselines[i].indicator < def->n_indicators &&
		    (p->baselines[i].id == NULL) ==
		    (p->baselines[i].bind == NULL));
}

/* Once, before the first input (fuzz.h's LLVMFuzzerInitialize). */
static void
setup(void)
{
	char err[512];

	if (def_parse(rf_def_json, strlen(rf_def_json), "rf.json", &def,
	    err, sizeof(err)) != GH_OK)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan *p = NULL;
	char err[512];
	size_t i;
	int r;

	r = plan_parse((const char *)data, size, NAME, def, &p, err,
	    sizeof(err));
	if (r != GH_OK) {
		FUZZ_CHECK(r == GH_ERR_INVALID || r == GH_ERR_NOMEM);
		FUZZ_CHECK(p == NULL);
		FUZZ_CHECK(strncmp(err, NAME ": ", sizeof(NAME ": ") - 1) == 0);
		for (i = 0; err[i] != '\0'; i++)
			FUZZ_CHECK(err[i] >= 0x20 && err[i] < 0x7f);
		return 0;
	}
	FUZZ_CHECK(p != NULL);
	check_plan(p);
	plan_free(p);
	return 0;
}
