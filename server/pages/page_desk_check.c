/*
 * page_desk_check.c: page_desk_check, run once at start-up (after
 * page_init): every "desk.*" and "login.*" key the desk pages use is in
 * the catalogues with its placeholder, and every desk page renders in
 * both languages, so a broken template stops the server before a desk
 * user meets it.
 */
#include <string.h>

#include "pages/desk.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "util/log.h"

static const char *const keys[] = {
	"login.title", "login.intro", "login.name", "login.password",
	"login.submit", "login.failed", "login.limited", "login.busy",
	"login.expired", "login.logged_out", "login.forged",
	"login.no_research",
	"desk.forbidden.heading", "desk.forbidden.text",
	"desk.forbidden.hint", "desk.not_found", "desk.nav.label",
	"desk.nav.inbox", "desk.nav.signals", "desk.nav.logout",
	"desk.nav.user", "desk.inbox.title", "desk.inbox.intro",
	"desk.inbox.empty", "desk.inbox.count", "desk.inbox.received",
	"desk.inbox.open", "desk.inbox.tombstone", "desk.status.label",
	"desk.status.received", "desk.status.acknowledged",
	"desk.status.in_progress", "desk.status.closed",
	"desk.status.withdrawn", "desk.status.second_opinion",
	"desk.clock.ack", "desk.clock.feedback", "desk.clock.aftercare1",
	"desk.clock.aftercare3", "desk.clock.due", "desk.clock.overdue",
	"desk.clock.done", "desk.report.title", "desk.report.back",
	"desk.report.clock", "desk.report.conversation",
	"desk.report.by_reporter", "desk.report.by_desk",
	"desk.report.unreadable", "desk.report.withdrawn",
	"desk.report.categories", "desk.report.measure", "desk.report.none",
	"desk.kind.text", "desk.kind.question", "desk.kind.consent_ask",
	"desk.kind.consent_yes", "desk.kind.consent_no",
	"desk.kind.second_opinion", "desk.kind.note", "desk.reply.heading",
	"desk.reply.kind", "desk.reply.text", "desk.reply.hint",
	"desk.reply.submit", "desk.reply.empty", "desk.status.heading",
	"desk.status.new", "desk.status.submit", "desk.status.need_measure",
	"desk.category.heading", "desk.category.form",
	"desk.category.ground", "desk.category.unit", "desk.category.unset",
	"desk.category.submit", "desk.aftercare.heading",
	"desk.aftercare.hint", "desk.aftercare.done1",
	"desk.aftercare.done3", "desk.aftercare.not_closed", "desk.saved",
	"desk.signals.title", "desk.signals.intro", "desk.signals.rule",
	"desk.signals.hidden", "desk.signals.none", "desk.signals.unit",
	"desk.signals.count", "desk.lang.switch", NULL
};

/* Keys with a placeholder, and the placeholder. */
static const char *const marked[][2] = {
	{ "desk.inbox.count", "{n}" }, { "desk.signals.rule", "{n}" },
	{ "desk.signals.hidden", "{n}" }, { "desk.inbox.tombstone", "{d}" },
	{ "desk.clock.due", "{d}" }, { "desk.clock.overdue", "{d}" },
	{ "desk.report.title", "{id}" },
};

static int
check_keys(void)
{
	static const enum desk_cat cats[] = { DESK_CAT_FORM, DESK_CAT_GROUND,
	    DESK_CAT_UNIT, DESK_CAT_MEASURE };
	const char *const *id;
	size_t i;
	int l;

	for (i = 0; keys[i] != NULL; i++) {
		if (page_msg(DEF_NL, keys[i]) == keys[i]) {
			log_error("web/messages.*.json: $.%s: missing", keys[i]);
			return GH_ERR_INVALID;
		}
	}
	for (i = 0; i < sizeof(cats) / sizeof(cats[0]); i++) {
		for (id = desk_cat_ids(cats[i]); *id != NULL; id++) {
			if (desk_cat_label(DEF_NL, cats[i], *id) == *id) {
				log_error("web/messages.*.json: no label for "
				    "the desk category '%s'", *id);
				return GH_ERR_INVALID;
			}
		}
	}
	for (i = 0; i < sizeof(marked) / sizeof(marked[0]); i++) {
		for (l = 0; l < DEF_LANGS; l++) {
			if (strstr(page_msg((enum def_lang)l, marked[i][0]),
			    marked[i][1]) == NULL) {
				log_error("web/messages.%s.json: $.%s: needs "
				    "\"%s\"", page_lang_code((enum def_lang)l),
				    marked[i][0], marked[i][1]);
				return GH_ERR_INVALID;
			}
		}
	}
	return GH_OK;
}

/* Renders every page of the desk in lang into a scratch buffer. */
static int
render_all(enum def_lang lang)
{
	struct desk_item it[2];
	struct desk_msg m[2];
	struct desk_unit_count u = { "sociaal", 12 };
	struct desk_page p = { lang, "anna", "csrf", "/desk", "desk.saved", 0 };
	struct buf b = { 0 };
	int n, r = GH_OK;

	memset(it, 0, sizeof(it));
	memset(m, 0, sizeof(m));
	strcpy(it[0].id, "00112233445566778899aabbccddeeff");
	strcpy(it[0].received, "2026-01-01");
	it[0].step[0].state = DESK_CLOCK_DUE;
	it[0].step[1].state = DESK_CLOCK_OVERDUE;
	it[0].step[2].state = DESK_CLOCK_DONE;
	strcpy(it[0].form, "pesten");
	it[1] = it[0];
	it[1].status = 4;
	m[0].text = "a\nb<c>";
	m[0].text_len = strlen(m[0].text);
	m[1].is_by_desk = 1;
	m[1].kind = 2;
	for (n = LOGIN_NOTICE_NONE; n <= LOGIN_NOTICE_FORGED && r == GH_OK;
	    n++)
		r = page_login(&b, lang, "anna", (enum login_notice)n, "t");
	if (r == GH_OK)
		r = page_desk_inbox(&b, &p, it, 2);
	if (r == GH_OK)
		r = page_desk_report(&b, &p, &it[0], m, 2);
	if (r == GH_OK)
		r = page_desk_report(&b, &p, &it[1], NULL, 0);
	if (r == GH_OK)
		r = page_desk_signals(&b, &p, &u, 1, 3, 10);
	if (r == GH_OK)
		r = page_desk_signals(&b, &p, NULL, 0, 0, 10);
	if (r == GH_OK)
		r = page_desk_forbidden(&b, lang);
	buf_free(&b);
	return r;
}

int
page_desk_check(void)
{
	int r;

	if ((r = check_keys()) != GH_OK ||
	    (r = render_all(DEF_NL)) != GH_OK)
		return r;
	return render_all(DEF_EN);
}
