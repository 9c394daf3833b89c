/*
 * page_research_labels.c: puts words in place of a release's codes
 * before its tables are shown (research_labels in research_int.h).
 *
 * tables.json names variables and categories by their codes
 * ("soort_werk", "uitvoering", "NOT_STATED", "yes"), as tables.csv does;
 * codebook.json has the definition's labels in Dutch and English. For
 * the page (never for the files) each row's category and breakdown
 * values are replaced by their words in the page's language, and its
 * variables' names are added as "variable_label", "by1_label" and
 * "by2_label":
 *   - an option: its label in the codebook; NOT_STATED: "Not stated", or
 *     "(no unit)" for the unit; an indicator's yes and no;
 *   - the unit's values: a batch label as it is, the release engine's
 *     own ("X (direct)", "other units of X", "other units") in words;
 *   - a variable: its question's, scale's or indicator's label; a
 *     breakdown by its background kind ("gender", "unit"), or by its
 *     question's label if it has no kind of its own.
 * TOTAL and a scale's "mean" stay codes: research_value_text says them.
 * A scale's rows get what its mean lies on ("scale_points", and the
 * labels of its ends, "scale_low" and "scale_high"), for the chart.
 * The same words are in tables.csv's label columns (release/labels.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/research_int.h"

/* The entry of array arr whose "id" is id, or NULL. */
static const cJSON *
by_id(const cJSON *arr, const char *id)
{
	const cJSON *it, *v;

	cJSON_ArrayForEach(it, arr) {
		v = cJSON_GetObjectItemCaseSensitive(it, "id");
		if (cJSON_IsString(v) && strcmp(v->valuestring, id) == 0)
			return it;
	}
	return NULL;
}

/* A text in lang (an object {"nl","en"} or a string), or NULL. */
static const char *
text_of(const cJSON *t, enum def_lang lang)
{
	if (cJSON_IsObject(t))
		t = cJSON_GetObjectItemCaseSensitive(t, page_lang_code(lang));
	return cJSON_IsString(t) && t->valuestring[0] != '\0' ?
	    t->valuestring : NULL;
}

/* The label of o in lang, or NULL. */
static const char *
label_of(const cJSON *o, enum def_lang lang)
{
	return text_of(cJSON_GetObjectItemCaseSensitive(o, "label"), lang);
}

static const char *
str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Sets member key of row to s (a copy). Returns 0, or -1 out of memory. */
static int
set(cJSON *row, const char *key, const char *s)
{
	cJSON *v = cJSON_CreateString(s);
	int is_done;

	if (v == NULL)
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(row, key) != NULL)
		is_done = cJSON_ReplaceItemInObjectCaseSensitive(row, key, v);
	else
		is_done = cJSON_AddItemToObject(row, key, v);
	if (!is_done) {
		cJSON_Delete(v);
		return -1;
	}
	return 0;
}

/* What a variable of a row is in the codebook. */
enum vkind { V_UNKNOWN, V_QUESTION, V_SCALE, V_INDICATOR, V_UNIT };

struct var {
	enum vkind	 kind;
	const cJSON	*o;		/* its codebook entry, or NULL */
};

static struct var
find_var(const cJSON *codebook, const char *id)
{
	static const struct { const char *list; enum vkind kind; } lists[] = {
		{ "variables", V_QUESTION }, { "scales", V_SCALE },
		{ "indicators", V_INDICATOR },
	};
	struct var v = { V_UNKNOWN, NULL };
	size_t i;

	if (id == NULL)
		return v;
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if ((v.o = by_id(cJSON_GetObjectItemCaseSensitive(codebook,
		    lists[i].list), id)) != NULL) {
			v.kind = lists[i].kind;
			return v;
		}
	/* The unit of the token batches (a question that is the unit is
	 * a question, with options). */
	if (strcmp(id, "unit") == 0)
		v.kind = V_UNIT;
	return v;
}

/* The word for background kind (message "research.kind.KIND"), or NULL. */
static const char *
kind_word(const char *kind, enum def_lang lang)
{
	char key[64];
	const char *s;

	if (kind == NULL || kind[0] == '\0' ||
	    (size_t)snprintf(key, sizeof(key), "research.kind.%s", kind) >=
	    sizeof(key))
		return NULL;
	s = page_msg(lang, key);
	return s != key ? s : NULL;	/* page_msg returns an unknown key */
}

