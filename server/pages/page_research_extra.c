/*
 * page_research_extra.c: the comparisons and the response of a release
 * page (research_int.h), from tables.json: each row's "comparisons" (with
 * an earlier wave or the baseline: "with", "percent", "difference",
 * "ci_low", "ci_high", "significant") under its table, a top-level
 * "comparisons" list if there is one, and the "response": per unit
 * ("units": "unit", null for the batches without one, "issued",
 * "answered") with the whole wave's as a last row, and a note when the
 * answers carry no unit ("answered_per_unit" false); an older release's
 * list per batch ("unit" or "batch", "issued", "answered") as it was.
 * The rate is worked out from issued and answered. Then the "references":
 * the organisation's targets and other sources' figures, each with its
 * year, population, source and note. As everywhere on these
 * pages, a row flagged other than "ok" shows only its name and why it is
 * not shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/research_int.h"
#include "pages/tpl.h"

#define NUM_MAX		64

/* A column of the comparisons or the response: keys tried in order. */
enum ckind {
	C_TEXT, C_CAT, C_INT, C_DEC, C_CI, C_BOOL, C_RATE, C_UNIT,
	C_LTEXT		/* {"nl": ..., "en": ...}: the page's language */
};

struct ccol {
	const char	*label;
	enum ckind	 kind;
	const char	*keys[4];
};

static const struct ccol comparison_cols[] = {
	{ "research.col.table", C_TEXT, { "table" } },
	{ "research.col.category", C_CAT, { "category" } },
	{ "research.col.against", C_TEXT, { "with", "against",
	    "compared_with", "baseline" } },
	{ "research.col.difference", C_DEC, { "difference", "diff" } },
	{ "research.col.ci", C_CI, { "ci_low", "ci_high" } },
	{ "research.col.significant", C_BOOL, { "significant" } },
	{ NULL, C_TEXT, { NULL } },
};

static const struct ccol response_cols[] = {
	{ "research.col.unit", C_UNIT, { "unit" } },
	{ "research.col.issued", C_INT, { "issued" } },
	{ "research.col.answered", C_INT, { "answered" } },
	{ "research.col.rate", C_RATE, { "rate" } },
	{ NULL, C_TEXT, { NULL } },
};

/* The reference figures shown beside the results, with their sources. */
static const struct ccol reference_cols[] = {
	{ "research.col.reference", C_LTEXT, { "label" } },
	{ "research.col.value", C_DEC, { "value" } },
	{ "research.col.year", C_INT, { "year" } },
	{ "research.col.population", C_LTEXT, { "population" } },
	{ "research.col.source", C_LTEXT, { "source" } },
	{ "research.col.note", C_LTEXT, { "note" } },
	{ NULL, C_TEXT, { NULL } },
};

/* A release made while the response was per batch. */
static const struct ccol response_batch_cols[] = {
	{ "research.col.batch", C_TEXT, { "unit", "label", "batch" } },
	{ "research.col.issued", C_INT, { "issued" } },
	{ "research.col.answered", C_INT, { "answered" } },
	{ "research.col.rate", C_RATE, { "rate", "response_rate" } },
	{ NULL, C_TEXT, { NULL } },
};

/* A section: its rows' columns, and optionally a last row (total, its
 * first column "Total") and a note under the table (a message key). */
struct section {
	const char		*heading, *hid;
	const struct ccol	*cols;
	const cJSON		*total;
	const char		*note;
};

static const char *
first_text(const cJSON *o, const struct ccol *c, enum def_lang lang,
    char *tmp, size_t tmpsz)
{
	const char *s;
	size_t i;

	for (i = 0; i < 4 && c->keys[i] != NULL; i++)
		if ((s = research_jtext(o, c->keys[i], c->kind == C_INT ||
		    c->kind == C_TEXT, lang, tmp, tmpsz)) != NULL)
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
		s = research_value_text(o, keys[i], lang, tmp, sizeof(tmp));
		if (*s != '\0')
			buf_printf(&t, "%s%s", t.len ? " \xc2\xb7 " : "", s);
	}
	research_cell(b, "td", "", t.data != NULL ? t.data : "");
	buf_free(&t);
}

