/*
 * def_model.c: the loaded definition as a model, at the bottom of the
 * survey folder: freeing it (def_free, with its options and conditions)
 * and the lookups the other parts use (def_question_index,
 * def_option_index, def_lang_code, def_lang_parse). It calls nothing of
 * the loader (def_load.c and its parts), which call down to it.
 */
#include <stdlib.h>
#include <string.h>

#include "survey/def.h"
#include "survey/def_cond.h"
#include "survey/def_json.h"
#include "survey/def_load.h"

void
def_options_free(struct def_option *o, size_t n)
{
	size_t j;

	if (o == NULL)
		return;
	for (j = 0; j < n; j++) {
		free(o[j].id);
		json_text_free(&o[j].label);
	}
	free(o);
}

void
def_cond_free_all(struct def_cond *list)
{
	struct def_cond *next;

	for (; list != NULL; list = next) {
		next = list->owned_next;
		free(list);
	}
}

static void
question_free(struct def_question *q)
{
	free(q->id);
	json_text_free(&q->label);
	json_text_free(&q->help);
	def_options_free(q->options, q->n_options);
}

static void
extras_free(struct def *d)
{
	size_t i;

	for (i = 0; i < d->n_pages; i++) {
		free(d->pages[i].id);
		json_text_free(&d->pages[i].title);
		json_text_free(&d->pages[i].intro);
	}
	free(d->pages);
	for (i = 0; i < d->n_scales; i++) {
		free(d->scales[i].id);
		json_text_free(&d->scales[i].label);
		free(d->scales[i].items);
		free(d->scales[i].is_reversed);
	}
	free(d->scales);
	for (i = 0; i < d->n_indicators; i++) {
		free(d->indicators[i].id);
		json_text_free(&d->indicators[i].label);
		json_text_free(&d->indicators[i].base_label);
		free(d->indicators[i].baseline_id);
		free(d->indicators[i].baseline_indicator);
	}
	free(d->indicators);
	def_cond_free_all(d->conds);
}

void
def_free(struct def *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n_questions; i++)
		question_free(&d->questions[i]);
	free(d->questions);
	extras_free(d);
	free(d->id);
	json_text_free(&d->title);
	json_text_free(&d->intro);
	json_text_free(&d->welcome);
	free(d);
}

int
def_question_index(const struct def *d, const char *id)
{
	size_t i;

	for (i = 0; i < d->n_questions; i++)
		if (strcmp(d->questions[i].id, id) == 0)
			return (int)i;
	return -1;
}

int
def_option_index(const struct def_question *q, const char *id)
{
	size_t j;

	for (j = 0; j < q->n_options; j++)
		if (strcmp(q->options[j].id, id) == 0)
			return (int)j;
	return -1;
}

const char *
def_lang_code(enum def_lang lang)
{
	return lang == DEF_EN ? "en" : "nl";
}

int
def_lang_parse(const char *code, enum def_lang *out)
{
	if (code != NULL && strcmp(code, "nl") == 0) {
		*out = DEF_NL;
		return GH_OK;
	}
	if (code != NULL && strcmp(code, "en") == 0) {
		*out = DEF_EN;
		return GH_OK;
	}
	return GH_ERR_INVALID;
}
