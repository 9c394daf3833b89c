/*
 * report_case.h: the desk's casework on a report, without HTTP: the
 * short case reference, the lists of forms, grounds and measures, the
 * outcome on closing, assignment to a desk worker, internal notes sealed
 * to the report's key, read marks and the inbox's filters. Every list
 * value is an id of the one category table (report/category.h).
 * Implemented in report_case.c; the rows are store/store_case.h's.
 *
 * Each function that takes a report id reads it first: a missing one is
 * GH_ERR_NOT_FOUND and a withdrawn one GH_ERR_CLOSED, before any input
 * is looked at; bad input is GH_ERR_INVALID and changes nothing.
 */
#ifndef GH_REPORT_CASE_H
#define GH_REPORT_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "report/report_crypto.h"
#include "store/store_case.h"
#include "store/store_report.h"

#define REPORT_REF_TEXT_LEN	(REPORT_REF_LEN + 1)	/* "3F9A-C21B" */
#define REPORT_NOTE_MAX_CHARS	4000

/*
 * Reads a reference as a person types it (any case, with or without the
 * dash and spaces) into ref (upper case, REPORT_REF_LEN digits). Returns
 * GH_OK or GH_ERR_INVALID (not eight hex digits).
 */
int report_case_ref_parse(const char *in, char ref[REPORT_REF_LEN + 1])
    GH_WUR;

/* Writes a stored reference as people read it: "3F9A-C21B" ("" if none). */
void report_case_ref_text(const char *ref, char out[REPORT_REF_TEXT_LEN + 1]);

/* Finds the report of a typed reference into id: GH_OK, GH_ERR_INVALID
 * (not a reference), GH_ERR_NOT_FOUND. */
int report_case_find(struct store *s, const char *typed,
    uint8_t id[REPORT_ID_BYTES]) GH_WUR;

/*
 * Files report id under forms[0..nf) and grounds[0..ng) (each replaces
 * its whole list; none clears it) and unit (NULL or "": unchanged).
 * On GH_ERR_INVALID *field names the form field with an unknown value
 * ("form", "ground" or "unit") and nothing changed.
 */
int report_case_file(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *const *forms, size_t nf, const char *const *grounds,
    size_t ng, const char *unit, const char **field) GH_WUR;

/* What closing a case needs. */
struct report_close {
	const char		*outcome;	/* an id of the outcomes list */
	const char *const	*measures;	/* ids of the measures list */
	size_t			 n_measures;	/* at least one */
	const char		*text;		/* the message to the reporter */
	const char		*outcome_text;	/* the outcome as the reporter
						 * reads it, first in that
						 * message */
};

/*
 * Sets report id's status ("acknowledged", "in_progress" or "closed").
 * Closing needs cl (an outcome, at least one measure, a text): the
 * reporter is sent outcome_text and text as the desk's message marked as
 * the feedback, then the measures, the outcome and the status are
 * recorded. GH_ERR_INVALID with *problem a catalogue key ("desk.status.
 * need_result", "need_measure", "need_outcome") or NULL (an unknown
 * status); nothing changed.
 */
int report_case_status(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *status, const struct report_close *cl,
    const char **problem) GH_WUR;

/* A desk user, as the assignment lists them. */
struct report_desk_user {
	int64_t	 id;
	char	 name[65];
	int	 is_disabled;	/* may still hold cases and have notes */
};

/*
 * Calls fn for every desk user in name order, disabled ones too (marked:
 * they cannot be assigned, but the cases they hold and the notes they
 * wrote still name them).
 */
int report_case_desk_users(struct store *s,
    int (*fn)(void *arg, const struct report_desk_user *u),
    void *arg) GH_WUR;

/*
 * Assigns report id to the desk user whose id is user (decimal text), or
 * to nobody ("" or NULL). GH_ERR_INVALID if user is not an enabled desk
 * user.
 */
int report_case_assign(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *user) GH_WUR;

/*
 * Adds text as an internal note by user_id to report id, sealed to the
 * report's key as the desk's copy of a message is. GH_ERR_INVALID with
 * *problem "desk.note.empty" (empty, blank or over
 * REPORT_NOTE_MAX_CHARS characters).
 */
int report_case_note(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t user_id, const char *text, const char **problem) GH_WUR;

/* One opened note (text NULL if it did not open). */
struct report_case_note {
	int64_t			 seq, user_id, day;
	struct report_plain	 plain;
};

/* The opened notes of a report (free with report_case_notes_free). */
struct report_case_notes {
	struct report_case_note	*v;
	size_t			 n;
};

/* Opens every note of report id with its key pair (report_sk in
 * sodium_malloc memory) into *out. */
int report_case_notes_open(struct store *s,
    const uint8_t id[REPORT_ID_BYTES], const uint8_t report_pk[32],
    const uint8_t *report_sk, struct report_case_notes *out) GH_WUR;

/* Wipes and frees every opened note; accepts an empty one. */
void report_case_notes_free(struct report_case_notes *out);

/* Returns 1 if the reporter wrote after the user's read mark in c. */
int report_case_is_new(const struct store_case *c);

/* The inbox's filters; a zero struct shows everything. */
enum report_filter_due { FILTER_DUE_ANY, FILTER_DUE_OVERDUE, FILTER_DUE_WEEK };
enum report_filter_who { FILTER_WHO_ANY, FILTER_WHO_ME, FILTER_WHO_NOBODY };

struct report_filter {
	int			 status;	/* enum report_status, or -1:
						 * any, -2: open (not closed
						 * or withdrawn) */
	const char		*form;		/* NULL: any */
	const char		*ground;	/* NULL: any */
	enum report_filter_due	 due;
	enum report_filter_who	 who;
	int64_t			 me;		/* the viewing user */
};

/*
 * Reads the inbox's GET fields (each NULL or "" for any) into *f for
 * user me. GH_ERR_INVALID with *field the first unknown field's name.
 */
int report_filter_parse(struct report_filter *f, const char *status,
    const char *form, const char *ground, const char *due,
    const char *who, int64_t me, const char **field) GH_WUR;

/*
 * Sets *is_match to 1 if report row, with case c and clock urgency
 * (deadline_clock's), passes f (its form and ground looked up in the
 * report's tags), else 0. Returns GH_OK or a store error.
 */
int report_filter_match(struct store *s, const struct report_filter *f,
    const struct report_row *row, const struct store_case *c,
    int64_t urgency, int *is_match) GH_WUR;

#endif
