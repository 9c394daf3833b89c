/*
 * plan_int.h: what the parts of the plan parser share (internal to
 * server/release/plan*.c): the parse in progress and its checked readers.
 */
#ifndef GH_PLAN_INT_H
#define GH_PLAN_INT_H

#include <cjson/cJSON.h>

#include "release/plan.h"
#include "survey/def_json.h"

struct plan_loader {
	struct json_ctx	 j;
	const struct def *d;
	struct plan	*p;
};

/* Checks $.baselines (v, may be NULL) into l->p->baselines. */
int plan_load_baselines(struct plan_loader *l, const cJSON *v) GH_WUR;

/* Checks $.tables (v) into l->p->tables. */
int plan_load_tables(struct plan_loader *l, const cJSON *v) GH_WUR;

#endif
