/*
 * page_research_table.c: the tables of a release page, from its
 * tables.json (research_int.h): one accessible HTML table per declared
 * table (caption, column and row headers with scope) with its SVG chart
 * (page_research_chart.c), then the comparisons and the response per
 * batch.
 *
 * Entry point: research_tables. Data path: the parsed tables.json's
 * "rows" (the columns of tables.csv: table, variable, category, by1,
 * by1_value, by2, by2_value, count, group_n, percent, ci_low, ci_high,
 * flag) are grouped by "table" in order of appearance; "comparisons" and
 * "response" are arrays of objects. Everything is read defensively: a
 * missing member is not shown, and a row whose flag is not "ok" shows
 * only why it is not shown, never a figure, whatever else it holds.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/research_int.h"
#include "pages/tpl.h"

#define MAX_TABLES	1000
#define NUM_MAX		64

/* How a row's figures may be shown. */
enum row_state { ROW_OK, ROW_PRIMARY, ROW_SECONDARY, ROW_ROLLED_UP,
    ROW_HIDDEN };

const char *
research_jtext(const cJSON *o, const char *key, int is_int,
    enum def_lang lang, char *tmp, size_t tmpsz)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	char *comma;

	if (cJSON_IsString(v) && v->valuestring[0] != '\0')
		return v->valuestring;
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return NULL;
	snprintf(tmp, tmpsz, is_int ? "%.0f" : "%.1f", v->valuedouble);
	if (page_lang(lang) == DEF_NL && (comma = strchr(tmp, '.')) != NULL)
		*comma = ',';
	return tmp;
}

int
research_jnum(const cJSON *o, const char *key, double *v)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);
	char *end;

	if (cJSON_IsNumber(j) && isfinite(j->valuedouble)) {
		*v = j->valuedouble;
		return 1;
	}
	if (cJSON_IsString(j) && j->valuestring[0] != '\0') {
		*v = strtod(j->valuestring, &end);
		return *end == '\0' && isfinite(*v);
	}
	return 0;
}

static enum row_state
row_state(const cJSON *row)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(row, "flag");

	if (!cJSON_IsString(f))
		return ROW_HIDDEN;
	if (strcmp(f->valuestring, "ok") == 0)
		return ROW_OK;
	if (strcmp(f->valuestring, "primary") == 0)
		return ROW_PRIMARY;
	if (strcmp(f->valuestring, "secondary") == 0)
		return ROW_SECONDARY;
	if (strcmp(f->valuestring, "rolled_up") == 0)
		return ROW_ROLLED_UP;
	return ROW_HIDDEN;
}

/* A value as shown: "TOTAL" (a margin) in words, "" if missing. */
static const char *
value_text(const cJSON *o, const char *key, enum def_lang lang, char *tmp,
    size_t tmpsz)
{
	const char *s = research_jtext(o, key, 0, lang, tmp, tmpsz);

	if (s == NULL)
		return "";
	return strcmp(s, "TOTAL") == 0 ? page_msg(lang, "research.total") : s;
}

/* Appends <tag attrs>text</tag>, text escaped; attrs are code literals. */
static void
cell(struct buf *b, const char *tag, const char *attrs, const char *text)
{
	buf_printf(b, "<%s%s%s>", tag, *attrs ? " " : "", attrs);
	buf_html(b, text != NULL ? text : "");
	buf_printf(b, "</%s>", tag);
}

/* The text that replaces the figures of a row that is not shown. */
static void
hidden_text(struct buf *b, enum def_lang lang, enum row_state st, int k)
{
	switch (st) {
	case ROW_PRIMARY:
		page_msg_n(b, lang, "research.not_shown", (size_t)k);
		break;
	case ROW_ROLLED_UP:
		buf_puts(b, page_msg(lang, "research.rolled_up"));
		break;
	default:
		page_msg_n(b, lang, "research.not_shown_secondary", (size_t)k);
		break;
	}
}

static void
hidden_cell(struct buf *b, enum def_lang lang, enum row_state st, int k,
    int colspan)
{
	struct buf t = { 0 };

	hidden_text(&t, lang, st, k);
	buf_printf(b, "<td colspan=\"%d\" class=\"r-not-shown\">", colspan);
	buf_html(b, t.data != NULL ? t.data : "");
	buf_puts(b, "</td>");
	buf_free(&t);
}

