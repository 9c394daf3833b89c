/*
 * test_pages_research.c: the /research pages (pages/research.h) rendered
 * from a hand-made tables.json: every table as an HTML table with
 * headers and a chart, suppressed cells saying why and never showing a
 * figure (even one that tables.json wrongly holds), margins named, text
 * escaped, no style attribute (the CSP forbids them), both languages, and
 * the list grouped with the newest release first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "pages/page.h"
#include "pages/research.h"

/*
 * The primary row still carries count 4242 and group_n 4343, and the
 * rolled-up row 5151: a careless page would print them.
 */
static const char tables_json[] =
    "{\"k\":10,\"wave\":\"2026\",\"instrument\":\"demo\","
    "\"tables\":[{\"id\":\"t1\",\"title\":{\"nl\":\"Veilig voelen\","
    "\"en\":\"Feeling safe\"}}],"
    "\"rows\":["
    "{\"table\":\"t1\",\"variable\":\"veilig\",\"category\":\"ja\","
    "\"by1\":\"unit\",\"by1_value\":\"Afdeling <A>\",\"by2\":\"\","
    "\"by2_value\":\"\",\"count\":30,\"group_n\":50,\"percent\":60.0,"
    "\"ci_low\":46.2,\"ci_high\":72.4,\"flag\":\"ok\",\"comparisons\":["
    "{\"with\":\"voorjaar 2025\",\"percent\":55.5,\"n\":60,"
    "\"difference\":4.5,\"ci_low\":-2.1,\"ci_high\":11.1,"
    "\"significant\":false}]},"
    "{\"table\":\"t1\",\"variable\":\"veilig\",\"category\":\"nee\","
    "\"by1\":\"unit\",\"by1_value\":\"Afdeling <A>\",\"count\":4242,"
    "\"group_n\":4343,\"percent\":\"\",\"ci_low\":\"\",\"ci_high\":\"\","
    "\"flag\":\"primary\",\"comparisons\":[{\"with\":\"x\","
    "\"percent\":4444,\"difference\":4545}]},"
    "{\"table\":\"t1\",\"variable\":\"veilig\",\"category\":\"ja\","
    "\"by1\":\"unit\",\"by1_value\":\"Kleine unit\",\"count\":5151,"
    "\"flag\":\"rolled_up\"},"
    "{\"table\":\"t1\",\"variable\":\"veilig\",\"category\":\"TOTAL\","
    "\"by1\":\"unit\",\"by1_value\":\"TOTAL\",\"count\":\"\","
    "\"flag\":\"secondary\"},"
    "{\"table\":\"t2\",\"variable\":\"werk\",\"category\":\"beleid\","
    "\"count\":12,\"group_n\":40,\"percent\":30,\"ci_low\":18.1,"
    "\"ci_high\":45.4,\"flag\":\"ok\"},"
    "{\"table\":\"t2\",\"variable\":\"werk\",\"category\":\"x\","
    "\"count\":6161,\"flag\":\"something new\"},"
    "{\"table\":\"t3\",\"variable\":\"schaal\",\"category\":\"mean\","
    "\"count\":40,\"percent\":3.4,\"ci_low\":3.1,\"ci_high\":3.7,"
    "\"flag\":\"ok\"}],"
    "\"comparisons\":[{\"table\":\"t2\",\"category\":\"beleid\","
    "\"against\":\"2025\",\"difference\":-4.5,\"ci_low\":-9.1,"
    "\"ci_high\":0.2,\"significant\":false}],"
    "\"response\":{\"answered_per_unit\":true,\"issued\":130,"
    "\"answered\":62,\"rate\":0.4769,\"units\":["
    "{\"unit\":\"Afdeling A\",\"issued\":80,\"answered\":50,"
    "\"rate\":0.625,\"cell\":\"u=Afdeling A\"},"
    "{\"unit\":null,\"issued\":20,\"answered\":12,\"rate\":0.6,"
    "\"cell\":\"u=NOT_STATED\"}]}}";

static const struct research_release rel = {
	.id = 7, .wave_id = 3, .wave_name = "najaar 2026",
	.instrument_id = "demo", .instrument_title = "Demo & co",
	.created_day = 20000, .k = 5,
};

static const struct research_user user = { "ria", "CSRFTOKEN" };

static const struct research_file files[] = {
	{ "tables.csv", 123 }, { "MANIFEST", 64 },
};

