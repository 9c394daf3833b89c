/*
 * test_pages_render.c: the templates (tpl), the message pages and the
 * one-page survey form of server/pages. Definitions are built by hand
 * here, so these tests do not depend on the definition loader; the pages
 * of a multi-page survey are in test_pages_flow.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "pages/page.h"
#include "pages/tpl.h"

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += len;
	}
	return n;
}

static int
setup(void **state)
{
	(void)state;
	return page_init() == GH_OK ? 0 : -1;
}

/* A small definition: a required single choice with help, an optional
 * multiple choice with a title that needs escaping, a Likert item and a
 * free-text question. */
static struct def_option opts_ab[] = {
	{ .id = "a", .label = { { "Ja", "Yes" } } },
	{ .id = "b", .label = { { "Nee", "No" } } },
};
static struct def_option opts_abc[] = {
	{ .id = "a", .label = { { "Pesten", "Bullying" } } },
	{ .id = "b", .label = { { "Uitsluiting", "Exclusion" } } },
	{ .id = "c", .label = { { "Anders", "Other" } } },
};
static struct def_option opts_scale[] = {
	{ .id = "1", .label = { { "Oneens", "Disagree" } } },
	{ .id = "2", .label = { { "Neutraal", "Neutral" } } },
	{ .id = "3", .label = { { "Eens", "Agree" } } },
};
static struct def_question questions[] = {
	{ .id = "seen", .type = DEF_SINGLE, .is_required = 1,
	  .label = { { "Voel je je gezien?", "Do you feel seen?" } },
	  .help = { { "Denk aan je team.", "Think of your team." } },
	  .options = opts_ab, .n_options = 2 },
	{ .id = "forms", .type = DEF_MULTI,
	  .label = { { "Welke vormen?", "Which forms?" } },
	  .help = { { "", "" } }, .options = opts_abc, .n_options = 3 },
	{ .id = "safe", .type = DEF_LIKERT, .is_required = 1,
	  .label = { { "Ik voel me veilig", "I feel safe" } },
	  .help = { { "", "" } }, .options = opts_scale, .n_options = 3 },
	{ .id = "story", .type = DEF_TEXT,
	  .label = { { "Wil je iets toelichten?", "Anything to add?" } },
	  .help = { { "", "" } }, .max_length = 500 },
};
static struct def test_def = {
	.id = "demo",
	.title = { { "Vragen <b>vet</b>", "Questions <b>bold</b>" } },
	.intro = { { "Welkom.", "Welcome." } },
	.questions = questions,
	.n_questions = 4,
	.bucket = 4096,
};

static void
test_pages_init_is_repeatable(void **state)
{
	(void)state;
	assert_int_equal(page_init(), GH_OK);
	assert_string_equal(page_msg(DEF_NL, "form.submit"),
	    "Antwoorden versturen");
	assert_string_equal(page_msg(DEF_EN, "form.submit"), "Send answers");
	assert_string_equal(page_msg(DEF_EN, "no.such.key"), "no.such.key");
}

static void
test_pages_status_per_kind(void **state)
{
	(void)state;
	assert_int_equal(page_status(PAGE_THANKS), 200);
	assert_int_equal(page_status(PAGE_SPENT), 410);
	assert_int_equal(page_status(PAGE_UNKNOWN_TOKEN), 404);
	assert_int_equal(page_status(PAGE_CLOSED), 410);
	assert_int_equal(page_status(PAGE_NOT_FOUND), 404);
	assert_int_equal(page_status(PAGE_TOO_LARGE), 413);
	assert_int_equal(page_status(PAGE_BAD_REQUEST), 400);
	assert_int_equal(page_status(PAGE_BUSY), 503);
	assert_int_equal(page_status(PAGE_ERROR), 500);
	assert_int_equal(page_status(PAGE_HOME), 200);
}

