/*
 * def_eval.c: what a loaded definition says about a set of answers:
 * which pages and questions are shown, scale scores and indicator values
 * (def.h). Nothing here allocates or logs; answers are never copied.
 *
 * Entry points: def_shown (one pass in file order, so that each
 * condition reads only questions decided already), def_cond_is_true,
 * def_page_is_shown and def_question_is_shown (built on it),
 * def_scale_score, def_indicator_value, def_question_points and
 * def_background_name.
 */
#include <string.h>

#include "survey/def.h"
#include "survey/def_cond.h"

static const char *const background_names[] = {
	[DEF_BG_NONE] = "",
	[DEF_BG_AGE_BAND] = "age_band",
	[DEF_BG_GENDER] = "gender",
	[DEF_BG_GENDER_SELF] = "gender_self",
	[DEF_BG_CULTURAL_BACKGROUND] = "cultural_background",
	[DEF_BG_DISABILITY] = "disability",
	[DEF_BG_CHRONIC_ILLNESS] = "chronic_illness",
	[DEF_BG_NEURODIVERGENCE] = "neurodivergence",
	[DEF_BG_SEXUAL_ORIENTATION] = "sexual_orientation",
	[DEF_BG_UNIT] = "unit",
	[DEF_BG_WORK_TYPE] = "work_type",
	[DEF_BG_OTHER] = "other",
};

const char *
def_background_name(enum def_background bg)
{
	if ((size_t)bg >= sizeof(background_names) / sizeof(*background_names))
		return "";
	return background_names[bg];
}

size_t
def_question_points(const struct def_question *q)
{
	if (q->type != DEF_LIKERT && q->type != DEF_MATRIX)
		return 0;
	return q->n_options - (q->has_prefer_not ? 1 : 0);
}

/*
 * Evaluates c; shown[] must be decided for every question c names. The
 * loader bounds the nesting (DEF_COND_MAX_DEPTH), so the recursion is
 * shallow.
 */
static int	/* NOLINTNEXTLINE(misc-no-recursion) */
eval(const struct def_cond *c, const struct def_answer *a,
    const uint8_t *shown)
{
	const struct def_answer *v;
	const struct def_cond *s;

	switch (c->kind) {
	case DC_ALL:
		for (s = c->sub; s != NULL; s = s->next)
			if (!eval(s, a, shown))
				return 0;
		return 1;
	case DC_ANY:
		for (s = c->sub; s != NULL; s = s->next)
			if (eval(s, a, shown))
				return 1;
		return 0;
	case DC_NOT:
		return !eval(c->sub, a, shown);
	default:
		break;
	}
	v = &a[c->question];
	if (!shown[c->question])
		return c->kind == DC_ANSWERED && !c->is_answered;
	switch (c->kind) {
	case DC_ANY_OF:
		return v->is_answered && (v->chosen & c->options) != 0;
	case DC_NONE_OF:
		return v->is_answered && (v->chosen & c->options) == 0;
	case DC_ANSWERED:
		return v->is_answered == c->is_answered;
	case DC_AT_LEAST:
		return v->is_answered && !v->is_prefer_not &&
		    v->number >= c->number;
	case DC_AT_MOST:
		return v->is_answered && !v->is_prefer_not &&
		    v->number <= c->number;
	default:
		return 0;
	}
}

void
def_shown(const struct def *d, const struct def_answer *a,
    uint8_t *shown, uint8_t *page_shown)
{
	const struct def_page *p;
	size_t pi, i;
	int is_page;

	memset(shown, 0, d->n_questions);
	for (pi = 0; pi < d->n_pages; pi++) {
		p = &d->pages[pi];
		/* A page's condition names only questions before it. */
		is_page = p->show_if == NULL || eval(p->show_if, a, shown);
		if (page_shown != NULL)
			page_shown[pi] = (uint8_t)is_page;
		for (i = p->first; i < p->first + p->n; i++)
			shown[i] = (uint8_t)(is_page &&
			    (d->questions[i].show_if == NULL ||
			    eval(d->questions[i].show_if, a, shown)));
	}
}

int
def_cond_is_true(const struct def *d, const struct def_cond *c,
    const struct def_answer *a)
{
	uint8_t shown[DEF_MAX_QUESTIONS];

	if (c == NULL)
		return 1;
	def_shown(d, a, shown, NULL);
	return eval(c, a, shown);
}

int
def_page_is_shown(const struct def *d, size_t pi, const struct def_answer *a)
{
	uint8_t shown[DEF_MAX_QUESTIONS], page_shown[DEF_MAX_PAGES];

	if (pi >= d->n_pages)
		return 0;
	def_shown(d, a, shown, page_shown);
	return page_shown[pi];
}

int
def_question_is_shown(const struct def *d, size_t qi,
    const struct def_answer *a)
{
	uint8_t shown[DEF_MAX_QUESTIONS];

	if (qi >= d->n_questions)
		return 0;
	def_shown(d, a, shown, NULL);
	return shown[qi];
}

/* Returns the point (1..points) answered to Likert question qi, or 0. */
static size_t
point_of(const struct def *d, size_t qi, const struct def_answer *a,
    const uint8_t *shown)
{
	const struct def_question *q = &d->questions[qi];
	size_t j, points = def_question_points(q);

	if (!shown[qi] || !a[qi].is_answered || a[qi].is_prefer_not)
		return 0;
	for (j = 0; j < points; j++)
		if (a[qi].chosen == (UINT64_C(1) << j))
			return j + 1;
	return 0;
}

int
def_scale_score(const struct def *d, const struct def_scale *s,
    const struct def_answer *a, double *mean)
{
	uint8_t shown[DEF_MAX_QUESTIONS];
	size_t k, x, n = 0, sum = 0;

	*mean = 0;
	def_shown(d, a, shown, NULL);
	for (k = 0; k < s->n_items; k++) {
		if ((x = point_of(d, s->items[k], a, shown)) == 0)
			continue;
		sum += s->is_reversed[k] ? s->points + 1 - x : x;
		n++;
	}
	if (n == 0 || n < s->min_items)
		return 0;
	*mean = (double)sum / (double)n;
	return 1;
}

int
def_indicator_value(const struct def *d, const struct def_indicator *ind,
    const struct def_answer *a)
{
	uint8_t shown[DEF_MAX_QUESTIONS];
	const struct def_answer *v = &a[ind->question];

	const struct def_question *q = &d->questions[ind->question];
	uint64_t substantive = 0;
	size_t j;

	def_shown(d, a, shown, NULL);
	if (!shown[ind->question] || !v->is_answered || v->is_prefer_not)
		return -1;
	if (ind->among != NULL && !eval(ind->among, a, shown))
		return -1;
	for (j = 0; j < q->n_options && j < 64; j++)
		if (def_option_is_substantive(&q->options[j]))
			substantive |= (uint64_t)1 << j;
	if ((v->chosen & substantive) == 0)
		return -1;
	return (v->chosen & ind->any_of) != 0;
}

int
def_option_is_substantive(const struct def_option *o)
{
	return !o->is_prefer_not && !o->is_nonsubstantive;
}
