/*
 * release_out.c: tables.csv, tables.json and audit.json of a release
 * (release.h). The CSV is UTF-8, CRLF, RFC 4180 quoting, with the header
 *   table,variable,category,by1,by1_value,by2,by2_value,count,group_n,
 *   percent,ci_low,ci_high,flag,base,base_n
 * (empty fields where a figure is not shown; percent = count / base_n,
 * base saying who base_n counts: rows.c), then the label columns of
 * labels.h (the words, in Dutch and English); the JSON has the same rows
 * (null where empty) with each row's cell key and comparisons, and the
 * response: of the whole wave, and per unit label (response_write).
 * audit.json has, per suppressed cell, its rule and the interval an
 * attacker can still infer, and a summary.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "release/labels.h"
#include "release/release.h"

#define CSV_HEADER "table,variable,category,by1,by1_value,by2,by2_value," \
	"count,group_n,percent,ci_low,ci_high,flag,base,base_n," \
	RELEASE_LABELS_CSV_HEADER "\r\n"

struct out {
	const struct release	*rl;
	struct buf		*csv;
	cJSON			*rows;
};

static void
csv_num(struct buf *b, int has, double v)
{
	if (has)
		buf_printf(b, "%.4f", v);
	buf_puts(b, ",");
}

static int
json_add(cJSON *o, const char *name, cJSON *v)
{
	if (v == NULL)
		return GH_ERR_NOMEM;
	cJSON_AddItemToObject(o, name, v);
	return GH_OK;
}

static cJSON *
str_or_null(const char *s)
{
	return s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *
num_or_null(int has, double v)
{
	return has ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

static double
round_to(double v, double scale)
{
	return round(v * scale) / scale;
}

static int
json_row(const struct release *rl, cJSON *rows,
    const struct release_table_row *r)
{
	cJSON *o = cJSON_CreateObject(), *cmp;
	int rc = GH_ERR_NOMEM;

	if (o == NULL)
		return GH_ERR_NOMEM;
	cJSON_AddItemToArray(rows, o);
	if (json_add(o, "table", cJSON_CreateString(r->table)) ||
	    json_add(o, "variable", cJSON_CreateString(r->variable)) ||
	    json_add(o, "category", cJSON_CreateString(r->category)) ||
	    json_add(o, "by1", str_or_null(r->by[0])) ||
	    json_add(o, "by1_value", str_or_null(r->by_value[0])) ||
	    json_add(o, "by2", str_or_null(r->by[1])) ||
	    json_add(o, "by2_value", str_or_null(r->by_value[1])) ||
	    json_add(o, "count", num_or_null(r->count >= 0,
	    (double)r->count)) ||
	    json_add(o, "group_n", num_or_null(r->group_n >= 0,
	    (double)r->group_n)) ||
	    json_add(o, "percent", num_or_null(r->has_pct,
	    round_to(r->pct, 1e4))) ||
	    json_add(o, "ci_low", num_or_null(r->has_pct,
	    round_to(r->lo, 1e4))) ||
	    json_add(o, "ci_high", num_or_null(r->has_pct,
	    round_to(r->hi, 1e4))) ||
	    json_add(o, "flag", cJSON_CreateString(r->flag)) ||
	    json_add(o, "base", str_or_null(r->base)) ||
	    json_add(o, "base_n", num_or_null(r->base_n >= 0,
	    (double)r->base_n)) ||
	    json_add(o, "cell", str_or_null(r->cell)) ||
	    (cmp = cJSON_AddArrayToObject(o, "comparisons")) == NULL)
		return rc;
	/* An indicator measured "among" some says who, in words. */
	if (r->base != NULL && r->t->pt->var == PLAN_INDICATOR &&
	    rl->d->indicators[r->t->pt->index].among != NULL) {
		const struct def_text *bl =
		    &rl->d->indicators[r->t->pt->index].base_label;
		cJSON *t = cJSON_AddObjectToObject(o, "base_label");

		if (t == NULL || cJSON_AddStringToObject(t, "nl",
		    bl->s[DEF_NL]) == NULL || cJSON_AddStringToObject(t, "en",
		    bl->s[DEF_EN]) == NULL)
			return rc;
	}
	if (r->has_pct && !r->is_scale)
		return release_compare_row(rl, r, cmp);
	return GH_OK;
}

