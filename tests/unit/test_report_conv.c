/*
 * test_report_conv.c: the report domain without HTTP, against a real
 * SQLite file in a temporary folder: a report created (report_create),
 * the receipt login (report_login), and the conversation's rules
 * (report_conv): an answer and a consent must name a desk's question or
 * proposal, information needs a text, a second opinion sets the status,
 * the desk's first message (of any kind) is the acknowledgement and only
 * a message marked as the feedback is the feedback, closing needs the
 * outcome (report_case_status: the result, a measure and the message for
 * the reporter) and sends the message as the feedback, aftercare before
 * its due day needs confirming, the desk's bookkeeping checks its input
 * (report_desk), a withdrawn report takes nothing more and no longer
 * logs in, and the conversation reads for each reader with its own key
 * (report_read), the desk's unanswered questions and proposals open.
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
#include "report/report_desk.h"
#include "report/report_login.h"
#include "report/report_read.h"
#include "report/report_rekey.h"
#include "store/store_user.h"
#include "report_fx.h"

static int
setup(void **state)
{
	struct report_fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	report_fx_open(f, "reportconv");
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

/* The messages of a report: author, kind and seq of each, in order. */
struct seen {
	int64_t			seq[32];
	enum report_author	author[32];
	enum report_msg_kind	kind[32];
	size_t			n;
};

static int
seen_add(void *arg, const struct report_msg *m)
{
	struct seen *sn = arg;

	assert_true(sn->n < 32);
	sn->seq[sn->n] = m->seq;
	sn->author[sn->n] = m->author;
	sn->kind[sn->n] = m->kind;
	sn->n++;
	return GH_OK;
}

static void
messages(struct report_fx *f, struct seen *sn)
{
	memset(sn, 0, sizeof(*sn));
	assert_int_equal(store_report_messages(f->s, f->l.row.id, seen_add,
	    sn), GH_OK);
}

/* The desk posts kind; returns the new message's seq, as text. */
static void
desk_posts(struct report_fx *f, const char *kind, char seq[24])
{
	const char *problem = NULL;
	struct seen sn;

	assert_int_equal(report_conv_desk_post(f->s, f->l.row.id, kind,
	    "A question?", 0, &problem), GH_OK);
	assert_null(problem);
	messages(f, &sn);
	snprintf(seq, 24, "%lld", (long long)sn.seq[sn.n - 1]);
}

static void
test_report_conv_login_tells_typo_shape_and_unknown(void **state)
{
	struct report_fx *f = *state;
	struct report_login l;
	uint8_t other[RECEIPT_BYTES];
	char code[RECEIPT_TEXT_LEN + 1];

	memset(&l, 0, sizeof(l));
	assert_int_equal(report_login_open(&f->l), GH_OK);
	receipt_to_text(code, f->r);
	assert_string_equal(f->l.code, code);
	code[0] = code[0] == 'A' ? 'B' : 'A';
	assert_int_equal(report_login_find(f->s, f->pepper, code, &l),
	    GH_ERR_CRYPTO);
	assert_int_equal(report_login_find(f->s, f->pepper, "not a code", &l),
	    GH_ERR_INVALID);
	receipt_new(other);
	receipt_to_text(code, other);
	assert_int_equal(report_login_find(f->s, f->pepper, code, &l),
	    GH_ERR_NOT_FOUND);
	report_login_clear(&l);
}

static void
test_report_conv_answer_needs_a_desk_question(void **state)
{
	struct report_fx *f = *state;
	char q[24], t[24];
	struct seen sn;

	/* Nothing to answer yet: message 1 is the reporter's own. */
	assert_int_equal(report_conv_reporter_post(f->s, &f->l.row,
	    REPORT_POST_ANSWER, "1", "An answer"), GH_ERR_INVALID);
	assert_int_equal(report_conv_reporter_post(f->s, &f->l.row,
	    REPORT_POST_ANSWER, "x", "An answer"), GH_ERR_INVALID);
	desk_posts(f, "text", t);
	/* A reply of the desk is no question. */
	assert_int_equal(report_conv_reporter_post(f->s, &f->l.row,
	    REPORT_POST_ANSWER, t, "An answer"), GH_ERR_INVALID);
	desk_posts(f, "question", q);
	assert_int_equal(report_conv_reporter_post(f->s, &f->l.row,
	    REPORT_POST_ANSWER, q, "An answer"), GH_OK);
	messages(f, &sn);
	assert_int_equal(sn.n, 4);
	assert_int_equal(sn.author[3], REPORT_BY_REPORTER);
	assert_int_equal(sn.kind[3], REPORT_MSG_TEXT);
}

