/*
 * test_release_labels.c: the label columns of tables.csv (labels.h):
 * the code columns stay as they were, in their order, and after them
 * every row says in Dutch and English what its table, variable,
 * category and breakdowns are: an option's label, fixed words for
 * TOTAL, NOT_STATED, yes and no and a scale's mean, a breakdown by its
 * background kind, and the engine's own unit values in words. And
 * codebook.json says what a scale's mean lies on. Built on constructed
 * answers, as test_release_response.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "release/labels.h"
#include "release/release.h"

#define K	5
#define C	3

#define T(nl, en)	"{\"nl\":\"" nl "\",\"en\":\"" en "\"}"
#define OPT(id, nl, en)	"{\"id\":\"" id "\",\"label\":" T(nl, en) "}"

static const char def_json[] =
    "{\"format\":2,\"id\":\"lb\",\"title\":" T("LB", "LB") ","
    "\"unit\":{\"source\":\"batch\"},"
    "\"response_scales\":{\"drie\":[" OPT("1", "Oneens", "Disagree") ","
    OPT("2", "Neutraal", "Neutral") "," OPT("3", "Eens", "Agree") "]},"
    "\"pages\":[{\"id\":\"p\",\"questions\":["
    "{\"id\":\"gender\",\"type\":\"single\",\"background\":\"gender\","
    "\"prefer_not\":true,\"label\":" T("Wat is je gender?",
    "What is your gender?") ",\"options\":[" OPT("v", "Vrouw", "Woman") ","
    OPT("m", "Man", "Man") "]},"
    "{\"id\":\"ervaring\",\"type\":\"single\",\"label\":" T("Meegemaakt?",
    "Experienced?") ",\"options\":[" OPT("ja", "Ja, wel", "Yes, I did")
    "," OPT("nee", "Nee, niet", "No, I did not") "]},"
    "{\"id\":\"l1\",\"type\":\"likert\",\"scale\":\"drie\",\"label\":"
    T("L1", "L1") "},"
    "{\"id\":\"l2\",\"type\":\"likert\",\"scale\":\"drie\",\"label\":"
    T("L2", "L2") "}]}],"
    "\"scales\":[{\"id\":\"sc\",\"label\":" T("Veiligheid", "Safety") ","
    "\"items\":[\"l1\",\"l2\"]},"
    "{\"id\":\"sc_r\",\"label\":" T("R", "R") ",\"items\":[\"l1\","
    "\"l2\"],\"reversed\":[\"l1\"]},"
    "{\"id\":\"sc_rr\",\"label\":" T("RR", "RR") ",\"items\":[\"l1\","
    "\"l2\"],\"reversed\":[\"l1\",\"l2\"]}],"
    "\"indicators\":[{\"id\":\"ind\",\"label\":" T("Maakte iets mee",
    "Experienced something") ",\"question\":\"ervaring\","
    "\"any_of\":[\"ja\"]}]}";

static const char plan_json[] =
    "{\"format\":1,\"kind\":\"release_plan\",\"definition\":\"lb\","
    "\"tables\":["
    "{\"id\":\"erv\",\"question\":\"ervaring\",\"by\":[\"gender\","
    "\"unit\"]},"
    "{\"id\":\"ind_unit\",\"indicator\":\"ind\",\"by\":[\"unit\"]},"
    "{\"id\":\"sc_gender\",\"scale\":\"sc\",\"by\":[\"gender\"]},"
    "{\"id\":\"gender\",\"question\":\"gender\"}]}";

static const char *const units[] = { "A", "A/B", "A/C" };

static const char code_header[] = "table,variable,category,by1,by1_value,"
    "by2,by2_value,count,group_n,percent,ci_low,ci_high,flag,base,base_n";

struct fx {
	struct def		*d;
	struct plan		*p;
	struct store_wave	 w;
	struct release		 rl;
	struct buf		 csv, json;
};

/* Adds n answers: gender option g (-1: not stated), ervaring e, unit u. */
static void
add(struct fx *f, int n, int g, int e, const char *u)
{
	struct def_answer a[4];
	int i;

	memset(a, 0, sizeof(a));
	if (g >= 0) {
		a[0].is_answered = 1;
		a[0].chosen = (uint64_t)1 << g;
	}
	a[1].is_answered = 1;
	a[1].chosen = (uint64_t)1 << e;
	a[2].is_answered = a[3].is_answered = 1;
	a[2].chosen = (uint64_t)1 << 2;
	a[3].chosen = (uint64_t)1 << 1;
	for (i = 0; i < n; i++)
		assert_int_equal(tables_add_answer(f->rl.rel, a, u), GH_OK);
}

/* A: own answers and A/B's, A/C's two roll up into "other units of A";
 * some without a unit. Then tables.csv is written. */
