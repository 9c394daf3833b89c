/*
 * page_desk_check.c: page_desk_check, run once at start-up (after
 * page_init): every "desk.*" and "login.*" key the desk pages use is in
 * the catalogues with its placeholder, and every desk page renders in
 * both languages, so a broken template stops the server before a desk
 * user meets it.
 */
#include <stdio.h>
#include <string.h>

#include "pages/desk.h"
#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/review.h"
#include "pages/signals.h"
#include "report/retain.h"
#include "util/log.h"

static const char *const keys[] = {
	"login.title", "login.intro", "login.name", "login.password",
	"login.submit", "login.failed", "login.limited", "login.busy",
	"login.expired", "login.resume.heading", "login.resume.text",
	"login.resume.label", "login.resume.submit",
	"login.logged_out", "login.forged",
	"login.no_research",
	"desk.forbidden.heading", "desk.forbidden.text",
	"desk.forbidden.hint", "desk.role.heading", "desk.role.text",
	"desk.role.hint", "desk.not_found", "desk.nav.label",
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
	"desk.signals.count", "desk.lang.switch", "desk.signals.caption",
	"desk.signals.all", "desk.signals.total", "desk.signals.suppressed",
	"desk.signals.cat_hidden", "desk.kind.opinion", "report.kind.7",
	"review.nav.label", "review.nav.list", "review.list.title",
	"review.list.intro", "review.list.none", "review.list.ref",
	"review.list.received", "review.list.sent", "review.list.categories",
	"review.case.title", "review.case.back", "review.opinion.heading",
	"review.opinion.label", "review.opinion.hint",
	"review.opinion.submit", "review.opinion.sent",
	"review.send.heading", "review.send.link", "review.send.title",
	"review.send.intro", "review.send.label", "review.send.submit",
	"review.send.none", "review.send.already", "review.send.done",
	"review.send.invalid", "review.send.exists", "review.send.not_asked",
	"desk.nav.retention", "desk.report.expired", "desk.inbox.expired",
	"desk.retain.heading", "desk.retain.until", "desk.retain.open",
	"desk.retain.extended", "desk.retain.reason", "desk.retain.hint",
	"desk.retain.choose", "desk.retain.submit",
	"desk.retain.reason_invalid", "desk.retain.gone",
	"desk.retention.title", "desk.retention.intro", "desk.retention.none",
	NULL
};

/* Keys with a placeholder, and the placeholder. */
static const char *const marked[][2] = {
	{ "desk.inbox.count", "{n}" }, { "desk.signals.rule", "{n}" },
	{ "desk.signals.hidden", "{n}" }, { "desk.inbox.tombstone", "{d}" },
	{ "desk.signals.suppressed", "{n}" }, { "desk.signals.cat_hidden", "{n}" },
	{ "desk.clock.due", "{d}" }, { "desk.clock.overdue", "{d}" },
	{ "desk.report.title", "{id}" }, { "review.case.title", "{id}" },
	{ "review.send.title", "{id}" }, { "desk.assign.disabled", "{name}" },
	{ "desk.retain.until", "{d}" }, { "desk.retain.extended", "{reason}" },
	{ "desk.retention.intro", "{n}" },
};

