/*
 * test_report_case.c: the desk's casework without HTTP (report_case.h)
 * against a real SQLite file in a temporary folder: the case reference
 * read as people type it and found, lists of forms and grounds replaced
 * and checked against the one category table, closing that needs an
 * outcome, at least one known measure and a text (nothing changed
 * otherwise), assignment to enabled desk users only, notes sealed to the
 * report's key and deleted on withdrawal, read marks that never move
 * back, and the inbox's filters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "report/report_case.h"
#include "report/report_conv.h"
#include "report/report_create.h"
#include "report/report_crypto.h"
#include "report/report_login.h"
#include "store/store_user.h"
#include "report_fx.h"

static int
setup(void **state)
{
	struct report_fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	report_fx_open(f, "reportcase");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct report_fx *f = *state;

	report_fx_close(f);
	free(f);
	return 0;
}

static void
user(struct report_fx *f, const char *name, enum user_role role, int64_t *id)
{
	struct user_row u;

	memset(&u, 0, sizeof(u));
	strcpy(u.name, name);
	u.role = role;
	strcpy(u.pw_hash, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
	if (role == USER_DESK) {
		memset(u.wrapped_key, 0xab, 112);
		u.wrapped_len = 112;
	}
	assert_int_equal(store_user_add(f->s, &u), GH_OK);
	assert_int_equal(store_user_get(f->s, name, &u), GH_OK);
	*id = u.id;
}

/* The tags of kind, joined by spaces. */
struct joined {
	const char	*kind;
	char		 s[256];
};

static int
join_tag(void *arg, const char *kind, const char *value)
{
	struct joined *j = arg;

	if (strcmp(kind, j->kind) == 0) {
		if (j->s[0] != '\0')
			strcat(j->s, " ");
		strcat(j->s, value);
	}
	return GH_OK;
}

static const char *
tags(struct report_fx *f, const char *kind, struct joined *j)
{
	memset(j, 0, sizeof(*j));
	j->kind = kind;
	assert_int_equal(store_case_tags(f->s, f->l.row.id, join_tag, j),
	    GH_OK);
	return j->s;
}

static int
count_msg(void *arg, const struct report_msg *m)
{
	(void)m;
	(*(size_t *)arg)++;
	return GH_OK;
}

static size_t
n_messages(struct report_fx *f)
{
	size_t n = 0;

	assert_int_equal(store_report_messages(f->s, f->l.row.id, count_msg,
	    &n), GH_OK);
	return n;
}

static void
test_report_case_ref_parse_and_text(void **state)
{
	char ref[REPORT_REF_LEN + 1], text[REPORT_REF_TEXT_LEN + 1];

	(void)state;
	assert_int_equal(report_case_ref_parse("3f9a-c21b", ref), GH_OK);
	assert_string_equal(ref, "3F9AC21B");
	assert_int_equal(report_case_ref_parse(" 3F9A C21B ", ref), GH_OK);
	assert_string_equal(ref, "3F9AC21B");
	assert_int_equal(report_case_ref_parse("3F9AC21", ref),
	    GH_ERR_INVALID);
	assert_int_equal(report_case_ref_parse("3F9AC21B0", ref),
	    GH_ERR_INVALID);
	assert_int_equal(report_case_ref_parse("3G9AC21B", ref),
	    GH_ERR_INVALID);
	assert_int_equal(report_case_ref_parse(NULL, ref), GH_ERR_INVALID);
	report_case_ref_text("3F9AC21B", text);
	assert_string_equal(text, "3F9A-C21B");
	report_case_ref_text("", text);
	assert_string_equal(text, "");
}

static void
test_report_case_find_by_reference(void **state)
{
	struct report_fx *f = *state;
	uint8_t id[REPORT_ID_BYTES];
	char typed[REPORT_REF_LEN + 2];
	size_t i;

	assert_int_equal(strlen(f->l.row.ref), REPORT_REF_LEN);
	for (i = 0; i < REPORT_REF_LEN; i++)
		typed[i] = (char)(f->l.row.ref[i] >= 'A' && f->l.row.ref[i] <= 'F' ?
		    f->l.row.ref[i] + 32 : f->l.row.ref[i]);
	typed[REPORT_REF_LEN] = '\0';
	assert_int_equal(report_case_find(f->s, typed, id), GH_OK);
	assert_memory_equal(id, f->l.row.id, REPORT_ID_BYTES);
	typed[0] = typed[0] == '0' ? '1' : '0';
	assert_int_equal(report_case_find(f->s, typed, id), GH_ERR_NOT_FOUND);
	assert_int_equal(report_case_find(f->s, "nope", id), GH_ERR_INVALID);
}

