/*
 * page_attach_list.c: the list of a report's attachments (attach_list.h).
 * Names are escaped as any text; the size is in KB or MB, rounded up.
 */
#include <stdio.h>

#include "pages/attach_list.h"
#include "pages/page.h"

/* "12 KB" or "3.4 MB", never "0 KB". */
static void
size_text(char *out, size_t sz, size_t len)
{
	const size_t mb = 1000000, kb = 1000;

	if (len < mb)
		snprintf(out, sz, "%zu KB", (len + kb - 1) / kb);
	else
		snprintf(out, sz, "%zu.%zu MB", len / mb,
		    (len % mb) / (mb / 10));
}

/* "JPEG", "PNG", "PDF" from a media type. */
static const char *
kind_text(const char *mime)
{
	if (mime == NULL)
		return "";
	if (mime[0] == 'i' && mime[6] == 'j')
		return "JPEG";
	if (mime[0] == 'i')
		return "PNG";
	return "PDF";
}

int
page_attach_list(struct buf *out, enum def_lang lang, const char *href,
    const struct page_attach *files, size_t n)
{
	char size[32];
	size_t i;

	if (n == 0)
		return GH_OK;
	buf_puts(out, "<h2>");
	buf_html(out, page_msg(lang, "attach.heading"));
	buf_puts(out, "</h2>\n<p class=\"cap\">");
	buf_html(out, page_msg(lang, "attach.cleaned"));
	buf_puts(out, "</p>\n<ul class=\"attachments\">\n");
	for (i = 0; i < n; i++) {
		size_text(size, sizeof(size), files[i].len);
		if (href != NULL) {
			buf_puts(out, "<li><a href=\"");
			buf_html(out, href);
			buf_puts(out, "?a=");
			buf_html(out, files[i].id);
			buf_puts(out, "\" download>");
			buf_html(out, files[i].name);
			buf_puts(out, "</a> (");
		} else {
			buf_puts(out, "<li>");
			buf_html(out, files[i].name);
			buf_puts(out, " (");
		}
		buf_html(out, kind_text(files[i].mime));
		buf_puts(out, ", ");
		buf_html(out, size);
		buf_puts(out, ")</li>\n");
	}
	buf_puts(out, "</ul>\n");
	return buf_is_failed(out) ? GH_ERR_NOMEM : GH_OK;
}