static void
extra_cell(struct buf *b, const cJSON *o, const struct ccol *c,
    enum def_lang lang)
{
	const cJSON *v;
	const char *s;
	char tmp[NUM_MAX];
	double a, z;

	switch (c->kind) {
	case C_CAT:
		cat_cell(b, o, lang);
		return;
	case C_LTEXT:
		v = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(o, c->keys[0]),
		    def_lang_code(page_lang(lang)));
		research_cell(b, "td", "", cJSON_IsString(v) ? v->valuestring :
		    "");
		return;
	case C_UNIT:
		s = first_text(o, c, lang, tmp, sizeof(tmp));
		research_cell(b, "td", "", s != NULL ? s :
		    page_msg(lang, "research.no_unit"));
		return;
	case C_CI:
		research_interval_cell(b, o, c->keys[0], c->keys[1], lang);
		return;
	case C_BOOL:
		v = cJSON_GetObjectItemCaseSensitive(o, c->keys[0]);
		research_cell(b, "td", "", v == NULL || cJSON_IsNull(v) ? "" :
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
			research_cell(b, "td", "class=\"num\"", tmp);
			return;
		}
		break;
	default:
		break;
	}
	research_cell(b, "td", c->kind == C_TEXT ? "" : "class=\"num\"",
	    first_text(o, c, lang, tmp, sizeof(tmp)));
}

/* The rows of arr, then sec's total row, into body. */
static void
extra_rows(struct buf *body, enum def_lang lang, const cJSON *arr,
    const struct section *sec, int ncols, int k)
{
	const struct ccol *c;
	const cJSON *o;

	cJSON_ArrayForEach(o, arr) {
		if (!cJSON_IsObject(o))
			continue;
		buf_puts(body, "<tr>");
		/* A row may say it is not shown; then only its name is. */
		if (cJSON_GetObjectItemCaseSensitive(o, "flag") != NULL &&
		    research_row_state(o) != ROW_OK) {
			extra_cell(body, o, &sec->cols[0], lang);
			research_hidden_cell(body, lang,
			    research_row_state(o), k, ncols - 1);
		} else {
			for (c = sec->cols; c->label != NULL; c++)
				extra_cell(body, o, c, lang);
		}
		buf_puts(body, "</tr>\n");
	}
	if (!cJSON_IsObject(sec->total))
		return;
	buf_puts(body, "<tr>");
	research_cell(body, "td", "", page_msg(lang, "research.total"));
	for (c = sec->cols + 1; c->label != NULL; c++)
		extra_cell(body, sec->total, c, lang);
	buf_puts(body, "</tr>\n");
}

static int
render_extra(struct buf *out, struct research_toc *toc, enum def_lang lang,
    const cJSON *arr, const struct section *sec, int k)
{
	struct buf head = { 0 }, body = { 0 }, note = { 0 };
	const struct ccol *c;
	char cid[40];
	int ncols = 0, r;

	if (!cJSON_IsArray(arr) && !cJSON_IsObject(sec->total))
		return GH_OK;
	for (c = sec->cols; c->label != NULL; c++, ncols++)
		research_cell(&head, "th", "scope=\"col\"",
		    page_msg(lang, c->label));
	extra_rows(&body, lang, arr, sec, ncols, k);
	if (sec->note != NULL)
		research_cell(&note, "p", "", page_msg(lang, sec->note));
	snprintf(cid, sizeof(cid), "%s-caption", sec->hid);
	r = buf_is_failed(&head) || buf_is_failed(&body) ||
	    buf_is_failed(&note) ? GH_ERR_NOMEM : GH_OK;
	if (r == GH_OK && body.len > 0) {
		struct tpl_var vars[] = {
			{ "hid", sec->hid, 0 },
			{ "cid", cid, 0 },
			{ "heading", page_msg(lang, sec->heading), 0 },
			{ "head", head.data, 1 },
			{ "rows", body.data, 1 },
			{ "note", note.data, 1 },
			{ NULL, NULL, 0 },
		};
		if ((r = tpl_render(out, "research_section.html", vars)) ==
		    GH_OK)
			r = research_toc_item(&toc->sections, sec->hid,
			    page_msg(lang, sec->heading));
	}
	buf_free(&head);
	buf_free(&body);
	buf_free(&note);
	return r;
}

