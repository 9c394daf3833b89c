/*
 * page_research_table.c: the tables of a release page, from its
 * tables.json (research_int.h): one accessible HTML table per declared
 * table (caption, column and row headers with scope) with its SVG chart
 * (page_research_chart.c) and its comparisons, then the release's
 * response (page_research_extra.c). A table is headed by its name in
 * words, "variable by by1 and by2" from the labels research_labels put
 * in its rows; the plan's table id is small print under it.
 *
 * Entry point: research_tables. Data path: the parsed tables.json's
 * "rows" (the columns of tables.csv: table, variable, category, by1,
 * by1_value, by2, by2_value, count, group_n, percent, ci_low, ci_high,
 * flag; a scale's row has category "mean" and its mean in percent) are
 * grouped by "table" in order of appearance. Everything is read
 * defensively: a missing member is not shown, and a row whose flag is
 * not "ok" shows only why it is not shown, never a figure, whatever else
 * it holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/research_int.h"
#include "pages/tpl.h"

#define MAX_TABLES	1000
#define NUM_MAX		64
#define COL		"scope=\"col\""
#define NUM		"class=\"num\""

/* The title of table in root's optional "tables" list, or NULL. */
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
	return NULL;
}

static const char *
row_table(const cJSON *row)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(row, "table");

	return cJSON_IsString(t) ? t->valuestring : NULL;
}

/*
 * The name of a variable of row (key "variable", "by1" or "by2"): its
 * codebook label ("KEY_label", research_labels) if it has one.
 */
static const char *
name_of(const cJSON *row, const char *key, enum def_lang lang, char *tmp,
    size_t tmpsz)
{
	char lkey[32];
	const char *s;

	snprintf(lkey, sizeof(lkey), "%s_label", key);
	if ((s = research_jtext(row, lkey, 0, lang, tmp, tmpsz)) != NULL)
		return s;
	return research_value_text(row, key, lang, tmp, tmpsz);
}

/* What the rows of one table have in common. */
struct tinfo {
	const char	*table;
	const cJSON	*first;
	int		 has_by1, has_by2;
	int		 is_mean;	/* a scale: means, not percentages */
	int		 has_cmp;	/* a row has comparisons */
};

static void
table_info(const cJSON *rows, struct tinfo *ti)
{
	const cJSON *row;
	const char *t, *c;
	char tmp[NUM_MAX];

	cJSON_ArrayForEach(row, rows) {
		if ((t = row_table(row)) == NULL || strcmp(t, ti->table) != 0)
			continue;
		if (ti->first == NULL)
			ti->first = row;
		if ((c = research_jtext(row, "category", 0, DEF_EN, tmp,
		    sizeof(tmp))) != NULL && strcmp(c, "mean") == 0)
			ti->is_mean = 1;
		if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(row,
		    "comparisons")) > 0)
			ti->has_cmp = 1;
		if (research_jtext(row, "by1_value", 0, DEF_EN, tmp,
		    sizeof(tmp)) != NULL)
			ti->has_by1 = 1;
		if (research_jtext(row, "by2_value", 0, DEF_EN, tmp,
		    sizeof(tmp)) != NULL)
			ti->has_by2 = 1;
	}
}

/* A column header with the text of key. */
static void
col(struct buf *b, enum def_lang lang, const char *key)
{
	research_cell(b, "th", COL, page_msg(lang, key));
}

/* A column header naming breakdown key, its first letter a capital. */
static void
by_head(struct buf *b, const struct tinfo *ti, const char *key,
    enum def_lang lang)
{
	struct buf t = { 0 };
	char tmp[NUM_MAX];

	buf_puts(&t, name_of(ti->first, key, lang, tmp, sizeof(tmp)));
	if (t.len > 0 && t.data[0] >= 'a' && t.data[0] <= 'z')
		t.data[0] = (char)(t.data[0] - 'a' + 'A');
	research_cell(b, "th", COL, t.len > 0 ? t.data : "");
	if (buf_is_failed(&t))
		b->failed = 1;	/* seen where b is checked */
	buf_free(&t);
}