/* The codebook names the categories of t1; "nee" it does not know. */
static const char codebook_json[] =
    "{\"variables\":[{\"id\":\"veilig\",\"label\":{\"nl\":\"Ik voel "
    "me veilig\",\"en\":\"I feel safe\"},\"categories\":[{\"id\":"
    "\"ja\",\"label\":{\"nl\":\"Ja &amp; zeker\",\"en\":\"Yes\"}}]}]}";

static const struct research_json json_of = {
	tables_json, sizeof(tables_json) - 1, NULL, 0
};
static const struct research_json json_labelled = {
	tables_json, sizeof(tables_json) - 1, codebook_json,
	sizeof(codebook_json) - 1
};

static int
setup(void **state)
{
	(void)state;
	return page_init() == GH_OK ? 0 : -1;
}

static void
test_research_release_page(void **state)
{
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_research_release(&b, DEF_NL, &user, &rel, &json_of,
	    files, 2), GH_OK);
	assert_non_null(strstr(b.data, "<html lang=\"nl\""));
	assert_non_null(strstr(b.data, "<h3 id=\"t-t1\">Veilig voelen</h3>"));
	assert_non_null(strstr(b.data, "<caption id=\"caption-1\" "
	    "class=\"r-vh\">veilig naar eenheid</caption>"));
	assert_non_null(strstr(b.data, "<p class=\"r-id\">Tabelcode: t1</p>"));
	assert_non_null(strstr(b.data, "<th scope=\"col\">Eenheid</th>"));
	/* Without a codebook or a title: the variable's code. */
	assert_non_null(strstr(b.data, "<h3 id=\"t-t2\">werk</h3>"));
	assert_non_null(strstr(b.data, "<th scope=\"row\">ja</th>"));
	assert_non_null(strstr(b.data, "<td>Afdeling &lt;A&gt;</td>"));
	assert_null(strstr(b.data, "<A>"));
	/* k from tables.json (10), not the wave's (5). */
	assert_non_null(strstr(b.data, "niet getoond: minder dan 10"));
	assert_non_null(strstr(b.data, "niet getoond: zou een groep"));
	assert_non_null(strstr(b.data, "<td>Kleine unit</td>"));
	assert_non_null(strstr(b.data, "samengevoegd met andere eenheden"));
	assert_non_null(strstr(b.data, "<th scope=\"row\">Totaal</th>"));
	/* No figure of a cell that is not shown, whatever the JSON says. */
	assert_null(strstr(b.data, "4242"));
	assert_null(strstr(b.data, "4343"));
	assert_null(strstr(b.data, "5151"));
	assert_null(strstr(b.data, "6161"));
	assert_null(strstr(b.data, "4444"));	/* a hidden cell's comparison */
	assert_null(strstr(b.data, "4545"));
	/* Shown figures, with a decimal comma in Dutch. */
	assert_non_null(strstr(b.data, "<td class=\"num\">30</td>"));
	assert_non_null(strstr(b.data, "46,2 \xe2\x80\x93 72,4"));
	/* Charts: an image with a title and a description; no bar for a
	 * hidden cell; no style attribute anywhere. */
	assert_non_null(strstr(b.data, "role=\"img\" aria-labelledby="
	    "\"chart-title-1 chart-desc-1\""));
	assert_non_null(strstr(b.data, "<desc id=\"chart-desc-2\">"));
	assert_non_null(strstr(b.data, "width=\"180.0\""));	/* 60% */
	/* A group's total is its size: no row of the chart, shown or not. */
	assert_null(strstr(b.data, ">Totaal \xc2\xb7 Totaal</text>"));
	assert_null(strstr(b.data, " style="));
	assert_null(strstr(b.data, "<script"));
	/* A row's comparison, under its table. */
	assert_non_null(strstr(b.data, "<caption id=\"comparisons-1\">"
	    "Vergelijkingen: Veilig voelen</caption>"));
	assert_non_null(strstr(b.data, "<td>voorjaar 2025</td><td class=\"num\">"
	    "55,5</td><td class=\"num\">4,5</td><td class=\"num\">-2,1 "
	    "\xe2\x80\x93 11,1</td><td>nee</td>"));
	/* A scale: its mean, named, a dot; the codebook does not say its
	 * points, so on an axis from 0 to a round number (4). */
	assert_non_null(strstr(b.data, "<th scope=\"col\">Gemiddelde</th>"));
	assert_non_null(strstr(b.data, "<th scope=\"row\">Gemiddelde</th>"));
	assert_non_null(strstr(b.data, "Puntdiagram: gemiddelden"));
	assert_non_null(strstr(b.data, "<circle cx=\"267.0\""));	/* 3.4 */
	assert_null(strstr(b.data, "<figcaption>"));
	/* Comparisons, response per unit with the batches without one and
	 * the whole wave last (rate from the counts), downloads. */
	assert_non_null(strstr(b.data, "<td class=\"num\">-4,5</td>"));
	assert_non_null(strstr(b.data, "<td>nee</td>"));
	assert_non_null(strstr(b.data, "<h2 id=\"response\">Respons per "
	    "eenheid</h2>"));
	assert_non_null(strstr(b.data, "<th scope=\"col\">Eenheid</th>"));
	assert_non_null(strstr(b.data, "<tr><td>Afdeling A</td><td class=\"num\">"
	    "80</td><td class=\"num\">50</td><td class=\"num\">62,5</td>"
	    "</tr>\n<tr><td>(geen eenheid)</td><td class=\"num\">20</td><td "
	    "class=\"num\">12</td><td class=\"num\">60,0</td></tr>\n<tr><td>"
	    "Totaal</td><td class=\"num\">130</td><td class=\"num\">62</td>"
	    "<td class=\"num\">47,7</td></tr>"));
	assert_null(strstr(b.data, "uitgegeven, en de respons"));
	assert_non_null(strstr(b.data, "<li><a href=\"/research/r/7/"
	    "tables.csv\" download=\"najaar-2026-release-7-tables.csv\">"
	    "najaar-2026-release-7-tables.csv</a>: de tabellen, een rij per "
	    "cel"));
	assert_non_null(strstr(b.data, "download=\"najaar-2026-release-7-"
	    "MANIFEST\">najaar-2026-release-7-MANIFEST</a>: de SHA-256 van "
	    "elk bestand (64 bytes)</li>"));
	assert_non_null(strstr(b.data, "haal najaar-2026-release-7- weg uit "
	    "de namen"));
	assert_non_null(strstr(b.data, "Demo &amp; co"));
	buf_free(&b);
	assert_int_equal(page_research_release(&b, DEF_EN, &user, &rel, &json_of,
	    files, 2), GH_OK);
	assert_non_null(strstr(b.data, "<html lang=\"en\""));
	assert_non_null(strstr(b.data, "Feeling safe"));
	assert_non_null(strstr(b.data, "not shown: fewer than 10"));
	assert_non_null(strstr(b.data, "46.2 \xe2\x80\x93 72.4"));
	assert_null(strstr(b.data, "4242"));
	buf_free(&b);
}