static void
test_pages_message_every_kind_both_langs(void **state)
{
	static const char *const want[] = { "<html lang=\"nl\">",
	    "<html lang=\"en\">" };
	struct buf b = { 0 };
	int k, l;

	(void)state;
	for (k = PAGE_THANKS; k <= PAGE_STATE_EXPIRED; k++) {
		for (l = DEF_NL; l <= DEF_EN; l++) {
			assert_int_equal(page_message(&b, (enum page_kind)k,
			    (enum def_lang)l), GH_OK);
			assert_non_null(strstr(b.data, "<!DOCTYPE html>"));
			assert_non_null(strstr(b.data, want[l]));
			assert_non_null(strstr(b.data, "<main id=\"main\""));
			assert_non_null(strstr(b.data, "href=\"#main\""));
			assert_non_null(strstr(b.data, "/static/style.css"));
			assert_int_equal(count(b.data, "<h1"), 1);
			assert_null(strstr(b.data, "{{"));
			assert_null(strstr(b.data, "<script"));
			buf_free(&b);
		}
	}
}

static void
test_pages_thanks_says_stored(void **state)
{
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_message(&b, PAGE_THANKS, DEF_EN), GH_OK);
	assert_non_null(strstr(b.data, "Thank you, your answers are stored"));
	assert_non_null(strstr(b.data, "no longer works"));
	assert_non_null(strstr(b.data, "Nothing links your answers to you"));
	buf_free(&b);
	assert_int_equal(page_message(&b, PAGE_ERROR, DEF_EN), GH_OK);
	assert_non_null(strstr(b.data, "Nothing was stored, please try again"));
	buf_free(&b);
}

