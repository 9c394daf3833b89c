/*
 * store_test_link.h: a wave's test links. A coordinator tries a wave
 * with a test link before (or while) it runs: the link walks the survey
 * like a respondent's, every page and every check, but what is sent is
 * discarded, never stored and never counted. Only the link's keyed hash
 * is stored, as for every link; it is not one-time, works whether the
 * wave is open or not, and lasts until the wave's test links are
 * removed (or the wave is deleted). Implemented in store_test_link.c.
 */
#ifndef GH_STORE_TEST_LINK_H
#define GH_STORE_TEST_LINK_H

#include <stdint.h>

#include "store/store.h"

/* Stores hash as a test link of wave. GH_ERR_NOT_FOUND: no such wave;
 * GH_ERR_EXISTS: the hash is there already. */
int store_test_link_add(struct store *s, int64_t wave,
    const uint8_t hash[STORE_HASH_BYTES]) GH_WUR;

/* *wave gets the wave of test link hash: GH_OK, or GH_ERR_NOT_FOUND. */
int store_test_link_lookup(struct store *s,
    const uint8_t hash[STORE_HASH_BYTES], int64_t *wave) GH_WUR;

/* *n gets the number of test links of wave. */
int store_test_link_count(struct store *s, int64_t wave, int64_t *n) GH_WUR;

/* Removes every test link of wave; *n gets how many there were. */
int store_test_link_remove(struct store *s, int64_t wave, int64_t *n) GH_WUR;

#endif