/* The codebook's labels replace ids on the page, escaped as any text. */
static void
test_research_release_labels(void **state)
{
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_research_release(&b, DEF_NL, &user, &rel,
	    &json_labelled, files, 2), GH_OK);
	assert_non_null(strstr(b.data, "<caption id=\"caption-1\" "
	    "class=\"r-vh\">Ik voel me veilig naar eenheid</caption>"));
	assert_non_null(strstr(b.data, "<th scope=\"row\">Ja &amp;amp; "
	    "zeker</th>"));
	assert_non_null(strstr(b.data, "<th scope=\"row\">nee</th>"));
	assert_null(strstr(b.data, "4242"));
	buf_free(&b);
}

/*
 * A release as gehoord release writes it, with its codebook: codes of
 * every kind (option ids, NOT_STATED, TOTAL, yes and no, mean, the unit's
 * values the release engine makes) and breakdowns by background kind.
 */
#define ROW(t, v, c, b1, v1, b2, v2, flag) "{\"table\":\"" t "\"," \
    "\"variable\":\"" v "\",\"category\":\"" c "\",\"by1\":" b1 "," \
    "\"by1_value\":" v1 ",\"by2\":" b2 ",\"by2_value\":" v2 "," \
    "\"count\":20,\"group_n\":40,\"percent\":50,\"ci_low\":35," \
    "\"ci_high\":65,\"flag\":\"" flag "\"}"
#define Q(s)	"\"" s "\""
#define L(nl, en)	"{\"nl\":\"" nl "\",\"en\":\"" en "\"}"

