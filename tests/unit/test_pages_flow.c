/*
 * test_pages_flow.c: the pages of a multi-page survey (server/pages): the
 * welcome page with the privacy text, progress, the hidden state, Back
 * and Next, a matrix as a table with a radio group per item, a number, prefer-not and
 * exclusive options, questions hidden by a condition, the error summary
 * of one page, and the page for an expired state. The definition goes
 * through the real loader, as its conditions are opaque.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pages/page.h"

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

/*
 * A format 2 definition on three pages, parsed by the real loader, with
 * ' for " (replaced before parsing) to keep it readable: a condition on
 * a question and on a page, a matrix with prefer-not, an exclusive
 * option and a number.
 */
static const char paged_src[] =
    "{'format': 2, 'id': 'toets',"
    " 'title': {'nl': 'Toets', 'en': 'Test'},"
    " 'welcome': {'nl': 'Welkom bij de toets.',"
    "   'en': 'Welcome to the test.'},"
    " 'response_scales': {'eens3': ["
    "   {'id': '1', 'label': {'nl': 'Oneens', 'en': 'Disagree'}},"
    "   {'id': '2', 'label': {'nl': 'Neutraal', 'en': 'Neutral'}},"
    "   {'id': '3', 'label': {'nl': 'Eens', 'en': 'Agree'}}]},"
    " 'pages': ["
    "  {'id': 'p1', 'title': {'nl': 'Eerste', 'en': 'First'},"
    "   'questions': ["
    "    {'id': 'werk', 'type': 'single', 'required': true,"
    "     'label': {'nl': 'Werk je hier?', 'en': 'Do you work here?'},"
    "     'options': ["
    "      {'id': 'ja', 'label': {'nl': 'Ja', 'en': 'Yes'}},"
    "      {'id': 'nee', 'label': {'nl': 'Nee', 'en': 'No'}}]},"
    "    {'id': 'waar', 'type': 'multi', 'prefer_not': true,"
    "     'show_if': {'question': 'werk', 'any_of': ['ja']},"
    "     'label': {'nl': 'Waar?', 'en': 'Where?'},"
    "     'options': ["
    "      {'id': 'a', 'label': {'nl': 'Hier', 'en': 'Here'}},"
    "      {'id': 'geen', 'label': {'nl': 'Nergens', 'en': 'Nowhere'},"
    "       'exclusive': true}]}]},"
    "  {'id': 'p2', 'title': {'nl': 'Tweede', 'en': 'Second'},"
    "   'intro': {'nl': 'Over je team.', 'en': 'About your team.'},"
    "   'questions': ["
    "    {'id': 'm', 'type': 'matrix', 'scale': 'eens3',"
    "     'prefer_not': true,"
    "     'label': {'nl': 'Hoe eens ben je?',"
    "       'en': 'How much do you agree?'},"
    "     'items': ["
    "      {'id': 'i1', 'label': {'nl': 'Ik voel me thuis.',"
    "        'en': 'I feel at home.'}},"
    "      {'id': 'i2', 'label': {'nl': 'Ik word gehoord.',"
    "        'en': 'I am heard.'}},"
    "      {'id': 'i3', 'label': {'nl': 'Ik ben veilig.',"
    "        'en': 'I am safe.'}}]},"
    "    {'id': 'jaren', 'type': 'number', 'min': 0, 'max': 60,"
    "     'prefer_not': true,"
    "     'label': {'nl': 'Hoeveel jaar werk je hier?',"
    "       'en': 'How many years have you worked here?'}}]},"
    "  {'id': 'p3', 'show_if': {'question': 'werk', 'any_of': ['nee']},"
    "   'questions': ["
    "    {'id': 'uitleg', 'type': 'text', 'max_length': 100,"
    "     'label': {'nl': 'Waarom niet?', 'en': 'Why not?'}}]}]}";

