/*
 * page_report.c: the reporter's short pages: the receipt shown once, the
 * receipt login, notes, the withdrawal confirmation, and the check at
 * start-up that every reporter page renders (report.h).
 *
 * Entry points: page_report_receipt (and page_report_receipt_where, which
 * says where the text was sealed), page_report_login, page_report_note,
 * page_report_withdraw, page_report_busy, page_report_sealed_bad (a
 * malformed report sealed in the browser), page_report_selfcheck.
 * Pages holding a receipt or report text are built in buffers that are
 * wiped (buf_free wipes); the server sends them with Cache-Control:
 * no-store and wipes them once sent.
 */
#include <stdio.h>
#include <string.h>

#include "pages/page.h"
#include "pages/page_int.h"
#include "pages/report.h"
#include "pages/tpl.h"
#include "survey/text.h"
#include "util/log.h"

/* Fills vars[0..] with the catalogue texts of keys; returns how many. */
static size_t
msg_vars(struct tpl_var *vars, enum def_lang lang, const char *const *keys)
{
	size_t n;

	for (n = 0; keys[n] != NULL; n++) {
		vars[n].name = keys[n];
		vars[n].value = page_report_msg(lang, keys[n]);
		vars[n].is_raw = 0;
	}
	return n;
}

/* Renders tpl into a body and wraps it in the layout with title. */
static int
wrap(struct buf *out, enum def_lang lang, const char *tpl,
    const struct tpl_var *vars, const char *title)
{
	struct buf body = { 0 };
	int r;

	if ((r = tpl_render(&body, tpl, vars)) == GH_OK)
		r = page_layout(out, lang, title, body.data);
	buf_free(&body);
	return r;
}

static int
render_error(struct buf *out, enum def_lang lang, const char *id,
    const char *key)
{
	struct tpl_var vars[] = {
		{ "id", id, 0 },
		{ "prefix", page_report_msg(lang, "error_prefix"), 0 },
		{ "text", page_report_msg(lang, key), 0 },
		{ NULL, NULL, 0 },
	};

	return tpl_render(out, "q_error.html", vars);
}

/*
 * Writes the code as its groups, each a span that never wraps, joined by
 * hyphens (the code's own text: copied, it is the code). Only the
 * receipt alphabet is let through; anything else is shown as one group,
 * escaped by the template's rules (tpl_render).
 */
static int
code_groups(struct buf *out, const char *code)
{
	const char *p, *e;
	char group[16];
	int r = GH_OK;

	if (code[strspn(code, "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U-")] !=
	    '\0') {
		struct tpl_var v[] = { { "g", code, 0 }, { NULL, NULL, 0 } };

		return tpl_render(out, "report_code_group.html", v);
	}
	for (p = code; *p != '\0' && r == GH_OK; p = *e ? e + 1 : e) {
		struct tpl_var v[] = { { "g", group, 0 }, { NULL, NULL, 0 } };

		e = p + strcspn(p, "-");
		snprintf(group, sizeof(group), "%.*s", (int)(e - p), p);
		if (p != code)
			buf_puts(out, "-");
		r = tpl_render(out, "report_code_group.html", v);
	}
	return r == GH_OK && buf_is_failed(out) ? GH_ERR_NOMEM : r;
}

int
page_report_receipt(struct buf *out, enum def_lang lang, const char *code,
    const char *ack, const char *sent, int is_replacement,
    int is_missing_saved, const char *once_key)
{
	return page_report_receipt_where(out, lang, code, ack, sent,
	    is_replacement, is_missing_saved, once_key, PAGE_SEALED_NONE);
}