static void
table_head(struct buf *b, const struct tinfo *ti, enum def_lang lang)
{
	col(b, lang, "research.col.category");
	if (ti->has_by1)
		by_head(b, ti, "by1", lang);
	if (ti->has_by2)
		by_head(b, ti, "by2", lang);
	col(b, lang, "research.col.count");
	col(b, lang, "research.col.group_n");
	col(b, lang, ti->is_mean ? "research.col.mean" :
	    "research.col.percent");
	col(b, lang, "research.col.ci");
	col(b, lang, "research.col.base");
}

/*
 * Who a percent (or a mean) is of, and how many: "van wie inhoudelijk
 * antwoordde, n = 85"; an indicator measured among some says who in its
 * own words. Empty where the row has no percent.
 */
static void
base_cell(struct buf *b, const cJSON *row, enum def_lang lang)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(row, "base");
	const cJSON *bl = cJSON_GetObjectItemCaseSensitive(row, "base_label");
	const cJSON *words = NULL;
	char key[64], tmp[NUM_MAX];
	const char *n = research_jtext(row, "base_n", 1, lang, tmp,
	    sizeof(tmp));

	buf_puts(b, "<td>");
	if (cJSON_IsString(kind) && n != NULL && strlen(kind->valuestring) <
	    32) {
		if (cJSON_IsObject(bl))
			words = cJSON_GetObjectItemCaseSensitive(bl,
			    def_lang_code(lang));
		if (words != NULL && cJSON_IsString(words))
			buf_html(b, words->valuestring);
		else {
			snprintf(key, sizeof(key), "research.base.%s",
			    kind->valuestring);
			buf_html(b, page_msg(lang, key));
		}
		buf_puts(b, ", n\xc2\xa0=\xc2\xa0");
		buf_html(b, n);
	}
	buf_puts(b, "</td>");
}

/* A figure of row: key as a whole number (is_int) or with one decimal. */
static void
num(struct buf *b, const cJSON *row, const char *key, int is_int,
    enum def_lang lang)
{
	char tmp[NUM_MAX];

	research_cell(b, "td", NUM, research_jtext(row, key, is_int, lang, tmp,
	    sizeof(tmp)));
}

/* A value of row (category or a breakdown's) in a cell of tag. */
static void
value(struct buf *b, const char *tag, const char *attrs, const cJSON *row,
    const char *key, enum def_lang lang)
{
	char tmp[NUM_MAX];

	research_cell(b, tag, attrs, research_value_text(row, key, lang, tmp,
	    sizeof(tmp)));
}

static void
table_row(struct buf *b, const cJSON *row, const struct tinfo *ti,
    enum def_lang lang, int k)
{
	enum research_row st = research_row_state(row);

	buf_puts(b, "<tr>");
	value(b, "th", "scope=\"row\"", row, "category", lang);
	if (ti->has_by1)
		value(b, "td", "", row, "by1_value", lang);
	if (ti->has_by2)
		value(b, "td", "", row, "by2_value", lang);
	if (st != ROW_OK) {
		research_hidden_cell(b, lang, st, k, 5);
	} else {
		num(b, row, "count", 1, lang);
		num(b, row, "group_n", 1, lang);
		num(b, row, "percent", 0, lang);
		research_interval_cell(b, row, "ci_low", "ci_high", lang);
		base_cell(b, row, lang);
	}
	buf_puts(b, "</tr>\n");
}

/*
 * The table's name in words: "variable by by1 and by2", as tables.csv's
 * table_label (release/labels.c); a label that ends a sentence ("How old
 * are you?") gets a dash before "by".
 */
static void
table_label(struct buf *b, const struct tinfo *ti, enum def_lang lang)
{
	char tmp[NUM_MAX];
	const char *v = name_of(ti->first, "variable", lang, tmp, sizeof(tmp));
	size_t len = strlen(v);

	buf_puts(b, v);
	if (!ti->has_by1 && !ti->has_by2)
		return;
	if (len > 0 && strchr("?.!:", v[len - 1]) != NULL)
		buf_puts(b, " \xe2\x80\x93");
	buf_printf(b, " %s", page_msg(lang, "research.by"));
	if (ti->has_by1)
		buf_printf(b, " %s", name_of(ti->first, "by1", lang, tmp,
		    sizeof(tmp)));
	if (ti->has_by1 && ti->has_by2)
		buf_printf(b, " %s", page_msg(lang, "research.and"));
	if (ti->has_by2)
		buf_printf(b, " %s", name_of(ti->first, "by2", lang, tmp,
		    sizeof(tmp)));
}