static struct def *
paged_def(void)
{
	char json[sizeof(paged_src)], err[512];
	struct def *d = NULL;
	size_t i;

	for (i = 0; i < sizeof(paged_src); i++)
		json[i] = paged_src[i] == '\'' ? '"' : paged_src[i];
	if (def_parse(json, strlen(json), "paged", &d, err, sizeof(err)) !=
	    GH_OK)
		fail_msg("%s", err);
	return d;
}

/* Renders page pi of paged_def with the answers of fields. */
static void
render_page(struct buf *b, const struct def *d, enum def_lang lang,
    size_t pi, struct form *kept, const struct answer_check *chk)
{
	struct form none = { NULL, 0 };
	struct def_answer *view = NULL;
	struct page_view v = { .d = d, .lang = lang, .token_text = "TOKEN",
	    .state = "c3RhdGU", .page = pi, .number = 2, .total = 5,
	    .kept = kept, .chk = chk, .has_back = pi > 0, .is_last = pi == 2 };

	assert_int_equal(answer_view(d, kept != NULL ? kept : &none, &view),
	    GH_OK);
	v.answers = view;
	assert_int_equal(page_survey_page(b, &v), GH_OK);
	answer_view_free(view, d->n_questions);
	assert_null(strstr(b->data, "{{"));
	/* No inline script: at most the follow-ups' own, from /static/. */
	assert_int_equal(count(b->data, "<script"), count(b->data,
	    "<script src=\"/static/followup.js\" defer></script>"));
	assert_true(count(b->data, "<script") <= 1);
	assert_int_equal(count(b->data, "<h1"), 1);
}

static void
test_pages_welcome_states_privacy_both_langs(void **state)
{
	static const char *const html_lang[] = { "<html lang=\"nl\">",
	    "<html lang=\"en\">" };
	static const char *const k_text[] = { "groepen van minstens 12 "
	    "mensen", "groups of at least 12 people" };
	static const char *const same[] = { "privacy.stored", "privacy.once",
	    "privacy.until_send", "privacy.heading" };
	struct def *d = paged_def();
	struct buf b = { 0 };
	size_t i;
	int l;

	(void)state;
	for (l = DEF_NL; l <= DEF_EN; l++) {
		assert_int_equal(page_welcome(&b, d, (enum def_lang)l,
		    "ABCDEFGHJKMNPQRSTVWXYZ0123", 12, NULL, 0, "W-xyz"),
		    GH_OK);
		assert_non_null(strstr(b.data, html_lang[l]));
		assert_non_null(strstr(b.data, d->welcome.s[l]));
		for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
			assert_non_null(strstr(b.data,
			    page_msg((enum def_lang)l, same[i])));
		assert_non_null(strstr(b.data, k_text[l]));
		assert_non_null(strstr(b.data, "<form method=\"post\" "
		    "action=\"/s/ABCDEFGHJKMNPQRSTVWXYZ0123\""));
		assert_non_null(strstr(b.data, "name=\"nav\" value=\"start\""));
		assert_non_null(strstr(b.data, "name=\"switch_lang\""));
		/* nothing to carry yet, and nothing to answer */
		assert_null(strstr(b.data, "name=\"state\""));
		/* the welcome state, for Start */
		assert_non_null(strstr(b.data, "<input type=\"hidden\" "
		    "name=\"welcome\" value=\"W-xyz\">"));
		assert_null(strstr(b.data, "name=\"q_"));
		assert_int_equal(count(b.data, "<h1"), 1);
		assert_null(strstr(b.data, "{{"));
		buf_free(&b);
	}
	def_free(d);
}

