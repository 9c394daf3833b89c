/*
 * page_link.c: links in a definition's help texts (page_int.h).
 *
 * Entry point: page_text_links appends a text as HTML, escaped, with each
 * "[label](target)" whose target is safe turned into a link. Safe is a
 * path of this site ("/melden": one slash, then no second one) or an
 * https:// address, of at most PAGE_LINK_MAX bytes, with no space,
 * quote, angle bracket, backslash, parenthesis or control character. Any
 * other target (javascript:, http:, "//host", data:) is not a link: the
 * whole "[label](target)" stays text, escaped like the rest. This is the
 * only place a definition's text becomes markup.
 */
#include <string.h>

#include "pages/page.h"
#include "pages/page_int.h"

/* Returns 1 if the len bytes of t may be a link's href. */
static int
is_safe_target(const char *t, size_t len)
{
	size_t i, start;

	if (len == 0 || len > PAGE_LINK_MAX)
		return 0;
	if (t[0] == '/') {
		if (len > 1 && (t[1] == '/' || t[1] == '\\'))
			return 0;
		start = 1;
	} else if (len > 8 && strncmp(t, "https://", 8) == 0) {
		start = 8;
	} else
		return 0;
	for (i = start; i < len; i++) {
		unsigned char ch = (unsigned char)t[i];

		if (ch <= 0x20 || ch == 0x7f || strchr("\"'<>\\()`", ch) != NULL)
			return 0;
	}
	return 1;
}

/* Appends the len bytes of s, escaped. */
static void
add_escaped(struct buf *out, const char *s, size_t len)
{
	char tmp[256];
	size_t n;

	while (len > 0) {
		n = len < sizeof(tmp) - 1 ? len : sizeof(tmp) - 1;
		memcpy(tmp, s, n);
		tmp[n] = '\0';
		buf_html(out, tmp);
		s += n;
		len -= n;
	}
}

/*
 * If s starts a "[label](target)" with a non-empty label (no brackets in
 * it) and a safe target, appends the link to out and returns the bytes
 * it took; else appends nothing and returns 0.
 */
static size_t
add_link(struct buf *out, const char *s)
{
	const char *close, *target, *end;

	if (s[0] != '[' || (close = strpbrk(s + 1, "[]")) == NULL ||
	    *close != ']' || close == s + 1 || close[1] != '(')
		return 0;
	target = close + 2;
	if ((end = strchr(target, ')')) == NULL ||
	    !is_safe_target(target, (size_t)(end - target)))
		return 0;
	buf_puts(out, "<a href=\"");
	add_escaped(out, target, (size_t)(end - target));
	buf_puts(out, "\">");
	add_escaped(out, s + 1, (size_t)(close - s - 1));
	buf_puts(out, "</a>");
	return (size_t)(end + 1 - s);
}

void
page_text_links(struct buf *out, const char *s)
{
	const char *run = s, *at = s;
	struct buf link = { 0 };
	size_t took;

	while ((at = strchr(at, '[')) != NULL) {
		link.len = 0;
		if ((took = add_link(&link, at)) == 0) {
			at++;
			continue;
		}
		add_escaped(out, run, (size_t)(at - run));
		if (!buf_is_failed(&link))
			buf_add(out, link.data, link.len);
		at += took;
		run = at;
	}
	buf_html(out, run);
	if (buf_is_failed(&link))
		out->failed = 1;	/* the caller checks out alone */
	buf_free(&link);
}
