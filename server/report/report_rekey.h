/*
 * report_rekey.h: replacing a reporter's receipt code, for a reporter who
 * fears their code is known; without HTTP. Implemented in
 * report_rekey.c.
 */
#ifndef GH_REPORT_REKEY_H
#define GH_REPORT_REKEY_H

#include <stdint.h>

#include "report/report_login.h"

/*
 * Gives l's report a new receipt (written into r: show it once, then wipe
 * it), salt and reply key, with every message's for_reporter blob
 * re-sealed to the new key, in one transaction; runs Argon2id once. l
 * must be opened (report_login_open). Returns GH_OK or an error; on an
 * error the old code still works.
 */
int report_rekey(struct store *s, const uint8_t *pepper,
    const struct report_login *l, uint8_t r[RECEIPT_BYTES]) GH_WUR;

#endif