static void
test_tpl_escapes_values(void **state)
{
	struct tpl_var v[] = {
		{ "heading", "<script>alert(1)</script>", 0 },
		{ "text", "a & \"b\" 'c'", 0 },
		{ "hint", NULL, 0 },
		{ NULL, NULL, 0 },
	};
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(tpl_render(&b, "message.html", v), GH_OK);
	assert_null(strstr(b.data, "<script>"));
	assert_non_null(strstr(b.data,
	    "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
	assert_non_null(strstr(b.data, "a &amp; &quot;b&quot; &#39;c&#39;"));
	assert_non_null(strstr(b.data, "<p></p>"));
	buf_free(&b);
}

static void
test_tpl_raw_passes_fragment(void **state)
{
	struct tpl_var v[] = {
		{ "lang", "nl", 0 },
		{ "title", "<i>t</i>", 0 },
		{ "skip", "skip", 0 },
		{ "brand", "<p class=\"brand\">gehoord</p>", 1 },
		{ "content", "<p class=\"x\">raw</p>", 1 },
		{ "footer", "", 1 },
		{ NULL, NULL, 0 },
	};
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(tpl_render(&b, "layout.html", v), GH_OK);
	assert_non_null(strstr(b.data, "<p class=\"x\">raw</p>"));
	assert_non_null(strstr(b.data, "<title>&lt;i&gt;t&lt;/i&gt;</title>"));
	buf_free(&b);
}

/* Who runs it: in the header and footer of every page, escaped; none:
 * the page as it always was; bad values refused. */
static void
test_pages_org_in_header_and_footer(void **state)
{
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_message(&b, PAGE_THANKS, DEF_NL), GH_OK);
	assert_non_null(strstr(b.data, "<p class=\"brand\">gehoord</p>"));
	assert_null(strstr(b.data, "<footer"));
	buf_free(&b);
	assert_int_equal(page_org_set("Gemeente <A&B>", "https://a.example/"
	    "vragen", "https://a.example/privacy"), GH_OK);
	assert_int_equal(page_message(&b, PAGE_THANKS, DEF_EN), GH_OK);
	assert_non_null(strstr(b.data, "<p class=\"brand\">Gemeente "
	    "&lt;A&amp;B&gt; <span class=\"brand-by\">gehoord</span></p>"));
	assert_non_null(strstr(b.data, "<a href=\"https://a.example/vragen\">"
	    "https://a.example/vragen</a>"));
	assert_non_null(strstr(b.data, "<a href=\"https://a.example/privacy\">"
	    "Privacy statement</a>"));
	buf_free(&b);
	assert_int_equal(page_org_set(NULL, "Anna, 020 123", NULL), GH_OK);
	assert_int_equal(page_message(&b, PAGE_THANKS, DEF_NL), GH_OK);
	assert_non_null(strstr(b.data, "<p>Vragen over dit onderzoek? Anna, "
	    "020 123</p>"));
	assert_null(strstr(b.data, "Privacyverklaring"));
	buf_free(&b);
	/* a privacy statement that is not a web address, a control
	 * character, an empty name: refused */
	assert_int_equal(page_org_set(NULL, NULL, "javascript:alert(1)"),
	    GH_ERR_INVALID);
	assert_int_equal(page_org_set("A\nB", NULL, NULL), GH_ERR_INVALID);
	assert_int_equal(page_org_set("", NULL, NULL), GH_ERR_INVALID);
	assert_int_equal(page_org_set(NULL, NULL, NULL), GH_OK);
	assert_int_equal(page_message(&b, PAGE_THANKS, DEF_NL), GH_OK);
	assert_null(strstr(b.data, "<footer"));
	buf_free(&b);
}

static void
test_tpl_unknown_placeholder_fails(void **state)
{
	struct tpl_var missing[] = {
		{ "heading", "h", 0 },
		{ "text", "t", 0 },
		{ NULL, NULL, 0 },
	};
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(tpl_render(&b, "message.html", missing),
	    GH_ERR_INVALID);
	buf_free(&b);
	assert_int_equal(tpl_render(&b, "message.html", NULL), GH_ERR_INVALID);
	buf_free(&b);
	assert_int_equal(tpl_render(&b, "no-such.html", missing),
	    GH_ERR_INVALID);
	buf_free(&b);
}

static void
test_tpl_raw_escaped_mismatch_fails(void **state)
{
	/* content is {{{content}}} in layout.html: an escaped var is refused,
	 * and an is_raw var for {{title}} is refused too. */
	struct tpl_var not_raw[] = {
		{ "lang", "nl", 0 }, { "title", "t", 0 }, { "skip", "s", 0 },
		{ "content", "<p>x</p>", 0 }, { NULL, NULL, 0 },
	};
	struct tpl_var raw_title[] = {
		{ "lang", "nl", 0 }, { "title", "<b>t</b>", 1 },
		{ "skip", "s", 0 }, { "content", "<p>x</p>", 1 },
		{ NULL, NULL, 0 },
	};
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(tpl_render(&b, "layout.html", not_raw),
	    GH_ERR_INVALID);
	buf_free(&b);
	assert_int_equal(tpl_render(&b, "layout.html", raw_title),
	    GH_ERR_INVALID);
	buf_free(&b);
}

static void
test_pages_survey_has_label_per_question(void **state)
{
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_survey(&b, &test_def, DEF_NL,
	    "ABCDEFGHJKMNPQRSTVWXYZ0123", NULL, NULL), GH_OK);
	assert_non_null(strstr(b.data, "<html lang=\"nl\">"));
	assert_non_null(strstr(b.data,
	    "<form method=\"post\" action=\"/s/ABCDEFGHJKMNPQRSTVWXYZ0123\""));
	assert_non_null(strstr(b.data,
	    "<input type=\"hidden\" name=\"lang\" value=\"nl\">"));
	assert_non_null(strstr(b.data, "name=\"switch_lang\" value=\"en\""));
	assert_non_null(strstr(b.data, "formnovalidate"));
	assert_non_null(strstr(b.data, ">English</button>"));
	assert_non_null(strstr(b.data, "Antwoorden versturen"));
	/* three choice questions as fieldsets, the text one as a label */
	assert_int_equal(count(b.data, "<fieldset"), 3);
	assert_int_equal(count(b.data, "<legend>"), 3);
	assert_int_equal(count(b.data, "<label for=\"q-"), 2 + 3 + 3);
	assert_int_equal(count(b.data,
	    "<label class=\"q-label\" for=\"q-story\""), 1);
	assert_non_null(strstr(b.data, "type=\"radio\" id=\"q-seen.a\" "
	    "name=\"q_seen\" value=\"a\""));
	assert_non_null(strstr(b.data, "type=\"checkbox\" id=\"q-forms.c\" "
	    "name=\"q_forms\" value=\"c\""));
	assert_non_null(strstr(b.data, "<textarea id=\"q-story\" "
	    "name=\"q_story\" rows=\"6\" maxlength=\"500\""));
	assert_non_null(strstr(b.data, "hoogstens 500 tekens"));
	/* required in words; optional said once, not at each question */
	assert_int_equal(count(b.data, "(verplicht)"), 2);
	assert_int_equal(count(b.data, "(niet verplicht)"), 0);
	assert_int_equal(count(b.data, "<p class=\"optional-note\">Alleen "
	    "vragen met"), 1);
	assert_non_null(strstr(b.data, "<fieldset id=\"q-seen\" "
	    "aria-describedby=\"q-seen:help\">"));
	assert_non_null(strstr(b.data, "id=\"q-seen:help\""));
	/* no HTML required attribute, no summary, no JavaScript */
	assert_null(strstr(b.data, " required"));
	assert_null(strstr(b.data, "role=\"alert\""));
	assert_null(strstr(b.data, "<script"));
	assert_int_equal(count(b.data, "<h1"), 1);
	assert_null(strstr(b.data, "{{"));
	buf_free(&b);
}

