/*
 * page_desk_cat.c: the desk's category lists: form of behaviour and
 * ground (the options of "vorm" and "grond" in survey-defs/melding.json),
 * organisational unit ("cluster"), and the measures taken on closing.
 * Labels are the "desk.cat.*" and "desk.measure.*" catalogue keys; the
 * route accepts only these ids, so a category is never free text.
 */
#include <stdio.h>
#include <string.h>

#include "pages/desk.h"
#include "pages/page.h"

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

static const char *const measures[] = {
	"none", "conversation", "warning", "written_warning", "transfer",
	"dismissal", "other", NULL
};

static const char *const prefix[] = {
	[DESK_CAT_FORM] = "desk.cat.form.",
	[DESK_CAT_GROUND] = "desk.cat.ground.",
	[DESK_CAT_UNIT] = "desk.cat.unit.",
	[DESK_CAT_MEASURE] = "desk.measure.",
};

const char *const *
desk_cat_ids(enum desk_cat which)
{
	switch (which) {
	case DESK_CAT_FORM: return forms;
	case DESK_CAT_GROUND: return grounds;
	case DESK_CAT_UNIT: return units;
	case DESK_CAT_MEASURE: break;
	}
	return measures;
}

int
desk_cat_is_valid(enum desk_cat which, const char *id)
{
	const char *const *l;

	if (id == NULL)
		return 0;
	for (l = desk_cat_ids(which); *l != NULL; l++)
		if (strcmp(*l, id) == 0)
			return 1;
	return 0;
}

const char *
desk_cat_label(enum def_lang lang, enum desk_cat which, const char *id)
{
	const char *text;
	char key[96];

	if (!desk_cat_is_valid(which, id))
		return id;
	snprintf(key, sizeof(key), "%s%s", prefix[which], id);
	text = page_msg(lang, key);
	return text == key ? id : text;	/* page_msg gives back a missing key */
}
