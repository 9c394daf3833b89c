/*
 * report_form.h: the report form: the questions of the report's
 * definition (survey-defs/melding.json, loaded by the survey definition
 * loader, survey/def.h), all on one page, so a report needs no page
 * state, and the check of a posted form against that definition and the
 * category table (report/category.h). Transport-free;
 * pages/page_report_form.c renders it.
 */
#ifndef GH_REPORT_FORM_H
#define GH_REPORT_FORM_H

#include <stddef.h>

#include "report/category.h"
#include "survey/def.h"
#include "survey/form.h"

#define REPORT_FORM_MAXQ	32	/* questions of the report's definition */
#define REPORT_ANSWER_MAX	4000	/* characters of one text the reporter
					   sends */

enum report_problem {
	REPORT_P_OK,
	REPORT_P_MISSING,
	REPORT_P_TOO_LONG,
	REPORT_P_BAD_TEXT,	/* not UTF-8, or control characters */
	REPORT_P_BAD_OPTION,	/* not an option, or two for one answer */
	REPORT_P_EXCLUSIVE,	/* an answer that stands alone, with others */
};

/* The result of checking a report form: a problem per question, in the
 * definition's order. */
struct report_check {
	enum report_problem	p[REPORT_FORM_MAXQ];
	int			n_bad;
};

/* The rules of one text: its cap in characters and whether it is needed. */
struct report_text_rule {
	size_t			 max;
	int			 is_required;
};

/*
 * Checks that d can be the report form: at most REPORT_FORM_MAXQ
 * questions, only text, single and multi ones, and every category list
 * of the table that names a question of d holding exactly that
 * question's options. Returns GH_OK, or GH_ERR_INVALID after writing the
 * problem into err.
 */
int report_form_def_check(const struct def *d, char *err, size_t errsz)
    GH_WUR;

/* Checks a posted report form against d into *chk; returns chk->n_bad. */
int report_form_check(const struct def *d, const struct form *f,
    struct report_check *chk);

/*
 * Checks text v (NULL allowed) under rule: UTF-8, no control characters
 * but line breaks and tabs, within the cap, present if required.
 */
enum report_problem report_text_check(const struct report_text_rule *rule,
    const char *v);

/* The category list whose options question q has, or REPORT_CAT_N. */
enum report_cat report_form_cat(const struct def_question *q);

/* The chosen part of the organisation (an option id), or NULL (none
 * chosen, or "prefer not to say"). */
const char *report_form_unit(const struct def *d, const struct form *f);

#endif