static void
test_pages_survey_english(void **state)
{
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_survey(&b, &test_def, DEF_EN, "TOKEN", NULL,
	    NULL), GH_OK);
	assert_non_null(strstr(b.data, "<html lang=\"en\">"));
	assert_non_null(strstr(b.data, "name=\"lang\" value=\"en\""));
	assert_non_null(strstr(b.data, "name=\"switch_lang\" value=\"nl\" "
	    "lang=\"nl\""));
	assert_non_null(strstr(b.data, ">Nederlands</button>"));
	assert_non_null(strstr(b.data, "Send answers"));
	assert_non_null(strstr(b.data, "Do you feel seen?"));
	assert_int_equal(count(b.data, "(required)"), 2);
	assert_int_equal(count(b.data, "(optional)"), 0);
	assert_int_equal(count(b.data, "<p class=\"optional-note\">Only "
	    "questions marked"), 1);
	buf_free(&b);
}

static void
test_pages_survey_escapes_title(void **state)
{
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_survey(&b, &test_def, DEF_NL, "T", NULL, NULL),
	    GH_OK);
	assert_null(strstr(b.data, "<b>"));
	assert_non_null(strstr(b.data,
	    "<h1>Vragen &lt;b&gt;vet&lt;/b&gt;</h1>"));
	assert_non_null(strstr(b.data,
	    "<title>Vragen &lt;b&gt;vet&lt;/b&gt; \xe2\x80\x93 "
	    "gehoord</title>"));
	buf_free(&b);
}

static void
test_pages_survey_keeps_answers(void **state)
{
	struct form_field fields[] = {
		{ "lang", "nl", 2 },
		{ "q_seen", "b", 1 },
		{ "q_forms", "a", 1 },
		{ "q_forms", "c", 1 },
		{ "q_story", "\nhallo <x> & \"y\"", 16 },
		{ "q_safe_other", "1", 1 },
	};
	struct form kept = { fields, 6 };
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_survey(&b, &test_def, DEF_NL, "T", &kept, NULL),
	    GH_OK);
	assert_non_null(strstr(b.data, "id=\"q-seen.b\" name=\"q_seen\" "
	    "value=\"b\" checked>"));
	assert_non_null(strstr(b.data, "id=\"q-seen.a\" name=\"q_seen\" "
	    "value=\"a\">"));
	assert_non_null(strstr(b.data, "value=\"a\" checked>"));
	assert_non_null(strstr(b.data, "id=\"q-forms.c\" name=\"q_forms\" "
	    "value=\"c\" checked>"));
	assert_non_null(strstr(b.data, "id=\"q-forms.b\" name=\"q_forms\" "
	    "value=\"b\">"));
	/* q_safe_other is not q_safe: nothing on the scale is checked */
	assert_int_equal(count(b.data, " checked"), 3);
	/* the leading newline survives the parser's textarea rule */
	assert_non_null(strstr(b.data, ">\n\nhallo &lt;x&gt; &amp; "
	    "&quot;y&quot;</textarea>"));
	buf_free(&b);
}

