/*
 * release_run.c: counting and disclosure control of one release
 * (release.h).
 *
 * Entry points: release_count reads the wave's token batches (unit labels and
 * sizes), makes the counters and streams every answer into them through
 * the tally's per-answer callback; release_protect builds the unit roll-up and
 * the cells, adds the cells of the response per unit, fixes every cell
 * that an earlier release of the same wave published (a plan that lacks
 * one of them is refused: the relations of a table it does not have are
 * not modelled) and the batch figures of one made while the response was
 * per batch (fix_batches), and runs secondary suppression and the final
 * LP audit (sdc.h).
 *
 * The response is per unit label, not per batch: the database cannot
 * tell which batch an answer came from. The answers of a label are the
 * figure of its own shown unit value, so the response shares the unit
 * tables' cells; where no table of the plan is by unit, the unit
 * dimension's cells and sums are added as if one were
 * (release_response_cells).
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
	struct tables		*rel;
	struct release_freetext	*ft;
};

static int
batch_row(void *arg, const struct store_batch_row *b)
{
	struct release *rl = arg;
	struct release_batch *nb;

	if ((nb = realloc(rl->batches, (rl->n_batches + 1) *
	    sizeof(*nb))) == NULL)
		return GH_ERR_NOMEM;
	rl->batches = nb;
	nb = &rl->batches[rl->n_batches++];
	memset(nb, 0, sizeof(*nb));
	nb->id = b->id;
	nb->issued = b->issued;
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

	if ((rc = tables_add_answer(c->rel, a, unit)) != GH_OK)
		return rc;
	return c->ft != NULL ? release_freetext_add(c->ft, plain, len) : GH_OK;
}

static void
progress(void *arg, int64_t done)
{
	fprintf(stderr, "gehoord release: %lld of %lld answers opened\n",
	    (long long)done, (long long)((const struct release *)arg)->w->
	    n_answers);
}

int
release_count(struct release *rl, const struct wave_key *key,
    unsigned int threads, struct release_freetext *ft)
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
	rc = tables_new(rl->d, rl->plan, rl->w->k, labels, n, &rl->rel);
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

/* The primary rules of a group total (cells.c): (a), then (b). */
static enum cell_rule
group_rule(const struct tables *r, int64_t n)
{
	if (n <= 0)
		return CELL_RULE_NONE;
	if (n < r->k)
		return CELL_RULE_K;
	return n < r->c ? CELL_RULE_C : CELL_RULE_NONE;
}

/*
 * The cell of shown unit value j (TABLES_ALL: all answers): the one a table
 * by unit made, or a new one with the primary rules of a group total.
 */
static int
unit_cell(struct release *rl, size_t j, size_t *idx)
{
	const struct tables *r = rl->rel;
	const struct table_val *v =
	    j == TABLES_ALL ? NULL : &r->unit_dim.vals[j];
	int64_t n = 0;
	size_t l;
	int rc;

	if (v == NULL)
		n = r->n_answers;
	for (l = 0; v != NULL && l < v->n_leaves; l++)
		n += r->unit_n[v->leaves[l]];
	if ((rc = cellset_add(rl->cs, v == NULL ? "" : v->atom, n,
	    group_rule(r, n), idx)) != GH_OK)
		return rc;
	/* A table's cell of the same key counts the same answers. */
	return rl->cs->cells[*idx].value == n ? GH_OK : GH_ERR_INVALID;
}

/*
 * The response per unit publishes the answers of a label as its own shown
 * unit value, so its cells are the unit dimension's: every shown value and
 * every sum of the hierarchy (node = its shown children, its direct
 * answers, its other units; all answers = the top). They are found when a
 * table by unit made them, and added otherwise.
 */
int
release_response_cells(struct release *rl)
{
	const struct table_dim *u = &rl->rel->unit_dim;
	size_t s, p, total, *parts;
	int rc = GH_OK;

	if (rl->d->unit_source != DEF_UNIT_BATCH)
		return GH_OK;
	for (s = 0; s < u->n_sums && rc == GH_OK; s++) {
		const struct table_sum *sum = &u->sums[s];

		if ((parts = calloc(sum->n_parts + 1, sizeof(size_t))) == NULL)
			return GH_ERR_NOMEM;
		rc = unit_cell(rl, sum->total, &total);
		for (p = 0; p < sum->n_parts && rc == GH_OK; p++)
			rc = unit_cell(rl, sum->parts[p], &parts[p]);
		if (rc == GH_OK)
			rc = cellset_relate(rl->cs, total, parts,
			    sum->n_parts, 0);
		free(parts);
	}
	return rc;
}

