/*
 * desk.h: the pages of the reporting desk and the login page, rendered
 * from web/login.html and web/desk*.html (page_desk.c,
 * page_desk_report.c, page_desk_case.c), and the desk's category lists
 * (page_desk_cat.c).
 *
 * The route computes everything (days as text, states, the opened
 * messages); these functions only render, escaping every value. Texts
 * come from the "desk.*" and "login.*" keys of the catalogues.
 */
#ifndef GH_PAGES_DESK_H
#define GH_PAGES_DESK_H

#include <stddef.h>
#include <stdint.h>

#include "survey/def.h"
#include "util/buf.h"
#include "util/err.h"

#define DESK_DAY_LEN	10	/* "2026-11-25" */
#define DESK_ID_LEN	32	/* a report id in hex */
#define DESK_CAT_MAX	64
#define DESK_UNIT_MAX	100	/* as REPORT_MAX_UNIT */
#define DESK_REF_TEXT_LEN 9	/* a case reference as shown: "3F9A-C21B" */
#define DESK_NAME_MAX	64	/* a desk user's name */

/* What a login page says above the form. */
enum login_notice {
	LOGIN_NOTICE_NONE,
	LOGIN_NOTICE_FAILED,
	LOGIN_NOTICE_LIMITED,
	LOGIN_NOTICE_BUSY,
	LOGIN_NOTICE_EXPIRED,
	LOGIN_NOTICE_LOGGED_OUT,
	LOGIN_NOTICE_FORGED,	/* no valid login form token (403) */
};

/* A step of a report's clock as shown (deadline.h's states). */
enum desk_clock {
	DESK_CLOCK_NOT_YET, DESK_CLOCK_DUE, DESK_CLOCK_OVERDUE, DESK_CLOCK_DONE
};
#define DESK_STEPS 4	/* acknowledgement, feedback, aftercare 1 and 3 */

struct desk_step {
	enum desk_clock	state;
	char		due[DESK_DAY_LEN + 1];
};

/* A desk user: one may assign a case to them unless disabled. */
struct desk_user {
	int64_t		 id;
	char		 name[DESK_NAME_MAX + 1];
	int		 is_disabled;	/* may still hold a case */
};

/* An opened internal note; text is NULL when it could not be opened. */
struct desk_note {
	char		 day[DESK_DAY_LEN + 1];
	const char	*author;		/* a name, or "" */
	const char	*text;
	size_t		 text_len;
};

/* What the case page shows beyond the inbox's item: the lists, the
 * assignment and the notes (page_desk_case.c). */
struct desk_case {
	const char *const	*forms;		/* ids, n_forms of them */
	size_t			 n_forms;
	const char *const	*grounds;
	size_t			 n_grounds;
	const char *const	*measures;
	size_t			 n_measures;
	const struct desk_user	*users;		/* desk users, disabled
						 * ones marked */
	size_t			 n_users;
	int64_t			 assigned_to;	/* a user id, or -1 */
	const struct desk_note	*notes;
	size_t			 n_notes;
};

/* The inbox's search and filter fields as given (NULL: not given). */
struct desk_filter {
	const char	*ref, *status, *form, *ground, *due, *assigned;
	int		 is_filtered;	/* a filter is set */
};

/* A report as the inbox and its page show it (no text). */
struct desk_item {
	char		 id[DESK_ID_LEN + 1];
	int		 status;		/* enum report_status */
	char		 received[DESK_DAY_LEN + 1];
	char		 status_day[DESK_DAY_LEN + 1];
	struct desk_step step[DESK_STEPS];
	char		 form[DESK_CAT_MAX + 1];
	char		 ground[DESK_CAT_MAX + 1];
	char		 unit[DESK_UNIT_MAX + 1];
	char		 measure[DESK_CAT_MAX + 1];
	char		 ref[DESK_REF_TEXT_LEN + 1];	/* "3F9A-C21B" or "" */
	int		 is_new;	/* reporter wrote since the user read */
	int		 is_assigned_disabled;	/* shown marked so */
	char		 assigned[DESK_NAME_MAX + 1];	/* "" if nobody */
	char		 outcome[DESK_CAT_MAX + 1];	/* "" if none */
	const struct desk_case *kase;	/* the case page only, else NULL */
	int		 is_expired;	/* retention destroyed its content */
	const struct desk_retain *retain; /* the report page only, or NULL */
	const char	*files_html;	/* its attachments' list, or NULL */
	const char	*reply_text;	/* the reply form's kept text */
	const char	*reply_error;	/* a refused file of it, in words */
};

/* One opened message; text is NULL when it could not be opened. */
struct desk_msg {
	int64_t		 seq;			/* a reply starts "#SEQ\n" */
	int		 is_by_desk;
	int		 kind;			/* enum report_msg_kind */
	char		 day[DESK_DAY_LEN + 1];
	const char	*text;
	size_t		 text_len;
};

/* What every desk page needs. */
struct desk_page {
	enum def_lang	 lang;
	const char	*user;
	const char	*csrf;
	const char	*here;		/* this page's path, for the lang link */
	const char	*notice_key;	/* a message key to show first, or NULL */
	int		 is_notice_error;
	const struct desk_filter *filter;	/* the inbox's, or NULL */
};

enum desk_cat { DESK_CAT_FORM, DESK_CAT_GROUND, DESK_CAT_UNIT,
	DESK_CAT_MEASURE, DESK_CAT_OUTCOME };

/* Returns 1 if id is an option of list which (as in melding.json). */
int page_desk_cat_is_valid(enum desk_cat which, const char *id);