/* Appends "lo – hi" of row (keys lo, hi) as a cell. */
static void
interval_cell(struct buf *b, const cJSON *row, const char *lo,
    const char *hi, enum def_lang lang)
{
	char t1[NUM_MAX], t2[NUM_MAX], both[2 * NUM_MAX + 8];
	const char *a = research_jtext(row, lo, 0, lang, t1, sizeof(t1));
	const char *z = research_jtext(row, hi, 0, lang, t2, sizeof(t2));

	if (a != NULL && z != NULL)
		snprintf(both, sizeof(both), "%s \xe2\x80\x93 %s", a, z);
	else
		both[0] = '\0';
	cell(b, "td", "class=\"num\"", both);
}

/* Looks table's title up in root's optional "tables" list. */
static const char *
table_title(const cJSON *root, const char *table, enum def_lang lang)
{
	const cJSON *it, *id, *t;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root,
	    "tables")) {
		id = cJSON_GetObjectItemCaseSensitive(it, "id");
		if (!cJSON_IsString(id) || strcmp(id->valuestring, table) != 0)
			continue;
		t = cJSON_GetObjectItemCaseSensitive(it, "title");
		if (cJSON_IsObject(t))
			t = cJSON_GetObjectItemCaseSensitive(t,
			    page_lang_code(lang));
		if (cJSON_IsString(t) && t->valuestring[0] != '\0')
			return t->valuestring;
	}
	return table;
}

static const char *
row_table(const cJSON *row)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(row, "table");

	return cJSON_IsString(t) ? t->valuestring : NULL;
}

/* What the rows of one table have in common. */
struct tinfo {
	const char	*table;
	const cJSON	*first;
	int		 has_by1, has_by2;
};

static void
table_info(const cJSON *rows, struct tinfo *ti)
{
	const cJSON *row;
	const char *t;
	char tmp[NUM_MAX];

	cJSON_ArrayForEach(row, rows) {
		if ((t = row_table(row)) == NULL || strcmp(t, ti->table) != 0)
			continue;
		if (ti->first == NULL)
			ti->first = row;
		if (research_jtext(row, "by1_value", 0, DEF_EN, tmp,
		    sizeof(tmp)) != NULL)
			ti->has_by1 = 1;
		if (research_jtext(row, "by2_value", 0, DEF_EN, tmp,
		    sizeof(tmp)) != NULL)
			ti->has_by2 = 1;
	}
}

static void
table_head(struct buf *b, const struct tinfo *ti, enum def_lang lang)
{
	char tmp[NUM_MAX];

	cell(b, "th", "scope=\"col\"", page_msg(lang, "research.col.category"));
	if (ti->has_by1)
		cell(b, "th", "scope=\"col\"", value_text(ti->first, "by1",
		    lang, tmp, sizeof(tmp)));
	if (ti->has_by2)
		cell(b, "th", "scope=\"col\"", value_text(ti->first, "by2",
		    lang, tmp, sizeof(tmp)));
	cell(b, "th", "scope=\"col\"", page_msg(lang, "research.col.count"));
	cell(b, "th", "scope=\"col\"", page_msg(lang, "research.col.group_n"));
	cell(b, "th", "scope=\"col\"", page_msg(lang, "research.col.percent"));
	cell(b, "th", "scope=\"col\"", page_msg(lang, "research.col.ci"));
}

static void
table_row(struct buf *b, const cJSON *row, const struct tinfo *ti,
    enum def_lang lang, int k)
{
	enum row_state st = row_state(row);
	char tmp[NUM_MAX];

	buf_puts(b, "<tr>");
	cell(b, "th", "scope=\"row\"", value_text(row, "category", lang, tmp,
	    sizeof(tmp)));
	if (ti->has_by1)
		cell(b, "td", "", value_text(row, "by1_value", lang, tmp,
		    sizeof(tmp)));
	if (ti->has_by2)
		cell(b, "td", "", value_text(row, "by2_value", lang, tmp,
		    sizeof(tmp)));
	if (st != ROW_OK) {
		hidden_cell(b, lang, st, k, 4);
	} else {
		cell(b, "td", "class=\"num\"", research_jtext(row, "count", 1,
		    lang, tmp, sizeof(tmp)));
		cell(b, "td", "class=\"num\"", research_jtext(row, "group_n", 1,
		    lang, tmp, sizeof(tmp)));
		cell(b, "td", "class=\"num\"", research_jtext(row, "percent", 0,
		    lang, tmp, sizeof(tmp)));
		interval_cell(b, row, "ci_low", "ci_high", lang);
	}
	buf_puts(b, "</tr>\n");
}

