/*
 * def_question.c: the questions of one page, their options and matrix
 * items (def_load.h; survey-defs/README.md).
 *
 * Entry point: def_load_questions, called once per page in file order, appends
 * each question to d->questions and a matrix's items right after it, so
 * that questions[] is the file's order and a condition, read as its
 * question is, can only see questions before it. Per question: the key
 * set (format 2 keys refused in a format 1 file), the id (unique across
 * the file), the type, show_if, the common keys, then what the type needs
 * (parse_choice, parse_matrix, parse_number, parse_text).
 */
#include <stdlib.h>
#include <string.h>

#include "survey/def_cond.h"
#include "survey/def_load.h"
#include "survey/text.h"

static const char *const question_keys[] = {
	"id", "type", "required", "label", "help", "options", "max_length",
	"scale", "items", "min", "max",
	/* From here on format 2 only. */
	"show_if", "prefer_not", "sensitive", "background",
};
enum { Q_ID, Q_TYPE, Q_REQUIRED, Q_LABEL, Q_HELP, Q_OPTIONS, Q_MAX_LENGTH,
	Q_SCALE, Q_ITEMS, Q_MIN, Q_MAX, Q_SHOW_IF, Q_PREFER_NOT, Q_SENSITIVE,
	Q_BACKGROUND, Q_N };
#define Q_FIRST_TYPED	Q_OPTIONS	/* keys allowed per type: ... */
#define Q_LAST_TYPED	Q_MAX
#define Q_FIRST_V2	Q_SCALE		/* keys a format 1 file cannot use */

static const char *const option_keys[] = {
	"id", "label", "exclusive", "substantive"
};
enum { O_ID, O_LABEL, O_EXCLUSIVE, O_SUBSTANTIVE, O_N };

static const char *const item_keys[] = { "id", "label" };
enum { I_ID, I_LABEL, I_N };

#define BIT(k)	(1u << (k))

/* In enum def_qtype order. */
static const struct {
	const char	*name;
	size_t		 max_options;	/* 0: no options */
	unsigned	 typed_keys;	/* BIT(Q_...) it may have */
	int		 format;	/* the first format with it */
} qtypes[] = {
	[DEF_SINGLE] = { "single", DEF_MAX_OPTIONS, BIT(Q_OPTIONS), 1 },
	[DEF_MULTI] = { "multi", DEF_MAX_OPTIONS, BIT(Q_OPTIONS), 1 },
	[DEF_LIKERT] = { "likert", DEF_MAX_LIKERT,
	    BIT(Q_OPTIONS) | BIT(Q_SCALE), 1 },
	[DEF_TEXT] = { "text", 0, BIT(Q_MAX_LENGTH), 1 },
	[DEF_MATRIX] = { "matrix", DEF_MAX_LIKERT,
	    BIT(Q_SCALE) | BIT(Q_ITEMS), 2 },
	[DEF_NUMBER] = { "number", 0, BIT(Q_MIN) | BIT(Q_MAX), 2 },
};
#define N_QTYPES	(sizeof(qtypes) / sizeof(qtypes[0]))

static const struct def_text prefer_not_label = { {
	"Zeg ik liever niet", "I'd rather not say",
} };

int
def_load_options_copy(struct def_loader *l, struct def_option *dst,
    const struct def_option *src, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++) {
		dst[j].is_exclusive = src[j].is_exclusive;
		dst[j].is_prefer_not = src[j].is_prefer_not;
		dst[j].is_nonsubstantive = src[j].is_nonsubstantive;
		if ((dst[j].id = strdup(src[j].id)) == NULL ||
		    (dst[j].label.s[DEF_NL] = strdup(src[j].label.s[DEF_NL])) ==
		    NULL ||
		    (dst[j].label.s[DEF_EN] = strdup(src[j].label.s[DEF_EN])) ==
		    NULL)
			return json_nomem(&l->j);
	}
	return GH_OK;
}

size_t
def_load_questions_count(const cJSON *v)
{
	const cJSON *it, *items;
	size_t n = 0;

	for (it = v != NULL ? v->child : NULL; it != NULL; it = it->next) {
		n++;
		items = cJSON_GetObjectItemCaseSensitive(it, "items");
		if (cJSON_IsArray(items))
			n += (size_t)cJSON_GetArraySize(items);
	}
	return n;
}

/*
 * "substantive": false marks an answer such as "weet ik niet" or "n.v.t.":
 * it is published as its own share and left out of the base of the
 * others. In a multi question it must be exclusive (chosen alone), so
 * that those who chose it and those who answered substantively are apart.
 */
