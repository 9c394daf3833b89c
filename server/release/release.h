/*
 * release.h: one run of gehoord release, shared by its parts: the rows
 * of the tables (rows.c), the files (release_out.c, codebook.c), the
 * comparisons (compare.c) and the command (cmd_release.c).
 */
#ifndef GH_RELEASE_H
#define GH_RELEASE_H

#include <stddef.h>
#include <stdint.h>

#include "release/plan.h"
#include "release/tables.h"
#include "store/store.h"
#include "survey/baseline.h"
#include "util/buf.h"

/* A token batch: its unit label and size. Which answers came from it is
 * not known (store_batch.h). */
struct release_batch {
	int64_t	 id;
	char	*unit;		/* NULL: none */
	int64_t	 issued;
};

/* The published rows of an earlier wave's release, for comparison. */
struct release_src {
	char		*wave;		/* its name */
	int64_t		 release;	/* its release id */
	struct strmap	*rows;		/* "table|cat|by1v|by2v" -> index */
	int64_t		*count, *group_n;	/* -1: not published */
	size_t		 n;
};

struct release {
	struct store		*s;
	const struct store_wave	*w;
	const struct def	*d;
	const struct plan	*plan;
	const char		*plan_dir;	/* for baseline/ */
	struct tables		*rel;
	struct cellset	*cs;
	struct release_batch		*batches;
	size_t			 n_batches;
	struct release_src		*srcs;
	size_t			 n_srcs;
	struct baseline		**baselines;	/* per indicator, or NULL */
	struct cJSON		*references;	/* reference.c: shown beside */
	int64_t			 day;
};

/* One row of tables.csv; count, group_n -1 and has_pct 0 when empty. */
struct release_table_row {
	const char	*table, *variable, *category;
	const char	*by[PLAN_MAX_BY], *by_value[PLAN_MAX_BY];
	int64_t		 count, group_n;
	/*
	 * The base of the percent: base_n respondents, who are base
	 * (RELEASE_BASE_*): those shown the question who answered it
	 * substantively (for an indicator: among its "among"), or all who
	 * answered it (for prefer-not and other non-substantive answers).
	 * base_n is -1 and base NULL where a row has no percent.
	 */
	int64_t		 base_n;
	const char	*base;
	int		 has_pct;
	double		 pct, lo, hi;	/* percent, or a scale's mean */
	const char	*flag;		/* ok, primary, secondary, rolled_up */
	const char	*cell;		/* the cell's key, or NULL */
	const struct table *t;
	size_t		 cat;		/* SIZE_MAX: TOTAL or a scale */
	int		 is_scale;
};

#define RELEASE_BASE_SUBSTANTIVE	"substantive"
#define RELEASE_BASE_ANSWERED	"answered"
#define RELEASE_BASE_SCORED		"scored"	/* a scale: with a score */

/* Calls fn for every row of every table in order; stops on non-GH_OK. */
int release_rows(const struct release *rl,
    int (*fn)(void *arg, const struct release_table_row *row),
    void *arg) GH_WUR;

/* tables.csv and tables.json. */
int release_tables_write(const struct release *rl, struct buf *csv,
    struct buf *json) GH_WUR;

/* codebook.json and codebook.csv. */
int release_codebook_write(const struct release *rl, struct buf *json,
    struct buf *csv) GH_WUR;

/* audit.json, after sdc_protect and sdc_audit. */
int release_audit_write(const struct release *rl, struct buf *json) GH_WUR;

/* Appends a CSV field (RFC 4180 quoting when needed). */
void release_csv_field(struct buf *b, const char *s, int is_last);

/*
 * Loads the latest release of every wave named in compare_with (same
 * definition) and the baselines of the indicators (PLAN_BASELINE).
 * Prints what it could not find. GH_OK, GH_ERR_NOMEM, GH_ERR_INVALID.
 */
int release_compare_load(struct release *rl) GH_WUR;
void release_compare_free(struct release *rl);

/*
 * Reads the reference figures (the JSON files of the plan folder's
 * ../reference) that
 * compare with the wave's definition into rl->references, for
 * tables.json. A file that is not one is GH_ERR_INVALID, said on stderr.
 */
int release_references_load(struct release *rl) GH_WUR;

/* The comparisons of row (published, with a percent) as cJSON items
 * appended to the array arr (a cJSON *). */
int release_compare_row(const struct release *rl,
    const struct release_table_row *r,
    void *arg) GH_WUR;

/* The row key for comparisons: "table|category|by1v|by2v". */
void release_row_key(const char *table, const char *cat, const char *v1,
    const char *v2, char *out, size_t outsz);

/* Free-text answers collected for --free-text (freetext.c). */
struct release_freetext;

/* Collects the text questions of d that are no background variable. */
int release_freetext_new(const struct def *d,
    struct release_freetext **out) GH_WUR;

/* Adds the free-text answers of one opened plaintext (thread-safe). */
int release_freetext_add(struct release_freetext *ft, const uint8_t *plain,
    size_t len) GH_WUR;

/*
 * Writes DIR (new, mode 0700) with free-text-QUESTION.csv (mode 0600)
 * for every question answered by at least k respondents: header
 * "answer", one shuffled answer a row. Returns GH_OK or GH_ERR_IO.
 */
int release_freetext_write(struct release_freetext *ft, const char *dir, int k,
    size_t *n_files) GH_WUR;

/* Wipes and frees; accepts NULL. */
void release_freetext_free(struct release_freetext *ft);

/*
 * Counting (release_run.c): reads the wave's batches, makes rl->rel and
 * opens every answer into it (and ft, if not NULL), on threads workers.
 */
struct wave_key;
int release_count(struct release *rl, const struct wave_key *key,
    unsigned int threads, struct release_freetext *ft) GH_WUR;

/*
 * The cells of the response per unit (release_run.c), after tables_units_build
 * and cellset_build, before cellset_to_sdc: for a definition whose
 * answers carry the unit (DEF_UNIT_BATCH), the cell of every shown unit
 * value and the sums of the unit hierarchy, where no table by unit made
 * them already (with the primary rules of a group total). Nothing for
 * other definitions. GH_OK, GH_ERR_NOMEM; GH_ERR_INVALID if a table's
 * cell of the same key holds another figure.
 */
int release_response_cells(struct release *rl) GH_WUR;

/*
 * The cell of the answers of unit leaf (an index in rl->rel->units;
 * rl->rel->n_units: batches without a label) if the response may publish
 * them: the definition's answers carry the unit, the leaf has at least k
 * answers and its own shown unit value ("u=LABEL", "u=LABEL (direct)" or
 * "u=NOT_STATED"). NULL otherwise. Whether the cell is published is for
 * the caller to check, after release_protect. release_run.c.
 */
const struct cell *release_response_cell(const struct release *rl,
    size_t leaf);

/* Tokens issued to unit leaf (as in release_response_cell): the sizes of its
 * batches added up. release_run.c. */
int64_t release_unit_issued(const struct release *rl, size_t leaf);

/*
 * Disclosure control (release_run.c): units, cells, the response cells,
 * the cells of earlier releases of the wave (fixed), secondary
 * suppression and the final audit. GH_ERR_PRIVACY with *failed the cell
 * (index in rl->cs->cells) that cannot be protected, after printing why.
 */
int release_protect(struct release *rl, size_t *failed) GH_WUR;

/*
 * Writes the release into out (which must not exist or be empty),
 * signs its MANIFEST with sk and stores it; on failure removes what it
 * wrote. *id gets the stored release's id.
 */
int release_publish(struct release *rl, const char *out, const uint8_t *sk,
    int64_t *id) GH_WUR;

#endif
