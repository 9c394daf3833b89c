/*
 * category.c: the one table of the report's category lists
 * (category.h). The report form (pages/page_report_form.c), the desk's
 * filing and its pages (pages/page_desk_cat.c) and the council's
 * statistics (cli/cmd_report_stats.c) all read these lists.
 *
 * Entry points: report_cat_ids, report_cat_is_valid, report_cat_question.
 */
#include <stddef.h>
#include <string.h>

#include "report/category.h"

static const char *const forms[] = {
	"pesten", "vernedering", "buitensluiten", "micro_agressie",
	"seksuele_intimidatie", "agressie_geweld", "discriminatie", "ander",
	"weet_niet", NULL
};
static const char *const grounds[] = {
	"herkomst", "huidskleur", "geloof", "gender", "seksuele_orientatie",
	"genderidentiteit", "leeftijd", "beperking_ziekte", "neurodivergentie",
	"anders", "geen_kenmerk", "weet_niet", NULL
};
static const char *const units[] = {
	"stadsdeel", "sociaal", "ruimte_economie", "dienstverlening",
	"bedrijfsvoering", "staf", "anders", NULL
};
/* The same units, and "I prefer not to say" (answered as no unit). */
static const char *const unit_answers[] = {
	"stadsdeel", "sociaal", "ruimte_economie", "dienstverlening",
	"bedrijfsvoering", "staf", "anders", REPORT_UNIT_NONE, NULL
};
static const char *const wishes[] = {
	"alleen_registreren", "gesprek", "advies", "vertrouwenspersoon",
	"bemiddeling", "onderzoek", "anders", "weet_niet", NULL
};
/* The measures of the city's procedure first, then the older ones
 * (files closed before keep their ids). */
static const char *const measures[] = {
	"conversation", "mediation", "personnel_care", "separation",
	"assistance", "ombudsperson", "confidential_adviser", "other",
	"none", "warning", "written_warning", "transfer", "dismissal", NULL
};
/* How a closed case ended. */
static const char *const outcomes[] = {
	"founded", "unfounded", "not_assessable", "withdrawn", NULL
};

static const struct {
	const char *const	*ids;
	const char		*question;	/* in melding.json, or NULL */
} table[REPORT_CAT_N] = {
	[REPORT_CAT_FORM] = { forms, "vorm" },
	[REPORT_CAT_GROUND] = { grounds, "grond" },
	[REPORT_CAT_UNIT] = { units, "cluster" },
	[REPORT_CAT_UNIT_ANSWER] = { unit_answers, "cluster" },
	[REPORT_CAT_WISHES] = { wishes, "wensen" },
	[REPORT_CAT_MEASURE] = { measures, NULL },
	[REPORT_CAT_OUTCOME] = { outcomes, NULL },
};

const char *const *
report_cat_ids(enum report_cat which)
{
	if ((unsigned int)which >= REPORT_CAT_N)
		which = REPORT_CAT_MEASURE;
	return table[which].ids;
}

int
report_cat_is_valid(enum report_cat which, const char *id)
{
	const char *const *l;

	if (id == NULL)
		return 0;
	for (l = report_cat_ids(which); *l != NULL; l++)
		if (strcmp(*l, id) == 0)
			return 1;
	return 0;
}

const char *
report_cat_question(enum report_cat which)
{
	if ((unsigned int)which >= REPORT_CAT_N)
		return NULL;
	return table[which].question;
}
