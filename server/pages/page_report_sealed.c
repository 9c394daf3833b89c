/*
 * page_report_sealed.c: the page that refuses a malformed sealed report
 * (a report sealed in the browser, report/report_sealed.h): which field
 * is wrong and how, that nothing was stored, and the way back to the
 * form. Entry points: page_report_sealed_bad, and
 * page_report_sealed_selfcheck (pages/report.h).
 */
#include <stdio.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/report.h"
#include "pages/tpl.h"

int
page_report_sealed_bad(struct buf *out, enum def_lang lang,
    const char *field, const char *why, const char *action)
{
	struct buf body = { 0 };
	char key[64], href[96];
	struct tpl_var vars[] = {
		{ "heading", NULL, 0 }, { "field_label", NULL, 0 },
		{ "field", field, 0 }, { "why", NULL, 0 },
		{ "not_stored", NULL, 0 }, { "href", href, 0 },
		{ "link", NULL, 0 }, { NULL, NULL, 0 },
	};
	int r;

	lang = page_lang(lang);
	snprintf(key, sizeof(key), "sealed_bad.%s", why);
	snprintf(href, sizeof(href), "%s?lang=%s", action,
	    page_lang_code(lang));
	vars[0].value = page_report_msg(lang, "sealed_bad.heading");
	vars[1].value = page_report_msg(lang, "sealed_bad.field");
	vars[3].value = page_report_msg(lang, key);
	vars[4].value = page_report_msg(lang, "error_not_stored");
	vars[6].value = page_report_msg(lang, "new_report");
	if ((r = tpl_render(&body, "report_sealed_bad.html", vars)) == GH_OK)
		r = page_layout(out, lang, vars[0].value, body.data);
	buf_free(&body);
	return r;
}

int
page_report_sealed_selfcheck(struct buf *out, enum def_lang lang)
{
	static const char *const whys[] = {
		"missing", "encoding", "size", "version", "mismatch", "clear",
		"option", NULL,
	};
	static const uint8_t pk[32] = { 9 };
	size_t i;
	int r;

	if ((r = page_report_form_seal(out, lang, "/melden", NULL, NULL,
	    "seal.on_server", pk)) != GH_OK ||
	    (r = page_report_receipt_where(out, lang, "00000", "ack", NULL, 0,
	    0, "k", PAGE_SEALED_BROWSER)) != GH_OK ||
	    (r = page_report_receipt_where(out, lang, "00000", "ack", NULL, 0,
	    0, "k", PAGE_SEALED_SERVER)) != GH_OK ||
	    (r = page_report_note(out, lang, "sealed_busy", "/melden",
	    "new_report")) != GH_OK)
		return r;
	for (i = 0; whys[i] != NULL && r == GH_OK; i++)
		r = page_report_sealed_bad(out, lang, "field", whys[i],
		    "/melden");
	return r;
}
