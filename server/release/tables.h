/*
 * tables.h: the counts behind a release's tables, and the cells they
 * become (the release engine; gehoord release).
 *
 * Counting (tables.c) keeps, per table, a count for every leaf
 * combination: a breakdown's leaves are its options (own options, then
 * NOT_STATED for missing or prefer-not) or the unit labels of the wave's
 * token batches (then NOT_STATED for none); the variable's categories
 * likewise. Memory is fixed by the definition, the plan and the batches,
 * never by the number of answers.
 *
 * Shown values (units.c) group leaves: every option of a question; for the
 * unit, every node of the label hierarchy ("Sociaal Domein/Jeugd" is a
 * child of "Sociaal Domein") whose subtree has at least k answers, the
 * direct answers of a node that has children, and "other units of P"
 * for the children of P that are too small (listed as rolled up, never
 * counted on their own). TOTAL is every leaf.
 *
 * Cells (cells.c): each figure once, keyed canonically by the set of
 * conditions it counts ("q:gender=man&u=Jeugd"), so that the same figure
 * in two tables is one cell of the disclosure-control problem (sdc.h).
 */
#ifndef GH_TABLES_H
#define GH_TABLES_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "release/plan.h"
#include "release/sdc.h"
#include "release/strmap.h"
#include "survey/def.h"
#include "util/err.h"

#define TABLES_TOTAL	"TOTAL"
#define TABLES_NOT_STATED	"NOT_STATED"
#define TABLES_ALL		((size_t)-1)	/* the TOTAL value of a breakdown */

/* Why a cell is primary (audit.json "rule"). */
enum cell_rule {
	CELL_RULE_NONE = 0,
	CELL_RULE_K,		/* (a) group of 1..k-1 respondents */
	CELL_RULE_C,		/* (b) count of 1..c-1 */
	CELL_RULE_DOMINANCE,	/* (c) sensitive: the rest counts 1..c-1 */
};

/* A shown value of a breakdown, and the leaves it adds up. */
struct table_val {
	char	*name;		/* by*_value in tables.csv */
	char	*atom;		/* its condition in a cell key */
	int	 is_rolled;	/* listed as rolled up, never counted */
	size_t	*leaves;
	size_t	 n_leaves;
};

/* value[total] = sum of value[parts] (total TABLES_ALL: TOTAL). */
struct table_sum {
	size_t	 total;
	size_t	*parts;
	size_t	 n_parts;
};

struct table_dim {
	int		 is_unit;
	size_t		 question;	/* !is_unit */
	size_t		 n_leaves;
	struct table_val	*vals;
	size_t		 n_vals;
	struct table_sum	*sums;
	size_t		 n_sums;
};

/* What a category is to the base of a share (rows.c). */
enum table_cat_kind {
	TABLE_CAT_SUBSTANTIVE,	/* an answer; share of the substantive */
	TABLE_CAT_OTHER,		/* prefer-not, "weet ik niet": share of all
				   who answered */
	TABLE_CAT_NOT_STATED,	/* not shown, or skipped: no share */
};

struct table {
	const struct plan_table	*pt;
	size_t		 n_cats;	/* 0 for a scale */
	char		**cat_names;	/* option ids (and _prefer_not),
					   yes/no, then NOT_STATED */
	enum table_cat_kind *cat_kind;	/* per category */
	int		 is_multi;	/* categories need not add up */
	int		 is_sensitive;
	struct table_dim	*dim[PLAN_MAX_BY];	/* NULL beyond n_by */
	size_t		 n_dims;
	int64_t		*counts;	/* [leaf0][leaf1][cat] */
	int64_t		*gn;		/* [leaf0][leaf1] respondents */
	double		*scale;		/* [leaf0][leaf1][3]: n, sum, sumsq */
	size_t		*cell;		/* cells.c: [val0+1][val1+1][cat+1] */
};