static void
test_report_case_file_replaces_and_checks(void **state)
{
	struct report_fx *f = *state;
	static const char *const two[] = { "pesten", "discriminatie" };
	static const char *const one[] = { "vernedering" };
	static const char *const bad[] = { "pesten", "free text" };
	static const char *const ground[] = { "geloof" };
	const char *many[STORE_CASE_MAX_TAGS + 1];
	const char *field = NULL;
	struct joined j;
	size_t i;

	assert_int_equal(report_case_file(f->s, f->l.row.id, two, 2, ground, 1,
	    "sociaal", &field), GH_OK);
	assert_string_equal(tags(f, "form", &j), "discriminatie pesten");
	assert_string_equal(tags(f, "ground", &j), "geloof");
	assert_int_equal(report_case_file(f->s, f->l.row.id, one, 1, NULL, 0,
	    NULL, &field), GH_OK);
	assert_string_equal(tags(f, "form", &j), "vernedering");
	assert_string_equal(tags(f, "ground", &j), "");
	assert_int_equal(report_case_file(f->s, f->l.row.id, bad, 2, NULL, 0,
	    NULL, &field), GH_ERR_INVALID);
	assert_string_equal(field, "form");
	assert_int_equal(report_case_file(f->s, f->l.row.id, one, 1, bad + 1,
	    1, NULL, &field), GH_ERR_INVALID);
	assert_string_equal(field, "ground");
	assert_int_equal(report_case_file(f->s, f->l.row.id, one, 1, NULL, 0,
	    "mars", &field), GH_ERR_INVALID);
	assert_string_equal(field, "unit");
	for (i = 0; i <= STORE_CASE_MAX_TAGS; i++)
		many[i] = "pesten";
	assert_int_equal(report_case_file(f->s, f->l.row.id, many,
	    STORE_CASE_MAX_TAGS + 1, NULL, 0, NULL, &field), GH_ERR_INVALID);
	assert_string_equal(tags(f, "form", &j), "vernedering");
}

static void
test_report_case_close_needs_outcome_and_measure(void **state)
{
	struct report_fx *f = *state;
	static const char *const measures[] = { "mediation",
	    "confidential_adviser" };
	static const char *const unknown[] = { "mediation", "firing" };
	struct report_close cl = { "founded", measures, 2, "Done.",
	    "Outcome: Founded" };
	struct report_close c2;
	struct store_case c;
	struct report_row row;
	struct joined j;
	const char *problem;

	c2 = cl;
	c2.outcome = NULL;
	assert_int_equal(report_case_status(f->s, f->l.row.id, "closed", &c2,
	    &problem), GH_ERR_INVALID);
	assert_string_equal(problem, "desk.status.need_result");
	c2.outcome = "maybe";
	assert_int_equal(report_case_status(f->s, f->l.row.id, "closed", &c2,
	    &problem), GH_ERR_INVALID);
	assert_string_equal(problem, "desk.status.need_result");
	c2 = cl;
	c2.n_measures = 0;
	assert_int_equal(report_case_status(f->s, f->l.row.id, "closed", &c2,
	    &problem), GH_ERR_INVALID);
	assert_string_equal(problem, "desk.status.need_measure");
	c2.measures = unknown;
	c2.n_measures = 2;
	assert_int_equal(report_case_status(f->s, f->l.row.id, "closed", &c2,
	    &problem), GH_ERR_INVALID);
	assert_string_equal(problem, "desk.status.need_measure");
	c2 = cl;
	c2.text = " \n";
	assert_int_equal(report_case_status(f->s, f->l.row.id, "closed", &c2,
	    &problem), GH_ERR_INVALID);
	assert_string_equal(problem, "desk.status.need_outcome");
	assert_int_equal(report_case_status(f->s, f->l.row.id, "shelved", &cl,
	    &problem), GH_ERR_INVALID);
	/* Nothing changed by any of them. */
	assert_int_equal(n_messages(f), 1);
	assert_string_equal(tags(f, "measure", &j), "");
	assert_int_equal(store_case_get(f->s, f->l.row.id, -1, &c), GH_OK);
	assert_string_equal(c.outcome, "");
	assert_int_equal(report_case_status(f->s, f->l.row.id, "closed", &cl,
	    &problem), GH_OK);
	assert_int_equal(n_messages(f), 2);
	assert_string_equal(tags(f, "measure", &j),
	    "confidential_adviser mediation");
	assert_int_equal(store_case_get(f->s, f->l.row.id, -1, &c), GH_OK);
	assert_string_equal(c.outcome, "founded");
	memset(&row, 0, sizeof(row));
	assert_int_equal(store_report_get(f->s, f->l.row.id, &row), GH_OK);
	assert_int_equal(row.status, REPORT_CLOSED);
	assert_int_equal(row.feedback_day, store_today());
	assert_string_equal(row.measure, "mediation");
	store_report_row_clear(&row);
}