int
page_report_receipt_where(struct buf *out, enum def_lang lang,
    const char *code, const char *ack, const char *sent, int is_replacement,
    int is_missing_saved, const char *once_key, enum page_sealed_where where)
{
	static const char *const keys[] = {
		"receipt_title", "receipt_label", "saved_label",
		"receipt_print_traces", NULL
	};
	static const char *const ack_keys[] = {
		"ack_heading", "ack_text", "ack_check", "ack_download",
		"ack_summary", "ack_traces", NULL
	};
	struct tpl_var vars[24], av[10];
	struct buf err = { 0 }, sent_b = { 0 }, ack_b = { 0 }, cg = { 0 };
	struct tpl_var sv[] = {
		{ "heading", page_report_msg(lang, "sent_heading"), 0 },
		{ "text", sent, 0 }, { NULL, NULL, 0 },
	};
	size_t n;
	int r = GH_OK;

	if (is_missing_saved)
		r = render_error(&err, lang, "saved-error", "saved_missing");
	if (r == GH_OK)
		r = code_groups(&cg, code);
	if (r == GH_OK && sent != NULL)
		r = tpl_render(&sent_b, "report_sent.html", sv);
	if (r == GH_OK && ack != NULL) {
		n = msg_vars(av, lang, ack_keys);
		av[n++] = (struct tpl_var){ "ack", ack, 0 };
		av[n] = (struct tpl_var){ NULL, NULL, 0 };
		r = tpl_render(&ack_b, "report_receipt_ack.html", av);
	}
	if (r != GH_OK)
		goto out;
	n = msg_vars(vars, lang, keys);
	vars[n++] = (struct tpl_var){ "sent", page_report_msg(lang,
	    is_replacement ? "receipt_replaced" : "receipt_sent"), 0 };
	vars[n++] = (struct tpl_var){ "once", page_report_msg(lang,
	    "receipt_once"), 0 };
	vars[n++] = (struct tpl_var){ "print", page_report_msg(lang,
	    "receipt_print"), 0 };
	vars[n++] = (struct tpl_var){ "keep", page_report_msg(lang,
	    "receipt_keep"), 0 };
	vars[n++] = (struct tpl_var){ "continue", page_report_msg(lang,
	    "saved_continue"), 0 };
	vars[n++] = (struct tpl_var){ "code", code, 0 };
	vars[n++] = (struct tpl_var){ "ack", ack != NULL ? ack : "", 0 };
	vars[n++] = (struct tpl_var){ "ack_block", ack_b.data, 1 };
	vars[n++] = (struct tpl_var){ "lang", page_lang_code(lang), 0 };
	vars[n++] = (struct tpl_var){ "error", err.data, 1 };
	vars[n++] = (struct tpl_var){ "sent_block", sent_b.data, 1 };
	vars[n++] = (struct tpl_var){ "code_groups", cg.data, 1 };
	vars[n++] = (struct tpl_var){ "follow_text", page_report_msg(lang,
	    "receipt_follow"), 0 };
	vars[n++] = (struct tpl_var){ "follow_address", "/melden/volg", 0 };
	vars[n++] = (struct tpl_var){ "once_key", once_key != NULL ?
	    once_key : "", 0 };
	/* Where the text was sealed: a new report's receipt says it. */
	vars[n++] = (struct tpl_var){ "sealed_where", where ==
	    PAGE_SEALED_NONE ? "" : page_report_msg(lang, where ==
	    PAGE_SEALED_BROWSER ? "sealed_in_browser" : "sealed_on_server"),
	    0 };
	vars[n++] = (struct tpl_var){ "sealed_class", where ==
	    PAGE_SEALED_BROWSER ? "report-sealed browser" : where ==
	    PAGE_SEALED_SERVER ? "report-sealed server" : "report-sealed", 0 };
	vars[n++] = (struct tpl_var){ "saved_attrs", is_missing_saved ?
	    " aria-invalid=\"true\" aria-describedby=\"saved-error\"" : "",
	    1 };
	vars[n] = (struct tpl_var){ NULL, NULL, 0 };
	r = wrap(out, lang, "report_receipt.html", vars,
	    page_report_msg(lang, "receipt_title"));
out:
	buf_free(&cg);
	buf_free(&err);
	buf_free(&sent_b);
	buf_free(&ack_b);
	return r;
}

int
page_report_login(struct buf *out, enum def_lang lang, const char *typed,
    enum report_login_problem p)
{
	static const char *const keys[] = {
		"lang_other", "login_title", "login_text", "login_label",
		"login_submit", "no_reply_note", "new_report", NULL
	};
	static const char *const problem_key[] = {
		[REPORT_LOGIN_TYPO] = "login_typo",
		[REPORT_LOGIN_SHAPE] = "login_shape",
		[REPORT_LOGIN_UNKNOWN] = "login_unknown",
		[REPORT_LOGIN_BUSY] = "login_busy",
	};
	struct tpl_var vars[16];
	struct buf err = { 0 };
	size_t n;
	int r = GH_OK;

