/*
 * plan.h: the release plan of a definition: which tables a release has
 * (survey-defs/README.md, "Release plans").
 *
 * A plan is its own JSON file (survey-defs/plans/<definition id>.json by
 * convention, always named with --plan). It is checked against the
 * definition as strictly as the definition itself, with the same one-line
 * messages "NAME: $.path: problem". Researchers get the declared tables
 * and nothing else.
 */
#ifndef GH_PLAN_H
#define GH_PLAN_H

#include <stddef.h>

#include "survey/def.h"
#include "util/err.h"

#define PLAN_FORMAT		1
#define PLAN_MAX_TABLES		200
#define PLAN_MAX_BY		2
#define PLAN_MAX_COMPARE	20
#define PLAN_MAX_UNIT_MAP	1000
#define PLAN_C_DEFAULT		3	/* protection level c */
#define PLAN_C_MIN		2
#define PLAN_C_MAX		100
/* The name in compare_with that stands for the indicators' baselines. */
#define PLAN_BASELINE		"baseline"

/* What a table counts. */
enum plan_var {
	PLAN_QUESTION,		/* a single, Likert or multi question */
	PLAN_SCALE,		/* a scale: mean per group */
	PLAN_INDICATOR,		/* an indicator: yes, no, not stated */
};

/* A breakdown: a background question, or the organisational unit. */
struct plan_by {
	int	 is_unit;	/* the unit of the batch (hierarchy by "/") */
	size_t	 question;	/* !is_unit, or unit source question */
};

struct plan_table {
	char		*id;
	enum plan_var	 var;
	size_t		 index;		/* in questions[], scales[] or
					   indicators[] */
	struct plan_by	 by[PLAN_MAX_BY];
	size_t		 n_by;
};

/* An earlier wave's unit label and the labels it became. */
struct plan_unit_map {
	char	*from;
	char	**to;
	size_t	 n_to;
};

/* An indicator's baseline in this release; id and bind NULL: none. */
struct plan_baseline {
	size_t		 indicator;	/* index in d->indicators */
	char		*id;		/* a survey-defs/baseline file's id */
	char		*bind;		/* an indicator of that file */
};

struct plan {
	char			*definition;	/* the definition's id */
	int			 c;		/* protection level */
	struct plan_table	*tables;
	size_t			 n_tables;
	char			**compare_with;	/* wave names, or "baseline" */
	size_t			 n_compare;
	struct plan_unit_map	*unit_map;
	size_t			 n_unit_map;
	struct plan_baseline	*baselines;	/* replace the definition's */
	size_t			 n_baselines;
};

/*
 * The baseline that indicator ind is compared with in a release of plan
 * p: the plan's entry for it if it has one, else the definition's link
 * (*id and *bind NULL: none).
 */
void plan_baseline_link(const struct plan *p, const struct def *d,
    size_t ind, const char **id, const char **bind);

/*
 * Parses and checks a plan from len bytes of JSON against definition d;
 * name prefixes every message. Returns GH_OK with *out set (free with
 * plan_free), or GH_ERR_INVALID / GH_ERR_NOMEM with one line in err.
 */
int plan_parse(const char *json, size_t len, const char *name,
    const struct def *d, struct plan **out, char *err, size_t errsz) GH_WUR;

/* Reads the file at path and parses it as plan_parse does (GH_ERR_IO). */
int plan_load_file(const char *path, const struct def *d, struct plan **out,
    char *err, size_t errsz) GH_WUR;

/* Frees a plan; accepts NULL. */
void plan_free(struct plan *p);

/* Returns the plan's name of a table's variable (question, scale or
 * indicator id). */
const char *plan_var_id(const struct def *d, const struct plan_table *t);

/*
 * Returns the unit labels old maps to (n in *n_to), or NULL if the plan
 * does not map it (then it is compared as itself).
 */
char *const *plan_unit_map_find(const struct plan *p, const char *old,
    size_t *n_to);

#endif