/* The link's unit and how small units are protected, when it has one. */
static void
test_pages_welcome_says_the_unit(void **state)
{
	struct def *d = paged_def();
	struct buf b = { 0 };

	(void)state;
	d->unit_source = DEF_UNIT_BATCH;
	assert_int_equal(page_welcome(&b, d, DEF_NL, "T", 12, "Ruimte & Co", 0, NULL),
	    GH_OK);
	assert_non_null(strstr(b.data, "<li>Je link hoort bij <strong>Ruimte "
	    "&amp; Co</strong>. Dat bewaren we bij je antwoorden. Cijfers per "
	    "afdeling laten we alleen zien als daar minstens 12 mensen "
	    "antwoordden;"));
	buf_free(&b);
	/* no unit, or a definition that does not keep it: not a word */
	assert_int_equal(page_welcome(&b, d, DEF_NL, "T", 12, "", 0, NULL),
	    GH_OK);
	assert_null(strstr(b.data, "Je link hoort bij"));
	buf_free(&b);
	d->unit_source = DEF_UNIT_NONE;
	assert_int_equal(page_welcome(&b, d, DEF_EN, "T", 12, "Ruimte", 0, NULL),
	    GH_OK);
	assert_null(strstr(b.data, "Your link belongs to"));
	buf_free(&b);
	def_free(d);
}

static void
test_pages_progress_in_text_and_title(void **state)
{
	struct def *d = paged_def();
	struct buf b = { 0 };

	(void)state;
	render_page(&b, d, DEF_NL, 1, NULL, NULL);
	assert_non_null(strstr(b.data, "<p class=\"progress\">Pagina 2 van 5"
	    "</p>"));
	assert_non_null(strstr(b.data, "<title>Pagina 2 van 5: Tweede "
	    "\xe2\x80\x93 Toets \xe2\x80\x93 gehoord</title>"));
	/* the bar draws the same fraction, hidden from screen readers */
	assert_non_null(strstr(b.data, "<progress class=\"progress-bar\" "
	    "max=\"5\" value=\"2\" aria-hidden=\"true\">"));
	assert_non_null(strstr(b.data, "<h2>Tweede</h2>"));
	assert_non_null(strstr(b.data, "Over je team."));
	/* The welcome page says once that questions may be skipped: no
	 * "(niet verplicht)" after every item. */
	assert_null(strstr(b.data, "(niet verplicht)"));
	/* the state and page travel in hidden fields */
	assert_non_null(strstr(b.data, "<input type=\"hidden\" name=\"state\" "
	    "value=\"c3RhdGU\">"));
	assert_non_null(strstr(b.data, "<input type=\"hidden\" name=\"page\" "
	    "value=\"1\">"));
	/* Next, then Back that does not validate */
	assert_non_null(strstr(b.data, "name=\"nav\" value=\"next\">Volgende"
	    "</button>"));
	assert_non_null(strstr(b.data, "name=\"nav\" value=\"back\" "
	    "formnovalidate>Vorige</button>"));
	assert_true(strstr(b.data, "value=\"next\"") <
	    strstr(b.data, "value=\"back\""));
	buf_free(&b);
	render_page(&b, d, DEF_EN, 2, NULL, NULL);
	assert_non_null(strstr(b.data, "Page 2 of 5"));
	assert_non_null(strstr(b.data, "<title>Page 2 of 5 \xe2\x80\x93 "
	    "Test \xe2\x80\x93 gehoord</title>"));
	assert_non_null(strstr(b.data, "name=\"nav\" value=\"submit\">Send "
	    "answers</button>"));
	assert_null(strstr(b.data, "value=\"next\""));
	buf_free(&b);
	def_free(d);
}