/* Returns the NULL-terminated option ids of list which. */
const char *const *page_desk_cat_ids(enum desk_cat which);

/* The label of option id of list which in lang (the id if unknown). */
const char *page_desk_cat_label(enum def_lang lang, enum desk_cat which,
    const char *id);

/* Checks the desk's message keys and renders every desk page once. */
int page_desk_check(void) GH_WUR;

/*
 * The login page: the name kept (may be NULL), a notice, and the form's
 * token csrf (login CSRF; see route_login.c) in a hidden field.
 */
int page_login(struct buf *out, enum def_lang lang, const char *name,
    enum login_notice notice, const char *csrf) GH_WUR;

/*
 * page_login with carry (HTML made by page_login_carry: the hidden fields
 * of a desk form whose session had ended) inside its form.
 */
int page_login_carrying(struct buf *out, enum def_lang lang,
    const char *name, enum login_notice n, const char *csrf,
    const char *carry) GH_WUR;

struct form;

/*
 * The hidden fields that carry a desk form through the login form
 * (page_login_carry.c): "carry_to" = to, and "c.NAME" for each of f's
 * fields but csrf and lang; with is_carried, f is the login form and
 * only its "c." fields are taken. Nothing is stored.
 */
int page_login_carry(struct buf *out, const char *to, const struct form *f,
    int is_carried) GH_WUR;

/*
 * After a login that carried a form: the form again, to be sent to
 * "to" with the new session's csrf, its "text" in a text area and its
 * other fields hidden (f is the login form, fields "c.NAME").
 */
int page_login_resume(struct buf *out, enum def_lang lang, const char *to,
    const char *csrf, const struct form *f) GH_WUR;

/* The inbox: items in the order to show. */
int page_desk_inbox(struct buf *out, const struct desk_page *p,
    const struct desk_item *items, size_t n) GH_WUR;

/* One report: its clock, categories, conversation and the forms. */
int page_desk_report(struct buf *out, const struct desk_page *p,
    const struct desk_item *it, const struct desk_msg *msgs, size_t n)
    GH_WUR;

/* A short page with the "desk.forbidden.*" texts. */
int page_desk_forbidden(struct buf *out, enum def_lang lang) GH_WUR;

/*
 * The page of a desk path opened by an account of another role, with the
 * "desk.role.*" texts (page_desk.c).
 */
int page_desk_wrong_role(struct buf *out, enum def_lang lang) GH_WUR;

/* Appends the navigation of a desk page (internal to the desk pages). */
int page_desk_nav(struct buf *out, const struct desk_page *p) GH_WUR;

/* Appends the running and done steps of it's clock as list items. */
int page_desk_clock(struct buf *out, enum def_lang lang,
    const struct desk_item *it) GH_WUR;

/* Wraps content in the layout with title (+ " - gehoord"). */
int page_desk_finish(struct buf *out, enum def_lang lang, const char *title,
    struct buf *content) GH_WUR;

/* Appends the text of key with mark (e.g. "{d}") replaced by value. */
void page_desk_msg_d(struct buf *b, enum def_lang lang, const char *key,
    const char *mark, const char *value);

/* The case page's parts (page_desk_case.c): the assignment and notes. */
int page_desk_case(struct buf *out, const struct desk_page *p,
    const struct desk_item *it) GH_WUR;

/* Appends checkboxes named name for list which, those in on[0..n)
 * checked. */
int page_desk_checks(struct buf *out, enum def_lang lang,
    enum desk_cat which, const char *name, const char *const *on,
    size_t n) GH_WUR;

/* The inbox's search and filter forms, filled from p->filter. */
int page_desk_filters(struct buf *out, const struct desk_page *p) GH_WUR;

/* Escapes len bytes of a text into out, line ends as <br>. */
void page_desk_text(struct buf *out, const char *text, size_t len);

/*
 * Renders one message of a conversation (its number, author, kind, day
 * and text, or "unreadable") for the desk's and a reviewer's case pages;
 * the copy of the text it made is wiped. Returns GH_OK or an error.
 */
int page_desk_msg(struct buf *out, enum def_lang lang,
    const struct desk_msg *m) GH_WUR;

/* The text of a status (enum report_status) in lang. */
const char *page_desk_status(enum def_lang lang, int status);

/* A report's retention as its page shows it (report/retain.h). */
struct desk_retain {
	char		 until[DESK_DAY_LEN + 1];	/* last day kept; "" while
							   the report is open */
	char		 reason[DESK_CAT_MAX + 1];	/* an extension's, or "" */
	const char *const *reasons;	/* the reason ids, NULL-ended */
};

/* One report of the list of reports whose retention ends soon. */
struct desk_retain_item {
	char		 id[DESK_ID_LEN + 1];
	char		 ref[DESK_REF_TEXT_LEN + 1];	/* or "" */
	char		 until[DESK_DAY_LEN + 1];
	char		 reason[DESK_CAT_MAX + 1];	/* an extension's, or "" */
};

/* Appends the report page's retention section: the last day and the
 * form extending it (page_desk_retain.c). */
int page_desk_retain(struct buf *out, const struct desk_page *p,
    const char *id, const struct desk_retain *rt) GH_WUR;

/* The page of reports whose retention ends within days (or has ended),
 * v[0..n) soonest first (page_desk_retain.c). */
int page_desk_retention(struct buf *out, const struct desk_page *p,
    const struct desk_retain_item *v, size_t n, int days) GH_WUR;

#endif
