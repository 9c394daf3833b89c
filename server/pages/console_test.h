/*
 * console_test.h: trying a wave before respondents do, in the
 * coordinator's console (page_console_test.c): the preview of every
 * page of an instrument in either language, and the page that hands
 * out a test link (store_test_link.h). Rendered from
 * web/console_instrument*.html and web/console_test*.html; every value
 * is escaped.
 */
#ifndef GH_PAGES_CONSOLE_TEST_H
#define GH_PAGES_CONSOLE_TEST_H

#include <stdint.h>

#include "pages/console.h"
#include "pages/desk.h"
#include "survey/def.h"

/*
 * The preview of instrument name (definition d) with its texts in
 * language in: the welcome text, then every page with every question,
 * also those shown only after certain answers (listed under their
 * page), as respondents see them but in no form, so nothing can be
 * sent; links to the other language and to the waves page.
 */
int page_console_instrument(struct buf *out, const struct desk_page *p,
    const char *name, const struct def *d, enum def_lang in) GH_WUR;

/* A test link just made for a wave, and what to do with it. */
struct console_test_view {
	int64_t		 wave;
	const char	*wave_name;
	const char	*link;		/* the whole link, or the path */
	int64_t		 n_links;	/* the wave's test links now */
};

/*
 * The test link page: the link, what becomes of what is sent through
 * it (checked, then discarded; never stored or counted), how many test
 * links the wave has and a form that removes them all.
 */
int page_console_test_link(struct buf *out, const struct desk_page *p,
    const struct console_test_view *v) GH_WUR;

/*
 * The waves page's part for trying waves: the form that makes a test
 * link for a wave (or removes its test links), and a link to the
 * preview of each instrument in each language.
 */
int page_console_try(struct buf *out, const struct desk_page *p,
    const struct console_view *cv) GH_WUR;

#endif