static void
test_pages_matrix_is_a_table_of_radio_groups(void **state)
{
	static const char *const items[] = { "i1", "i2", "i3" };
	struct def *d = paged_def();
	struct buf b = { 0 };
	char want[256];
	size_t i;

	(void)state;
	render_page(&b, d, DEF_NL, 1, NULL, NULL);
	/* the statement as a heading that names a table */
	assert_non_null(strstr(b.data, "<h3 class=\"matrix-label\" "
	    "id=\"q-m:label\">Hoe eens ben je?</h3>"));
	assert_non_null(strstr(b.data, "<table class=\"matrix-table cols-4\" "
	    "aria-labelledby=\"q-m:label\">"));
	/* the scale's options as column headers, prefer-not included */
	assert_int_equal(count(b.data, "<th scope=\"col\">"), 4);
	/* each item a row: its text the row header, its radios one group
	 * named by it, no fieldset */
	assert_int_equal(count(b.data, "<th scope=\"row\">"), 3);
	assert_int_equal(count(b.data, "role=\"radiogroup\""), 3);
	for (i = 0; i < 3; i++) {
		snprintf(want, sizeof(want), "<th scope=\"row\"><span "
		    "id=\"q-%s:label\">", items[i]);
		assert_non_null(strstr(b.data, want));
		snprintf(want, sizeof(want), "<td colspan=\"4\"><div "
		    "class=\"matrix-options\" role=\"radiogroup\" "
		    "id=\"q-%s\" aria-labelledby=\"q-%s:label\">", items[i],
		    items[i]);
		assert_non_null(strstr(b.data, want));
		snprintf(want, sizeof(want), "name=\"q_%s\"", items[i]);
		assert_int_equal(count(b.data, want), 3 + 1);
	}
	assert_null(strstr(b.data, "<fieldset id=\"q-i1\""));
	assert_non_null(strstr(b.data, "<span id=\"q-i2:label\">Ik word "
	    "gehoord.</span>"));
	/* prefer-not last, set apart, in words */
	assert_non_null(strstr(b.data, "<div class=\"option prefer-not\">\n"
	    "<input type=\"radio\" id=\"q-i1._prefer_not\" name=\"q_i1\" "
	    "value=\"_prefer_not\">\n<label for=\"q-i1._prefer_not\">Zeg ik "
	    "liever niet</label>"));
	/* the number: a labelled box with its range, and its own
	 * prefer-not check box */
	assert_non_null(strstr(b.data, "<input class=\"number\" "
	    "type=\"number\" inputmode=\"numeric\" id=\"q-jaren\" "
	    "name=\"q_jaren\" min=\"0\" max=\"60\""));
	assert_non_null(strstr(b.data, "<label class=\"q-label\" "
	    "id=\"q-jaren:label\" for=\"q-jaren\">"));
	assert_non_null(strstr(b.data, "Vul een heel getal in van 0 tot en "
	    "met 60."));
	assert_non_null(strstr(b.data, "type=\"checkbox\" "
	    "id=\"q-jaren._prefer_not\" name=\"q_jaren\" "
	    "value=\"_prefer_not\""));
	buf_free(&b);
	def_free(d);
}

static void
test_pages_hidden_question_not_rendered(void **state)
{
	struct form_field nee[] = { { "q_werk", "nee", 3 } };
	struct form_field ja[] = { { "q_werk", "ja", 2 },
	    { "q_waar", "geen", 4 } };
	struct form kept_nee = { nee, 1 }, kept_ja = { ja, 2 };
	struct def *d = paged_def();
	struct buf b = { 0 };

	(void)state;
	/* not answered yet: the follow-up (on the same page as its
	 * trigger) is there for the script, hidden, with its condition */
	render_page(&b, d, DEF_NL, 0, NULL, NULL);
	assert_non_null(strstr(b.data, "id=\"q-werk\""));
	assert_non_null(strstr(b.data, "<div class=\"followup\" data-show-if="
	    "\"[&quot;any_of&quot;,&quot;q_werk&quot;,[&quot;ja&quot;]]\" "
	    "hidden>\n<div class=\"question"));
	assert_int_equal(count(b.data, "<script src=\"/static/followup.js\" "
	    "defer></script>"), 1);
	assert_int_equal(count(b.data, "aria-live=\"polite\""), 1);
	buf_free(&b);
	/* answered so that it stays hidden: still hidden, nothing checked
	 * in it, so without the script it posts nothing */
	render_page(&b, d, DEF_NL, 0, &kept_nee, NULL);
	assert_non_null(strstr(b.data, " hidden>"));
	assert_null(strstr(b.data, "name=\"q_waar\" value=\"geen\" checked"));
	assert_null(strstr(b.data, "name=\"q_waar\" value=\"a\" checked"));
	assert_non_null(strstr(b.data, "value=\"nee\" checked>"));
	buf_free(&b);
	/* answered so that it is shown: there, with its answer kept, and
	 * the exclusive option set apart and said in words */
	render_page(&b, d, DEF_EN, 0, &kept_ja, NULL);
	assert_null(strstr(b.data, " hidden>"));
	assert_non_null(strstr(b.data, "<fieldset id=\"q-waar\""));
	assert_non_null(strstr(b.data, "<div class=\"option exclusive\">\n"
	    "<input type=\"checkbox\" id=\"q-waar.geen\" name=\"q_waar\" "
	    "value=\"geen\" checked>\n<label for=\"q-waar.geen\">Nowhere "
	    "<span class=\"option-note\">(only this answer)</span>"));
	buf_free(&b);
	def_free(d);
}

