/*
 * codebook.c: codebook.json and codebook.csv of a release (release.h):
 * every variable of the definition with its type and its categories (nl
 * and en labels; whether each is a substantive answer; NOT_STATED for not
 * shown or skipped), the base of its shares, every scale and indicator
 * with its formula and base (and a scale's points, labels.h), and an
 * indicator's baseline figure. CSV
 * header (a base is a row of kind "base", category substantive or
 * answered):
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
	"niet ingevuld of niet gevraagd",
	"not stated (not shown, or skipped)",
} };

/* The bases of shares (rows.c). */
static const struct def_text base_substantive = { {
	"wie de vraag kreeg en inhoudelijk antwoordde (zonder 'zeg ik liever "
	"niet' en antwoorden als 'weet ik niet')",
	"those shown the question who answered it substantively (without "
	"'prefer not to say' and answers such as 'don't know')",
} };
static const struct def_text base_answered = { {
	"wie de vraag kreeg en antwoordde",
	"those shown the question who answered it",
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
	release_csv_field(b, var, 0);
	release_csv_field(b, kind, 0);
	release_csv_field(b, type, 0);
	release_csv_field(b, cat, 0);
	release_csv_field(b, label->s[DEF_NL], 0);
	release_csv_field(b, label->s[DEF_EN], 0);
	release_csv_field(b, formula, 1);
}

/* Adds {"substantive": {nl, en}, "answered": {nl, en}} and CSV rows. */
static int
add_base(cJSON *o, struct buf *csv, const char *var, const char *type,
    const struct def_text *subst, int has_answered)
{
	cJSON *b = cJSON_AddObjectToObject(o, "base");

	if (b == NULL || !cJSON_AddItemToObject(b, RELEASE_BASE_SUBSTANTIVE,
	    text(subst)) || (has_answered && !cJSON_AddItemToObject(b,
	    RELEASE_BASE_ANSWERED, text(&base_answered))))
		return GH_ERR_NOMEM;
	csv_row(csv, var, "base", type, RELEASE_BASE_SUBSTANTIVE, subst, "");
	if (has_answered)
		csv_row(csv, var, "base", type, RELEASE_BASE_ANSWERED,
		    &base_answered, "");
	return GH_OK;
}

static int
add_cat(cJSON *cats, struct buf *csv, const char *var, const char *type,
    const char *id, const struct def_text *label, int is_substantive)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return GH_ERR_NOMEM;
	cJSON_AddItemToArray(cats, o);
	csv_row(csv, var, "category", type, id, label, is_substantive ? "" :
	    "not substantive: its own share, outside the others' base");
	return cJSON_AddStringToObject(o, "id", id) == NULL ||
	    !cJSON_AddItemToObject(o, "label", text(label)) ||
	    cJSON_AddBoolToObject(o, "substantive", is_substantive) == NULL ?
	    GH_ERR_NOMEM : GH_OK;
}

static int
question(const struct def *d, size_t qi, cJSON *arr, struct buf *csv)
{
	const struct def_question *q = &d->questions[qi];
	const char *type = type_names[q->type];
	cJSON *o = cJSON_CreateObject(), *cats;
	size_t j;
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
	for (j = 0; j < q->n_options; j++)
		if ((rc = add_cat(cats, csv, q->id, type, q->options[j].id,
		    &q->options[j].label,
		    def_option_is_substantive(&q->options[j]))) != GH_OK)
			return rc;
	if ((rc = add_cat(cats, csv, q->id, type, TABLES_NOT_STATED,
	    &not_stated, 0)) != GH_OK)
		return rc;
	return add_base(o, csv, q->id, type, &base_substantive, 1);
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

/* The baseline figure an indicator is compared with, if it has one. */
static int
add_baseline(cJSON *o, const char *id, const char *bind,
    const struct baseline *b)
{
	const struct baseline_indicator *bi;
	cJSON *x;
	long n;

	if (id == NULL)
		return GH_OK;
	if ((x = cJSON_AddObjectToObject(o, "baseline")) == NULL ||
	    cJSON_AddStringToObject(x, "id", id) == NULL ||
	    cJSON_AddStringToObject(x, "indicator", bind) == NULL)
		return GH_ERR_NOMEM;
	if (b == NULL || (bi = baseline_indicator(b, bind)) == NULL)
		return GH_OK;
	n = bi->n > 0 ? bi->n : b->n;
	return cJSON_AddNumberToObject(x, "year", b->year) == NULL ||
	    cJSON_AddNumberToObject(x, "percent", bi->percent) == NULL ||
	    !cJSON_AddItemToObject(x, "label", text(&bi->label)) ||
	    !cJSON_AddItemToObject(x, "population", text(&b->population)) ||
	    !cJSON_AddItemToObject(x, "source", text(&b->source)) ||
	    (n > 0 ? cJSON_AddNumberToObject(x, "n", (double)n) :
	    cJSON_AddNullToObject(x, "n")) == NULL ? GH_ERR_NOMEM : GH_OK;
}

static int
indicator(const struct release *rl, size_t ii, cJSON *arr, struct buf *csv)
{
	const struct def *d = rl->d;
	const struct def_indicator *ind = &d->indicators[ii];
	const struct baseline *b = rl->baselines != NULL ?
	    rl->baselines[ii] : NULL;
	const char *id, *bind;
	const struct def_question *q = &d->questions[ind->question];
	char formula[2048];
	size_t j, len;
	cJSON *o = cJSON_CreateObject();
	int rc;

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
		    "answered otherwise; NOT_STATED if not answered, not shown, "
		    "prefer not to say, only answers that are not substantive%s",
		    ind->among != NULL ? ", or not among its base (see base)" :
		    "");
	csv_row(csv, ind->id, "indicator", "yes/no", "", &ind->label,
	    formula);
	if (cJSON_AddStringToObject(o, "id", ind->id) == NULL ||
	    !cJSON_AddItemToObject(o, "label", text(&ind->label)) ||
	    cJSON_AddStringToObject(o, "formula", formula) == NULL ||
	    cJSON_AddBoolToObject(o, "among", ind->among != NULL) == NULL)
		return GH_ERR_NOMEM;
	if ((rc = add_base(o, csv, ind->id, "yes/no", ind->among != NULL ?
	    &ind->base_label : &base_substantive, 0)) != GH_OK)
		return rc;
	plan_baseline_link(rl->plan, d, ii, &id, &bind);
	return add_baseline(o, id, bind, b);
}

int
release_codebook_write(const struct release *rl, struct buf *json,
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
		    (rc = release_labels_scale_json(d, &d->scales[i],
		    cJSON_GetArrayItem(ss, (int)i))) != GH_OK)
			goto out;
	for (i = 0; i < d->n_indicators; i++)
		if ((rc = indicator(rl, i, is, csv)) != GH_OK)
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