static const char words_tables[] = "{\"k\":10,\"rows\":["
    ROW("erv", "ervaring", "ja", Q("gender"), Q("v"), Q("unit"),
    Q("Ruimte (direct)"), "ok") ","
    ROW("erv", "ervaring", "NOT_STATED", Q("gender"), Q("NOT_STATED"),
    Q("unit"), Q("other units of Ruimte"), "primary") ","
    ROW("erv", "ervaring", "TOTAL", Q("gender"), Q("TOTAL"), Q("unit"),
    Q("NOT_STATED"), "ok") ","
    ROW("ind", "ind", "yes", Q("unit"), Q("other units"), "null", "null",
    "ok") ","
    ROW("ind", "ind", "no", Q("unit"), Q("A"), "null", "null", "ok") ","
    "{\"table\":\"sc\",\"variable\":\"sc\",\"category\":\"mean\","
    "\"by1\":\"leeftijd\",\"by1_value\":\"jong\",\"count\":40,"
    "\"percent\":3.4,\"ci_low\":3.1,\"ci_high\":3.7,\"flag\":\"ok\"},"
    ROW("lft", "leeftijd", "oud", "null", "null", "null", "null", "ok")
    "," ROW("afd", "ind", "yes", Q("afdeling"), Q("x"), "null", "null",
    "ok") "]}";

static const char words_codebook[] = "{\"variables\":["
    "{\"id\":\"ervaring\",\"label\":" L("Meegemaakt?", "Experienced?") ","
    "\"background\":\"\",\"categories\":[{\"id\":\"ja\",\"label\":"
    L("Ja, wel", "Yes, I did") "},{\"id\":\"NOT_STATED\",\"label\":"
    L("niet ingevuld of zeg ik liever niet", "not stated") "}]},"
    "{\"id\":\"gender\",\"label\":" L("Wat is je gender?",
    "What is your gender?") ",\"background\":\"gender\",\"categories\":"
    "[{\"id\":\"v\",\"label\":" L("Vrouw", "Woman") "}]},"
    "{\"id\":\"leeftijd\",\"label\":" L("Hoe oud ben je?", "How old are "
    "you?") ",\"background\":\"age_band\",\"categories\":[{\"id\":\"jong\","
    "\"label\":" L("Jonger dan 35", "Under 35") "},{\"id\":\"oud\","
    "\"label\":" L("35 of ouder", "35 or older") "}]},"
    "{\"id\":\"afdeling\",\"label\":" L("Waar werk je?", "Where do you "
    "work?") ",\"background\":\"unit\",\"categories\":[{\"id\":\"x\","
    "\"label\":" L("Afdeling X", "Department X") "}]}],"
    "\"scales\":[{\"id\":\"sc\",\"label\":" L("Veiligheid", "Safety") ","
    "\"points\":5,\"point_labels\":[" L("Helemaal oneens",
    "Strongly disagree") "," L("Oneens", "Disagree") "," L("Neutraal",
    "Neutral") "," L("Eens", "Agree") "," L("Helemaal eens",
    "Strongly agree") "]}],"
    "\"indicators\":[{\"id\":\"ind\",\"label\":" L("Maakte iets mee",
    "Experienced something") "}]}";

