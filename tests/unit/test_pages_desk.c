/*
 * test_pages_desk.c: the desk's pages (server/pages/desk.h): every value
 * escaped (a report's text is the reporter's, and may hold markup), line
 * ends as <br>, the CSRF token in every form, tombstones without forms,
 * the signals' k rule, and the category lists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "pages/desk.h"
#include "pages/signals.h"
#include "pages/page.h"

static int
setup(void **state)
{
	(void)state;
	return page_init() == GH_OK && page_desk_check() == GH_OK ? 0 : -1;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void
item(struct desk_item *it, int status)
{
	memset(it, 0, sizeof(*it));
	strcpy(it->id, "0123456789abcdef0123456789abcdef");
	strcpy(it->received, "2026-01-02");
	strcpy(it->status_day, "2026-01-05");
	it->status = status;
	it->step[0].state = DESK_CLOCK_OVERDUE;
	strcpy(it->step[0].due, "2026-01-09");
}

static void
test_pages_desk_report_escapes_text(void **state)
{
	static const char evil[] = "<script>alert(1)</script>\n\"x\" & 'y'";
	struct desk_page p = { DEF_EN, "anna<b>", "tok\"en", "/desk/r/x",
	    NULL, 0, NULL };
	struct desk_msg m = { 3, 0, 0, "2026-01-02", evil, sizeof(evil) - 1 };
	struct desk_item it;
	struct buf b = { 0 };

	(void)state;
	item(&it, 1);
	assert_int_equal(page_desk_report(&b, &p, &it, &m, 1), GH_OK);
	assert_null(strstr(b.data, "<script>"));
	assert_non_null(strstr(b.data, "&lt;script&gt;alert(1)&lt;/script&gt;"
	    "<br>\n&quot;x&quot; &amp; &#39;y&#39;"));
	assert_null(strstr(b.data, "anna<b>"));
	assert_non_null(strstr(b.data, "anna&lt;b&gt;"));
	/* Logout, reply, status, category and aftercare: five forms, each
	 * with the (escaped) token. */
	assert_int_equal(count(b.data, "<form method=\"post\""), 5);
	assert_int_equal(count(b.data, "name=\"csrf\" value=\"tok&quot;en\""),
	    5);
	assert_non_null(strstr(b.data, "#3 Reporter: Message"));
	assert_non_null(strstr(b.data, "overdue: was due by 2026-01-09"));
	buf_free(&b);
}

static void
test_pages_desk_tombstone_has_no_forms(void **state)
{
	struct desk_page p = { DEF_NL, "anna", "t", "/desk/r/x", NULL, 0,
	    NULL };
	struct desk_item it;
	struct buf b = { 0 };

	(void)state;
	item(&it, 4);
	assert_int_equal(page_desk_report(&b, &p, &it, NULL, 0), GH_OK);
	assert_int_equal(count(b.data, "<form"), 1);	/* logout only */
	assert_non_null(strstr(b.data, page_msg(DEF_NL,
	    "desk.report.withdrawn")));
	buf_free(&b);
	p.here = "/desk";
	assert_int_equal(page_desk_inbox(&b, &p, &it, 1), GH_OK);
	assert_non_null(strstr(b.data, "desk-tombstone"));
	assert_null(strstr(b.data, "href=\"/desk/r/"));
	buf_free(&b);
}

static void
test_pages_desk_signals_rule(void **state)
{
	struct signals_row u[2] = {
		{ "staf", SIGNALS_ALL, "", { 4, 0, 3, 5 }, 12, 0x5 },
		{ "staf", SIGNALS_GROUND, "geloof", { 0, 0, 0, 10 }, 10, 0 },
	};
	struct signals_view v = { u, 2, 2, 1, 10, { "p1", "p2", "p3", "p4" } };
	struct desk_page p = { DEF_EN, "anna", "t", "/desk/signals", NULL, 0,
	    NULL };
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_signals(&b, &p, &v), GH_OK);
	assert_non_null(strstr(b.data, "at least 10 reports"));
	assert_non_null(strstr(b.data, "2 units with fewer reports"));
	assert_non_null(strstr(b.data, "Executive and corporate staff"));
	assert_non_null(strstr(b.data, "<td>12</td>"));
	/* Periods 1 and 3 suppressed, 2 and 4 shown. */
	assert_non_null(strstr(b.data, "<td>fewer than 10</td><td>0</td>"
	    "<td>fewer than 10</td><td>5</td><td>12</td>"));
	assert_non_null(strstr(b.data, "counts once under each"));
	buf_free(&b);
	v.n = 0;
	v.n_hidden_units = 3;
	assert_int_equal(page_signals(&b, &p, &v), GH_OK);
	assert_null(strstr(b.data, "<table"));
	assert_non_null(strstr(b.data, "3 units with fewer reports"));
	buf_free(&b);
}

static void
test_pages_desk_categories(void **state)
{
	(void)state;
	assert_true(page_desk_cat_is_valid(DESK_CAT_FORM, "discriminatie"));
	assert_true(page_desk_cat_is_valid(DESK_CAT_GROUND, "geloof"));
	assert_true(page_desk_cat_is_valid(DESK_CAT_UNIT, "sociaal"));
	assert_true(page_desk_cat_is_valid(DESK_CAT_MEASURE, "written_warning"));
	assert_false(page_desk_cat_is_valid(DESK_CAT_MEASURE, "geloof"));
	assert_false(page_desk_cat_is_valid(DESK_CAT_FORM, ""));
	assert_false(page_desk_cat_is_valid(DESK_CAT_FORM, NULL));
	assert_string_equal(page_desk_cat_label(DEF_EN, DESK_CAT_MEASURE,
	    "dismissal"), "Dissolution of the contract");
	assert_string_equal(page_desk_cat_label(DEF_NL, DESK_CAT_FORM, "x<y"),
	    "x<y");	/* unknown: the id itself, escaped by the template */
}

static void
test_pages_desk_login_keeps_name_escaped(void **state)
{
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_login(&b, DEF_NL, "\"><x", LOGIN_NOTICE_FAILED,
	    "tok&en"), GH_OK);
	assert_null(strstr(b.data, "\"><x"));
	assert_non_null(strstr(b.data,
	    "name=\"csrf\" value=\"tok&amp;en\""));
	assert_non_null(strstr(b.data, "value=\"&quot;&gt;&lt;x\""));
	assert_non_null(strstr(b.data, "role=\"alert\""));
	assert_non_null(strstr(b.data, "autocomplete=\"current-password\""));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_desk_report_escapes_text),
		cmocka_unit_test(test_pages_desk_tombstone_has_no_forms),
		cmocka_unit_test(test_pages_desk_signals_rule),
		cmocka_unit_test(test_pages_desk_categories),
		cmocka_unit_test(test_pages_desk_login_keeps_name_escaped),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