static void
test_report_conv_consent_needs_a_proposal(void **state)
{
	struct report_fx *f = *state;
	char q[24], p[24];
	struct seen sn;

	desk_posts(f, "question", q);
	assert_int_equal(report_conv_reporter_post(f->s, &f->l.row,
	    REPORT_POST_CONSENT_YES, q, NULL), GH_ERR_INVALID);
	desk_posts(f, "consent", p);
	/* A consent needs no text of its own. */
	assert_int_equal(report_conv_reporter_post(f->s, &f->l.row,
	    REPORT_POST_CONSENT_NO, p, NULL), GH_OK);
	messages(f, &sn);
	assert_int_equal(sn.kind[sn.n - 1], REPORT_MSG_CONSENT_NO);
	assert_int_equal(sn.kind[sn.n - 2], REPORT_MSG_CONSENT_ASK);
}

/* A reply's text as the reporter's side stores it: "#" SEQ "\n" tail. */
static const char *
reply_to(char out[32], int seq, const char *tail)
{
	snprintf(out, 32, "%c%d\n%s", '#', seq, tail);
	return out;
}

static void
test_report_conv_answers_names_its_proposal(void **state)
{
	char t[32];

	(void)state;
	assert_true(report_conv_answers(REPORT_MSG_CONSENT_YES,
	    reply_to(t, 3, "ok"), 3));
	assert_true(report_conv_answers(REPORT_MSG_CONSENT_NO,
	    reply_to(t, 3, ""), 3));
	assert_false(report_conv_answers(REPORT_MSG_CONSENT_YES,
	    reply_to(t, 30, ""), 3));
	assert_false(report_conv_answers(REPORT_MSG_CONSENT_YES,
	    reply_to(t, 3, ""), 30));
	assert_false(report_conv_answers(REPORT_MSG_TEXT,
	    reply_to(t, 3, "ok"), 3));
	assert_false(report_conv_answers(REPORT_MSG_CONSENT_YES, NULL, 3));
}

static void
test_report_conv_information_needs_text(void **state)
{
	struct report_fx *f = *state;
	struct seen sn;

	assert_int_equal(report_conv_reporter_post(f->s, &f->l.row,
	    REPORT_POST_ADD, NULL, NULL), GH_ERR_INVALID);
	assert_int_equal(report_conv_reporter_post(f->s, &f->l.row,
	    REPORT_POST_ADD, NULL, " \r\n "), GH_ERR_INVALID);
	assert_int_equal(report_conv_reporter_post(f->s, &f->l.row,
	    REPORT_POST_ADD, NULL, "bad \x01 byte"), GH_ERR_INVALID);
	messages(f, &sn);
	assert_int_equal(sn.n, 1);
	assert_int_equal(report_conv_reporter_post(f->s, &f->l.row,
	    REPORT_POST_ADD, NULL, "More."), GH_OK);
	messages(f, &sn);
	assert_int_equal(sn.n, 2);
}

static void
test_report_conv_second_opinion_sets_the_status(void **state)
{
	struct report_fx *f = *state;

	assert_int_equal(f->l.row.status, REPORT_RECEIVED);
	assert_int_equal(report_conv_reporter_post(f->s, &f->l.row,
	    REPORT_POST_SECOND, NULL, "Please."), GH_OK);
	/* The row is read again. */
	assert_int_equal(f->l.row.status, REPORT_SECOND_OPINION);
}

