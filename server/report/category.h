/*
 * category.h: the report's category lists, in one table: the options of
 * the report form (survey-defs/melding.json's "vorm", "grond", "cluster"
 * and "wensen"), which the desk also files a report under, and the
 * measures and the outcome the desk records on closing. A category is only ever one of
 * these ids, never free text; the labels are catalogue texts (web/).
 *
 * The lists are C, so the desk's filing and the council's statistics
 * need no definition; the report form's definition (melding.json, built
 * in) must hold exactly these options (report_form_def_check, at
 * start-up), and tests/unit/test_report_category.c checks the file too.
 */
#ifndef GH_REPORT_CATEGORY_H
#define GH_REPORT_CATEGORY_H

/* The unit answer "I prefer not to say": the report form only. */
#define REPORT_UNIT_NONE	"none"

enum report_cat {
	REPORT_CAT_FORM,	/* form of behaviour: melding.json "vorm" */
	REPORT_CAT_GROUND,	/* ground: "grond" */
	REPORT_CAT_UNIT,	/* organisational unit: "cluster" */
	REPORT_CAT_UNIT_ANSWER,	/* the form's unit: "cluster" + "none" */
	REPORT_CAT_WISHES,	/* what the reporter wishes: "wensen" */
	REPORT_CAT_MEASURE,	/* measures taken, recorded on closing */
	REPORT_CAT_OUTCOME,	/* how a closed case ended */
};
#define REPORT_CAT_N	(REPORT_CAT_OUTCOME + 1)

/* Returns the NULL-terminated ids of list which, in the form's order. */
const char *const *report_cat_ids(enum report_cat which);

/* Returns 1 if id (NULL allowed) is an id of list which, else 0. */
int report_cat_is_valid(enum report_cat which, const char *id);

/* The id of the question of melding.json that list which copies, or NULL. */
const char *report_cat_question(enum report_cat which);

#endif
