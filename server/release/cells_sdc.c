/*
 * cells_sdc.c: a release's cells as a disclosure-control problem, and
 * looking cells up (tables.h).
 *
 * Entry points: cellset_to_sdc hands every cell (SDC_PRIMARY when a
 * primary rule holds, with its value as the cost of hiding it, so that
 * small cells are hidden first) and every relation to sdc.h;
 * cellset_find, cellset_free and cell_rule_name.
 */
#include <stdlib.h>

#include "release/tables.h"

int
cellset_to_sdc(struct cellset *cs)
{
	size_t i, idx;
	int rc;

	if ((rc = sdc_new(&cs->sdc)) != GH_OK)
		return rc;
	for (i = 0; i < cs->n; i++) {
		struct cell *c = &cs->cells[i];

		if ((rc = sdc_add_cell(cs->sdc, c->value, c->rule ==
		    CELL_RULE_NONE ? SDC_PUBLISHED : SDC_PRIMARY,
		    (double)c->value, &idx)) != GH_OK)
			return rc;
		c->sdc = idx;
	}
	for (i = 0; i < cs->n_rels; i++) {
		struct cell_relation *rr = &cs->rels[i];

		if (rr->is_le)
			rc = sdc_add_le(cs->sdc, cs->cells[rr->parts[0]].sdc,
			    cs->cells[rr->total].sdc);
		else {
			size_t *p = malloc((rr->n_parts + 1) * sizeof(size_t));
			size_t j;

			if (p == NULL)
				return GH_ERR_NOMEM;
			for (j = 0; j < rr->n_parts; j++)
				p[j] = cs->cells[rr->parts[j]].sdc;
			rc = sdc_add_sum(cs->sdc, cs->cells[rr->total].sdc, p,
			    rr->n_parts);
			free(p);
		}
		if (rc != GH_OK)
			return rc;
	}
	return GH_OK;
}

void
cellset_free(struct cellset *cs)
{
	size_t i;

	if (cs == NULL)
		return;
	for (i = 0; i < cs->n; i++)
		free(cs->cells[i].key);
	free(cs->cells);
	for (i = 0; i < cs->n_rels; i++)
		free(cs->rels[i].parts);
	free(cs->rels);
	strmap_free(cs->keys);
	strmap_free(cs->seen);
	sdc_free(cs->sdc);
	free(cs);
}

struct cell *
cellset_find(const struct cellset *cs, const char *key)
{
	size_t i;

	return strmap_get(cs->keys, key, &i) ? &cs->cells[i] : NULL;
}

const char *
cell_rule_name(enum cell_rule ru)
{
	switch (ru) {
	case CELL_RULE_K:
		return "k";
	case CELL_RULE_C:
		return "c";
	case CELL_RULE_DOMINANCE:
		return "dominance";
	default:
		return "";
	}
}