	if (p != REPORT_LOGIN_OK)
		r = render_error(&err, lang, "receipt-error", problem_key[p]);
	if (r != GH_OK)
		goto out;
	n = msg_vars(vars, lang, keys);
	vars[n++] = (struct tpl_var){ "lang", page_lang_code(lang), 0 };
	vars[n++] = (struct tpl_var){ "other_lang",
	    page_lang_code(lang == DEF_EN ? DEF_NL : DEF_EN), 0 };
	vars[n++] = (struct tpl_var){ "class", p != REPORT_LOGIN_OK ?
	    "question has-error" : "question", 0 };
	vars[n++] = (struct tpl_var){ "error", err.data, 1 };
	/* What was typed is shown again, unless it is not UTF-8. */
	vars[n++] = (struct tpl_var){ "value", typed != NULL &&
	    survey_utf8_check(typed, strlen(typed), NULL) == 0 ? typed : "",
	    0 };
	vars[n++] = (struct tpl_var){ "describedby", p != REPORT_LOGIN_OK ?
	    "receipt-hint receipt-error" : "receipt-hint", 0 };
	vars[n++] = (struct tpl_var){ "attrs", p != REPORT_LOGIN_OK ?
	    " aria-invalid=\"true\"" : "", 1 };
	vars[n] = (struct tpl_var){ NULL, NULL, 0 };
	r = wrap(out, lang, "report_login.html", vars,
	    page_report_msg(lang, "login_title"));
out:
	buf_free(&err);
	return r;
}

int
page_report_note(struct buf *out, enum def_lang lang, const char *which,
    const char *href, const char *link_key)
{
	char tk[64], xk[64];
	struct tpl_var vars[] = {
		{ "heading", NULL, 0 }, { "text", NULL, 0 },
		{ "href", href, 0 }, { "link", page_report_msg(lang, link_key), 0 },
		{ NULL, NULL, 0 },
	};

	snprintf(tk, sizeof(tk), "%s_title", which);
	snprintf(xk, sizeof(xk), "%s_text", which);
	vars[0].value = page_report_msg(lang, tk);
	vars[1].value = page_report_msg(lang, xk);
	return wrap(out, lang, "report_note.html", vars, vars[0].value);
}

int
page_report_withdraw(struct buf *out, enum def_lang lang, const char *code,
    int is_missing)
{
	struct buf hidden = { 0 }, err = { 0 };
	struct tpl_var vars[] = {
		{ "title", page_report_msg(lang, "withdraw_confirm_title"), 0 },
		{ "text", page_report_msg(lang, "withdraw_text"), 0 },
		{ "label", page_report_msg(lang, "withdraw_confirm_label"), 0 },
		{ "submit", page_report_msg(lang, "withdraw_confirm_submit"), 0 },
		{ "back", page_report_msg(lang, "back"), 0 },
		{ "class", is_missing ? "question has-error" : "question", 0 },
		{ "attrs", is_missing ? " aria-invalid=\"true\" "
		  "aria-describedby=\"sure-error\"" : "", 1 },
		{ "hidden", NULL, 1 }, { "error", NULL, 1 },
		{ NULL, NULL, 0 },
	};
	int r;

	if ((r = page_report_hidden(&hidden, lang, code)) != GH_OK ||
	    (is_missing && (r = render_error(&err, lang, "sure-error",
	    "withdraw_confirm_missing")) != GH_OK))
		goto out;
	vars[7].value = hidden.data;
	vars[8].value = err.data;
	r = wrap(out, lang, "report_withdraw.html", vars, vars[0].value);
out:
	buf_free(&hidden);
	buf_free(&err);
	return r;
}

/* The fields of a reporter's POST that page_report_busy posts again. */
static const char *const busy_fields[] = {
	"receipt", "action", "to", "sure", "once", NULL
};

