/*
 * counts_out.c: writes a tally as counts.csv and counts.json with the
 * threshold rule applied: any count below the wave's k is written as
 * "suppressed", and if the wave has fewer than k answers every count is.
 *
 * One subtraction must not undo that: the options of a single-choice or
 * Likert question add up to the number who answered it, so if exactly one
 * option is hidden, the smallest visible option is hidden too (or, if
 * none is left, the number who answered). The answers per unit (unit
 * source batch: the token batch's label, rows "_unit,unit,LABEL,N") add
 * up to all answers, so the same rule hides a second unit there. This is
 * the rule of gehoord tally's own output: a quick, per-wave look at the
 * counts for whoever holds the wave key. What is published is a release
 * (gehoord release, release_files.c), with secondary suppression across
 * tables and the LP audit; tally's files are not that and are not stored.
 * Both files are replaced in one step (file_replace), mode 0644.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "release/tally.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/log.h"

static const char *const type_name[] = {
	[DEF_SINGLE] = "single", [DEF_MULTI] = "multi",
	[DEF_LIKERT] = "likert", [DEF_TEXT] = "text",
	[DEF_MATRIX] = "matrix", [DEF_NUMBER] = "number",
};

static int
is_shown(const struct tally_counts *c, int64_t v, int k)
{
	return c->n_answers >= k && v >= k;
}

/*
 * Decides which counts of question i are shown: shown[0] is the number
 * who answered, shown[1 + j] option j. Applies the threshold, then the
 * one-subtraction rule for questions whose options add up.
 */
static void
question_mask(const struct def_question *q, const struct tally_counts *c,
    size_t i, int k, int *shown)
{
	size_t j, n_hidden = 0, best = 0;

	shown[0] = is_shown(c, c->answered[i], k);
	for (j = 0; j < q->n_options; j++) {
		shown[1 + j] = is_shown(c, c->option[i][j], k);
		n_hidden += !shown[1 + j];
	}
	if (q->type == DEF_MULTI || q->n_options == 0 || !shown[0] ||
	    n_hidden != 1)
		return;
	for (j = 0; j < q->n_options; j++)
		if (shown[1 + j] && (best == 0 ||
		    c->option[i][j] < c->option[i][best - 1]))
			best = j + 1;
	if (best != 0)
		shown[best] = 0;
	else
		shown[0] = 0;
}

static void
csv_row(struct buf *b, const char *q, const char *type, const char *opt,
    int64_t v, int is_visible)
{
	if (is_visible)
		buf_printf(b, "%s,%s,%s,%lld\r\n", q, type, opt, (long long)v);
	else
		buf_printf(b, "%s,%s,%s,suppressed\r\n", q, type, opt);
}

/*
 * Decides which unit counts are shown: shown[i] unit i, shown[n_units]
 * the answers without a unit (only written if there are any). They add up
 * to all answers, so one hidden count is never left alone.
 */
static void
unit_mask(const struct tally_counts *c, int k, int *shown)
{
	size_t i, n = c->n_units, n_hidden = 0, best = 0;

	for (i = 0; i < n; i++) {
		shown[i] = is_shown(c, c->units[i].count, k);
		n_hidden += !shown[i];
	}
	shown[n] = is_shown(c, c->n_no_unit, k);
	n_hidden += c->n_no_unit > 0 && !shown[n];
	if (n_hidden != 1)
		return;
	for (i = 0; i < n; i++)
		if (shown[i] && (best == 0 ||
		    c->units[i].count < c->units[best - 1].count))
			best = i + 1;
	if (c->n_no_unit > 0 && shown[n] && (best == 0 ||
	    c->n_no_unit < c->units[best - 1].count))
		best = n + 1;
	if (best != 0)
		shown[best - 1] = 0;
}

/* A field as RFC 4180 wants it: quoted, '"' doubled, if it needs it. */
static void
csv_field(struct buf *b, const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "\"");
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_puts(b, "\"\"");
		else
			buf_printf(b, "%c", *p);
	}
	buf_puts(b, "\"");
}

static void
csv_unit_row(struct buf *b, const char *label, int64_t v, int is_visible)
{
	buf_puts(b, "_unit,unit,");
	csv_field(b, label);
	if (is_visible)
		buf_printf(b, ",%lld\r\n", (long long)v);
	else
		buf_puts(b, ",suppressed\r\n");
}

static cJSON *
json_count(int64_t v, int is_visible)
{
	return is_visible ? cJSON_CreateNumber((double)v) :
	    cJSON_CreateString("suppressed");
}

/* Replaces dir/name in one step (file_replace), mode 0644. */
static int
write_file(const char *dir, const char *name, const char *data, size_t len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return file_replace(path, data, len, 0644) == GH_OK ? GH_OK :
	    GH_ERR_IO;
}

