/*
 * store_retain.h: retention of reports and the deletion of a wave's
 * answers. Implemented in store_retain.c; statement slots
 * STORE_EXT_RETAIN.. (store_int.h).
 *
 * A report past its retention (report/retain.h decides which) loses
 * what withdrawal destroys, by the same code (store_report_msg.c): every
 * message, internal note and reviewer's key, its own keys and the
 * receipt hash, overwritten under secure_delete. Unlike a withdrawal its
 * tombstone keeps its status, categories, unit, measures, outcome and
 * days, so the council's figures still count it; expired_day marks it.
 * Once a wave has a release, its answers, tokens, saved answers and
 * invitations can be deleted; the wave's row and its releases stay.
 */
#ifndef GH_STORE_RETAIN_H
#define GH_STORE_RETAIN_H

#include <stddef.h>
#include <stdint.h>

#include "store/store_report.h"

#define STORE_RETAIN_REASON_MAX	32	/* bytes of a reason id */
#define STORE_RETAIN_FORMS_MAX	400	/* bytes of a report's forms */

/* What retention reads of a live report (days -1 where absent). */
struct store_retain_row {
	uint8_t		 id[REPORT_ID_BYTES];
	char		 ref[REPORT_REF_LEN + 1];
	enum report_status status;
	int64_t		 closed, aftercare1, aftercare3, second_opinion;
	int64_t		 keep_until;
	char		 keep_reason[STORE_RETAIN_REASON_MAX + 1];
	char		 forms[STORE_RETAIN_FORMS_MAX + 1]; /* space-separated */
};

/* What store_wave_delete removed. */
struct store_wave_deleted {
	int64_t	 answers;	/* answer rows (parts counted each) */
	int64_t	 tokens;
	int64_t	 resumes;
	int64_t	 invitations;
	int64_t	 invitation_batches;
};

/*
 * Calls fn for every report that is neither withdrawn nor expired, in
 * id order. Stops at and returns fn's first error.
 */
int store_retain_foreach(struct store *s,
    int (*fn)(void *arg, const struct store_retain_row *r), void *arg) GH_WUR;

/* Reads report id's retention row. GH_ERR_NOT_FOUND; GH_ERR_CLOSED if it
 * is withdrawn or expired. */
int store_retain_get(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    struct store_retain_row *r) GH_WUR;

/*
 * Records the desk's extension: keep report id until day keep_until for
 * reason (an id of a fixed list, checked by the caller). GH_ERR_NOT_FOUND,
 * GH_ERR_CLOSED (withdrawn or expired), GH_ERR_INVALID (reason too long).
 */
int store_retain_extend(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t keep_until, const char *reason) GH_WUR;

/*
 * Destroys report id's texts and keys as withdrawal does, keeping the
 * tombstone described above, and sets expired_day = day, in one
 * transaction. GH_ERR_NOT_FOUND, GH_ERR_CLOSED (withdrawn or expired).
 * The caller checkpoints afterwards (store_checkpoint_wait).
 */
int store_report_expire(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t day) GH_WUR;

/* Returns into *is_expired whether report id has expired. */
int store_report_is_expired(struct store *s,
    const uint8_t id[REPORT_ID_BYTES], int *is_expired) GH_WUR;

/*
 * Deletes the answers, tokens, saved answers, invitations and
 * invitation batches of wave and closes it, in one transaction, filling
 * *out. Refused with GH_ERR_CLOSED (nothing changed) while the wave has
 * no release; GH_ERR_NOT_FOUND for no such wave. Spends are not
 * touched: a spend row names no wave (store.h), so none can be picked
 * out. The caller checkpoints afterwards (store_checkpoint_wait).
 */
int store_wave_delete(struct store *s, int64_t wave,
    struct store_wave_deleted *out) GH_WUR;

#endif
