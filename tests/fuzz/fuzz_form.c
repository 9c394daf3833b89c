/*
 * fuzz_form.c: libFuzzer target for a submitted survey form.
 *
 * The input is a POST body as any client can send it to /s/TOKEN. It goes
 * the server's way: form_parse, then answer_encode against
 * survey-defs/demo.json, then, for an accepted form, answer_decode as the
 * tally would after opening the blob. Checked: every parsed name and value
 * is NUL-terminated with no NUL inside and within the limits; an accepted
 * form encodes to fewer than bucket bytes, which decode back to exactly
 * the options the form chose; a refused form comes with a check that
 * names its problems (GH_ERR_INVALID without one means the encoding
 * outgrew the bucket, a bug in def_load.c's bound).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "survey/form.h"
#include "survey/answer.h"
#define FUZZ_SETUP setup
#include "fuzz.h"

/* The largest wave id answer.c takes: the longest "w" it can write. */
#define WAVE_ID ((INT64_C(1) << 53) - 1)

static struct def *demo;

static void
check_form(const struct form *f, size_t body_len)
{
	size_t i, n;

	FUZZ_CHECK(f->n <= FORM_MAX_FIELDS);
	FUZZ_CHECK(f->n == 0 || f->fields != NULL);
	for (i = 0; i < f->n; i++) {
		FUZZ_CHECK(f->fields[i].name != NULL);
		FUZZ_CHECK(f->fields[i].value != NULL);
		n = strlen(f->fields[i].name);
		FUZZ_CHECK(n >= 1 && n <= FORM_MAX_NAME && n <= body_len);
		FUZZ_CHECK(strlen(f->fields[i].value) ==
		    f->fields[i].value_len);
		FUZZ_CHECK(f->fields[i].value_len <= body_len);
	}
}

/* Returns 1 if field name is "q_" followed by id. */
static int
names_question(const char *name, const char *id)
{
	size_t n = sizeof(ANSWER_FIELD_PREFIX) - 1;

	return strncmp(name, ANSWER_FIELD_PREFIX, n) == 0 &&
	    strcmp(name + n, id) == 0;
}

/*
 * Checks what answer_decode read back against the accepted form: each
 * choice question has the options of its non-empty fields, a text
 * question is answered only if the form had a non-empty field for it.
 */
static void
check_decoded(const struct form *f, const uint64_t *chosen,
    const uint8_t *answered)
{
	const struct def_question *q;
	uint64_t want;
	size_t i, k;
	int j, has_text;

	for (i = 0; i < demo->n_questions; i++) {
		q = &demo->questions[i];
		want = 0;
		has_text = 0;
		for (k = 0; k < f->n; k++) {
			if (!names_question(f->fields[k].name, q->id) ||
			    f->fields[k].value_len == 0)
				continue;
			has_text = 1;
			if (q->type == DEF_TEXT)
				continue;
			j = def_option_index(q, f->fields[k].value);
			FUZZ_CHECK(j >= 0);
			want |= UINT64_C(1) << j;
		}
		FUZZ_CHECK(chosen[i] == want);
		if (q->type != DEF_TEXT)
			FUZZ_CHECK(answered[i] == (want != 0));
		else
			FUZZ_CHECK(!answered[i] || has_text);
		FUZZ_CHECK(answered[i] || !q->is_required);
	}
}

static void
check_refused(const struct answer_check *chk)
{
	size_t i, n_wrong = 0;

	FUZZ_CHECK(chk != NULL);
	FUZZ_CHECK(chk->n_questions == demo->n_questions);
	for (i = 0; i < chk->n_questions; i++) {
		FUZZ_CHECK(chk->problem[i] <= ANSWER_BAD_TEXT);
		n_wrong += chk->problem[i] != ANSWER_OK;
	}
	FUZZ_CHECK(chk->n_wrong == n_wrong);
	FUZZ_CHECK(n_wrong > 0 || chk->has_unknown_field);
}

/* Once, before the first input (fuzz.h's LLVMFuzzerInitialize). */
static void
setup(void)
{
	demo = fuzz_demo_def();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t chosen[DEF_MAX_QUESTIONS];
	uint8_t answered[DEF_MAX_QUESTIONS];
	struct answer_check *chk = NULL;
	struct form *f = NULL;
	uint8_t *plain = NULL;
	size_t plain_len = 0;
	int r;

	r = form_parse((const char *)data, size, &f);
	FUZZ_CHECK(r == GH_OK || r == GH_ERR_INVALID ||
	    r == GH_ERR_TOO_LARGE || r == GH_ERR_NOMEM);
	if (r != GH_OK) {
		FUZZ_CHECK(f == NULL);
		return 0;
	}
	check_form(f, size);

	r = answer_encode(demo, WAVE_ID, f, &chk, &plain, &plain_len);
	if (r == GH_OK) {
		FUZZ_CHECK(chk == NULL && plain != NULL);
		FUZZ_CHECK(plain_len > 0 && plain_len < demo->bucket);
		FUZZ_CHECK(memchr(plain, '\0', plain_len) == NULL);
		FUZZ_CHECK(answer_decode(demo, WAVE_ID, plain, plain_len,
		    chosen, answered) == GH_OK);
		check_decoded(f, chosen, answered);
	} else if (r == GH_ERR_INVALID) {
		FUZZ_CHECK(plain == NULL);
		check_refused(chk);
	} else
		FUZZ_CHECK(r == GH_ERR_NOMEM);

	answer_plain_free(plain, plain_len);
	answer_check_free(chk);
	form_free(f);
	return 0;
}