/* "variable by by1, by2" */
static void
table_caption(struct buf *b, const struct tinfo *ti, enum def_lang lang)
{
	char tmp[NUM_MAX];

	buf_puts(b, value_text(ti->first, "variable", lang, tmp, sizeof(tmp)));
	if (ti->has_by1)
		buf_printf(b, " %s %s", page_msg(lang, "research.by"),
		    value_text(ti->first, "by1", lang, tmp, sizeof(tmp)));
	if (ti->has_by2)
		buf_printf(b, ", %s", value_text(ti->first, "by2", lang, tmp,
		    sizeof(tmp)));
}

static int
render_table(struct buf *out, enum def_lang lang, const cJSON *root,
    const char *table, size_t n, int k)
{
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(root, "rows");
	struct tinfo ti = { .table = table };
	struct buf head = { 0 }, body = { 0 }, chart = { 0 }, cap = { 0 };
	const cJSON *row;
	const char *t;
	char hid[32], cid[32];
	int r = GH_ERR_NOMEM;

	table_info(rows, &ti);
	table_head(&head, &ti, lang);
	cJSON_ArrayForEach(row, rows)
		if ((t = row_table(row)) != NULL && strcmp(t, table) == 0)
			table_row(&body, row, &ti, lang, k);
	table_caption(&cap, &ti, lang);
	if ((r = research_chart(&chart, lang, rows, table, n)) != GH_OK)
		goto out;
	if (buf_is_failed(&head) || buf_is_failed(&body) ||
	    buf_is_failed(&cap) || buf_is_failed(&chart)) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	snprintf(hid, sizeof(hid), "table-%zu", n);
	snprintf(cid, sizeof(cid), "caption-%zu", n);
	{
		struct tpl_var vars[] = {
			{ "hid", hid, 0 },
			{ "cid", cid, 0 },
			{ "title", table_title(root, table, lang), 0 },
			{ "caption", cap.data, 0 },
			{ "head", head.data, 1 },
			{ "rows", body.data, 1 },
			{ "chart", chart.len ? chart.data : "", 1 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(out, "research_table.html", vars);
	}
out:
	buf_free(&head);
	buf_free(&body);
	buf_free(&chart);
	buf_free(&cap);
	return r;
}

/* Renders every table of "rows", in order of first appearance. */
static int
render_tables(struct buf *out, enum def_lang lang, const cJSON *root, int k)
{
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(root, "rows");
	const char **seen = NULL, *t;
	const cJSON *row;
	size_t n = 0, i;
	int r = GH_OK;

	if (!cJSON_IsArray(rows))
		return GH_OK;
	if ((seen = calloc(MAX_TABLES, sizeof(*seen))) == NULL)
		return GH_ERR_NOMEM;
	cJSON_ArrayForEach(row, rows) {
		if ((t = row_table(row)) == NULL || t[0] == '\0')
			continue;
		for (i = 0; i < n && strcmp(seen[i], t) != 0; i++)
			;
		if (i < n || n == MAX_TABLES)
			continue;
		seen[n++] = t;
		if ((r = render_table(out, lang, root, t, n, k)) != GH_OK)
			break;
	}
	free(seen);
	return r;
}

/* A column of the comparisons or the response: keys tried in order. */
enum ckind { C_TEXT, C_CAT, C_INT, C_DEC, C_CI, C_BOOL, C_RATE };

struct ccol {
	const char	*label;
	enum ckind	 kind;
	const char	*keys[4];
};

static const struct ccol comparison_cols[] = {
	{ "research.col.table", C_TEXT, { "table" } },
	{ "research.col.category", C_CAT, { "category" } },
	{ "research.col.against", C_TEXT, { "against", "compared_with",
	    "reference", "baseline" } },
	{ "research.col.difference", C_DEC, { "difference", "diff" } },
	{ "research.col.ci", C_CI, { "ci_low", "ci_high" } },
	{ "research.col.significant", C_BOOL, { "significant" } },
	{ NULL, C_TEXT, { NULL } },
};

static const struct ccol response_cols[] = {
	{ "research.col.batch", C_TEXT, { "batch", "unit", "label" } },
	{ "research.col.issued", C_INT, { "issued" } },
	{ "research.col.answered", C_INT, { "answered" } },
	{ "research.col.rate", C_RATE, { "rate", "response_rate" } },
	{ NULL, C_TEXT, { NULL } },
};

static const char *
first_text(const cJSON *o, const struct ccol *c, enum def_lang lang,
    char *tmp, size_t tmpsz)
{
	const char *s;
	size_t i;

	for (i = 0; i < 4 && c->keys[i] != NULL; i++)
		if ((s = research_jtext(o, c->keys[i], c->kind == C_INT, lang,
		    tmp, tmpsz)) != NULL)
			return s;
	return NULL;
}

/* The category with its breakdown values: "ja · unit A". */
static void
cat_cell(struct buf *b, const cJSON *o, enum def_lang lang)
{
	static const char *const keys[] = { "category", "by1_value",
	    "by2_value" };
	struct buf t = { 0 };
	char tmp[NUM_MAX];
	const char *s;
	size_t i;

	for (i = 0; i < 3; i++) {
		s = value_text(o, keys[i], lang, tmp, sizeof(tmp));
		if (*s != '\0')
			buf_printf(&t, "%s%s", t.len ? " \xc2\xb7 " : "", s);
	}
	cell(b, "td", "", t.data != NULL ? t.data : "");
	buf_free(&t);
}

static void
extra_cell(struct buf *b, const cJSON *o, const struct ccol *c,
    enum def_lang lang)
{
	const cJSON *v;
	char tmp[NUM_MAX];
	double a, z;

	switch (c->kind) {
	case C_CAT:
		cat_cell(b, o, lang);
		return;
	case C_CI:
		interval_cell(b, o, c->keys[0], c->keys[1], lang);
		return;
	case C_BOOL:
		v = cJSON_GetObjectItemCaseSensitive(o, c->keys[0]);
		cell(b, "td", "", v == NULL || cJSON_IsNull(v) ? "" :
		    cJSON_IsTrue(v) || (cJSON_IsNumber(v) &&
		    v->valuedouble != 0) || (cJSON_IsString(v) &&
		    (strcmp(v->valuestring, "yes") == 0 ||
		    strcmp(v->valuestring, "true") == 0)) ?
		    page_msg(lang, "research.yes") :
		    page_msg(lang, "research.no"));
		return;
	case C_RATE:
		/* From the counts when both are there: one definition. */
		if (research_jnum(o, "issued", &a) &&
		    research_jnum(o, "answered", &z) && a > 0) {
			snprintf(tmp, sizeof(tmp), "%.1f", 100.0 * z / a);
			if (page_lang(lang) == DEF_NL && strchr(tmp, '.'))
				*strchr(tmp, '.') = ',';
			cell(b, "td", "class=\"num\"", tmp);
			return;
		}
		break;
	default:
		break;
	}
	cell(b, "td", c->kind == C_TEXT ? "" : "class=\"num\"",
	    first_text(o, c, lang, tmp, sizeof(tmp)));
}

static int
render_extra(struct buf *out, enum def_lang lang, const cJSON *arr,
    const char *heading, const char *hid, const struct ccol *cols, int k)
{
	struct buf head = { 0 }, body = { 0 };
	const struct ccol *c;
	const cJSON *o;
	char cid[40];
	int ncols = 0, r;

	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
		return GH_OK;
	for (c = cols; c->label != NULL; c++, ncols++)
		cell(&head, "th", "scope=\"col\"", page_msg(lang, c->label));
	cJSON_ArrayForEach(o, arr) {
		if (!cJSON_IsObject(o))
			continue;
		buf_puts(&body, "<tr>");
		/* A row may say it is not shown; then only its name is. */
		if (cJSON_GetObjectItemCaseSensitive(o, "flag") != NULL &&
		    row_state(o) != ROW_OK) {
			extra_cell(&body, o, &cols[0], lang);
			hidden_cell(&body, lang, row_state(o), k, ncols - 1);
		} else {
			for (c = cols; c->label != NULL; c++)
				extra_cell(&body, o, c, lang);
		}
		buf_puts(&body, "</tr>\n");
	}
	snprintf(cid, sizeof(cid), "%s-caption", hid);
	r = buf_is_failed(&head) || buf_is_failed(&body) ? GH_ERR_NOMEM :
	    GH_OK;
	if (r == GH_OK && body.len > 0) {
		struct tpl_var vars[] = {
			{ "hid", hid, 0 },
			{ "cid", cid, 0 },
			{ "heading", page_msg(lang, heading), 0 },
			{ "head", head.data, 1 },
			{ "rows", body.data, 1 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(out, "research_section.html", vars);
	}
	buf_free(&head);
	buf_free(&body);
	return r;
}

int
research_tables(struct buf *out, enum def_lang lang, const cJSON *root,
    int k)
{
	int r;

	if ((r = render_tables(out, lang, root, k)) != GH_OK ||
	    (r = render_extra(out, lang, cJSON_GetObjectItemCaseSensitive(root,
	    "comparisons"), "research.comparisons", "comparisons",
	    comparison_cols, k)) != GH_OK ||
	    (r = render_extra(out, lang, cJSON_GetObjectItemCaseSensitive(root,
	    "response"), "research.response", "response", response_cols,
	    k)) != GH_OK)
		return r;
	return buf_is_failed(out) ? GH_ERR_NOMEM : GH_OK;
}
