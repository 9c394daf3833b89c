/*
 * page_attach_list.c: the list of a report's attachments (attach_list.h):
 * page_attach_list (the desk's, linked) and page_attach_list_forms (the
 * reporter's, a download button each). Names are escaped as any text;
 * the size is in KB or MB, rounded up.
 */
#include <stdio.h>

#include "pages/attach_list.h"
#include "pages/page.h"
#include "pages/tpl.h"

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

/* The heading and the note on cleaning. */
static void
list_head(struct buf *out, enum def_lang lang)
{
	buf_puts(out, "<h2>");
	buf_html(out, page_msg(lang, "attach.heading"));
	buf_puts(out, "</h2>\n<p class=\"cap\">");
	buf_html(out, page_msg(lang, "attach.cleaned"));
	buf_puts(out, "</p>\n<ul class=\"attachments\">\n");
}

/* " (JPEG, 12 KB)" and, for the desk's, " – sent by the desk". */
static void
file_facts(struct buf *out, enum def_lang lang, const struct page_attach *f)
{
	char size[32];

	size_text(size, sizeof(size), f->len);
	buf_puts(out, " (");
	buf_html(out, kind_text(f->mime));
	buf_puts(out, ", ");
	buf_html(out, size);
	buf_puts(out, ")");
	if (f->is_by_desk) {
		buf_puts(out, " \xe2\x80\x93 ");
		buf_html(out, page_msg(lang, "attach.by_desk"));
	}
}

int
page_attach_list(struct buf *out, enum def_lang lang, const char *href,
    const struct page_attach *files, size_t n)
{
	size_t i;

	if (n == 0)
		return GH_OK;
	list_head(out, lang);
	for (i = 0; i < n; i++) {
		if (href != NULL) {
			buf_puts(out, "<li><a href=\"");
			buf_html(out, href);
			buf_puts(out, "?a=");
			buf_html(out, files[i].id);
			buf_puts(out, "\" download>");
			buf_html(out, files[i].name);
			buf_puts(out, "</a>");
		} else {
			buf_puts(out, "<li>");
			buf_html(out, files[i].name);
		}
		file_facts(out, lang, &files[i]);
		buf_puts(out, "</li>\n");
	}
	buf_puts(out, "</ul>\n");
	return buf_is_failed(out) ? GH_ERR_NOMEM : GH_OK;
}

int
page_attach_list_forms(struct buf *out, enum def_lang lang,
    const char *hidden, const struct page_attach *files, size_t n)
{
	size_t i;

	if (n == 0)
		return GH_OK;
	list_head(out, lang);
	for (i = 0; i < n; i++) {
		/* The button's name is "Download", described by the file's. */
		buf_puts(out, "<li><span id=\"file-");
		buf_html(out, files[i].id);
		buf_puts(out, "\">");
		buf_html(out, files[i].name);
		buf_puts(out, "</span>");
		file_facts(out, lang, &files[i]);
		buf_puts(out, "\n<form method=\"post\" action=\"/melden/volg\" "
		    "class=\"attach-get\">\n");
		buf_puts(out, hidden);
		buf_puts(out, "<input type=\"hidden\" name=\"a\" value=\"");
		buf_html(out, files[i].id);
		buf_puts(out, "\">\n<button type=\"submit\" class=\"secondary\" "
		    "name=\"action\" value=\"file\" aria-describedby=\"file-");
		buf_html(out, files[i].id);
		buf_puts(out, "\">");
		buf_html(out, page_msg(lang, "attach.download"));
		buf_puts(out, "</button>\n</form></li>\n");
	}
	buf_puts(out, "</ul>\n");
	return buf_is_failed(out) ? GH_ERR_NOMEM : GH_OK;
}

int
page_file_error_summary(struct buf *out, const char *field_id,
    const char *label, const char *text, const char *heading,
    const char *not_stored)
{
	struct buf item = { 0 };
	struct tpl_var sv[] = {
		{ "heading", heading, 0 },
		{ "not_stored", not_stored, 0 },
		{ "items", NULL, 1 }, { NULL, NULL, 0 },
	};
	int r;

	if (text == NULL)
		return GH_OK;
	/* A short link (the field's label), the words after it. */
	buf_printf(&item, "<li><a href=\"#%s\">", field_id);
	buf_html(&item, label);
	buf_puts(&item, "</a>: ");
	buf_html(&item, text);
	buf_puts(&item, "</li>\n");
	r = buf_is_failed(&item) ? GH_ERR_NOMEM : GH_OK;
	if (r == GH_OK) {
		sv[2].value = item.data;
		r = tpl_render(out, "survey_summary.html", sv);
	}
	buf_free(&item);
	return r;
}
