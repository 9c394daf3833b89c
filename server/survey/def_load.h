/*
 * def_load.h: one definition load in progress, shared by the parts of the
 * loader (internal to server/survey/): def_load.c (the root, the
 * bucket), def_page.c (pages, response scales, the unit), def_question.c
 * (questions, options, matrix items) and def_scale.c (scales and
 * indicators). Conditions are def_cond.h's. The parts call down to the
 * model (def_model.c: freeing, lookups), never back up to the root.
 */
#ifndef GH_SURVEY_DEF_LOAD_H
#define GH_SURVEY_DEF_LOAD_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "survey/def.h"
#include "survey/def_json.h"

#define DEF_MAX_LIKERT		11	/* points on a Likert scale */
#define DEF_MAX_PAGE_QUESTIONS	100	/* entries in a page's questions */
#define DEF_MIN_ITEMS		2	/* items in a matrix */
#define DEF_MAX_ITEMS		30
#define DEF_MAX_SCALES		50
#define DEF_MAX_INDICATORS	100

/* A named response scale ($.response_scales), copied into questions. */
struct def_load_scale {
	char			*id;
	struct def_option	*options;
	size_t			 n_options;
};

struct def_loader {
	struct json_ctx		 j;		/* where errors go */
	const cJSON		*root;		/* the file, to tell a later
						   question from an unknown */
	struct def		*d;		/* being built */
	size_t			 cap;		/* entries in d->questions */
	struct def_load_scale		*scales;	/* response scales */
	size_t			 n_scales;
};

/*
 * Checks the questions array v at path (one page's, or format 1's) and
 * appends them to d->questions, matrix items after their group, all on
 * page pi. Returns GH_OK, GH_ERR_INVALID or GH_ERR_NOMEM.
 */
int def_load_questions(struct def_loader *l, const char *path, const cJSON *v,
    size_t pi)
    GH_WUR;

/* Returns the questions[] entries array v would add (a matrix: 1 + items). */
size_t def_load_questions_count(const cJSON *v);

/* Checks $.response_scales (v, may be NULL) into l->scales. */
int def_load_response_scales(struct def_loader *l, const cJSON *v) GH_WUR;

/* Frees l->scales. */
void def_load_response_scales_free(struct def_loader *l);

/* Checks $.pages (v) into d->pages and d->questions. */
int def_load_pages(struct def_loader *l, const cJSON *v) GH_WUR;

/* Makes the one page of a definition given by $.questions (v). */
int def_load_one_page(struct def_loader *l, const cJSON *v) GH_WUR;

/* Checks $.unit (v, may be NULL) once every question is read. */
int def_load_unit(struct def_loader *l, const cJSON *v) GH_WUR;

/* Checks $.scales and $.indicators (each may be NULL). */
int def_load_scales(struct def_loader *l, const cJSON *v) GH_WUR;
int def_load_indicators(struct def_loader *l, const cJSON *v) GH_WUR;

/* Copies n options from src into dst (n entries, zeroed by the caller). */
int def_load_options_copy(struct def_loader *l, struct def_option *dst,
    const struct def_option *src, size_t n) GH_WUR;

/* Frees the ids and labels of n options, and the array; accepts NULL
 * (def_model.c). */
void def_options_free(struct def_option *o, size_t n);

/*
 * Sets *qi to the index of the question named by the id string v at path,
 * which must be among questions[0..n_before-1]; fails with "unknown
 * question" or, if it comes later in the file, says so. Matrix groups are
 * refused (conditions, scales and indicators name one of their items).
 */
int def_load_question_ref(struct def_loader *l, const char *path,
    const cJSON *v, size_t n_before, size_t *qi) GH_WUR;

/*
 * Reads the array of option ids v at path, each an option of question q,
 * no repeats, into the bitmask *out. Returns GH_OK or GH_ERR_INVALID.
 */
int def_load_option_set(struct def_loader *l, const char *path, const cJSON *v,
    const struct def_question *q, int is_prefer_not_ok, uint64_t *out)
    GH_WUR;

#endif
