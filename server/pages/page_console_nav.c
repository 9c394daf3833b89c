/*
 * page_console_nav.c: the navigation every console page opens with
 * (page_console_nav in console.h): the console's pages, the language,
 * who is signed in and logging out, then the notice of the action just
 * done, if any. Its own file, so that every console page file can use
 * it without depending on another page's file.
 */
#include <string.h>

#include "pages/console.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/tpl.h"

static int
notice(struct buf *out, const struct desk_page *p)
{
	struct tpl_var v[] = {
		{ "class", p->is_notice_error ? "error-summary" : "notice", 0 },
		{ "role", p->is_notice_error ? "alert" : "status", 0 },
		{ "text", page_msg(p->lang, p->notice_key), 0 },
		{ NULL, NULL, 0 },
	};

	return tpl_render(out, "desk_notice.html", v);
}

int
page_console_nav(struct buf *out, const struct desk_page *p)
{
	const char *here = p->here != NULL ? p->here : "/console";
	const char *cur = " aria-current=\"page\"";
	struct tpl_var v[] = {
		{ "label", page_msg(p->lang, "console.nav.label"), 0 },
		{ "lang", page_lang_code(p->lang), 0 },
		{ "waves", page_msg(p->lang, "console.nav.waves"), 0 },
		{ "waves_current", strcmp(here, "/console") == 0 ? cur : "", 1 },
		{ "units", page_msg(p->lang, "console.nav.units"), 0 },
		{ "units_current", strcmp(here, "/console/units") == 0 ? cur :
		    "", 1 },
		{ "part", page_msg(p->lang, "console.nav.participation"), 0 },
		{ "part_current", strcmp(here, "/console/participation") == 0 ?
		    cur : "", 1 },
		{ "letters", page_msg(p->lang, "console.nav.letters"), 0 },
		{ "letters_current", strcmp(here, "/console/letters") == 0 ?
		    cur : "", 1 },
		{ "release", page_msg(p->lang, "console.nav.release"), 0 },
		{ "release_current", strncmp(here, "/console/release", 16) == 0 ?
		    cur : "", 1 },
		{ "audit", page_msg(p->lang, "console.nav.audit"), 0 },
		{ "audit_current", strcmp(here, "/console/audit") == 0 ? cur :
		    "", 1 },
		{ "accounts", page_msg(p->lang, "console.nav.accounts"), 0 },
		{ "accounts_current", strcmp(here, "/console/accounts") == 0 ?
		    cur : "", 1 },
		{ "settings", page_msg(p->lang, "console.nav.settings"), 0 },
		{ "settings_current", strcmp(here, "/console/settings") == 0 ?
		    cur : "", 1 },
		{ "here", here, 0 },
		{ "other_lang", p->lang == DEF_EN ? "nl" : "en", 0 },
		{ "other_lang_name", page_msg(p->lang, "desk.lang.switch"), 0 },
		{ "csrf", p->csrf, 0 },
		{ "user_label", page_msg(p->lang, "desk.nav.user"), 0 },
		{ "user", p->user, 0 },
		{ "logout", page_msg(p->lang, "desk.nav.logout"), 0 },
		{ NULL, NULL, 0 },
	};
	int r = tpl_render(out, "console_nav.html", v);

	if (r == GH_OK && p->notice_key != NULL)
		r = notice(out, p);
	return r;
}