static int
parse_substantive(struct def_loader *l, const char *path, const cJSON *v,
    const struct def_question *q, struct def_option *o)
{
	char sub[JSON_PATH_MAX];
	int is_substantive = 1, r;

	if (v == NULL)
		return GH_OK;
	json_path(sub, path, ".substantive");
	if (l->d->format < 2)
		return json_fail(&l->j, sub, "needs \"format\": 2");
	if ((r = json_bool(&l->j, sub, v, &is_substantive)) != GH_OK)
		return r;
	o->is_nonsubstantive = !is_substantive;
	if (o->is_nonsubstantive && q->type == DEF_MULTI && !o->is_exclusive)
		return json_fail(&l->j, sub, "an answer that is not "
		    "substantive must be \"exclusive\": true in a multi "
		    "question");
	return GH_OK;
}

/* Reads option j of q at path; q->type decides whether it may be exclusive. */
static int
parse_option(struct def_loader *l, const char *path, const cJSON *v,
    struct def_question *q, size_t j)
{
	struct def_option *o = &q->options[j];
	const cJSON *k[O_N];
	char sub[JSON_PATH_MAX];
	size_t i;
	int r;

	if ((r = json_keys(&l->j, path, v, option_keys, O_N, k)) != GH_OK)
		return r;
	json_path(sub, path, ".id");
	if ((r = json_id(&l->j, sub, k[O_ID], &o->id)) != GH_OK)
		return r;
	if (strcmp(o->id, DEF_PREFER_NOT) == 0)
		return json_fail(&l->j, sub, "\"%s\" is reserved (use "
		    "\"prefer_not\": true)", DEF_PREFER_NOT);
	for (i = 0; i < j; i++)
		if (strcmp(q->options[i].id, o->id) == 0)
			return json_fail(&l->j, sub, "duplicate option id \"%s\"",
			    o->id);
	json_path(sub, path, ".label");
	if ((r = json_text(&l->j, sub, k[O_LABEL], 0, &o->label)) != GH_OK)
		return r;
	json_path(sub, path, ".exclusive");
	if (k[O_EXCLUSIVE] != NULL && l->d->format < 2)
		return json_fail(&l->j, sub, "needs \"format\": 2");
	if (k[O_EXCLUSIVE] != NULL && q->type != DEF_MULTI)
		return json_fail(&l->j, sub, "not allowed for a %s question",
		    qtypes[q->type].name);
	if ((r = json_bool(&l->j, sub, k[O_EXCLUSIVE], &o->is_exclusive)) !=
	    GH_OK)
		return r;
	return parse_substantive(l, path, k[O_SUBSTANTIVE], q, o);
}

/* Checks the options array v at path into q, with room for prefer-not. */
static int
parse_options(struct def_loader *l, const char *path, const cJSON *v,
    struct def_question *q)
{
	const cJSON *it;
	char sub[JSON_PATH_MAX];
	size_t n, max = qtypes[q->type].max_options;
	int r;

	/* A bitmask of 64 bits holds the prefer-not option too. */
	if (q->has_prefer_not && max == DEF_MAX_OPTIONS)
		max--;
	if (v == NULL)
		return json_fail(&l->j, path, "missing");
	if (!cJSON_IsArray(v))
		return json_fail(&l->j, path, "must be an array");
	n = (size_t)cJSON_GetArraySize(v);
	if (n < 2 || n > max)
		return json_fail(&l->j, path, "a %s question needs 2 to %zu "
		    "options", qtypes[q->type].name, max);
	if ((q->options = calloc(n + 1, sizeof(*q->options))) == NULL)
		return json_nomem(&l->j);
	for (it = v->child; it != NULL; it = it->next) {
		json_path(sub, path, "[%zu]", q->n_options);
		/* Counted first, so that def_free frees a half-read option. */
		q->n_options++;
		if ((r = parse_option(l, sub, it, q, q->n_options - 1)) !=
		    GH_OK)
			return r;
	}
	return GH_OK;
}

/* Copies the response scale named by v at path into q's options. */
static int
use_scale(struct def_loader *l, const char *path, const cJSON *v,
    struct def_question *q)
{
	const struct def_load_scale *s = NULL;
	size_t i;

