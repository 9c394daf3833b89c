/*
 * research_int.h: what page_research.c and page_research_table.c share.
 * Not an API outside server/pages/.
 */
#ifndef GH_RESEARCH_INT_H
#define GH_RESEARCH_INT_H

#include <cjson/cJSON.h>

#include "survey/def.h"
#include "util/buf.h"
#include "util/err.h"

/* How a row's flag lets it be shown. */
enum research_row { ROW_OK, ROW_PRIMARY, ROW_SECONDARY, ROW_ROLLED_UP,
    ROW_HIDDEN };

/* The table of contents of a release page, as list items. */
struct research_toc {
	struct buf	tables;		/* a link to each table */
	struct buf	sections;	/* a link to each other section */
};

/*
 * Appends the tables of a parsed tables.json to out, each with its chart
 * and comparisons and an anchor ("t-" and the table's id) that toc links
 * to, then the release's other sections (research_extra); k is the
 * threshold that the texts of suppressed cells name. Nothing is appended
 * if there is nothing to show. Returns GH_OK, GH_ERR_NOMEM or
 * GH_ERR_INVALID (a template error). page_research_table.c.
 */
int research_tables(struct buf *out, struct research_toc *toc,
    enum def_lang lang, const cJSON *root, int k) GH_WUR;

/*
 * Replaces the codes of categories and breakdown values in root's rows
 * by their words in lang, from codebook (a parsed codebook.json, or NULL)
 * and the page's own words, and adds the variables' names as
 * "variable_label", "by1_label", "by2_label" (a breakdown by its kind).
 * Returns GH_OK or GH_ERR_NOMEM. page_research_labels.c.
 */
int research_labels(cJSON *root, const cJSON *codebook, enum def_lang lang)
    GH_WUR;

/*
 * Appends the top-level "comparisons" (if any) and "response" sections
 * of root to out, and a link to each to toc->sections.
 * page_research_extra.c.
 */
int research_extra(struct buf *out, struct research_toc *toc,
    enum def_lang lang, const cJSON *root, int k) GH_WUR;

/* Appends a link to anchor, named label, to toc (a list item). */
int research_toc_item(struct buf *toc, const char *anchor,
    const char *label) GH_WUR;

/*
 * Appends a table of the comparisons of the rows of table (titled
 * title) to out; id makes its ids unique on the page.
 * page_research_extra.c.
 */
int research_row_comparisons(struct buf *out, enum def_lang lang,
    const cJSON *rows, const char *table, const char *title,
    size_t id) GH_WUR;

/*
 * Renders the SVG bar chart of the rows of table (members of root's
 * "rows") into out; nothing if no row has a percentage. id makes its
 * element ids unique on the page.
 */
int research_chart(struct buf *out, enum def_lang lang, const cJSON *rows,
    const char *table, size_t id) GH_WUR;

/*
 * The text of member key of o: a string as it is, a number formatted
 * (is_int: as a whole number; else one decimal, with a decimal comma in
 * Dutch), into tmp. Returns NULL if it is missing, null or empty.
 */
const char *research_jtext(const cJSON *o, const char *key, int is_int,
    enum def_lang lang, char *tmp, size_t tmpsz);

/* The number of member key of o (a number, or a string holding one). */
int research_jnum(const cJSON *o, const char *key, double *v);

/* What row's "flag" allows: ROW_OK only for "ok"; unknown: ROW_HIDDEN. */
enum research_row research_row_state(const cJSON *row);

/*
 * A value as shown: "TOTAL" (a margin) and the category "mean" in words,
 * "" if missing.
 */
const char *research_value_text(const cJSON *o, const char *key,
    enum def_lang lang, char *tmp, size_t tmpsz);

/*
 * Appends the text of key in lang with each "{NAME}" replaced by the
 * value that follows NAME in vars (NAME, value, ..., NULL; a NULL value
 * is empty).
 */
void research_msg_fill(struct buf *b, enum def_lang lang, const char *key,
    const char *const *vars);

/* Appends the text of key in lang with its "{name}" replaced by name. */
void research_msg_name(struct buf *b, enum def_lang lang, const char *key,
    const char *name);

/* Appends <tag attrs>text</tag>, text escaped; attrs are code literals. */
void research_cell(struct buf *b, const char *tag, const char *attrs,
    const char *text);

/* Appends a cell over colspan columns that says why st is not shown. */
void research_hidden_cell(struct buf *b, enum def_lang lang,
    enum research_row st, int k, int colspan);

/* Appends a cell "lo – hi" from the members lo and hi of row. */
void research_interval_cell(struct buf *b, const cJSON *row, const char *lo,
    const char *hi, enum def_lang lang);

#endif
