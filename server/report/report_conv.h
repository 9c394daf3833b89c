/*
 * report_conv.h: the conversation of a report, without HTTP: who may add
 * what to it, and when. The reporter adds information, answers a desk's
 * question, gives or refuses consent to a proposed step, asks for a
 * second opinion, or withdraws the report; the desk replies, asks a
 * question or proposes a step. Every message is sealed twice
 * (report_crypto.h) before it is stored; none needs a secret key.
 * Implemented in report_conv.c.
 *
 * A reply to a question, and a consent given or refused, is stored as
 * "#SEQ\n" (the desk's message it answers) followed by the reporter's
 * text; a proposal counts as answered once such a reply names it.
 */
#ifndef GH_REPORT_CONV_H
#define GH_REPORT_CONV_H

#include <stddef.h>
#include <stdint.h>

#include "report/attach_seal.h"
#include "store/store_report.h"

/* What a logged-in reporter posts. */
enum report_conv_post {
	REPORT_POST_ADD,		/* more information */
	REPORT_POST_ANSWER,		/* an answer to the desk's question */
	REPORT_POST_CONSENT_YES,	/* agrees to the desk's proposal */
	REPORT_POST_CONSENT_NO,		/* refuses it */
	REPORT_POST_SECOND,		/* asks for a second opinion */
};

/*
 * Adds the reporter's post to report row: text (NULL: empty), and for an
 * answer or a consent "to", the seq (as text) of the desk's question or
 * proposal it answers. Information needs a text; an answer or consent
 * must name a desk's message of the right kind; a second opinion also
 * sets the status (and its day). On GH_OK *row is read again (its status
 * may have changed); on GH_ERR_INVALID nothing changed and *row is kept;
 * on another error *row may be cleared.
 */
int report_conv_reporter_post(struct store *s, struct report_row *row,
    enum report_conv_post what, const char *to, const char *text) GH_WUR;

/*
 * As report_conv_reporter_post, with n cleaned files (name, type, data;
 * their time is set here) sealed to the report key and the reply key
 * and stored with the message in one transaction: a failure of either
 * stores neither.
 */
int report_conv_reporter_post_files(struct store *s, struct report_row *row,
    enum report_conv_post what, const char *to, const char *text,
    struct attach_plain *files, size_t n) GH_WUR;

/*
 * Adds the desk's post to report id: of kind (NULL or "text": a reply,
 * "question", "consent": a proposed step) with text. Any message sets
 * the acknowledgement day if it is not set; is_feedback (the desk marks
 * this message as the feedback on the report) sets the feedback day if it
 * is not set, and nothing else does. Returns GH_OK; GH_ERR_NOT_FOUND (no
 * report), GH_ERR_CLOSED (withdrawn), GH_ERR_INVALID (an unknown kind,
 * or with *problem set to a catalogue key: an empty text or one over
 * 4000 characters), or a store error.
 */
int report_conv_desk_post(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    const char *kind, const char *text, int is_feedback,
    const char **problem) GH_WUR;

/*
 * As report_conv_desk_post, with n cleaned files sealed to the report
 * key and the reply key and stored with the desk's message in one
 * transaction (the files are the desk's: their message's author).
 */
int report_conv_desk_post_files(struct store *s,
    const uint8_t id[REPORT_ID_BYTES], const char *kind, const char *text,
    int is_feedback, struct attach_plain *files, size_t n,
    const char **problem) GH_WUR;

/*
 * Adds a reviewer's second opinion text to report id as the desk's
 * message of kind REPORT_MSG_OPINION (sealed twice, like every message:
 * the reporter reads it on the follow-up page). Like any desk message it
 * sets the acknowledgement day if it is not set. Returns GH_OK;
 * GH_ERR_NOT_FOUND, GH_ERR_CLOSED (withdrawn), GH_ERR_INVALID with
 * *problem set (an empty text or one over 4000 characters), or a store
 * error.
 */
int report_conv_opinion_post(struct store *s,
    const uint8_t id[REPORT_ID_BYTES], const char *text,
    const char **problem) GH_WUR;

/*
 * Returns 1 if a message of kind with opened text (NULL: unopened)
 * answers the desk's proposal seq (a consent given or refused naming
 * it), else 0. A question stays open whatever follows.
 */
int report_conv_answers(enum report_msg_kind kind, const char *text,
    int64_t seq);

/*
 * Withdraws report id: every message, key and the receipt hash deleted,
 * the tombstone kept, and the overwritten pages moved out of the WAL.
 * Returns GH_OK or a store error.
 */
int report_withdraw(struct store *s, const uint8_t id[REPORT_ID_BYTES])
    GH_WUR;

#endif