const struct cell *
release_response_cell(const struct release *rl, size_t leaf)
{
	const struct table_dim *u = &rl->rel->unit_dim;
	size_t j;

	if (rl->d->unit_source != DEF_UNIT_BATCH || leaf > rl->rel->n_units ||
	    rl->rel->unit_n[leaf] < rl->rel->k)
		return NULL;
	/* The only other value of one leaf is "other units (of P)", which
	 * holds units below k. */
	for (j = 0; j < u->n_vals; j++)
		if (!u->vals[j].is_rolled && u->vals[j].n_leaves == 1 &&
		    u->vals[j].leaves[0] == leaf)
			return cellset_find(rl->cs, u->vals[j].atom);
	return NULL;
}

int64_t
release_unit_issued(const struct release *rl, size_t leaf)
{
	const char *label = leaf < rl->rel->n_units ? rl->rel->units[leaf] :
	    NULL;
	int64_t n = 0;
	size_t i;

	for (i = 0; i < rl->n_batches; i++) {
		const char *u = rl->batches[i].unit;

		if (label == NULL ? u == NULL : u != NULL &&
		    strcmp(u, label) == 0)
			n += rl->batches[i].issued;
	}
	return n;
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

/* Fixes the published cells of arr (rows, or the response's units),
 * each with its key in "cell" and its figure in member name. */
static int
fix_cells(struct release *rl, const struct release_row *row,
    const cJSON *arr, const char *name)
{
	const cJSON *it, *cell, *count;
	struct cell *c;
	int rc;

	cJSON_ArrayForEach(it, arr) {
		cell = cJSON_GetObjectItemCaseSensitive(it, "cell");
		count = cJSON_GetObjectItemCaseSensitive(it, name);
		if (!cJSON_IsString(cell) || !cJSON_IsNumber(count))
			continue;
		if ((c = cellset_find(rl->cs, cell->valuestring)) == NULL) {
			/* Its relations are not modelled without its table. */
			fprintf(stderr, "gehoord release: release %lld of this "
			    "wave published cell %s, which this plan does not "
			    "have: a new release of a wave keeps every table of "
			    "the earlier ones\n", (long long)row->id,
			    cell->valuestring);
			return GH_ERR_PRIVACY;
		}
		if (c->rule != CELL_RULE_NONE) {
			fprintf(stderr, "gehoord release: cell %s was "
			    "published by release %lld and is below the "
			    "threshold now (k or c raised); nothing can hide "
			    "it again\n", c->key, (long long)row->id);
			return GH_ERR_PRIVACY;
		}
		if ((rc = sdc_fix(rl->cs->sdc, c->sdc)) != GH_OK)
			return rc;
	}
	return GH_OK;
}

/* The leaf of a unit label (NULL: none), or SIZE_MAX. */
static size_t
unit_leaf(const struct tables *r, const char *label)
{
	size_t i;

	if (label == NULL)
		return r->n_units;
	for (i = 0; i < r->n_units; i++)
		if (strcmp(r->units[i], label) == 0)
			return i;
	return SIZE_MAX;
}

/* The figures of the batches a release listed, added up per leaf. */
static int
batch_sums(const struct release *rl, const struct release_row *row,
    const cJSON *arr, int64_t *sum, size_t *n_listed)
{
	const cJSON *it, *id, *n;
	size_t i, leaf;

	cJSON_ArrayForEach(it, arr) {
		id = cJSON_GetObjectItemCaseSensitive(it, "batch");
		n = cJSON_GetObjectItemCaseSensitive(it, "answered");
		if (!cJSON_IsNumber(id) || !cJSON_IsNumber(n))
			continue;
		for (i = 0; i < rl->n_batches && (double)rl->batches[i].id !=
		    id->valuedouble; i++)
			;
		if (i == rl->n_batches || (leaf = unit_leaf(rl->rel,
		    rl->batches[i].unit)) == SIZE_MAX || n->valuedouble < 0 ||
		    n->valuedouble > (double)rl->rel->n_answers) {
			fprintf(stderr, "gehoord release: release %lld of this "
			    "wave lists a batch %g that the wave does not "
			    "have\n", (long long)row->id, id->valuedouble);
			return GH_ERR_INVALID;
		}
		sum[leaf] += (int64_t)n->valuedouble;
		n_listed[leaf]++;
	}
	return GH_OK;
}

/* Fixes sum, the answers of leaf's batches that an earlier release
 * listed: all of them (is_all) or some. */
static int
fix_unit_batches(struct release *rl, const struct release_row *row,
    size_t leaf, int64_t sum, int is_all)
{
	const struct cell *c = release_response_cell(rl, leaf);
	const char *label = leaf < rl->rel->n_units ? rl->rel->units[leaf] :
	    "(none)";
	size_t idx;
	int rc;

	if (c == NULL || c->rule != CELL_RULE_NONE) {
		fprintf(stderr, "gehoord release: release %lld of this wave "
		    "published the answers of a batch of unit %s, which are "
		    "below the threshold now (k or c raised); nothing can "
		    "hide them again\n", (long long)row->id, label);
		return GH_ERR_PRIVACY;
	}
	if (is_all && sum != c->value) {
		fprintf(stderr, "gehoord release: release %lld of this wave "
		    "counted %lld answers of unit %s, there are %lld now\n",
		    (long long)row->id, (long long)sum, label,
		    (long long)c->value);
		return GH_ERR_PRIVACY;
	}
	if (is_all)
		return sdc_fix(rl->cs->sdc, c->sdc);
	if ((rc = sdc_add_cell(rl->cs->sdc, sum, SDC_PUBLISHED, (double)sum,
	    &idx)) != GH_OK || (rc = sdc_fix(rl->cs->sdc, idx)) != GH_OK)
		return rc;
	return sdc_add_le(rl->cs->sdc, idx, c->sdc);
}

/*
 * A release made while the response was per batch listed the answers of
 * every batch with at least k of them, and they stay public. Per unit
 * label, their sum is the label's own cell (every batch of the label was
 * listed: fixed, and it must be the same figure) or at most it (a fixed
 * cell of the problem only, with that relation). The answers of a
 * definition without the unit in them relate to no cell but the total,
 * which is public anyway.
 */
static int
fix_batches(struct release *rl, const struct release_row *row,
    const cJSON *arr)
{
	int64_t *sum = NULL;
	size_t *n_listed = NULL, leaf, i, n, n_of;
	int rc = GH_ERR_NOMEM;

	if (!cJSON_IsArray(arr) || rl->d->unit_source != DEF_UNIT_BATCH)
		return GH_OK;
	n = rl->rel->n_units + 1;
	if ((sum = calloc(n, sizeof(*sum))) == NULL ||
	    (n_listed = calloc(n, sizeof(*n_listed))) == NULL ||
	    (rc = batch_sums(rl, row, arr, sum, n_listed)) != GH_OK)
		goto out;
	for (leaf = 0; leaf < n && rc == GH_OK; leaf++) {
		if (n_listed[leaf] == 0)
			continue;
		for (i = n_of = 0; i < rl->n_batches; i++)
			n_of += unit_leaf(rl->rel, rl->batches[i].unit) == leaf;
		rc = fix_unit_batches(rl, row, leaf, sum[leaf],
		    n_listed[leaf] == n_of);
	}
out:
	free(sum);
	free(n_listed);
	return rc;
}

/* Fixes the published cells of one earlier release's tables.json: its
 * rows and its response, per unit or (an older release) per batch. */
static int
fix_release(void *arg, const struct release_row *row)
{
	struct earlier *e = arg;
	struct release *rl = e->rl;
	uint8_t *data = NULL;
	size_t len = 0;
	cJSON *root = NULL;
	const cJSON *resp;

	if (store_release_file(rl->s, row->id, "tables.json", &data,
	    &len) != GH_OK ||
	    (root = cJSON_ParseWithLength((const char *)data, len)) == NULL) {
		fprintf(stderr, "gehoord release: release %lld of this wave "
		    "has no readable tables.json\n", (long long)row->id);
		e->rc = GH_ERR_INVALID;
		goto out;
	}
	resp = cJSON_GetObjectItemCaseSensitive(root, "response");
	if ((e->rc = check_earlier(rl, root, row)) != GH_OK ||
	    (e->rc = fix_cells(rl, row, cJSON_GetObjectItemCaseSensitive(root,
	    "rows"), "count")) != GH_OK ||
	    (e->rc = fix_cells(rl, row, cJSON_GetObjectItemCaseSensitive(resp,
	    "units"), "answered")) != GH_OK)
		goto out;
	e->rc = fix_batches(rl, row, resp);
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
release_protect(struct release *rl, size_t *failed)
{
	struct earlier e = { rl, GH_OK };
	size_t f = 0, i;
	double t0, t1;
	int rc;

	*failed = SIZE_MAX;
	if ((rc = tables_units_build(rl->rel)) != GH_OK ||
	    (rc = cellset_build(rl->rel, &rl->cs)) != GH_OK ||
	    (rc = release_response_cells(rl)) != GH_OK ||
	    (rc = cellset_to_sdc(rl->cs)) != GH_OK)
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
