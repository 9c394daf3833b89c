/*
 * sdc_int.h: what sdc.c (the problem and secondary suppression) and
 * audit.c (components and the CLP audit) share. Not for other modules:
 * their API is sdc.h.
 */
#ifndef GH_SDC_INT_H
#define GH_SDC_INT_H

#include <stddef.h>
#include <stdint.h>

#include "release/sdc.h"

/* Protection is judged with this absolute tolerance on LP optima. */
#define SDC_TOL 1e-6

enum sdc_rel_kind {
	SDC_REL_SUM = 0,	/* cells[0] = cells[1] + ... + cells[n-1] */
	SDC_REL_LE = 1,		/* cells[0] <= cells[1] */
};

struct sdc_cell {
	int64_t	value;
	double	cost;
	double	lo, hi;		/* last audit; valid if has_iv */
	uint8_t	flag;		/* enum sdc_flag */
	uint8_t	is_fixed;	/* published earlier: never suppressed */
	uint8_t	no_secondary;
	uint8_t	has_iv;
	uint8_t	is_protected;
};

/* The suppressed cells of one component (linked through relations in
 * which they are suppressed together) and every relation they are in. */
struct sdc_comp {
	size_t	*cells, n_cells;
	size_t	*rels, n_rels;
};

struct sdc {
	struct sdc_cell	*cells;
	size_t		 n_cells, cap_cells;
	/* relation r: kind relation_kind[r], cells
	 * relation_cells[relation_start[r] .. relation_start[r + 1] - 1] */
	uint8_t		*relation_kind;
	size_t		*relation_start;	/* n_rels + 1 entries */
	size_t		 n_rels, cap_rels;
	size_t		*relation_cells;
	size_t		 n_relation_cells, cap_relation_cells;
	/* built by sdc_index: the relations of cell i are inc_rel[
	 * inc_start[i] .. inc_start[i + 1] - 1] */
	size_t		*inc_start, *inc_rel;
	size_t		 indexed_cells, indexed_rels;
	/* scratch of the component search */
	uint32_t	*cell_mark, *relation_mark, stamp;
	int		*local;		/* cell -> LP column in its component */
	struct sdc_comp	 comp;
	/* sdc_protect's failing cell (SIZE_MAX: none); for each published
	 * cell of its component's relations, grad is how much the failing
	 * bound moves per unit of that cell (LP duals), 0 if it does not */
	size_t		 focus;
	double		*grad;
};

static inline int
sdc_is_hidden(const struct sdc *p, size_t cell)
{
	return p->cells[cell].flag != SDC_PUBLISHED;
}

/* Checks the relations against the true values (GH_ERR_INVALID if one
 * does not hold) and builds the incidence lists and scratch space. */
int sdc_index(struct sdc *p) GH_WUR;

/* Fills p->comp with the component of the suppressed cell. */
void sdc_component(struct sdc *p, size_t cell);

/*
 * Solves min and max of every cell of p->comp for which want(cell) is
 * true, with one CLP model, and stores the intervals in the cells; if
 * p->focus is one of them and fails, fills p->grad for the published
 * cells of the component's relations. GH_ERR_INVALID if the LP is
 * infeasible or CLP gives up.
 */
int sdc_comp_audit(struct sdc *p, int64_t c,
    int (*want)(const struct sdc *, size_t)) GH_WUR;

#endif