static int
row_out(void *arg, const struct release_table_row *r)
{
	struct out *o = arg;
	struct buf *b = o->csv;

	release_csv_field(b, r->table, 0);
	release_csv_field(b, r->variable, 0);
	release_csv_field(b, r->category, 0);
	release_csv_field(b, r->by[0], 0);
	release_csv_field(b, r->by_value[0], 0);
	release_csv_field(b, r->by[1], 0);
	release_csv_field(b, r->by_value[1], 0);
	if (r->count >= 0)
		buf_printf(b, "%lld", (long long)r->count);
	buf_puts(b, ",");
	if (r->group_n >= 0)
		buf_printf(b, "%lld", (long long)r->group_n);
	buf_puts(b, ",");
	csv_num(b, r->has_pct, r->pct);
	csv_num(b, r->has_pct, r->lo);
	csv_num(b, r->has_pct, r->hi);
	release_csv_field(b, r->flag, 0);
	release_csv_field(b, r->base, 0);
	if (r->base_n >= 0)
		buf_printf(b, "%lld", (long long)r->base_n);
	buf_puts(b, ",");
	release_labels_csv(b, o->rl, r);
	return json_row(o->rl, o->rows, r);
}

/* Appends issued, answered (answered < 0: null) and their rate to o. */
static int
response_figures(cJSON *o, int64_t issued, int64_t answered)
{
	int has = answered >= 0 && issued > 0;

	if (json_add(o, "issued", cJSON_CreateNumber((double)issued)) ||
	    json_add(o, "answered", num_or_null(answered >= 0,
	    (double)answered)) ||
	    json_add(o, "rate", num_or_null(has, has ? round_to(
	    (double)answered / (double)issued, 1e4) : 0)))
		return GH_ERR_NOMEM;
	return GH_OK;
}

/*
 * The response of unit leaf, appended to arr if it may be shown: with
 * its answers if they are known and published (no row if not), else
 * (answers without a unit) with the tokens issued only.
 */
static int
response_unit(const struct release *rl, cJSON *arr, size_t leaf,
    int is_known)
{
	const struct tables *r = rl->rel;
	const struct cell *c = release_response_cell(rl, leaf);
	int64_t issued = release_unit_issued(rl, leaf);
	cJSON *o;

	if (issued == 0 || (is_known && (c == NULL ||
	    sdc_cell_flag(rl->cs->sdc, c->sdc) != SDC_PUBLISHED)))
		return GH_OK;
	if ((o = cJSON_CreateObject()) == NULL)
		return GH_ERR_NOMEM;
	cJSON_AddItemToArray(arr, o);
	if (json_add(o, "unit", str_or_null(leaf < r->n_units ?
	    r->units[leaf] : NULL)) ||
	    response_figures(o, issued, is_known ? r->unit_n[leaf] : -1) ||
	    json_add(o, "cell", str_or_null(is_known ? c->key : NULL)))
		return GH_ERR_NOMEM;
	return GH_OK;
}

/*
 * "response": tokens issued, answers and their rate for the whole wave,
 * and per unit label ("units", sorted; unit null: the batches without a
 * label). Which batch an answer came from is not known, so a unit's
 * answers are those that carry its label; a unit is listed with at least
 * k answers whose cell is published. If the definition's answers carry
 * no unit, every unit is listed with its tokens issued only, and "note"
 * says why.
 */
static int
response_write(const struct release *rl, cJSON *root)
{
	int is_known = rl->d->unit_source == DEF_UNIT_BATCH;
	cJSON *o = cJSON_AddObjectToObject(root, "response"), *arr;
	int64_t issued = 0;
	size_t i;
	int rc;

	if (o == NULL || cJSON_AddBoolToObject(o, "answered_per_unit",
	    is_known) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < rl->n_batches; i++)
		issued += rl->batches[i].issued;
	if ((rc = response_figures(o, issued, rl->rel->n_answers)) != GH_OK)
		return rc;
	if (!is_known && rl->rel->n_units > 0 && cJSON_AddStringToObject(o,
	    "note", "the answers of this definition carry no unit: the "
	    "answers per unit are not known, only the tokens issued per unit "
	    "and the response of the whole wave") == NULL)
		return GH_ERR_NOMEM;
	if ((arr = cJSON_AddArrayToObject(o, "units")) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i <= rl->rel->n_units; i++)
		if ((rc = response_unit(rl, arr, i, is_known)) != GH_OK)
			return rc;
	return GH_OK;
}

static int
print_json(cJSON *root, struct buf *json)
{
	char *s = cJSON_Print(root);

	if (s == NULL)
		return GH_ERR_NOMEM;
	buf_puts(json, s);
	buf_puts(json, "\n");
	cJSON_free(s);
	return buf_is_failed(json) ? GH_ERR_NOMEM : GH_OK;
}

