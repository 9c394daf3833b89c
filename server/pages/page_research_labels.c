/*
 * page_research_labels.c: puts the codebook's words into a release's
 * tables before they are shown (research_labels in research_int.h).
 *
 * tables.json names variables and categories by their ids ("soort_werk",
 * "uitvoering", "NOT_STATED"), as tables.csv does; codebook.json has
 * their labels in Dutch and English. For the page (never for the files)
 * each row's category and breakdown values are replaced by their labels
 * in the page's language, and the variables' labels are added as
 * "variable_label", "by1_label" and "by2_label". What the codebook does
 * not name (a unit, "TOTAL", "mean") stays as it is.
 */
#include <stdlib.h>
#include <string.h>

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

/* The label of o in lang (an object {"nl","en"} or a string), or NULL. */
static const char *
label_of(const cJSON *o, enum def_lang lang)
{
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(o, "label");

	if (cJSON_IsObject(l))
		l = cJSON_GetObjectItemCaseSensitive(l, page_lang_code(lang));
	return cJSON_IsString(l) && l->valuestring[0] != '\0' ?
	    l->valuestring : NULL;
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

/* Labels value member vkey of row as a category of variable var. */
static int
label_value(cJSON *row, const cJSON *vars, const char *var,
    const char *vkey, enum def_lang lang)
{
	const cJSON *v = var != NULL ? by_id(vars, var) : NULL, *c;
	const char *val = str(row, vkey), *l;

	if (v == NULL || val == NULL)
		return 0;
	c = by_id(cJSON_GetObjectItemCaseSensitive(v, "categories"), val);
	if (c == NULL || (l = label_of(c, lang)) == NULL)
		return 0;
	return set(row, vkey, l);
}

/* Adds the label of variable var of row as member lkey. */
static int
label_var(cJSON *row, const cJSON *vars, const char *var, const char *lkey,
    enum def_lang lang)
{
	const cJSON *v = var != NULL ? by_id(vars, var) : NULL;
	const char *l = v != NULL ? label_of(v, lang) : NULL;

	return l != NULL ? set(row, lkey, l) : 0;
}

int
research_labels(cJSON *root, const cJSON *codebook, enum def_lang lang)
{
	const cJSON *vars = cJSON_GetObjectItemCaseSensitive(codebook,
	    "variables");
	cJSON *row;
	char *var, *by1, *by2;
	int r = 0;

	if (!cJSON_IsArray(vars))
		return GH_OK;
	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(root,
	    "rows")) {
		if (!cJSON_IsObject(row))
			continue;
		/* Copies: labelling replaces the members they point into. */
		var = str(row, "variable") ? strdup(str(row, "variable")) : NULL;
		by1 = str(row, "by1") ? strdup(str(row, "by1")) : NULL;
		by2 = str(row, "by2") ? strdup(str(row, "by2")) : NULL;
		r |= label_value(row, vars, var, "category", lang);
		r |= label_value(row, vars, by1, "by1_value", lang);
		r |= label_value(row, vars, by2, "by2_value", lang);
		r |= label_var(row, vars, var, "variable_label", lang);
		r |= label_var(row, vars, by1, "by1_label", lang);
		r |= label_var(row, vars, by2, "by2_label", lang);
		free(var);
		free(by1);
		free(by2);
		if (r != 0)
			return GH_ERR_NOMEM;
	}
	return GH_OK;
}
