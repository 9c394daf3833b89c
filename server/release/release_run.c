/*
 * release_run.c: counting and disclosure control of one release
 * (release.h).
 *
 * Entry points: rl_count reads the wave's token batches (unit labels and
 * response), makes the counters and streams every answer into them
 * through the tally's per-answer callback; rl_protect builds the unit
 * roll-up and the cells, adds the response per batch as cells ("b:ID",
 * with the relation: all answers = the sum over batches, and each shown
 * unit = the sum of its batches), fixes every cell that an earlier
 * release of the same wave published (a plan that lacks one of them is
 * refused: the relations of a table it does not have are not modelled),
 * and runs secondary suppression and the final LP audit (sdc.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "release/release.h"
#include "release/tally.h"
#include "store/store_batch.h"
#include "store/store_release.h"

struct count_arg {
	struct rel		*rel;
	struct rl_freetext	*ft;
};

static int
batch_row(void *arg, const struct store_batch_row *b)
{
	struct release *rl = arg;
	struct rl_batch *nb;

	if ((nb = realloc(rl->batches, (rl->n_batches + 1) *
	    sizeof(*nb))) == NULL)
		return GH_ERR_NOMEM;
	rl->batches = nb;
	nb = &rl->batches[rl->n_batches++];
	memset(nb, 0, sizeof(*nb));
	nb->id = b->id;
	nb->issued = b->issued;
	nb->spent = b->spent;
	if (b->unit != NULL && (nb->unit = strdup(b->unit)) == NULL)
		return GH_ERR_NOMEM;
	return GH_OK;
}

static int
each_answer(void *arg, const struct def_answer *a, const char *unit,
    const uint8_t *plain, size_t len)
{
	struct count_arg *c = arg;
	int rc;

	if ((rc = rel_add_answer(c->rel, a, unit)) != GH_OK)
		return rc;
	return c->ft != NULL ? rl_freetext_add(c->ft, plain, len) : GH_OK;
}

static void
progress(void *arg, int64_t done)
{
	fprintf(stderr, "gehoord release: %lld of %lld answers opened\n",
	    (long long)done, (long long)((const struct release *)arg)->w->
	    n_answers);
}

int
rl_count(struct release *rl, const struct wave_key *key,
    unsigned int threads, struct rl_freetext *ft)
{
	const char **labels = NULL;
	struct count_arg c;
	size_t i, j, n = 0;
	int64_t opened;
	int rc;

	if ((rc = store_batch_foreach(rl->s, rl->w->id, batch_row, rl)) !=
	    GH_OK)
		return rc;
	if ((labels = calloc(rl->n_batches + 1, sizeof(char *))) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < rl->n_batches; i++) {
		if (rl->batches[i].unit == NULL)
			continue;
		for (j = 0; j < n && strcmp(labels[j],
		    rl->batches[i].unit) != 0; j++)
			;
		if (j == n)
			labels[n++] = rl->batches[i].unit;
	}
	rc = rel_new(rl->d, rl->plan, rl->w->k, labels, n, &rl->rel);
	free(labels);
	if (rc != GH_OK)
		return rc;
	fprintf(stderr, "gehoord release: opening %lld answers on %u "
	    "threads...\n", (long long)rl->w->n_answers, threads);
	c.rel = rl->rel;
	c.ft = ft;
	return tally_run_each(rl->s, rl->w->id, rl->d, key, threads, progress,
	    rl, each_answer, &c, &opened);
}

/* Shown unit value j = the sum of the batches of its labels. */
static int
unit_batches(struct release *rl, size_t j, size_t *parts)
{
	const struct rel_val *v = &rl->rel->unit_dim.vals[j];
	const struct rel_cell *uc;
	size_t i, l, n = 0;

	if (v->is_rolled || (uc = rel_cells_find(rl->cs, v->atom)) == NULL)
		return GH_OK;
	for (i = 0; i < rl->n_batches; i++) {
		const char *u = rl->batches[i].unit;

		for (l = 0; l < v->n_leaves; l++) {
			size_t leaf = v->leaves[l];

			if (leaf == rl->rel->n_units ? u == NULL : u != NULL &&
			    strcmp(u, rl->rel->units[leaf]) == 0)
				parts[n++] = rl->batches[i].cell;
		}
	}
	return rel_cells_relate(rl->cs, (size_t)(uc - rl->cs->cells), parts, n,
	    0);
}

/* Answers per batch are cells too: they add up to all answers, and to
 * every shown unit. */
static int
batch_cells(struct release *rl)
{
	const struct rel_cell *total;
	size_t *parts, i;
	char key[64];
	int rc = GH_OK;

	if ((parts = calloc(rl->n_batches + 1, sizeof(size_t))) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < rl->n_batches && rc == GH_OK; i++) {
		struct rl_batch *b = &rl->batches[i];

		snprintf(key, sizeof(key), "b:%lld", (long long)b->id);
		rc = rel_cells_add(rl->cs, key, b->spent, b->spent > 0 &&
		    b->spent < rl->rel->k ? REL_RULE_K : REL_RULE_NONE,
		    &b->cell);
		parts[i] = b->cell;
	}
	if (rc == GH_OK && (total = rel_cells_find(rl->cs, "")) != NULL)
		rc = rel_cells_relate(rl->cs, (size_t)(total - rl->cs->cells),
		    parts, rl->n_batches, 0);
	for (i = 0; i < rl->rel->unit_dim.n_vals && rc == GH_OK; i++)
		rc = unit_batches(rl, i, parts);
	free(parts);
	return rc;
}

struct earlier {
	struct release	*rl;
	int		 rc;
};

