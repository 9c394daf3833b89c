/*
 * answer_decode.c: an opened plaintext back to answers, after the tally
 * opened it (answer.h); answer.c makes it.
 *
 * Entry points: answer_decode_answers checks the plaintext completely
 * (decode_root: keys, version, wave, unit; decode_answers: every value against
 * its question, then conditions and required questions) before it fills
 * any result, and wipes cJSON's copies of it. answer_decode is the same,
 * returned as the older pair of arrays. A plaintext that answer_encode
 * could not have made is refused whole.
 *
 * Answers are never logged: messages name the JSON path, not the value.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "survey/answer_int.h"
#include "survey/text.h"
#include "util/log.h"

/* Reads one option id at path into *chosen; refuses one chosen already. */
static int
decode_option(const struct def_question *q, const cJSON *v,
    struct def_answer *a)
{
	int j;

	if (!cJSON_IsString(v) ||
	    (j = def_option_index(q, v->valuestring)) < 0 ||
	    (a->chosen & (UINT64_C(1) << j)))
		return GH_ERR_INVALID;
	a->chosen |= UINT64_C(1) << j;
	a->is_prefer_not |= q->options[j].is_prefer_not;
	return GH_OK;
}

/* A number: an integer in [min, max], or prefer-not if q allows it. */
static const char *
decode_number(const struct def_question *q, const cJSON *v,
    struct def_answer *a)
{
	if (cJSON_IsString(v) && q->has_prefer_not &&
	    strcmp(v->valuestring, DEF_PREFER_NOT) == 0) {
		a->is_prefer_not = 1;
		return NULL;
	}
	/* Range first: only then is the cast defined. */
	if (!cJSON_IsNumber(v) || v->valuedouble < (double)q->min ||
	    v->valuedouble > (double)q->max ||
	    v->valuedouble != (double)(long long)v->valuedouble)
		return "not a number in range";
	a->number = (long long)v->valuedouble;
	return NULL;
}

/* Checks the value of question q into a. Returns a problem text or NULL. */
static const char *
decode_value(const struct def_question *q, const cJSON *v,
    struct def_answer *a)
{
	const cJSON *it;
	int is_blank;

	memset(a, 0, sizeof(*a));
	a->is_answered = 1;
	switch (q->type) {
	case DEF_SINGLE:
	case DEF_LIKERT:
		if (decode_option(q, v, a) != GH_OK)
			return "not an option";
		return NULL;
	case DEF_MULTI:
		if (!cJSON_IsArray(v) || v->child == NULL)
			return "not a list of options";
		for (it = v->child; it != NULL; it = it->next)
			if (decode_option(q, it, a) != GH_OK)
				return "not an option, or twice";
		if (answer_exclusive_check(q, a->chosen) != ANSWER_OK)
			return "an exclusive option with others";
		return NULL;
	case DEF_NUMBER:
		return decode_number(q, v, a);
	case DEF_TEXT:
		if (!cJSON_IsString(v) ||
		    answer_text_check(v->valuestring, strlen(v->valuestring),
		    q->max_length, 0, &is_blank) != ANSWER_OK || is_blank)
			return "not a valid text";
		return NULL;
	case DEF_MATRIX:
		break;
	}
	return "not a question to answer";
}

/* Refuses answers to hidden questions and missing required ones. */
static int
decode_shown(const struct def *d, const struct def_answer *a)
{
	uint8_t shown[DEF_MAX_QUESTIONS];
	size_t i;

	def_shown(d, a, shown, NULL);
	for (i = 0; i < d->n_questions; i++) {
		if (a[i].is_answered && !shown[i]) {
			log_error("answer: $.a.%s: answered but not shown",
			    d->questions[i].id);
			return GH_ERR_INVALID;
		}
		if (shown[i] && !a[i].is_answered &&
		    d->questions[i].is_required &&
		    d->questions[i].type != DEF_MATRIX) {
			log_error("answer: $.a.%s: required and missing",
			    d->questions[i].id);
			return GH_ERR_INVALID;
		}
	}
	return GH_OK;
}

