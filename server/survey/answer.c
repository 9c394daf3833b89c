/*
 * answer.c: a submitted form to the plaintext of one answer (answer.h);
 * the way back is answer_decode.c.
 *
 * Entry points, in the order data flows: collect_all reads every question
 * from the form on its own (options, exclusive options, numbers, text),
 * then apply_conditions decides from those answers which questions are
 * shown: an answer to a hidden one is a problem, and a required question
 * is missing only when shown. answer_check_page reports this for one
 * page, answer_encode for all, and only if all is well builds a cJSON
 * tree in definition order and prints it into a buffer of its own, so
 * cJSON never holds a reallocated copy; the submitted text lives in one
 * cleaned copy, wiped at out:. answer_view gives the same reading to the
 * page flow, which decides with it what to show.
 *
 * Answers are never logged: messages name the JSON path, not the value.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "survey/answer_int.h"
#include "survey/text.h"
#include "util/log.h"

/* cJSON's estimate of what it prints runs a few bytes high. */
#define PRINT_SLACK		64

/* Digits a number may have before it is surely out of range. */
#define NUMBER_MAX_DIGITS	12

/* One question's answer while a form is checked. */
struct value {
	struct def_answer	 a;
	int			 has_field;	/* a non-empty field came */
	char			*text;		/* DEF_TEXT: cleaned, wiped */
	size_t			 text_len;
};

const char *
answer_problem_str(enum answer_problem p)
{
	switch (p) {
	case ANSWER_OK: return "ok";
	case ANSWER_MISSING: return "required and not answered";
	case ANSWER_BAD_OPTION: return "not an option of this question";
	case ANSWER_TOO_MANY: return "more than one value";
	case ANSWER_TOO_LONG: return "text too long";
	case ANSWER_BAD_TEXT:
		return "text not UTF-8 or with a control character";
	case ANSWER_HIDDEN: return "answered, but the question is not shown";
	case ANSWER_EXCLUSIVE:
		return "an exclusive option together with others";
	case ANSWER_NOT_NUMBER: return "not a whole number";
	case ANSWER_OUT_OF_RANGE: return "number out of range";
	}
	return "unknown problem";
}

/* Returns 1 if field name is "q_" followed by question id. */
static int
is_field_of(const char *name, const char *id)
{
	size_t n = sizeof(ANSWER_FIELD_PREFIX) - 1;

	return strncmp(name, ANSWER_FIELD_PREFIX, n) == 0 &&
	    strcmp(name + n, id) == 0;
}

enum answer_problem
answer_text_check(const char *s, size_t len, size_t max, int is_form,
    int *is_blank)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t i = 0, n = 0;
	uint32_t cp;

	*is_blank = 1;
	while (i < len) {
		if (utf8_next(u, len, &i, &cp) != 0)
			return ANSWER_BAD_TEXT;
		if (cp == '\r' && is_form)
			continue;	/* browsers send CRLF */
		if (utf8_is_control(cp) && cp != '\n' && cp != '\t')
			return ANSWER_BAD_TEXT;
		if (!survey_is_space(cp))
			*is_blank = 0;
		n++;
	}
	return n > max ? ANSWER_TOO_LONG : ANSWER_OK;
}

enum answer_problem
answer_exclusive_check(const struct def_question *q, uint64_t chosen)
{
	size_t j;

	for (j = 0; j < q->n_options; j++)
		if (q->options[j].is_exclusive &&
		    (chosen & (UINT64_C(1) << j)) &&
		    chosen != (UINT64_C(1) << j))
			return ANSWER_EXCLUSIVE;
	return ANSWER_OK;
}

/* Single and Likert: one option id. */
static enum answer_problem
collect_one(const struct def_question *q, const struct form_field *fld,
    struct value *v)
{
	int j;

	if ((j = def_option_index(q, fld->value)) < 0)
		return ANSWER_BAD_OPTION;
	v->a.chosen = UINT64_C(1) << j;
	v->a.is_prefer_not = q->options[j].is_prefer_not;
	v->a.is_answered = 1;
	return ANSWER_OK;
}