/* The response: per unit with the whole wave's, or an older release's
 * list per batch. */
static int
render_response(struct buf *out, struct research_toc *toc,
    enum def_lang lang, const cJSON *resp, int k)
{
	struct section sec = { "research.response", "response", response_cols,
	    NULL, NULL };

	if (cJSON_IsArray(resp)) {
		sec.heading = "research.response_batch";
		sec.cols = response_batch_cols;
		return render_extra(out, toc, lang, resp, &sec, k);
	}
	if (!cJSON_IsObject(resp))
		return GH_OK;
	sec.total = resp;
	if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(resp,
	    "answered_per_unit")))
		sec.note = "research.response_unknown";
	return render_extra(out, toc, lang,
	    cJSON_GetObjectItemCaseSensitive(resp, "units"), &sec, k);
}

int
research_extra(struct buf *out, struct research_toc *toc, enum def_lang lang,
    const cJSON *root, int k)
{
	static const struct section cmp = { "research.comparisons",
	    "comparisons", comparison_cols, NULL, NULL };
	static const struct section ref = { "research.references",
	    "references", reference_cols, NULL, "research.references_note" };
	int r;

	if ((r = render_extra(out, toc, lang,
	    cJSON_GetObjectItemCaseSensitive(root, "comparisons"), &cmp, k)) !=
	    GH_OK ||
	    (r = render_response(out, toc, lang,
	    cJSON_GetObjectItemCaseSensitive(root, "response"), k)) != GH_OK)
		return r;
	return render_extra(out, toc, lang,
	    cJSON_GetObjectItemCaseSensitive(root, "references"), &ref, k);
}

/* The columns of a row's comparisons; the row gives the category. */
static const struct ccol row_cmp_cols[] = {
	{ "research.col.category", C_CAT, { "category" } },
	{ "research.col.against", C_TEXT, { "with", "against" } },
	{ "research.col.their_percent", C_DEC, { "percent" } },
	{ "research.col.difference", C_DEC, { "difference", "diff" } },
	{ "research.col.ci", C_CI, { "ci_low", "ci_high" } },
	{ "research.col.significant", C_BOOL, { "significant" } },
	{ NULL, C_TEXT, { NULL } },
};

static int
is_row_of(const cJSON *row, const char *table)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(row, "table");

	return cJSON_IsString(t) && strcmp(t->valuestring, table) == 0;
}

int
research_row_comparisons(struct buf *out, enum def_lang lang,
    const cJSON *rows, const char *table, const char *title, size_t id)
{
	struct buf head = { 0 }, body = { 0 }, heading = { 0 };
	const struct ccol *c;
	const cJSON *row, *o;
	char cid[40];
	int r;

	for (c = row_cmp_cols; c->label != NULL; c++)
		research_cell(&head, "th", "scope=\"col\"",
		    page_msg(lang, c->label));
	cJSON_ArrayForEach(row, rows) {
		/* Only a shown cell is compared: nothing of a hidden one. */
		if (!is_row_of(row, table) || research_row_state(row) != ROW_OK)
			continue;
		cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(row,
		    "comparisons")) {
			if (!cJSON_IsObject(o))
				continue;
			buf_puts(&body, "<tr>");
			cat_cell(&body, row, lang);
			for (c = row_cmp_cols + 1; c->label != NULL; c++)
				extra_cell(&body, o, c, lang);
			buf_puts(&body, "</tr>\n");
		}
	}
	research_msg_name(&heading, lang, "research.comparisons_of", title);
	snprintf(cid, sizeof(cid), "comparisons-%zu", id);
	r = buf_is_failed(&head) || buf_is_failed(&body) ||
	    buf_is_failed(&heading) ? GH_ERR_NOMEM : GH_OK;
	if (r == GH_OK && body.len > 0) {
		struct tpl_var vars[] = {
			{ "cid", cid, 0 },
			{ "heading", heading.data, 0 },
			{ "head", head.data, 1 },
			{ "rows", body.data, 1 },
			{ NULL, NULL, 0 },
		};
		r = tpl_render(out, "research_cmp.html", vars);
	}
	buf_free(&head);
	buf_free(&body);
	buf_free(&heading);
	return r;
}