/* Checks the "a" object and fills a[]. */
static int
decode_answers(const struct def *d, const cJSON *obj, struct def_answer *a)
{
	const cJSON *it;
	const char *problem;
	int qi;

	if (!cJSON_IsObject(obj)) {
		log_error("answer: $.a: not an object");
		return GH_ERR_INVALID;
	}
	for (it = obj->child; it != NULL; it = it->next) {
		/* The key is the plaintext's: never put it in a message. */
		if ((qi = def_question_index(d, it->string)) < 0) {
			log_error("answer: $.a: unknown question");
			return GH_ERR_INVALID;
		}
		if (a[qi].is_answered) {
			log_error("answer: $.a.%s: twice", d->questions[qi].id);
			return GH_ERR_INVALID;
		}
		if ((problem = decode_value(&d->questions[qi], it, &a[qi])) !=
		    NULL) {
			log_error("answer: $.a.%s: %s", d->questions[qi].id,
			    problem);
			return GH_ERR_INVALID;
		}
	}
	return decode_shown(d, a);
}

/*
 * Checks "u" against d: present exactly with unit source batch, a valid
 * label or null. Copies the label (or "") into unit, if not NULL.
 */
static int
decode_unit(const struct def *d, const cJSON *u, char *unit, size_t unitsz)
{
	size_t n;

	if (d->unit_source != DEF_UNIT_BATCH) {
		if (u != NULL) {
			log_error("answer: $.u: the definition has no unit "
			    "source batch");
			return GH_ERR_INVALID;
		}
		return GH_OK;
	}
	if (u == NULL) {
		log_error("answer: $.u: missing");
		return GH_ERR_INVALID;
	}
	if (cJSON_IsNull(u))
		return GH_OK;
	if (!cJSON_IsString(u) || !answer_unit_is_valid(u->valuestring)) {
		log_error("answer: $.u: not null or a unit label of 1 to %d "
		    "bytes of UTF-8", DEF_MAX_UNIT);
		return GH_ERR_INVALID;
	}
	if (unit != NULL) {
		if ((n = strlen(u->valuestring)) >= unitsz)
			return GH_ERR_INVALID;
		memcpy(unit, u->valuestring, n + 1);
	}
	return GH_OK;
}

/*
 * Checks that the root has exactly v == 1, w == wave_id, a, and u as
 * decode_unit wants it; sets *a.
 */
static int
decode_root(const struct def *d, const cJSON *root, int64_t wave_id,
    const cJSON **a, char *unit, size_t unitsz)
{
	const cJSON *it, *v = NULL, *w = NULL, *u = NULL;

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
		else if (strcmp(it->string, "u") == 0 && u == NULL)
			u = it;
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
	return decode_unit(d, u, unit, unitsz);
}

int
answer_decode_answers(const struct def *d, int64_t wave_id,
    const uint8_t *plain, size_t len, struct def_answer *a)
{
	return answer_decode_unit(d, wave_id, plain, len, a, NULL, 0);
}

int
answer_decode_unit(const struct def *d, int64_t wave_id,
    const uint8_t *plain, size_t len, struct def_answer *a, char *unit,
    size_t unitsz)
{
	const char *text = (const char *)plain, *end = NULL;
	const cJSON *obj;
	cJSON *root = NULL;
	size_t pos;
	int r = GH_ERR_INVALID;

	memset(a, 0, d->n_questions * sizeof(*a));
	if (unit != NULL && unitsz > 0)
		unit[0] = '\0';
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
	if ((r = decode_root(d, root, wave_id, &obj, unit, unitsz)) != GH_OK ||
	    (r = decode_answers(d, obj, a)) != GH_OK)
		goto out;
	r = GH_OK;
out:
	if (r != GH_OK) {
		sodium_memzero(a, d->n_questions * sizeof(*a));
		if (unit != NULL && unitsz > 0)
			sodium_memzero(unit, unitsz);
	}
	survey_json_wipe(root);
	cJSON_Delete(root);
	return r;
}

int
answer_decode(const struct def *d, int64_t wave_id, const uint8_t *plain,
    size_t len, uint64_t *chosen, uint8_t *answered)
{
	struct def_answer a[DEF_MAX_QUESTIONS];
	size_t i;
	int r;

	r = answer_decode_answers(d, wave_id, plain, len, a);
	for (i = 0; i < d->n_questions; i++) {
		chosen[i] = r == GH_OK ? a[i].chosen : 0;
		answered[i] = (uint8_t)(r == GH_OK && a[i].is_answered);
	}
	sodium_memzero(a, sizeof(a));
	return r;
}