static void
test_report_conv_desk_reply_rules(void **state)
{
	struct report_fx *f = *state;
	struct report_row row;
	const char *problem = NULL;
	char seq[24];

	assert_int_equal(report_conv_desk_post(f->s, f->l.row.id, "text",
	    " \n", 1, &problem), GH_ERR_INVALID);
	assert_string_equal(problem, "desk.reply.empty");
	problem = NULL;
	assert_int_equal(report_conv_desk_post(f->s, f->l.row.id, "shout",
	    "Hello", 1, &problem), GH_ERR_INVALID);
	assert_null(problem);
	/* Refused posts acknowledge nothing. */
	memset(&row, 0, sizeof(row));
	assert_int_equal(store_report_get(f->s, f->l.row.id, &row), GH_OK);
	assert_true(row.ack_day < 0 && row.feedback_day < 0);
	store_report_row_clear(&row);
	/* The first message, even a proposal, is the acknowledgement ... */
	desk_posts(f, "consent", seq);
	assert_int_equal(store_report_get(f->s, f->l.row.id, &row), GH_OK);
	assert_int_equal(row.ack_day, store_today());
	assert_true(row.feedback_day < 0);
	store_report_row_clear(&row);
	/* ... a reply or question is not the feedback ... */
	desk_posts(f, "question", seq);
	desk_posts(f, "text", seq);
	assert_int_equal(store_report_get(f->s, f->l.row.id, &row), GH_OK);
	assert_true(row.feedback_day < 0);
	store_report_row_clear(&row);
	/* ... only the message the desk marks as the feedback is. */
	assert_int_equal(report_conv_desk_post(f->s, f->l.row.id, "text",
	    "What we did.", 1, &problem), GH_OK);
	assert_int_equal(store_report_get(f->s, f->l.row.id, &row), GH_OK);
	assert_int_equal(row.feedback_day, store_today());
	store_report_row_clear(&row);
}

/* Closes the fixture's report as the desk's status form does. */
static int
close_with(struct report_fx *f, const char *outcome, const char *measure,
    const char *text, const char **problem)
{
	const char *measures[1] = { measure };
	struct report_close cl = { .outcome = outcome, .measures = measures,
	    .n_measures = measure != NULL, .text = text,
	    .outcome_text = "Outcome: founded" };

	return report_case_status(f->s, f->l.row.id, "closed", &cl, problem);
}

static void
test_report_conv_desk_bookkeeping_checks_input(void **state)
{
	struct report_fx *f = *state;
	const char *problem = NULL;
	uint8_t none[REPORT_ID_BYTES] = { 0 };

	assert_int_equal(report_desk_aftercare(f->s, f->l.row.id, "1", 1,
	    &problem), GH_ERR_CLOSED);
	assert_string_equal(problem, "desk.aftercare.not_closed");
	problem = NULL;
	assert_int_equal(close_with(f, "founded", NULL, "Outcome.", &problem),
	    GH_ERR_INVALID);
	assert_string_equal(problem, "desk.status.need_measure");
	/* No way to close without the outcome (founded, unfounded, ...). */
	assert_int_equal(close_with(f, NULL, "warning", "Outcome.", &problem),
	    GH_ERR_INVALID);
	assert_string_equal(problem, "desk.status.need_result");
	assert_int_equal(report_case_status(f->s, f->l.row.id, "closed", NULL,
	    &problem), GH_ERR_INVALID);
	assert_string_equal(problem, "desk.status.need_result");
	assert_int_equal(report_case_status(f->s, f->l.row.id, "gone", NULL,
	    &problem), GH_ERR_INVALID);
	assert_int_equal(report_desk_category(f->s, f->l.row.id, "free text",
	    NULL, NULL), GH_ERR_INVALID);
	assert_int_equal(report_desk_category(f->s, f->l.row.id, "", NULL,
	    NULL), GH_OK);
	assert_int_equal(report_desk_aftercare(f->s, f->l.row.id, "2", 1,
	    &problem), GH_ERR_INVALID);
	assert_int_equal(report_case_status(f->s, none, "acknowledged", NULL,
	    &problem), GH_ERR_NOT_FOUND);
	assert_int_equal(report_desk_unknown(f->s, f->l.row.id),
	    GH_ERR_NOT_FOUND);
	assert_int_equal(report_case_status(f->s, f->l.row.id,
	    "acknowledged", NULL, &problem), GH_OK);
}

