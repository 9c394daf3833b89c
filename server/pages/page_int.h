/*
 * page_int.h: what page.c (catalogues, layout, message pages) shares with
 * page_survey.c (the survey form). Not an API outside server/pages/.
 */
#ifndef GH_PAGE_INT_H
#define GH_PAGE_INT_H

#include <stddef.h>

#include "survey/def.h"
#include "util/buf.h"
#include "util/err.h"

/* Returns lang if it is a known language, else DEF_NL. */
enum def_lang page_lang(enum def_lang lang);

/* Returns "nl" or "en". */
const char *page_lang_code(enum def_lang lang);

/*
 * Appends the text for key in lang to out with its "{n}" replaced by n;
 * the catalogue check at page_init guarantees the "{n}" is there.
 */
void page_msg_n(struct buf *out, enum def_lang lang, const char *key,
    size_t n);

/*
 * Appends a whole HTML document (layout.html) with title (escaped) and the
 * rendered content (raw) to out. Returns GH_OK, GH_ERR_NOMEM or
 * GH_ERR_INVALID for a template error.
 */
int page_layout(struct buf *out, enum def_lang lang, const char *title,
    const char *content) GH_WUR;

/*
 * Renders the survey form of a built-in definition with every question
 * type, every problem and the summary, so page_init finds a broken
 * template at start-up rather than on a respondent's request. Returns
 * GH_OK or the first error.
 */
int page_survey_selfcheck(void) GH_WUR;

#endif