/*
 * What an earlier release of the wave must share with this one: the same
 * answers (else the two could be subtracted) and a c no higher than now.
 */
static int
check_earlier(const struct release *rl, const cJSON *root,
    const struct release_row *row)
{
	const cJSON *n;

	n = cJSON_GetObjectItemCaseSensitive(root, "answers");
	if (!cJSON_IsNumber(n) || (int64_t)n->valuedouble !=
	    rl->rel->n_answers) {
		fprintf(stderr, "gehoord release: release %lld of this wave "
		    "counted %lld answers, there are %lld now: two releases "
		    "of different answers could be subtracted; close the wave "
		    "before releasing\n", (long long)row->id,
		    cJSON_IsNumber(n) ? (long long)n->valuedouble : -1LL,
		    (long long)rl->rel->n_answers);
		return GH_ERR_PRIVACY;
	}
	/* c belongs to the wave: its first release fixes it, later ones may
	 * only raise it (as k may only be raised once there are answers). */
	n = cJSON_GetObjectItemCaseSensitive(root, "c");
	if (!cJSON_IsNumber(n) || n->valuedouble > rl->rel->c) {
		fprintf(stderr, "gehoord release: release %lld of this wave "
		    "used c = %d; a later release may not lower it (the plan "
		    "says c = %d)\n", (long long)row->id,
		    cJSON_IsNumber(n) ? (int)n->valuedouble : -1, rl->rel->c);
		return GH_ERR_PRIVACY;
	}
	return GH_OK;
}

/* Fixes the published cells of one earlier release's tables.json. */
static int
fix_release(void *arg, const struct release_row *row)
{
	struct earlier *e = arg;
	struct release *rl = e->rl;
	const cJSON *it, *cell, *count;
	struct rel_cell *c;
	uint8_t *data = NULL;
	size_t len = 0;
	cJSON *root = NULL;

	if (store_release_file(rl->s, row->id, "tables.json", &data,
	    &len) != GH_OK ||
	    (root = cJSON_ParseWithLength((const char *)data, len)) == NULL) {
		fprintf(stderr, "gehoord release: release %lld of this wave "
		    "has no readable tables.json\n", (long long)row->id);
		e->rc = GH_ERR_INVALID;
		goto out;
	}
	if ((e->rc = check_earlier(rl, root, row)) != GH_OK)
		goto out;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root,
	    "rows")) {
		cell = cJSON_GetObjectItemCaseSensitive(it, "cell");
		count = cJSON_GetObjectItemCaseSensitive(it, "count");
		if (!cJSON_IsString(cell) || !cJSON_IsNumber(count))
			continue;
		if ((c = rel_cells_find(rl->cs, cell->valuestring)) == NULL) {
			/* Its relations are not modelled without its table. */
			fprintf(stderr, "gehoord release: release %lld of this "
			    "wave published cell %s, which this plan does not "
			    "have: a new release of a wave keeps every table of "
			    "the earlier ones\n", (long long)row->id,
			    cell->valuestring);
			e->rc = GH_ERR_PRIVACY;
			goto out;
		}
		if (c->rule != REL_RULE_NONE) {
			fprintf(stderr, "gehoord release: cell %s was "
			    "published by release %lld and is below the "
			    "threshold now (k or c raised); nothing can hide "
			    "it again\n", c->key, (long long)row->id);
			e->rc = GH_ERR_PRIVACY;
			goto out;
		}
		if ((e->rc = sdc_fix(rl->cs->sdc, c->sdc)) != GH_OK)
			goto out;
	}
out:
	cJSON_Delete(root);
	free(data);
	return e->rc;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sdc_progress(void *arg, const char *what, size_t done, size_t total)
{
	(void)arg;
	fprintf(stderr, "gehoord release: %s: %zu of %zu\n", what, done,
	    total);
}

int
rl_protect(struct release *rl, size_t *failed)
{
	struct earlier e = { rl, GH_OK };
	size_t f = 0, i;
	double t0, t1;
	int rc;

	*failed = SIZE_MAX;
	if ((rc = rel_units_build(rl->rel)) != GH_OK ||
	    (rc = rel_cells_build(rl->rel, &rl->cs)) != GH_OK ||
	    (rc = batch_cells(rl)) != GH_OK ||
	    (rc = rel_cells_to_sdc(rl->cs)) != GH_OK)
		return rc;
	if ((rc = store_release_foreach(rl->s, rl->w->id, fix_release,
	    &e)) != GH_OK)
		return e.rc != GH_OK ? e.rc : rc;
	fprintf(stderr, "gehoord release: %zu cells, %zu relations; "
	    "secondary suppression (c = %d)...\n", rl->cs->n, rl->cs->n_rels,
	    rl->rel->c);
	t0 = now_s();
	rc = sdc_protect(rl->cs->sdc, rl->rel->c, sdc_progress, NULL, &f);
	t1 = now_s();
	if (rc == GH_OK) {
		fprintf(stderr, "gehoord release: final audit...\n");
		rc = sdc_audit(rl->cs->sdc, rl->rel->c, sdc_progress, NULL,
		    &f);
	}
	/* tests/bench/run reads this line. */
	fprintf(stderr, "gehoord release: disclosure control took %.3f s "
	    "(secondary suppression %.3f s, final audit %.3f s)\n",
	    now_s() - t0, t1 - t0, now_s() - t1);
	if (rc == GH_ERR_PRIVACY || rc == GH_ERR_INVALID)
		for (i = 0; i < rl->cs->n; i++)
			if (rl->cs->cells[i].sdc == f)
				*failed = i;
	return rc;
}
