/*
 * page_report_files.c: the box under a reporter's file field that
 * web/report_files.js turns into a list of the chosen files (name, size,
 * type, a Remove button each) with a live count against the limits, and
 * the script element with its integrity (report.h).
 *
 * Entry point: page_report_files_list. The box is rendered hidden and
 * carries the limits (PAGE_REPORT_FILES_MAX files of ATTACH_FILE_MAX
 * bytes, names of ATTACH_NAME_MAX bytes) and the words the script shows,
 * among them the server's own refusals ("report.file.*"), so a file
 * marked in the browser is marked with the words the server would use.
 * Without the script nothing of it shows; without the script asset
 * nothing is rendered at all.
 */
#include <stdio.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/page_invite.h"
#include "pages/report.h"
#include "pages/tpl.h"
#include "report/attach_clean.h"
#include "report/attach_seal.h"

#define FILES_SCRIPT	"report_files.js"
#define SRI_TEXT_MAX	128

int
page_report_files_list(struct buf *out, enum def_lang lang,
    const char *input_id)
{
	char sri[SRI_TEXT_MAX], max[16], max_bytes[24], name_max[16];

	if (input_id == NULL)
		return GH_ERR_INVALID;
	if (page_asset_sri(sri, sizeof(sri), FILES_SCRIPT) != GH_OK)
		return GH_OK;	/* no script: the browser's own field */
	lang = page_lang(lang);
	snprintf(max, sizeof(max), "%d", PAGE_REPORT_FILES_MAX);
	snprintf(max_bytes, sizeof(max_bytes), "%zu", ATTACH_FILE_MAX);
	snprintf(name_max, sizeof(name_max), "%d", ATTACH_NAME_MAX);
	struct tpl_var v[] = {
		{ "input", input_id, 0 },
		{ "locale", lang == DEF_EN ? "en-GB" : "nl-NL", 0 },
		{ "max", max, 0 },
		{ "max_bytes", max_bytes, 0 },
		{ "name_max", name_max, 0 },
		{ "hint", page_report_msg(lang, "files.hint_js"), 0 },
		{ "title", page_report_msg(lang, "files.title"), 0 },
		{ "count", page_report_msg(lang, "files.count"), 0 },
		{ "not_sent_count", page_report_msg(lang,
		  "files.not_sent_count"), 0 },
		{ "not_sent", page_report_msg(lang, "files.not_sent"), 0 },
		{ "removed", page_report_msg(lang, "files.removed"), 0 },
		{ "remove", page_report_msg(lang, "files.remove"), 0 },
		{ "type_unknown", page_report_msg(lang, "files.type_unknown"),
		  0 },
		{ "type", page_report_msg(lang, "file.type"), 0 },
		{ "size", page_report_msg(lang, "file.size"), 0 },
		{ "bad_name", page_report_msg(lang, "file.bad_name"), 0 },
		{ "too_many", page_report_msg(lang, "file.too_many"), 0 },
		{ "sri", sri, 0 },
		{ NULL, NULL, 0 },
	};

	return tpl_render(out, "report_files_list.html", v);
}
