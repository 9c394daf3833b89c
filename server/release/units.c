/*
 * units.c: the shown values of the organisational unit, with roll-up
 * (tables.h).
 *
 * Entry point: rel_units_build, after counting. Unit labels form a tree
 * by "/": "Sociaal Domein/Jeugd" is a child of "Sociaal Domein", which is
 * a node even if no batch has that exact label. From the top, every child
 * of a shown node whose subtree has at least k answers is shown (and its
 * own children considered); the direct answers of a node that also has
 * children form a child "NODE (direct)"; the children below k are rolled
 * up into "other units of NODE" (at the top: "other units"), which is
 * shown as a group of its own (suppressed by rule (a) when it is below k
 * too, and then protected by the secondary suppression like any cell).
 * Rolled-up units are listed, without counts. Each node adds the sum
 * relation node = its shown children + its other units.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "release/tables.h"

struct node {
	char	*name;
	size_t	 parent;		/* SIZE_MAX: the top */
	size_t	 leaf;			/* its own label's leaf, or SIZE_MAX */
	size_t	*leaves;		/* its subtree's */
	size_t	 n_leaves;
	int64_t	 n;
	int	 has_children;
};

struct ub {
	struct rel	*r;
	struct node	*nodes;
	size_t		 n_nodes;
};

