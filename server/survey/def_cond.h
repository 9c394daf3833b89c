/*
 * def_cond.h: conditions of a definition, parsed (def_cond.c), evaluated
 * (def_eval.c) and freed (def_model.c); internal to server/survey/.
 *
 * A condition refers only to questions earlier in the file, so that
 * whether question i is shown depends only on questions 0..i-1 and one
 * pass in file order decides every question (def_shown, def.h).
 */
#ifndef GH_SURVEY_DEF_COND_H
#define GH_SURVEY_DEF_COND_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "survey/def.h"
#include "survey/def_load.h"

#define DEF_COND_MAX_DEPTH	4	/* all/any/not nested at most this */
#define DEF_COND_MAX_SUB	50	/* conditions in one all/any */

enum def_cond_kind {
	DC_ANY_OF,	/* answered with one of options */
	DC_NONE_OF,	/* answered, none of options chosen */
	DC_ANSWERED,	/* answered (or not, with is_answered 0) */
	DC_AT_LEAST,	/* a number >= number */
	DC_AT_MOST,	/* a number <= number */
	DC_ALL,
	DC_ANY,
	DC_NOT,
};

struct def_cond {
	enum def_cond_kind	 kind;
	size_t			 question;	/* index in questions[] */
	uint64_t		 options;	/* bit j: option j */
	int			 is_answered;
	long long		 number;
	struct def_cond		*sub;		/* all, any, not: the first */
	struct def_cond		*next;		/* the next of its parent's */
	struct def_cond		*owned_next;	/* def->conds list */
};

/*
 * Parses the condition v at path into *out (owned by d->conds). It may
 * refer only to questions[0..n_before-1]. Returns GH_OK, GH_ERR_INVALID
 * or GH_ERR_NOMEM with the error line in c.
 */
int def_cond_parse(struct def_loader *l, const char *path, const cJSON *v,
    size_t n_before, const struct def_cond **out) GH_WUR;

/* Frees the list of conditions d->conds; accepts NULL. */
void def_cond_free_all(struct def_cond *list);

/* Counts the conditions that decide whether something is shown. */
size_t def_cond_count(const struct def *d);

#endif