	if (!cJSON_IsString(v))
		return json_fail(&l->j, path, "must be a string");
	for (i = 0; i < l->n_scales && s == NULL; i++)
		if (strcmp(l->scales[i].id, v->valuestring) == 0)
			s = &l->scales[i];
	if (s == NULL && survey_id_is_valid(v->valuestring))
		return json_fail(&l->j, path, "unknown response scale \"%s\"",
		    v->valuestring);
	if (s == NULL)
		return json_fail(&l->j, path, "unknown response scale");
	if ((q->options = calloc(s->n_options + 1, sizeof(*q->options))) ==
	    NULL)
		return json_nomem(&l->j);
	q->n_options = s->n_options;
	return def_load_options_copy(l, q->options, s->options, s->n_options);
}

/* Appends the option DEF_PREFER_NOT (there is room) if q asks for it. */
static int
add_prefer_not(struct def_loader *l, struct def_question *q)
{
	struct def_option o = { .id = DEF_PREFER_NOT, .label = prefer_not_label,
	    .is_prefer_not = 1, .is_exclusive = q->type == DEF_MULTI };

	if (!q->has_prefer_not || q->options == NULL)
		return GH_OK;
	q->n_options++;
	return def_load_options_copy(l, &q->options[q->n_options - 1], &o, 1);
}

/* Single, multi and Likert: inline options, or (Likert) a scale. */
static int
parse_choice(struct def_loader *l, const char *path, const cJSON **k,
    struct def_question *q)
{
	char sub[JSON_PATH_MAX];
	int r;

	if (k[Q_SCALE] != NULL && k[Q_OPTIONS] != NULL) {
		json_path(sub, path, ".scale");
		return json_fail(&l->j, sub, "not allowed with options");
	}
	if (k[Q_SCALE] != NULL) {
		json_path(sub, path, ".scale");
		r = use_scale(l, sub, k[Q_SCALE], q);
	} else {
		json_path(sub, path, ".options");
		r = parse_options(l, sub, k[Q_OPTIONS], q);
	}
	return r != GH_OK ? r : add_prefer_not(l, q);
}

static int
parse_text(struct def_loader *l, const char *path, const cJSON **k,
    struct def_question *q)
{
	char sub[JSON_PATH_MAX];
	long max_length;
	int r;

	json_path(sub, path, ".prefer_not");
	if (q->has_prefer_not)
		return json_fail(&l->j, sub, "not allowed for a text question "
		    "(it can be left empty)");
	json_path(sub, path, ".max_length");
	if ((r = json_int(&l->j, sub, k[Q_MAX_LENGTH], 1, DEF_MAX_TEXT_CAP,
	    &max_length)) != GH_OK)
		return r;
	q->max_length = (size_t)max_length;
	return GH_OK;
}

static int
parse_number(struct def_loader *l, const char *path, const cJSON **k,
    struct def_question *q)
{
	char sub[JSON_PATH_MAX];
	long min, max;
	int r;

	json_path(sub, path, ".min");
	if ((r = json_int(&l->j, sub, k[Q_MIN], -DEF_MAX_NUMBER, DEF_MAX_NUMBER,
	    &min)) != GH_OK)
		return r;
	json_path(sub, path, ".max");
	if ((r = json_int(&l->j, sub, k[Q_MAX], -DEF_MAX_NUMBER, DEF_MAX_NUMBER,
	    &max)) != GH_OK)
		return r;
	json_path(sub, path, ".min");
	if (min > max)
		return json_fail(&l->j, sub, "%ld is over max %ld", min, max);
	q->min = min;
	q->max = max;
	return GH_OK;
}

/* Appends item v (at path) of the matrix questions[g] as a Likert item. */
static int
parse_item(struct def_loader *l, const char *path, const cJSON *v, size_t g)
{
	struct def *d = l->d;
	struct def_question *q, *m;
	const cJSON *k[I_N];
	char sub[JSON_PATH_MAX];
	size_t i, qi;
	int r;

	if ((r = json_keys(&l->j, path, v, item_keys, I_N, k)) != GH_OK)
		return r;
	if (d->n_questions >= l->cap)
		return json_fail(&l->j, path, "too many questions");
	qi = d->n_questions++;
	q = &d->questions[qi];
	m = &d->questions[g];
	json_path(sub, path, ".id");
	if ((r = json_id(&l->j, sub, k[I_ID], &q->id)) != GH_OK)
		return r;
	for (i = 0; i < qi; i++)
		if (strcmp(d->questions[i].id, q->id) == 0)
			return json_fail(&l->j, sub, "duplicate question id "
			    "\"%s\"", q->id);
	q->type = DEF_LIKERT;
	q->matrix = (int)g;
	q->page = m->page;
	q->show_if = m->show_if;
	q->is_required = m->is_required;
	q->has_prefer_not = m->has_prefer_not;
	q->is_sensitive = m->is_sensitive;
	json_path(sub, path, ".label");
	if ((r = json_text(&l->j, sub, k[I_LABEL], 0, &q->label)) != GH_OK ||
	    (r = json_text(&l->j, sub, NULL, 1, &q->help)) != GH_OK)
		return r;
	if ((q->options = calloc(m->n_options, sizeof(*q->options))) == NULL)
		return json_nomem(&l->j);
	q->n_options = m->n_options;
	return def_load_options_copy(l, q->options, m->options, m->n_options);
}