/* Labels, not codes: every code in words, in the page's language. */
static void
test_research_release_words(void **state)
{
	static const char *const nl[] = {
		"<h3 id=\"t-erv\">Meegemaakt? \xe2\x80\x93 naar gender en "
		"eenheid</h3>",
		"<th scope=\"col\">Gender</th><th scope=\"col\">Eenheid</th>",
		"<th scope=\"row\">Ja, wel</th><td>Vrouw</td><td>Ruimte "
		"(rechtstreeks)</td>",
		"<th scope=\"row\">Niet ingevuld</th><td>Niet ingevuld</td>"
		"<td>andere eenheden van Ruimte</td>",
		"<th scope=\"row\">Totaal</th><td>Totaal</td><td>(geen "
		"eenheid)</td>",
		"<h3 id=\"t-ind\">Maakte iets mee naar eenheid</h3>",
		"<th scope=\"row\">Ja</th><td>andere eenheden</td>",
		"<th scope=\"row\">Nee</th><td>A</td>",
		"<h3 id=\"t-sc\">Veiligheid naar leeftijd</h3>",
		"<th scope=\"col\">Leeftijd</th>",
		"<th scope=\"row\">Gemiddelde</th><td>Jonger dan 35</td>",
		">Jonger dan 35</text>",	/* the chart names the group */
		/* A mean on the scale's own axis, 1 to 5, a tick a point, the
		 * ends said in words. */
		">1</text>", ">2</text>", ">5</text>",
		"<circle cx=\"192.0\"",	/* 3.4: 2.4 of 4 steps of 75 */
		"M169.5 ",			/* 3.1 */
		"op de schaal van 1 tot 5;",
		"<figcaption>Schaal van 1 (Helemaal oneens) tot 5 (Helemaal "
		"eens).</figcaption>",
		"<h3 id=\"t-lft\">Hoe oud ben je?</h3>",
		">0%</text>", ">100%</text>",	/* a percentage: 0 to 100 */
		/* A question that is the unit: named so, its options
		 * labelled. */
		"<h3 id=\"t-afd\">Maakte iets mee naar eenheid</h3>",
		"<th scope=\"row\">Ja</th><td>Afdeling X</td>",
		"<th scope=\"row\">35 of ouder</th>",
		NULL
	};
	static const char *const en[] = {
		"Experienced? \xe2\x80\x93 by gender and unit</h3>",
		"<th scope=\"row\">Not stated</th><td>Not stated</td><td>other "
		"units of Ruimte</td>",
		"<td>Ruimte (direct)</td>", "<td>(no unit)</td>",
		"<th scope=\"row\">Yes</th>", "<th scope=\"row\">No</th>",
		"Safety by age</h3>", "<th scope=\"row\">Mean</th><td>Under 35",
		"<figcaption>Scale from 1 (Strongly disagree) to 5 (Strongly "
		"agree).</figcaption>", NULL
	};
	/* Codes a Dutch reader must not meet. */
	static const char *const codes[] = {
		"NOT_STATED", ">yes<", ">no<", "other units", "(direct)",
		"ervaring", "TOTAL", ">mean<", ">unit<", ">leeftijd<", NULL
	};
	const struct research_json j = { words_tables,
	    sizeof(words_tables) - 1, words_codebook,
	    sizeof(words_codebook) - 1 };
	struct buf b = { 0 };
	size_t i;

	(void)state;
	assert_int_equal(page_research_release(&b, DEF_NL, &user, &rel, &j,
	    files, 2), GH_OK);
	for (i = 0; nl[i] != NULL; i++)
		if (strstr(b.data, nl[i]) == NULL)
			fail_msg("missing: %s", nl[i]);
	for (i = 0; codes[i] != NULL; i++)
		if (strstr(b.data, codes[i]) != NULL)
			fail_msg("a code on the Dutch page: %s", codes[i]);
	buf_free(&b);
	assert_int_equal(page_research_release(&b, DEF_EN, &user, &rel, &j,
	    files, 2), GH_OK);
	for (i = 0; en[i] != NULL; i++)
		if (strstr(b.data, en[i]) == NULL)
			fail_msg("missing: %s", en[i]);
	buf_free(&b);
}

/* Every link within the page leads to an element of the page. */
static void
assert_anchors_resolve(const char *html)
{
	const char *p = html, *end;
	char id[128];
	size_t n = 0;

	while ((p = strstr(p, "href=\"#")) != NULL) {
		p += strlen("href=\"#");
		assert_non_null(end = strchr(p, '"'));
		assert_true((size_t)(end - p) + 6 < sizeof(id));
		snprintf(id, sizeof(id), "id=\"%.*s\"", (int)(end - p), p);
		if (strstr(html, id) == NULL)
			fail_msg("a link to a missing %s", id);
		n++;
	}
	assert_true(n > 0);
}

/* Headings go down one level at a time: h1, h2, h3, and never skip. */
static void
assert_headings_in_order(const char *html)
{
	const char *p = html;
	int level = 1;

	assert_non_null(p = strstr(p, "<h1"));
	while ((p = strstr(p + 1, "<h")) != NULL) {
		if (p[2] < '1' || p[2] > '6')
			continue;
		if (p[2] - '0' > level + 1)
			fail_msg("h%c after h%d: %.60s", p[2], level, p);
		level = p[2] - '0';
	}
}

/* A table of contents at the top: every table by its heading, then the
 * other sections and the downloads, with a link past it. */
