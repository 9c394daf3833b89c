/*
 * fuzz_def.c: libFuzzer target for survey definitions.
 *
 * A definition comes from the operator's file (wave create) and back from
 * the database (serve, tally), so def_parse must refuse any bytes cleanly.
 * The input is the JSON text. Checked: a refusal writes one printable line
 * "fuzz.json: ..." (file bytes are quoted, never copied raw into it); an
 * accepted definition keeps every limit of def.h; and its bucket holds
 * the longest answer it allows: the longest option of every single and
 * Likert question (matrix items included), every option of every multi
 * question (all but the exclusive ones, if any), the longest number, and
 * max_length four-byte characters in every text question must encode
 * (answer_encode) and decode back (answer_decode), with every condition
 * lifted so that every question is shown.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "seal.h"
#include "survey/form.h"
#include "survey/answer.h"
#include "survey/def.h"
#include "fuzz.h"

#define NAME	"fuzz.json"
/* The largest wave id answer.c takes: the longest "w" it can write. */
#define WAVE_ID	((INT64_C(1) << 53) - 1)
#define WIDE	"\xf4\x8f\xbf\xbf"	/* U+10FFFF: four bytes */

/* Returns 1 if s matches [a-z0-9_-]{1,DEF_MAX_ID}. */
static int
is_id(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-");

	return s[n] == '\0' && n >= 1 && n <= DEF_MAX_ID;
}

static void
check_text(const struct def_text *t)
{
	FUZZ_CHECK(t->s[DEF_NL] != NULL && t->s[DEF_EN] != NULL);
}

static void
check_question(const struct def *d, size_t i)
{
	const struct def_question *q = &d->questions[i];
	size_t j;

	FUZZ_CHECK(q->id != NULL && is_id(q->id));
	FUZZ_CHECK(def_question_index(d, q->id) == (int)i);
	check_text(&q->label);
	check_text(&q->help);
	FUZZ_CHECK(q->label.s[DEF_NL][0] != '\0');
	FUZZ_CHECK(q->page < d->n_pages);
	if (q->type == DEF_TEXT || q->type == DEF_NUMBER) {
		FUZZ_CHECK(q->options == NULL && q->n_options == 0);
		FUZZ_CHECK(q->type == DEF_NUMBER || (q->max_length >= 1 &&
		    q->max_length <= DEF_MAX_TEXT_CAP));
		FUZZ_CHECK(q->type == DEF_TEXT || (q->min <= q->max &&
		    q->min >= -DEF_MAX_NUMBER && q->max <= DEF_MAX_NUMBER));
		return;
	}
	FUZZ_CHECK(q->type == DEF_SINGLE || q->type == DEF_MULTI ||
	    q->type == DEF_LIKERT || q->type == DEF_MATRIX);
	FUZZ_CHECK(q->type != DEF_MATRIX || (q->first_item == i + 1 &&
	    q->n_items >= 2 && i + q->n_items < d->n_questions));
	FUZZ_CHECK(q->matrix < (int)i);
	FUZZ_CHECK(q->n_options >= 2 && q->n_options <= DEF_MAX_OPTIONS);
	for (j = 0; j < q->n_options; j++) {
		FUZZ_CHECK(q->options[j].id != NULL && is_id(q->options[j].id));
		FUZZ_CHECK(def_option_index(q, q->options[j].id) == (int)j);
		check_text(&q->options[j].label);
	}
}

static void
check_def(const struct def *d)
{
	size_t i;

	FUZZ_CHECK(d->id != NULL && is_id(d->id));
	check_text(&d->title);
	check_text(&d->intro);
	FUZZ_CHECK(d->n_questions >= 1 && d->n_questions <= DEF_MAX_QUESTIONS);
	FUZZ_CHECK(d->bucket > 0 && d->bucket <= SEAL_BUCKET_MAX);
	FUZZ_CHECK(d->n_pages >= 1 && d->n_pages <= DEF_MAX_PAGES);
	FUZZ_CHECK(d->pages[0].first == 0 && d->pages[d->n_pages - 1].first +
	    d->pages[d->n_pages - 1].n == d->n_questions);
	for (i = 0; i < d->n_questions; i++)
		check_question(d, i);
}

/* Adds the field q_ID=value (value is borrowed) to f. */
static void
add_field(struct form *f, size_t cap, const char *id, char *value,
    size_t value_len)
{
	char *name;

	FUZZ_CHECK(f->n < cap);
	name = malloc(strlen(id) + 3);
	FUZZ_CHECK(name != NULL);
	memcpy(name, ANSWER_FIELD_PREFIX, 2);
	strcpy(name + 2, id);
	f->fields[f->n].name = name;
	f->fields[f->n].value = value;
	f->fields[f->n].value_len = value_len;
	f->n++;
}

/* Adds the longest answer to number question q (buf: 24 bytes). */
static void
add_number(struct form *f, size_t cap, const struct def_question *q,
    char *buf)
{
	/* "_prefer_not" encodes with quotes: 13 bytes, more than 11 digits. */
	if (q->has_prefer_not) {
		add_field(f, cap, q->id, (char *)DEF_PREFER_NOT,
		    strlen(DEF_PREFER_NOT));
		return;
	}
	snprintf(buf, 24, "%lld", q->min < 0 && -q->min > q->max ? q->min :
	    q->max);
	add_field(f, cap, q->id, buf, strlen(buf));
}