static void
test_pages_page_summary_links_this_page_only(void **state)
{
	struct def *d = paged_def();
	struct answer_check *chk;
	struct buf b = { 0 };
	int i1, jaren, werk;

	(void)state;
	werk = def_question_index(d, "werk");
	i1 = def_question_index(d, "i1");
	jaren = def_question_index(d, "jaren");
	assert_true(werk >= 0 && i1 >= 0 && jaren >= 0);
	chk = calloc(1, sizeof(*chk));
	assert_non_null(chk);
	chk->n_questions = d->n_questions;
	chk->problem = calloc(d->n_questions, sizeof(*chk->problem));
	assert_non_null(chk->problem);
	chk->problem[werk] = ANSWER_MISSING;		/* on page 1 */
	chk->problem[i1] = ANSWER_BAD_OPTION;
	chk->problem[jaren] = ANSWER_OUT_OF_RANGE;
	chk->n_wrong = 3;
	render_page(&b, d, DEF_EN, 1, NULL, chk);
	assert_non_null(strstr(b.data, "role=\"alert\""));
	assert_non_null(strstr(b.data, "<a href=\"#q-i1\">I feel at home."));
	assert_non_null(strstr(b.data, "<a href=\"#q-jaren\">How many years "
	    "have you worked here? \xe2\x80\x93 Enter a number from 0 to 60."
	    "</a>"));
	assert_null(strstr(b.data, "href=\"#q-werk\""));
	assert_int_equal(count(b.data, "<a href=\"#q-"), 2);
	/* the targets: the item's radio group takes focus, the box is
	 * invalid */
	assert_non_null(strstr(b.data, "role=\"radiogroup\" id=\"q-i1\" "
	    "aria-labelledby=\"q-i1:label\" aria-describedby=\"q-i1:error\" "
	    "tabindex=\"-1\">"));
	assert_non_null(strstr(b.data, "aria-describedby=\"q-jaren:range "
	    "q-jaren:error\" aria-invalid=\"true\""));
	assert_non_null(strstr(b.data, "<title>Error: Page 2 of 5"));
	buf_free(&b);
	answer_check_free(chk);
	def_free(d);
}

static void
test_pages_state_expired_is_400(void **state)
{
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_status(PAGE_STATE_EXPIRED), 400);
	assert_int_equal(page_message(&b, PAGE_STATE_EXPIRED, DEF_EN), GH_OK);
	assert_non_null(strstr(b.data, "Your session has expired"));
	assert_non_null(strstr(b.data, "Nothing was stored. Your link still "
	    "works"));
	buf_free(&b);
	assert_int_equal(page_message(&b, PAGE_STATE_EXPIRED, DEF_NL), GH_OK);
	assert_non_null(strstr(b.data, "Je sessie is verlopen"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_welcome_states_privacy_both_langs),
		cmocka_unit_test(test_pages_welcome_says_the_unit),
		cmocka_unit_test(test_pages_progress_in_text_and_title),
		cmocka_unit_test(test_pages_matrix_is_a_table_of_radio_groups),
		cmocka_unit_test(test_pages_hidden_question_not_rendered),
		cmocka_unit_test(test_pages_page_summary_links_this_page_only),
		cmocka_unit_test(test_pages_state_expired_is_400),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