/*
 * The anchor of table n: "t-" and its id, a link that stays the same
 * from release to release of a plan; "table-N" for an id that a plan
 * would not allow ([a-z0-9_-]).
 */
static void
anchor_of(char *out, size_t outsz, const char *table, size_t n)
{
	size_t len = strlen(table);

	if (len <= 64 && strspn(table, "abcdefghijklmnopqrstuvwxyz"
	    "0123456789_-") == len)
		snprintf(out, outsz, "t-%s", table);
	else
		snprintf(out, outsz, "table-%zu", n);
}

static int
render_table(struct buf *out, struct research_toc *toc, enum def_lang lang,
    const cJSON *root, const char *table, size_t n, int k)
{
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(root, "rows");
	struct tinfo ti = { .table = table };
	struct buf head = { 0 }, body = { 0 }, chart = { 0 }, label = { 0 };
	struct buf cmp = { 0 }, code = { 0 };
	const cJSON *row;
	const char *t, *title;
	char hid[80], cid[32];
	int r = GH_ERR_NOMEM;

	table_info(rows, &ti);
	table_head(&head, &ti, lang);
	cJSON_ArrayForEach(row, rows)
		if ((t = row_table(row)) != NULL && strcmp(t, table) == 0)
			table_row(&body, row, &ti, lang, k);
	table_label(&label, &ti, lang);
	research_msg_name(&code, lang, "research.table_code", table);
	/* A title the release gives, else the table's name in words, else
	 * its code. */
	if (label.len == 0)
		buf_puts(&label, table);
	if (buf_is_failed(&label) || buf_is_failed(&code))
		goto out;
	if ((title = table_title(root, table, lang)) == NULL)
		title = label.data;
	if ((r = research_chart(&chart, lang, rows, table, n)) != GH_OK ||
	    (ti.has_cmp && (r = research_row_comparisons(&cmp, lang, rows,
	    table, title, n)) != GH_OK))
		goto out;
	if (buf_is_failed(&head) || buf_is_failed(&body) ||
	    buf_is_failed(&chart)) {
		r = GH_ERR_NOMEM;
		goto out;
	}
	anchor_of(hid, sizeof(hid), table, n);
	snprintf(cid, sizeof(cid), "caption-%zu", n);
	{
		struct tpl_var vars[] = {
			{ "hid", hid, 0 },
			{ "cid", cid, 0 },
			{ "title", title, 0 },
			{ "code", code.data, 0 },
			{ "caption", label.data, 0 },
			{ "head", head.data, 1 },
			{ "rows", body.data, 1 },
			{ "chart", chart.len ? chart.data : "", 1 },
			{ "comparisons", cmp.len ? cmp.data : "", 1 },
			{ NULL, NULL, 0 },
		};
		if ((r = tpl_render(out, "research_table.html", vars)) == GH_OK)
			r = research_toc_item(&toc->tables, hid, title);
	}
out:
	buf_free(&head);
	buf_free(&body);
	buf_free(&chart);
	buf_free(&label);
	buf_free(&code);
	buf_free(&cmp);
	return r;
}

/* Renders every table of "rows", in order of first appearance. */
static int
render_tables(struct buf *out, struct research_toc *toc, enum def_lang lang,
    const cJSON *root, int k)
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
		if ((r = render_table(out, toc, lang, root, t, n, k)) != GH_OK)
			break;
	}
	free(seen);
	return r;
}

int
research_tables(struct buf *out, struct research_toc *toc,
    enum def_lang lang, const cJSON *root, int k)
{
	int r;

	if ((r = render_tables(out, toc, lang, root, k)) != GH_OK ||
	    (r = research_extra(out, toc, lang, root, k)) != GH_OK)
		return r;
	return buf_is_failed(out) || buf_is_failed(&toc->tables) ||
	    buf_is_failed(&toc->sections) ? GH_ERR_NOMEM : GH_OK;
}