static cJSON *
question_json(const struct def_question *q, const struct tally_counts *c,
    size_t i, const int *shown)
{
	cJSON *jq, *opts, *o;
	size_t j;

	if ((jq = cJSON_CreateObject()) == NULL)
		return NULL;
	cJSON_AddStringToObject(jq, "id", q->id);
	cJSON_AddStringToObject(jq, "type", type_name[q->type]);
	cJSON_AddItemToObject(jq, "answered", json_count(c->answered[i],
	    shown[0]));
	if (q->n_options == 0)	/* text and number: how many answered */
		return jq;
	opts = cJSON_AddArrayToObject(jq, "options");
	for (j = 0; opts != NULL && j < q->n_options; j++) {
		if ((o = cJSON_CreateObject()) == NULL)
			break;
		cJSON_AddStringToObject(o, "id", q->options[j].id);
		cJSON_AddItemToObject(o, "count", json_count(c->option[i][j],
		    shown[1 + j]));
		cJSON_AddItemToArray(opts, o);
	}
	return jq;
}

static cJSON *
unit_json(const char *label, int64_t v, int is_visible)
{
	cJSON *o;

	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	if (label != NULL)
		cJSON_AddStringToObject(o, "unit", label);
	else
		cJSON_AddNullToObject(o, "unit");
	cJSON_AddItemToObject(o, "count", json_count(v, is_visible));
	return o;
}

/* Adds the answers per unit to the CSV and as "units" to the JSON. */
static int
write_units(struct buf *csv, cJSON *root, const struct tally_counts *c, int k)
{
	cJSON *us;
	int *shown;
	size_t i;

	if ((shown = calloc(c->n_units + 1, sizeof(*shown))) == NULL ||
	    (us = cJSON_AddArrayToObject(root, "units")) == NULL) {
		free(shown);
		return GH_ERR_NOMEM;
	}
	unit_mask(c, k, shown);
	for (i = 0; i < c->n_units; i++) {
		csv_unit_row(csv, c->units[i].label, c->units[i].count,
		    shown[i]);
		cJSON_AddItemToArray(us, unit_json(c->units[i].label,
		    c->units[i].count, shown[i]));
	}
	if (c->n_no_unit > 0) {
		csv_unit_row(csv, "", c->n_no_unit, shown[c->n_units]);
		cJSON_AddItemToArray(us, unit_json(NULL, c->n_no_unit,
		    shown[c->n_units]));
	}
	free(shown);
	return GH_OK;
}

int
tally_write(const char *dir, const struct def *d,
    const struct tally_counts *c, int k)
{
	struct buf csv = { 0 };
	cJSON *root = NULL, *qs;
	char *json = NULL;
	size_t i, j;
	int r = GH_ERR_NOMEM;

	buf_puts(&csv, "question,type,option,count\r\n");
	csv_row(&csv, "_all", "", "_answers", c->n_answers,
	    is_shown(c, c->n_answers, k));
	if ((root = cJSON_CreateObject()) == NULL)
		goto out;
	cJSON_AddStringToObject(root, "definition", d->id);
	cJSON_AddNumberToObject(root, "k", k);
	cJSON_AddStringToObject(root, "suppressed_means",
	    "fewer than k respondents; not shown");
	cJSON_AddItemToObject(root, "answers", json_count(c->n_answers,
	    is_shown(c, c->n_answers, k)));
	if ((qs = cJSON_AddArrayToObject(root, "questions")) == NULL)
		goto out;
	for (i = 0; i < d->n_questions; i++) {
		const struct def_question *q = &d->questions[i];
		int shown[1 + DEF_MAX_OPTIONS];

		/* A matrix is a heading; its items are questions of their own. */
		if (q->type == DEF_MATRIX)
			continue;
		question_mask(q, c, i, k, shown);
		csv_row(&csv, q->id, type_name[q->type], "_answered",
		    c->answered[i], shown[0]);
		for (j = 0; j < q->n_options; j++)
			csv_row(&csv, q->id, type_name[q->type],
			    q->options[j].id, c->option[i][j], shown[1 + j]);
		cJSON_AddItemToArray(qs, question_json(q, c, i, shown));
	}
	if (d->unit_source == DEF_UNIT_BATCH &&
	    write_units(&csv, root, c, k) != GH_OK)
		goto out;
	if (buf_is_failed(&csv) || (json = cJSON_Print(root)) == NULL)
		goto out;
	if ((r = write_file(dir, "counts.csv", csv.data, csv.len)) == GH_OK)
		r = write_file(dir, "counts.json", json, strlen(json));
out:
	cJSON_free(json);
	cJSON_Delete(root);
	buf_free(&csv);
	return r;
}
