/*
 * report_conv.c: the conversation rules (report_conv.h), without HTTP:
 * route_report_follow.c (the reporter) and route_desk_report.c (the
 * desk) parse the form, call one function here and render the result.
 *
 * Entry points: report_conv_reporter_post (reply target checked against
 * the stored messages -> text checked with the rules of the report
 * form's first question -> "#SEQ\n" prefixed for an answer or consent ->
 * report_seal_both -> store_report_add_message (with files:
 * store_report_add_message_files, the message and its files sealed to
 * the same keys in one transaction) -> for a second opinion,
 * the status -> the row read again), report_conv_desk_post (the row must
 * be live -> text checked -> sealed, stored -> the acknowledgement day
 * set by any message, the feedback day by one marked as the feedback),
 * report_conv_opinion_post (a reviewer's opinion, the same path as
 * a desk message), report_conv_answers (which consent
 * answers which proposal), report_withdraw (store_report_withdraw, then
 * a checkpoint). Plaintext lives in sodium_malloc memory, wiped on every
 * path; nothing logs a text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "report/report_conv.h"
#include "report/report_create.h"
#include "report/report_crypto.h"
#include "report/report_form.h"
#include "store/store_reply_file.h"
#include "util/log.h"

#define DESK_REPLY_MAX_CHARS	4000

/* What a reply must point at: the desk's message of a seq and kind. */
struct reply_target {
	long long		seq;
	enum report_msg_kind	kind;
	int			is_found;
};

static int
find_target(void *arg, const struct report_msg *m)
{
	struct reply_target *t = arg;

	if (m->seq == t->seq && m->author == REPORT_BY_DESK &&
	    m->kind == t->kind)
		t->is_found = 1;
	return GH_OK;
}

/* Parses a positive seq; returns 0, or -1. */
static int
parse_seq(const char *to, long long *seq)
{
	char *end;

	if (to == NULL || (*seq = strtoll(to, &end, 10)) <= 0 || *end != '\0')
		return -1;
	return 0;
}

/* Checks that "to" names a desk's message of kind in report id. */
static int
is_reply_target(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *to, enum report_msg_kind kind)
{
	struct reply_target t = { 0, kind, 0 };

	if (parse_seq(to, &t.seq) != 0)
		return 0;
	return store_report_messages(s, id, find_target, &t) == GH_OK &&
	    t.is_found;
}

/*
 * The reporter's text t (NULL: empty), prefixed with "#SEQ\n" when it
 * answers message to, into *out (sodium_malloc'd). Returns GH_OK,
 * GH_ERR_INVALID (empty where a text is needed, not UTF-8-safe, too
 * long), GH_ERR_NOMEM.
 */
static int
reporter_text(const char *t, const char *to, int needs_text, int is_reply,
    char **out, size_t *len)
{
	static const struct report_text_rule rule = { REPORT_ANSWER_MAX, 1 };
	enum report_problem p;
	char pre[24] = "";
	long long seq;
	size_t n;

	*out = NULL;
	*len = 0;
	if (t == NULL)
		t = "";
	if (is_reply) {
		if (parse_seq(to, &seq) != 0)
			return GH_ERR_INVALID;
		snprintf(pre, sizeof(pre), "#%lld\n", seq);
	}
	/* A message has the rules of the report's text. */
	p = report_text_check(&rule, t);
	if (p == REPORT_P_TOO_LONG || p == REPORT_P_BAD_TEXT ||
	    (p == REPORT_P_MISSING && needs_text))
		return GH_ERR_INVALID;
	if (p == REPORT_P_MISSING)
		t = "";
	n = strlen(pre) + strlen(t);
	if ((*out = sodium_malloc(n + 1)) == NULL)
		return GH_ERR_NOMEM;
	memcpy(*out, pre, strlen(pre));
	memcpy(*out + strlen(pre), t, strlen(t) + 1);
	*len = n;
	return GH_OK;
}

/*
 * Seals text twice and appends it to row's report, with the n cleaned
 * files (sealed to the same two keys) in the same transaction.
 */
static int
add_message(struct store *s, const struct report_row *row,
    enum report_author author, enum report_msg_kind kind, const char *text,
    size_t len, struct attach_plain *files, size_t n)
{
	struct report_msg m = { 0 };
	struct store_attach *att = NULL;
	int rc;

	m.author = author;
	m.kind = kind;
	if ((rc = report_seal_both(&m, text, len, (int64_t)time(NULL),
	    row->report_pk, row->reply_pk)) == GH_OK && n > 0)
		rc = report_create_seal_files(files, n, row->report_pk,
		    row->reply_pk, &att);
	if (rc == GH_OK && n > 0)
		rc = store_report_add_message_files(s, row->id, &m,
		    store_today(), att, n);
	else if (rc == GH_OK)
		rc = store_report_add_message(s, row->id, &m, store_today());
	report_create_files_free(att, n);
	report_msg_free(&m);
	return rc;
}

int
report_conv_reporter_post(struct store *s, struct report_row *row,
    enum report_conv_post what, const char *to, const char *text)
{
	return report_conv_reporter_post_files(s, row, what, to, text, NULL,
	    0);
}

int
report_conv_reporter_post_files(struct store *s, struct report_row *row,
    enum report_conv_post what, const char *to, const char *text,
    struct attach_plain *files, size_t n)
{
	enum report_msg_kind kind = REPORT_MSG_TEXT;
	uint8_t id[REPORT_ID_BYTES];
	int is_reply = 0, rc;
	char *plain = NULL;
	size_t len;