/* A refused text that is not UTF-8 is not echoed into the page. */
static void
test_pages_survey_drops_non_utf8_text(void **state)
{
	struct form_field fields[] = {
		{ "q_story", "ok \xff\xfe \xc0\x80 \xed\xa0\x80", 12 },
	};
	struct form kept = { fields, 1 };
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_survey(&b, &test_def, DEF_NL, "T", &kept, NULL),
	    GH_OK);
	assert_null(strchr(b.data, 0xff));
	assert_null(strchr(b.data, 0xc0));
	assert_null(strchr(b.data, 0xed));
	assert_non_null(strstr(b.data, ">\n</textarea>"));
	buf_free(&b);
}

static void
test_pages_survey_error_summary_links_fields(void **state)
{
	enum answer_problem probs[] = { ANSWER_MISSING, ANSWER_OK, ANSWER_OK,
	    ANSWER_TOO_LONG };
	struct answer_check chk = { probs, 4, 2, 0 };
	struct buf b = { 0 };
	const char *summary, *h1;

	(void)state;
	assert_int_equal(page_survey(&b, &test_def, DEF_EN, "T", NULL, &chk),
	    GH_OK);
	summary = strstr(b.data, "<div class=\"error-summary\" role=\"alert\" "
	    "aria-labelledby=\"error-summary-title\"");
	h1 = strstr(b.data, "<h1");
	assert_non_null(summary);
	assert_true(summary < h1);
	assert_non_null(strstr(b.data,
	    "<h2 id=\"error-summary-title\">There is a problem</h2>"));
	assert_non_null(strstr(b.data,
	    "<a href=\"#q-seen\">Do you feel seen? \xe2\x80\x93 "
	    "This question is required."));
	assert_non_null(strstr(b.data, "<a href=\"#q-story\">"));
	assert_int_equal(count(b.data, "<a href=\"#q-"), 2);
	/* the targets exist, the fieldset can take focus */
	assert_non_null(strstr(b.data, "<fieldset id=\"q-seen\" "
	    "aria-describedby=\"q-seen:help q-seen:error\" tabindex=\"-1\">"));
	assert_non_null(strstr(b.data, "<textarea id=\"q-story\""));
	/* each wrong field carries its message, prefixed in words */
	assert_non_null(strstr(b.data, "<p class=\"error-message\" "
	    "id=\"q-seen:error\"><span class=\"error-prefix\">Error:</span> "
	    "This question is required. Choose or type an answer.</p>"));
	assert_non_null(strstr(b.data, "Use at most 500 characters."));
	assert_non_null(strstr(b.data, "aria-describedby=\"q-story:cap "
	    "q-story:error\" aria-invalid=\"true\""));
	assert_int_equal(count(b.data, "aria-invalid=\"true\""), 2 + 1);
	assert_non_null(strstr(b.data, "<title>Error: Questions"));
	assert_int_equal(count(b.data, "<h1"), 1);
	buf_free(&b);
}

static void
test_pages_survey_unknown_field_message(void **state)
{
	enum answer_problem probs[] = { ANSWER_OK, ANSWER_OK, ANSWER_OK,
	    ANSWER_OK };
	struct answer_check chk = { probs, 4, 0, 1 };
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_survey(&b, &test_def, DEF_NL, "T", NULL, &chk),
	    GH_OK);
	assert_non_null(strstr(b.data, "role=\"alert\""));
	assert_non_null(strstr(b.data, "<li>Het formulier bevatte een vraag "
	    "die niet in deze vragenlijst staat. Er is niets opgeslagen."));
	assert_null(strstr(b.data, "<a href=\"#q-"));
	assert_null(strstr(b.data, "aria-invalid"));
	buf_free(&b);
}

