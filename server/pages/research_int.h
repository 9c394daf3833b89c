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

/*
 * Appends the sections "tables", "comparisons" and "response" of a parsed
 * tables.json to out (each only if it has something to show); k is the
 * threshold that the texts of suppressed cells name. Returns GH_OK,
 * GH_ERR_NOMEM or GH_ERR_INVALID (a template error).
 */
int research_tables(struct buf *out, enum def_lang lang, const cJSON *root,
    int k) GH_WUR;

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

#endif
