/*
 * units.c: the shown values of the organisational unit, with roll-up
 * (tables.h).
 *
 * Entry point: tables_units_build, after counting. Unit labels form a tree
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
	struct tables	*r;
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

/* Adds label s and each of its prefixes as a node, once. */
static int
prefixes_add(struct ub *u, const char *s)
{
	const char *from = s, *slash;
	struct node *n;
	size_t len;

	for (;;) {
		slash = strchr(from, '/');
		len = slash != NULL ? (size_t)(slash - s) : strlen(s);
		if (node_find(u, s, len) < 0) {
			n = &u->nodes[u->n_nodes++];
			if ((n->name = strndup(s, len)) == NULL)
				return GH_ERR_NOMEM;
			n->leaf = n->parent = SIZE_MAX;
		}
		if (slash == NULL)
			return GH_OK;
		from = slash + 1;
	}
}

/* Finds node n's parent, own label and the labels of its subtree. */
static int
node_fill(struct ub *u, struct node *n)
{
	const struct tables *r = u->r;
	size_t j, len = strlen(n->name);
	const char *p;

	if ((p = strrchr(n->name, '/')) != NULL)
		n->parent = (size_t)node_find(u, n->name, (size_t)(p - n->name));
	if ((n->leaves = calloc(r->n_units + 1, sizeof(size_t))) == NULL)
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
	return GH_OK;
}

/* Adds every prefix of every label as a node. */
static int
nodes_make(struct ub *u)
{
	const struct tables *r = u->r;
	size_t i, cap = 0;
	const char *s;
	int rc;

	for (i = 0; i < r->n_units; i++) {
		cap++;
		for (s = r->units[i]; *s != '\0'; s++)
			cap += *s == '/';
	}
	if ((u->nodes = calloc(cap + 1, sizeof(*u->nodes))) == NULL)
		return GH_ERR_NOMEM;
	for (i = 0; i < r->n_units; i++)
		if ((rc = prefixes_add(u, r->units[i])) != GH_OK)
			return rc;
	for (i = 0; i < u->n_nodes; i++)
		if ((rc = node_fill(u, &u->nodes[i])) != GH_OK)
			return rc;
	for (i = 0; i < u->n_nodes; i++)
		if (u->nodes[i].parent != SIZE_MAX)
			u->nodes[u->nodes[i].parent].has_children = 1;
	return GH_OK;
}

