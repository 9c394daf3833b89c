/*
 * codebook.c: codebook.json and codebook.csv of a release (release.h):
 * every variable of the definition with its type and its categories (nl
 * and en labels; NOT_STATED for missing or prefer-not), every scale and
 * indicator with its formula (and a scale's points, labels.h). CSV header:
 *   variable,kind,type,category,label_nl,label_en,formula
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "release/labels.h"
#include "release/release.h"

static const char *const type_names[] = {
	[DEF_SINGLE] = "single", [DEF_MULTI] = "multi",
	[DEF_LIKERT] = "likert", [DEF_TEXT] = "text",
	[DEF_MATRIX] = "matrix", [DEF_NUMBER] = "number",
};

static const struct def_text not_stated = { {
	"niet ingevuld of zeg ik liever niet",
	"not stated (missing or prefer not to say)",
} };

static cJSON *
text(const struct def_text *t)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || cJSON_AddStringToObject(o, "nl", t->s[DEF_NL]) ==
	    NULL || cJSON_AddStringToObject(o, "en", t->s[DEF_EN]) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static void
csv_row(struct buf *b, const char *var, const char *kind, const char *type,
    const char *cat, const struct def_text *label, const char *formula)
{
	rl_csv_field(b, var, 0);
	rl_csv_field(b, kind, 0);
	rl_csv_field(b, type, 0);
	rl_csv_field(b, cat, 0);
	rl_csv_field(b, label->s[DEF_NL], 0);
	rl_csv_field(b, label->s[DEF_EN], 0);
	rl_csv_field(b, formula, 1);
}

static int
add_cat(cJSON *cats, struct buf *csv, const char *var, const char *type,
    const char *id, const struct def_text *label)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return GH_ERR_NOMEM;
	cJSON_AddItemToArray(cats, o);
	csv_row(csv, var, "category", type, id, label, "");
	return cJSON_AddStringToObject(o, "id", id) == NULL ||
	    !cJSON_AddItemToObject(o, "label", text(label)) ? GH_ERR_NOMEM :
	    GH_OK;
}

static int
question(const struct def *d, size_t qi, cJSON *arr, struct buf *csv)
{
	const struct def_question *q = &d->questions[qi];
	const char *type = type_names[q->type];
	cJSON *o = cJSON_CreateObject(), *cats;
	size_t j, n = q->n_options - (q->has_prefer_not ? 1 : 0);
	int rc;

	if (o == NULL)
		return GH_ERR_NOMEM;
	cJSON_AddItemToArray(arr, o);
	csv_row(csv, q->id, "question", type, "", &q->label, q->type ==
	    DEF_TEXT ? "free text: never in a release" : "");
	if (cJSON_AddStringToObject(o, "id", q->id) == NULL ||
	    cJSON_AddStringToObject(o, "type", type) == NULL ||
	    !cJSON_AddItemToObject(o, "label", text(&q->label)) ||
	    cJSON_AddStringToObject(o, "background",
	    def_background_name(q->background)) == NULL ||
	    cJSON_AddBoolToObject(o, "sensitive", q->is_sensitive) == NULL ||
	    (cats = cJSON_AddArrayToObject(o, "categories")) == NULL)
		return GH_ERR_NOMEM;
	if (q->n_options == 0)
		return GH_OK;
	for (j = 0; j < n; j++)
		if ((rc = add_cat(cats, csv, q->id, type, q->options[j].id,
		    &q->options[j].label)) != GH_OK)
			return rc;
	return add_cat(cats, csv, q->id, type, REL_NOT_STATED, &not_stated);
}

static int
scale(const struct def *d, const struct def_scale *s, cJSON *arr,
    struct buf *csv)
{
	char formula[2048];
	size_t i, len;
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return GH_ERR_NOMEM;
	cJSON_AddItemToArray(arr, o);
	len = (size_t)snprintf(formula, sizeof(formula), "mean of ");
	for (i = 0; i < s->n_items && len < sizeof(formula); i++) {
		const char *id = d->questions[s->items[i]].id;

		if (s->is_reversed[i])
			len += (size_t)snprintf(formula + len, sizeof(formula) -
			    len, "%s(%zu - %s)", i > 0 ? ", " : "",
			    s->points + 1, id);
		else
			len += (size_t)snprintf(formula + len, sizeof(formula) -
			    len, "%s%s", i > 0 ? ", " : "", id);
	}
	if (len < sizeof(formula))
		snprintf(formula + len, sizeof(formula) - len, "; points 1 to "
		    "%zu; computed with at least %zu items answered",
		    s->points, s->min_items);
	csv_row(csv, s->id, "scale", "mean", "", &s->label, formula);
	return cJSON_AddStringToObject(o, "id", s->id) == NULL ||
	    !cJSON_AddItemToObject(o, "label", text(&s->label)) ||
	    cJSON_AddStringToObject(o, "formula", formula) == NULL ?
	    GH_ERR_NOMEM : GH_OK;
}

static int
indicator(const struct def *d, const struct def_indicator *ind, cJSON *arr,
    struct buf *csv)
{
	const struct def_question *q = &d->questions[ind->question];
	char formula[2048];
	size_t j, len;
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return GH_ERR_NOMEM;
	cJSON_AddItemToArray(arr, o);
	len = (size_t)snprintf(formula, sizeof(formula), "yes if %s is any "
	    "of", q->id);
	for (j = 0; j < q->n_options && len < sizeof(formula); j++)
		if (ind->any_of & ((uint64_t)1 << j))
			len += (size_t)snprintf(formula + len,
			    sizeof(formula) - len, " %s", q->options[j].id);
	if (len < sizeof(formula))
		snprintf(formula + len, sizeof(formula) - len, "; no if "
		    "answered otherwise; NOT_STATED if not answered, not shown "
		    "or prefer not to say");
	csv_row(csv, ind->id, "indicator", "yes/no", "", &ind->label,
	    formula);
	return cJSON_AddStringToObject(o, "id", ind->id) == NULL ||
	    !cJSON_AddItemToObject(o, "label", text(&ind->label)) ||
	    cJSON_AddStringToObject(o, "formula", formula) == NULL ||
	    (ind->baseline_id != NULL && cJSON_AddStringToObject(o,
	    "baseline", ind->baseline_id) == NULL) ? GH_ERR_NOMEM : GH_OK;
}

int
rl_codebook_write(const struct release *rl, struct buf *json,
    struct buf *csv)
{
	const struct def *d = rl->d;
	cJSON *root = cJSON_CreateObject(), *qs, *ss, *is;
	char *s = NULL;
	size_t i;
	int rc = GH_ERR_NOMEM;

	buf_puts(csv, "variable,kind,type,category,label_nl,label_en,"
	    "formula\r\n");
	if (root == NULL || cJSON_AddStringToObject(root, "definition",
	    d->id) == NULL || !cJSON_AddItemToObject(root, "title",
	    text(&d->title)) ||
	    (qs = cJSON_AddArrayToObject(root, "variables")) == NULL ||
	    (ss = cJSON_AddArrayToObject(root, "scales")) == NULL ||
	    (is = cJSON_AddArrayToObject(root, "indicators")) == NULL)
		goto out;
	for (i = 0; i < d->n_questions; i++)
		if (d->questions[i].type != DEF_MATRIX &&
		    (rc = question(d, i, qs, csv)) != GH_OK)
			goto out;
	for (i = 0; i < d->n_scales; i++)
		if ((rc = scale(d, &d->scales[i], ss, csv)) != GH_OK ||
		    (rc = rl_labels_scale_json(d, &d->scales[i],
		    cJSON_GetArrayItem(ss, (int)i))) != GH_OK)
			goto out;
	for (i = 0; i < d->n_indicators; i++)
		if ((rc = indicator(d, &d->indicators[i], is, csv)) != GH_OK)
			goto out;
	rc = GH_ERR_NOMEM;
	if ((s = cJSON_Print(root)) == NULL)
		goto out;
	buf_puts(json, s);
	buf_puts(json, "\n");
	rc = buf_is_failed(json) || buf_is_failed(csv) ? GH_ERR_NOMEM : GH_OK;
out:
	cJSON_free(s);
	cJSON_Delete(root);
	return rc;
}
