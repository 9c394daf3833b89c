/*
 * labels.c: the label columns of tables.csv (labels.h): per row, in
 * Dutch and English, the table's heading, the variable's label, the
 * category's, and each breakdown's name and value; and a scale's points
 * in codebook.json.
 *
 * Entry points: release_labels_csv, called for every row after its code
 * columns, and release_labels_scale_json for codebook.json's scales. Data
 * path: the row's table (struct table, plan_table) says what the codes
 * are: an option id is labelled from its question, yes and no of an
 * indicator, NOT_STATED, TOTAL and a scale's mean get fixed words, and a
 * unit value is its batch label, or one of the engine's own values
 * (units.c: "LABEL (direct)", "other units of LABEL", "other units")
 * said in words. A breakdown is named by its background kind ("gender",
 * "unit"), or by its question's label where it has no kind of its own.
 * The words agree with the research pages (web/messages.*.json,
 * "research.*"), which say the same to a reader.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "release/labels.h"

enum word {
	W_TOTAL, W_NOT_STATED, W_NO_UNIT, W_MEAN, W_YES, W_NO, W_BY, W_AND,
	W_DIRECT, W_OTHER_UNITS_OF, W_OTHER_UNITS, N_WORDS
};

static const char *const words[N_WORDS][DEF_LANGS] = {
	[W_TOTAL] = { "Totaal", "Total" },
	[W_NOT_STATED] = { "Niet ingevuld", "Not stated" },
	[W_NO_UNIT] = { "(geen eenheid)", "(no unit)" },
	[W_MEAN] = { "Gemiddelde", "Mean" },
	[W_YES] = { "Ja", "Yes" },
	[W_NO] = { "Nee", "No" },
	[W_BY] = { "naar", "by" },
	[W_AND] = { "en", "and" },
	[W_DIRECT] = { " (rechtstreeks)", " (direct)" },
	[W_OTHER_UNITS_OF] = { "andere eenheden van ", "other units of " },
	[W_OTHER_UNITS] = { "andere eenheden", "other units" },
};

/* A breakdown by its background kind, as a sentence names it. */
static const char *const kind_words[][DEF_LANGS] = {
	[DEF_BG_AGE_BAND] = { "leeftijd", "age" },
	[DEF_BG_GENDER] = { "gender", "gender" },
	[DEF_BG_CULTURAL_BACKGROUND] = { "herkomst", "origin" },
	[DEF_BG_DISABILITY] = { "beperking", "disability" },
	[DEF_BG_CHRONIC_ILLNESS] = { "chronische ziekte", "chronic illness" },
	[DEF_BG_NEURODIVERGENCE] = { "neurodivergentie", "neurodivergence" },
	[DEF_BG_SEXUAL_ORIENTATION] = { "seksuele ori\xc3\xabntatie",
	    "sexual orientation" },
	[DEF_BG_UNIT] = { "eenheid", "unit" },
	[DEF_BG_WORK_TYPE] = { "soort werk", "type of work" },
};

#define N_KINDS	(sizeof(kind_words) / sizeof(kind_words[0]))

/* The engine's own unit values (units.c). */
#define DIRECT		" (direct)"
#define OTHER_UNITS	"other units"
#define OTHER_UNITS_OF	"other units of "

static const char *
var_label(const struct def *d, const struct plan_table *pt,
    enum def_lang lang)
{
	switch (pt->var) {
	case PLAN_SCALE:
		return d->scales[pt->index].label.s[lang];
	case PLAN_INDICATOR:
		return d->indicators[pt->index].label.s[lang];
	default:
		return d->questions[pt->index].label.s[lang];
	}
}

/* The name of breakdown dim in a sentence: its kind, or its label. */
static const char *
by_label(const struct def *d, const struct table_dim *dim, enum def_lang lang)
{
	const struct def_question *q;

	if (dim->is_unit)
		return kind_words[DEF_BG_UNIT][lang];
	q = &d->questions[dim->question];
	if ((size_t)q->background < N_KINDS &&
	    kind_words[q->background][lang] != NULL)
		return kind_words[q->background][lang];
	return q->label.s[lang];
}

/* "variable by by1 and by2"; a label that ends a sentence gets a dash. */
static void
table_label(struct buf *b, const struct release *rl,
    const struct table *t, enum def_lang lang)
{
	const char *v = var_label(rl->d, t->pt, lang);
	size_t len = strlen(v), i;

	buf_puts(b, v);
	if (t->n_dims == 0)
		return;
	if (len > 0 && strchr("?.!:", v[len - 1]) != NULL)
		buf_puts(b, " \xe2\x80\x93");
	buf_printf(b, " %s ", words[W_BY][lang]);
	for (i = 0; i < t->n_dims && i < PLAN_MAX_BY; i++) {
		if (i > 0)
			buf_printf(b, " %s ", words[W_AND][lang]);
		buf_puts(b, by_label(rl->d, t->dim[i], lang));
	}
}

/* The label of category r->cat (SIZE_MAX: TOTAL, a scale's mean, or a
 * rolled-up unit's empty category). */
static const char *
cat_label(const struct release *rl, const struct release_table_row *r,
    enum def_lang lang)
{
	const struct table *t = r->t;
	const struct def_question *q;

	if (r->cat == SIZE_MAX)
		return r->is_scale ? words[W_MEAN][lang] :
		    strcmp(r->category, TABLES_TOTAL) == 0 ?
		    words[W_TOTAL][lang] : "";
	if (r->cat + 1 == t->n_cats)
		return words[W_NOT_STATED][lang];
	if (t->pt->var == PLAN_INDICATOR)
		return words[r->cat == 0 ? W_YES : W_NO][lang];
	q = &rl->d->questions[t->pt->index];
	return r->cat < q->n_options ? q->options[r->cat].label.s[lang] : "";
}