static int
check_keys(void)
{
	static const enum desk_cat cats[] = { DESK_CAT_FORM, DESK_CAT_GROUND,
	    DESK_CAT_UNIT, DESK_CAT_MEASURE, DESK_CAT_OUTCOME };
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
		for (id = page_desk_cat_ids(cats[i]); *id != NULL; id++) {
			if (page_desk_cat_label(DEF_NL, cats[i], *id) == *id) {
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

static const char *const case_keys[] = {
	"desk.case.ref", "desk.case.new", "desk.case.assigned",
	"desk.case.nobody", "desk.assign.heading", "desk.assign.label",
	"desk.assign.submit", "desk.assign.disabled", "desk.note.heading",
	"desk.note.hint",
	"desk.note.label", "desk.note.submit", "desk.note.empty",
	"desk.note.none", "desk.status.result", "desk.status.need_result",
	"desk.status.measures", "desk.status.outcome_line",
	"desk.category.bad_form", "desk.category.bad_ground",
	"desk.category.bad_unit", "desk.assign.bad", "desk.find.label", "desk.find.hint",
	"desk.find.submit", "desk.find.bad", "desk.find.none",
	"desk.filter.heading", "desk.filter.status", "desk.filter.any",
	"desk.filter.open", "desk.filter.due", "desk.filter.overdue",
	"desk.filter.week", "desk.filter.assigned", "desk.filter.me",
	"desk.filter.nobody", "desk.filter.submit", "desk.filter.bad",
	"desk.filter.none", "desk.report.outcome", NULL
};

/* Renders a case page and a filtered inbox in lang. */
static int
render_case(enum def_lang lang)
{
	static const char *const forms[] = { "pesten", "discriminatie" };
	/* A disabled user who still holds the case: shown marked. */
	struct desk_user u[] = { { 1, "anna", 0 }, { 2, "bert", 1 } };
	struct desk_note n = { "2026-01-02", "anna", "a\nb<c>", 6 };
	struct desk_case c = { forms, 2, NULL, 0, NULL, 0, u, 2, 2, &n, 1 };
	struct desk_filter f = { "3f9a", "open", "pesten", NULL, "week",
	    "me", 1 };
	struct desk_page p = { lang, "anna", "csrf", "/desk", NULL, 0, &f };
	struct desk_item it;
	struct buf b = { 0 };
	int r;

	memset(&it, 0, sizeof(it));
	strcpy(it.id, "00112233445566778899aabbccddeeff");
	strcpy(it.ref, "3F9A-C21B");
	strcpy(it.outcome, "founded");
	it.is_new = 1;
	strcpy(it.assigned, "bert");
	it.is_assigned_disabled = 1;
	it.kase = &c;
	if ((r = page_desk_report(&b, &p, &it, NULL, 0)) == GH_OK)
		r = page_desk_inbox(&b, &p, &it, 1);
	buf_free(&b);
	return r;
}

/* The casework's keys in both languages, and its pages rendered. */
static int
case_check(void)
{
	size_t i;
	int l, r;

	for (i = 0; case_keys[i] != NULL; i++) {
		for (l = 0; l < DEF_LANGS; l++) {
			if (page_msg((enum def_lang)l, case_keys[i]) ==
			    case_keys[i]) {
				log_error("web/messages.%s.json: $.%s: missing",
				    page_lang_code((enum def_lang)l),
				    case_keys[i]);
				return GH_ERR_INVALID;
			}
		}
	}
	if ((r = render_case(DEF_NL)) != GH_OK)
		return r;
	return render_case(DEF_EN);
}

/* The pages of second opinions, once each. */
static int
render_review(struct buf *b, const struct desk_page *p,
    const struct desk_item *it, const struct desk_msg *m)
{
	static const char *const names[] = { "vera", "wim" };
	struct review_item ri;
	struct desk_item so = it[0];
	int r;

	memset(&ri, 0, sizeof(ri));
	ri.d = it[0];
	strcpy(ri.ref, "A1B2C3D4");
	strcpy(ri.sent, "2026-01-02");
	so.status = 5;	/* second opinion: the link is shown */
	if ((r = page_review_list(b, p, &ri, 1)) == GH_OK &&
	    (r = page_review_list(b, p, NULL, 0)) == GH_OK &&
	    (r = page_review_case(b, p, &ri, m, 2)) == GH_OK &&
	    (r = page_review_send_link(b, p, &so)) == GH_OK &&
	    (r = page_review_send(b, p, &so, names, 2, names, 1)) == GH_OK)
		r = page_review_send(b, p, &so, NULL, 0, NULL, 0);
	return r;
}

/* Renders the retention section and page (every reason's label is in
 * the catalogue: page_msg would show the key itself). */
static int
render_retain(struct buf *b, const struct desk_page *p)
{
	struct desk_retain_item v[2] = {
		{ "00112233445566778899aabbccddeeff", "0011-2233", "2026-01-01",
		    "" },
		{ "00112233445566778899aabbccddeeff", "", "2026-01-02",
		    "investigation" },
	};
	struct desk_retain rt = { "2026-01-01", "legal_proceedings",
	    retain_reason_ids() };
	const char *const *id;
	char key[96];
	int r;

	for (id = retain_reason_ids(); *id != NULL; id++) {
		snprintf(key, sizeof(key), "desk.retain.reason.%s", *id);
		if (strcmp(page_msg(p->lang, key), key) == 0) {
			log_error("web/messages: no text for %s", key);
			return GH_ERR_INVALID;
		}
	}
	if ((r = page_desk_retain(b, p, v[0].id, &rt)) != GH_OK ||
	    (r = page_desk_retention(b, p, v, 2, 30)) != GH_OK)
		return r;
	return page_desk_retention(b, p, v, 0, 30);
}

/* Renders every page of the desk in lang into a scratch buffer. */
static int
render_all(enum def_lang lang)
{
	struct desk_item it[2];
	struct desk_msg m[2];
	struct signals_row u[2] = {
		{ "sociaal", SIGNALS_ALL, "", { 5, 0, 3, 4 }, 12, 0x6 },
		{ "sociaal", SIGNALS_GROUND, "geloof", { 10, 0, 0, 0 }, 10, 0 },
	};
	struct signals_view sv = { u, 2, 3, 1, 10,
	    { "a", "b", "c", "d" } };
	struct desk_page p = { lang, "anna", "csrf", "/desk", "desk.saved", 0,
	    NULL };
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
		r = render_review(&b, &p, it, m);
	if (r == GH_OK)
		r = page_signals(&b, &p, &sv);
	sv.n = 0;
	if (r == GH_OK)
		r = page_signals(&b, &p, &sv);
	if (r == GH_OK)
		r = page_desk_forbidden(&b, lang);
	if (r == GH_OK)
		r = render_retain(&b, &p);
	buf_free(&b);
	return r;
}

int
page_desk_check(void)
{
	int r;

	if ((r = check_keys()) != GH_OK ||
	    (r = case_check()) != GH_OK ||
	    (r = render_all(DEF_NL)) != GH_OK)
		return r;
	return render_all(DEF_EN);
}
