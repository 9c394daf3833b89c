/*
 * answer_int.h: checks shared by the two halves of the answer codec,
 * answer.c (forms) and answer_decode.c (opened plaintexts); internal to
 * server/survey/.
 */
#ifndef GH_SURVEY_ANSWER_INT_H
#define GH_SURVEY_ANSWER_INT_H

#include <stddef.h>

#include "survey/answer.h"

/*
 * Wave ids are written as JSON numbers, which a reader holds as a double:
 * beyond 2^53 - 1 two ids would read back the same.
 */
#define ANSWER_MAX_WAVE_ID	((INT64_C(1) << 53) - 1)

/*
 * Checks a text: UTF-8, no control character but tab and newline (a form
 * may also hold CRs, which are dropped), at most max code points. Returns
 * the problem; *is_blank is set if it holds nothing but white space.
 */
enum answer_problem answer_text_check(const char *s, size_t len, size_t max,
    int is_form, int *is_blank);

/*
 * Returns the problem with the chosen options of q: ANSWER_EXCLUSIVE if
 * an exclusive option is chosen with another, else ANSWER_OK.
 */
enum answer_problem answer_exclusive_check(const struct def_question *q,
    uint64_t chosen);

#endif