static void
test_pages_survey_rejects_overlong_id(void **state)
{
	char id[200];
	struct def_question q = questions[0];
	struct def d = test_def;
	struct buf b = { 0 };

	(void)state;
	memset(id, 'x', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	q.id = id;
	d.questions = &q;
	d.n_questions = 1;
	assert_int_equal(page_survey(&b, &d, DEF_NL, "T", NULL, NULL),
	    GH_ERR_INVALID);
	buf_free(&b);
}

static void
test_pages_ids_of_questions_do_not_collide(void **state)
{
	/* "a" with option "b-c" and "a-b" with option "c" would both give
	 * q-a-b-c if "-" joined them; "." keeps them apart. */
	struct def_option o1[] = { { .id = "b-c", .label = { { "x", "x" } } } };
	struct def_option o2[] = { { .id = "c", .label = { { "y", "y" } } } };
	struct def_question qs[] = {
		{ .id = "a", .type = DEF_SINGLE, .label = { { "A", "A" } },
		  .help = { { "", "" } }, .options = o1, .n_options = 1 },
		{ .id = "a-b", .type = DEF_SINGLE, .label = { { "B", "B" } },
		  .help = { { "", "" } }, .options = o2, .n_options = 1 },
	};
	struct def d = test_def;
	struct buf b = { 0 };

	(void)state;
	d.questions = qs;
	d.n_questions = 2;
	assert_int_equal(page_survey(&b, &d, DEF_NL, "T", NULL, NULL), GH_OK);
	assert_int_equal(count(b.data, "id=\"q-a.b-c\""), 1);
	assert_int_equal(count(b.data, "id=\"q-a-b.c\""), 1);
	buf_free(&b);
}

static void
test_pages_short_check_is_not_overread(void **state)
{
	/* a check for fewer questions than the definition has */
	enum answer_problem probs[] = { ANSWER_MISSING };
	struct answer_check chk = { probs, 1, 1, 0 };
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_survey(&b, &test_def, DEF_NL, "T", NULL, &chk),
	    GH_OK);
	assert_int_equal(count(b.data, "<a href=\"#q-"), 1);
	buf_free(&b);
}

static void
test_pages_failed_buffer_is_nomem(void **state)
{
	struct buf b = { 0 };

	(void)state;
	b.failed = 1;
	assert_int_equal(page_message(&b, PAGE_HOME, DEF_NL), GH_ERR_NOMEM);
	assert_int_equal(page_survey(&b, &test_def, DEF_EN, "T", NULL, NULL),
	    GH_ERR_NOMEM);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_init_is_repeatable),
		cmocka_unit_test(test_pages_status_per_kind),
		cmocka_unit_test(test_pages_message_every_kind_both_langs),
		cmocka_unit_test(test_pages_thanks_says_stored),
		cmocka_unit_test(test_tpl_escapes_values),
		cmocka_unit_test(test_tpl_raw_passes_fragment),
		cmocka_unit_test(test_pages_org_in_header_and_footer),
		cmocka_unit_test(test_tpl_unknown_placeholder_fails),
		cmocka_unit_test(test_tpl_raw_escaped_mismatch_fails),
		cmocka_unit_test(test_pages_survey_has_label_per_question),
		cmocka_unit_test(test_pages_survey_english),
		cmocka_unit_test(test_pages_survey_escapes_title),
		cmocka_unit_test(test_pages_survey_keeps_answers),
		cmocka_unit_test(test_pages_survey_drops_non_utf8_text),
		cmocka_unit_test(test_pages_survey_error_summary_links_fields),
		cmocka_unit_test(test_pages_survey_unknown_field_message),
		cmocka_unit_test(test_pages_survey_rejects_overlong_id),
		cmocka_unit_test(test_pages_ids_of_questions_do_not_collide),
		cmocka_unit_test(test_pages_short_check_is_not_overread),
		cmocka_unit_test(test_pages_failed_buffer_is_nomem),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
