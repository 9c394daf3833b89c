/*
 * answer.c: a submitted form to the plaintext of one answer, and that
 * plaintext back to choices after the tally opened it (answer.h).
 *
 * Entry points, in the order data flows: answer_encode checks every
 * question of the definition against the form (collect), and only if all
 * is well builds a cJSON tree in definition order and prints it into a
 * buffer of its own, so cJSON never holds a reallocated copy; the
 * submitted text lives in one cleaned copy, wiped at out:. answer_decode
 * checks an opened plaintext completely (keys, wave, every value) before
 * it fills any result, and wipes cJSON's copies of it.
 *
 * Answers are never logged: messages name the JSON path, not the value.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "survey/answer.h"
#include "survey/text.h"
#include "util/log.h"

/*
 * Wave ids are written as JSON numbers, which a reader holds as a double:
 * beyond 2^53 - 1 two ids would read back the same.
 */
#define ANSWER_MAX_WAVE_ID	((INT64_C(1) << 53) - 1)

/* cJSON's estimate of what it prints runs a few bytes high. */
#define PRINT_SLACK		64

/* One question's answer while a form is checked. */
struct value {
	int		 is_answered;
	uint64_t	 chosen;	/* bit j: option j */
	char		*text;		/* DEF_TEXT: cleaned copy, wiped */
	size_t		 text_len;
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

/*
 * Checks a submitted text: UTF-8, no control character but tab and
 * newline once CRs are dropped, at most max code points. Returns the
 * problem; *is_blank is set if it holds nothing but white space.
 */
static enum answer_problem
check_text(const char *s, size_t len, size_t max, int is_form,
    int *is_blank)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t i = 0, n = 0;
	uint32_t cp;

	*is_blank = 1;
	while (i < len) {
		if (survey_utf8_next(u, len, &i, &cp) != 0)
			return ANSWER_BAD_TEXT;
		if (cp == '\r' && is_form)
			continue;	/* browsers send CRLF */
		if (survey_is_control(cp) && cp != '\n' && cp != '\t')
			return ANSWER_BAD_TEXT;
		if (!survey_is_space(cp))
			*is_blank = 0;
		n++;
	}
	return n > max ? ANSWER_TOO_LONG : ANSWER_OK;
}

static enum answer_problem
collect_one(const struct def_question *q, const struct form_field *fld,
    size_t n_fields, struct value *v)
{
	int j;

	if (n_fields == 0)
		return ANSWER_OK;
	if (n_fields > 1)
		return ANSWER_TOO_MANY;
	if (fld->value_len == 0)
		return ANSWER_OK;
	if ((j = def_option_index(q, fld->value)) < 0)
		return ANSWER_BAD_OPTION;
	v->chosen = UINT64_C(1) << j;
	v->is_answered = 1;
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
		    (v->chosen & (UINT64_C(1) << j)))
			return ANSWER_BAD_OPTION;
		v->chosen |= UINT64_C(1) << j;
	}
	v->is_answered = v->chosen != 0;
	return ANSWER_OK;
}

/* Checks the text of q and keeps a copy without CRs in v. */
static int
collect_text(const struct def_question *q, const struct form_field *fld,
    size_t n_fields, struct value *v, enum answer_problem *p)
{
	size_t i;
	int is_blank;

	*p = ANSWER_OK;
	if (n_fields == 0)
		return GH_OK;
	if (n_fields > 1) {
		*p = ANSWER_TOO_MANY;
		return GH_OK;
	}
	*p = check_text(fld->value, fld->value_len, q->max_length, 1,
	    &is_blank);
	if (*p != ANSWER_OK || is_blank)
		return GH_OK;
	if ((v->text = malloc(fld->value_len + 1)) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < fld->value_len; i++)
		if (fld->value[i] != '\r')
			v->text[v->text_len++] = fld->value[i];
	v->text[v->text_len] = '\0';
	v->is_answered = 1;
	return GH_OK;
}

/* Checks the form's values for question q into v and *p. */
static int
collect(const struct def_question *q, const struct form *f, struct value *v,
    enum answer_problem *p)
{
	const struct form_field *first = NULL;
	size_t i, n = 0;
	int r = GH_OK;

	for (i = 0; i < f->n; i++) {
		if (is_field_of(f->fields[i].name, q->id)) {
			if (first == NULL)
				first = &f->fields[i];
			n++;
		}
	}
	switch (q->type) {
	case DEF_SINGLE:
	case DEF_LIKERT:
		*p = collect_one(q, first, n, v);
		break;
	case DEF_MULTI:
		*p = collect_multi(q, f, v);
		break;
	case DEF_TEXT:
		r = collect_text(q, first, n, v, p);
		break;
	}
	if (r == GH_OK && *p == ANSWER_OK && !v->is_answered && q->is_required)
		*p = ANSWER_MISSING;
	return r;
}

