/*
 * page_report_common.c: what every reporter page uses: the "report.*"
 * catalogue texts and the hidden fields of a logged-in reporter's forms
 * (report.h). Below page_report.c, page_report_conv.c, page_report_form.c
 * and page_report_sheet.c, which all call it and never each other.
 *
 * Entry points: page_report_msg, page_report_once, page_report_hidden.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/report.h"
#include "pages/tpl.h"

const char *
page_report_msg(enum def_lang lang, const char *suffix)
{
	char key[128];
	const char *t;

	snprintf(key, sizeof(key), "report.%s", suffix);
	t = page_msg(lang, key);
	return t == key ? PAGE_REPORT_MISSING : t;
}

void
page_report_once(char out[PAGE_REPORT_ONCE_TEXT + 1], const char *kept)
{
	unsigned char raw[PAGE_REPORT_ONCE_BYTES];

	if (kept != NULL && strlen(kept) == PAGE_REPORT_ONCE_TEXT &&
	    strspn(kept, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == PAGE_REPORT_ONCE_TEXT) {
		memcpy(out, kept, PAGE_REPORT_ONCE_TEXT + 1);
		return;
	}
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, PAGE_REPORT_ONCE_TEXT + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* The hidden fields of every form of a logged-in reporter: the same new
 * one-time key in each (only one of them is sent). */
int
page_report_hidden(struct buf *out, enum def_lang lang, const char *code)
{
	char once[PAGE_REPORT_ONCE_TEXT + 1];
	struct tpl_var vars[] = {
		{ "lang", page_lang_code(lang), 0 }, { "receipt", code, 0 },
		{ "once", once, 0 }, { NULL, NULL, 0 },
	};

	page_report_once(once, NULL);
	return tpl_render(out, "report_hidden.html", vars);
}