static cJSON *
meta(const struct release *rl)
{
	cJSON *root = cJSON_CreateObject();

	if (root == NULL || cJSON_AddNumberToObject(root, "format", 1) == NULL ||
	    cJSON_AddStringToObject(root, "definition", rl->d->id) == NULL ||
	    cJSON_AddStringToObject(root, "wave", rl->w->name) == NULL ||
	    cJSON_AddNumberToObject(root, "answers",
	    (double)rl->rel->n_answers) == NULL ||
	    cJSON_AddNumberToObject(root, "k", rl->rel->k) == NULL ||
	    cJSON_AddNumberToObject(root, "c", rl->rel->c) == NULL) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

int
release_tables_write(const struct release *rl, struct buf *csv,
    struct buf *json)
{
	struct out o = { rl, csv, NULL };
	cJSON *root;
	int rc = GH_ERR_NOMEM;

	if ((root = meta(rl)) == NULL)
		return GH_ERR_NOMEM;
	if ((o.rows = cJSON_AddArrayToObject(root, "rows")) == NULL)
		goto out;
	buf_puts(csv, CSV_HEADER);
	if ((rc = release_rows(rl, row_out, &o)) != GH_OK ||
	    (rc = response_write(rl, root)) != GH_OK)
		goto out;
	if (rl->references != NULL && !cJSON_AddItemReferenceToObject(root,
	    "references", rl->references)) {
		rc = GH_ERR_NOMEM;
		goto out;
	}
	rc = buf_is_failed(csv) ? GH_ERR_NOMEM : print_json(root, json);
out:
	cJSON_Delete(root);
	return rc;
}

/* Where a cell was first seen: table, category, group. */
static int
audit_cell(const struct release *rl, const struct cell *c, cJSON *arr,
    int64_t *by_rule)
{
	struct sdc_interval iv;
	enum sdc_flag f = sdc_cell_flag(rl->cs->sdc, c->sdc);
	const struct table *t;
	cJSON *o;

	if (f == SDC_PUBLISHED)
		return GH_OK;
	by_rule[f == SDC_SECONDARY ? 0 : c->rule]++;
	if (sdc_cell_interval(rl->cs->sdc, c->sdc, &iv) != GH_OK)
		iv.lo = iv.hi = NAN;
	if ((o = cJSON_CreateObject()) == NULL)
		return GH_ERR_NOMEM;
	cJSON_AddItemToArray(arr, o);
	t = c->table != SIZE_MAX ? &rl->rel->tables[c->table] : NULL;
	if (json_add(o, "table", str_or_null(t != NULL ? t->pt->id : NULL)) ||
	    json_add(o, "cell", cJSON_CreateString(c->key)) ||
	    json_add(o, "category", str_or_null(t == NULL ? NULL :
	    c->cat == SIZE_MAX ? TABLES_TOTAL : t->cat_names[c->cat])) ||
	    json_add(o, "rule", cJSON_CreateString(f == SDC_SECONDARY ?
	    "secondary" : cell_rule_name(c->rule))) ||
	    json_add(o, "lo", num_or_null(!isnan(iv.lo), iv.lo + 0.0)) ||
	    json_add(o, "hi", num_or_null(!isnan(iv.hi), iv.hi + 0.0)))
		return GH_ERR_NOMEM;
	return GH_OK;
}

int
release_audit_write(const struct release *rl, struct buf *json)
{
	int64_t by_rule[4] = { 0, 0, 0, 0 }, published;
	cJSON *root, *arr, *sum;
	size_t i;
	int rc = GH_ERR_NOMEM;

	if ((root = meta(rl)) == NULL)
		return GH_ERR_NOMEM;
	if (cJSON_AddStringToObject(root, "protection", "every primary cell "
	    "could be 0 and could be at least c, given everything published "
	    "(LP audit, COIN-OR CLP)") == NULL ||
	    (arr = cJSON_AddArrayToObject(root, "suppressed")) == NULL)
		goto out;
	for (i = 0; i < rl->cs->n; i++)
		if ((rc = audit_cell(rl, &rl->cs->cells[i], arr, by_rule)) !=
		    GH_OK)
			goto out;
	rc = GH_ERR_NOMEM;
	published = (int64_t)rl->cs->n - by_rule[0] - by_rule[1] -
	    by_rule[2] - by_rule[3];
	if ((sum = cJSON_AddObjectToObject(root, "summary")) == NULL ||
	    cJSON_AddNumberToObject(sum, "cells", (double)rl->cs->n) == NULL ||
	    cJSON_AddNumberToObject(sum, "published", (double)published) ==
	    NULL ||
	    cJSON_AddNumberToObject(sum, "primary_k",
	    (double)by_rule[CELL_RULE_K]) == NULL ||
	    cJSON_AddNumberToObject(sum, "primary_c",
	    (double)by_rule[CELL_RULE_C]) == NULL ||
	    cJSON_AddNumberToObject(sum, "primary_dominance",
	    (double)by_rule[CELL_RULE_DOMINANCE]) == NULL ||
	    cJSON_AddNumberToObject(sum, "secondary", (double)by_rule[0]) ==
	    NULL)
		goto out;
	rc = print_json(root, json);
out:
	cJSON_Delete(root);
	return rc;
}
