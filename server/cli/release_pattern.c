/*
 * release_pattern.c: the suppression pattern of gehoord release
 * --dry-run (release_pattern.h).
 *
 * Entry point: release_pattern_write. Data path: release_rows gives
 * every row of every table in order -> per table, its categories become
 * the columns and its groups (the breakdowns' values, "TOTAL" for none)
 * the rows, in the order first seen; a cell is marked suppressed when
 * its flag is not "ok" (primary, secondary and rolled_up alike, so the
 * pattern does not say which rule hid a cell) -> cJSON -> a new file.
 * No count, percent or group size is read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli/release_pattern.h"
#include "util/file.h"

/* The table being read: its names, and its cells as they come. */
struct pat_table {
	cJSON		*obj;		/* in the tables array */
	cJSON		*cols;		/* its "columns" */
	cJSON		*rows;		/* its "rows" */
	const char	*id;
};

struct pat {
	cJSON			*tables;
	struct pat_table	 t;
	int			 r;
};

/* The index of the string s in arr, appended if new; -1: no memory. */
static int
index_of(cJSON *arr, const char *s)
{
	const cJSON *it;
	int i = 0;

	cJSON_ArrayForEach(it, arr) {
		if (strcmp(it->valuestring, s) == 0)
			return i;
		i++;
	}
	if (!cJSON_AddItemToArray(arr, cJSON_CreateString(s)))
		return -1;
	return i;
}

/* The group of row r: "a, b", or TOTAL with no breakdown. */
static void
group_text(const struct release_table_row *r, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s%s%s", r->by_value[0] != NULL ?
	    r->by_value[0] : "TOTAL", r->by_value[1] != NULL ? ", " : "",
	    r->by_value[1] != NULL ? r->by_value[1] : "");
}

static int
table_start(struct pat *p, const char *id)
{
	cJSON *o = cJSON_CreateObject();

	p->t.obj = o;
	p->t.id = id;
	if (o == NULL || !cJSON_AddItemToArray(p->tables, o) ||
	    cJSON_AddStringToObject(o, "id", id) == NULL ||
	    (p->t.cols = cJSON_AddArrayToObject(o, "columns")) == NULL ||
	    (p->t.rows = cJSON_AddArrayToObject(o, "rows")) == NULL)
		return GH_ERR_NOMEM;
	return GH_OK;
}

/* The row of group in the table, made with a mark per column so far. */
static cJSON *
row_get(struct pat *p, const char *group)
{
	cJSON *row, *g;

	cJSON_ArrayForEach(row, p->t.rows) {
		g = cJSON_GetObjectItemCaseSensitive(row, "group");
		if (strcmp(g->valuestring, group) == 0)
			return row;
	}
	if ((row = cJSON_CreateObject()) == NULL ||
	    !cJSON_AddItemToArray(p->t.rows, row) ||
	    cJSON_AddStringToObject(row, "group", group) == NULL ||
	    cJSON_AddArrayToObject(row, "suppressed") == NULL)
		return NULL;
	return row;
}

/* Gives every row of the table a mark (false) for each column. */
static int
rows_pad(struct pat *p)
{
	cJSON *row, *m;
	int n = cJSON_GetArraySize(p->t.cols);

	cJSON_ArrayForEach(row, p->t.rows) {
		m = cJSON_GetObjectItemCaseSensitive(row, "suppressed");
		while (cJSON_GetArraySize(m) < n)
			if (!cJSON_AddItemToArray(m, cJSON_CreateFalse()))
				return GH_ERR_NOMEM;
	}
	return GH_OK;
}

static int
on_row(void *arg, const struct release_table_row *r)
{
	struct pat *p = arg;
	char group[512];
	cJSON *row, *marks;
	int col;

	if ((p->t.id == NULL || strcmp(p->t.id, r->table) != 0) &&
	    (p->r = table_start(p, r->table)) != GH_OK)
		return p->r;
	group_text(r, group, sizeof(group));
	p->r = GH_ERR_NOMEM;
	if ((col = index_of(p->t.cols, r->category)) < 0 ||
	    (row = row_get(p, group)) == NULL || rows_pad(p) != GH_OK)
		return p->r;
	marks = cJSON_GetObjectItemCaseSensitive(row, "suppressed");
	if (!cJSON_ReplaceItemInArray(marks, col,
	    cJSON_CreateBool(strcmp(r->flag, "ok") != 0)))
		return p->r;
	p->r = GH_OK;
	return GH_OK;
}

int
release_pattern_write(const struct release *rl, const char *path)
{
	struct pat p;
	cJSON *root = cJSON_CreateObject();
	char *text = NULL;
	int r = GH_ERR_NOMEM;

	memset(&p, 0, sizeof(p));
	if (root == NULL ||
	    cJSON_AddNumberToObject(root, "format", 1) == NULL ||
	    cJSON_AddStringToObject(root, "kind", "suppression_pattern") ==
	    NULL ||
	    cJSON_AddStringToObject(root, "wave", rl->w->name) == NULL ||
	    cJSON_AddNumberToObject(root, "k", rl->rel->k) == NULL ||
	    (p.tables = cJSON_AddArrayToObject(root, "tables")) == NULL)
		goto out;
	if ((r = release_rows(rl, on_row, &p)) != GH_OK)
		goto out;
	r = GH_ERR_NOMEM;
	if ((text = cJSON_Print(root)) == NULL)
		goto out;
	r = file_write_new(path, text, strlen(text), 0644);
out:
	if (r == GH_ERR_EXISTS)
		fprintf(stderr, "gehoord release: --out: %s exists already\n",
		    path);
	else if (r != GH_OK)
		fprintf(stderr, "gehoord release: --out: %s: %s\n", path,
		    gh_err_str(r));
	cJSON_free(text);
	cJSON_Delete(root);
	return r;
}