static void
test_report_case_assign_to_enabled_desk_users(void **state)
{
	struct report_fx *f = *state;
	struct store_case c;
	char num[24];
	int64_t anna, bert, rita;

	user(f, "anna", USER_DESK, &anna);
	user(f, "bert", USER_DESK, &bert);
	user(f, "rita", USER_RESEARCHER, &rita);
	assert_int_equal(store_user_set_disabled(f->s, "bert", 1), GH_OK);
	snprintf(num, sizeof(num), "%lld", (long long)anna);
	assert_int_equal(report_case_assign(f->s, f->l.row.id, num), GH_OK);
	assert_int_equal(store_case_get(f->s, f->l.row.id, -1, &c), GH_OK);
	assert_int_equal(c.assigned_to, anna);
	snprintf(num, sizeof(num), "%lld", (long long)bert);
	assert_int_equal(report_case_assign(f->s, f->l.row.id, num),
	    GH_ERR_INVALID);
	snprintf(num, sizeof(num), "%lld", (long long)rita);
	assert_int_equal(report_case_assign(f->s, f->l.row.id, num),
	    GH_ERR_INVALID);
	assert_int_equal(report_case_assign(f->s, f->l.row.id, "1x"),
	    GH_ERR_INVALID);
	assert_int_equal(store_case_get(f->s, f->l.row.id, -1, &c), GH_OK);
	assert_int_equal(c.assigned_to, anna);
	assert_int_equal(report_case_assign(f->s, f->l.row.id, ""), GH_OK);
	assert_int_equal(store_case_get(f->s, f->l.row.id, -1, &c), GH_OK);
	assert_int_equal(c.assigned_to, -1);
}

/* Opens the report key with the desk's key pair (sodium_malloc). */
static uint8_t *
report_sk(struct report_fx *f)
{
	uint8_t *sk = sodium_malloc(REPORT_SK_BYTES);
	struct report_row row;

	assert_non_null(sk);
	memset(&row, 0, sizeof(row));
	assert_int_equal(store_report_get(f->s, f->l.row.id, &row), GH_OK);
	assert_int_equal(report_key_open(sk, row.sealed_key,
	    row.sealed_key_len, f->desk_pk, f->desk_sk), GH_OK);
	store_report_row_clear(&row);
	return sk;
}

static int
sealed_has_no_text(void *arg, const struct store_note *n)
{
	const char *text = arg;
	size_t i, len = strlen(text);

	for (i = 0; i + len <= n->sealed_len; i++)
		assert_true(memcmp(n->sealed + i, text, len) != 0);
	return GH_OK;
}

static void
test_report_case_notes_sealed_and_withdrawn(void **state)
{
	struct report_fx *f = *state;
	static const char note[] = "Spoke to the manager on Tuesday.";
	struct report_case_notes ns;
	const char *problem = NULL;
	uint8_t *sk = report_sk(f);
	int64_t anna;

	user(f, "anna", USER_DESK, &anna);
	assert_int_equal(report_case_note(f->s, f->l.row.id, anna, "  ",
	    &problem), GH_ERR_INVALID);
	assert_string_equal(problem, "desk.note.empty");
	assert_int_equal(report_case_note(f->s, f->l.row.id, anna, note,
	    &problem), GH_OK);
	assert_int_equal(store_case_notes(f->s, f->l.row.id,
	    sealed_has_no_text, (void *)note), GH_OK);
	assert_int_equal(report_case_notes_open(f->s, f->l.row.id,
	    f->l.row.report_pk, sk, &ns), GH_OK);
	assert_int_equal(ns.n, 1);
	assert_string_equal(ns.v[0].plain.text, note);
	assert_int_equal(ns.v[0].day, store_today());
	assert_int_equal(ns.v[0].user_id, anna);
	report_case_notes_free(&ns);
	/* A note is no message: the reporter's conversation is unchanged. */
	assert_int_equal(n_messages(f), 1);
	assert_int_equal(report_withdraw(f->s, f->l.row.id), GH_OK);
	assert_int_equal(report_case_notes_open(f->s, f->l.row.id,
	    f->l.row.report_pk, sk, &ns), GH_OK);
	assert_int_equal(ns.n, 0);
	report_case_notes_free(&ns);
	assert_int_equal(report_case_note(f->s, f->l.row.id, anna, note,
	    &problem), GH_ERR_CLOSED);
	sodium_free(sk);
}