/* A matrix: its scale, then its items as questions of their own. */
static int
parse_matrix(struct def_loader *l, const char *path, const cJSON **k, size_t g)
{
	struct def_question *m = &l->d->questions[g];
	const cJSON *it;
	char sub[JSON_PATH_MAX];
	size_t n = 0;
	int r;

	json_path(sub, path, ".background");
	if (m->background != DEF_BG_NONE)
		return json_fail(&l->j, sub, "not allowed for a matrix question");
	json_path(sub, path, ".scale");
	if (k[Q_SCALE] == NULL)
		return json_fail(&l->j, sub, "missing (a matrix needs a "
		    "response scale)");
	if ((r = use_scale(l, sub, k[Q_SCALE], m)) != GH_OK ||
	    (r = add_prefer_not(l, m)) != GH_OK)
		return r;
	json_path(sub, path, ".items");
	if (k[Q_ITEMS] == NULL)
		return json_fail(&l->j, sub, "missing");
	if (!cJSON_IsArray(k[Q_ITEMS]))
		return json_fail(&l->j, sub, "must be an array");
	if (cJSON_GetArraySize(k[Q_ITEMS]) < DEF_MIN_ITEMS ||
	    cJSON_GetArraySize(k[Q_ITEMS]) > DEF_MAX_ITEMS)
		return json_fail(&l->j, sub, "a matrix needs %d to %d items",
		    DEF_MIN_ITEMS, DEF_MAX_ITEMS);
	m->first_item = g + 1;
	for (it = k[Q_ITEMS]->child; it != NULL; it = it->next) {
		json_path(sub, path, ".items[%zu]", n++);
		if ((r = parse_item(l, sub, it, g)) != GH_OK)
			return r;
		m->n_items++;
	}
	return GH_OK;
}

/* Sets q->type from the "type" value at path. */
static int
parse_type(struct def_loader *l, const char *path, const cJSON *v,
    struct def_question *q)
{
	const char *names = l->d->format < 2 ? "single, multi, likert or text" :
	    "single, multi, likert, matrix, number or text";
	size_t t;

	if (v == NULL)
		return json_fail(&l->j, path, "missing");
	if (!cJSON_IsString(v))
		return json_fail(&l->j, path, "must be a string");
	for (t = 0; t < N_QTYPES; t++) {
		if (strcmp(v->valuestring, qtypes[t].name) != 0)
			continue;
		if (qtypes[t].format > l->d->format)
			return json_fail(&l->j, path, "type \"%s\" needs "
			    "\"format\": 2", qtypes[t].name);
		q->type = (enum def_qtype)t;
		return GH_OK;
	}
	/* The value is the file's: show it only if it is a plain word. */
	if (survey_id_is_valid(v->valuestring))
		return json_fail(&l->j, path, "unknown type \"%s\" (%s)",
		    v->valuestring, names);
	return json_fail(&l->j, path, "unknown type (%s)", names);
}

/* Sets q->background from the string v at path. */
static int
parse_background(struct def_loader *l, const char *path, const cJSON *v,
    struct def_question *q)
{
	int b;

	if (v == NULL)
		return GH_OK;
	if (!cJSON_IsString(v))
		return json_fail(&l->j, path, "must be a string");
	for (b = DEF_BG_NONE + 1; b <= DEF_BG_OTHER; b++) {
		if (strcmp(v->valuestring,
		    def_background_name((enum def_background)b)) == 0) {
			q->background = (enum def_background)b;
			return GH_OK;
		}
	}
	return json_fail(&l->j, path, "unknown background (age_band, gender, "
	    "gender_self, cultural_background, disability, chronic_illness, "
	    "neurodivergence, sexual_orientation, unit, work_type or other)");
}