/* A variable's name: a breakdown by its kind, else by its label. */
static const char *
var_name(const struct var *v, int is_by, enum def_lang lang)
{
	const char *w;

	if (is_by && v->kind == V_UNIT)
		return page_msg(lang, "research.kind.unit");
	if (is_by && (w = kind_word(str(v->o, "background"), lang)) != NULL)
		return w;
	return v->o != NULL ? label_of(v->o, lang) : NULL;
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

/* A value of the unit: a batch label, or the engine's own in words
 * (server/release/units.c). Returns 0 or -1. */
static int
unit_value(cJSON *row, const char *vkey, const char *val, enum def_lang lang)
{
	static const char direct[] = " (direct)", of[] = "other units of ";
	struct buf name = { 0 }, b = { 0 };
	int r;

	if (strcmp(val, "NOT_STATED") == 0)
		return set(row, vkey, page_msg(lang, "research.no_unit"));
	if (strcmp(val, "other units") == 0)
		return set(row, vkey, page_msg(lang, "research.other_units"));
	if (has_suffix(val, direct)) {
		buf_add(&name, val, strlen(val) - strlen(direct));
		research_msg_name(&b, lang, "research.unit_direct",
		    name.data != NULL ? name.data : "");
	} else if (strncmp(val, of, strlen(of)) == 0) {
		research_msg_name(&b, lang, "research.other_units_of",
		    val + strlen(of));
	} else {
		return 0;
	}
	r = buf_is_failed(&name) || buf_is_failed(&b) ? -1 :
	    set(row, vkey, b.data);
	buf_free(&name);
	buf_free(&b);
	return r;
}

/* Labels value member vkey of row as a category or value of v. */
static int
label_value(cJSON *row, const struct var *v, const char *vkey,
    enum def_lang lang)
{
	const char *val = str(row, vkey), *l = NULL;
	const cJSON *c;

	if (val == NULL || strcmp(val, "TOTAL") == 0 ||
	    strcmp(val, "mean") == 0)
		return 0;
	if (strcmp(vkey, "category") != 0 && v->kind == V_UNIT)
		return unit_value(row, vkey, val, lang);
	if (strcmp(val, "NOT_STATED") == 0)
		l = page_msg(lang, "research.not_stated");
	else if (v->kind == V_INDICATOR && strcmp(val, "yes") == 0)
		l = page_msg(lang, "research.cat_yes");
	else if (v->kind == V_INDICATOR && strcmp(val, "no") == 0)
		l = page_msg(lang, "research.cat_no");
	else if ((c = by_id(cJSON_GetObjectItemCaseSensitive(v->o,
	    "categories"), val)) != NULL)
		l = label_of(c, lang);
	return l != NULL ? set(row, vkey, l) : 0;
}

/* Adds the name of variable v of row as member lkey. */
static int
label_var(cJSON *row, const struct var *v, int is_by, const char *lkey,
    enum def_lang lang)
{
	const char *l = var_name(v, is_by, lang);

	return l != NULL ? set(row, lkey, l) : 0;
}

/*
 * Adds what a scale's mean lies on to row, from its codebook entry
 * ("points", "point_labels", release/labels.h): "scale_points", and the
 * labels of its first and last point as "scale_low", "scale_high".
 */
static int
label_scale(cJSON *row, const struct var *v, enum def_lang lang)
{
	const cJSON *pts = cJSON_GetObjectItemCaseSensitive(v->o, "points");
	const cJSON *pl = cJSON_GetObjectItemCaseSensitive(v->o,
	    "point_labels");
	const char *low, *high;
	cJSON *n;
	int size = cJSON_GetArraySize(pl);

	if (v->kind != V_SCALE || !cJSON_IsNumber(pts) ||
	    cJSON_GetObjectItemCaseSensitive(row, "scale_points") != NULL)
		return 0;
	if ((n = cJSON_CreateNumber(pts->valuedouble)) == NULL ||
	    !cJSON_AddItemToObject(row, "scale_points", n)) {
		cJSON_Delete(n);
		return -1;
	}
	if (size < 2 || (low = text_of(cJSON_GetArrayItem(pl, 0), lang)) ==
	    NULL || (high = text_of(cJSON_GetArrayItem(pl, size - 1),
	    lang)) == NULL)
		return 0;
	return set(row, "scale_low", low) | set(row, "scale_high", high);
}

static int
label_row(cJSON *row, const cJSON *codebook, enum def_lang lang)
{
	struct var var = find_var(codebook, str(row, "variable"));
	struct var by1 = find_var(codebook, str(row, "by1"));
	struct var by2 = find_var(codebook, str(row, "by2"));

	return label_value(row, &var, "category", lang) |
	    label_value(row, &by1, "by1_value", lang) |
	    label_value(row, &by2, "by2_value", lang) |
	    label_var(row, &var, 0, "variable_label", lang) |
	    label_var(row, &by1, 1, "by1_label", lang) |
	    label_var(row, &by2, 1, "by2_label", lang) |
	    label_scale(row, &var, lang);
}

int
research_labels(cJSON *root, const cJSON *codebook, enum def_lang lang)
{
	cJSON *row;

	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(root,
	    "rows")) {
		if (cJSON_IsObject(row) && label_row(row, codebook, lang) != 0)
			return GH_ERR_NOMEM;
	}
	return GH_OK;
}
