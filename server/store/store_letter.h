/*
 * store_letter.h: links issued from the coordinator's console per unit
 * (route_console_letters.c): a replacement card, one new link that joins
 * the unit's latest token batch of the wave instead of making a batch of
 * its own. A batch must hold at least the wave's k links because a
 * release may name batches and their figures: a batch of one would be
 * one person's. Joining the unit's batch keeps that, and the unit's
 * links issued (the batch's size, raised by one) stay right for the
 * participation page and the release. Implemented in store_letter.c.
 */
#ifndef GH_STORE_LETTER_H
#define GH_STORE_LETTER_H

#include <stdint.h>

#include "store/store.h"

/*
 * Adds the token hash to the latest token batch of wave whose unit label
 * is unit, and raises that batch's size by one, in one transaction;
 * *batch_id gets the batch. Returns GH_OK, GH_ERR_NOT_FOUND (no such
 * wave, or no batch of that unit in it yet), GH_ERR_CLOSED (the wave is
 * closed), GH_ERR_EXISTS (the hash is there already) or GH_ERR_DB.
 */
int store_letter_replace(struct store *s, int64_t wave, const char *unit,
    const uint8_t hash[STORE_HASH_BYTES], int64_t *batch_id) GH_WUR;

/*
 * Sets *head to the uploaded head count of unit (console units). Returns
 * GH_OK, GH_ERR_NOT_FOUND or GH_ERR_DB.
 */
int store_letter_unit_head(struct store *s, const char *unit,
    int64_t *head) GH_WUR;

#endif