static enum answer_problem
collect_multi(const struct def_question *q, const struct form *f,
    struct value *v)
{
	size_t i;
	int j;

	for (i = 0; i < f->n; i++) {
		if (!is_field_of(f->fields[i].name, q->id) ||
		    f->fields[i].value_len == 0)
			continue;
		if ((j = def_option_index(q, f->fields[i].value)) < 0 ||
		    (v->a.chosen & (UINT64_C(1) << j)))
			return ANSWER_BAD_OPTION;
		v->a.chosen |= UINT64_C(1) << j;
		v->a.is_prefer_not |= q->options[j].is_prefer_not;
	}
	v->a.is_answered = v->a.chosen != 0;
	return answer_exclusive_check(q, v->a.chosen);
}

/* A number: optional '-', digits, white space around; or prefer-not. */
static enum answer_problem
collect_number(const struct def_question *q, const char *s, struct value *v)
{
	long long x = 0;
	size_t n = 0;
	int is_neg;

	if (q->has_prefer_not && strcmp(s, DEF_PREFER_NOT) == 0) {
		v->a.is_answered = v->a.is_prefer_not = 1;
		return ANSWER_OK;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if ((is_neg = *s == '-'))
		s++;
	for (; *s >= '0' && *s <= '9'; s++, n++)
		if (n < NUMBER_MAX_DIGITS)
			x = x * 10 + (*s - '0');
	while (*s == ' ' || *s == '\t')
		s++;
	if (n == 0 || *s != '\0')
		return ANSWER_NOT_NUMBER;
	x = is_neg ? -x : x;
	if (n > NUMBER_MAX_DIGITS || x < q->min || x > q->max)
		return ANSWER_OUT_OF_RANGE;
	v->a.number = x;
	v->a.is_answered = 1;
	return ANSWER_OK;
}

/* Checks the text of q and keeps a copy without CRs in v. */
static int
collect_text(const struct def_question *q, const struct form_field *fld,
    struct value *v, enum answer_problem *p)
{
	size_t i;
	int is_blank;

	*p = answer_text_check(fld->value, fld->value_len, q->max_length, 1,
	    &is_blank);
	if (*p != ANSWER_OK || is_blank)
		return GH_OK;
	v->has_field = 1;
	if ((v->text = malloc(fld->value_len + 1)) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < fld->value_len; i++)
		if (fld->value[i] != '\r')
			v->text[v->text_len++] = fld->value[i];
	v->text[v->text_len] = '\0';
	v->a.is_answered = 1;
	return GH_OK;
}

/*
 * Reads question q from the form into v and *p, on its own: conditions
 * and required come later. An empty field is no answer, and a number
 * ignores it altogether: its box comes with the prefer-not check box.
 */
static int
collect(const struct def_question *q, const struct form *f, struct value *v,
    enum answer_problem *p)
{
	const struct form_field *first = NULL, *full = NULL;
	size_t i, n = 0, n_full = 0;

	*p = ANSWER_OK;
	for (i = 0; i < f->n; i++) {
		if (!is_field_of(f->fields[i].name, q->id))
			continue;
		if (n++ == 0)
			first = &f->fields[i];
		if (f->fields[i].value_len > 0 && n_full++ == 0)
			full = &f->fields[i];
	}
	v->has_field = n_full > 0;
	if (q->type == DEF_MULTI) {
		*p = collect_multi(q, f, v);
		return GH_OK;
	}
	if (q->type == DEF_NUMBER) {
		n = n_full;
		first = full;
	}
	if (n > 1) {
		*p = ANSWER_TOO_MANY;
		return GH_OK;
	}
	if (n == 0 || first->value_len == 0)
		return GH_OK;
	switch (q->type) {
	case DEF_SINGLE:
	case DEF_LIKERT:
		*p = collect_one(q, first, v);
		break;
	case DEF_NUMBER:
		*p = collect_number(q, first->value, v);
		break;
	case DEF_TEXT:
		v->has_field = 0;	/* unless it is more than blanks */
		return collect_text(q, first, v, p);
	case DEF_MULTI:
	case DEF_MATRIX:
		break;
	}
	return GH_OK;
}

/*
 * Decides which questions are shown from the answers that are fine, then
 * marks answers to hidden questions and missing required ones.
 */
static int
apply_conditions(const struct def *d, struct value *vals,
    enum answer_problem *probs)
{
	struct def_answer *a;
	uint8_t shown[DEF_MAX_QUESTIONS];
	size_t i;

	if ((a = calloc(d->n_questions, sizeof(*a))) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < d->n_questions; i++)
		if (probs[i] == ANSWER_OK)
			a[i] = vals[i].a;
	def_shown(d, a, shown, NULL);
	for (i = 0; i < d->n_questions; i++) {
		if (!shown[i] && (vals[i].has_field || probs[i] != ANSWER_OK))
			probs[i] = ANSWER_HIDDEN;
		else if (shown[i] && probs[i] == ANSWER_OK &&
		    !vals[i].a.is_answered && d->questions[i].is_required &&
		    d->questions[i].type != DEF_MATRIX)
			probs[i] = ANSWER_MISSING;
	}
	sodium_memzero(a, d->n_questions * sizeof(*a));
	free(a);
	return GH_OK;
}

/* Returns 1 if a field looks like an answer but names no question of d. */
static int
has_unknown_field(const struct def *d, const struct form *f)
{
	size_t i, n = sizeof(ANSWER_FIELD_PREFIX) - 1;
	int qi;

	for (i = 0; i < f->n; i++) {
		if (strncmp(f->fields[i].name, ANSWER_FIELD_PREFIX, n) != 0)
			continue;
		/* A matrix is answered through its items. */
		qi = def_question_index(d, f->fields[i].name + n);
		if (qi < 0 || d->questions[qi].type == DEF_MATRIX)
			return 1;
	}
	return 0;
}

static void
values_free(struct value *vals, size_t n)
{
	size_t i;

	if (vals == NULL)
		return;
	for (i = 0; i < n; i++) {
		if (vals[i].text != NULL) {
			sodium_memzero(vals[i].text, vals[i].text_len);
			free(vals[i].text);
		}
	}
	sodium_memzero(vals, n * sizeof(*vals));
	free(vals);
}

/*
 * Reads and checks every question of f into *vals (free with values_free)
 * and a new check *chk. Returns GH_OK or GH_ERR_NOMEM.
 */
static int
collect_all(const struct def *d, const struct form *f, struct value **vals,
    struct answer_check **chk)
{
	struct answer_check *c;
	size_t i;
	int r;

	*vals = NULL;
	if ((*chk = c = calloc(1, sizeof(*c))) == NULL ||
	    (c->problem = calloc(d->n_questions, sizeof(*c->problem))) ==
	    NULL ||
	    (*vals = calloc(d->n_questions, sizeof(**vals))) == NULL)
		return GH_ERR_NOMEM;
	c->n_questions = d->n_questions;
	c->has_unknown_field = has_unknown_field(d, f);
	for (i = 0; i < d->n_questions; i++)
		if ((r = collect(&d->questions[i], f, &(*vals)[i],
		    &c->problem[i])) != GH_OK)
			return r;
	return apply_conditions(d, *vals, c->problem);
}

int
answer_check_page(const struct def *d, size_t pi, const struct form *f,
    struct answer_check **chk)
{
	struct answer_check *c = NULL;
	struct value *vals = NULL;
	size_t i;
	int r;

	*chk = NULL;
	if ((r = collect_all(d, f, &vals, &c)) != GH_OK)
		goto out;
	for (i = 0; i < d->n_questions; i++) {
		if (d->questions[i].page != pi)
			c->problem[i] = ANSWER_OK;
		c->n_wrong += c->problem[i] != ANSWER_OK;
	}
	r = GH_OK;
	if (c->n_wrong > 0 || c->has_unknown_field) {
		*chk = c;
		c = NULL;
		r = GH_ERR_INVALID;
	}
out:
	values_free(vals, d->n_questions);
	answer_check_free(c);
	return r;
}

int
answer_view(const struct def *d, const struct form *f,
    struct def_answer **out)
{
	struct value *vals = NULL;
	struct def_answer *a = NULL;
	size_t i;
	enum answer_problem p;
	int r = GH_ERR_NOMEM;

	*out = NULL;
	if ((a = calloc(d->n_questions, sizeof(*a))) == NULL ||
	    (vals = calloc(d->n_questions, sizeof(*vals))) == NULL)
		goto out;
	for (i = 0; i < d->n_questions; i++) {
		if ((r = collect(&d->questions[i], f, &vals[i], &p)) != GH_OK)
			goto out;
		if (p == ANSWER_OK)
			a[i] = vals[i].a;
	}
	*out = a;
	a = NULL;
	r = GH_OK;
out:
	answer_view_free(a, d->n_questions);
	values_free(vals, d->n_questions);
	return r;
}

void
answer_view_free(struct def_answer *a, size_t n_questions)
{
	if (a == NULL)
		return;
	sodium_memzero(a, n_questions * sizeof(*a));
	free(a);
}

int
answer_field_is_hidden(const struct def *d, const char *name,
    const struct def_answer *a)
{
	size_t n = sizeof(ANSWER_FIELD_PREFIX) - 1;
	int qi;

	if (strncmp(name, ANSWER_FIELD_PREFIX, n) != 0 ||
	    (qi = def_question_index(d, name + n)) < 0)
		return 0;
	return !def_question_is_shown(d, (size_t)qi, a);
}

/* Adds item (NULL: allocation failed) under the definition's key id. */
static int
add_item(cJSON *obj, const char *id, cJSON *item)
{
	if (item == NULL)
		return GH_ERR_NOMEM;
	if (!cJSON_AddItemToObjectCS(obj, id, item)) {
		cJSON_Delete(item);
		return GH_ERR_NOMEM;
	}
	return GH_OK;
}

/* Returns the JSON value of an answered question; strings are borrowed. */
static cJSON *
value_json(const struct def_question *q, const struct value *v)
{
	cJSON *arr, *s;
	size_t j;

	if (q->type == DEF_TEXT)
		return cJSON_CreateStringReference(v->text);
	if (q->type == DEF_NUMBER && v->a.is_prefer_not)
		return cJSON_CreateStringReference(DEF_PREFER_NOT);
	if (q->type == DEF_NUMBER)
		return cJSON_CreateNumber((double)v->a.number);
	if (q->type != DEF_MULTI) {
		for (j = 0; !(v->a.chosen & (UINT64_C(1) << j)); j++)
			;
		return cJSON_CreateStringReference(q->options[j].id);
	}
	if ((arr = cJSON_CreateArray()) == NULL)
		return NULL;
	for (j = 0; j < q->n_options; j++) {
		if (!(v->a.chosen & (UINT64_C(1) << j)))
			continue;
		if ((s = cJSON_CreateStringReference(q->options[j].id)) ==
		    NULL || !cJSON_AddItemToArray(arr, s)) {
			cJSON_Delete(s);
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

/* Builds {"v":1,"w":ID,["u":UNIT,]"a":{...}} from the checked values. */
static int
build_tree(const struct def *d, int64_t wave_id, const char *unit,
    const struct value *vals, cJSON **out)
{
	cJSON *root, *a;
	char wave[24];
	size_t i;
	int r;

	/* The caller deletes *out, also when this fails half-way. */
	snprintf(wave, sizeof(wave), "%" PRId64, wave_id);
	if ((*out = root = cJSON_CreateObject()) == NULL ||
	    cJSON_AddNumberToObject(root, "v", 1) == NULL ||
	    cJSON_AddRawToObject(root, "w", wave) == NULL)
		return GH_ERR_NOMEM;
	if (d->unit_source == DEF_UNIT_BATCH &&
	    (r = add_item(root, "u", unit != NULL && unit[0] != '\0' ?
	    cJSON_CreateStringReference(unit) : cJSON_CreateNull())) != GH_OK)
		return r;
	if ((a = cJSON_AddObjectToObject(root, "a")) == NULL)
		return GH_ERR_NOMEM;
	/* Hidden questions were refused, so every answer here is shown. */
	for (i = 0; i < d->n_questions; i++) {
		if (!vals[i].a.is_answered)
			continue;
		if ((r = add_item(a, d->questions[i].id,
		    value_json(&d->questions[i], &vals[i]))) != GH_OK)
			return r;
	}
	return GH_OK;
}

/* Prints the tree into a new buffer *buf of bufsz bytes; sets *len. */
static int
print_tree(const struct def *d, const cJSON *root, uint8_t **buf,
    size_t bufsz, size_t *len)
{
	if ((*buf = calloc(1, bufsz)) == NULL)
		return GH_ERR_NOMEM;
	if (!cJSON_PrintPreallocated((cJSON *)root, (char *)*buf, (int)bufsz,
	    0) || (*len = strlen((char *)*buf)) >= d->bucket) {
		/* def_load.c's bound is wrong: a bug, never the
		 * respondent's. */
		log_error("definition %s: encoded answer over its bucket of "
		    "%zu bytes", d->id, d->bucket);
		return GH_ERR_INVALID;
	}
	return GH_OK;
}

int
answer_unit_is_valid(const char *s)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t i = 0, len;
	uint32_t cp;

	if (s == NULL || (len = strlen(s)) == 0 || len > DEF_MAX_UNIT)
		return 0;
	while (i < len)
		if (utf8_next(u, len, &i, &cp) != 0 ||
		    utf8_is_control(cp))
			return 0;
	return 1;
}

int
answer_encode(const struct def *d, int64_t wave_id, const struct form *f,
    struct answer_check **chk, uint8_t **plain, size_t *plain_len)
{
	return answer_encode_unit(d, wave_id, NULL, f, chk, plain, plain_len);
}

int
answer_encode_unit(const struct def *d, int64_t wave_id, const char *unit,
    const struct form *f, struct answer_check **chk, uint8_t **plain,
    size_t *plain_len)
{
	struct answer_check *c = NULL;
	struct value *vals = NULL;
	cJSON *root = NULL;
	uint8_t *buf = NULL;
	size_t i, bufsz = d->bucket + PRINT_SLACK, len = 0;
	int r = GH_ERR_INVALID;

	*chk = NULL;
	*plain = NULL;
	*plain_len = 0;
	if (wave_id < 0 || wave_id > ANSWER_MAX_WAVE_ID) {
		log_error("definition %s: wave id out of range", d->id);
		goto out;
	}
	if (d->unit_source == DEF_UNIT_BATCH && unit != NULL &&
	    unit[0] != '\0' && !answer_unit_is_valid(unit)) {
		log_error("definition %s: the token batch's unit label is not "
		    "1 to %d bytes of UTF-8 without control characters", d->id,
		    DEF_MAX_UNIT);
		goto out;
	}
	if ((r = collect_all(d, f, &vals, &c)) != GH_OK)
		goto out;
	for (i = 0; i < d->n_questions; i++)
		c->n_wrong += c->problem[i] != ANSWER_OK;
	if (c->n_wrong > 0 || c->has_unknown_field) {
		*chk = c;
		c = NULL;
		r = GH_ERR_INVALID;
		goto out;
	}
	if ((r = build_tree(d, wave_id, unit, vals, &root)) != GH_OK ||
	    (r = print_tree(d, root, &buf, bufsz, &len)) != GH_OK)
		goto out;
	*plain = buf;
	*plain_len = len;
	buf = NULL;
	r = GH_OK;
out:
	if (buf != NULL)
		answer_plain_free(buf, bufsz);
	/* The tree borrows every string; numbers it holds are wiped here. */
	survey_json_wipe(root);
	cJSON_Delete(root);
	values_free(vals, d->n_questions);
	answer_check_free(c);
	return r;
}

void
answer_plain_free(uint8_t *plain, size_t len)
{
	if (plain == NULL)
		return;
	sodium_memzero(plain, len);
	free(plain);
}

void
answer_check_free(struct answer_check *chk)
{
	if (chk == NULL)
		return;
	free(chk->problem);
	free(chk);
}