/* Refuses keys the file's format or the question's type does not have. */
static int
check_keys(struct def_loader *l, const char *path, const cJSON **k,
    const struct def_question *q)
{
	char sub[JSON_PATH_MAX];
	size_t i;

	for (i = Q_FIRST_TYPED; i <= Q_LAST_TYPED; i++) {
		if (k[i] == NULL || (qtypes[q->type].typed_keys & BIT(i)))
			continue;
		json_path(sub, path, ".%s", question_keys[i]);
		return json_fail(&l->j, sub, "not allowed for a %s question",
		    qtypes[q->type].name);
	}
	return GH_OK;
}

/* The keys every type has, then what the type needs. */
static int
parse_body(struct def_loader *l, const char *path, const cJSON **k, size_t qi)
{
	struct def_question *q = &l->d->questions[qi];
	char sub[JSON_PATH_MAX];
	int r;

	json_path(sub, path, ".show_if");
	if (k[Q_SHOW_IF] != NULL &&
	    (r = def_cond_parse(l, sub, k[Q_SHOW_IF], qi, &q->show_if)) !=
	    GH_OK)
		return r;
	json_path(sub, path, ".required");
	if ((r = json_bool(&l->j, sub, k[Q_REQUIRED],
	    &q->is_required)) != GH_OK)
		return r;
	json_path(sub, path, ".label");
	if ((r = json_text(&l->j, sub, k[Q_LABEL], 0, &q->label)) != GH_OK)
		return r;
	json_path(sub, path, ".help");
	if ((r = json_text(&l->j, sub, k[Q_HELP], 1, &q->help)) != GH_OK)
		return r;
	json_path(sub, path, ".prefer_not");
	if ((r = json_bool(&l->j, sub, k[Q_PREFER_NOT], &q->has_prefer_not)) !=
	    GH_OK)
		return r;
	json_path(sub, path, ".sensitive");
	if ((r = json_bool(&l->j, sub, k[Q_SENSITIVE], &q->is_sensitive)) !=
	    GH_OK)
		return r;
	json_path(sub, path, ".background");
	if ((r = parse_background(l, sub, k[Q_BACKGROUND], q)) != GH_OK ||
	    (r = check_keys(l, path, k, q)) != GH_OK)
		return r;
	switch (q->type) {
	case DEF_SINGLE:
	case DEF_MULTI:
	case DEF_LIKERT:
		return parse_choice(l, path, k, q);
	case DEF_TEXT:
		return parse_text(l, path, k, q);
	case DEF_NUMBER:
		return parse_number(l, path, k, q);
	case DEF_MATRIX:
		return parse_matrix(l, path, k, qi);
	}
	return GH_OK;
}

/* Appends the question v at path on page pi. */
static int
parse_question(struct def_loader *l, const char *path, const cJSON *v,
    size_t pi)
{
	struct def *d = l->d;
	struct def_question *q;
	const cJSON *k[Q_N];
	char sub[JSON_PATH_MAX];
	size_t i, qi;
	int r;

	if ((r = json_keys(&l->j, path, v, question_keys, Q_N, k)) != GH_OK)
		return r;
	for (i = Q_FIRST_V2; i < Q_N && d->format < 2; i++) {
		json_path(sub, path, ".%s", question_keys[i]);
		if (k[i] != NULL)
			return json_fail(&l->j, sub, "needs \"format\": 2");
	}
	/* def_load_questions_count made room for every entry. */
	if (d->n_questions >= l->cap)
		return json_fail(&l->j, path, "too many questions");
	qi = d->n_questions++;
	q = &d->questions[qi];
	q->matrix = -1;
	q->page = pi;
	json_path(sub, path, ".id");
	if ((r = json_id(&l->j, sub, k[Q_ID], &q->id)) != GH_OK)
		return r;
	for (i = 0; i < qi; i++)
		if (strcmp(d->questions[i].id, q->id) == 0)
			return json_fail(&l->j, sub, "duplicate question id "
			    "\"%s\"", q->id);
	json_path(sub, path, ".type");
	if ((r = parse_type(l, sub, k[Q_TYPE], q)) != GH_OK)
		return r;
	return parse_body(l, path, k, qi);
}

int
def_load_questions(struct def_loader *l, const char *path, const cJSON *v,
    size_t pi)
{
	const cJSON *it;
	char sub[JSON_PATH_MAX];
	size_t n = 0;
	int r;

	for (it = v->child; it != NULL; it = it->next) {
		json_path(sub, path, "[%zu]", n++);
		if ((r = parse_question(l, sub, it, pi)) != GH_OK)
			return r;
	}
	return GH_OK;
}