int
page_report_busy(struct buf *out, enum def_lang lang,
    const struct form *posted)
{
	struct buf fields = { 0 };
	const char *v;
	size_t i;
	char max[16];
	int r = GH_OK;

	snprintf(max, sizeof(max), "%d", REPORT_ANSWER_MAX);
	for (i = 0; busy_fields[i] != NULL && r == GH_OK; i++) {
		struct tpl_var fv[] = {
			{ "name", busy_fields[i], 0 }, { "value", NULL, 0 },
			{ NULL, NULL, 0 },
		};

		v = form_get(posted, busy_fields[i]);
		if (v == NULL || survey_utf8_check(v, strlen(v), NULL) != 0)
			continue;
		fv[1].value = v;
		r = tpl_render(&fields, "report_busy_field.html", fv);
	}
	v = form_get(posted, "text");
	if (r == GH_OK && v != NULL && *v != '\0' &&
	    survey_utf8_check(v, strlen(v), NULL) == 0) {
		struct tpl_var tv[] = {
			{ "label", page_report_msg(lang, "busy_label"), 0 },
			{ "max", max, 0 }, { "value", v, 0 },
			{ NULL, NULL, 0 },
		};

		r = tpl_render(&fields, "report_busy_text.html", tv);
	}
	if (r == GH_OK) {
		struct tpl_var vars[] = {
			{ "heading", page_report_msg(lang, "busy_title"), 0 },
			{ "text", page_report_msg(lang, "busy_text"), 0 },
			{ "retry", page_report_msg(lang, "busy_retry"), 0 },
			{ "lang", page_lang_code(lang), 0 },
			{ "fields", fields.data, 1 },
			{ NULL, NULL, 0 },
		};

		r = wrap(out, lang, "report_busy.html", vars, vars[0].value);
	}
	buf_free(&fields);
	return r;
}

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

/* The pages of sealed reports: the form with its script's attributes,
 * both receipts, every refusal (for page_report_selfcheck). */
static int
sealed_selfcheck(struct buf *out, enum def_lang lang)
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

int
page_report_selfcheck(void)
{
	static const char code[] = "00000-00000-00000-00000-00000";
	struct report_entry e[2] = {
		{ 1, 0, 0, "1970-01-01 00:00", "text", 0, 0 },
		{ 2, 1, 2, "1970-01-02 00:00", "step", 1, 1 },
	};
	struct report_conv_view cv = { DEF_NL, code, 1, "1970-01-02",
	    "1970-01-01", "1970-01-02", NULL, e, 2, "added", 2, NULL, "kept",
	    "Attachment x: why" };
	struct report_check chk = { { REPORT_P_MISSING, REPORT_P_BAD_OPTION,
	    REPORT_P_OK, REPORT_P_OK, REPORT_P_EXCLUSIVE, REPORT_P_TOO_LONG,
	    REPORT_P_OK, REPORT_P_OK, REPORT_P_OK, REPORT_P_MISSING }, 5 };
	struct form_field bf[] = {
		{ (char *)"receipt", (char *)code, sizeof(code) - 1 },
		{ (char *)"action", (char *)"add", 3 },
		{ (char *)"text", (char *)"kept", 4 },
	};
	struct form busy = { bf, 3 };
	struct buf b = { 0 };
	int l, r = GH_OK;

	for (l = 0; l < DEF_LANGS && r == GH_OK; l++) {
		cv.lang = (enum def_lang)l;
		if ((r = page_report_form(&b, cv.lang, "/melden", NULL,
		    &chk, "busy_form")) != GH_OK ||
		    (r = page_report_form(&b, cv.lang, "/melden", NULL,
		    NULL, "limited_form")) != GH_OK ||
		    (r = page_report_busy(&b, cv.lang, &busy)) != GH_OK ||
		    (r = page_report_receipt(&b, cv.lang, code, "ack", "sent",
		    0, 1, "k")) != GH_OK ||
		    (r = page_report_login(&b, cv.lang, "x",
		    REPORT_LOGIN_TYPO)) != GH_OK ||
		    (r = page_report_note(&b, cv.lang, "withdrawn", "/melden",
		    "new_report")) != GH_OK ||
		    (r = page_report_withdraw(&b, cv.lang, code, 1)) != GH_OK ||
		    (r = sealed_selfcheck(&b, cv.lang)) != GH_OK)
			break;
		r = page_report_conv(&b, &cv);
	}
	if (r == GH_OK && b.data != NULL && strstr(b.data, PAGE_REPORT_MISSING) != NULL) {
		log_error("web/messages.*.json: a report.* text is missing");
		r = GH_ERR_INVALID;
	}
	buf_free(&b);
	return r;
}