static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char err[512];
	size_t failed = 0;

	assert_non_null(f);
	assert_int_equal(def_parse(def_json, strlen(def_json), "lb", &f->d,
	    err, sizeof(err)), GH_OK);
	assert_int_equal(plan_parse(plan_json, strlen(plan_json), "p", f->d,
	    &f->p, err, sizeof(err)), GH_OK);
	f->w.name = (char *)"w";
	f->w.k = K;
	f->rl.w = &f->w;
	f->rl.d = f->d;
	f->rl.plan = f->p;
	assert_int_equal(tables_new(f->d, f->p, K, units, 3, &f->rl.rel),
	    GH_OK);
	add(f, 8, 0, 0, "A");
	add(f, 7, 1, 1, "A");
	add(f, 12, 0, 1, "A/B");
	add(f, 11, 1, 0, "A/B");
	add(f, 2, 0, 0, "A/C");
	add(f, 9, -1, 1, NULL);
	assert_int_equal(tables_units_build(f->rl.rel), GH_OK);
	assert_int_equal(cellset_build(f->rl.rel, &f->rl.cs), GH_OK);
	assert_int_equal(release_response_cells(&f->rl), GH_OK);
	assert_int_equal(cellset_to_sdc(f->rl.cs), GH_OK);
	assert_int_equal(sdc_protect(f->rl.cs->sdc, C, NULL, NULL, &failed),
	    GH_OK);
	assert_int_equal(sdc_audit(f->rl.cs->sdc, C, NULL, NULL, &failed),
	    GH_OK);
	assert_int_equal(release_tables_write(&f->rl, &f->csv, &f->json),
	    GH_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	buf_free(&f->csv);
	buf_free(&f->json);
	cellset_free(f->rl.cs);
	tables_free(f->rl.rel);
	plan_free(f->p);
	def_free(f->d);
	free(f);
	return 0;
}

#define MAX_FIELDS	32
#define FIELD_MAX	256

/* Splits the CSV line at *p (RFC 4180, CRLF) into v; advances *p.
 * Returns the number of fields, 0 at the end. */
static size_t
csv_line(const char **p, char v[MAX_FIELDS][FIELD_MAX])
{
	const char *s = *p;
	size_t n = 0, len = 0;
	int is_quoted = 0;

	if (*s == '\0')
		return 0;
	memset(v, 0, MAX_FIELDS * FIELD_MAX);
	for (;; s++) {
		if (is_quoted && *s == '"' && s[1] == '"') {
			v[n][len++] = *s++;
		} else if (*s == '"') {
			is_quoted = !is_quoted;
		} else if (!is_quoted && (*s == ',' || *s == '\r')) {
			assert_true(++n < MAX_FIELDS || *s == '\r');
			len = 0;
			if (*s == '\r')
				break;
		} else {
			assert_true(*s != '\0' && len + 1 < FIELD_MAX);
			v[n][len++] = *s;
		}
	}
	assert_int_equal(s[1], '\n');
	*p = s + 2;
	return n;
}

/* The fields of the row of table with category and breakdown values. */
static size_t
find_row(const struct fx *f, const char *table, const char *cat,
    const char *v1, const char *v2, char v[MAX_FIELDS][FIELD_MAX])
{
	const char *p = f->csv.data;
	size_t n;

	csv_line(&p, v);
	while ((n = csv_line(&p, v)) > 0)
		if (strcmp(v[0], table) == 0 && strcmp(v[2], cat) == 0 &&
		    strcmp(v[4], v1) == 0 && strcmp(v[6], v2) == 0)
			return n;
	fail_msg("no row %s|%s|%s|%s", table, cat, v1, v2);
	return 0;
}

/* The code columns first, as before, and the base; the label columns
 * after them. */
static void
test_release_labels_header(void **state)
{
	struct fx *f = *state;
	char v[MAX_FIELDS][FIELD_MAX];
	const char *p = f->csv.data;
	size_t n;

	assert_int_equal(strncmp(f->csv.data, code_header,
	    strlen(code_header)), 0);
	assert_int_equal(strncmp(f->csv.data + strlen(code_header),
	    "," RELEASE_LABELS_CSV_HEADER "\r\n",
	    strlen(RELEASE_LABELS_CSV_HEADER) + 3), 0);
	n = csv_line(&p, v);
	assert_int_equal(n, 29);
	assert_string_equal(v[15], "table_label_nl");
	assert_string_equal(v[28], "by2_value_label_en");
	/* Every row has every column. */
	while ((n = csv_line(&p, v)) > 0)
		assert_int_equal(n, 29);
}

/* A question by gender and unit: option labels, a breakdown named by
 * its kind, NOT_STATED and TOTAL in words, a label that is a question
 * followed by a dash. */
