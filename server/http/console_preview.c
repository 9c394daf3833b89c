/*
 * console_preview.c: reads a suppression pattern (console_preview.h).
 *
 * Entry points: console_preview_parse, console_preview_free. Data path:
 * the bytes -> cJSON -> the header (format, kind, wave, k) -> each table
 * (id, columns, rows with one boolean per column) into the page's
 * struct console_preview_table, counting cells against
 * PREVIEW_CELLS_MAX. Nothing is logged.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "http/console_preview.h"
#include "util/utf8.h"

/* Whether s (n bytes) is strict UTF-8 without control characters. */
static int
is_clean_text(const char *s, size_t n)
{
	uint32_t cp;
	size_t i = 0;

	while (i < n)
		if (utf8_next((const uint8_t *)s, n, &i, &cp) != 0 ||
		    utf8_is_control(cp))
			return 0;
	return 1;
}

/* A copy of a string item that is a name: NULL if it is none. */
static char *
text_dup(const cJSON *it)
{
	size_t n;

	if (!cJSON_IsString(it) || it->valuestring == NULL)
		return NULL;
	n = strlen(it->valuestring);
	if (n == 0 || n > PREVIEW_TEXT_MAX ||
	    !is_clean_text(it->valuestring, n))
		return NULL;
	return strdup(it->valuestring);
}

static int
columns_read(const cJSON *cols, struct console_preview_table *t)
{
	const cJSON *c;
	int n = cJSON_GetArraySize(cols);

	if (!cJSON_IsArray(cols) || n < 1 || n > PREVIEW_COLS_MAX)
		return GH_ERR_INVALID;
	if ((t->cols = calloc((size_t)n, sizeof(*t->cols))) == NULL)
		return GH_ERR_NOMEM;
	cJSON_ArrayForEach(c, cols) {
		if ((t->cols[t->n_cols] = text_dup(c)) == NULL)
			return GH_ERR_INVALID;
		t->n_cols++;
	}
	return GH_OK;
}

static int
rows_read(const cJSON *rows, struct console_preview_table *t,
    size_t *cells)
{
	const cJSON *row, *marks, *m;
	size_t j;
	int n = cJSON_GetArraySize(rows);

	if (!cJSON_IsArray(rows) || n < 1 || n > PREVIEW_ROWS_MAX ||
	    (size_t)n * t->n_cols > PREVIEW_CELLS_MAX - *cells)
		return GH_ERR_INVALID;
	*cells += (size_t)n * t->n_cols;
	if ((t->rows = calloc((size_t)n, sizeof(*t->rows))) == NULL ||
	    (t->is_suppressed = calloc((size_t)n * t->n_cols, 1)) == NULL)
		return GH_ERR_NOMEM;
	cJSON_ArrayForEach(row, rows) {
		marks = cJSON_GetObjectItemCaseSensitive(row, "suppressed");
		if (!cJSON_IsObject(row) || (t->rows[t->n_rows] = text_dup(
		    cJSON_GetObjectItemCaseSensitive(row, "group"))) == NULL)
			return GH_ERR_INVALID;
		t->n_rows++;
		if (!cJSON_IsArray(marks) ||
		    (size_t)cJSON_GetArraySize(marks) != t->n_cols)
			return GH_ERR_INVALID;
		j = 0;
		cJSON_ArrayForEach(m, marks) {
			if (!cJSON_IsBool(m))
				return GH_ERR_INVALID;
			t->is_suppressed[(t->n_rows - 1) * t->n_cols + j++] =
			    cJSON_IsTrue(m) ? 1 : 0;
		}
	}
	return GH_OK;
}

static int
tables_read(const cJSON *tables, struct console_preview *out)
{
	const cJSON *t;
	size_t cells = 0;
	int n = cJSON_GetArraySize(tables), r;

	if (!cJSON_IsArray(tables) || n < 1 || n > PREVIEW_TABLES_MAX)
		return GH_ERR_INVALID;
	if ((out->tables = calloc((size_t)n, sizeof(*out->tables))) == NULL)
		return GH_ERR_NOMEM;
	cJSON_ArrayForEach(t, tables) {
		struct console_preview_table *pt = &out->tables[out->n_tables++];

		if (!cJSON_IsObject(t) || (pt->id = text_dup(
		    cJSON_GetObjectItemCaseSensitive(t, "id"))) == NULL)
			return GH_ERR_INVALID;
		if ((r = columns_read(cJSON_GetObjectItemCaseSensitive(t,
		    "columns"), pt)) != GH_OK ||
		    (r = rows_read(cJSON_GetObjectItemCaseSensitive(t, "rows"),
		    pt, &cells)) != GH_OK)
			return r;
	}
	return GH_OK;
}

int
console_preview_parse(const uint8_t *data, size_t len,
    struct console_preview *out)
{
	const cJSON *f, *kind, *k;
	cJSON *root;
	int r = GH_ERR_INVALID;

	memset(out, 0, sizeof(*out));
	if (data == NULL || len == 0 ||
	    (root = cJSON_ParseWithLength((const char *)data, len)) == NULL)
		return GH_ERR_INVALID;
	f = cJSON_GetObjectItemCaseSensitive(root, "format");
	kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
	k = cJSON_GetObjectItemCaseSensitive(root, "k");
	if (!cJSON_IsNumber(f) || f->valueint != 1 ||
	    !cJSON_IsString(kind) ||
	    strcmp(kind->valuestring, "suppression_pattern") != 0 ||
	    !cJSON_IsNumber(k) || k->valuedouble < 1 ||
	    k->valuedouble > 1000000 ||
	    (out->wave = text_dup(cJSON_GetObjectItemCaseSensitive(root,
	    "wave"))) == NULL)
		goto out;
	out->k = k->valueint;
	r = tables_read(cJSON_GetObjectItemCaseSensitive(root, "tables"), out);
out:
	cJSON_Delete(root);
	return r;
}

void
console_preview_free(struct console_preview *out)
{
	size_t i, j;

	for (i = 0; i < out->n_tables; i++) {
		struct console_preview_table *t = &out->tables[i];

		free(t->id);
		for (j = 0; j < t->n_cols; j++)
			free(t->cols[j]);
		for (j = 0; j < t->n_rows; j++)
			free(t->rows[j]);
		free(t->cols);
		free(t->rows);
		free(t->is_suppressed);
	}
	free(out->tables);
	free(out->wave);
	memset(out, 0, sizeof(*out));
}