static void
test_report_conv_desk_close_and_aftercare(void **state)
{
	struct report_fx *f = *state;
	struct report_row row;
	struct seen sn;
	const char *problem = NULL;

	/* Closing without the outcome for the reporter changes nothing. */
	assert_int_equal(close_with(f, "founded", "warning", NULL, &problem),
	    GH_ERR_INVALID);
	assert_string_equal(problem, "desk.status.need_outcome");
	problem = NULL;
	assert_int_equal(close_with(f, "founded", "warning", " ", &problem),
	    GH_ERR_INVALID);
	assert_string_equal(problem, "desk.status.need_outcome");
	messages(f, &sn);
	assert_int_equal(sn.n, 1);		/* the report only */
	memset(&row, 0, sizeof(row));
	assert_int_equal(store_report_get(f->s, f->l.row.id, &row), GH_OK);
	assert_true(row.closed_day < 0 && row.feedback_day < 0);
	store_report_row_clear(&row);
	/* With it, the reporter gets the message, and it is the feedback. */
	problem = NULL;
	assert_int_equal(close_with(f, "founded", "warning", "The outcome.",
	    &problem), GH_OK);
	messages(f, &sn);
	assert_int_equal(sn.n, 2);
	assert_int_equal(store_report_get(f->s, f->l.row.id, &row), GH_OK);
	assert_int_equal(row.status, REPORT_CLOSED);
	assert_int_equal(row.closed_day, store_today());
	assert_int_equal(row.ack_day, store_today());
	assert_int_equal(row.feedback_day, store_today());
	store_report_row_clear(&row);
	/* Aftercare on the closing day is early: only when confirmed. */
	assert_int_equal(report_desk_aftercare(f->s, f->l.row.id, "1", 0,
	    &problem), GH_ERR_CLOSED);
	assert_string_equal(problem, "desk.aftercare.early");
	assert_int_equal(store_report_get(f->s, f->l.row.id, &row), GH_OK);
	assert_true(row.aftercare1_day < 0);
	store_report_row_clear(&row);
	problem = NULL;
	assert_int_equal(report_desk_aftercare(f->s, f->l.row.id, "3", 1,
	    &problem), GH_OK);
	assert_null(problem);
	assert_int_equal(store_report_get(f->s, f->l.row.id, &row), GH_OK);
	assert_true(row.aftercare1_day < 0);
	assert_int_equal(row.aftercare3_day, store_today());
	store_report_row_clear(&row);
}

static void
test_report_conv_withdrawn_takes_nothing(void **state)
{
	struct report_fx *f = *state;
	const char *problem = NULL;
	char code[RECEIPT_TEXT_LEN + 1];
	struct report_login l;

	assert_int_equal(report_withdraw(f->s, f->l.row.id), GH_OK);
	assert_int_equal(report_conv_desk_post(f->s, f->l.row.id, "text",
	    "Hello", 0, &problem), GH_ERR_CLOSED);
	assert_int_equal(report_case_status(f->s, f->l.row.id,
	    "acknowledged", NULL, &problem), GH_ERR_CLOSED);
	assert_int_equal(report_desk_category(f->s, f->l.row.id, NULL, NULL,
	    NULL), GH_ERR_CLOSED);
	assert_int_equal(report_desk_unknown(f->s, f->l.row.id),
	    GH_ERR_CLOSED);
	/* The receipt no longer finds it. */
	memset(&l, 0, sizeof(l));
	receipt_to_text(code, f->r);
	assert_int_equal(report_login_find(f->s, f->pepper, code, &l),
	    GH_ERR_NOT_FOUND);
	report_login_clear(&l);
}

/* store_report_messages callback: each message opens with login arg. */
static int
opens_with(void *arg, const struct report_msg *m)
{
	const struct report_login *l = arg;
	struct report_plain p;

	assert_int_equal(report_open(&p, m->for_reporter, m->for_reporter_len,
	    l->row.reply_pk, l->sk), GH_OK);
	report_plain_clear(&p);
	return GH_OK;
}

static void
test_report_conv_rekey_replaces_the_code(void **state)
{
	struct report_fx *f = *state;
	uint8_t r[RECEIPT_BYTES];
	char code[RECEIPT_TEXT_LEN + 1];
	struct report_login l;
	struct seen sn;

	assert_int_equal(report_conv_reporter_post(f->s, &f->l.row,
	    REPORT_POST_ADD, NULL, "More."), GH_OK);
	assert_int_equal(report_login_open(&f->l), GH_OK);
	assert_int_equal(report_rekey(f->s, f->pepper, &f->l, r), GH_OK);
	memset(&l, 0, sizeof(l));
	assert_int_equal(report_login_find(f->s, f->pepper, f->l.code, &l),
	    GH_ERR_NOT_FOUND);
	receipt_to_text(code, r);
	assert_int_equal(report_login_find(f->s, f->pepper, code, &l), GH_OK);
	assert_int_equal(report_login_open(&l), GH_OK);
	/* Both messages open for the reporter with the new key. */
	messages(f, &sn);
	assert_int_equal(sn.n, 2);
	assert_int_equal(store_report_messages(f->s, l.row.id, opens_with,
	    &l), GH_OK);
	report_login_clear(&l);
}

