/*
 * page_report_sheet.c: the printable sheet of one-time report links
 * (gehoord report-links issue): the survey sheet's layout
 * (web/sheet_head.html, sheet_foot.html) with a card per link saying, in
 * Dutch and English, how to report with it, that nobody knows to whom
 * the card was given, and the address in full where the receipt code is
 * entered afterwards; the QR code is sheet_qr_svg's.
 *
 * Entry point: page_report_sheet. The links hold live tokens: they are
 * never logged, and the buffers that held them are wiped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/report.h"
#include "pages/sheet.h"
#include "pages/tpl.h"
#include "util/log.h"

static int
put(FILE *f, struct buf *b)
{
	int r = GH_OK;

	if (b->len > 0 && fwrite(b->data, 1, b->len, f) != b->len) {
		log_error("cannot write the sheet: %s", strerror(errno));
		r = GH_ERR_IO;
	}
	if (b->data != NULL)
		sodium_memzero(b->data, b->cap);
	b->len = 0;
	return r;
}

int
page_report_sheet(FILE *f, const char *const *links, size_t n,
    const char *follow)
{
	struct buf b = { 0 }, qr = { 0 };
	char count[32];
	size_t i;
	int r;
	struct tpl_var head[] = {
		{ "title", NULL, 0 }, { "unit", "", 0 }, { "count", count, 0 },
		{ NULL, NULL, 0 },
	};
	struct tpl_var card[] = {
		{ "title", NULL, 0 }, { "title_en", NULL, 0 }, { "qr", NULL, 1 },
		{ "how_nl", NULL, 0 }, { "how_en", NULL, 0 },
		{ "link", NULL, 0 }, { "follow_nl", NULL, 0 },
		{ "follow_en", NULL, 0 }, { "follow", follow, 0 },
		{ NULL, NULL, 0 },
	};

	if ((r = page_ensure_init()) != GH_OK)
		return r;
	snprintf(count, sizeof(count), "%zu", n);
	head[0].value = page_report_msg(DEF_NL, "sheet_title");
	card[0].value = page_report_msg(DEF_NL, "sheet_title");
	card[1].value = page_report_msg(DEF_EN, "sheet_title");
	card[3].value = page_report_msg(DEF_NL, "sheet_how");
	card[4].value = page_report_msg(DEF_EN, "sheet_how");
	card[6].value = page_report_msg(DEF_NL, "sheet_follow");
	card[7].value = page_report_msg(DEF_EN, "sheet_follow");
	if ((r = tpl_render(&b, "sheet_head.html", head)) != GH_OK ||
	    (r = put(f, &b)) != GH_OK)
		goto out;
	for (i = 0; i < n; i++) {
		qr.len = 0;
		if ((r = sheet_qr_svg(&qr, links[i])) != GH_OK)
			goto out;
		card[2].value = qr.data;
		card[5].value = links[i];
		if ((r = tpl_render(&b, "report_sheet_card.html", card)) !=
		    GH_OK || (r = put(f, &b)) != GH_OK)
			goto out;
	}
	if ((r = tpl_render(&b, "sheet_foot.html", NULL)) != GH_OK ||
	    (r = put(f, &b)) != GH_OK)
		goto out;
	if (fflush(f) != 0 || ferror(f)) {
		log_error("cannot write the sheet: %s", strerror(errno));
		r = GH_ERR_IO;
	}
out:
	buf_free(&b);
	buf_free(&qr);
	return r;
}