static void
test_release_labels_question(void **state)
{
	static const char *const want[] = {
		"Meegemaakt? \xe2\x80\x93 naar gender en eenheid",
		"Experienced? \xe2\x80\x93 by gender and unit",
		"Meegemaakt?", "Experienced?", "Ja, wel", "Yes, I did",
		"gender", "gender", "Vrouw", "Woman", "eenheid", "unit",
		"A/B", "A/B",
	};
	struct fx *f = *state;
	char v[MAX_FIELDS][FIELD_MAX];
	size_t i;

	find_row(f, "erv", "ja", "v", "A/B", v);
	assert_string_equal(v[1], "ervaring");
	for (i = 0; i < 14; i++)
		assert_string_equal(v[15 + i], want[i]);
	find_row(f, "erv", "TOTAL", "NOT_STATED", "NOT_STATED", v);
	assert_string_equal(v[19], "Totaal");
	assert_string_equal(v[20], "Total");
	assert_string_equal(v[23], "Niet ingevuld");
	assert_string_equal(v[24], "Not stated");
	assert_string_equal(v[27], "(geen eenheid)");
	assert_string_equal(v[28], "(no unit)");
	find_row(f, "erv", "NOT_STATED", "TOTAL", "TOTAL", v);
	assert_string_equal(v[19], "Niet ingevuld");
	assert_string_equal(v[23], "Totaal");
	/* Without a breakdown: no "by", empty breakdown columns. */
	find_row(f, "gender", "m", "", "", v);
	assert_string_equal(v[15], "Wat is je gender?");
	assert_string_equal(v[16], "What is your gender?");
	assert_string_equal(v[19], "Man");
	for (i = 21; i < 29; i++)
		assert_string_equal(v[i], "");
}

/* An indicator's yes and no, and the engine's own unit values. */
static void
test_release_labels_indicator_and_units(void **state)
{
	struct fx *f = *state;
	char v[MAX_FIELDS][FIELD_MAX];

	find_row(f, "ind_unit", "yes", "A (direct)", "", v);
	assert_string_equal(v[15], "Maakte iets mee naar eenheid");
	assert_string_equal(v[16], "Experienced something by unit");
	assert_string_equal(v[19], "Ja");
	assert_string_equal(v[20], "Yes");
	assert_string_equal(v[23], "A (rechtstreeks)");
	assert_string_equal(v[24], "A (direct)");
	find_row(f, "ind_unit", "no", "other units of A", "", v);
	assert_string_equal(v[19], "Nee");
	assert_string_equal(v[20], "No");
	assert_string_equal(v[23], "andere eenheden van A");
	assert_string_equal(v[24], "other units of A");
	find_row(f, "ind_unit", "NOT_STATED", "A", "", v);
	assert_string_equal(v[19], "Niet ingevuld");
	assert_string_equal(v[23], "A");
}

/* A scale: its mean, by gender. */
static void
test_release_labels_scale(void **state)
{
	struct fx *f = *state;
	char v[MAX_FIELDS][FIELD_MAX];

	find_row(f, "sc_gender", "mean", "v", "", v);
	assert_string_equal(v[15], "Veiligheid naar gender");
	assert_string_equal(v[16], "Safety by gender");
	assert_string_equal(v[17], "Veiligheid");
	assert_string_equal(v[19], "Gemiddelde");
	assert_string_equal(v[20], "Mean");
	assert_string_equal(v[23], "Vrouw");
	assert_string_equal(v[24], "Woman");
}

/* The scale's labels of point p (1 up) in codebook.json's entry sc. */
static void
assert_point(const cJSON *sc, int p, const char *nl, const char *en)
{
	const cJSON *l = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(sc,
	    "point_labels"), p - 1);

	assert_string_equal(cJSON_GetObjectItemCaseSensitive(l,
	    "nl")->valuestring, nl);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(l,
	    "en")->valuestring, en);
}

/* codebook.json: what a scale's mean lies on, in the scale's direction
 * (a reversed item's options read backwards). */
static void
test_release_labels_codebook_scale(void **state)
{
	static const char cb_header[] = "variable,kind,type,category,label_nl,"
	    "label_en,formula\r\ngender,question,single,,";
	struct fx *f = *state;
	struct buf json = { 0 }, csv = { 0 };
	const cJSON *ss, *sc;
	cJSON *root;

	assert_int_equal(release_codebook_write(&f->rl, &json, &csv), GH_OK);
	assert_non_null(root = cJSON_ParseWithLength(json.data, json.len));
	ss = cJSON_GetObjectItemCaseSensitive(root, "scales");
	assert_int_equal(cJSON_GetArraySize(ss), 3);
	sc = cJSON_GetArrayItem(ss, 0);
	assert_string_equal(sc->child->string, "id");
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(sc,
	    "points")->valuedouble, 3);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sc,
	    "point_labels")), 3);
	assert_point(sc, 1, "Oneens", "Disagree");
	assert_point(sc, 3, "Eens", "Agree");
	assert_point(cJSON_GetArrayItem(ss, 1), 1, "Oneens", "Disagree");
	assert_point(cJSON_GetArrayItem(ss, 2), 1, "Eens", "Agree");
	assert_point(cJSON_GetArrayItem(ss, 2), 2, "Neutraal", "Neutral");
	/* codebook.csv is as it was. */
	assert_int_equal(strncmp(csv.data, cb_header, strlen(cb_header)), 0);
	cJSON_Delete(root);
	buf_free(&json);
	buf_free(&csv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_release_labels_header),
		cmocka_unit_test(test_release_labels_question),
		cmocka_unit_test(test_release_labels_indicator_and_units),
		cmocka_unit_test(test_release_labels_scale),
		cmocka_unit_test(test_release_labels_codebook_scale),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
