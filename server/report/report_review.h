/*
 * report_review.h: second opinions by a reviewer, without HTTP. A desk
 * user sends a report that asked for a second opinion to an enabled
 * reviewer: the report's secret key, opened with the desk key, is sealed
 * to the reviewer's public key (crypto_box_seal) and stored
 * (store_review.h). The reviewer opens it with their own secret key
 * (unwrapped at their login) and reads that report only; their opinion
 * joins the conversation as a desk message of kind REPORT_MSG_OPINION
 * (report_conv_opinion_post, report_conv.h). Implemented in
 * report_review.c.
 */
#ifndef GH_REPORT_REVIEW_H
#define GH_REPORT_REVIEW_H

#include <stdint.h>

#include "report/report_crypto.h"
#include "store/store_review.h"
#include "store/store_user.h"

/*
 * Sends report id to the reviewer named name: report_sk is the report's
 * opened secret key. Returns GH_OK; GH_ERR_NOT_FOUND (no such report),
 * GH_ERR_CLOSED (withdrawn, or no second opinion was asked), GH_ERR_INVALID
 * (name is not an enabled reviewer), GH_ERR_EXISTS (already sent to them),
 * or a store or crypto error. The sealed key is all that is stored.
 */
int report_review_send(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *name, const uint8_t *report_sk) GH_WUR;

/*
 * Opens sealed (a report key sent to a reviewer, store_review_get) with
 * the reviewer's own secret key into report_sk (caller's sodium_malloc
 * memory) and checks that it gives report_pk, the report's public key.
 * GH_OK or GH_ERR_CRYPTO (report_sk wiped). No I/O: it may run under the
 * session's lock.
 */
int report_review_open(const uint8_t sealed[REVIEW_SEALED_KEY_BYTES],
    const uint8_t report_pk[REPORT_PK_BYTES], const uint8_t *reviewer_sk,
    uint8_t *report_sk) GH_WUR;

/* Seals report_sk to reviewer_pk into out (the stored sealed key). */
int report_review_seal(uint8_t out[REVIEW_SEALED_KEY_BYTES],
    const uint8_t *report_sk, const uint8_t reviewer_pk[32]) GH_WUR;

#endif
