/*
 * fuzz_answer_decode.c: libFuzzer target for an opened answer plaintext.
 *
 * The tally opens each sealed blob and hands the plaintext to
 * answer_decode, which must check it completely before any count uses it
 * (a blob is only as trustworthy as whoever could write to the database).
 * The input is that plaintext, against survey-defs/demo.json and wave 7.
 * Checked: an accepted plaintext gives counts that the definition allows
 * (one option for single and Likert, at least one for multi, none for
 * text, every required question answered), and those choices encoded
 * again with answer_encode decode to the very same counts.
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

#define WAVE_ID 7

static struct def *demo;

static void
check_counts(const uint64_t *chosen, const uint8_t *answered)
{
	const struct def_question *q;
	size_t i;

	for (i = 0; i < demo->n_questions; i++) {
		q = &demo->questions[i];
		FUZZ_CHECK(answered[i] == 0 || answered[i] == 1);
		FUZZ_CHECK(answered[i] || !q->is_required);
		if (!answered[i] || q->type == DEF_TEXT) {
			FUZZ_CHECK(chosen[i] == 0);
			continue;
		}
		FUZZ_CHECK(q->n_options == 64 ||
		    chosen[i] >> q->n_options == 0);
		if (q->type == DEF_MULTI)
			FUZZ_CHECK(chosen[i] != 0);
		else
			FUZZ_CHECK(chosen[i] != 0 &&
			    (chosen[i] & (chosen[i] - 1)) == 0);
	}
}

/* Adds the field q_ID=value (both borrowed) to f. */
static void
add_field(struct form *f, char *name, char *value)
{
	f->fields[f->n].name = name;
	f->fields[f->n].value = value;
	f->fields[f->n].value_len = strlen(value);
	f->n++;
}

/* Encodes the decoded choices again and checks they decode the same. */
static void
check_reencode(const uint64_t *chosen, const uint8_t *answered)
{
	static char text[] = "x";
	size_t i, j, n = demo->n_questions, plain_len = 0;
	uint64_t chosen2[DEF_MAX_QUESTIONS];
	uint8_t answered2[DEF_MAX_QUESTIONS];
	struct answer_check *chk = NULL;
	const struct def_question *q;
	struct form f = { NULL, 0 };
	char (*names)[DEF_MAX_ID + 3];
	uint8_t *plain = NULL;

	f.fields = calloc(n * DEF_MAX_OPTIONS, sizeof(*f.fields));
	names = calloc(n, sizeof(*names));
	FUZZ_CHECK(f.fields != NULL && names != NULL);
	for (i = 0; i < n; i++) {
		q = &demo->questions[i];
		snprintf(names[i], sizeof(names[i]), "%s%s",
		    ANSWER_FIELD_PREFIX, q->id);
		if (answered[i] && q->type == DEF_TEXT)
			add_field(&f, names[i], text);
		for (j = 0; j < q->n_options; j++)
			if (chosen[i] & (UINT64_C(1) << j))
				add_field(&f, names[i], q->options[j].id);
	}
	FUZZ_CHECK(answer_encode(demo, WAVE_ID, &f, &chk, &plain,
	    &plain_len) == GH_OK);
	FUZZ_CHECK(answer_decode(demo, WAVE_ID, plain, plain_len, chosen2,
	    answered2) == GH_OK);
	FUZZ_CHECK(memcmp(chosen, chosen2, n * sizeof(*chosen)) == 0);
	FUZZ_CHECK(memcmp(answered, answered2, n) == 0);
	answer_plain_free(plain, plain_len);
	free(names);
	free(f.fields);
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
	int r;

	r = answer_decode(demo, WAVE_ID, data, size, chosen, answered);
	FUZZ_CHECK(r == GH_OK || r == GH_ERR_INVALID);
	if (r != GH_OK)
		return 0;
	check_counts(chosen, answered);
	check_reencode(chosen, answered);
	return 0;
}