static void
test_research_release_contents(void **state)
{
	static const char *const order[] = {
		"<p class=\"r-skip\"><a href=\"#tables\">Inhoud overslaan",
		"<nav class=\"r-toc\" aria-labelledby=\"toc\">",
		"<h2 id=\"toc\">Inhoud</h2>",
		"<li><a href=\"#tables\">Tabellen</a>",
		"<li><a href=\"#t-erv\">Meegemaakt? \xe2\x80\x93 naar gender en "
		"eenheid</a></li>",
		"<li><a href=\"#t-ind\">Maakte iets mee naar eenheid</a></li>",
		"<li><a href=\"#t-sc\">Veiligheid naar leeftijd</a></li>",
		"<li><a href=\"#t-lft\">Hoe oud ben je?</a></li>",
		"<li><a href=\"#downloads\">Downloads</a></li>",
		"</nav>",
		"<h2 id=\"tables\">Tabellen</h2>",
		"<section class=\"r-table\" aria-labelledby=\"t-erv\">",
		"<h2 id=\"downloads\">",
		NULL
	};
	static const char odd_id[] = "{\"rows\":[{\"table\":\"Tabel <1>\","
	    "\"variable\":\"v\",\"category\":\"a\",\"flag\":\"ok\"}]}";
	const struct research_json j = { words_tables,
	    sizeof(words_tables) - 1, words_codebook,
	    sizeof(words_codebook) - 1 };
	const struct research_json odd = { odd_id, sizeof(odd_id) - 1, NULL,
	    0 };
	struct buf b = { 0 };
	const char *p;
	size_t i;

	(void)state;
	assert_int_equal(page_research_release(&b, DEF_NL, &user, &rel, &j,
	    files, 2), GH_OK);
	for (i = 0, p = b.data; order[i] != NULL; i++)
		if ((p = strstr(p, order[i])) == NULL)
			fail_msg("missing, or out of order: %s", order[i]);
	assert_anchors_resolve(b.data);
	assert_headings_in_order(b.data);
	buf_free(&b);
	/* The other sections, in English; a table id a plan would not
	 * allow gets an anchor of its own. */
	assert_int_equal(page_research_release(&b, DEF_EN, &user, &rel,
	    &json_of, files, 2), GH_OK);
	assert_non_null(strstr(b.data, "<li><a href=\"#comparisons\">"
	    "Comparisons</a></li>\n<li><a href=\"#response\">Response per "
	    "unit</a></li>\n<li><a href=\"#downloads\">Downloads</a></li>"));
	assert_non_null(strstr(b.data, "<li><a href=\"#t-t1\">Feeling safe"
	    "</a></li>"));
	assert_anchors_resolve(b.data);
	assert_headings_in_order(b.data);
	buf_free(&b);
	assert_int_equal(page_research_release(&b, DEF_EN, &user, &rel, &odd,
	    files, 2), GH_OK);
	assert_non_null(strstr(b.data, "<li><a href=\"#table-1\">v</a></li>"));
	assert_non_null(strstr(b.data, "<h3 id=\"table-1\">v</h3>"));
	assert_non_null(strstr(b.data, "Table code: Tabel &lt;1&gt;"));
	buf_free(&b);
}

/*
 * Answers without a unit: links per unit, no answers, and the note; and
 * an older release's response per batch, as it was.
 */
static void
test_research_release_response_kinds(void **state)
{
	static const char no_unit[] = "{\"rows\":[],\"response\":{"
	    "\"answered_per_unit\":false,\"issued\":30,\"answered\":21,"
	    "\"rate\":0.7,\"note\":\"x\",\"units\":[{\"unit\":\"Team <B>\","
	    "\"issued\":30,\"answered\":null,\"rate\":null,\"cell\":null}]}}";
	static const char per_batch[] = "{\"rows\":[],\"response\":["
	    "{\"batch\":12,\"unit\":null,\"issued\":80,\"answered\":50,"
	    "\"rate\":0.625}]}";
	const struct research_json j_no_unit = { no_unit, sizeof(no_unit) - 1,
	    NULL, 0 };
	const struct research_json j_batch = { per_batch,
	    sizeof(per_batch) - 1, NULL, 0 };
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_research_release(&b, DEF_EN, &user, &rel,
	    &j_no_unit, files, 2), GH_OK);
	assert_non_null(strstr(b.data, "<tr><td>Team &lt;B&gt;</td><td "
	    "class=\"num\">30</td><td class=\"num\"></td><td class=\"num\">"
	    "</td></tr>\n<tr><td>Total</td><td class=\"num\">30</td><td "
	    "class=\"num\">21</td><td class=\"num\">70.0</td></tr>"));
	assert_non_null(strstr(b.data, "</div>\n<p>The answers of this survey "
	    "do not say which unit they come from"));
	buf_free(&b);
	assert_int_equal(page_research_release(&b, DEF_EN, &user, &rel,
	    &j_batch, files, 2), GH_OK);
	assert_non_null(strstr(b.data, "<h2 id=\"response\">Response per "
	    "batch</h2>"));
	assert_non_null(strstr(b.data, "<th scope=\"col\">Batch</th>"));
	assert_non_null(strstr(b.data, "<tr><td>12</td><td class=\"num\">80"
	    "</td><td class=\"num\">50</td><td class=\"num\">62.5</td></tr>"));
	assert_null(strstr(b.data, "<td>Total</td>"));
	buf_free(&b);
}

