/*
 * text.h: byte-level checks shared by the definition loader and the answer
 * codec (internal to server/survey/; the survey page also uses
 * survey_utf8_check, to not echo a kept text that is not UTF-8).
 *
 * Both read untrusted JSON through cJSON, which neither checks UTF-8 nor
 * keeps the length of a string that held "\u0000". These helpers close
 * those gaps, with util/utf8.h (the strict UTF-8 decoder and the
 * control-character rule, included here for the callers of both): a
 * whole-string UTF-8 check, the id pattern, a scan for NUL escapes, and a
 * wipe for cJSON trees that held answers.
 */
#ifndef GH_SURVEY_TEXT_H
#define GH_SURVEY_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "util/utf8.h"

/*
 * Checks that len bytes of s are valid UTF-8 and sets *n_cp (may be NULL)
 * to the number of code points. Returns 0 or -1.
 */
int survey_utf8_check(const char *s, size_t len, size_t *n_cp);

/* Returns 1 if cp is ASCII white space (space, tab, CR, LF, FF, VT). */
int survey_is_space(uint32_t cp);

/* Returns 1 if s matches [a-z0-9_-]{1,DEF_MAX_ID}, else 0. */
int survey_id_is_valid(const char *s);

/*
 * Scans len bytes of JSON text for a "\u0000" escape, which cJSON would
 * decode into a string cut short. Returns 1 and sets *pos to its offset if
 * there is one, else 0. The text must already have parsed as JSON.
 */
int survey_json_has_nul(const char *json, size_t len, size_t *pos);

/*
 * Wipes every string cJSON owns in the tree at item (values and keys; not
 * references or constant keys, which belong to someone else) and every
 * number, so that cJSON_Delete frees no readable copy of an answer.
 */
void survey_json_wipe(cJSON *item);

#endif