struct tables {
	const struct def	*d;
	const struct plan	*plan;
	int			 k, c;
	char			**units;	/* sorted batch labels */
	size_t			 n_units;
	int64_t			*unit_n;	/* answers per unit leaf */
	struct table_dim		 unit_dim;	/* shared by unit tables */
	struct table_dim		*qdims;		/* one per question */
	struct table	*tables;
	size_t			 n_tables;
	int64_t			 n_answers;
	pthread_mutex_t		 lock;
};

/*
 * Makes the counters for plan p of definition d, wave threshold k, and
 * the n_units distinct unit labels of the wave's batches (copied,
 * sorted). Returns GH_OK with *out (free with tables_free) or GH_ERR_NOMEM.
 */
int tables_new(const struct def *d, const struct plan *p, int k,
    const char *const *units, size_t n_units, struct tables **out) GH_WUR;

void tables_free(struct tables *r);

/*
 * Counts one opened answer (a: d->n_questions entries; unit its label or
 * "") into every table. Thread-safe. GH_ERR_INVALID if unit is not one
 * of the wave's batch labels (an altered database).
 */
int tables_add_answer(struct tables *r, const struct def_answer *a,
    const char *unit) GH_WUR;

/* Frees what a dim holds and empties it. */
void tables_dim_clear(struct table_dim *dim);

/* Builds the shown unit values with roll-up (units.c), once counted. */
int tables_units_build(struct tables *r) GH_WUR;

/* Sum over the leaves of values v0, v1 (TABLES_ALL: all) of table t:
 * respondents (cat SIZE_MAX), or category cat. */
int64_t tables_count(const struct tables *r, const struct table *t, size_t v0,
    size_t v1, size_t cat);

/* As tables_count for a scale: n, sum and sum of squares. */
void tables_scale(const struct tables *r, const struct table *t, size_t v0,
    size_t v1, double out[3]);

/*
 * Number of values of dim i of t counting TOTAL: 1 + its shown values
 * (1 if t has no dim i). Value j of them is TABLES_ALL for j == 0, else
 * vals[j - 1]; struct table's cell is indexed the same way
 * (TABLES_ALL + 1 == 0).
 */
size_t tables_n_vals(const struct table *t, size_t i);

/* One cell of the release. */
struct cell {
	char		*key;
	int64_t		 value;
	enum cell_rule	 rule;
	size_t		 sdc;		/* index in the sdc problem */
	size_t		 table;		/* first table and place seen */
	size_t		 v0, v1, cat;	/* cat SIZE_MAX: the group total */
};

/* A relation: cells[total] = sum of cells[parts] (is_le: parts[0] <=
 * cells[total]). */
struct cell_relation {
	size_t	 total;
	size_t	*parts;
	size_t	 n_parts;
	int	 is_le;
};

struct cellset {
	struct cell	*cells;
	size_t		 n, cap;
	struct cell_relation	*rels;
	size_t		 n_rels, rels_cap;
	struct strmap	*keys;		/* cell key -> index */
	struct strmap	*seen;		/* relations already added */
	struct sdc	*sdc;
};

/*
 * Builds every cell and relation of r's tables, with the primary rules
 * applied (cells.c). Returns GH_OK with *out (free with cellset_free),
 * GH_ERR_NOMEM.
 */
int cellset_build(struct tables *r, struct cellset **out) GH_WUR;

/* Adds (or finds) a cell outside the tables (key unique), with rule. */
int cellset_add(struct cellset *cs, const char *key, int64_t value,
    enum cell_rule ru, size_t *idx) GH_WUR;

/* Adds a relation between cells (indices in cs->cells), once. */
int cellset_relate(struct cellset *cs, size_t total,
    const size_t *parts, size_t n, int is_le) GH_WUR;

/* Hands every cell and relation to a new problem cs->sdc (a cell with a
 * rule is SDC_PRIMARY); sets each cell's sdc index. */
int cellset_to_sdc(struct cellset *cs) GH_WUR;

void cellset_free(struct cellset *cs);

/* Returns the cell with this key, or NULL. */
struct cell *cellset_find(const struct cellset *cs, const char *key);

/* Returns "k", "c", "dominance" or "". */
const char *cell_rule_name(enum cell_rule rule);

#endif