static int
is_unit_label(const struct tables *rel, const char *v)
{
	size_t i;

	for (i = 0; i < rel->n_units; i++)
		if (strcmp(rel->units[i], v) == 0)
			return 1;
	return 0;
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

/* A value of the unit breakdown: a batch label as it is, the engine's
 * own values in words. */
static void
unit_value(struct buf *b, const struct release *rl, const char *v,
    enum def_lang lang)
{
	/* A batch label is itself, even one that reads like ours. */
	int is_ours = !is_unit_label(rl->rel, v);
	size_t n = strlen(v);

	if (strcmp(v, TABLES_NOT_STATED) == 0)
		buf_puts(b, words[W_NO_UNIT][lang]);
	else if (is_ours && has_suffix(v, DIRECT))
		buf_printf(b, "%.*s%s", (int)(n - strlen(DIRECT)), v,
		    words[W_DIRECT][lang]);
	else if (is_ours && strncmp(v, OTHER_UNITS_OF,
	    strlen(OTHER_UNITS_OF)) == 0)
		buf_printf(b, "%s%s", words[W_OTHER_UNITS_OF][lang],
		    v + strlen(OTHER_UNITS_OF));
	else if (is_ours && strcmp(v, OTHER_UNITS) == 0)
		buf_puts(b, words[W_OTHER_UNITS][lang]);
	else
		buf_puts(b, v);	/* a label, or a node named by its path */
}

/* The label of value v of breakdown dim into b. */
static void
value_label(struct buf *b, const struct release *rl,
    const struct table_dim *dim, const char *v, enum def_lang lang)
{
	const struct def_question *q;
	size_t j;

	if (strcmp(v, TABLES_TOTAL) == 0) {
		buf_puts(b, words[W_TOTAL][lang]);
		return;
	}
	if (dim->is_unit) {
		unit_value(b, rl, v, lang);
		return;
	}
	if (strcmp(v, TABLES_NOT_STATED) == 0) {
		buf_puts(b, words[W_NOT_STATED][lang]);
		return;
	}
	q = &rl->d->questions[dim->question];
	for (j = 0; j < q->n_options; j++)
		if (strcmp(q->options[j].id, v) == 0) {
			buf_puts(b, q->options[j].label.s[lang]);
			return;
		}
	buf_puts(b, v);
}

/* The labels of row r in lang, in RELEASE_LABELS_CSV_HEADER's order. */
#define N_LABELS	7

static void
row_labels(struct buf s[N_LABELS], const struct release *rl,
    const struct release_table_row *r, enum def_lang lang)
{
	const struct table *t = r->t;
	size_t i;

	table_label(&s[0], rl, t, lang);
	buf_puts(&s[1], var_label(rl->d, t->pt, lang));
	buf_puts(&s[2], cat_label(rl, r, lang));
	for (i = 0; i < t->n_dims && i < PLAN_MAX_BY; i++) {
		buf_puts(&s[3 + 2 * i], by_label(rl->d, t->dim[i], lang));
		if (r->by_value[i] != NULL)
			value_label(&s[4 + 2 * i], rl, t->dim[i],
			    r->by_value[i], lang);
	}
}

void
release_labels_csv(struct buf *b, const struct release *rl,
    const struct release_table_row *r)
{
	struct buf s[DEF_LANGS][N_LABELS];
	size_t i;
	int lang;

	memset(s, 0, sizeof(s));
	row_labels(s[DEF_NL], rl, r, DEF_NL);
	row_labels(s[DEF_EN], rl, r, DEF_EN);
	for (i = 0; i < N_LABELS; i++)
		for (lang = 0; lang < DEF_LANGS; lang++) {
			/* A failed append shows in b, where it is checked. */
			if (buf_is_failed(&s[lang][i]))
				b->failed = 1;
			release_csv_field(b, s[lang][i].len > 0 ?
			    s[lang][i].data : "", i + 1 == N_LABELS &&
			    lang + 1 == DEF_LANGS);
			buf_free(&s[lang][i]);
		}
}

int
release_labels_scale_json(const struct def *d, const struct def_scale *s,
    cJSON *o)
{
	const struct def_question *q;
	cJSON *arr, *l;
	size_t i, j;
	int is_reversed;

	if (cJSON_AddNumberToObject(o, "points", (double)s->points) == NULL ||
	    (arr = cJSON_AddArrayToObject(o, "point_labels")) == NULL)
		return GH_ERR_NOMEM;
	if (s->n_items == 0)
		return GH_OK;
	/* A score counts a reversed item's point x as points + 1 - x: its
	 * options read backwards. The first item in the scale's own
	 * direction, if there is one. */
	for (i = 0; i + 1 < s->n_items && s->is_reversed[i]; i++)
		;
	q = &d->questions[s->items[i]];
	is_reversed = s->is_reversed[i];
	for (j = 0; j < s->points && j < q->n_options; j++) {
		const struct def_text *t = &q->options[is_reversed ?
		    s->points - 1 - j : j].label;

		if ((l = cJSON_CreateObject()) == NULL)
			return GH_ERR_NOMEM;
		cJSON_AddItemToArray(arr, l);
		if (cJSON_AddStringToObject(l, "nl", t->s[DEF_NL]) == NULL ||
		    cJSON_AddStringToObject(l, "en", t->s[DEF_EN]) == NULL)
			return GH_ERR_NOMEM;
	}
	return GH_OK;
}