/* A release without a readable tables.json still offers its files. */
static void
test_research_release_without_tables(void **state)
{
	static const char bad[] = "{\"rows\": [1, \"x\", {\"table\": 5}";
	static const char odd[] = "{\"rows\":[1, \"x\", {\"table\": 5}, "
	    "{\"table\": \"t\"}]}";
	/* A codebook that is no codebook changes nothing. */
	const struct research_json none = { NULL, 0, "[1]", 3 };
	const struct research_json j_bad = { bad, sizeof(bad) - 1, "{", 1 };
	static const char not_cb[] = "{\"variables\": {\"x\": 1}}";
	const struct research_json j_odd = { odd, sizeof(odd) - 1, not_cb,
	    sizeof(not_cb) - 1 };
	struct buf b = { 0 };

	(void)state;
	assert_int_equal(page_research_release(&b, DEF_EN, &user, &rel, &none,
	    files, 2), GH_OK);
	assert_non_null(strstr(b.data, "holds no tables this page can show"));
	assert_non_null(strstr(b.data, "/research/r/7/MANIFEST"));
	buf_free(&b);
	assert_int_equal(page_research_release(&b, DEF_EN, &user, &rel, &j_bad,
	    files, 2), GH_OK);
	assert_non_null(strstr(b.data, "holds no tables"));
	buf_free(&b);
	assert_int_equal(page_research_release(&b, DEF_EN, &user, &rel, &j_odd,
	    files, 0), GH_OK);
	assert_non_null(strstr(b.data, "<th scope=\"row\"></th>"));
	assert_non_null(strstr(b.data, "not shown"));
	buf_free(&b);
}

/* A download is named after the wave and the release. */
static void
test_research_file_name(void **state)
{
	struct research_release r = rel;
	char out[RESEARCH_FILE_NAME_MAX];

	(void)state;
	assert_string_equal(page_research_file_name(out, sizeof(out), &r,
	    "tables.csv"), "najaar-2026-release-7-tables.csv");
	r.wave_name = "Inclusie 2026";
	r.id = 2;
	assert_string_equal(page_research_file_name(out, sizeof(out), &r,
	    "MANIFEST.sig"), "inclusie-2026-release-2-MANIFEST.sig");
	/* Anything but a-z and 0-9 is one "-", never at an end. */
	r.wave_name = " Voorjaar / \"2026\" -- \xc3\xa9\xc3\xa9n ";
	assert_string_equal(page_research_file_name(out, sizeof(out), &r,
	    "x"), "voorjaar-2026-n-release-2-x");
	/* Nothing left of the name: the wave's number. */
	r.wave_name = "\xc3\xa9\xc3\xa9";
	assert_string_equal(page_research_file_name(out, sizeof(out), &r,
	    "x"), "wave-3-release-2-x");
	r.wave_name = NULL;
	assert_string_equal(page_research_file_name(out, sizeof(out), &r,
	    "x"), "wave-3-release-2-x");
	/* A long name is cut, and the whole fits a file name of 64. */
	r.wave_name = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	r.id = INT64_MAX;
	page_research_file_name(out, sizeof(out), &r,
	    "0123456789012345678901234567890123456789012345678901234567890123");
	assert_int_equal(strlen(out), 63 + strlen("-release-") + 19 + 1 + 64);
}