static int
node_find(const struct ub *u, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < u->n_nodes; i++)
		if (strlen(u->nodes[i].name) == len &&
		    memcmp(u->nodes[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

/* Adds every prefix of every label as a node; labels are sorted. */
static int
nodes_make(struct ub *u)
{
	struct rel *r = u->r;
	size_t i, j, cap = 0, len;
	const char *s, *p;
	struct node *n;

	for (i = 0; i < r->n_units; i++)
		for (s = r->units[i]; s != NULL; s = strchr(s + 1, '/'))
			cap++;
	if ((u->nodes = calloc(cap + 1, sizeof(*u->nodes))) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < r->n_units; i++) {
		s = r->units[i];
		for (p = strchr(s, '/'); ; p = strchr(p + 1, '/')) {
			len = p != NULL ? (size_t)(p - s) : strlen(s);
			if (node_find(u, s, len) < 0) {
				n = &u->nodes[u->n_nodes++];
				if ((n->name = strndup(s, len)) == NULL)
					return GH_ERR_NOMEM;
				n->leaf = n->parent = SIZE_MAX;
			}
			if (p == NULL)
				break;
		}
	}
	for (i = 0; i < u->n_nodes; i++) {
		n = &u->nodes[i];
		len = strlen(n->name);
		if ((p = strrchr(n->name, '/')) != NULL)
			n->parent = (size_t)node_find(u, n->name,
			    (size_t)(p - n->name));
		if ((n->leaves = calloc(r->n_units, sizeof(size_t))) == NULL)
			return GH_ERR_NOMEM;
		for (j = 0; j < r->n_units; j++) {
			if (strcmp(r->units[j], n->name) == 0)
				n->leaf = j;
			else if (strncmp(r->units[j], n->name, len) != 0 ||
			    r->units[j][len] != '/')
				continue;
			n->leaves[n->n_leaves++] = j;
			n->n += r->unit_n[j];
		}
	}
	for (i = 0; i < u->n_nodes; i++)
		if (u->nodes[i].parent != SIZE_MAX)
			u->nodes[u->nodes[i].parent].has_children = 1;
	return GH_OK;
}

/* Appends a value; *idx gets its index. leaves are copied. */
static int
val_add(struct rel_dim *dim, const char *name, int is_rolled,
    const size_t *leaves, size_t n, size_t *idx)
{
	struct rel_val *v, *nv;
	size_t len = strlen(name) + 3;

	if ((nv = realloc(dim->vals, (dim->n_vals + 1) * sizeof(*nv))) ==
	    NULL)
		return GH_ERR_NOMEM;
	dim->vals = nv;
	v = &dim->vals[dim->n_vals++];
	memset(v, 0, sizeof(*v));
	if ((v->name = strdup(name)) == NULL)
		return GH_ERR_NOMEM;
	v->is_rolled = is_rolled;
	if (idx != NULL)
		*idx = dim->n_vals - 1;
	if (is_rolled)
		return GH_OK;
	if ((v->atom = malloc(len)) == NULL ||
	    (v->leaves = malloc((n + 1) * sizeof(size_t))) == NULL)
		return GH_ERR_NOMEM;
	snprintf(v->atom, len, "u=%s", name);
	memcpy(v->leaves, leaves, n * sizeof(size_t));
	v->n_leaves = n;
	return GH_OK;
}

static int
sum_add(struct rel_dim *dim, size_t total, const size_t *parts, size_t n)
{
	struct rel_sum *s;

	if ((s = realloc(dim->sums, (dim->n_sums + 1) * sizeof(*s))) == NULL)
		return GH_ERR_NOMEM;
	dim->sums = s;
	s = &dim->sums[dim->n_sums];
	if ((s->parts = malloc((n + 1) * sizeof(size_t))) == NULL)
		return GH_ERR_NOMEM;
	dim->n_sums++;
	memcpy(s->parts, parts, n * sizeof(size_t));
	s->n_parts = n;
	s->total = total;
	return GH_OK;
}

/* Lists node ni and its whole subtree as rolled up. */
static int
roll(struct ub *u, size_t ni)
{
	size_t i;
	int rc;

	if ((rc = val_add(&u->r->unit_dim, u->nodes[ni].name, 1, NULL, 0,
	    NULL)) != GH_OK)
		return rc;
	for (i = 0; i < u->n_nodes; i++)
		if (u->nodes[i].parent == ni && (rc = roll(u, i)) != GH_OK)
			return rc;
	return GH_OK;
}

/* Shows the children of node p (SIZE_MAX: the top), shown as value pv. */
static int
show(struct ub *u, size_t p, size_t pv)
{
	struct rel *r = u->r;
	struct rel_dim *dim = &r->unit_dim;
	size_t *parts = NULL, *other = NULL, n_parts = 0, n_other = 0;
	size_t i, idx, cap = u->n_nodes + 3, direct;
	char name[DEF_MAX_UNIT + 40];
	int rc = GH_ERR_NOMEM;

	if ((parts = calloc(cap, sizeof(size_t))) == NULL ||
	    (other = calloc(r->n_units + 1, sizeof(size_t))) == NULL)
		goto out;
	for (i = 0; i < u->n_nodes; i++) {
		struct node *c = &u->nodes[i];

		if (c->parent != p)
			continue;
		if (c->n < r->k) {
			memcpy(other + n_other, c->leaves, c->n_leaves *
			    sizeof(size_t));
			n_other += c->n_leaves;
			if ((rc = roll(u, i)) != GH_OK)
				goto out;
			continue;
		}
		if ((rc = val_add(dim, c->name, 0, c->leaves, c->n_leaves,
		    &idx)) != GH_OK)
			goto out;
		parts[n_parts++] = idx;
		if (c->has_children && (rc = show(u, i, idx)) != GH_OK)
			goto out;
	}
	if (p != SIZE_MAX && (direct = u->nodes[p].leaf) != SIZE_MAX) {
		snprintf(name, sizeof(name), "%s (direct)", u->nodes[p].name);
		if (r->unit_n[direct] >= r->k) {
			if ((rc = val_add(dim, name, 0, &direct, 1, &idx)) !=
			    GH_OK)
				goto out;
			parts[n_parts++] = idx;
		} else {
			other[n_other++] = direct;
			if ((rc = val_add(dim, name, 1, NULL, 0, NULL)) !=
			    GH_OK)
				goto out;
		}
	}
	if (n_other > 0) {
		if (p == SIZE_MAX)
			snprintf(name, sizeof(name), "other units");
		else
			snprintf(name, sizeof(name), "other units of %s",
			    u->nodes[p].name);
		if ((rc = val_add(dim, name, 0, other, n_other, &idx)) != GH_OK)
			goto out;
		parts[n_parts++] = idx;
	}
	if (p == SIZE_MAX) {
		i = r->n_units;
		if ((rc = val_add(dim, REL_NOT_STATED, 0, &i, 1, &idx)) !=
		    GH_OK)
			goto out;
		parts[n_parts++] = idx;
	}
	rc = sum_add(dim, pv, parts, n_parts);
out:
	free(parts);
	free(other);
	return rc;
}

int
rel_units_build(struct rel *r)
{
	struct ub u = { r, NULL, 0 };
	size_t i;
	int rc;

	rel_dim_clear(&r->unit_dim);
	r->unit_dim.is_unit = 1;
	if ((rc = nodes_make(&u)) == GH_OK)
		rc = show(&u, SIZE_MAX, REL_ALL);
	for (i = 0; i < u.n_nodes; i++) {
		free(u.nodes[i].name);
		free(u.nodes[i].leaves);
	}
	free(u.nodes);
	return rc;
}
