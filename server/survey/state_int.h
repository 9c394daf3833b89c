/*
 * state_int.h: the part of the page-state field's opening that runs after
 * authentication, exposed for its fuzz target (tests/fuzz/fuzz_state.c),
 * which cannot forge a box but must reach this parser. Not for other use.
 */
#ifndef GH_SURVEY_STATE_INT_H
#define GH_SURVEY_STATE_INT_H

#include "survey/state.h"

/*
 * Checks the opened JSON of a state completely (its token hash, wave, page
 * and answer list) and, on success, sets *page and *answers (free with
 * form_free). Returns GH_OK, GH_ERR_INVALID or GH_ERR_NOMEM.
 */
int state_parse(const char *plain, size_t plain_len,
    const uint8_t token_hash[TOKEN_HASH_BYTES], int64_t wave_id, size_t *page,
    struct form **answers) GH_WUR;

#endif
