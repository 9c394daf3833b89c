/*
 * labels.h: what the codes of a release stand for, in Dutch and English
 * (labels.c). tables.csv names everything by its code, the stable key a
 * script joins on: question, option, scale, indicator and table ids,
 * TOTAL, NOT_STATED, yes and no, mean, unit labels. Its label columns add
 * the words: the definition's labels, and fixed words for the codes the
 * release engine makes itself. The research pages say the same in the
 * page's language (page_research_labels.c, web/messages.*.json); the
 * end-to-end test compares a page with its tables.csv.
 */
#ifndef GH_RELEASE_LABELS_H
#define GH_RELEASE_LABELS_H

#include "release/release.h"

struct cJSON;

/* The label columns, in this order after the code columns of tables.csv. */
#define RELEASE_LABELS_CSV_HEADER "table_label_nl,table_label_en," \
	"variable_label_nl,variable_label_en,category_label_nl," \
	"category_label_en,by1_label_nl,by1_label_en,by1_value_label_nl," \
	"by1_value_label_en,by2_label_nl,by2_label_en,by2_value_label_nl," \
	"by2_value_label_en"

/*
 * Appends the label fields of row r of rl to b, in RELEASE_LABELS_CSV_HEADER's
 * order, as fields that follow others; the last one ends the line. Empty
 * where the row has no such code (no second breakdown, a rolled-up
 * unit's category). Failure shows in b (buf_is_failed).
 */
void release_labels_csv(struct buf *b, const struct release *rl,
    const struct release_table_row *r);

/*
 * Adds to o, scale s's entry in codebook.json, what its mean lies on:
 * "points" (the scale runs from 1 to points) and "point_labels" (the
 * points' labels {nl, en}, from 1 up, as its items' options read in the
 * scale's direction). Returns GH_OK or GH_ERR_NOMEM.
 */
int release_labels_scale_json(const struct def *d, const struct def_scale *s,
    struct cJSON *o) GH_WUR;

#endif
