/*
 * plan_int.h: what the parts of the plan parser share (internal to
 * server/release/plan*.c): the parse in progress and its checked readers.
 */
#ifndef GH_PLAN_INT_H
#define GH_PLAN_INT_H

#include <cjson/cJSON.h>

#include "release/plan.h"
#include "survey/def_json.h"

struct pl {
	struct dj	 j;
	const struct def *d;
	struct plan	*p;
};

/* Checks that v at path is an array of 1 to max entries. */
int pl_array_of(struct pl *l, const char *path, const cJSON *v, int max)
    GH_WUR;

/* Checks $.baselines (v, may be NULL) into l->p->baselines. */
int pl_baselines(struct pl *l, const cJSON *v) GH_WUR;

/* Checks $.tables (v) into l->p->tables. */
int pl_tables(struct pl *l, const cJSON *v) GH_WUR;

#endif