static void
test_research_list(void **state)
{
	struct research_release rels[3] = { rel, rel, rel };
	const struct research_user who = { "onderzoeker <x>", "T0K" };
	struct buf b = { 0 };
	const char *r7, *r9, *r4;

	(void)state;
	rels[1].id = 9;
	rels[2].id = 4;
	rels[2].wave_id = 1;
	rels[2].wave_name = "voorjaar";
	assert_int_equal(page_research_list(&b, DEF_NL, &who, rels, 3),
	    GH_OK);
	assert_non_null(strstr(b.data, "onderzoeker &lt;x&gt;"));
	assert_non_null(strstr(b.data, "<form class=\"r-user\" method=\"post\" "
	    "action=\"/logout\">"));
	assert_non_null(strstr(b.data, "name=\"csrf\" value=\"T0K\""));
	assert_non_null(r9 = strstr(b.data, "href=\"/research/r/9?lang=nl\""));
	assert_non_null(r7 = strstr(b.data, "href=\"/research/r/7?lang=nl\""));
	assert_non_null(r4 = strstr(b.data, "href=\"/research/r/4?lang=nl\""));
	assert_true(r9 < r7 && r7 < r4);	/* newest first */
	assert_non_null(strstr(b.data, "<time datetime=\"2024-10-04\">"));
	assert_non_null(strstr(b.data, "href=\"/research?lang=en\""));
	buf_free(&b);
	assert_int_equal(page_research_list(&b, DEF_EN, &user, NULL, 0), GH_OK);
	assert_non_null(strstr(b.data, "There are no releases yet."));
	buf_free(&b);
	assert_int_equal(page_research_forbidden(&b, DEF_EN), GH_OK);
	assert_non_null(strstr(b.data, "No access"));
	buf_free(&b);
}

/* Every research.* text the code asks for is in both catalogues. */
static void
test_research_messages(void **state)
{
	static const char *const keys[] = {
		"research.title", "research.intro", "research.none",
		"research.wave", "research.release", "research.published",
		"research.back", "research.signed_in",
		"research.release_heading", "research.threshold",
		"research.tables", "research.no_tables",
		"research.col.category", "research.col.count",
		"research.col.group_n", "research.col.percent",
		"research.col.ci", "research.total", "research.not_shown",
		"research.not_shown_secondary", "research.rolled_up",
		"research.chart_title", "research.chart_desc",
		"research.chart_hidden", "research.comparisons",
		"research.col.table", "research.col.against",
		"research.col.difference", "research.col.significant",
		"research.yes", "research.no", "research.response",
		"research.response_batch", "research.response_unknown",
		"research.col.unit", "research.no_unit",
		"research.col.batch", "research.col.issued",
		"research.col.answered", "research.col.rate",
		"research.downloads", "research.downloads_hint",
		"research.scripts", "research.bytes",
		"research.forbidden.heading", "research.forbidden.text",
		"research.forbidden.hint", "research.by", "research.logout",
		"research.col.mean", "research.mean",
		"research.chart_title_mean", "research.chart_desc_mean",
		"research.col.their_percent", "research.comparisons_of",
		"research.not_stated", "research.cat_yes", "research.cat_no",
		"research.and", "research.unit_direct",
		"research.other_units_of", "research.other_units",
		"research.kind.age_band", "research.kind.gender",
		"research.kind.cultural_background", "research.kind.disability",
		"research.kind.chronic_illness", "research.kind.neurodivergence",
		"research.kind.sexual_orientation", "research.kind.unit",
		"research.kind.work_type", "research.table_code",
		"research.toc", "research.toc_skip", "research.chart_desc_scale",
		"research.scale_ends", "research.scale_range",
		"research.file.tables.csv", "research.file.tables.json",
		"research.file.codebook.csv", "research.file.codebook.json",
		"research.file.audit.json", "research.file.MANIFEST",
		"research.file.MANIFEST.sig", "research.file.release-key.pub",
		NULL
	};
	size_t i;

	(void)state;
	for (i = 0; keys[i] != NULL; i++) {
		if (strcmp(page_msg(DEF_NL, keys[i]), keys[i]) == 0 ||
		    strcmp(page_msg(DEF_EN, keys[i]), keys[i]) == 0)
			fail_msg("%s: missing from a catalogue", keys[i]);
	}
	assert_non_null(strstr(page_msg(DEF_NL, "research.not_shown"), "{n}"));
	assert_non_null(strstr(page_msg(DEF_EN, "research.threshold"), "{n}"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_research_release_page),
		cmocka_unit_test(test_research_release_labels),
		cmocka_unit_test(test_research_release_words),
		cmocka_unit_test(test_research_release_contents),
		cmocka_unit_test(test_research_release_response_kinds),
		cmocka_unit_test(test_research_release_without_tables),
		cmocka_unit_test(test_research_file_name),
		cmocka_unit_test(test_research_list),
		cmocka_unit_test(test_research_messages),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