	switch (what) {
	case REPORT_POST_ANSWER:
		is_reply = 1;
		break;
	case REPORT_POST_CONSENT_YES:
	case REPORT_POST_CONSENT_NO:
		is_reply = 1;
		kind = what == REPORT_POST_CONSENT_YES ?
		    REPORT_MSG_CONSENT_YES : REPORT_MSG_CONSENT_NO;
		break;
	case REPORT_POST_SECOND:
		kind = REPORT_MSG_SECOND_OPINION;
		break;
	case REPORT_POST_ADD:
		break;
	}
	if (is_reply && !is_reply_target(s, row->id, to,
	    kind == REPORT_MSG_TEXT ? REPORT_MSG_QUESTION :
	    REPORT_MSG_CONSENT_ASK))
		return GH_ERR_INVALID;
	rc = reporter_text(text, to, kind == REPORT_MSG_TEXT, is_reply,
	    &plain, &len);
	if (rc == GH_OK)
		rc = add_message(s, row, REPORT_BY_REPORTER, kind, plain, len,
		    files, n);
	if (rc == GH_OK && kind == REPORT_MSG_SECOND_OPINION &&
	    row->status != REPORT_SECOND_OPINION)
		rc = store_report_set_status(s, row->id,
		    REPORT_SECOND_OPINION, store_today());
	if (plain != NULL)
		sodium_free(plain);
	if (rc != GH_OK)
		return rc;
	/* Read the row again: the status may have changed. */
	memcpy(id, row->id, sizeof(id));
	store_report_row_clear(row);
	return store_report_get(s, id, row);
}

/* Counts UTF-8 characters (bytes that do not continue one). */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/*
 * A desk-side message of kind k (-1: an unknown kind, GH_ERR_INVALID)
 * with text to report id, and the clock's acknowledgement (and with
 * is_feedback the feedback) day.
 */
static int
desk_side_post(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int k, const char *text, int is_feedback, struct attach_plain *files,
    size_t n, const char **problem)
{
	struct report_row row;
	size_t len = text != NULL ? strlen(text) : 0;
	int r;

	memset(&row, 0, sizeof(row));
	if ((r = store_report_get(s, id, &row)) != GH_OK)
		goto out;
	if (row.status == REPORT_WITHDRAWN) {
		r = GH_ERR_CLOSED;
		goto out;
	}
	r = GH_ERR_INVALID;
	if (k < 0)
		goto out;
	if (len == 0 || strspn(text, " \t\r\n") == len ||
	    utf8_chars(text) > DESK_REPLY_MAX_CHARS || len > REPORT_TEXT_MAX) {
		*problem = "desk.reply.empty";
		goto out;
	}
	r = add_message(s, &row, REPORT_BY_DESK, (enum report_msg_kind)k,
	    text, len, files, n);
	/* Any first message acknowledges receipt; the feedback the clock
	 * waits for is only the message the desk says it is. */
	if (r == GH_OK && row.ack_day < 0)
		r = store_report_set_day(s, id, 7, store_today());
	if (r == GH_OK && is_feedback && row.feedback_day < 0)
		r = store_report_set_day(s, id, 0, store_today());
out:
	store_report_row_clear(&row);
	return r;
}

int
report_conv_opinion_post(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *text, const char **problem)
{
	return desk_side_post(s, id, REPORT_MSG_OPINION, text, 0, NULL, 0,
	    problem);
}

int
report_conv_desk_post(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *kind, const char *text, int is_feedback,
    const char **problem)
{
	return report_conv_desk_post_files(s, id, kind, text, is_feedback,
	    NULL, 0, problem);
}

int
report_conv_desk_post_files(struct store *s,
    const uint8_t id[REPORT_ID_BYTES], const char *kind, const char *text,
    int is_feedback, struct attach_plain *files, size_t n,
    const char **problem)
{
	int k = -1;	/* an unknown kind, refused after the row's checks */

	if (kind == NULL || strcmp(kind, "text") == 0)
		k = REPORT_MSG_TEXT;
	else if (strcmp(kind, "question") == 0)
		k = REPORT_MSG_QUESTION;
	else if (strcmp(kind, "consent") == 0)
		k = REPORT_MSG_CONSENT_ASK;
	return desk_side_post(s, id, k, text, is_feedback, files, n, problem);
}

int
report_conv_answers(enum report_msg_kind kind, const char *text, int64_t seq)
{
	char ref[24];

	if ((kind != REPORT_MSG_CONSENT_YES && kind != REPORT_MSG_CONSENT_NO) ||
	    text == NULL)
		return 0;
	snprintf(ref, sizeof(ref), "#%lld\n", (long long)seq);
	return strncmp(text, ref, strlen(ref)) == 0;
}

int
report_withdraw(struct store *s, const uint8_t id[REPORT_ID_BYTES])
{
	int rc;

	if ((rc = store_report_withdraw(s, id, store_today())) != GH_OK)
		return rc;
	/* Move the overwritten pages out of the WAL into the file now,
	 * waiting out the checkpointer thread if it is at work. */
	if (store_checkpoint_wait(s) != GH_OK)
		log_warn("checkpoint after a withdrawal failed; the next one "
		    "removes the old pages");
	return GH_OK;
}
