/*
 * report.h: the pages a reporter sees, rendered from the
 * web/report*.html templates with the "report.*" texts of the message
 * catalogues, the built-in report form's page, and the text the report is
 * stored as. The form's questions and their check are
 * report/report_form.h.
 * Implemented in page_report.c, page_report_form.c, page_report_conv.c.
 */
#ifndef GH_PAGE_REPORT_H
#define GH_PAGE_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "survey/form.h"
#include "report/report_form.h"
#include "survey/def.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/sbuf.h"

/*
 * Loads the report form's definition (melding.json, built in) and checks
 * it (report_form_def_check). Called by page_init, before any thread
 * starts. Returns GH_OK, or an error after logging the problem.
 */
int page_report_def_load(void) GH_WUR;

/* The report form's definition (NULL before page_report_def_load). */
const struct def *page_report_def(void);

/*
 * Appends the report as the desk reads it to out: each answered question
 * of the definition with its label and the chosen options' labels in
 * lang, the texts as written. The form must have passed report_form_check.
 */
void page_report_form_text(struct sbuf *out, const struct form *f,
    enum def_lang lang);

/* A one-time submission key (http/report_once.h) is this many random
 * bytes, written as base64url without padding. */
#define PAGE_REPORT_ONCE_BYTES	16
#define PAGE_REPORT_ONCE_TEXT	22

/*
 * Writes the one-time key of a reporter's form into out: kept if it has
 * a key's shape (a form shown again keeps its key), else a new one.
 */
void page_report_once(char out[PAGE_REPORT_ONCE_TEXT + 1],
    const char *kept);

/*
 * The report form posting to action ("/melden" or "/melden/l/LINK"):
 * explanation, questions (kept answers shown, problems of chk linked from
 * a summary when chk is not NULL), and first a notice (the text of
 * "report.<notice>") when notice is not NULL.
 */
int page_report_form(struct buf *out, enum def_lang lang, const char *action,
    const struct form *kept, const struct report_check *chk,
    const char *notice) GH_WUR;

/*
 * The page for a reporter's POST to /melden/volg that found the server
 * too busy: says nothing was done and posts the same again (its
 * receipt, action, message number and confirmation as hidden fields, its
 * text in a text box) with one button.
 */
int page_report_busy(struct buf *out, enum def_lang lang,
    const struct form *posted) GH_WUR;

/*
 * The receipt page, shown once: the code in groups, the signed
 * acknowledgement ack, what was sent (sent may be NULL), and the "I have
 * saved my code" step (is_missing_saved: it was not ticked).
 * is_replacement: a new code for an existing report. once_key (may be
 * NULL) is the one-time key the code is kept under for a while
 * (http/report_once.h): the "saved" step sends it, to drop the code.
 */
int page_report_receipt(struct buf *out, enum def_lang lang,
    const char *code, const char *ack, const char *sent,
    int is_replacement, int is_missing_saved, const char *once_key) GH_WUR;

/* What went wrong with a typed receipt on the login page. */
enum report_login_problem {
	REPORT_LOGIN_OK,
	REPORT_LOGIN_TYPO,	/* check symbol */
	REPORT_LOGIN_SHAPE,	/* not 25 symbols of the alphabet */
	REPORT_LOGIN_UNKNOWN,	/* no report has it */
	REPORT_LOGIN_BUSY,	/* rate limited */
};

/* The receipt login page; typed is shown again (may be NULL). */
int page_report_login(struct buf *out, enum def_lang lang, const char *typed,
    enum report_login_problem p) GH_WUR;

/*
 * A short page: heading and text of "report.<which>_title" and
 * "report.<which>_text", and a link (href, text of "report.<link_key>").
 */
int page_report_note(struct buf *out, enum def_lang lang, const char *which,
    const char *href, const char *link_key) GH_WUR;

/* The withdrawal confirmation (is_missing: the box was not ticked). */
int page_report_withdraw(struct buf *out, enum def_lang lang,
    const char *code, int is_missing) GH_WUR;

/* One message as the reporter sees it. */
struct report_entry {
	int64_t		 seq;
	int		 author;	/* enum report_author */
	int		 kind;		/* enum report_msg_kind */
	const char	*when;		/* date and time as text */
	const char	*text;		/* NULL if unreadable */
	int		 is_open;	/* a question or proposal to answer */
	int		 is_new;	/* the desk's, after the last visit */
};

