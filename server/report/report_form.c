/*
 * report_form.c: the report form's check (report_form.h): the posted
 * answers against the report's definition (survey-defs/melding.json) and
 * the category table (report/category.h).
 *
 * Entry points: report_form_def_check (once, when the definition is
 * loaded), report_form_check, report_text_check, report_form_cat,
 * report_form_unit. Data path: posted form -> report_form_check (every
 * choice an option of its question, and of its category list; texts
 * UTF-8 without control characters, within their caps) -> a problem per
 * question, which the route turns into the form again (422) or the
 * sealed report.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report/category.h"
#include "report/report_form.h"
#include "survey/text.h"

/* The lists of the table a report answers (the measures are the desk's). */
static const enum report_cat answered[] = {
	REPORT_CAT_FORM, REPORT_CAT_GROUND, REPORT_CAT_UNIT, REPORT_CAT_WISHES,
};
#define N_ANSWERED	(sizeof(answered) / sizeof(answered[0]))

enum report_cat
report_form_cat(const struct def_question *q)
{
	const char *qid;
	size_t i;

	for (i = 0; i < N_ANSWERED; i++) {
		qid = report_cat_question(answered[i]);
		if (qid != NULL && strcmp(qid, q->id) == 0)
			return answered[i];
	}
	return REPORT_CAT_N;
}

/* Checks that question q holds exactly the options of list c. */
static int
cat_matches(const struct def_question *q, enum report_cat c, char *err,
    size_t errsz)
{
	const char *const *ids = report_cat_ids(c);
	size_t j, n = 0;

	for (j = 0; j < q->n_options; j++) {
		if (q->options[j].is_prefer_not)
			continue;
		if (!report_cat_is_valid(c, q->options[j].id)) {
			snprintf(err, errsz, "question \"%s\": option \"%s\" "
			    "is not in the category table", q->id,
			    q->options[j].id);
			return GH_ERR_INVALID;
		}
		n++;
	}
	for (j = 0; ids[j] != NULL; j++)
		;
	if (j != n) {
		snprintf(err, errsz, "question \"%s\": %zu options, the "
		    "category table has %zu", q->id, n, j);
		return GH_ERR_INVALID;
	}
	return GH_OK;
}

int
report_form_def_check(const struct def *d, char *err, size_t errsz)
{
	const struct def_question *q;
	enum report_cat c;
	size_t i;

	if (d->n_questions > REPORT_FORM_MAXQ) {
		snprintf(err, errsz, "%zu questions, at most %d",
		    d->n_questions, REPORT_FORM_MAXQ);
		return GH_ERR_INVALID;
	}
	for (i = 0; i < d->n_questions; i++) {
		q = &d->questions[i];
		if (q->type != DEF_TEXT && q->type != DEF_SINGLE &&
		    q->type != DEF_MULTI) {
			snprintf(err, errsz, "question \"%s\": only text, "
			    "single and multi on the report form", q->id);
			return GH_ERR_INVALID;
		}
		if ((c = report_form_cat(q)) != REPORT_CAT_N &&
		    cat_matches(q, c, err, errsz) != GH_OK)
			return GH_ERR_INVALID;
	}
	return GH_OK;
}

enum report_problem
report_text_check(const struct report_text_rule *rule, const char *v)
{
	size_t i = 0, n = 0, len, blank = 1;
	uint32_t cp;

	len = v != NULL ? strlen(v) : 0;
	while (i < len) {
		if (utf8_next((const uint8_t *)v, len, &i, &cp) != 0 ||
		    (utf8_is_control(cp) && cp != '\n' && cp != '\r' &&
		    cp != '\t'))
			return REPORT_P_BAD_TEXT;
		if (!survey_is_space(cp))
			blank = 0;
		n++;
	}
	if (blank)
		return rule->is_required ? REPORT_P_MISSING : REPORT_P_OK;
	return n > rule->max ? REPORT_P_TOO_LONG : REPORT_P_OK;
}

/* Checks the answers to choice question q in f. */
static enum report_problem
check_choice(const struct def_question *q, const struct form *f)
{
	enum report_cat c = report_form_cat(q);
	const struct def_option *o;
	size_t i, n = 0;
	int oi, is_alone = 0;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->fields[i].name, q->id) != 0)
			continue;
		n++;
		if ((oi = def_option_index(q, f->fields[i].value)) < 0)
			return REPORT_P_BAD_OPTION;
		o = &q->options[oi];
		if (c != REPORT_CAT_N && !o->is_prefer_not &&
		    !report_cat_is_valid(c, o->id))
			return REPORT_P_BAD_OPTION;
		if (o->is_exclusive || o->is_prefer_not)
			is_alone = 1;
	}
	if (n == 0)
		return q->is_required ? REPORT_P_MISSING : REPORT_P_OK;
	if (q->type == DEF_SINGLE && n > 1)
		return REPORT_P_BAD_OPTION;
	return is_alone && n > 1 ? REPORT_P_EXCLUSIVE : REPORT_P_OK;
}

int
report_form_check(const struct def *d, const struct form *f,
    struct report_check *chk)
{
	const struct def_question *q;
	struct report_text_rule rule;
	size_t k;

	memset(chk, 0, sizeof(*chk));
	for (k = 0; k < d->n_questions && k < REPORT_FORM_MAXQ; k++) {
		q = &d->questions[k];
		if (q->type == DEF_TEXT) {
			rule.max = q->max_length;
			rule.is_required = q->is_required;
			chk->p[k] = report_text_check(&rule, form_get(f, q->id));
		} else
			chk->p[k] = check_choice(q, f);
		if (chk->p[k] != REPORT_P_OK)
			chk->n_bad++;
	}
	return chk->n_bad;
}

const char *
report_form_unit(const struct def *d, const struct form *f)
{
	const char *v;

	if (d->unit_source != DEF_UNIT_QUESTION)
		return NULL;
	v = form_get(f, d->questions[d->unit_question].id);
	return v == NULL || strcmp(v, DEF_PREFER_NOT) == 0 ? NULL : v;
}