static void
test_report_case_read_marks(void **state)
{
	struct report_fx *f = *state;
	struct store_case c;
	const char *problem = NULL;
	int64_t anna, bert;

	user(f, "anna", USER_DESK, &anna);
	user(f, "bert", USER_DESK, &bert);
	assert_int_equal(store_case_get(f->s, f->l.row.id, anna, &c), GH_OK);
	assert_true(report_case_is_new(&c));
	assert_int_equal(store_case_mark_read(f->s, f->l.row.id, anna,
	    c.last_seq), GH_OK);
	assert_int_equal(store_case_get(f->s, f->l.row.id, anna, &c), GH_OK);
	assert_false(report_case_is_new(&c));
	assert_int_equal(store_case_get(f->s, f->l.row.id, bert, &c), GH_OK);
	assert_true(report_case_is_new(&c));
	/* The desk's own message is not new; a mark never moves back. */
	assert_int_equal(report_conv_desk_post(f->s, f->l.row.id, "text",
	    "Thanks.", 0, &problem), GH_OK);
	assert_int_equal(store_case_get(f->s, f->l.row.id, anna, &c), GH_OK);
	assert_false(report_case_is_new(&c));
	assert_int_equal(store_case_mark_read(f->s, f->l.row.id, anna, 2),
	    GH_OK);
	assert_int_equal(store_case_mark_read(f->s, f->l.row.id, anna, 1),
	    GH_OK);
	assert_int_equal(store_case_get(f->s, f->l.row.id, anna, &c), GH_OK);
	assert_int_equal(c.read_seq, 2);
	assert_int_equal(report_conv_reporter_post(f->s, &f->l.row,
	    REPORT_POST_ADD, NULL, "More."), GH_OK);
	assert_int_equal(store_case_get(f->s, f->l.row.id, anna, &c), GH_OK);
	assert_true(report_case_is_new(&c));
}

static void
test_report_case_filters(void **state)
{
	struct report_fx *f = *state;
	static const char *const forms[] = { "pesten" };
	struct report_filter rf;
	struct store_case c;
	const char *field = NULL;
	int is;

	assert_int_equal(report_filter_parse(&rf, "closed?", NULL, NULL, NULL,
	    NULL, 1, &field), GH_ERR_INVALID);
	assert_string_equal(field, "status");
	assert_int_equal(report_filter_parse(&rf, NULL, "free", NULL, NULL,
	    NULL, 1, &field), GH_ERR_INVALID);
	assert_string_equal(field, "form");
	assert_int_equal(report_filter_parse(&rf, NULL, NULL, "x", NULL,
	    NULL, 1, &field), GH_ERR_INVALID);
	assert_string_equal(field, "ground");
	assert_int_equal(report_filter_parse(&rf, NULL, NULL, NULL, "soon",
	    NULL, 1, &field), GH_ERR_INVALID);
	assert_string_equal(field, "due");
	assert_int_equal(report_filter_parse(&rf, NULL, NULL, NULL, NULL,
	    "you", 1, &field), GH_ERR_INVALID);
	assert_string_equal(field, "assigned");
	assert_int_equal(store_case_get(f->s, f->l.row.id, 1, &c), GH_OK);
	/* Open, due within a week, nobody's. */
	assert_int_equal(report_filter_parse(&rf, "open", NULL, NULL, "week",
	    "nobody", 1, &field), GH_OK);
	assert_int_equal(report_filter_match(f->s, &rf, &f->l.row, &c, 7,
	    &is), GH_OK);
	assert_true(is);
	assert_int_equal(report_filter_match(f->s, &rf, &f->l.row, &c, 8,
	    &is), GH_OK);
	assert_false(is);
	assert_int_equal(report_filter_match(f->s, &rf, &f->l.row, &c, -1,
	    &is), GH_OK);
	assert_false(is);
	assert_int_equal(report_filter_parse(&rf, "closed", NULL, NULL, NULL,
	    "me", 1, &field), GH_OK);
	assert_int_equal(report_filter_match(f->s, &rf, &f->l.row, &c, 0,
	    &is), GH_OK);
	assert_false(is);
	/* The form is looked up in the tags. */
	assert_int_equal(report_filter_parse(&rf, NULL, "pesten", NULL,
	    "overdue", NULL, 1, &field), GH_OK);
	assert_int_equal(report_filter_match(f->s, &rf, &f->l.row, &c, -3,
	    &is), GH_OK);
	assert_false(is);
	assert_int_equal(report_case_file(f->s, f->l.row.id, forms, 1, NULL,
	    0, NULL, &field), GH_OK);
	assert_int_equal(report_filter_match(f->s, &rf, &f->l.row, &c, -3,
	    &is), GH_OK);
	assert_true(is);
	assert_int_equal(report_filter_match(f->s, &rf, &f->l.row, &c, 0,
	    &is), GH_OK);
	assert_false(is);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_case_ref_parse_and_text),
		cmocka_unit_test_setup_teardown(
		    test_report_case_find_by_reference, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_report_case_file_replaces_and_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_report_case_close_needs_outcome_and_measure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_report_case_assign_to_enabled_desk_users, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_report_case_notes_sealed_and_withdrawn, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_report_case_read_marks,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_case_filters, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
