/*
 * store_case.h: the desk's casework on a report, beside its row
 * (store_report.h): the case reference lookup, the lists of forms,
 * grounds and measures (report_tags), the outcome, the desk worker a
 * case is assigned to, internal notes sealed to the report's key
 * (report_notes) and the last message each desk user has read
 * (report_reads). Implemented in store_case.c; statement slots
 * STORE_EXT_CASE.. (store_int.h).
 *
 * Nothing here sees a clear text: a note arrives sealed. Every write
 * first checks the report exists and is not withdrawn (GH_ERR_NOT_FOUND,
 * GH_ERR_CLOSED) inside its transaction.
 */
#ifndef GH_STORE_CASE_H
#define GH_STORE_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store_report.h"

#define STORE_CASE_MAX_TAGS	16	/* values of one kind per report */
#define STORE_CASE_OUTCOME_MAX	32	/* bytes of an outcome id */

/* What the desk keeps about a case beside its row, as one user sees it. */
struct store_case {
	char	outcome[STORE_CASE_OUTCOME_MAX + 1];	/* "" if none */
	int64_t	assigned_to;		/* a user id, or -1 */
	int64_t	last_reporter_seq;	/* newest reporter message, or 0 */
	int64_t	last_seq;		/* newest message, or 0 */
	int64_t	read_seq;		/* the user's read mark, or 0 */
};

/* One sealed note (sealed is malloc'd by the store and freed after fn). */
struct store_note {
	int64_t		 seq;
	int64_t		 user_id;	/* -1 if the account is gone */
	int64_t		 day;
	const uint8_t	*sealed;
	size_t		 sealed_len;
};

/*
 * Finds the report whose reference is ref (REPORT_REF_LEN upper-case hex
 * digits) into id. GH_ERR_NOT_FOUND.
 */
int store_case_by_ref(struct store *s, const char *ref,
    uint8_t id[REPORT_ID_BYTES]) GH_WUR;

/* Reads report id's case as user_id sees it into *c. GH_ERR_NOT_FOUND. */
int store_case_get(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t user_id, struct store_case *c) GH_WUR;

/* Calls fn for every tag of report id (kind "form", "ground" or
 * "measure"), ordered by kind and value. */
int store_case_tags(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int (*fn)(void *arg, const char *kind, const char *value),
    void *arg) GH_WUR;

/*
 * Replaces the tags of kind of report id by values[0..n) (n at most
 * STORE_CASE_MAX_TAGS; none removes them all), in one transaction.
 * GH_ERR_INVALID for an unknown kind or too many or too long values.
 */
int store_case_set_tags(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *kind, const char *const *values, size_t n) GH_WUR;

/* Sets report id's outcome (NULL clears it). */
int store_case_set_outcome(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *outcome) GH_WUR;

/* Assigns report id to user_id (a negative id: to nobody). */
int store_case_set_assigned(struct store *s,
    const uint8_t id[REPORT_ID_BYTES], int64_t user_id) GH_WUR;

/* Adds a sealed note by user_id on day to report id (the next seq). */
int store_case_note_add(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t user_id, int64_t day, const uint8_t *sealed,
    size_t sealed_len) GH_WUR;

/* Calls fn for every note of report id in seq order. */
int store_case_notes(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int (*fn)(void *arg, const struct store_note *n), void *arg) GH_WUR;

/* Records that user_id has read report id up to message seq (a mark
 * never moves back). */
int store_case_mark_read(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t user_id, int64_t seq) GH_WUR;

#endif