/* Appends a value; *idx gets its index. leaves are copied. */
static int
val_add(struct table_dim *dim, const char *name, int is_rolled,
    const size_t *leaves, size_t n, size_t *idx)
{
	struct table_val *v, *nv;
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
sum_add(struct table_dim *dim, size_t total, const size_t *parts, size_t n)
{
	struct table_sum *s;

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
	const char *name = u->nodes[ni].name;
	size_t i, len = strlen(name);
	int rc;

	for (i = 0; i < u->n_nodes; i++) {
		const char *n = u->nodes[i].name;

		if (strncmp(n, name, len) != 0 || (n[len] != '\0' &&
		    n[len] != '/'))
			continue;
		if ((rc = val_add(&u->r->unit_dim, n, 1, NULL, 0, NULL)) !=
		    GH_OK)
			return rc;
	}
	return GH_OK;
}

/* One node being shown: the values its sum adds up, and the labels of
 * its children that are rolled up. */
struct level {
	size_t	*parts, n_parts;
	size_t	*other, n_other;
	size_t	*queue, *queue_v, n_queue;	/* nodes still to show */
};

/* The child nodes of p: shown (and queued if they have children) or
 * rolled up. */
static int
children(struct ub *u, size_t p, struct level *lv)
{
	struct tables *r = u->r;
	size_t i, idx;
	int rc;

	for (i = 0; i < u->n_nodes; i++) {
		const struct node *c = &u->nodes[i];

		if (c->parent != p)
			continue;
		if (c->n < r->k) {
			memcpy(lv->other + lv->n_other, c->leaves,
			    c->n_leaves * sizeof(size_t));
			lv->n_other += c->n_leaves;
			if ((rc = roll(u, i)) != GH_OK)
				return rc;
			continue;
		}
		if ((rc = val_add(&r->unit_dim, c->name, 0, c->leaves,
		    c->n_leaves, &idx)) != GH_OK)
			return rc;
		lv->parts[lv->n_parts++] = idx;
		if (c->has_children) {
			lv->queue[lv->n_queue] = i;
			lv->queue_v[lv->n_queue++] = idx;
		}
	}
	return GH_OK;
}

/* The direct answers of p (if it has its own label), shown or rolled. */
static int
direct(struct ub *u, size_t p, struct level *lv)
{
	struct tables *r = u->r;
	char name[DEF_MAX_UNIT + 40];
	size_t leaf, idx;
	int rc;

	if (p == SIZE_MAX || (leaf = u->nodes[p].leaf) == SIZE_MAX)
		return GH_OK;
	snprintf(name, sizeof(name), "%s (direct)", u->nodes[p].name);
	if (r->unit_n[leaf] < r->k) {
		lv->other[lv->n_other++] = leaf;
		return val_add(&r->unit_dim, name, 1, NULL, 0, NULL);
	}
	if ((rc = val_add(&r->unit_dim, name, 0, &leaf, 1, &idx)) != GH_OK)
		return rc;
	lv->parts[lv->n_parts++] = idx;
	return GH_OK;
}

/* "other units (of P)", and at the top NOT_STATED. */
static int
rest(struct ub *u, size_t p, struct level *lv)
{
	struct tables *r = u->r;
	char name[DEF_MAX_UNIT + 40];
	size_t idx, leaf = r->n_units;
	int rc;

	if (lv->n_other > 0) {
		if (p == SIZE_MAX)
			snprintf(name, sizeof(name), "other units");
		else
			snprintf(name, sizeof(name), "other units of %s",
			    u->nodes[p].name);
		if ((rc = val_add(&r->unit_dim, name, 0, lv->other,
		    lv->n_other, &idx)) != GH_OK)
			return rc;
		lv->parts[lv->n_parts++] = idx;
	}
	if (p != SIZE_MAX)
		return GH_OK;
	if ((rc = val_add(&r->unit_dim, TABLES_NOT_STATED, 0, &leaf, 1,
	    &idx)) != GH_OK)
		return rc;
	lv->parts[lv->n_parts++] = idx;
	return GH_OK;
}

/* Shows the tree from the top, breadth first: each node's children, its
 * direct answers, its other units, and its sum. */
static int
show(struct ub *u)
{
	struct level lv;
	size_t head = 0, p = SIZE_MAX, pv = TABLES_ALL;
	int rc = GH_ERR_NOMEM;

	memset(&lv, 0, sizeof(lv));
	if ((lv.parts = calloc(u->n_nodes + 3, sizeof(size_t))) == NULL ||
	    (lv.other = calloc(u->r->n_units + 1, sizeof(size_t))) == NULL ||
	    (lv.queue = calloc(u->n_nodes + 1, sizeof(size_t))) == NULL ||
	    (lv.queue_v = calloc(u->n_nodes + 1, sizeof(size_t))) == NULL)
		goto out;
	for (;;) {
		lv.n_parts = lv.n_other = 0;
		if ((rc = children(u, p, &lv)) != GH_OK ||
		    (rc = direct(u, p, &lv)) != GH_OK ||
		    (rc = rest(u, p, &lv)) != GH_OK ||
		    (rc = sum_add(&u->r->unit_dim, pv, lv.parts,
		    lv.n_parts)) != GH_OK || head == lv.n_queue)
			break;
		p = lv.queue[head];
		pv = lv.queue_v[head++];
	}
out:
	free(lv.parts);
	free(lv.other);
	free(lv.queue);
	free(lv.queue_v);
	return rc;
}

int
tables_units_build(struct tables *r)
{
	struct ub u = { r, NULL, 0 };
	size_t i;
	int rc;

	tables_dim_clear(&r->unit_dim);
	r->unit_dim.is_unit = 1;
	if ((rc = nodes_make(&u)) == GH_OK)
		rc = show(&u);
	for (i = 0; i < u.n_nodes; i++) {
		free(u.nodes[i].name);
		free(u.nodes[i].leaves);
	}
	free(u.nodes);
	return rc;
}
