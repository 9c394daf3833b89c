/*
 * plan_baseline.c: a plan's "baselines" (plan.h): which baseline figure
 * each indicator is compared with in this release. An entry replaces the
 * link the definition gives an indicator, or ({"baseline": null}) removes
 * it; the answers and the wave are not touched, so the comparison of a
 * running or closed wave can follow what is learned about the baseline
 * (its wording, its population) after answers have arrived.
 *
 * Entry points: plan_load_baselines (parse, from plan.c), plan_baseline_link.
 */
#include <stdlib.h>
#include <string.h>

#include "release/plan_int.h"

static const char *const entry_keys[] = { "indicator", "baseline" };
enum { E_INDICATOR, E_BASELINE, E_N };

static const char *const link_keys[] = { "id", "indicator" };
enum { L_ID, L_INDICATOR, L_N };

static int
indicator_index(struct plan_loader *l, const char *path, const cJSON *v,
    size_t *out)
{
	size_t i;

	if (!cJSON_IsString(v))
		return json_fail(&l->j, path, v == NULL ? "missing" :
		    "must be a string");
	for (i = 0; i < l->d->n_indicators; i++)
		if (strcmp(l->d->indicators[i].id, v->valuestring) == 0) {
			*out = i;
			return GH_OK;
		}
	return json_fail(&l->j, path, "the definition has no indicator \"%.64s\"",
	    v->valuestring);
}

static int
parse_entry(struct plan_loader *l, const char *path, const cJSON *v,
    struct plan_baseline *b)
{
	const cJSON *k[E_N], *lk[L_N];
	char sub[JSON_PATH_MAX];
	size_t i;
	int r;

	if ((r = json_keys(&l->j, path, v, entry_keys, E_N, k)) != GH_OK)
		return r;
	json_path(sub, path, ".indicator");
	if ((r = indicator_index(l, sub, k[E_INDICATOR], &b->indicator)) !=
	    GH_OK)
		return r;
	for (i = 0; i + 1 < l->p->n_baselines; i++)
		if (l->p->baselines[i].indicator == b->indicator)
			return json_fail(&l->j, sub, "the same indicator twice");
	json_path(sub, path, ".baseline");
	if (k[E_BASELINE] == NULL)
		return json_fail(&l->j, sub, "missing (null: no baseline)");
	if (cJSON_IsNull(k[E_BASELINE]))
		return GH_OK;
	if ((r = json_keys(&l->j, sub, k[E_BASELINE], link_keys, L_N, lk)) !=
	    GH_OK)
		return r;
	json_path(sub, path, ".baseline.id");
	if ((r = json_id(&l->j, sub, lk[L_ID], &b->id)) != GH_OK)
		return r;
	json_path(sub, path, ".baseline.indicator");
	return json_id(&l->j, sub, lk[L_INDICATOR], &b->bind);
}

int
plan_load_baselines(struct plan_loader *l, const cJSON *v)
{
	const cJSON *it;
	char path[JSON_PATH_MAX];
	int r;

	if (v == NULL)
		return GH_OK;
	if ((r = json_array(&l->j, "$.baselines", v, 100)) != GH_OK)
		return r;
	if ((l->p->baselines = calloc((size_t)cJSON_GetArraySize(v),
	    sizeof(*l->p->baselines))) == NULL)
		return json_nomem(&l->j);
	for (it = v->child; it != NULL; it = it->next) {
		json_path(path, "$.baselines", "[%zu]", l->p->n_baselines);
		l->p->n_baselines++;
		if ((r = parse_entry(l, path, it,
		    &l->p->baselines[l->p->n_baselines - 1])) != GH_OK)
			return r;
	}
	return GH_OK;
}

void
plan_baseline_link(const struct plan *p, const struct def *d, size_t ind,
    const char **id, const char **bind)
{
	size_t i;

	*id = d->indicators[ind].baseline_id;
	*bind = d->indicators[ind].baseline_indicator;
	for (i = 0; i < p->n_baselines; i++)
		if (p->baselines[i].indicator == ind) {
			*id = p->baselines[i].id;
			*bind = p->baselines[i].bind;
		}
}
