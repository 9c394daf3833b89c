/*
 * reference.c: the reference figures a release shows next to its
 * results (release.h): the organisation's targets and figures from other
 * sources, each with its source, population and what it compares with,
 * from the JSON files of reference/ beside the plans' folder. Only
 * figures that name the wave's definition are taken; tables.json carries
 * them, so they are signed with the release.
 *
 * Entry points: release_references_load (before release_publish), and the array
 * rl->references, freed by release_compare_free.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "release/release.h"
#include "survey/def_json.h"

#define REF_MAX_FILES	20

static int
is_text(const cJSON *o)
{
	const cJSON *nl = cJSON_GetObjectItemCaseSensitive(o, "nl");
	const cJSON *en = cJSON_GetObjectItemCaseSensitive(o, "en");

	return cJSON_IsString(nl) && cJSON_IsString(en) &&
	    nl->valuestring[0] != '\0' && en->valuestring[0] != '\0';
}

/* What a figure must have; NULL if it has it, else the field at fault. */
static const char *
figure_fault(const cJSON *f)
{
	const cJSON *v;

	v = cJSON_GetObjectItemCaseSensitive(f, "id");
	if (!cJSON_IsString(v))
		return "id: must be a string";
	if (!is_text(cJSON_GetObjectItemCaseSensitive(f, "label")))
		return "label: needs nl and en texts";
	if (!is_text(cJSON_GetObjectItemCaseSensitive(f, "source")))
		return "source: needs nl and en texts";
	if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(f, "value")))
		return "value: must be a number";
	v = cJSON_GetObjectItemCaseSensitive(f, "compares_with");
	if (v != NULL && !cJSON_IsArray(v))
		return "compares_with: must be an array";
	return NULL;
}

/* Adds to out the figures of root that compare with definition def. */
static int
take_figures(const char *path, const cJSON *root, const char *def,
    cJSON *out)
{
	const cJSON *figs, *f, *cw, *c, *d;
	const char *fault;
	cJSON *copy, *mine;
	int i = 0;

	figs = cJSON_GetObjectItemCaseSensitive(root, "figures");
	if (!cJSON_IsArray(figs)) {
		fprintf(stderr, "gehoord release: %s: $.figures: must be an "
		    "array\n", path);
		return GH_ERR_INVALID;
	}
	cJSON_ArrayForEach(f, figs) {
		if ((fault = figure_fault(f)) != NULL) {
			fprintf(stderr, "gehoord release: %s: $.figures[%d].%s\n",
			    path, i, fault);
			return GH_ERR_INVALID;
		}
		i++;
		if ((mine = cJSON_CreateArray()) == NULL)
			return GH_ERR_NOMEM;
		cw = cJSON_GetObjectItemCaseSensitive(f, "compares_with");
		cJSON_ArrayForEach(c, cw) {
			d = cJSON_GetObjectItemCaseSensitive(c, "definition");
			if (cJSON_IsString(d) && strcmp(d->valuestring, def) ==
			    0)
				cJSON_AddItemToArray(mine,
				    cJSON_Duplicate(c, 1));
		}
		if (cJSON_GetArraySize(mine) == 0 ||
		    (copy = cJSON_Duplicate(f, 1)) == NULL) {
			cJSON_Delete(mine);
			continue;
		}
		cJSON_ReplaceItemInObjectCaseSensitive(copy, "compares_with",
		    mine);
		cJSON_AddItemToArray(out, copy);
	}
	return GH_OK;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
release_references_load(struct release *rl)
{
	char dir[4096], path[4096 + 256], err[512], *names[REF_MAX_FILES];
	char *json = NULL;
	struct dirent *e;
	cJSON *root;
	size_t n = 0, i, len;
	DIR *dp;
	int rc = GH_OK;

	if ((rl->references = cJSON_CreateArray()) == NULL)
		return GH_ERR_NOMEM;
	snprintf(dir, sizeof(dir), "%s/../reference", rl->plan_dir);
	if ((dp = opendir(dir)) == NULL)
		return GH_OK;	/* none: nothing to show */
	while ((e = readdir(dp)) != NULL && n < REF_MAX_FILES) {
		len = strlen(e->d_name);
		if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0 &&
		    (names[n] = strdup(e->d_name)) != NULL)
			n++;
	}
	closedir(dp);
	/* In name order, so that a release does not depend on the disk. */
	qsort(names, n, sizeof(names[0]), cmp_name);
	for (i = 0; i < n && rc == GH_OK; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if ((rc = json_read_file(path, DEF_MAX_FILE, &json, &len, err,
		    sizeof(err))) != GH_OK) {
			fprintf(stderr, "gehoord release: %s\n", err);
			continue;
		}
		if ((root = cJSON_ParseWithLength(json, len)) == NULL) {
			fprintf(stderr, "gehoord release: %s: invalid JSON\n",
			    path);
			rc = GH_ERR_INVALID;
		} else {
			rc = take_figures(path, root, rl->d->id,
			    rl->references);
		}
		cJSON_Delete(root);
		free(json);
		json = NULL;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	return rc;
}