/* Adds every option of multi q, or its longest one if any is exclusive. */
static void
add_multi(struct form *f, size_t cap, const struct def_question *q)
{
	size_t j, longest = 0, n_excl = 0;

	for (j = 0; j < q->n_options; j++) {
		n_excl += q->options[j].is_exclusive != 0;
		if (strlen(q->options[j].id) > strlen(q->options[longest].id))
			longest = j;
	}
	for (j = 0; j < q->n_options; j++)
		if (n_excl == q->n_options ? j == longest :
		    !q->options[j].is_exclusive)
			add_field(f, cap, q->id, q->options[j].id,
			    strlen(q->options[j].id));
}

/* Fills f with the longest answer d allows; text values point into wide. */
static void
build_longest(const struct def *d, struct form *f, size_t cap, char *wide,
    char (*nums)[24])
{
	const struct def_question *q;
	size_t i, j, longest;

	for (i = 0; i < d->n_questions; i++) {
		q = &d->questions[i];
		if (q->type == DEF_TEXT) {
			add_field(f, cap, q->id, wide + (DEF_MAX_TEXT_CAP -
			    q->max_length) * 4, q->max_length * 4);
			continue;
		}
		if (q->type == DEF_NUMBER) {
			add_number(f, cap, q, nums[i]);
			continue;
		}
		if (q->type == DEF_MULTI) {
			add_multi(f, cap, q);
			continue;
		}
		if (q->type == DEF_MATRIX)
			continue;	/* answered through its items */
		for (j = 0, longest = 0; j < q->n_options; j++)
			if (strlen(q->options[j].id) >
			    strlen(q->options[longest].id))
				longest = j;
		add_field(f, cap, q->id, q->options[longest].id,
		    strlen(q->options[longest].id));
	}
}

/* Lifts (saved non-NULL) or puts back every condition of d. */
static void
swap_conds(struct def *d, const struct def_cond **saved)
{
	const struct def_cond *c;
	size_t i;

	for (i = 0; i < d->n_questions; i++) {
		c = d->questions[i].show_if;
		d->questions[i].show_if = saved[i];
		saved[i] = c;
	}
	for (i = 0; i < d->n_pages; i++) {
		c = d->pages[i].show_if;
		d->pages[i].show_if = saved[DEF_MAX_QUESTIONS + i];
		saved[DEF_MAX_QUESTIONS + i] = c;
	}
}

static void
check_longest_fits(struct def *d)
{
	static const struct def_cond *saved[DEF_MAX_QUESTIONS + DEF_MAX_PAGES];
	static char nums[DEF_MAX_QUESTIONS][24];
	struct answer_check *chk = NULL;
	struct form f = { NULL, 0 };
	uint8_t *plain = NULL, *answered;
	uint64_t *chosen;
	size_t i, cap = d->n_questions * DEF_MAX_OPTIONS, plain_len = 0;
	char *wide;
	int r;

	/* max_length copies of WIDE end at the end of one shared buffer. */
	wide = malloc(DEF_MAX_TEXT_CAP * 4 + 1);
	f.fields = calloc(cap, sizeof(*f.fields));
	chosen = calloc(d->n_questions, sizeof(*chosen));
	answered = calloc(d->n_questions, sizeof(*answered));
	FUZZ_CHECK(wide != NULL && f.fields != NULL && chosen != NULL &&
	    answered != NULL);
	for (i = 0; i < DEF_MAX_TEXT_CAP; i++)
		memcpy(wide + i * 4, WIDE, 4);
	wide[DEF_MAX_TEXT_CAP * 4] = '\0';
	build_longest(d, &f, cap, wide, nums);
	memset(saved, 0, sizeof(saved));
	swap_conds(d, saved);

	r = answer_encode(d, WAVE_ID, &f, &chk, &plain, &plain_len);
	FUZZ_CHECK(r == GH_OK);
	FUZZ_CHECK(plain_len < d->bucket);
	FUZZ_CHECK(answer_decode(d, WAVE_ID, plain, plain_len, chosen,
	    answered) == GH_OK);
	for (i = 0; i < d->n_questions; i++)
		FUZZ_CHECK(answered[i] || d->questions[i].type == DEF_MATRIX);
	swap_conds(d, saved);

	answer_plain_free(plain, plain_len);
	answer_check_free(chk);
	for (i = 0; i < f.n; i++)
		free(f.fields[i].name);
	free(f.fields);
	free(wide);
	free(chosen);
	free(answered);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct def *d = NULL;
	char err[512];
	size_t i;
	int r;

	r = def_parse((const char *)data, size, NAME, &d, err, sizeof(err));
	if (r != GH_OK) {
		FUZZ_CHECK(r == GH_ERR_INVALID || r == GH_ERR_NOMEM);
		FUZZ_CHECK(d == NULL);
		FUZZ_CHECK(strncmp(err, NAME ": ", sizeof(NAME ": ") - 1) == 0);
		for (i = 0; err[i] != '\0'; i++)
			FUZZ_CHECK(err[i] >= 0x20 && err[i] < 0x7f);
		return 0;
	}
	FUZZ_CHECK(d != NULL);
	check_def(d);
	check_longest_fits(d);
	def_free(d);
	return 0;
}
