/*
 * page_date.c: a calendar day written out in the page's language, as
 * people write it: "15 maart 2027", "15 March 2027" (page_int.h).
 *
 * Entry points: page_date appends the day; page_msg_date fills the
 * "{date}" of a catalogue text with it. Month names are here, not in the
 * catalogues: they are the language's, not gehoord's wording.
 */
#include <string.h>

#include "pages/page.h"
#include "pages/page_int.h"

static const char *const page_months[DEF_LANGS][12] = {
	[DEF_NL] = { "januari", "februari", "maart", "april", "mei", "juni",
	    "juli", "augustus", "september", "oktober", "november",
	    "december" },
	[DEF_EN] = { "January", "February", "March", "April", "May", "June",
	    "July", "August", "September", "October", "November",
	    "December" },
};

void
page_date(struct buf *out, enum def_lang lang, const struct def_date *day)
{
	if (day->m < 1 || day->m > 12)
		return;
	buf_printf(out, "%d %s %d", day->d, page_months[page_lang(lang)]
	    [day->m - 1], day->y);
}

void
page_msg_date(struct buf *out, enum def_lang lang, const char *key,
    const struct def_date *day)
{
	const char *s, *at;

	s = page_msg(lang, key);
	if ((at = strstr(s, "{date}")) == NULL) {
		buf_puts(out, s);
		return;
	}
	buf_add(out, s, (size_t)(at - s));
	page_date(out, lang, day);
	buf_puts(out, at + 6);
}
