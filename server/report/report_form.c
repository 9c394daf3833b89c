/*
 * report_form.c: the built-in report form's questions (report_form.h) and
 * the check of what was posted.
 *
 * Entry points: report_form_check, report_q_check_text,
 * report_form_unit. Data path: posted form -> report_form_check (every
 * option in the category table, report/category.h; texts UTF-8 without
 * control characters, within their caps) -> a problem per question, which
 * the route turns into the form again (422) or the sealed report.
 */
#include <stdint.h>
#include <string.h>

#include "report/category.h"
#include "report/report_form.h"
#include "survey/text.h"

const struct report_q report_form_q[REPORT_FORM_NQ] = {
	{ "what", REPORT_ANSWER_MAX, REPORT_Q_TEXT, 1, 1, REPORT_CAT_N },
	{ "form", 0, REPORT_Q_MULTI, 0, 1, REPORT_CAT_FORM },
	{ "ground", 0, REPORT_Q_MULTI, 0, 1, REPORT_CAT_GROUND },
	{ "unit", 0, REPORT_Q_SINGLE, 0, 1, REPORT_CAT_UNIT_ANSWER },
	{ "wishes", 0, REPORT_Q_MULTI, 0, 1, REPORT_CAT_WISHES },
	{ "wishes_text", 1000, REPORT_Q_TEXT, 0, 0, REPORT_CAT_N },
};

enum report_problem
report_q_check_text(const struct report_q *q, const char *v)
{
	size_t i = 0, n = 0, len, blank = 1;
	uint32_t cp;

	len = v != NULL ? strlen(v) : 0;
	while (i < len) {
		if (survey_utf8_next((const uint8_t *)v, len, &i, &cp) != 0 ||
		    (survey_is_control(cp) && cp != '\n' && cp != '\r' &&
		    cp != '\t'))
			return REPORT_P_BAD_TEXT;
		if (!survey_is_space(cp))
			blank = 0;
		n++;
	}
	if (blank)
		return q->is_required ? REPORT_P_MISSING : REPORT_P_OK;
	return n > q->max ? REPORT_P_TOO_LONG : REPORT_P_OK;
}

int
report_form_check(const struct form *f, struct report_check *chk)
{
	const struct report_q *q;
	size_t i, k, n;

	memset(chk, 0, sizeof(*chk));
	for (k = 0; k < REPORT_FORM_NQ; k++) {
		q = &report_form_q[k];
		if (q->type == REPORT_Q_TEXT) {
			chk->p[k] = report_q_check_text(q, form_get(f, q->id));
		} else {
			for (i = n = 0; i < f->n; i++) {
				if (strcmp(f->fields[i].name, q->id) != 0)
					continue;
				n++;
				if (!report_cat_is_valid(q->cat, f->fields[i].value) ||
				    (q->type == REPORT_Q_SINGLE && n > 1))
					chk->p[k] = REPORT_P_BAD_OPTION;
			}
		}
		if (chk->p[k] != REPORT_P_OK)
			chk->n_bad++;
	}
	return chk->n_bad;
}

const char *
report_form_unit(const struct form *f)
{
	const char *v = form_get(f, "unit");

	return v == NULL || strcmp(v, REPORT_UNIT_NONE) == 0 ? NULL : v;
}