static void
test_report_read_opens_each_readers_copy_and_marks_open(void **state)
{
	struct report_fx *f = *state;
	const char *text = "What happened\nSomething.\n";
	struct report_read rd = { 0 };
	uint8_t *report_sk, wrong[32];
	char q[24], p[24];
	size_t i;

	desk_posts(f, "question", q);
	desk_posts(f, "consent", p);
	desk_posts(f, "consent", p);	/* a second proposal, answered */
	assert_int_equal(report_conv_reporter_post(f->s, &f->l.row,
	    REPORT_POST_CONSENT_YES, p, NULL), GH_OK);
	assert_int_equal(report_login_open(&f->l), GH_OK);

	/* The reporter: every copy opens; the question and the first
	 * proposal are open, the answered proposal is not. */
	assert_int_equal(report_read(f->s, f->l.row.id, REPORT_READER_REPORTER,
	    f->l.row.reply_pk, f->l.sk, &rd), GH_OK);
	assert_int_equal(rd.n, 5);
	assert_string_equal(rd.msgs[0].plain.text, text);
	for (i = 0; i < rd.n; i++)
		assert_non_null(rd.msgs[i].plain.text);
	assert_int_equal(rd.msgs[0].is_open, 0);
	assert_int_equal(rd.msgs[1].kind, REPORT_MSG_QUESTION);
	assert_int_equal(rd.msgs[1].is_open, 1);
	assert_int_equal(rd.msgs[2].is_open, 1);
	assert_int_equal(rd.msgs[3].is_open, 0);
	assert_int_equal(rd.msgs[4].author, REPORT_BY_REPORTER);
	assert_int_equal(rd.msgs[4].kind, REPORT_MSG_CONSENT_YES);
	report_read_free(&rd);
	assert_null(rd.msgs);
	assert_int_equal(rd.n, 0);

	/* The desk, with the report key the desk key opens. */
	assert_non_null(report_sk = sodium_malloc(REPORT_SK_BYTES));
	assert_int_equal(report_key_open(report_sk, f->l.row.sealed_key,
	    f->l.row.sealed_key_len, f->desk_pk, f->desk_sk), GH_OK);
	assert_int_equal(report_read(f->s, f->l.row.id, REPORT_READER_DESK,
	    f->l.row.report_pk, report_sk, &rd), GH_OK);
	assert_int_equal(rd.n, 5);
	assert_string_equal(rd.msgs[0].plain.text, text);
	assert_string_equal(rd.msgs[1].plain.text, "A question?");
	report_read_free(&rd);

	/* The reporter's copies do not open with another key. */
	randombytes_buf(wrong, sizeof(wrong));
	assert_int_equal(report_read(f->s, f->l.row.id, REPORT_READER_REPORTER,
	    f->l.row.reply_pk, wrong, &rd), GH_OK);
	assert_int_equal(rd.n, 5);
	for (i = 0; i < rd.n; i++)
		assert_null(rd.msgs[i].plain.text);
	report_read_free(&rd);
	sodium_free(report_sk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_report_conv_login_tells_typo_shape_and_unknown,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_report_conv_answer_needs_a_desk_question, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_report_conv_consent_needs_a_proposal, setup,
		    teardown),
		cmocka_unit_test(test_report_conv_answers_names_its_proposal),
		cmocka_unit_test_setup_teardown(
		    test_report_conv_information_needs_text, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_report_conv_second_opinion_sets_the_status, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_report_conv_desk_reply_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_report_conv_desk_bookkeeping_checks_input, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_report_conv_desk_close_and_aftercare, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_report_conv_withdrawn_takes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_report_conv_rekey_replaces_the_code, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_report_read_opens_each_readers_copy_and_marks_open,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