/* Returns 1 if a field looks like an answer but names no question of d. */
static int
has_unknown_field(const struct def *d, const struct form *f)
{
	size_t i, n = sizeof(ANSWER_FIELD_PREFIX) - 1;

	for (i = 0; i < f->n; i++)
		if (strncmp(f->fields[i].name, ANSWER_FIELD_PREFIX, n) == 0 &&
		    def_question_index(d, f->fields[i].name + n) < 0)
			return 1;
	return 0;
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
	if (q->type != DEF_MULTI) {
		for (j = 0; !(v->chosen & (UINT64_C(1) << j)); j++)
			;
		return cJSON_CreateStringReference(q->options[j].id);
	}
	if ((arr = cJSON_CreateArray()) == NULL)
		return NULL;
	for (j = 0; j < q->n_options; j++) {
		if (!(v->chosen & (UINT64_C(1) << j)))
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

/* Builds {"v":1,"w":ID,"a":{...}} from the checked values. */
static int
build_tree(const struct def *d, int64_t wave_id, const struct value *vals,
    cJSON **out)
{
	cJSON *root, *a;
	char wave[24];
	size_t i;
	int r;

	/* The caller deletes *out, also when this fails half-way. */
	snprintf(wave, sizeof(wave), "%" PRId64, wave_id);
	if ((*out = root = cJSON_CreateObject()) == NULL ||
	    cJSON_AddNumberToObject(root, "v", 1) == NULL ||
	    cJSON_AddRawToObject(root, "w", wave) == NULL ||
	    (a = cJSON_AddObjectToObject(root, "a")) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < d->n_questions; i++) {
		if (!vals[i].is_answered)
			continue;
		if ((r = add_item(a, d->questions[i].id,
		    value_json(&d->questions[i], &vals[i]))) != GH_OK)
			return r;
	}
	return GH_OK;
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
	free(vals);
}

int
answer_encode(const struct def *d, int64_t wave_id, const struct form *f,
    struct answer_check **chk, uint8_t **plain, size_t *plain_len)
{
	struct answer_check *c = NULL;
	struct value *vals = NULL;
	cJSON *root = NULL;
	uint8_t *buf = NULL;
	size_t i, bufsz = d->bucket + PRINT_SLACK, len;
	int r = GH_ERR_NOMEM;

	*chk = NULL;
	*plain = NULL;
	*plain_len = 0;
	if (wave_id < 0 || wave_id > ANSWER_MAX_WAVE_ID) {
		log_error("definition %s: wave id out of range", d->id);
		r = GH_ERR_INVALID;
		goto out;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->problem = calloc(d->n_questions, sizeof(*c->problem))) ==
	    NULL ||
	    (vals = calloc(d->n_questions, sizeof(*vals))) == NULL)
		goto out;
	c->n_questions = d->n_questions;
	c->has_unknown_field = has_unknown_field(d, f);
	for (i = 0; i < d->n_questions; i++) {
		if ((r = collect(&d->questions[i], f, &vals[i],
		    &c->problem[i])) != GH_OK)
			goto out;
		c->n_wrong += c->problem[i] != ANSWER_OK;
	}
	if (c->n_wrong > 0 || c->has_unknown_field) {
		*chk = c;
		c = NULL;
		r = GH_ERR_INVALID;
		goto out;
	}
	if ((r = build_tree(d, wave_id, vals, &root)) != GH_OK)
		goto out;
	r = GH_ERR_NOMEM;
	if ((buf = calloc(1, bufsz)) == NULL)
		goto out;
	r = GH_ERR_INVALID;
	if (!cJSON_PrintPreallocated(root, (char *)buf, (int)bufsz, 0) ||
	    (len = strlen((char *)buf)) >= d->bucket) {
		/* def.c's bound is wrong: a bug, never the respondent's. */
		log_error("definition %s: encoded answer over its bucket of "
		    "%zu bytes", d->id, d->bucket);
		goto out;
	}
	*plain = buf;
	*plain_len = len;
	buf = NULL;
	r = GH_OK;
out:
	if (buf != NULL)
		answer_plain_free(buf, bufsz);
	/* The tree borrows every string, so values_free wipes the text. */
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

/* Reads one option id at path into *chosen; refuses one chosen already. */
static int
decode_option(const struct def_question *q, const cJSON *v, uint64_t *chosen)
{
	int j;

	if (!cJSON_IsString(v) ||
	    (j = def_option_index(q, v->valuestring)) < 0 ||
	    (*chosen & (UINT64_C(1) << j)))
		return GH_ERR_INVALID;
	*chosen |= UINT64_C(1) << j;
	return GH_OK;
}

/* Checks the value of question q; sets *chosen. Returns a problem text. */
static const char *
decode_value(const struct def_question *q, const cJSON *v, uint64_t *chosen)
{
	const cJSON *it;
	int is_blank;

	*chosen = 0;
	switch (q->type) {
	case DEF_SINGLE:
	case DEF_LIKERT:
		if (decode_option(q, v, chosen) != GH_OK)
			return "not an option";
		return NULL;
	case DEF_MULTI:
		if (!cJSON_IsArray(v) || v->child == NULL)
			return "not a list of options";
		for (it = v->child; it != NULL; it = it->next)
			if (decode_option(q, it, chosen) != GH_OK)
				return "not an option, or twice";
		return NULL;
	case DEF_TEXT:
		if (!cJSON_IsString(v) ||
		    check_text(v->valuestring, strlen(v->valuestring),
		    q->max_length, 0, &is_blank) != ANSWER_OK || is_blank)
			return "not a valid text";
		return NULL;
	}
	return "unknown question type";
}

/* Checks the "a" object and fills chosen and answered. */
static int
decode_answers(const struct def *d, const cJSON *a, uint64_t *chosen,
    uint8_t *answered)
{
	const cJSON *it;
	const char *problem;
	size_t i;
	int qi;

	if (!cJSON_IsObject(a)) {
		log_error("answer: $.a: not an object");
		return GH_ERR_INVALID;
	}
	for (it = a->child; it != NULL; it = it->next) {
		/* The key is the plaintext's: never put it in a message. */
		if ((qi = def_question_index(d, it->string)) < 0) {
			log_error("answer: $.a: unknown question");
			return GH_ERR_INVALID;
		}
		if (answered[qi]) {
			log_error("answer: $.a.%s: twice", d->questions[qi].id);
			return GH_ERR_INVALID;
		}
		if ((problem = decode_value(&d->questions[qi], it,
		    &chosen[qi])) != NULL) {
			log_error("answer: $.a.%s: %s", d->questions[qi].id,
			    problem);
			return GH_ERR_INVALID;
		}
		answered[qi] = 1;
	}
	for (i = 0; i < d->n_questions; i++) {
		if (d->questions[i].is_required && !answered[i]) {
			log_error("answer: $.a.%s: required and missing",
			    d->questions[i].id);
			return GH_ERR_INVALID;
		}
	}
	return GH_OK;
}

/* Checks that the root has exactly v == 1, w == wave_id and a; sets *a. */
static int
decode_root(const cJSON *root, int64_t wave_id, const cJSON **a)
{
	const cJSON *it, *v = NULL, *w = NULL;

	*a = NULL;
	if (!cJSON_IsObject(root)) {
		log_error("answer: $: not an object");
		return GH_ERR_INVALID;
	}
	for (it = root->child; it != NULL; it = it->next) {
		if (strcmp(it->string, "v") == 0 && v == NULL)
			v = it;
		else if (strcmp(it->string, "w") == 0 && w == NULL)
			w = it;
		else if (strcmp(it->string, "a") == 0 && *a == NULL)
			*a = it;
		else {
			log_error("answer: $: unknown or repeated key");
			return GH_ERR_INVALID;
		}
	}
	if (v == NULL || !cJSON_IsNumber(v) || v->valuedouble != 1) {
		log_error("answer: $.v: not version 1");
		return GH_ERR_INVALID;
	}
	if (w == NULL || !cJSON_IsNumber(w) || wave_id < 0 ||
	    wave_id > ANSWER_MAX_WAVE_ID || w->valuedouble != (double)wave_id) {
		log_error("answer: $.w: not this wave");
		return GH_ERR_INVALID;
	}
	if (*a == NULL) {
		log_error("answer: $.a: missing");
		return GH_ERR_INVALID;
	}
	return GH_OK;
}

int
answer_decode(const struct def *d, int64_t wave_id, const uint8_t *plain,
    size_t len, uint64_t *chosen, uint8_t *answered)
{
	const char *text = (const char *)plain, *end = NULL;
	const cJSON *a;
	cJSON *root = NULL;
	size_t pos;
	int r = GH_ERR_INVALID;

	memset(chosen, 0, d->n_questions * sizeof(*chosen));
	memset(answered, 0, d->n_questions * sizeof(*answered));
	/* cJSON would cut a string short at a NUL, raw or escaped. */
	if (len == 0 || memchr(plain, '\0', len) != NULL) {
		log_error("answer: $: empty or holds a NUL byte");
		goto out;
	}
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (root == NULL || end != text + len) {
		log_error("answer: $: not JSON");
		goto out;
	}
	if (survey_json_has_nul(text, len, &pos)) {
		log_error("answer: $: holds \\u0000");
		goto out;
	}
	if ((r = decode_root(root, wave_id, &a)) != GH_OK ||
	    (r = decode_answers(d, a, chosen, answered)) != GH_OK)
		goto out;
	r = GH_OK;
out:
	if (r != GH_OK) {
		memset(chosen, 0, d->n_questions * sizeof(*chosen));
		memset(answered, 0, d->n_questions * sizeof(*answered));
	}
	survey_json_wipe(root);
	cJSON_Delete(root);
	return r;
}
