/*
 * store_review.h: the reports sent to a reviewer for a second opinion
 * (table report_reviews). Implemented in store_review.c.
 *
 * A row says that report R was sent to reviewer U on a day, and holds
 * R's secret key sealed to U's public key (crypto_box_seal): only U,
 * with their password, can open it, and only the reports with a row for
 * U can be read by U. A row goes when the report is withdrawn (with the
 * other keys) or when U's account is removed (ON DELETE CASCADE).
 */
#ifndef GH_STORE_REVIEW_H
#define GH_STORE_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "store/store_report.h"

/* A report's 32-byte secret key sealed with crypto_box_seal (+ 48). */
#define REVIEW_SEALED_KEY_BYTES	80

/*
 * Records that report id was sent to user_id on day, with its key
 * sealed (REVIEW_SEALED_KEY_BYTES). GH_OK, GH_ERR_EXISTS (already sent to
 * them; nothing changed), GH_ERR_INVALID (the sealed key's size),
 * GH_ERR_DB (also when the report or the user does not exist).
 */
int store_review_add(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t user_id, int64_t day, const uint8_t *sealed, size_t len) GH_WUR;

/*
 * Reads the sealed key of report id for user_id into sealed
 * (REVIEW_SEALED_KEY_BYTES) and its day into *day. GH_ERR_NOT_FOUND if
 * the report was not sent to them, GH_ERR_INVALID if the stored key has
 * the wrong size.
 */
int store_review_get(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int64_t user_id, uint8_t sealed[REVIEW_SEALED_KEY_BYTES],
    int64_t *day) GH_WUR;

/*
 * Calls fn(arg, report id, day) for every report sent to user_id, the
 * most recently sent first. Stops at and returns fn's first error.
 */
int store_review_foreach_user(struct store *s, int64_t user_id,
    int (*fn)(void *arg, const uint8_t id[REPORT_ID_BYTES], int64_t day),
    void *arg) GH_WUR;

/*
 * Calls fn(arg, user id, day) for every reviewer report id was sent to.
 */
int store_review_foreach_report(struct store *s,
    const uint8_t id[REPORT_ID_BYTES],
    int (*fn)(void *arg, int64_t user_id, int64_t day), void *arg) GH_WUR;

#endif
