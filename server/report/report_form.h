/*
 * report_form.h: the built-in report form: its questions (those of
 * survey-defs/melding.json the desk needs: what happened, the kind of
 * behaviour, the ground, the part of the organisation, the wishes), on
 * one page, so a report needs no page state, and the check of a posted
 * form. Transport-free; pages/page_report_form.c renders it.
 */
#ifndef GH_REPORT_FORM_H
#define GH_REPORT_FORM_H

#include <stddef.h>

#include "http/form.h"
#include "report/category.h"

#define REPORT_FORM_NQ		6	/* questions of the built-in form */
#define REPORT_ANSWER_MAX	4000	/* bytes of one text the reporter sends */

enum report_problem {
	REPORT_P_OK,
	REPORT_P_MISSING,
	REPORT_P_TOO_LONG,
	REPORT_P_BAD_TEXT,	/* not UTF-8, or control characters */
	REPORT_P_BAD_OPTION,
};

/* The result of checking a report form: a problem per question. */
struct report_check {
	enum report_problem	p[REPORT_FORM_NQ];
	int			n_bad;
};

enum report_q_type { REPORT_Q_TEXT, REPORT_Q_MULTI, REPORT_Q_SINGLE };

struct report_q {
	const char		*id;	/* field name and "report.q.<id>.*" */
	size_t			 max;	/* characters of a text */
	enum report_q_type		 type;
	int			 is_required;
	int			 has_help;
	enum report_cat		 cat;	/* options "report.opt.<id>.<opt>";
					   REPORT_CAT_N for a text */
};

/* The questions, in the form's order (read-only). */
extern const struct report_q report_form_q[REPORT_FORM_NQ];

/* Checks a posted report form into *chk; returns chk->n_bad. */
int report_form_check(const struct form *f, struct report_check *chk);

/*
 * Checks text v (NULL allowed) of question q: UTF-8, no control characters
 * but line breaks and tabs, within q's cap, present if required.
 */
enum report_problem report_q_check_text(const struct report_q *q,
    const char *v);

/* The chosen part of the organisation (an option id), or NULL. */
const char *report_form_unit(const struct form *f);

#endif
