/*
 * sdc.h: statistical disclosure control of a set of published counts:
 * secondary suppression and the LP audit.
 * Implemented in sdc.c (suppression) and audit.c (COIN-OR CLP).
 *
 * The problem is abstract: cells with true non-negative integer values,
 * some already suppressed by a primary rule, and the linear relations an
 * attacker knows between them (a total is the sum of its parts; a part is
 * at most its whole). The release engine (tables.c) builds one from every
 * table of a release, with cells that are the same figure in two tables
 * (a shared margin) added once, the unit hierarchy as sums, and the cells
 * of earlier releases of the wave added as published (sdc_fix).
 *
 * Protection (documented default): every primary cell must stay
 * ambiguous: the smallest value consistent with everything published is
 * 0 and the largest is at least c. Secondary cells are hidden to protect
 * primary ones; their intervals are reported but not required to be wide.
 */
#ifndef GH_SDC_H
#define GH_SDC_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum sdc_flag {
	SDC_PUBLISHED = 0,
	SDC_PRIMARY = 1,	/* suppressed by a primary rule */
	SDC_SECONDARY = 2,	/* suppressed to protect a primary cell */
};

struct sdc;

/* One suppressed cell's audit result. */
struct sdc_interval {
	double	lo, hi;		/* feasible range given what is published */
	int	is_protected;	/* lo <= 0 and hi >= c (primary cells) */
};

int sdc_new(struct sdc **out) GH_WUR;
void sdc_free(struct sdc *p);

/*
 * Adds a cell with its true value and flag (SDC_PUBLISHED or
 * SDC_PRIMARY); *index gets its index (0, 1, ...). cost orders the
 * candidates for secondary suppression (smaller is hidden first; the
 * engine passes the value, so small cells are preferred).
 */
int sdc_add_cell(struct sdc *p, int64_t value, enum sdc_flag flag,
    double cost, size_t *index) GH_WUR;

/* The cell was published by an earlier release: it is public, and can
 * never be suppressed now. */
int sdc_fix(struct sdc *p, size_t cell) GH_WUR;

/* Marks a cell as one that may never be chosen for secondary suppression
 * (it is not in this release's output). Published cells only. */
int sdc_no_secondary(struct sdc *p, size_t cell) GH_WUR;

/* Adds the relation value[total] = sum of value[parts[0..n-1]]. */
int sdc_add_sum(struct sdc *p, size_t total, const size_t *parts,
    size_t n) GH_WUR;

/* Adds the relation value[part] <= value[whole]. */
int sdc_add_le(struct sdc *p, size_t part, size_t whole) GH_WUR;

typedef void (*sdc_progress_fn)(void *arg, const char *what, size_t done,
    size_t total);

/*
 * Secondary suppression: hides further published cells until every
 * primary cell is protected at level c (c >= 1), checked with the LP
 * audit. Returns GH_OK, or GH_ERR_PRIVACY when some primary cell cannot
 * be protected (*failed gets its index).
 */
int sdc_protect(struct sdc *p, int64_t c, sdc_progress_fn progress,
    void *arg, size_t *failed) GH_WUR;

/*
 * The audit alone: computes the interval of every suppressed cell with
 * CLP (the smallest and largest value of an LP whose constraints are the
 * relations, the published values and value >= 0). Returns GH_OK if every
 * primary cell is protected at level c, GH_ERR_PRIVACY if not (*failed
 * gets the first such cell), GH_ERR_INVALID if the published figures are
 * inconsistent (infeasible LP).
 */
int sdc_audit(struct sdc *p, int64_t c, sdc_progress_fn progress,
    void *arg, size_t *failed) GH_WUR;

size_t sdc_n_cells(const struct sdc *p);
enum sdc_flag sdc_cell_flag(const struct sdc *p, size_t cell);
int64_t sdc_cell_value(const struct sdc *p, size_t cell);

/* The interval from the last sdc_audit or sdc_protect (suppressed cells
 * only; GH_ERR_NOT_FOUND for a published one). */
int sdc_cell_interval(const struct sdc *p, size_t cell,
    struct sdc_interval *out) GH_WUR;

#endif