/* The conversation page of a logged-in reporter. */
struct report_conv_view {
	enum def_lang			 lang;
	const char			*code;	/* the receipt, for the forms */
	int				 status;
	const char			*status_day, *received_day;
	const char			*ack_day, *closed_day;	/* or NULL */
	const struct report_entry	*entries;
	size_t				 n;
	const char			*notice; /* "report.notice.X" suffix */
	size_t				 n_new;	/* entries with is_new */
	const char			*files_html; /* attachments, or NULL */
	const char			*text_kept; /* the add form's text */
	const char			*file_error; /* a refused file, in words */
};

/*
 * The conversation page; with v->file_error set (a refused file of the
 * add form) an error summary linked to the file field, the error by the
 * field and v->text_kept in the add form's text box.
 */
int page_report_conv(struct buf *out, const struct report_conv_view *v) GH_WUR;

/* Appends the hidden fields (lang, receipt code) of a reporter's form. */
int page_report_hidden(struct buf *out, enum def_lang lang,
    const char *code) GH_WUR;

/* The text of "report." suffix in lang. */
const char *page_report_msg(enum def_lang lang, const char *suffix);

/* What a missing "report.*" text renders as; page_report_selfcheck
 * looks for it in every page. */
#define PAGE_REPORT_MISSING	"(report text missing)"

/*
 * Writes the printable sheet of n report links (a QR card each) to f;
 * each card says that the receipt code is entered at follow (the
 * follow-up address in full). Returns GH_OK, GH_ERR_IO, GH_ERR_NOMEM or
 * GH_ERR_INVALID.
 */
int page_report_sheet(FILE *f, const char *const *links, size_t n,
    const char *follow) GH_WUR;

/* Renders every reporter page once (page_init's check for them). */
int page_report_selfcheck(void) GH_WUR;

/* Where a new report's text was sealed, as its receipt page says. */
enum page_sealed_where {
	PAGE_SEALED_NONE,	/* not a new report (a replaced receipt) */
	PAGE_SEALED_SERVER,	/* on arrival, by the server */
	PAGE_SEALED_BROWSER,	/* in the reporter's browser (seal.js) */
};

/* page_report_receipt, saying where the text was sealed. */
int page_report_receipt_where(struct buf *out, enum def_lang lang,
    const char *code, const char *ack, const char *sent, int is_replacement,
    int is_missing_saved, const char *once_key, enum page_sealed_where where)
    GH_WUR;

/*
 * The report form (as page_report_form) with what its script needs to
 * seal the text in the browser: the desk's public key desk_pk (32 bytes;
 * NULL: the form has no script and the server seals).
 */
int page_report_form_seal(struct buf *out, enum def_lang lang,
    const char *action, const struct form *kept,
    const struct report_check *chk, const char *notice,
    const uint8_t *desk_pk) GH_WUR;

/*
 * As page_report_form_seal with a notice already in words (notice_text,
 * e.g. which attached file was refused and why) instead of a message key.
 */
int page_report_form_seal_text(struct buf *out, enum def_lang lang,
    const char *action, const struct form *kept,
    const struct report_check *chk, const char *notice_text,
    const uint8_t *desk_pk) GH_WUR;

/* Files a reporter may attach to one form (http/upload.h holds the
 * server to the same number). */
#define PAGE_REPORT_FILES_MAX	5

/*
 * Appends, after the file field input_id, the hidden box and the script
 * (web/report_files.js) that list the chosen files before sending, each
 * removable, flagged in the server's words when it would be refused.
 * Nothing if the script is not built in. GH_OK, GH_ERR_NOMEM or
 * GH_ERR_INVALID.
 */
int page_report_files_list(struct buf *out, enum def_lang lang,
    const char *input_id) GH_WUR;

/*
 * The page refusing a malformed sealed report (422): which field and
 * what is wrong with it (a "report.sealed_bad." suffix), that nothing
 * was stored, and a link back to the form at action.
 */
int page_report_sealed_bad(struct buf *out, enum def_lang lang,
    const char *field, const char *why, const char *action) GH_WUR;

#endif
